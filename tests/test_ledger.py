"""Every legal and illegal transition of an assignment, and the history they leave."""

from __future__ import annotations

import sqlite3

import pytest

from storage import ledger
from storage.errors import IllegalTransition, NotFound
from storage.ledger import Cause, Target
from tests.conftest import at

T0 = at("2024-11-18 09:00")
DEADLINE = at("2024-11-22 23:59:59")


@pytest.fixture
def task(db, small_roster):
    secretary = small_roster["secretary"]
    targets = [Target(g.id, w.id) for g, w in zip(small_roster["grids"], small_roster["workers"])]
    return ledger.issue_task(db, Cause(secretary.id, T0), community_id=small_roster["community"].id,
                             title="独居老人走访", text="各网格本周五前完成独居老人走访",
                             deadline=DEADLINE, targets=targets)


def first(db, task):
    return ledger.assignments_of(db, task.id)[0]


def cause(person, minutes=60):
    from datetime import timedelta
    return Cause(person.id, T0 + timedelta(minutes=minutes))


def test_tasks_are_numbered_per_community(db, small_roster, task):
    again = ledger.issue_task(db, Cause(None, T0), community_id=small_roster["community"].id,
                              title="t", text="t", deadline=DEADLINE,
                              targets=[Target(small_roster["grids"][0].id, None)])
    assert (task.number, again.number) == (1, 2)
    assert ledger.get_task(db, small_roster["community"].id, 2).title == "t"


def test_issue_opens_one_assignment_per_unit(db, small_roster, task):
    found = ledger.assignments_of(db, task.id)
    assert [a.state for a in found] == ["open"] * 3
    assert [a.deadline for a in found] == [DEADLINE] * 3
    assert [a.handler_id for a in found] == [w.id for w in small_roster["workers"]]


def test_claim_done_accept(db, small_roster, task):
    lina = small_roster["workers"][0]
    a = first(db, task)
    assert ledger.claim(db, a.id, cause(lina, 10)).state == "claimed"
    done = ledger.report_done(db, a.id, cause(lina, 120), "走访12户", ("p1.jpg",))
    assert (done.state, done.done_at) == ("done", T0.replace(hour=11))
    accepted = ledger.accept(db, a.id, cause(small_roster["secretary"], 200))
    assert accepted.state == "accepted" and accepted.accepted_at is not None
    assert [r.kind for r in ledger.reports_of(db, a.id)] == ["done"]
    assert ledger.reports_of(db, a.id)[0].attachments == ("p1.jpg",)


def test_done_without_claim_implies_claim(db, small_roster, task):
    lina = small_roster["workers"][0]
    done = ledger.report_done(db, first(db, task).id, cause(lina), "已完成")
    assert done.claimed_at == done.done_at


def test_progress_claims_and_keeps_note(db, small_roster, task):
    lina = small_roster["workers"][0]
    moved = ledger.report_progress(db, first(db, task).id, cause(lina), "已走访8户，还剩4户")
    assert moved.state == "claimed" and moved.claimed_at is not None
    assert ledger.reports_of(db, moved.id)[0].text == "已走访8户，还剩4户"


def test_return_goes_back_to_claimed(db, small_roster, task):
    lina, sec = small_roster["workers"][0], small_roster["secretary"]
    a = first(db, task)
    ledger.report_done(db, a.id, cause(lina), "已完成")
    back = ledger.return_done(db, a.id, cause(sec, 90), "补照片")
    assert (back.state, back.done_at) == ("claimed", None)
    assert ledger.report_done(db, a.id, cause(lina, 120), "补好了").state == "done"


def test_decline_then_transfer_opens_new_assignment_same_deadline(db, small_roster, task):
    lina, sec = small_roster["workers"][0], small_roster["secretary"]
    a = first(db, task)
    ledger.decline(db, a.id, cause(lina), "不是我们网格的")
    third = small_roster["grids"][2]
    new = ledger.transfer(db, a.id, cause(sec, 90), Target(third.id, None))
    assert ledger.get_assignment(db, a.id).state == "transferred"
    assert (new.unit_id, new.state, new.deadline, new.transferred_from) == \
        (third.id, "open", DEADLINE, a.id)


def test_extend_is_per_assignment(db, small_roster, task):
    a, b = ledger.assignments_of(db, task.id)[:2]
    later = at("2024-11-25 17:00")
    ledger.extend(db, a.id, cause(small_roster["secretary"]), later)
    assert ledger.get_assignment(db, a.id).deadline == later
    assert ledger.get_assignment(db, b.id).deadline == DEADLINE


def test_reassign_changes_handler_and_reopens_declined(db, small_roster, task):
    lina, zhang = small_roster["workers"][:2]
    a = first(db, task)
    ledger.decline(db, a.id, cause(lina), "请安排别人")
    moved = ledger.reassign(db, a.id, cause(small_roster["secretary"]), zhang.id)
    assert (moved.state, moved.handler_id) == ("open", zhang.id)


def test_cancel_closes_everything_not_accepted(db, small_roster, task):
    lina, sec = small_roster["workers"][0], small_roster["secretary"]
    a = first(db, task)
    ledger.report_done(db, a.id, cause(lina), "已完成")
    ledger.accept(db, a.id, cause(sec))
    cancelled = ledger.cancel_task(db, task.id, cause(sec, 100))
    assert len(cancelled) == 2
    assert [x.state for x in ledger.assignments_of(db, task.id)] == \
        ["accepted", "cancelled", "cancelled"]
    with pytest.raises(IllegalTransition):
        ledger.cancel_task(db, task.id, cause(sec, 110))


ILLEGAL = [
    ("open", "accept"), ("open", "return"),
    ("claimed", "claim"), ("claimed", "accept"),
    ("done", "claim"), ("done", "progress"), ("done", "done"), ("done", "decline"),
    ("done", "transfer"), ("done", "extend"),
    ("accepted", "done"), ("accepted", "return"), ("accepted", "accept"),
    ("declined", "claim"), ("declined", "done"), ("declined", "accept"),
    ("transferred", "claim"), ("transferred", "done"), ("transferred", "transfer"),
    ("cancelled", "claim"), ("cancelled", "done"), ("cancelled", "extend"),
]


def bring_to(db, small_roster, task, state):
    lina, sec = small_roster["workers"][0], small_roster["secretary"]
    a = first(db, task)
    steps = {
        "open": [],
        "claimed": [lambda: ledger.claim(db, a.id, cause(lina))],
        "done": [lambda: ledger.report_done(db, a.id, cause(lina), "ok")],
        "accepted": [lambda: ledger.report_done(db, a.id, cause(lina), "ok"),
                     lambda: ledger.accept(db, a.id, cause(sec))],
        "declined": [lambda: ledger.decline(db, a.id, cause(lina), "no")],
        "transferred": [lambda: ledger.transfer(db, a.id, cause(sec),
                                                Target(small_roster["grids"][1].id, None))],
        "cancelled": [lambda: ledger.cancel_task(db, task.id, cause(sec))],
    }[state]
    for step in steps:
        step()
    return ledger.get_assignment(db, a.id)


def attempt(db, small_roster, assignment, action):
    sec = small_roster["secretary"]
    c = cause(sec, 300)
    return {
        "claim": lambda: ledger.claim(db, assignment.id, c),
        "progress": lambda: ledger.report_progress(db, assignment.id, c, "x"),
        "done": lambda: ledger.report_done(db, assignment.id, c, "x"),
        "decline": lambda: ledger.decline(db, assignment.id, c, "x"),
        "accept": lambda: ledger.accept(db, assignment.id, c),
        "return": lambda: ledger.return_done(db, assignment.id, c, "x"),
        "transfer": lambda: ledger.transfer(db, assignment.id, c,
                                            Target(small_roster["grids"][2].id, None)),
        "extend": lambda: ledger.extend(db, assignment.id, c, at("2024-12-01 12:00")),
        "cancel": lambda: ledger.cancel_task(db, assignment.task_id, c),
    }[action]()


def snapshot(db):
    return {t: list(db[t].rows) for t in ("assignments", "events", "reports", "tasks")}


@pytest.mark.parametrize("state,action", ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(db, small_roster, task, state, action):
    assignment = bring_to(db, small_roster, task, state)
    assert assignment.state == state
    before = snapshot(db)
    with pytest.raises(IllegalTransition) as refused:
        attempt(db, small_roster, assignment, action)
    assert refused.value.action == action
    assert snapshot(db) == before


def test_history_records_who_what_when_and_message(db, small_roster, task):
    lina = small_roster["workers"][0]
    a = first(db, task)
    message_id = db["messages"].insert({"at": "2024-11-18T10:00:00+08:00", "direction": "in",
                                        "text": "收到"}).last_pk
    ledger.claim(db, a.id, Cause(lina.id, at("2024-11-18 10:00"), message_id))
    events = ledger.history(db, task.id)
    assert [e.kind for e in events] == ["issued", "assigned", "assigned", "assigned", "claim"]
    last = events[-1]
    assert (last.actor_id, last.at, last.message_id, last.detail["to"]) == \
        (lina.id, at("2024-11-18 10:00"), message_id, "claimed")


def test_history_is_append_only(db, small_roster, task):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("update events set kind = 'x'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("delete from events")


def test_unknown_task_and_assignment(db, small_roster):
    with pytest.raises(NotFound):
        ledger.get_task(db, small_roster["community"].id, 99)
    with pytest.raises(NotFound):
        ledger.get_assignment(db, 99)
