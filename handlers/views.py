"""Read-only views of the ledger for the CLI, the JSON API and the simulator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from handlers import texts
from storage import chat, ledger, roster
from storage.models import Message, from_text, to_text


@dataclass(frozen=True)
class LedgerRow:
    task: int
    title: str
    unit: str
    handler: str | None
    state: str
    state_name: str
    claimed_at: str | None
    done_at: str | None
    deadline: str
    overdue: bool


def ledger_rows(db: Database, now: dt.datetime) -> list[LedgerRow]:
    """Return every assignment, by task number then grid order, with overdue as of now."""
    names = {p.id: p.name for p in roster.list_people(db)}
    units = {u.id: u.name for u in roster.list_units(db)}
    tasks = {t.id: t for t in ledger.list_tasks(db)}
    rows = []
    for a in ledger.all_assignments(db):  # in the order they were made: grid order per task
        task = tasks[a.task_id]
        rows.append(LedgerRow(task.number, task.title, units[a.unit_id], names.get(a.handler_id),
                              a.state, texts.STATE_NAMES[a.state], to_text(a.claimed_at),
                              to_text(a.done_at), to_text(a.deadline), a.is_overdue(now)))
    return sorted(rows, key=lambda r: r.task)


@dataclass(frozen=True)
class ChatLine:
    id: int
    at: str
    group: str | None
    person: str | None  # the userid whose 1:1 chat this is; None in a group
    sender: str
    text: str
    from_bot: bool


def chat_lines(db: Database, messages: list[Message]) -> list[ChatLine]:
    """Name the group and the sender of each message ("网格派单助手" for the bot)."""
    groups = {g.id: g.name for g in roster.list_groups(db)}
    people = {p.id: p for p in roster.list_people(db)}
    lines = []
    for m in messages:
        person = people.get(m.person_id)
        sender = texts.BOT_NAME if m.direction == "out" else (person.name if person else "?")
        private = person.userid if person and m.group_id is None else None
        lines.append(ChatLine(m.id, to_text(m.at), groups.get(m.group_id), private, sender,
                              m.text, m.direction == "out"))
    return lines


def all_chat(db: Database, after_id: int = 0) -> list[ChatLine]:
    return chat_lines(db, chat.messages_after(db, after_id))


def group_chat(db: Database, group_id: int, after_id: int = 0) -> list[ChatLine]:
    return chat_lines(db, chat.group_messages(db, group_id, after_id))


def direct_chat(db: Database, person_id: int, after_id: int = 0) -> list[ChatLine]:
    return chat_lines(db, chat.direct_messages(db, person_id, after_id))


@dataclass(frozen=True)
class HistoryLine:
    at: str
    actor: str | None
    kind: str
    kind_name: str
    unit: str | None
    summary: str
    detail: dict


def task_history(db: Database, task_id: int) -> list[HistoryLine]:
    """Return the task's events, each with a one-line Chinese summary naming people and units."""
    names = {p.id: p.name for p in roster.list_people(db)}
    units = {u.id: u.name for u in roster.list_units(db)}
    assignment_units = {a.id: a.unit_id for a in ledger.assignments_of(db, task_id)}
    return [HistoryLine(to_text(e.at), names.get(e.actor_id), e.kind,
                        texts.EVENT_NAMES.get(e.kind, e.kind),
                        units.get(assignment_units.get(e.assignment_id)),
                        _summary(e.kind, e.detail, names, units), e.detail)
            for e in ledger.history(db, task_id)]


def _summary(kind: str, detail: dict, names: dict, units: dict) -> str:
    """Say what an event changed, in the words of texts.EVENT_SUMMARIES."""
    template = texts.EVENT_SUMMARIES.get(kind, "")
    values = {
        "title": detail.get("title", ""), "text": detail.get("text", ""),
        "reason": detail.get("reason", ""),
        "unit": units.get(detail.get("unit_id") or detail.get("to_unit_id"), ""),
        "who": names.get(detail.get("handler_id"), ""),
        "handler": f"（{names[detail['handler_id']]}）" if detail.get("handler_id") in names else "",
        "deadline": _when(detail.get("deadline")),
        "from_state": texts.STATE_NAMES.get(detail.get("from"), ""),
    }
    return template.format(**values)


def _when(text: str | None) -> str:
    return texts.when(from_text(text)) if text else ""
