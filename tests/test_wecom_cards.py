"""Task cards: what the card shows in each state, and the keys that bring a click back."""

from __future__ import annotations

import pytest

from bot.wecom import cards
from handlers import buttons, texts
from handlers.context import Incoming
from storage import ledger
from storage.ledger import Cause, Target
from tests.conftest import at


@pytest.fixture
def task(db, small_roster):
    r = small_roster
    return ledger.issue_task(db, Cause(r["secretary"].id, at("2024-11-18 08:40")),
                             community_id=r["community"].id, title="独居老人走访",
                             text="各网格本周五前完成独居老人走访，拍照反馈" * 8,
                             deadline=at("2024-11-22 17:30"),
                             targets=[Target(g.id, w.id) for g, w in
                                      zip(r["grids"], r["workers"])])


def first(db, task):
    return ledger.assignments_of(db, task.id)[0]


def test_an_open_card_offers_all_three_buttons(db, task):
    state = buttons.card_state(db, first(db, task).id)
    key = cards.new_key(state)
    card = cards.task_card(state, key)
    assert card["card_type"] == "button_interaction" and card["task_id"] == key
    assert [(b["text"], b["key"]) for b in card["button_list"]] == [
        ("接单", "claim"), ("办结", "done"), ("查看", "view")]
    assert card["main_title"]["title"] == "任务#1 独居老人走访"
    assert cards.status_line(state) == texts.STATE_NAMES["open"]
    assert len(card["sub_title_text"]) == cards.SUBTITLE_MAX


def test_a_claimed_card_says_who_claimed_it_and_when(db, task, small_roster):
    lina = small_roster["workers"][0]
    ledger.claim(db, first(db, task).id, Cause(lina.id, at("2024-11-18 09:20")))
    state = buttons.card_state(db, first(db, task).id)
    assert cards.status_line(state) == "已由 李娜 接单 11-18 09:20"
    assert [b["key"] for b in cards.task_card(state, "a1-x")["button_list"]] == ["done", "view"]


def test_a_done_card_only_offers_a_look(db, task, small_roster):
    lina = small_roster["workers"][0]
    ledger.report_done(db, first(db, task).id, Cause(lina.id, at("2024-11-19 16:05")), "完成")
    state = buttons.card_state(db, first(db, task).id)
    assert cards.status_line(state) == "已由 李娜 办结 11-19 16:05"
    assert [b["key"] for b in cards.task_card(state, "a1-x")["button_list"]] == ["view"]


def test_keys_are_unique_and_name_their_assignment(db, task):
    state = buttons.card_state(db, first(db, task).id)
    keys = {cards.new_key(state) for _ in range(50)}
    assert len(keys) == 50
    assert {buttons.assignment_of_key(k) for k in keys} == {state.assignment_id}


@pytest.mark.parametrize("key", ["", "a", "x12-abc", "a12", "a12-", "a1-" + "x" * 200,
                                 "a12-ab c", None])
def test_a_key_that_is_not_ours_names_nothing(key):
    assert buttons.assignment_of_key(key) is None


def test_a_click_on_an_unknown_card_changes_nothing(db, task):
    result = buttons.click(db, Incoming("lina", "", at("2024-11-18 10:00")), "a999-x", "claim")
    assert result.card is None and result.outcome.reply == texts.CARD_GONE
    assert first(db, task).state == "open"


def test_a_view_click_shows_the_task_and_records_no_change(db, task, small_roster):
    before = len(ledger.history(db, task.id))
    key = buttons.card_key(first(db, task).id, "v1")
    result = buttons.click(db, Incoming("lina", "", at("2024-11-18 10:00"), "一网格群"), key,
                           "view")
    assert result.outcome.reply.startswith("任务#1 独居老人走访\n")
    assert len(ledger.history(db, task.id)) == before
