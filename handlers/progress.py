"""Answer progress queries: one task's grids, or every unfinished task."""

from __future__ import annotations

from handlers import texts
from handlers.context import Context, Outcome
from handlers.reading import Command
from handlers.registry import on
from handlers.secretary import task_of
from handlers.team import acting_units
from storage import ledger, roster
from storage.models import Assignment, Task

SHOWN = ("open", "claimed", "done", "accepted", "declined")
FINISHED = ("done", "accepted")


@on("progress_query")
def progress_query(ctx: Context, command: Command) -> Outcome:
    """Show one task per grid, or all unfinished tasks; a worker sees their own units only."""
    if command.task is not None:
        task = task_of(ctx, command.task)
        return Outcome(task_status(ctx, task), "progress_query", (task.number,))
    return Outcome(open_tasks_status(ctx), "progress_query")


def _visible(ctx: Context, assignments: list[Assignment]) -> list[Assignment]:
    if ctx.person.is_secretary:
        return assignments
    units = acting_units(ctx.db, ctx.person)
    return [a for a in assignments if a.unit_id in units]


def task_status(ctx: Context, task: Task) -> str:
    rows = [texts.PROGRESS_HEAD.format(number=task.number, title=task.title,
                                       when=texts.when(task.deadline))]
    for a in _visible(ctx, ledger.assignments_of(ctx.db, task.id)):
        if a.state not in SHOWN and task.state != "cancelled":
            continue
        who = f"（{roster.get_person(ctx.db, a.handler_id).name}）" if a.handler_id else ""
        rows.append(texts.PROGRESS_ROW.format(
            unit=roster.get_unit(ctx.db, a.unit_id).name, state=texts.STATE_NAMES[a.state],
            who=who, late=texts.PROGRESS_LATE if a.is_overdue(ctx.now) else ""))
    return "\n".join(rows)


def open_tasks_status(ctx: Context) -> str:
    rows = []
    for task in ledger.list_tasks(ctx.db, ctx.community.id):
        live = _visible(ctx, [a for a in ledger.assignments_of(ctx.db, task.id)
                              if a.state in SHOWN])
        done = sum(a.state in FINISHED for a in live)
        if task.state == "cancelled" or not live or done == len(live):
            continue
        late = any(a.is_overdue(ctx.now) for a in live)
        rows.append(texts.PROGRESS_ALL_ROW.format(
            number=task.number, title=task.title, done=done, total=len(live),
            when=texts.when(task.deadline), late=texts.PROGRESS_LATE if late else ""))
    if not rows:
        return texts.PROGRESS_EMPTY
    return "\n".join([texts.PROGRESS_ALL_HEAD, *rows])
