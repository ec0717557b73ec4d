"""Dialogue tests through the local channel, on the demo roster: one line per turn."""

from __future__ import annotations

import pytest

from bot.demo import fresh_demo_db
from handlers import texts
from handlers.context import Options
from storage import ledger, roster
from tests.chat import Chat
from tests.conftest import at

BIG = "幸福社区工作群"
MONDAY = at("2024-11-18 08:30")


@pytest.fixture
def chat():
    return Chat(fresh_demo_db(None), MONDAY)


def states(chat, number):
    community = roster.find_units_by_name(chat.db, "幸福社区")[0]
    task = ledger.get_task(chat.db, community.id, number)
    units = {u.id: u.name for u in roster.list_units(chat.db)}
    return {units[a.unit_id]: a.state for a in ledger.assignments_of(chat.db, task.id)}


def task(chat, number):
    community = roster.find_units_by_name(chat.db, "幸福社区")[0]
    return ledger.get_task(chat.db, community.id, number)


def ledger_size(db):
    return {t: db[t].count for t in ("tasks", "assignments", "events", "reports", "outbox")}


# -- issuing -------------------------------------------------------------------

def test_issue_to_all_grids_confirms_and_posts_into_every_grid_group(chat):
    reply = chat.say("wangshuji", BIG, "各网格本周五前完成独居老人走访，拍照反馈")
    assert "任务#1" in reply and "独居老人走访" in reply and "11月22日" in reply
    assert "全部网格（8个）" in reply
    assert task(chat, 1).deadline == at("2024-11-22 23:59:59")
    for group in ["一网格群", "二网格群", "幸福里网格群", "八网格群"]:
        [post] = chat.posts(group)
        assert "任务#1" in post and "独居老人走访" in post
    assert chat.posts("一网格群")[0].startswith("@李娜")


@pytest.mark.parametrize("text,grids,deadline", [
    ("一、三网格明天下午5点前通知到户停水", {"一网格", "三网格"}, "2024-11-19 17:00"),
    ("1网格今天下班前上报重点人员名单", {"一网格"}, "2024-11-18 17:30"),
    ("第二网格11月25日前完成消防通道清理", {"二网格"}, "2024-11-25 23:59:59"),
    ("幸福里网格3个工作日内完成反诈宣传", {"幸福里网格"}, "2024-11-21 23:59:59"),
    ("一二三四网格周三前排查电动车充电", {"一网格", "二网格", "三网格", "四网格"},
     "2024-11-20 23:59:59"),
])
def test_issue_reads_targets_and_deadlines(chat, text, grids, deadline):
    reply = chat.say("wangshuji", BIG, text)
    assert "任务#1" in reply
    assert set(states(chat, 1)) == grids
    assert task(chat, 1).deadline == at(deadline)


def test_issue_to_a_person_names_the_handler(chat):
    reply = chat.say("wangshuji", BIG, "@孙梅 明天中午前把七网格低保户名单报上来")
    assert "孙梅" in reply
    [a] = ledger.assignments_of(chat.db, task(chat, 1).id)
    assert roster.get_person(chat.db, a.handler_id).name == "孙梅"


def test_issue_without_deadline_asks_and_records_nothing(chat):
    before = ledger_size(chat.db)
    assert chat.say("wangshuji", BIG, "各网格完成独居老人走访，拍照反馈") == texts.ASK_DEADLINE
    assert ledger_size(chat.db) == before


def test_issue_without_target_asks(chat):
    reply = chat.say("wangshuji", BIG, "明天下午5点前统计一下独居老人数量")
    assert reply == texts.ASK_TARGETS
    assert chat.db["tasks"].count == 0


def test_issue_with_past_deadline_asks(chat):
    chat.now = at("2024-11-23 10:00")  # Saturday: this week's Friday is gone
    reply = chat.say("wangshuji", BIG, "各网格本周五前完成独居老人走访")
    assert reply.startswith("截止时间") and "已经过了" in reply
    assert chat.db["tasks"].count == 0


def test_issue_in_private_chat_is_confirmed_in_the_big_group(chat):
    reply = chat.say("wangshuji", None, "三网格明天下班前完成楼道杂物清理")
    assert "任务#1" in reply
    assert any("任务#1" in p for p in chat.posts(BIG))
    assert any("任务#1" in p for p in chat.posts("三网格群"))


# -- workers' replies ------------------------------------------------------------

@pytest.fixture
def issued(chat):
    chat.say("wangshuji", BIG, "各网格本周五前完成独居老人走访，拍照反馈")
    return chat


def test_claim_is_recorded_quietly(issued):
    assert issued.say("lina", "一网格群", "收到") is None
    assert states(issued, 1)["一网格"] == "claimed"


def test_claim_can_be_acknowledged_when_configured(chat):
    chat.channel.options = Options(ack_claims=True)
    chat.say("wangshuji", BIG, "各网格本周五前完成独居老人走访，拍照反馈")
    assert chat.say("lina", "一网格群", "收到") == texts.CLAIM_ACK.format(number=1)


def test_progress_keeps_the_note(issued):
    issued.say("lina", "一网格群", "1号已走访8户，还剩4户")
    assert states(issued, 1)["一网格"] == "claimed"
    a = [a for a in ledger.assignments_of(issued.db, 1) if a.handler_id][0]
    assert ledger.reports_of(issued.db, a.id)[0].text == "1号已走访8户，还剩4户"


def test_done_gets_one_short_line_and_roll_up_when_all_done(issued):
    reply = issued.say("lina", "一网格群", "1号已完成，走访12户，照片见上")
    assert reply.startswith("任务#1 一网格 已办结")
    assert states(issued, 1)["一网格"] == "done"
    assert not any("全部办结" in p for p in issued.posts(BIG))
    for who, group in [("zhangwei", "二网格群"), ("liuyang", "三网格群"), ("chenjing", "四网格群"),
                       ("yangfan", "幸福里网格群"), ("zhaolei", "六网格群"), ("sunmei", "七网格群"),
                       ("zhouqiang", "八网格群")]:
        issued.say(who, group, "已完成")
    assert issued.posts(BIG)[-1] == texts.ALL_DONE.format(number=1, title="独居老人走访", n=8)
    assert sum("全部办结" in p for p in issued.posts(BIG)) == 1


def test_building_leader_reports_progress_for_the_grid(issued):
    issued.say("wudaye", "一网格群", "3号楼通知完了")
    assert states(issued, 1)["一网格"] == "claimed"


def test_decline_tells_the_secretary(issued):
    reply = issued.say("lina", "一网格群", "1号不是我们网格的")
    assert "已退单" in reply
    assert states(issued, 1)["一网格"] == "declined"
    assert any("退单" in p and "李娜" in p for p in issued.posts(BIG))


def test_ambiguous_reply_gets_a_question_then_the_answer_applies(issued):
    issued.say("wangshuji", BIG, "一网格明天下班前上报消防隐患台账")
    reply = issued.say("lina", "一网格群", "已完成")
    assert "哪个任务" in reply and "#1" in reply and "#2" in reply
    assert states(issued, 1)["一网格"] == "open" and states(issued, 2)["一网格"] == "open"
    issued.say("lina", "一网格群", "2号")
    assert states(issued, 2)["一网格"] == "done"
    assert states(issued, 1)["一网格"] == "open"


def test_ambiguous_reply_resolved_by_title_keywords(issued):
    issued.say("wangshuji", BIG, "一网格明天下班前上报消防隐患台账")
    issued.say("lina", "一网格群", "消防隐患台账已上报完成")
    assert states(issued, 2)["一网格"] == "done"
    assert states(issued, 1)["一网格"] == "open"


# -- secretary commands ------------------------------------------------------------

def test_transfer_moves_a_declined_assignment(issued):
    issued.say("lina", "一网格群", "不是我们网格的")
    reply = issued.say("wangshuji", BIG, "1号转四网格")
    assert "转办给四网格" in reply
    assert states(issued, 1)["一网格"] == "transferred"
    assert any("转办" in p for p in issued.posts("四网格群"))


def test_reassign_to_a_person(issued):
    issued.say("zhouqiang", "八网格群", "请安排别人")
    reply = issued.say("wangshuji", BIG, "1号改派孙梅")
    assert "孙梅" in reply


def test_extend_one_grid(issued):
    reply = issued.say("wangshuji", BIG, "1号三网格延期到11月25日")
    assert "延至" in reply
    found = {roster.get_unit(issued.db, a.unit_id).name: a.deadline
             for a in ledger.assignments_of(issued.db, 1)}
    assert found["三网格"] == at("2024-11-25 23:59:59")
    assert found["一网格"] == at("2024-11-22 23:59:59")


def test_return_and_accept(issued):
    issued.say("zhouqiang", "八网格群", "已完成")
    reply = issued.say("wangshuji", BIG, "1号八网格退回，补照片")
    assert "退回" in reply and "补照片" in reply
    assert states(issued, 1)["八网格"] == "claimed"
    assert any("补照片" in p for p in issued.posts("八网格群"))
    issued.say("zhouqiang", "八网格群", "照片补好了，已完成")
    assert "已验收" in issued.say("wangshuji", BIG, "1号验收")
    assert states(issued, 1)["八网格"] == "accepted"


def test_cancel(issued):
    assert "已撤回" in issued.say("wangshuji", BIG, "1号撤回")
    assert set(states(issued, 1).values()) == {"cancelled"}
    assert any("撤回" in p for p in issued.posts("一网格群"))


def test_progress_queries(issued):
    issued.say("lina", "一网格群", "已完成")
    one = issued.say("wangshuji", BIG, "1号进度")
    assert "一网格：已办结" in one and "二网格：待接单" in one
    everything = issued.say("wangshuji", BIG, "进度")
    assert "#1 独居老人走访：已办结 1/8" in everything


def test_help(chat):
    assert chat.say("wangshuji", BIG, "帮助") == texts.HELP


# -- authorization and bad input ------------------------------------------------------

def test_worker_cannot_issue_or_command(issued):
    before = ledger_size(issued.db)
    assert issued.say("lina", "一网格群", "1号撤回") == \
        texts.SECRETARY_ONLY.format(action="撤回")
    assert ledger_size(issued.db) == before


def test_worker_cannot_act_on_another_grids_task(issued):
    issued.say("wangshuji", BIG, "二网格明天下班前上报消防隐患台账")
    before = ledger_size(issued.db)
    reply = issued.say("lina", "一网格群", "2号已完成")
    assert reply == texts.NOT_YOUR_TASK.format(number=2, action="办结")
    assert ledger_size(issued.db) == before


@pytest.mark.parametrize("who,group,text,expected", [
    ("nobody", BIG, "收到", texts.UNKNOWN_PERSON.format(who="nobody")),
    ("lina", "不存在的群", "收到", texts.UNKNOWN_GROUP.format(group="不存在的群")),
    ("lina", "一网格群", "   ", texts.EMPTY_TEXT),
    ("lina", "一网格群", "99号已完成", texts.TASK_NOT_FOUND.format(number=99)),
])
def test_bad_input_gets_a_clear_answer_and_changes_nothing(issued, who, group, text, expected):
    before = ledger_size(issued.db)
    assert issued.say(who, group, text) == expected
    assert ledger_size(issued.db) == before


def test_ten_kilobytes_of_text_is_refused(issued):
    before = ledger_size(issued.db)
    reply = issued.say("wangshuji", BIG, "各网格本周五前完成走访" + "啊" * 10_000)
    assert reply.startswith("消息太长了")
    assert ledger_size(issued.db) == before


@pytest.mark.parametrize("text", ["👍👍👍", "🙏", "[强]"])
def test_emoji_only_is_quiet_and_changes_nothing(issued, text):
    before = ledger_size(issued.db)
    assert issued.say("lina", "一网格群", text) is None
    assert ledger_size(issued.db) == before
