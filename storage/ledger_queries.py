"""Read the ledger the way the console and the export need it: filtered in SQL, not in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from storage.models import ZONE, Report, from_text, to_text

# Each assignment's grid: a grid's own, or the grid above a building.
_UNIT_GRID = """unit_grid as (
    select u.id as unit_id, u.id as grid_id from units u where u.kind = 'grid'
    union all
    select b.id, b.parent_id from units b where b.kind = 'building')"""
_LATE_OPEN = "a.state in ('open', 'claimed') and a.deadline < :now"
_OVERDUE = ("case when a.state in ('cancelled', 'transferred', 'declined') then 0 "
            "when a.state in ('done', 'accepted') then a.done_at > a.deadline "
            "else :now > a.deadline end")


@dataclass(frozen=True)
class TaskFilter:
    """What the task list shows; None or empty means no restriction."""
    state: str | None = None  # an assignment state: tasks with at least one such assignment
    grid_id: int | None = None
    issuer_id: int | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None  # inclusive
    overdue_only: bool = False  # late and not done yet
    search: str = ""
    unit_ids: tuple[int, ...] | None = None  # only tasks for these units (a grid worker's view)


@dataclass(frozen=True)
class TaskLine:
    id: int
    number: int
    title: str
    issuer: str | None
    issued_at: dt.datetime
    deadline: dt.datetime
    state: str
    live: int  # assignments not transferred or cancelled
    finished: int  # done or accepted
    late: int  # late and not done


@dataclass(frozen=True)
class TaskPage:
    lines: tuple[TaskLine, ...]
    total: int


def day_start(day: dt.date) -> str:
    """The stored text of a day's first second in Asia/Shanghai, for range comparisons."""
    return to_text(dt.datetime.combine(day, dt.time(0), ZONE))


def _task_where(community_id: int, f: TaskFilter, now: dt.datetime) -> tuple[str, dict]:
    where = ["t.community_id = :community"]
    args: dict = {"community": community_id, "now": to_text(now)}
    if f.issuer_id is not None:
        where.append("t.issuer_id = :issuer")
        args["issuer"] = f.issuer_id
    if f.issued_from:
        where.append("t.issued_at >= :start")
        args["start"] = day_start(f.issued_from)
    if f.issued_to:
        where.append("t.issued_at < :end")
        args["end"] = day_start(f.issued_to + dt.timedelta(days=1))
    if f.search.strip():
        where.append("(t.title like :like or t.text like :like or t.number = :number)")
        args["like"] = "%" + f.search.strip().replace("%", "").replace("_", "") + "%"
        args["number"] = f.search.strip().lstrip("#")
    inner = []
    if f.state:
        inner.append("a.state = :state")
        args["state"] = f.state
    if f.grid_id is not None:
        inner.append("a.unit_id in (select id from units where id = :grid or parent_id = :grid)")
        args["grid"] = f.grid_id
    if f.unit_ids is not None:
        inner.append(f"a.unit_id in ({','.join(str(int(u)) for u in f.unit_ids) or 'null'})")
    if f.overdue_only:
        inner.append(_LATE_OPEN)
    if inner:
        where.append("exists (select 1 from assignments a where a.task_id = t.id and "
                     + " and ".join(inner) + ")")
    return " and ".join(where), args


def find_tasks(db: Database, community_id: int, f: TaskFilter, now: dt.datetime,
               limit: int = 50, offset: int = 0) -> TaskPage:
    """Return one page of the community's tasks matching the filter, newest first."""
    where, args = _task_where(community_id, f, now)
    total = db.execute(f"select count(*) from tasks t where {where}", args).fetchone()[0]
    sql = f"""
        select t.id, t.number, t.title, p.name, t.issued_at, t.deadline, t.state,
          (select count(*) from assignments a where a.task_id = t.id
             and a.state not in ('transferred', 'cancelled')),
          (select count(*) from assignments a where a.task_id = t.id
             and a.state in ('done', 'accepted')),
          (select count(*) from assignments a where a.task_id = t.id and {_LATE_OPEN})
        from tasks t left join people p on p.id = t.issuer_id
        where {where} order by t.number desc limit :limit offset :offset"""
    rows = db.execute(sql, {**args, "limit": limit, "offset": offset}).fetchall()
    lines = tuple(TaskLine(r[0], r[1], r[2], r[3], from_text(r[4]), from_text(r[5]), r[6],
                           r[7], r[8], r[9]) for r in rows)
    return TaskPage(lines, total)


@dataclass(frozen=True)
class Issuer:
    id: int
    name: str


def issuers(db: Database, community_id: int) -> list[Issuer]:
    """Return the people who issued tasks in the community, by name."""
    rows = db.execute("select distinct p.id, p.name from tasks t join people p on p.id = "
                      "t.issuer_id where t.community_id = ? order by p.name", [community_id])
    return [Issuer(*r) for r in rows.fetchall()]


@dataclass(frozen=True)
class WorkLine:
    """One assignment as the grid and overdue pages list it."""
    assignment_id: int
    task_id: int
    number: int
    title: str
    unit: str
    grid_id: int | None
    handler: str | None
    phone: str | None
    state: str
    deadline: dt.datetime
    claimed_at: dt.datetime | None
    done_at: dt.datetime | None
    late: bool


def _work_lines(db: Database, where: str, args: dict, order: str) -> list[WorkLine]:
    sql = f"""with {_UNIT_GRID}
        select a.id, t.id, t.number, t.title, u.name, ug.grid_id, p.name, p.phone, a.state,
               a.deadline, a.claimed_at, a.done_at, {_LATE_OPEN}
        from assignments a join tasks t on t.id = a.task_id join units u on u.id = a.unit_id
        left join unit_grid ug on ug.unit_id = a.unit_id
        left join people p on p.id = a.handler_id
        where {where} order by {order}"""
    return [WorkLine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], from_text(r[9]),
                     from_text(r[10]), from_text(r[11]), bool(r[12]))
            for r in db.execute(sql, args).fetchall()]


def overdue_work(db: Database, community_id: int, now: dt.datetime,
                 unit_ids: tuple[int, ...] | None = None) -> list[WorkLine]:
    """Return every late assignment not done yet, oldest deadline first."""
    where = f"t.community_id = :community and {_LATE_OPEN}"
    if unit_ids is not None:
        where += f" and a.unit_id in ({','.join(str(int(u)) for u in unit_ids) or 'null'})"
    return _work_lines(db, where, {"community": community_id, "now": to_text(now)},
                       "a.deadline, t.number, a.id")


def open_work(db: Database, grid_id: int, now: dt.datetime) -> list[WorkLine]:
    """Return a grid's unfinished assignments (waiting acceptance included), by deadline."""
    where = ("ug.grid_id = :grid and a.state in ('open', 'claimed', 'declined', 'done')")
    return _work_lines(db, where, {"grid": grid_id, "now": to_text(now)},
                       "a.deadline, t.number, a.id")


@dataclass(frozen=True)
class GridLoad:
    grid_id: int
    name: str
    open: int  # open or claimed
    late: int  # of those, past the deadline
    waiting: int  # done, waiting for acceptance


def grid_loads(db: Database, community_id: int, now: dt.datetime) -> list[GridLoad]:
    """Return each grid of the community with its open, late and waiting work."""
    sql = f"""with {_UNIT_GRID}
        select g.id, g.name,
          coalesce(sum(a.state in ('open', 'claimed')), 0),
          coalesce(sum({_LATE_OPEN}), 0),
          coalesce(sum(a.state = 'done'), 0)
        from units g
        left join unit_grid ug on ug.grid_id = g.id
        left join assignments a on a.unit_id = ug.unit_id
        where g.kind = 'grid' and g.parent_id = :community
        group by g.id order by g.ordinal, g.id"""
    rows = db.execute(sql, {"community": community_id, "now": to_text(now)}).fetchall()
    return [GridLoad(*r) for r in rows]


@dataclass(frozen=True)
class GridTotals:
    """A grid's figures over the assignments of the tasks issued in a date range."""
    community: str
    grid: str
    issued: int
    claimed: int
    done: int
    on_time: int
    overdue: int
    still_open: int
    returned: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.issued if self.issued else None


def grid_totals(db: Database, community_ids: list[int], start: dt.date, end: dt.date,
                now: dt.datetime) -> list[GridTotals]:
    """Count per grid what the tasks issued from start to end (inclusive) came to."""
    marks = ",".join(str(int(c)) for c in community_ids) or "null"
    sql = f"""with {_UNIT_GRID},
        returns as (select assignment_id, count(*) as n from reports where kind = 'return'
                    group by assignment_id)
        select c.name, g.name, count(*),
          sum(a.claimed_at is not null),
          sum(a.state in ('done', 'accepted')),
          sum(a.state in ('done', 'accepted') and a.done_at <= a.deadline),
          sum({_OVERDUE}),
          sum(a.state in ('open', 'claimed')),
          sum(r.n is not null)
        from assignments a join tasks t on t.id = a.task_id
        join units c on c.id = t.community_id
        join unit_grid ug on ug.unit_id = a.unit_id join units g on g.id = ug.grid_id
        left join returns r on r.assignment_id = a.id
        where t.community_id in ({marks}) and t.issued_at >= :start and t.issued_at < :end
          and a.state not in ('transferred', 'cancelled')
        group by g.id order by c.id, g.ordinal, g.id"""
    args = {"start": day_start(start), "end": day_start(end + dt.timedelta(days=1)),
            "now": to_text(now)}
    return [GridTotals(*r) for r in db.execute(sql, args).fetchall()]


@dataclass(frozen=True)
class ExportRow:
    """One assignment as the exported ledger shows it."""
    community: str
    number: int
    title: str
    issued_at: dt.datetime
    deadline: dt.datetime
    unit: str  # the grid, or "grid/building"
    handler: str | None
    claimed_at: dt.datetime | None
    done_at: dt.datetime | None
    accepted_at: dt.datetime | None
    state: str
    returns: int
    overdue: bool


def count_export(db: Database, community_ids: list[int], start: dt.date, end: dt.date) -> int:
    marks = ",".join(str(int(c)) for c in community_ids) or "null"
    sql = (f"select count(*) from assignments a join tasks t on t.id = a.task_id "
           f"where t.community_id in ({marks}) and t.issued_at >= ? and t.issued_at < ?")
    return db.execute(sql, [day_start(start), day_start(end + dt.timedelta(days=1))]).fetchone()[0]


def export_rows(db: Database, community_ids: list[int], start: dt.date, end: dt.date,
                now: dt.datetime) -> Iterator[ExportRow]:
    """Stream every assignment of the tasks issued from start to end, by task then grid."""
    marks = ",".join(str(int(c)) for c in community_ids) or "null"
    sql = f"""with returns as (select assignment_id, count(*) as n from reports
                               where kind = 'return' group by assignment_id)
        select c.name, t.number, t.title, t.issued_at, a.deadline,
          case when u.kind = 'building' then pu.name || '/' || u.name else u.name end,
          p.name, a.claimed_at, a.done_at, a.accepted_at, a.state, coalesce(r.n, 0), {_OVERDUE}
        from tasks t join assignments a on a.task_id = t.id
        join units c on c.id = t.community_id join units u on u.id = a.unit_id
        left join units pu on pu.id = u.parent_id
        left join people p on p.id = a.handler_id
        left join returns r on r.assignment_id = a.id
        where t.community_id in ({marks}) and t.issued_at >= :start and t.issued_at < :end
        order by t.community_id, t.number, a.id"""
    args = {"start": day_start(start), "end": day_start(end + dt.timedelta(days=1)),
            "now": to_text(now)}
    parse = dt.datetime.fromisoformat
    for r in db.execute(sql, args):
        yield ExportRow(r[0], r[1], r[2], parse(r[3]), parse(r[4]), r[5], r[6],
                        r[7] and parse(r[7]), r[8] and parse(r[8]), r[9] and parse(r[9]),
                        r[10], r[11], bool(r[12]))


def export_bounds(db: Database, community_ids: list[int]) -> tuple[int, int, int]:
    """Return the longest title, unit and handler name in characters (for column widths)."""
    marks = ",".join(str(int(c)) for c in community_ids) or "null"
    row = db.execute(f"""select max(length(t.title)),
          (select max(length(name)) from units), (select max(length(name)) from people)
        from tasks t where t.community_id in ({marks})""").fetchone()
    return row[0] or 0, row[1] or 0, row[2] or 0


def get_report(db: Database, report_id: int) -> Report | None:
    row = next(db["reports"].rows_where("id = ?", [report_id], limit=1), None)
    return Report.from_row(row) if row else None
