"""Turn one incoming message into ledger changes and the bot's reply."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlite_utils import Database

from handlers import issue, progress, secretary, texts, worker  # noqa: F401  (register handlers)
from handlers import binding, photos  # noqa: F401  (register handlers)
from handlers.context import Context, Incoming, Options, Outcome, UserError
from handlers.registry import HANDLERS
from handlers.routing import route
from handlers.team import community_of
from storage import chat, ledger, roster
from storage.errors import IllegalTransition
from storage.models import Group, Person

log = logging.getLogger(__name__)


def dispatch(db: Database, incoming: Incoming, options: Options = Options(),
             handle: Callable[[Context], Outcome] = route) -> Outcome:
    """Handle one message; the ledger changes all together or not at all."""
    person = roster.find_person(db, incoming.sender)
    if person is None:
        return Outcome(texts.UNKNOWN_PERSON.format(who=incoming.sender), "refused")
    group = find_group(db, incoming.group) if incoming.group is not None else None
    if incoming.group is not None and group is None:
        return binding.unbound_chat(db, incoming, person)
    message = _log_in(db, incoming, person, group, options)
    ctx = Context(db, options, incoming, person, group, community_of(db, person), message.id)
    outcome = _run(ctx, handle)
    if outcome.reply:
        chat.record_message(db, incoming.at, "out", outcome.reply, channel=incoming.channel,
                            group_id=group.id if group else None,
                            person_id=None if group else person.id)
    return outcome


def find_group(db: Database, key: str) -> Group | None:
    """Find a group by its name or its WeCom chat id."""
    return roster.find_group(db, key) or roster.find_group_by_chatid(db, key)


def _log_in(db: Database, incoming: Incoming, person: Person, group: Group | None,
            options: Options):
    text = incoming.text
    if len(text) > options.max_text_chars:
        text = text[:options.max_text_chars] + "…"
    return chat.record_message(db, incoming.at, "in", text, group_id=group.id if group else None,
                               person_id=person.id, channel=incoming.channel,
                               external_id=incoming.external_id)


def _run(ctx: Context, handle: Callable[[Context], Outcome]) -> Outcome:
    text = ctx.incoming.text.strip()
    if not text and not ctx.incoming.attachments:
        return Outcome(texts.EMPTY_TEXT, "refused")
    if len(text) > ctx.options.max_text_chars:
        return Outcome(texts.TOO_LONG.format(n=len(text), limit=ctx.options.max_text_chars),
                       "refused")
    return run_handler(ctx, handle)


def run_handler(ctx: Context, handle: Callable[[Context], Outcome], *,
                apology: str = texts.INTERNAL_ERROR,
                unclear: str = texts.INTERNAL_ERROR) -> Outcome:
    """Run a handler atomically; named refusals become their Chinese reply, anything else
    is logged and answered with the fixed apology (unclear: an illegal move of no assignment)."""
    try:
        with ctx.db.atomic():
            return handle(ctx)
    except UserError as e:
        return Outcome(str(e), "refused")
    except IllegalTransition as e:
        return Outcome(_illegal(ctx, e, unclear), "refused")
    except Exception:
        log.exception("handler failed for message %s", ctx.message_id)
        return Outcome(apology, "error")


def _illegal(ctx: Context, error: IllegalTransition, unclear: str) -> str:
    if error.assignment_id is None:
        return unclear
    assignment = ledger.get_assignment(ctx.db, error.assignment_id)
    task = ledger.get_task_by_id(ctx.db, assignment.task_id)
    return texts.ILLEGAL.format(number=task.number,
                                unit=roster.get_unit(ctx.db, assignment.unit_id).name,
                                state=texts.STATE_NAMES[error.state],
                                action=texts.ACTION_NAMES.get(error.action, error.action))


__all__ = ["dispatch", "Incoming", "Options", "Outcome", "HANDLERS"]
