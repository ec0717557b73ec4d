"""A secretary issues a task in plain Chinese."""

from __future__ import annotations

import datetime as dt

from handlers import posts, texts
from handlers.context import Context, Outcome, UserError
from handlers.reading import GridRef, PersonRef, read_deadline, read_targets
from handlers.registry import on
from handlers.team import default_handler
from handlers.titles import make_title
from storage import ledger, roster
from storage.ledger import Target
from storage.models import Task


def grid_refs(ctx: Context) -> list[GridRef]:
    return [GridRef(g.id, g.name, g.ordinal) for g in roster.grids_of(ctx.db, ctx.community.id)]


def person_refs(ctx: Context) -> list[PersonRef]:
    return [PersonRef(p.id, p.name) for p in roster.list_people(ctx.db)]


def looks_like_task(ctx: Context) -> bool:
    """Tell a task message from chat: it names targets or a deadline."""
    if len(ctx.text.strip()) < 6:
        return False
    return (read_targets(ctx.text, grid_refs(ctx), person_refs(ctx)) is not None
            or _read_deadline(ctx) is not None)


def _read_deadline(ctx: Context) -> dt.datetime | None:
    return read_deadline(ctx.text, ctx.now, calendar=ctx.options.calendar,
                         off_work=ctx.options.off_work)


@on("issue")
def issue(ctx: Context) -> Outcome:
    """Issue the task: confirm in the big group and post into every target grid's group."""
    if ctx.community is None:
        raise UserError(texts.NO_COMMUNITY)
    targets = _targets(ctx)
    deadline = _deadline(ctx)
    title = make_title(ctx.text)
    task = ledger.issue_task(ctx.db, ctx.cause, community_id=ctx.community.id, title=title,
                             text=ctx.text.strip(), deadline=deadline, targets=targets)
    _announce(ctx, task, targets)
    confirmation = texts.ISSUED.format(number=task.number, title=title,
                                       when=texts.when(deadline),
                                       targets=_describe(ctx, targets))
    if ctx.group is None or not ctx.group.is_big:
        posts.post_to_community(ctx.db, ctx.now, ctx.community.id, "issued", confirmation,
                                task_id=task.id)
    return Outcome(confirmation, "issue", (task.number,))


def _targets(ctx: Context) -> list[Target]:
    found = read_targets(ctx.text, grid_refs(ctx), person_refs(ctx))
    grid_ids = list(found.grid_ids) if found else []
    if not found and ctx.group and not ctx.group.is_big:
        grid_ids = [ctx.group.unit_id]  # said in a grid's own group: that grid
    targets = [Target(g, _handler_id(ctx, g)) for g in grid_ids]
    for person_id in (found.person_ids if found else ()):
        person = roster.get_person(ctx.db, person_id)
        if person.unit_id is not None:
            targets = [t for t in targets if t.unit_id != person.unit_id]
            targets.append(Target(person.unit_id, person.id))
    if not targets:
        raise UserError(texts.ASK_TARGETS)
    return targets


def _handler_id(ctx: Context, unit_id: int) -> int | None:
    worker = default_handler(ctx.db, unit_id)
    return worker.id if worker else None


def _deadline(ctx: Context) -> dt.datetime:
    deadline = _read_deadline(ctx)
    if deadline is None and ctx.options.default_deadline_days:
        day = (ctx.now + dt.timedelta(days=ctx.options.default_deadline_days)).date()
        deadline = dt.datetime.combine(day, dt.time(23, 59, 59), ctx.now.tzinfo)
    if deadline is None:
        raise UserError(texts.ASK_DEADLINE)
    if deadline <= ctx.now:
        raise UserError(texts.DEADLINE_PAST.format(when=texts.when(deadline)))
    return deadline


def _announce(ctx: Context, task: Task, targets: list[Target]) -> None:
    text = texts.ANNOUNCE.format(number=task.number, title=task.title, text=task.text,
                                 when=texts.when(task.deadline))
    for target in targets:
        posts.post_to_unit(ctx.db, ctx.now, _grid_of(ctx, target.unit_id), "announce", text,
                           mention=posts.handler_of(ctx.db, target.handler_id), task_id=task.id)
    for assignment in ledger.assignments_of(ctx.db, task.id):
        posts.card_to_handler(ctx, task, assignment)


def _grid_of(ctx: Context, unit_id: int) -> int:
    """Announce a building's assignment in its grid's group."""
    grid = roster.ancestor(ctx.db, unit_id, "grid")
    return grid.id if grid else unit_id


def _describe(ctx: Context, targets: list[Target]) -> str:
    grids = roster.grids_of(ctx.db, ctx.community.id)
    if len(targets) == len(grids) > 1 and {t.unit_id for t in targets} == {g.id for g in grids}:
        return texts.ALL_GRIDS.format(n=len(grids))
    names = []
    for t in targets:
        name = roster.get_unit(ctx.db, t.unit_id).name
        if t.handler_id:
            name += f"（{roster.get_person(ctx.db, t.handler_id).name}）"
        names.append(name)
    return "、".join(names)
