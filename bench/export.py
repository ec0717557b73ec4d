"""Benchmark: export a month of a county-scale ledger to Excel; print the time and peak memory.

    python bench/export.py [--db data/bench-county.db] [--keep]

The ledger comes from bench/ledger_scale.build_ledger when that module is present, else from the
generator below (1,272 grids in 106 communities, ~275,000 assignments in November 2024). The
export runs in a fresh process through `gridbot export ledger`, so its peak RSS is the export's.
Targets: under 60 s and under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

ZONE = ZoneInfo("Asia/Shanghai")
COMMUNITIES, GRIDS_PER_COMMUNITY = 106, 12  # 1,272 grids, like the city in shared/domain.md
TASKS_PER_DAY = 7  # per community, 8 every fifth day, each for all its grids: ≈ 275,000 a month
MONTH = (dt.date(2024, 11, 1), dt.date(2024, 11, 30))


def build(path: Path) -> None:
    """Fill a fresh database with the county: its roster and two months of tasks."""
    try:
        from ledger_scale import build_ledger  # issue 5's county-scale ledger, when present
    except ImportError:
        build_ledger = None
    if build_ledger and all(p.default is not p.empty
                            for p in list(inspect.signature(build_ledger).parameters.values())[1:]):
        build_ledger(path)
        return
    _generate(path)


def _generate(path: Path) -> None:
    from storage.db import open_db
    rng = random.Random(6)
    db = open_db(str(path))
    conn = db.conn
    with conn:
        grids, people = _roster(conn)
        _tasks(conn, rng, grids, people)
    conn.execute("analyze")
    conn.close()


def _roster(conn) -> tuple[dict[int, list[int]], dict[int, int]]:
    street = conn.execute("insert into units (name, kind) values ('城关街道', 'street')").lastrowid
    grids: dict[int, list[int]] = {}
    people: dict[int, int] = {}
    for c in range(1, COMMUNITIES + 1):
        community = conn.execute("insert into units (name, kind, parent_id) values (?, 'community', ?)",
                                 [f"第{c}社区", street]).lastrowid
        conn.execute("insert into people (name, userid, roles, unit_id) values (?, ?, 'secretary', ?)",
                     [f"书记{c}", f"sec{c}", community])
        grids[community] = []
        for g in range(1, GRIDS_PER_COMMUNITY + 1):
            grid = conn.execute("insert into units (name, kind, parent_id, ordinal) "
                                "values (?, 'grid', ?, ?)", [f"{g}网格", community, g]).lastrowid
            grids[community].append(grid)
            people[grid] = conn.execute(
                "insert into people (name, userid, roles, unit_id) values (?, ?, 'grid_worker', ?)",
                [f"网格员{c}-{g}", f"w{c}x{g}", grid]).lastrowid
    return grids, people


TITLES = ("独居老人走访", "消防隐患排查", "通知停水", "电动车飞线充电排查", "垃圾分类宣传",
          "疫苗接种摸底", "出租屋登记核查", "防汛物资清点", "反诈宣传入户", "七个必访上门走访")


def _tasks(conn, rng: random.Random, grids: dict[int, list[int]], people: dict[int, int]) -> None:
    start = dt.datetime(2024, 10, 25, 8, 30, tzinfo=ZONE)  # a week before the month, too
    days = (dt.datetime(2024, 12, 1, tzinfo=ZONE) - start).days
    task_id = assignment_id = 0
    tasks, assignments, returns = [], [], []
    for community, units in grids.items():
        for day in range(days):
            for n in range(TASKS_PER_DAY + (day % 5 == 0)):
                task_id += 1
                issued = start + dt.timedelta(days=day, minutes=37 * n)
                deadline = issued + dt.timedelta(days=rng.choice((1, 2, 3, 5, 7)))
                title = rng.choice(TITLES)
                tasks.append((task_id, community, day * (TASKS_PER_DAY + 1) + n + 1, title,
                              f"各网格{title}，拍照反馈", issued.isoformat(), deadline.isoformat(),
                              json.dumps(units)))
                for unit in units:
                    assignment_id += 1
                    row, returned = _assignment(rng, assignment_id, task_id, unit, people[unit],
                                                issued, deadline)
                    assignments.append(row)
                    if returned:
                        returns.append((assignment_id, "return", row[8] or issued.isoformat(),
                                        "补照片", "[]"))
    conn.executemany("insert into tasks (id, community_id, number, title, text, issued_at, deadline, "
                     "targets, state) values (?, ?, ?, ?, ?, ?, ?, ?, 'open')", tasks)
    conn.executemany("insert into assignments (id, task_id, unit_id, handler_id, state, deadline, "
                     "created_at, claimed_at, done_at, accepted_at) values (?,?,?,?,?,?,?,?,?,?)",
                     assignments)
    conn.executemany("insert into reports (assignment_id, kind, at, text, attachments) "
                     "values (?, ?, ?, ?, ?)", returns)


def _assignment(rng, aid, task, unit, handler, issued, deadline):
    state = rng.choices(("accepted", "done", "claimed", "open", "declined"),
                        (50, 20, 15, 12, 3))[0]
    claimed = issued + dt.timedelta(minutes=rng.randint(5, 600))
    done = claimed + dt.timedelta(hours=rng.randint(1, 120))
    text = lambda m: m.isoformat()
    row = (aid, task, unit, handler, state, deadline.isoformat(), issued.isoformat(),
           text(claimed) if state != "open" else None,
           text(done) if state in ("done", "accepted") else None,
           text(done + dt.timedelta(hours=3)) if state == "accepted" else None)
    return row, state == "claimed" and rng.random() < 0.2


def export_in_fresh_process(db: Path, out: Path) -> dict:
    """Run `gridbot export ledger` in a new interpreter; return its seconds and peak RSS."""
    code = (
        "import json, sys, time\n"
        "from bot.cli import main\n"
        "t = time.perf_counter()\n"
        f"code = main(['export', 'ledger', '--from', '{MONTH[0]}', '--to', '{MONTH[1]}',"
        f" '-o', {str(out)!r}, '--db', {str(db)!r}, '--at', '2024-12-01T09:00:00+08:00'])\n"
        "seconds = time.perf_counter() - t\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith('VmHWM')) / 1024\n"
        "print(json.dumps({'code': code, 'seconds': seconds, 'peak_mb': peak}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    figures["said"] = done.stdout.strip()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "bench-county.db")
    parser.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    args = parser.parse_args()
    if not (args.keep and args.db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        args.db.parent.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        build(args.db)
        print(f"built {args.db} in {time.perf_counter() - began:.1f} s")
    out = args.db.with_name("bench-export.xlsx")
    figures = export_in_fresh_process(args.db, out)
    print(figures["said"])
    print(f"export: {figures['seconds']:.1f} s (target < 60 s), "
          f"peak RSS {figures['peak_mb']:.0f} MB (target < 500 MB), "
          f"file {out.stat().st_size / 1e6:.1f} MB, exit code {figures['code']}")
    csv_out = args.db.with_name("bench-export.csv")
    csv_figures = export_in_fresh_process(args.db, csv_out)
    print(f"csv export: {csv_figures['seconds']:.1f} s, peak RSS {csv_figures['peak_mb']:.0f} MB")
    print(f"ru_maxrss of this process (building the ledger): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
