"""Secretary commands: transfer, reassign, extend, return, accept, cancel, progress, help."""

from __future__ import annotations

from collections.abc import Iterable

from handlers import posts, texts
from handlers.context import Context, Outcome, UserError
from handlers.reading import Command
from handlers.registry import on
from handlers.team import default_handler, unit_name
from storage import ledger, roster
from storage.errors import NotFound
from storage.ledger import Target
from storage.models import Assignment, Task


def task_of(ctx: Context, number: int) -> Task:
    try:
        return ledger.get_task(ctx.db, ctx.community.id, number)
    except NotFound:
        raise UserError(texts.TASK_NOT_FOUND.format(number=number)) from None


def pick(ctx: Context, task: Task, command: Command, states: Iterable[str],
         action: str, single: bool) -> list[Assignment]:
    """Choose the assignments a command acts on: the named grids', else all in these states."""
    states = tuple(states)
    candidates = [a for a in ledger.assignments_of(ctx.db, task.id) if a.state in states]
    if command.grid_ids and action != "transfer":
        candidates = [a for a in candidates if _grid_id(ctx, a) in command.grid_ids]
    if not candidates:
        raise UserError(texts.NOTHING_TO_DO.format(
            number=task.number, action=texts.ACTION_NAMES[action],
            states="、".join(texts.STATE_NAMES[s] for s in states)))
    if single and len(candidates) > 1:
        # A declined assignment is the one waiting for the secretary to move it.
        declined = [a for a in candidates if a.state == "declined"]
        if len(declined) != 1:
            raise UserError(texts.ASK_WHICH_GRID.format(number=task.number,
                                                        action=texts.ACTION_NAMES[action]))
        candidates = declined
    return candidates


def _grid_id(ctx: Context, assignment: Assignment) -> int:
    grid = roster.ancestor(ctx.db, assignment.unit_id, "grid")
    return grid.id if grid else assignment.unit_id


@on("transfer")
def transfer(ctx: Context, command: Command) -> Outcome:
    """Move one assignment to the named grid, with the same deadline."""
    task = task_of(ctx, command.task)
    if not command.grid_ids:
        raise UserError(texts.UNIT_NOT_FOUND)
    source = pick(ctx, task, _without_target(command), ("open", "claimed", "declined"),
                  "transfer", single=True)[0]
    to_unit = command.grid_ids[0]
    handler = default_handler(ctx.db, to_unit)
    moved = ledger.transfer(ctx.db, source.id, ctx.cause,
                            Target(to_unit, handler.id if handler else None))
    _notify_transfer(ctx, task, source, moved)
    return Outcome(texts.TRANSFERRED.format(number=task.number,
                                            from_unit=unit_name(ctx.db, source.unit_id),
                                            to_unit=unit_name(ctx.db, to_unit)),
                   "transfer", (task.number,))


def _without_target(command: Command) -> Command:
    """For transfer the named grid is the receiver, not the assignment to move."""
    return Command(command.action, command.task)


def _notify_transfer(ctx: Context, task: Task, source: Assignment, moved: Assignment) -> None:
    text = texts.TRANSFER_NOTICE.format(number=task.number, title=task.title,
                                        from_unit=unit_name(ctx.db, source.unit_id),
                                        when=texts.when(moved.deadline))
    posts.post_to_unit(ctx.db, ctx.now, moved.unit_id, "transfer", text, task_id=task.id,
                       mention=posts.handler_of(ctx.db, moved.handler_id))
    posts.card_to_handler(ctx, task, moved)


@on("reassign")
def reassign(ctx: Context, command: Command) -> Outcome:
    """Give an assignment to a named person; across units this is a transfer to their unit."""
    task = task_of(ctx, command.task)
    person = roster.find_person(ctx.db, command.person_name or "")
    if person is None or person.unit_id is None:
        raise UserError(texts.PERSON_NOT_FOUND.format(name=command.person_name or ""))
    live = ("open", "claimed", "declined")
    same_unit = [a for a in ledger.assignments_of(ctx.db, task.id)
                 if a.state in live and a.unit_id == person.unit_id]
    if same_unit:
        moved = ledger.reassign(ctx.db, same_unit[0].id, ctx.cause, person.id)
    else:
        source = pick(ctx, task, command, live, "reassign", single=True)[0]
        moved = ledger.transfer(ctx.db, source.id, ctx.cause, Target(person.unit_id, person.id))
    text = texts.REASSIGN_NOTICE.format(number=task.number, title=task.title, who=person.name,
                                        when=texts.when(moved.deadline))
    posts.post_to_unit(ctx.db, ctx.now, _grid_id(ctx, moved), "reassign", text,
                       task_id=task.id, mention=(person,))
    posts.card_to_handler(ctx, task, moved)
    return Outcome(texts.REASSIGNED.format(number=task.number, who=person.name,
                                           unit=unit_name(ctx.db, moved.unit_id)),
                   "reassign", (task.number,))


@on("extend")
def extend(ctx: Context, command: Command) -> Outcome:
    """Move the deadline of the named grids' assignments (all live ones when none is named)."""
    task = task_of(ctx, command.task)
    if command.deadline is None:
        raise UserError(texts.EXTEND_NO_DATE)
    if command.deadline <= ctx.now:
        raise UserError(texts.EXTEND_PAST.format(when=texts.when(command.deadline)))
    chosen = pick(ctx, task, command, ("open", "claimed", "declined"), "extend", single=False)
    notice = texts.EXTEND_NOTICE.format(number=task.number, title=task.title,
                                        when=texts.when(command.deadline))
    for assignment in chosen:
        ledger.extend(ctx.db, assignment.id, ctx.cause, command.deadline)
        posts.post_to_unit(ctx.db, ctx.now, _grid_id(ctx, assignment), "extend", notice,
                           task_id=task.id, mention=posts.handler_of(ctx.db, assignment.handler_id))
    units = "、".join(unit_name(ctx.db, a.unit_id) for a in chosen)
    return Outcome(texts.EXTENDED.format(number=task.number, units=units,
                                         when=texts.when(command.deadline)),
                   "extend", (task.number,))


@on("return")
def return_done(ctx: Context, command: Command) -> Outcome:
    """Send a done report back with the reason; the handler is told in the grid's group."""
    task = task_of(ctx, command.task)
    assignment = pick(ctx, task, command, ("done",), "return", single=True)[0]
    reason = command.reason or texts.NO_REASON
    ledger.return_done(ctx.db, assignment.id, ctx.cause, reason)
    notice = texts.RETURN_NOTICE.format(number=task.number, title=task.title, reason=reason)
    posts.post_to_unit(ctx.db, ctx.now, _grid_id(ctx, assignment), "return", notice,
                       task_id=task.id, mention=posts.handler_of(ctx.db, assignment.handler_id))
    return Outcome(texts.RETURNED.format(number=task.number, reason=reason,
                                         unit=unit_name(ctx.db, assignment.unit_id)),
                   "return", (task.number,))


@on("accept")
def accept(ctx: Context, command: Command) -> Outcome:
    """Accept the named grids' done reports (all done ones when none is named)."""
    task = task_of(ctx, command.task)
    chosen = pick(ctx, task, command, ("done",), "accept", single=False)
    for assignment in chosen:
        ledger.accept(ctx.db, assignment.id, ctx.cause)
    units = "、".join(unit_name(ctx.db, a.unit_id) for a in chosen)
    return Outcome(texts.ACCEPTED.format(number=task.number, units=units), "accept",
                   (task.number,))


@on("cancel")
def cancel(ctx: Context, command: Command) -> Outcome:
    """Withdraw a task and tell every grid that still had it."""
    task = task_of(ctx, command.task)
    if task.state == "cancelled":
        raise UserError(texts.ALREADY_CANCELLED.format(number=task.number))
    cancelled = ledger.cancel_task(ctx.db, task.id, ctx.cause)
    notice = texts.CANCEL_NOTICE.format(number=task.number, title=task.title)
    for assignment in cancelled:
        posts.post_to_unit(ctx.db, ctx.now, _grid_id(ctx, assignment), "cancel", notice,
                           task_id=task.id)
    return Outcome(texts.CANCELLED.format(number=task.number, title=task.title), "cancel",
                   (task.number,))


@on("help")
def help_(ctx: Context, command: Command | None = None) -> Outcome:
    return Outcome(texts.HELP, "help")
