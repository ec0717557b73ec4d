"""Small frozen dataclasses: rows never leave storage/ as dicts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")

ROLES = ("secretary", "grid_worker", "building_leader", "volunteer")
UNIT_KINDS = ("street", "community", "grid", "building")
GROUP_KINDS = ("big", "small")


def to_text(moment: dt.datetime | None) -> str | None:
    """Store an aware datetime as ISO text in Asia/Shanghai, refusing naive ones.

    One zone and whole seconds keep the text sortable, so SQL can compare it.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the ledger stores aware times only")
    return moment.astimezone(ZONE).isoformat(timespec="seconds")


def from_text(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str
    parent_id: int | None
    ordinal: int | None

    @classmethod
    def from_row(cls, row: dict) -> Unit:
        return cls(row["id"], row["name"], row["kind"], row["parent_id"], row["ordinal"])


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    userid: str
    roles: tuple[str, ...]
    unit_id: int | None
    phone: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> Person:
        roles = tuple(r for r in row["roles"].split(",") if r)
        return cls(row["id"], row["name"], row["userid"], roles, row["unit_id"], row["phone"])

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_secretary(self) -> bool:
        return "secretary" in self.roles


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    kind: str
    unit_id: int
    chatid: str | None
    webhook_url: str | None

    @classmethod
    def from_row(cls, row: dict) -> Group:
        return cls(row["id"], row["name"], row["kind"], row["unit_id"], row["chatid"],
                   row["webhook_url"])

    @property
    def is_big(self) -> bool:
        return self.kind == "big"


@dataclass(frozen=True)
class Task:
    id: int
    community_id: int
    number: int
    title: str
    text: str
    issuer_id: int | None
    issued_at: dt.datetime
    deadline: dt.datetime
    target_unit_ids: tuple[int, ...]
    state: str

    @classmethod
    def from_row(cls, row: dict) -> Task:
        return cls(row["id"], row["community_id"], row["number"], row["title"], row["text"],
                   row["issuer_id"], from_text(row["issued_at"]), from_text(row["deadline"]),
                   tuple(json.loads(row["targets"] or "[]")), row["state"])


@dataclass(frozen=True)
class Assignment:
    id: int
    task_id: int
    unit_id: int
    handler_id: int | None
    state: str
    deadline: dt.datetime
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    done_at: dt.datetime | None
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    transferred_from: int | None

    @classmethod
    def from_row(cls, row: dict) -> Assignment:
        return cls(row["id"], row["task_id"], row["unit_id"], row["handler_id"], row["state"],
                   from_text(row["deadline"]), from_text(row["created_at"]),
                   from_text(row["claimed_at"]), from_text(row["done_at"]),
                   from_text(row["accepted_at"]), from_text(row["closed_at"]),
                   row["transferred_from"])

    def is_overdue(self, now: dt.datetime) -> bool:
        """Late: past its deadline and not done, or done after it."""
        if self.state in ("cancelled", "transferred", "declined"):
            return False
        finished = self.done_at if self.state in ("done", "accepted") else None
        return (finished or now) > self.deadline


@dataclass(frozen=True)
class Report:
    id: int
    assignment_id: int
    kind: str
    at: dt.datetime
    author_id: int | None
    text: str
    attachments: tuple[str, ...]

    @classmethod
    def from_row(cls, row: dict) -> Report:
        return cls(row["id"], row["assignment_id"], row["kind"], from_text(row["at"]),
                   row["author_id"], row["text"], tuple(json.loads(row["attachments"] or "[]")))


@dataclass(frozen=True)
class Event:
    id: int
    at: dt.datetime
    task_id: int
    assignment_id: int | None
    actor_id: int | None
    kind: str
    detail: dict
    message_id: int | None

    @classmethod
    def from_row(cls, row: dict) -> Event:
        return cls(row["id"], from_text(row["at"]), row["task_id"], row["assignment_id"],
                   row["actor_id"], row["kind"], json.loads(row["detail"] or "{}"),
                   row["message_id"])


@dataclass(frozen=True)
class Message:
    id: int
    at: dt.datetime
    direction: str
    group_id: int | None
    person_id: int | None
    text: str

    @classmethod
    def from_row(cls, row: dict) -> Message:
        return cls(row["id"], from_text(row["at"]), row["direction"], row["group_id"],
                   row["person_id"], row["text"])


@dataclass(frozen=True)
class OutboxItem:
    id: int
    created_at: dt.datetime
    kind: str
    group_id: int | None
    person_id: int | None
    text: str
    mentions: tuple[str, ...]
    state: str
    attempts: int
    task_id: int | None

    @classmethod
    def from_row(cls, row: dict) -> OutboxItem:
        return cls(row["id"], from_text(row["created_at"]), row["kind"], row["group_id"],
                   row["person_id"], row["text"], tuple(json.loads(row["mentions"] or "[]")),
                   row["state"], row["attempts"], row["task_id"])
