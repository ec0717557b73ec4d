"""Decide which handler a message is for: a command, a new task, or a worker's reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from handlers import texts
from handlers.binding import wanted_group
from handlers.context import Context, Outcome, UserError
from handlers.issue import grid_refs, looks_like_task, person_refs
from handlers.reading import Command, read_command, read_reply
from handlers.reading_titles import task_by_title
from handlers.recurring import recurring_intent
from handlers.registry import HANDLERS
from handlers.team import acting_units
from handlers.worker import my_assignments
from storage import questions
from storage.models import Task

PENDING_MAX_AGE = dt.timedelta(hours=2)
SECRETARY_ACTIONS = ("transfer", "reassign", "extend", "return", "accept", "cancel")
REPLY_INTENTS = ("claim", "progress", "done", "decline")


def route(ctx: Context) -> Outcome:
    """Send the message to the handler of its intent."""
    if not ctx.text.strip() and ctx.incoming.attachments:
        return HANDLERS["photo"](ctx)
    if ctx.person.is_secretary:
        return _secretary(ctx)
    return _worker(ctx)


def _secretary(ctx: Context) -> Outcome:
    if wanted_group(ctx.text) is not None:
        return HANDLERS["bind"](ctx)
    command = _command(ctx)
    if command is not None:
        return _run_command(ctx, command)
    if (recurring := recurring_intent(ctx)) is not None:
        return HANDLERS[recurring](ctx)
    if looks_like_task(ctx):
        return HANDLERS["issue"](ctx)
    return _quiet(ctx)


def _command(ctx: Context) -> Command | None:
    if ctx.community is None:
        return None
    return read_command(ctx.text, ctx.now, grid_refs(ctx), person_refs(ctx))


def _run_command(ctx: Context, command: Command) -> Outcome:
    if command.action == "help":
        return HANDLERS["help"](ctx, command)
    if command.action == "progress":
        return HANDLERS["progress_query"](ctx, command)
    if not ctx.person.is_secretary:
        raise UserError(texts.SECRETARY_ONLY.format(action=texts.ACTION_NAMES[command.action]))
    return HANDLERS[command.action](ctx, command)


def _quiet(ctx: Context) -> Outcome:
    """Chat in a group needs no answer; in a 1:1 chat say how to use the bot."""
    return Outcome(None if ctx.group else texts.NOT_UNDERSTOOD, "other")


def _worker(ctx: Context) -> Outcome:
    mine = my_assignments(ctx)
    tasks = {t.number: t for t, _ in mine}
    intent, numbers = read_reply(ctx.text, sorted(tasks), ctx.incoming.quoted_task)
    pending = questions.take(ctx.db, ctx.person.id, ctx.now, PENDING_MAX_AGE)
    if pending and numbers != "AMBIGUOUS" and numbers and set(numbers) <= set(pending.candidates) \
            and intent in ("other", "claim", "question"):
        # "12号" answers "which task?": act on what was said before.
        intent = pending.intent
        ctx = replace(ctx, incoming=replace(ctx.incoming, text=pending.text))
    if intent not in REPLY_INTENTS:
        return _not_a_report(ctx, intent)
    if not acting_units(ctx.db, ctx.person):
        raise UserError(texts.NOT_A_TEAM_MEMBER.format(action=texts.ACTION_NAMES[intent]))
    if numbers == "AMBIGUOUS":
        numbers = by_title(ctx.text, list(tasks.values()))
        if not numbers:
            return _ask_which(ctx, intent, list(tasks.values()))
    if not numbers:
        raise UserError(texts.NO_OPEN_TASKS)
    return HANDLERS[intent](ctx, numbers)


def _not_a_report(ctx: Context, intent: str) -> Outcome:
    command = _command(ctx)
    if command is not None:
        return _run_command(ctx, command)
    if intent == "question" and ctx.group is None:
        mine = "、".join(f"#{t.number} {t.title}" for t, _ in my_assignments(ctx)) or "无"
        return Outcome(texts.QUESTION_NOTED.format(tasks=mine), "question")
    return _quiet(ctx)


def by_title(text: str, tasks: list[Task]) -> list[int]:
    """Pick the one task whose own title words the text names; [] leaves the question to ask."""
    return task_by_title(text, {t.number: t.title for t in tasks})


def _ask_which(ctx: Context, intent: str, tasks: list[Task]) -> Outcome:
    questions.ask(ctx.db, questions.Pending(
        ctx.person.id, ctx.group.id if ctx.group else None, intent,
        tuple(t.number for t in tasks), ctx.text, ctx.message_id, ctx.now))
    listed = "\n".join(texts.CANDIDATE.format(number=t.number, title=t.title) for t in tasks)
    return Outcome(texts.ASK_WHICH.format(who=ctx.person.name, candidates="\n" + listed,
                                          example=tasks[0].number), "ask")


