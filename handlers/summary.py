"""Weekly summary (周报) and monthly bulletin (每月通报): figures per grid, ranking, overdue list.

What each figure counts, for a period [start, end) looked at `ref` = min(now, end):

- issued: assignments created in the period (issued, or transferred in, to the grid);
- claimed: assignments claimed in the period;
- done: assignments done in the period and still done or accepted (a returned report
  counts when it is done again);
- on_time: of those done, the ones done by their deadline;
- overdue: assignments whose deadline falls in the period (and has passed at ref) and that
  were not done by it, whether done late or still open; cancelled, transferred and declined
  assignments are left out (their successor or the secretary carries them);
- still_open: assignments open at ref: created before it and neither done nor closed by then;
- returned: done reports sent back by the secretary in the period;
- on_time_rate: on_time / done (None when nothing was done).

Rankings count outcomes only: on-time rate, then done, then fewer overdue, then fewer
returned. Never online time, message counts or check-ins (the 2023 national guideline
against 指尖上的形式主义). The overdue list holds every assignment of the community past its
deadline and not done at ref, whatever period its deadline fell in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from handlers.summary_text import period_label, render_markdown
from storage import roster, stats
from storage.models import Unit

__all__ = ["GridFigures", "OverdueItem", "WorkerFigures", "Summary", "weekly_summary",
           "monthly_summary", "render_markdown", "period_label", "week_start_of", "previous_week",
           "previous_month"]


@dataclass(frozen=True)
class GridFigures:
    unit_id: int
    unit: str
    issued: int
    claimed: int
    done: int
    on_time: int
    overdue: int
    still_open: int
    returned: int
    on_time_rate: float | None


@dataclass(frozen=True)
class OverdueItem:
    task: int
    title: str
    unit: str
    handler: str | None
    deadline: dt.datetime
    days_late: int


@dataclass(frozen=True)
class WorkerFigures:
    person: str
    unit: str
    done: int
    on_time: int
    overdue: int
    returned: int
    on_time_rate: float | None


@dataclass(frozen=True)
class Summary:
    community: str
    kind: str  # "week" or "month"
    start: dt.date
    end: dt.date  # exclusive
    grids: tuple[GridFigures, ...]  # ranked when ranking is on, else in grid order
    totals: GridFigures
    overdue: tuple[OverdueItem, ...]
    previous: GridFigures | None  # the period before, None when it had no work at all
    workers: tuple[WorkerFigures, ...]  # the month only
    ranked: bool = True


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def previous_week(now: dt.datetime) -> dt.date:
    """Return the Monday of the week before now's."""
    return week_start_of(now.date()) - dt.timedelta(days=7)


def previous_month(now: dt.datetime) -> dt.date:
    """Return the first day of the month before now's."""
    return (now.date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def weekly_summary(db: Database, community_id: int, week_start: dt.date, now: dt.datetime, *,
                   rank: bool = True) -> Summary:
    """Sum up the week starting on week_start (moved back to its Monday) as seen at now."""
    start = week_start_of(week_start)
    return _summary(db, community_id, "week", start, start + dt.timedelta(days=7),
                    start - dt.timedelta(days=7), now, rank)


def monthly_summary(db: Database, community_id: int, month: dt.date, now: dt.datetime, *,
                    rank: bool = True) -> Summary:
    """Sum up the month holding `month` as seen at now, with a ranking of grid workers."""
    start = month.replace(day=1)
    before = (start - dt.timedelta(days=1)).replace(day=1)
    return _summary(db, community_id, "month", start, _next_month(start), before, now, rank)


def _summary(db: Database, community_id: int, kind: str, start: dt.date, end: dt.date,
             before: dt.date, now: dt.datetime, rank: bool) -> Summary:
    community = roster.get_unit(db, community_id)
    grids = roster.grids_of(db, community_id)
    grid_of = _grid_of_units(db, grids)
    moment = _moment_maker(now)
    ref = min(now, moment(end))
    tallies = stats.tallies(db, list(grid_of), moment(start), moment(end), ref)
    figures = _grid_figures(grids, grid_of, tallies)
    previous = stats.tallies(db, list(grid_of), moment(before), moment(start),
                             min(now, moment(start)))
    late = stats.late_at(db, list(grid_of), ref)
    return Summary(
        community=community.name, kind=kind, start=start, end=end,
        grids=tuple(_ranked(figures) if rank else figures),
        totals=_total(community, figures),
        overdue=tuple(_overdue_items(db, late, ref)),
        previous=_previous(community, previous),
        workers=tuple(_workers(db, tallies, rank)) if kind == "month" else (),
        ranked=rank)


def _moment_maker(now: dt.datetime):
    return lambda day: dt.datetime.combine(day, dt.time(0), tzinfo=now.tzinfo)


def _grid_of_units(db: Database, grids: list[Unit]) -> dict[int, int]:
    """Map each grid and each of its buildings to the grid: buildings roll up."""
    grid_of = {}
    for grid in grids:
        grid_of[grid.id] = grid.id
        for building in roster.children(db, grid.id, "building"):
            grid_of[building.id] = grid.id
    return grid_of


def _rate(on_time: int, done: int) -> float | None:
    return on_time / done if done else None


def _figures(unit_id: int, name: str, counts: dict[str, int]) -> GridFigures:
    return GridFigures(unit_id, name, *(counts[c] for c in stats.COUNTS),
                       _rate(counts["on_time"], counts["done"]))


def _sum(tallies) -> dict[str, int]:
    totals = dict.fromkeys(stats.COUNTS, 0)
    for t in tallies:
        for c in stats.COUNTS:
            totals[c] += getattr(t, c)
    return totals


def _grid_figures(grids: list[Unit], grid_of: dict[int, int], tallies) -> list[GridFigures]:
    by_grid = defaultdict(list)
    for t in tallies:
        by_grid[grid_of[t.unit_id]].append(t)
    return [_figures(g.id, g.name, _sum(by_grid[g.id])) for g in grids]


def _rank_key(f) -> tuple:
    return (f.on_time_rate is None, -(f.on_time_rate or 0), -f.done, f.overdue, f.returned)


def _ranked(figures: list) -> list:
    return sorted(figures, key=_rank_key)  # stable: ties keep grid order


def _total(community: Unit, figures: list[GridFigures]) -> GridFigures:
    return _figures(community.id, community.name, _sum(figures))


def _previous(community: Unit, tallies) -> GridFigures | None:
    totals = _sum(tallies)
    if not any(totals.values()):
        return None
    return _figures(community.id, community.name, totals)


def _overdue_items(db: Database, late, ref: dt.datetime) -> list[OverdueItem]:
    units, people = _Names(db, roster.get_unit), _Names(db, roster.get_person)
    return [OverdueItem(x.number, x.title, units[x.unit_id], people[x.handler_id],
                        x.deadline, max(1, (ref.date() - x.deadline.date()).days))
            for x in late]


class _Names(dict):
    """Look each id up once: a county's roster is large, a community's summary names few."""

    def __init__(self, db: Database, get):
        super().__init__()
        self.db, self.get = db, get

    def __missing__(self, key):
        self[key] = None if key is None else self.get(self.db, key).name
        return self[key]


def _workers(db: Database, tallies, rank: bool) -> list[WorkerFigures]:
    units = _Names(db, roster.get_unit)
    by_person = defaultdict(list)
    for t in tallies:
        if t.handler_id is not None:
            by_person[t.handler_id].append(t)
    workers = []
    for person_id in sorted(by_person):
        counts = _sum(by_person[person_id])
        if not any(counts[c] for c in ("done", "overdue", "returned")):
            continue
        person = roster.get_person(db, person_id)
        workers.append(WorkerFigures(person.name, units[person.unit_id] or "",
                                     counts["done"], counts["on_time"], counts["overdue"],
                                     counts["returned"], _rate(counts["on_time"], counts["done"])))
    return _ranked(workers) if rank else workers

