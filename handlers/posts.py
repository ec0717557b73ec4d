"""Queue the bot's proactive posts into group chats through the outbox."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from handlers import texts
from handlers.context import Context
from storage import outbox, roster
from storage.models import Assignment, Person, Task


def post_to_unit(db: Database, at: dt.datetime, unit_id: int, kind: str, text: str, *,
                 mention: tuple[Person, ...] = (), task_id: int | None = None) -> bool:
    """Post into the group chat that serves a unit; False when the unit has no group."""
    group = roster.group_of_unit(db, unit_id)
    if group is None:
        return False
    outbox.enqueue(db, at, kind, text, group_id=group.id, task_id=task_id,
                   mentions=tuple(p.userid for p in mention))
    return True


def post_to_community(db: Database, at: dt.datetime, community_id: int, kind: str, text: str,
                      *, task_id: int | None = None, mention: tuple[Person, ...] = ()) -> bool:
    """Post into the community's big group."""
    return post_to_unit(db, at, community_id, kind, text, task_id=task_id, mention=mention)


def card_to_handler(ctx: Context, task: Task, assignment: Assignment) -> bool:
    """Queue a personal task card (接单 / 办结) to the assignment's handler, when the options
    ask for one and the assignment has a handler; the app channel draws and sends it."""
    if not ctx.options.personal_cards or assignment.handler_id is None:
        return False
    text = texts.PERSONAL_CARD.format(number=task.number, title=task.title,
                                      when=texts.when(assignment.deadline))
    outbox.enqueue(ctx.db, ctx.now, outbox.TASK_CARD_KIND, text, person_id=assignment.handler_id,
                   task_id=task.id, payload={"assignment_id": assignment.id})
    return True


def handler_of(db: Database, handler_id: int | None) -> tuple[Person, ...]:
    return (roster.get_person(db, handler_id),) if handler_id else ()
