"""The outbox sender against the fake WeCom: pacing, outages, crashes, parking, splitting."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest

from bot import clock as wall_clock
from bot.cli import main
from bot.wecom.client import WeComClient
from bot.wecom.fake import FakeWeCom
from bot.wecom.sender import Sender
from bot.wecom.webhook import webhook_send, with_mentions
from handlers import texts
from handlers.context import Incoming
from handlers.dispatch import dispatch
from storage import chat, outbox, roster
from storage.db import open_db
from tests.conftest import Clock


class Crash(BaseException):
    """The process dies here (BaseException: nothing in the sender may catch it)."""


@pytest.fixture
def path(tmp_path):
    return tmp_path / "gridbot.db"


@pytest.fixture
def db(path, fake):
    """A ledger file holding 幸福社区 with three grids; every group has a webhook."""
    db = open_db(path)
    community = roster.add_unit(db, "幸福社区", "community")
    roster.add_person(db, "王书记", "wangshuji", ("secretary",), community.id)
    roster.add_group(db, "幸福社区工作群", "big", community.id,
                     webhook_url=fake.webhook_url("big"))
    for n, (name, userid) in enumerate([("李娜", "lina"), ("张伟", "zhangwei"),
                                        ("刘洋", "liuyang")], start=1):
        grid = roster.add_unit(db, f"{'一二三'[n - 1]}网格", "grid", community.id, n)
        roster.add_person(db, name, userid, ("grid_worker",), grid.id)
        roster.add_group(db, f"{grid.name}群", "small", grid.id,
                         webhook_url=fake.webhook_url(f"grid{n}"))
    return db


def group(db, name: str) -> int:
    return roster.find_group(db, name).id


def person(db, userid: str) -> int:
    return roster.find_person(db, userid).id


def drain(sender: Sender, clock: Clock, until: dt.datetime | None = None) -> list:
    """Drain until nothing is left (or until a time), moving the clock to each next_at."""
    results = []
    for _ in range(10_000):
        result = sender.drain_once()
        results.append(result)
        if result.next_at is None or (until and result.next_at >= until):
            if until:
                clock.moment = until
            return results
        clock.moment = max(clock.moment, result.next_at)
    raise AssertionError("the outbox never drained")


def contents(fake: FakeWeCom, key: str) -> list[str]:
    return [body["markdown"]["content"] for body in fake.webhook_posts(key)]


def test_an_issued_task_reaches_each_grid_group_mentioning_its_worker(db, fake, client, clock):
    dispatch(db, Incoming("wangshuji", "各网格本周五前完成独居老人走访，拍照反馈", clock(),
                          group="幸福社区工作群"))
    drain(Sender(db, client, now=clock), clock)
    for n, userid in enumerate(["lina", "zhangwei", "liuyang"], start=1):
        [post] = contents(fake, f"grid{n}")
        assert post.startswith(f"<@{userid}>\n【新任务】任务#1")
    assert outbox.counts(db)["sent"] == 3
    logged = chat.group_messages(db, group(db, "一网格群"))
    assert logged[-1].direction == "out" and logged[-1].text.startswith("【新任务】任务#1")


def test_a_personal_item_goes_as_an_app_text_message(db, fake, client, clock):
    outbox.enqueue(db, clock(), "remind", "任务#1 明天截止，请抓紧。", person_id=person(db, "lina"))
    drain(Sender(db, client, now=clock), clock)
    [message] = fake.app_messages("lina")
    assert message["text"]["content"] == "任务#1 明天截止，请抓紧。"
    assert message["enable_duplicate_check"] == 1


def test_a_webhook_is_paced_at_twenty_a_minute_so_wecom_never_refuses(db, fake, client, clock):
    start = clock()
    for n in range(45):
        outbox.enqueue(db, start, "notice", f"第{n}条", group_id=group(db, "一网格群"))
    results = drain(Sender(db, client, now=clock), clock)
    assert sum(r.retried for r in results) == 0  # never a 45009
    posts = [r for r in fake.received if r.path == "webhook/send"]
    assert [r.body["markdown"]["content"] for r in posts] == [f"第{n}条" for n in range(45)]
    assert all(posts[i].at - posts[i - 20].at >= dt.timedelta(seconds=60)
               for i in range(20, 45))
    assert posts[-1].at - start == dt.timedelta(seconds=120)  # the least the limit allows


def test_a_45009_burst_from_someone_else_is_retried_a_minute_later(db, fake, client, clock):
    url = fake.webhook_url("grid1")
    for n in range(20):  # another tool used the group's whole minute
        webhook_send(url, {"msgtype": "markdown", "markdown": {"content": f"别处{n}"}})
    for n in range(5):
        outbox.enqueue(db, clock(), "notice", f"第{n}条", group_id=group(db, "一网格群"))
    results = drain(Sender(db, client, now=clock), clock)
    assert sum(r.retried for r in results) == 1
    assert contents(fake, "grid1")[20:] == [f"第{n}条" for n in range(5)]
    assert outbox.counts(db)["sent"] == 5
    assert {d.attempts for d in outbox.deliveries(db, ("sent",))} == {0}


def test_a_ten_minute_outage_delays_but_loses_nothing(db, fake, client, clock):
    start = clock()
    for name in ("一网格群", "二网格群", "三网格群"):
        outbox.enqueue(db, start, "announce", f"【新任务】{name}", group_id=group(db, name))
    outbox.enqueue(db, start, "remind", "请接单", person_id=person(db, "lina"))
    fake.outage(True)
    back = start + dt.timedelta(minutes=10)
    sender = Sender(db, client, now=clock)
    drain(sender, clock, until=back)
    assert fake.received == [] and outbox.counts(db)["pending"] == 4
    assert {d.attempts for d in outbox.deliveries(db, ("pending",))} == {0}
    fake.outage(False)
    drain(sender, clock)
    assert outbox.counts(db) == {"pending": 0, "sending": 0, "sent": 4, "parked": 0}
    assert [len(contents(fake, f"grid{n}")) for n in (1, 2, 3)] == [1, 1, 1]
    assert len(fake.app_messages("lina")) == 1
    assert all(back <= r.at <= back + dt.timedelta(seconds=60) for r in fake.received
               if r.path != "gettoken")


def test_a_sender_stopped_mid_fanout_resumes_and_keeps_to_the_limit(db, path, fake, client,
                                                                    clock):
    for n in range(25):
        outbox.enqueue(db, clock(), "notice", f"第{n}条", group_id=group(db, "一网格群"))
    for n in range(5):
        outbox.enqueue(db, clock(), "notice", f"第{n}条", group_id=group(db, "二网格群"))
    first = Sender(open_db(path), client, now=clock)
    for _ in range(20):  # twenty passes, then the process is gone
        first.drain_once()
    assert len(contents(fake, "grid1")) == 20
    again = Sender(open_db(path), client, now=clock)  # a new process: nothing in memory
    results = drain(again, clock)
    assert sum(r.retried for r in results) == 0  # it knew the minute was used up
    assert contents(fake, "grid1") == [f"第{n}条" for n in range(25)]
    assert contents(fake, "grid2") == [f"第{n}条" for n in range(5)]
    assert outbox.counts(db)["sent"] == 30


def crash_after(send, calls: int, *, before: bool = False):
    """Wrap a send function: the process dies on call number `calls` (before or after it)."""
    count = 0

    def wrapped(*args, **kwargs):
        nonlocal count
        count += 1
        if count == calls and before:
            raise Crash()
        answer = send(*args, **kwargs)
        if count == calls:
            raise Crash()  # WeCom has it; the sender never learns
        return answer
    return wrapped


def test_a_crash_after_a_webhook_answered_neither_resends_nor_hides_it(db, path, fake, client,
                                                                      clock):
    for n in range(3):
        for name in ("一网格群", "二网格群"):
            outbox.enqueue(db, clock(), "notice", f"{name}第{n}条", group_id=group(db, name))
    dying = Sender(open_db(path), client, now=clock, webhook=crash_after(webhook_send, 4))
    with pytest.raises(Crash):
        drain(dying, clock)
    drain(Sender(open_db(path), client, now=clock), clock)
    assert contents(fake, "grid1") == [f"一网格群第{n}条" for n in range(3)]
    assert contents(fake, "grid2") == [f"二网格群第{n}条" for n in range(3)]
    [unsure] = outbox.deliveries(db, ("parked",))
    assert unsure.last_error == texts.OUTBOX_UNSURE.format(to="群“二网格群”", id=unsure.id)
    assert unsure.text == "二网格群第1条"  # the one in flight: delivered once, asked about
    assert main(["outbox", "retry", "--db", str(path)]) == 0  # a blanket retry leaves it alone
    assert outbox.deliveries(db, ("parked",)) == [unsure]
    assert main(["outbox", "done", str(unsure.id), "--db", str(path)]) == 0  # seen in the group
    assert outbox.counts(db) == {"pending": 0, "sending": 0, "sent": 6, "parked": 0}
    drain(Sender(open_db(path), client, now=clock), clock)
    assert contents(fake, "grid2") == [f"二网格群第{n}条" for n in range(3)]  # still once


@pytest.mark.parametrize("before", [False, True], ids=["after-answer", "before-request"])
def test_a_crash_mid_app_message_is_resent_and_wecom_keeps_one_copy(db, path, fake, client,
                                                                   clock, before):
    for n in range(4):
        outbox.enqueue(db, clock(), "remind", f"提醒{n}", person_id=person(db, "lina"))
    dying_client = WeComClient(fake.corp_id, fake.secret, 1000002, fake.base_url, now=clock)
    dying_client.send_message = crash_after(dying_client.send_message, 2, before=before)
    with pytest.raises(Crash):
        drain(Sender(open_db(path), dying_client, now=clock), clock)
    drain(Sender(open_db(path), client, now=clock), clock)
    assert [m["text"]["content"] for m in fake.app_messages("lina")] == \
        [f"提醒{n}" for n in range(4)]
    assert outbox.counts(db) == {"pending": 0, "sending": 0, "sent": 4, "parked": 0}


def test_a_post_that_keeps_failing_is_parked_listed_and_requeued(db, path, fake, client,
                                                                 clock, capsys):
    broken = roster.add_group(db, "二网格群", "small", roster.find_group(db, "二网格群").unit_id,
                              webhook_url=fake.webhook_url("x").replace("key=x", "key=gone"))
    outbox.enqueue(db, clock(), "announce", "【新任务】任务#7 消防检查", group_id=broken.id)
    results = drain(Sender(db, client, now=clock), clock)
    assert sum(r.parked for r in results) == 1
    [parked] = outbox.deliveries(db, ("parked",))
    assert parked.attempts == 5 and "93000" in parked.last_error

    assert main(["outbox", "--db", str(path)]) == 0
    shown = capsys.readouterr().out
    assert texts.OUTBOX_SUMMARY.format(pending=0, sending=0, sent=0, parked=1) in shown
    assert f"#{parked.id} {texts.OUTBOX_STATE_NAMES['parked']}" in shown
    assert "任务#7 消防检查" in shown and texts.OUTBOX_PARKED_HINT in shown

    assert main(["roster", "webhook", "二网格群", "not a url", "--db", str(path)]) == 2
    assert main(["roster", "webhook", "二网格群", fake.webhook_url("g2"), "--db", str(path)]) == 0
    assert texts.WEBHOOK_SET.format(group="二网格群") in capsys.readouterr().out
    assert main(["outbox", "retry", "--db", str(path)]) == 0
    assert texts.OUTBOX_REQUEUED.format(n=1) in capsys.readouterr().out
    clock.moment = wall_clock.now()  # the command queued it for now
    drain(Sender(db, client, now=clock, quiet_seconds=0), clock)
    assert contents(fake, "g2") == ["【新任务】任务#7 消防检查"]


def test_a_group_without_a_webhook_is_parked_with_its_name_and_the_rest_go(db, fake, client,
                                                                          clock):
    community = roster.find_group(db, "幸福社区工作群").unit_id
    grid = roster.add_unit(db, "四网格", "grid", community, 4)
    bare = roster.add_group(db, "四网格群", "small", grid.id)
    outbox.enqueue(db, clock(), "announce", "【新任务】四", group_id=bare.id)
    outbox.enqueue(db, clock(), "announce", "【新任务】一", group_id=group(db, "一网格群"))
    drain(Sender(db, client, now=clock), clock)
    [parked] = outbox.deliveries(db, ("parked",))
    assert parked.last_error == texts.OUTBOX_NO_WEBHOOK.format(group="四网格群")
    assert contents(fake, "grid1") == ["【新任务】一"]


def test_a_long_post_goes_in_parts_of_at_most_4096_bytes_in_order(db, fake, client, clock):
    text = "\n".join(f"{n}号楼 已走访 {n} 户，独居老人情况正常，已拍照留存。" for n in range(80))
    outbox.enqueue(db, clock(), "summary", text, group_id=group(db, "一网格群"),
                   mentions=("lina",))
    drain(Sender(db, client, now=clock), clock)
    parts = contents(fake, "grid1")
    assert len(parts) == 2 and all(len(p.encode()) <= 4096 for p in parts)
    assert "\n".join(parts) == with_mentions(text, ("lina",))
    [sent] = outbox.deliveries(db, ("sent",))
    assert sent.parts_sent == 2


def test_nothing_goes_out_in_the_first_seconds_of_the_hour(db, fake, client, clock):
    clock.moment = clock.moment.replace(hour=9, minute=0, second=1)
    outbox.enqueue(db, clock(), "notice", "早上好", group_id=group(db, "一网格群"))
    sender = Sender(db, client, now=clock)
    result = sender.drain_once()
    assert result.requests == 0 and result.next_at == clock().replace(second=3)
    clock.moment = result.next_at
    assert sender.drain_once().requests == 1


def test_a_summary_chart_reaches_the_group_as_an_image(db, fake, client, clock, tmp_path):
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n a chart")
    outbox.enqueue(db, clock(), outbox.CHART_KIND, str(png), group_id=group(db, "幸福社区工作群"))
    drain(Sender(db, client, now=clock), clock)
    [body] = fake.webhook_posts("big")
    assert body["msgtype"] == "image"
    assert base64.b64decode(body["image"]["base64"]) == png.read_bytes()
    assert body["image"]["md5"] == hashlib.md5(png.read_bytes()).hexdigest()


def test_a_chart_whose_file_is_gone_is_parked_not_lost(db, fake, client, clock, tmp_path):
    outbox.enqueue(db, clock(), outbox.CHART_KIND, str(tmp_path / "gone.png"),
                   group_id=group(db, "幸福社区工作群"))
    drain(Sender(db, client, now=clock), clock)
    assert fake.webhook_posts("big") == []
    assert outbox.counts(db)["parked"] == 1


def test_a_card_update_redraws_the_clicked_card_once(db, fake, client, clock):
    code = fake.issue_response_code()
    card = {"card_type": "button_interaction", "main_title": {"title": "任务#1"}}
    outbox.enqueue(db, clock(), outbox.CARD_UPDATE_KIND, "已由 李娜 接单",
                   person_id=person(db, "lina"),
                   payload={"userids": ["lina"], "response_code": code, "template_card": card})
    drain(Sender(db, client, now=clock), clock)
    [update] = [r for r in fake.received if r.path == "message/update_template_card"]
    assert update.body["response_code"] == code and update.body["template_card"] == card
    assert not [r for r in fake.received if r.path == "message/send"]
