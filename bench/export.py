"""Benchmark: export a month of the county-scale ledger to Excel; print the time and peak memory.

    python bench/export.py [--db data/bench-county.db] [--keep]

The ledger is bench/ledger_scale.build_ledger's county year (1,272 grids, 50 tasks a week per
community, 3.3 M assignments); November 2024 holds about 267,000 of them. Each export runs in a
fresh interpreter through `gridbot export ledger`, so the peak RSS printed is the export's own.
Targets: under 60 s and under 500 MB (openpyxl's write-only mode streams the rows).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ledger_scale import build_ledger  # noqa: E402

MONTH = ("2024-11-01", "2024-11-30")
AT = "2024-12-01T09:00:00+08:00"
# Run in the child: time the command, then read the child's own high-water mark (VmHWM; Linux
# carries ru_maxrss over from the parent across exec, so that figure would include ours).
CHILD = """
import json, sys, time
from bot.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - started
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM")) / 1024
print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak}), file=sys.stderr)
"""


def export_in_fresh_process(db: Path, out: Path) -> dict:
    """Run `gridbot export ledger` for the month in a new interpreter; return its figures."""
    args = ["export", "ledger", "--from", MONTH[0], "--to", MONTH[1], "-o", str(out),
            "--db", str(db), "--at", AT]
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, capture_output=True,
                          text=True)
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    figures["said"] = done.stdout.strip()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "bench-county.db")
    parser.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    args = parser.parse_args()
    if not (args.keep and args.db.exists()):
        args.db.parent.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        counts = build_ledger(args.db)
        print(f"built {args.db} in {time.perf_counter() - began:.0f} s: {counts}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for suffix, label in (("xlsx", "Excel"), ("csv", "CSV")):
        out = args.db.with_name(f"bench-export.{suffix}")
        f = export_in_fresh_process(args.db, out)
        print(f"{label}: {f['said']}")
        print(f"{label}: {f['seconds']:.1f} s (target < 60 s), peak RSS {f['peak_mb']:.0f} MB "
              f"(target < 500 MB), file {out.stat().st_size / 1e6:.1f} MB, exit code {f['code']}")


if __name__ == "__main__":
    main()
