"""What a handler gets: the incoming message, who said it, where, and the options."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from storage.ledger import Cause
from storage.models import Group, Person, Unit


class UserError(Exception):
    """An expected failure whose message is the Chinese reply; nothing was changed."""


@dataclass(frozen=True)
class Options:
    """The handler-side settings (built by bot/ from the config file)."""
    ack_claims: bool = False
    off_work: str = "17:30"
    default_deadline_days: int = 0
    max_text_chars: int = 2000
    calendar: Any = None  # handlers.workdays.WorkCalendar; None = the official calendar
    personal_cards: bool = False  # queue a task card to each handler (the app channel can send it)


@dataclass(frozen=True)
class Incoming:
    """A message as a channel hands it over: sender and group by name, userid or chat id."""
    sender: str
    text: str
    at: dt.datetime
    group: str | None = None
    channel: str = "local"
    external_id: str | None = None
    quoted_task: int | None = None
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    db: Database
    options: Options
    incoming: Incoming
    person: Person
    group: Group | None
    community: Unit | None
    message_id: int

    @property
    def now(self) -> dt.datetime:
        return self.incoming.at

    @property
    def cause(self) -> Cause:
        return Cause(self.person.id, self.incoming.at, self.message_id)

    @property
    def text(self) -> str:
        return self.incoming.text


@dataclass(frozen=True)
class Outcome:
    """What the bot answers in the chat where the message was said (None: stay quiet)."""
    reply: str | None
    intent: str = "other"
    task_numbers: tuple[int, ...] = field(default=())
