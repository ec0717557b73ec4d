"""Secretary actions from the web console, through the same handlers as chat commands."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from handlers import dispatch as _dispatch
from handlers import texts
from handlers.context import Context, Incoming, Options, Outcome, UserError
from handlers.issue import grid_refs, looks_like_task, person_refs
from handlers.reading import Command, read_command
from handlers.registry import HANDLERS
from handlers.team import community_of
from storage import chat, ledger
from storage.models import Person
ACTIONS = ("accept", "return", "extend", "transfer", "cancel")
CHANNEL = "console"


def run_command(db: Database, options: Options, person: Person, command: Command,
                at: dt.datetime, *, unit: str = "",
                expect: tuple[int, str] | None = None) -> Outcome:
    """Run a secretary command as chat would: logged, all or nothing, refusals in Chinese.

    expect (assignment id, state) guards against a stale page: unless that assignment ends
    in that state, the change is rolled back.
    """
    if command.action not in ACTIONS or not person.is_secretary:
        return Outcome(texts.CONSOLE_SECRETARY_ONLY, "refused")
    community = community_of(db, person)
    if community is None:
        return Outcome(texts.NO_COMMUNITY, "refused")
    said = texts.CONSOLE_COMMAND_LOG[command.action].format(
        number=command.task, unit=unit, reason=command.reason,
        when=texts.when(command.deadline) if command.deadline else "")
    message = chat.record_message(db, at, "in", said, person_id=person.id, channel=CHANNEL)
    ctx = Context(db, options, Incoming(person.userid, said, at, channel=CHANNEL), person,
                  None, community, message.id)
    outcome = _run(ctx, command, expect)
    if outcome.reply:
        chat.record_message(db, at, "out", outcome.reply, person_id=person.id, channel=CHANNEL)
    return outcome


def _run(ctx: Context, command: Command, expect: tuple[int, str] | None) -> Outcome:
    def handle(ctx: Context) -> Outcome:
        outcome = HANDLERS[command.action](ctx, command)
        if expect and ledger.get_assignment(ctx.db, expect[0]).state != expect[1]:
            raise UserError(texts.CONSOLE_STALE)  # the page was stale: undo everything
        return outcome
    return _dispatch.run_handler(ctx, handle, apology=texts.CONSOLE_ERROR,
                                 unclear=texts.CONSOLE_STALE)


def issue_task(db: Database, options: Options, person: Person, text: str,
               at: dt.datetime) -> Outcome:
    """Issue a task from the console's form as if the secretary said it to the bot."""
    if not person.is_secretary:
        return Outcome(texts.CONSOLE_SECRETARY_ONLY, "refused")
    community = community_of(db, person)
    if community is None:
        return Outcome(texts.NO_COMMUNITY, "refused")
    incoming = Incoming(person.userid, text, at, channel=CHANNEL)
    probe = Context(db, options, incoming, person, None, community, 0)
    if (not text.strip() or read_command(text, at, grid_refs(probe), person_refs(probe))
            or not looks_like_task(probe)):
        # The form issues tasks only: a command or small talk is not sent to the bot.
        return Outcome(texts.CONSOLE_NOT_A_TASK, "refused")
    # Said in the 1:1 chat, the confirmation also goes to the big group through the outbox.
    return _dispatch.dispatch(db, incoming, options)
