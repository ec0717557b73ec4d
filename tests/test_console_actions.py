"""Secretary actions from the console go through the chat commands' handlers, with the same words."""

from __future__ import annotations

import pytest

from bot.local import LocalChannel
from handlers import texts
from handlers.context import Options
from storage import ledger, roster
from tests.console_support import (NOW, Clock, assignment_id, flashes, make_app, post, seeded_db,
                                   sign_in, snapshot, task_id)


@pytest.fixture
def desk():
    db = seeded_db()
    app = make_app(db, Clock(NOW))
    client = app.test_client()
    sign_in(client, "wang")
    return db, client


def act(client, task: int, action: str, data: dict) -> list[str]:
    """Post an action form, follow the redirect to the task page and return its messages."""
    answer = post(client, f"/console/tasks/{task}/{action}", data)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/console/tasks/{task}"
    return flashes(client.get(answer.headers["Location"]).get_data(as_text=True))


def grid_posts(db, group: str) -> list[str]:
    group_id = roster.find_group(db, group).id
    return [m["text"] for m in db["messages"].rows_where("group_id = ? and direction = 'out'",
                                                         [group_id], order_by="id")]


def test_accept_records_who_and_says_what_the_chat_says(desk):
    db, client = desk
    one = task_id(db, "幸福社区", 1)
    done = assignment_id(db, one, "一网格")
    said = act(client, one, "accept", {"assignment": done})
    assert said == [texts.ACCEPTED.format(number=1, units="一网格")]
    assert ledger.get_assignment(db, done).state == "accepted"
    event = ledger.history(db, one)[-1]
    assert (event.kind, event.actor_id) == ("accept", roster.find_person(db, "wangshuji").id)
    logged = db["messages"].get(event.message_id)
    assert (logged["channel"], logged["text"]) == ("console", "（工作台）1号一网格验收")


def test_return_needs_a_reason_and_then_tells_the_grid(desk):
    db, client = desk
    one = task_id(db, "幸福社区", 1)
    done = assignment_id(db, one, "一网格")
    before = snapshot(db)
    assert act(client, one, "return", {"assignment": done, "reason": "  "}) == [
        texts.CONSOLE_RETURN_NEEDS_REASON]
    assert snapshot(db) == before
    said = act(client, one, "return", {"assignment": done, "reason": "补照片"})
    assert said == [texts.RETURNED.format(number=1, unit="一网格", reason="补照片")]
    assert ledger.get_assignment(db, done).state == "claimed"
    notice = texts.RETURN_NOTICE.format(number=1, title="独居老人走访", reason="补照片")
    assert grid_posts(db, "一网格群")[-1] == "@李娜\n" + notice


def test_accepting_what_is_not_done_is_refused_in_the_chats_words(desk):
    db, client = desk
    one = task_id(db, "幸福社区", 1)
    claimed = assignment_id(db, one, "二网格")
    before = snapshot(db)
    said = act(client, one, "accept", {"assignment": claimed})
    assert said == [texts.NOTHING_TO_DO.format(number=1, action="验收", states="已办结")]
    assert {k: v for k, v in snapshot(db).items() if k != "messages"} == \
           {k: v for k, v in before.items() if k != "messages"}


def test_extend_one_grid_or_every_live_one(desk):
    db, client = desk
    two = task_id(db, "幸福社区", 2)
    three = assignment_id(db, two, "三网格")
    said = act(client, two, "extend", {"assignment": three, "date": "2024-11-25", "time": "17:30"})
    assert said == [texts.EXTENDED.format(number=2, units="三网格", when="11月25日(周一) 17:30")]
    assert ledger.get_assignment(db, three).deadline.isoformat() == "2024-11-25T17:30:00+08:00"
    assert ledger.get_assignment(db, assignment_id(db, two, "一网格")).deadline.day == 19
    said = act(client, two, "extend", {"date": "2024-11-29"})
    assert said == [texts.EXTENDED.format(number=2, units="一网格、三网格", when="11月29日(周五)")]
    assert "延期" in grid_posts(db, "一网格群")[-1]


@pytest.mark.parametrize("form,problem", [
    ({"date": "2024-11-19"}, texts.EXTEND_PAST.format(when="11月19日(周二)")),
    ({"date": "下周"}, texts.CONSOLE_BAD_DATE.format(value="下周")),
    ({"date": "2024-11-25", "time": "25:00"}, texts.CONSOLE_BAD_DATE.format(value="2024-11-25 25:00")),
])
def test_a_bad_or_past_deadline_is_refused_and_changes_nothing(desk, form, problem):
    db, client = desk
    two = task_id(db, "幸福社区", 2)
    before = snapshot(db)
    assert act(client, two, "extend", form) == [problem]
    assert snapshot(db)["assignments"] == before["assignments"]
    assert snapshot(db)["events"] == before["events"]


def test_transfer_moves_the_only_live_assignment_to_the_chosen_grid(desk):
    db, client = desk
    LocalChannel(db, Options(), now=lambda: NOW).post("lina", "一网格群", "2号不是我们网格的")
    two = task_id(db, "幸福社区", 2)
    declined = assignment_id(db, two, "一网格")
    assert ledger.get_assignment(db, declined).state == "declined"
    page = client.get(f"/console/tasks/{two}").get_data(as_text=True)
    assert page.count('action="/console/tasks/%d/transfer"' % two) == 1
    four = roster.find_units_by_name(db, "四网格")[0].id
    said = act(client, two, "transfer", {"assignment": declined, "to": four})
    assert said == [texts.TRANSFERRED.format(number=2, from_unit="一网格", to_unit="四网格")]
    assert ledger.get_assignment(db, declined).state == "transferred"
    assert assignment_id(db, two, "四网格") != declined
    assert grid_posts(db, "四网格群")[-1].startswith("@陈静\n【转办】任务#2")


def test_a_stale_transfer_form_changes_nothing(desk):
    db, client = desk
    two = task_id(db, "幸福社区", 2)
    open_one = assignment_id(db, two, "一网格")  # two live assignments: the handler would ask
    before = snapshot(db)
    said = act(client, two, "transfer", {"assignment": open_one, "to": 5})
    assert said == [texts.ASK_WHICH_GRID.format(number=2, action="转办")]
    assert snapshot(db)["assignments"] == before["assignments"]


def test_cancel_withdraws_the_task_and_tells_each_grid(desk):
    db, client = desk
    two = task_id(db, "幸福社区", 2)
    said = act(client, two, "cancel", {})
    assert said == [texts.CANCELLED.format(number=2, title="通知停水")]
    assert {a.state for a in ledger.assignments_of(db, two)} == {"cancelled"}
    assert grid_posts(db, "三网格群")[-1] == texts.CANCEL_NOTICE.format(number=2, title="通知停水")
    again = act(client, two, "cancel", {})
    assert again == [texts.ALREADY_CANCELLED.format(number=2)]


def test_an_action_on_an_assignment_of_another_task_is_not_found(desk):
    db, client = desk
    one, two = task_id(db, "幸福社区", 1), task_id(db, "幸福社区", 2)
    before = snapshot(db)
    answer = post(client, f"/console/tasks/{two}/accept",
                  {"assignment": assignment_id(db, one, "一网格")})
    assert answer.status_code == 404
    assert snapshot(db) == before
    assert post(client, f"/console/tasks/{two}/destroy").status_code == 404


def test_issue_from_the_form_confirms_and_posts_like_the_chat(desk):
    db, client = desk
    answer = post(client, "/console/tasks/new", {"text": "各网格明天下午5点前上报消防隐患"})
    task = ledger.get_task(db, roster.find_units_by_name(db, "幸福社区")[0].id, 3)
    assert answer.headers["Location"] == f"/console/tasks/{task.id}"
    said = flashes(client.get(answer.headers["Location"]).get_data(as_text=True))
    confirmation = texts.ISSUED.format(number=3, title=task.title, when="11月21日(周四) 17:00",
                                       targets=texts.ALL_GRIDS.format(n=8))
    assert said == [confirmation]
    assert grid_posts(db, "幸福社区工作群")[-1] == confirmation
    assert grid_posts(db, "八网格群")[-1].startswith("@周强\n【新任务】任务#3")
    assert len(ledger.assignments_of(db, task.id)) == 8


@pytest.mark.parametrize("text,problem", [
    ("各网格上报消防隐患情况", texts.ASK_DEADLINE),
    ("1号验收", texts.CONSOLE_NOT_A_TASK),
    ("大家辛苦了", texts.CONSOLE_NOT_A_TASK),
])
def test_a_form_the_reader_cannot_use_is_answered_and_keeps_the_text(desk, text, problem):
    db, client = desk
    before = snapshot(db)
    answer = post(client, "/console/tasks/new", {"text": text})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert flashes(page) == [problem]
    assert f">{text}</textarea>" in page
    assert snapshot(db)["tasks"] == before["tasks"]
    assert snapshot(db)["assignments"] == before["assignments"]
