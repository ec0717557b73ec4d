"""Grid workers' replies: claim, progress, done, decline."""

from __future__ import annotations

from handlers import posts, texts
from handlers.context import Context, Outcome, UserError
from handlers.registry import on
from handlers.team import acting_units, unit_name
from storage import ledger
from storage.errors import NotFound
from storage.models import Assignment, Task

FINISHED = ("done", "accepted")


def my_assignments(ctx: Context) -> list[tuple[Task, Assignment]]:
    """Return the speaker's open assignments with their tasks, oldest task first."""
    found = ledger.live_assignments(ctx.db, acting_units(ctx.db, ctx.person))
    return [(ledger.get_task_by_id(ctx.db, a.task_id), a) for a in found]


def assignment_for(ctx: Context, number: int, action: str) -> tuple[Task, Assignment]:
    """Find the speaker's assignment of task number, refusing tasks of other units."""
    try:
        task = ledger.get_task(ctx.db, ctx.community.id, number)
    except NotFound:
        raise UserError(texts.TASK_NOT_FOUND.format(number=number)) from None
    units = acting_units(ctx.db, ctx.person)
    mine = [a for a in ledger.assignments_of(ctx.db, task.id) if a.unit_id in units]
    if not mine:
        raise UserError(texts.NOT_YOUR_TASK.format(number=number,
                                                   action=texts.ACTION_NAMES[action]))
    live = [a for a in mine if a.state in ledger.OPEN_STATES]
    # Prefer the grid's own live assignment over a building's or a closed one.
    return task, (live or mine)[-1]


@on("claim")
def claim(ctx: Context, numbers: list[int]) -> Outcome:
    """Record the claim quietly; an already claimed or finished task is left alone."""
    claimed = []
    for number in numbers:
        task, assignment = assignment_for(ctx, number, "claim")
        if assignment.state == "open":
            ledger.claim(ctx.db, assignment.id, ctx.cause)
            claimed.append(number)
    if ctx.options.ack_claims and claimed:
        return Outcome("\n".join(texts.CLAIM_ACK.format(number=n) for n in claimed), "claim",
                       tuple(numbers))
    return Outcome(None, "claim", tuple(numbers))


@on("progress")
def progress(ctx: Context, numbers: list[int]) -> Outcome:
    acked = []
    for number in numbers:
        task, assignment = assignment_for(ctx, number, "progress")
        if assignment.state in FINISHED:
            continue  # "还剩0户" after done: nothing to move
        ledger.report_progress(ctx.db, assignment.id, ctx.cause, ctx.text,
                               ctx.incoming.attachments)
        acked.append(number)
    if ctx.options.ack_claims and acked:
        return Outcome("\n".join(texts.PROGRESS_ACK.format(number=n) for n in acked),
                       "progress", tuple(numbers))
    return Outcome(None, "progress", tuple(numbers))


@on("done")
def done(ctx: Context, numbers: list[int]) -> Outcome:
    """Record completion with its notes; one short line back, the roll-up to the big group."""
    lines = []
    for number in numbers:
        task, assignment = assignment_for(ctx, number, "done")
        unit = unit_name(ctx.db, assignment.unit_id)
        if assignment.state in FINISHED:
            lines.append(texts.ALREADY_DONE.format(number=number, unit=unit))
            continue
        ledger.report_done(ctx.db, assignment.id, ctx.cause, ctx.text, ctx.incoming.attachments)
        lines.append(texts.DONE_ACK.format(number=number, unit=unit,
                                           time=texts.short_time(ctx.now)))
        _roll_up_if_all_done(ctx, task)
    return Outcome("\n".join(lines), "done", tuple(numbers))


def _roll_up_if_all_done(ctx: Context, task: Task) -> None:
    live = [a for a in ledger.assignments_of(ctx.db, task.id)
            if a.state not in ("transferred", "cancelled")]
    if live and all(a.state in FINISHED for a in live):
        text = texts.ALL_DONE.format(number=task.number, title=task.title, n=len(live))
        posts.post_to_community(ctx.db, ctx.now, task.community_id, "all_done", text,
                                task_id=task.id)


@on("decline")
def decline(ctx: Context, numbers: list[int]) -> Outcome:
    """Record the decline and tell the secretary in the big group."""
    lines = []
    for number in numbers:
        task, assignment = assignment_for(ctx, number, "decline")
        unit = unit_name(ctx.db, assignment.unit_id)
        ledger.decline(ctx.db, assignment.id, ctx.cause, ctx.text)
        notice = texts.DECLINE_NOTICE.format(number=number, title=task.title, unit=unit,
                                             who=ctx.person.name, reason=ctx.text)
        posts.post_to_community(ctx.db, ctx.now, task.community_id, "declined", notice,
                                task_id=task.id, mention=_issuer(ctx, task))
        lines.append(texts.DECLINE_ACK.format(number=number, unit=unit))
    return Outcome("\n".join(lines), "decline", tuple(numbers))


def _issuer(ctx: Context, task: Task) -> tuple:
    return posts.handler_of(ctx.db, task.issuer_id)
