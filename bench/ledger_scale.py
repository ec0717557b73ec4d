"""Benchmark: a county-year ledger; time the weekly summary and the due-reminder scan.

    python bench/ledger_scale.py [--scale 0.05] [--db data/bench-ledger.db] [--keep]

The county: 1,272 grids in communities of 12, each community issuing 50 tasks a week to all
its grids, for 52 weeks of 2024: 1,272 × 50 × 52 ≈ 3.3 M assignments, with their events
(assigned, claimed, done, returned, accepted). `--scale` shrinks the number of grids for a
quick run. `build_ledger(path, ...)` is importable (bench/export.py reuses it).

Prints the build time, the database size, the weekly summary time (target < 300 ms) and the
due-reminder scan time (target < 50 ms), each over several runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.reminders import owed_reminders  # noqa: E402
from handlers.rules import Rules  # noqa: E402
from handlers.summary import render_markdown, weekly_summary  # noqa: E402
from handlers.workdays import WorkCalendar  # noqa: E402
from storage.db import open_db  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
FIRST_MONDAY = dt.date(2024, 1, 1)
GRIDS_PER_COMMUNITY = 12
NOW = dt.datetime(2024, 12, 25, 10, 0, tzinfo=ZONE)  # Wednesday of the 52nd week
SUMMARY_WEEK = dt.date(2024, 12, 16)  # the last full week before NOW


def text(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def build_ledger(path: str | Path, grids: int = 1272, weeks: int = 52, tasks_per_week: int = 50,
                 *, seed: int = 5, now: dt.datetime = NOW) -> dict[str, int]:
    """Fill a fresh database at path with a county's roster and a year of tasks; return counts."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_db(path)
    conn = db.conn
    conn.execute("PRAGMA synchronous = OFF")
    indexes = _drop_indexes(conn, ("assignments", "events", "tasks"))
    rng = random.Random(seed)
    with conn:
        communities = _roster(conn, grids)
        counts = _tasks(conn, rng, communities, weeks, tasks_per_week, now)
    with conn:
        for sql in indexes:
            conn.execute(sql)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return counts


def _drop_indexes(conn, tables: tuple[str, ...]) -> list[str]:
    """Bulk loading is faster without indexes; the same CREATE statements put them back."""
    marks = ",".join("?" * len(tables))
    rows = conn.execute(f"select name, sql from sqlite_master where type = 'index'"
                        f" and tbl_name in ({marks}) and sql is not null", tables).fetchall()
    for name, _ in rows:
        conn.execute(f"DROP INDEX {name}")
    return [sql for _, sql in rows]


def _roster(conn, grids: int) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Return (community id, secretary id, [(grid id, worker id)]) per community."""
    street = conn.execute("insert into units (name, kind) values ('城关街道', 'street')").lastrowid
    communities = []
    for c in range((grids + GRIDS_PER_COMMUNITY - 1) // GRIDS_PER_COMMUNITY):
        unit = conn.execute("insert into units (name, kind, parent_id) values (?, 'community', ?)",
                            [f"第{c + 1}社区", street]).lastrowid
        secretary = conn.execute("insert into people (name, userid, roles, unit_id) values"
                                 " (?, ?, 'secretary', ?)", [f"书记{c + 1}", f"sec{c + 1}", unit]).lastrowid
        conn.execute("insert into groups (name, kind, unit_id) values (?, 'big', ?)",
                     [f"第{c + 1}社区工作群", unit])
        members = []
        for g in range(min(GRIDS_PER_COMMUNITY, grids - c * GRIDS_PER_COMMUNITY)):
            grid = conn.execute("insert into units (name, kind, parent_id, ordinal) values"
                                " (?, 'grid', ?, ?)", [f"{g + 1}网格", unit, g + 1]).lastrowid
            worker = conn.execute("insert into people (name, userid, roles, unit_id) values"
                                  " (?, ?, 'grid_worker', ?)",
                                  [f"网格员{c + 1}-{g + 1}", f"w{c + 1}_{g + 1}", grid]).lastrowid
            conn.execute("insert into groups (name, kind, unit_id) values (?, 'small', ?)",
                         [f"第{c + 1}社区{g + 1}网格群", grid])
            members.append((grid, worker))
        communities.append((unit, secretary, members))
    return communities


def _tasks(conn, rng: random.Random, communities, weeks: int, per_week: int,
           now: dt.datetime) -> dict[str, int]:
    task_id = assignment_id = 0
    counts = {"tasks": 0, "assignments": 0, "events": 0}
    for week in range(weeks):
        monday = dt.datetime.combine(FIRST_MONDAY + dt.timedelta(weeks=week), dt.time(8, 30),
                                     tzinfo=ZONE)
        tasks, assignments, events = [], [], []
        for community, secretary, members in communities:
            for n in range(per_week):
                issued = monday + dt.timedelta(days=n % 5, minutes=rng.randrange(0, 540))
                if issued >= now:
                    continue
                deadline = _deadline(rng, issued)
                task_id += 1
                number = week * per_week + n + 1
                tasks.append((task_id, community, number, f"任务{number}", "走访", secretary,
                              text(issued), text(deadline), "[]", "open"))
                events.append((text(issued), task_id, None, secretary, "issued", "{}"))
                for grid, worker in members:
                    assignment_id += 1
                    row, more = _assignment(rng, assignment_id, task_id, grid, worker, issued,
                                            deadline, now)
                    assignments.append(row)
                    events.extend(more)
        conn.executemany("insert into tasks (id, community_id, number, title, text, issuer_id,"
                         " issued_at, deadline, targets, state) values (?,?,?,?,?,?,?,?,?,?)", tasks)
        conn.executemany("insert into assignments (id, task_id, unit_id, handler_id, state,"
                         " deadline, created_at, claimed_at, done_at, accepted_at)"
                         " values (?,?,?,?,?,?,?,?,?,?)", assignments)
        conn.executemany("insert into events (at, task_id, assignment_id, actor_id, kind, detail)"
                         " values (?,?,?,?,?,?)", events)
        counts["tasks"] += len(tasks)
        counts["assignments"] += len(assignments)
        counts["events"] += len(events)
    return counts


def _deadline(rng: random.Random, issued: dt.datetime) -> dt.datetime:
    """Half the tasks are due by a day (end of that Friday), half at 17:00 in two or three days."""
    if rng.random() < 0.5:
        friday = issued.date() + dt.timedelta(days=4 - issued.weekday())
        return dt.datetime.combine(friday, dt.time(23, 59, 59), tzinfo=ZONE)
    return dt.datetime.combine(issued.date() + dt.timedelta(days=rng.choice((2, 3))),
                               dt.time(17, 0), tzinfo=ZONE)


def _assignment(rng, pk, task_id, grid, worker, issued, deadline, now):
    """Draw one assignment's outcome: mostly on time, some late, a few returned or left open."""
    events = [(text(issued), task_id, pk, None, "assigned", "{}")]
    claimed = issued + dt.timedelta(minutes=rng.randrange(5, 180))
    roll = rng.random()
    span = (deadline - issued).total_seconds()
    if roll < 0.86:
        done = issued + dt.timedelta(seconds=span * rng.uniform(0.2, 0.95))
    elif roll < 0.95:
        done = deadline + dt.timedelta(hours=rng.uniform(1, 72))
    else:
        done = None  # still open: the ledger's chronic overdue tail
    if roll > 0.997:
        claimed = None
    if done is not None and done >= now:
        done = None
    if claimed is not None and claimed >= now:
        claimed = None
    if claimed:
        events.append((text(claimed), task_id, pk, worker, "claim", "{}"))
    accepted = None
    if done:
        if roll > 0.84 and roll < 0.86:  # returned once, redone a day later
            events.append((text(done), task_id, pk, worker, "done", "{}"))
            events.append((text(done + dt.timedelta(hours=2)), task_id, pk, None, "return", "{}"))
            done += dt.timedelta(days=1)
            if done >= now:
                done = None
        if done:
            events.append((text(done), task_id, pk, worker, "done", "{}"))
            if rng.random() < 0.6 and done + dt.timedelta(days=1) < now:
                accepted = done + dt.timedelta(days=1)
                events.append((text(accepted), task_id, pk, None, "accept", "{}"))
    state = "accepted" if accepted else "done" if done else "claimed" if claimed else "open"
    if roll < 0.95 and not done and 0.97 < rng.random():
        state = "open"
    return ((pk, task_id, grid, worker, state, text(deadline), text(issued), text(claimed),
             text(done), text(accepted)), events)


def _timed(func, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def _figures(times: list[float]) -> str:
    return (f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms"
            f" over {len(times)} runs")


def measure(path: Path) -> None:
    """Time the weekly summary of several communities and the due-reminder scan."""
    db = open_db(path)
    communities = [r[0] for r in db.execute("select id from units where kind = 'community'"
                                            " order by id").fetchall()]
    rng = random.Random(1)
    chosen = rng.sample(communities, min(20, len(communities)))
    times = []
    for community in chosen:
        spent, summary = _timed(lambda: render_markdown(
            weekly_summary(db, community, SUMMARY_WEEK, NOW)), 3)
        times += spent
    print(f"weekly summary (one community, {len(chosen)} communities × 3, with markdown): "
          f"{_figures(times)}  [target < 300 ms]")
    rules, calendar = Rules(), WorkCalendar()
    with db.conn:
        db.conn.execute("delete from reminders_sent")  # a --keep run starts from the same log
    spent, owed = _timed(lambda: owed_reminders(db, NOW, rules, calendar), 1)
    print(f"due-reminder scan after downtime (nothing logged yet): {spent[0]:.1f} ms,"
          f" {len(owed)} reminders owed over the last {rules.catch_up.days} days")
    with db.conn:
        db.conn.executemany("insert into reminders_sent (kind, assignment_id, due_at, sent_at)"
                            " values (?,?,?,?)",
                            [(x.kind, x.owed.assignment_id, text(x.due_at), text(NOW)) for x in owed])
    times, settled = [], {}
    for minute in range(1, 12):
        moment = NOW + dt.timedelta(minutes=minute)
        spent, _ = _timed(lambda: owed_reminders(db, moment, rules, calendar, settled), 1)
        times += spent
    print(f"due-reminder scan, first tick after a restart (every moment looked up): "
          f"{times[0]:.1f} ms")
    print(f"due-reminder scan, steady state (the next 10 minute ticks): {_figures(times[1:])}"
          "  [target < 50 ms]")
    db.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="data/bench-ledger.db")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 1,272 grids")
    parser.add_argument("--keep", action="store_true", help="reuse an existing database")
    args = parser.parse_args()
    path = Path(args.db)
    grids = max(GRIDS_PER_COMMUNITY, round(1272 * args.scale))
    if not (args.keep and path.exists()):
        start = time.perf_counter()
        counts = build_ledger(path, grids=grids)
        print(f"built {grids} grids, {counts['tasks']:,} tasks, {counts['assignments']:,}"
              f" assignments, {counts['events']:,} events in {time.perf_counter() - start:.0f} s")
    size = sum(Path(str(path) + s).stat().st_size for s in ("", "-wal")
               if Path(str(path) + s).exists())
    print(f"database size: {size / 2**20:,.0f} MiB ({path})")
    measure(path)


if __name__ == "__main__":
    main()
