"""What the console shows: filtered task lists, a task's grids and history, grids, overdue, roster."""

from __future__ import annotations

import io
import re

import pytest

from bot.console.present import days_late
from handlers import texts
from storage import ledger, roster
from storage.ledger import Cause
from tests.conftest import at
from tests.console_support import (NOW, Clock, assignment_id, flashes, make_app, post,
                                   roster_upload, seeded_db, sign_in, task_id)


@pytest.fixture
def world():
    db = seeded_db()
    app = make_app(db, Clock(NOW))
    client = app.test_client()
    sign_in(client, "wang")
    return db, client


def numbers(html: str) -> list[int]:
    """The task numbers a task list shows, in order."""
    return [int(n) for n in re.findall(r'data-label="编号">#(\d+)<', html)]


def page(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.get_data(as_text=True)


def grid_id(db, name: str) -> int:
    return roster.find_units_by_name(db, name)[0].id


@pytest.mark.parametrize("query,expected", [
    ("", [2, 1]),
    ("?state=done", [1]),
    ("?state=open", [2, 1]),
    ("?state=claimed", [1]),
    ("?overdue=1", [2]),
    ("?q=停水", [2]),
    ("?q=%232", [2]),
    ("?q=没有这种任务", []),
    ("?from=2024-11-19", []),
    ("?from=2024-11-18&to=2024-11-18", [2, 1]),
    ("?state=done&overdue=1", []),  # both must hold for the same grid's assignment
])
def test_task_list_filters(world, query, expected):
    _, client = world
    html = page(client, "/console/tasks" + query)
    assert numbers(html) == expected
    assert texts.CONSOLE_TOTAL.format(n=len(expected)) in html


def test_task_list_filters_by_grid_and_issuer(world):
    db, client = world
    assert numbers(page(client, f"/console/tasks?grid={grid_id(db, '四网格')}")) == [1]
    assert numbers(page(client, f"/console/tasks?grid={grid_id(db, '三网格')}")) == [2, 1]
    one = grid_id(db, "一网格")
    assert numbers(page(client, f"/console/tasks?grid={one}&state=done")) == [1]
    assert numbers(page(client, f"/console/tasks?grid={one}&state=open")) == [2]
    wang = roster.find_person(db, "wangshuji").id
    assert numbers(page(client, f"/console/tasks?issuer={wang}")) == [2, 1]
    assert numbers(page(client, f"/console/tasks?issuer={wang + 100}")) == []


def test_a_bad_date_in_the_filter_is_named_and_ignored(world):
    _, client = world
    html = page(client, "/console/tasks?from=十一月")
    assert flashes(html) == [texts.CONSOLE_BAD_DATE.format(value="十一月")]
    assert numbers(html) == [2, 1]


def test_task_page_shows_a_row_per_grid_with_handler_state_and_lateness(world):
    db, client = world
    two = task_id(db, "幸福社区", 2)
    html = page(client, f"/console/tasks/{two}")
    rows = re.findall(r'<tr data-unit="([^"]+)" class="([^"]*)">', html)
    assert rows == [("一网格", "late"), ("三网格", "late")]
    assert html.count(texts.CONSOLE_DAYS_LATE.format(days=1)) == 2
    assert "李娜" in html and "刘洋" in html
    one = page(client, f"/console/tasks/{task_id(db, '幸福社区', 1)}")
    assert one.count('action="/console/tasks/%d/accept"' % task_id(db, "幸福社区", 1)) == 1
    assert "1号已完成，走访12户" in one  # the done report's notes
    assert texts.EVENT_SUMMARIES["accept"] not in one
    assert "派单：独居老人走访" in one and "派给一网格（李娜）" in one  # the history


def test_photos_of_a_report_are_shown_to_those_who_may_see_the_task(world, tmp_path):
    db, client = world
    one = task_id(db, "幸福社区", 1)
    photo = tmp_path / "visit.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    lina = roster.find_person(db, "lina")
    ledger.add_attachments(db, assignment_id(db, one, "一网格"), Cause(lina.id, NOW),
                           (str(photo),))
    html = page(client, f"/console/tasks/{one}")
    src = re.search(r'<img src="(/console/reports/\d+/0)"', html).group(1)
    with client.get(src) as answer:
        assert answer.data == photo.read_bytes()
    assert client.get(src[:-1] + "1").status_code == 404
    other = make_app(db, Clock(NOW)).test_client()
    sign_in(other, "zhang")
    assert other.get(src).status_code == 404


def test_grid_page_lists_open_work_and_the_weeks_figures(world):
    db, client = world
    html = page(client, f"/console/grids/{grid_id(db, '三网格')}")
    assert "刘洋" in html
    assert "#2 通知停水" in html and "#1 独居老人走访" in html
    assert texts.CONSOLE_GRID_WEEK.format(period="11月18日—11月24日") in html
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert figures[texts.CONSOLE_FIGURES["issued"]] == "2"
    assert figures[texts.CONSOLE_FIGURES["overdue"]] == "1"


def test_grids_list_counts_open_late_and_waiting_work(world):
    _, client = world
    html = page(client, "/console/grids")
    one = re.search(r">一网格</a></td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)<", one) == ["1", "1", "1"]  # #2 open and late, #1 waiting


def test_overdue_lists_oldest_first_with_whom_to_chase(world):
    db, client = world
    chat_secretary = roster.find_person(db, "wangshuji")
    community = roster.find_units_by_name(db, "幸福社区")[0].id
    older = ledger.issue_task(db, Cause(chat_secretary.id, at("2024-11-11 09:00")),
                              community_id=community, title="旧任务", text="旧任务",
                              deadline=at("2024-11-12 17:00"),
                              targets=[ledger.Target(grid_id(db, "八网格"), None)])
    html = page(client, "/console/overdue")
    listed = re.findall(r">#(\d+) ([^<]+)</a>", html)
    assert listed == [(str(older.number), "旧任务"), ("2", "通知停水"), ("2", "通知停水")]
    assert texts.CONSOLE_UNASSIGNED in html
    assert texts.CONSOLE_DAYS_LATE.format(days=days_late(at("2024-11-12 17:00"), NOW)) in html


def test_a_grid_worker_sees_their_grid_only(world):
    db, _ = world
    client = make_app(db, Clock(NOW)).test_client()
    sign_in(client, "zhangwei")  # 二网格: task 1 only
    assert numbers(page(client, "/console/tasks")) == [1]
    assert client.get(f"/console/tasks/{task_id(db, '幸福社区', 2)}").status_code == 404
    one = page(client, f"/console/tasks/{task_id(db, '幸福社区', 1)}")
    assert re.findall(r'<tr data-unit="([^"]+)"', one) == ["二网格"]
    assert "/accept" not in one and "/cancel" not in one
    assert re.findall(r'data-label="网格" class="title"><a[^>]*>([^<]+)<',
                      page(client, "/console/grids")) == ["二网格"]
    assert "通知停水" not in page(client, "/console/overdue")


def test_roster_page_shows_people_groups_and_bindings(world):
    db, client = world
    roster.bind_chat(db, roster.find_group(db, "一网格群").id, "wrOgAAAA")
    html = page(client, "/console/roster")
    assert "吴大爷" in html and "一网格群" in html and "wrOgAAAA" in html
    assert html.count(texts.CONSOLE_BOUND) == 1
    assert "张书记" not in html and "和平一网格群" not in html


def test_roster_import_from_the_console(world):
    db, client = world
    answer = post(client, "/console/roster/import", {"files": roster_upload()},
                  content_type="multipart/form-data")
    said = flashes(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert said[0].startswith("花名册已导入：单位 新增1")
    assert roster.find_person(db, "wujiu").name == "吴九"


def test_a_roster_cannot_take_people_or_groups_from_another_community(world):
    db, client = world
    files = {  # 幸福社区's file naming 和平社区's secretary and group, as if they were its own
        "单位.csv": "名称,类型,上级,编号\n幸福社区,社区,,\n一网格,网格,幸福社区,1\n",
        "人员.csv": "姓名,企业微信账号,角色,所属单位,手机\n张书记,zhangshuji,网格员,一网格,\n",
        "群聊.csv": "群名称,类型,所属单位\n和平一网格群,小群,一网格\n",
    }
    upload = [(io.BytesIO(text.encode("utf-8-sig")), name) for name, text in files.items()]
    answer = post(client, "/console/roster/import", {"files": upload},
                  content_type="multipart/form-data")
    said = flashes(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert said == [texts.CONSOLE_IMPORT_TAKEN.format(names="zhangshuji、和平一网格群", own="幸福社区")]
    secretary = roster.find_person(db, "zhangshuji")
    assert secretary.has_role("secretary") and roster.get_unit(db, secretary.unit_id).name == "和平社区"
    assert roster.get_unit(db, roster.find_group(db, "和平一网格群").unit_id).name == "和平一网格"


def test_a_bad_roster_file_lists_its_problems_and_imports_nothing(world):
    db, client = world
    files = roster_upload()
    files[1] = (files[1][0].__class__("姓名,企业微信账号,角色,所属单位,手机\n吴九,wujiu,厨师,九网格,\n"
                                      .encode("utf-8")), "人员.csv")
    answer = post(client, "/console/roster/import", {"files": files},
                  content_type="multipart/form-data")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and texts.CONSOLE_IMPORT_FAILED in html
    assert "厨师" in html
    assert roster.find_units_by_name(db, "九网格") == []
    assert post(client, "/console/roster/import", {}).headers["Location"] == "/console/roster"


def test_summaries_page_shows_the_week_and_browses_to_the_next(world):
    _, client = world
    html = page(client, "/console/summaries?kind=week&start=2024-11-20")
    assert "11月18日—11月24日" in html
    assert "kind=week&amp;start=2024-11-25" in html and "kind=week&amp;start=2024-11-11" in html
    month = page(client, "/console/summaries?kind=month&start=2024-11-20")
    assert texts.CONSOLE_SUMMARY_KINDS["month"] in month and "start=2024-12-01" in month
    assert client.get("/console/summaries?kind=year").status_code == 404


def test_unknown_pages_and_tasks_are_chinese_not_found(world):
    _, client = world
    answer = client.get("/console/tasks/999")
    assert answer.status_code == 404
    assert flashes(answer.get_data(as_text=True)) == [texts.CONSOLE_NOT_FOUND]
    assert client.get("/console/grids/999").status_code == 404
