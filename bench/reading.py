"""Print the readers' accuracy per kind on the corpus and their p50/p99 latency per call.

Run: python bench/reading.py   (from the repository root; needs the test extras)
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.reading import read_command, read_deadline, read_reply, read_targets  # noqa: E402
from tests.test_reading_targets import GRIDS, PEOPLE, expected_targets  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
CORPUS = ROOT / "tests" / "corpus"
REPEAT = 20  # calls per row for the latency figures


def load(name: str) -> list[list[str]]:
    """Read a corpus TSV the way the tests do."""
    return [[c.replace("\\n", "\n") for c in line.split("\t")]
            for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


def numbers(cell: str) -> list[int]:
    return [int(n) for n in cell.split(",") if n.strip()]


def timed(call, args_list) -> list[float]:
    """Return the per-call latency in ms of call over args_list, REPEAT times each."""
    samples = []
    for args in args_list:
        for _ in range(REPEAT):
            start = time.perf_counter()
            call(*args)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49]:.3f} ms  p99 {cuts[98]:.3f} ms  max {max(samples):.3f} ms"


def report(title: str, results: dict[str, list[bool]]) -> None:
    print(f"\n## {title}")
    for kind in sorted(results):
        ok = results[kind]
        print(f"  {kind:<22} {sum(ok):>4}/{len(ok):<4} {sum(ok) / len(ok):.3f}")
    every = [x for kind, ok in results.items() if not kind.endswith("(batch)") for x in ok]
    print(f"  {'ALL':<22} {sum(every):>4}/{len(every):<4} {sum(every) / len(every):.3f}")


def kind_of(tag: str) -> str:
    """Group fresh.dialect with dialect, but keep the blind batches countable on their own."""
    return tag.split(".")[-1]


def bench_replies() -> list[tuple]:
    rows = [row for path in sorted(CORPUS.glob("replies*.tsv")) for row in load(path.name)]
    intents, tasks = defaultdict(list), defaultdict(list)
    calls = []
    for kind, text, open_tasks, quoted, intent, expected in rows:
        args = (text, numbers(open_tasks), int(quoted) if quoted else None)
        calls.append(args)
        got_intent, got_tasks = read_reply(*args)
        want = expected if expected == "AMBIGUOUS" else numbers(expected)
        for key in (kind_of(kind), kind.split(".")[0] + " (batch)" if "." in kind else None):
            if key:
                intents[key].append(got_intent == intent)
                if intent not in ("question", "other"):
                    tasks[key].append(got_tasks == want)
    report(f"read_reply intent ({len(rows)} rows)", intents)
    report("read_reply task reference (claim/progress/done/decline rows)", tasks)
    return calls


def bench_deadlines() -> list[tuple]:
    rows = load("deadlines.tsv")
    results, calls = defaultdict(list), []
    for kind, now, text, expected in rows:
        calls.append((text, at(now)))
        ok = read_deadline(text, at(now)) == (None if expected == "None" else at(expected))
        results[kind_of(kind)].append(ok)
        if "." in kind:
            results[kind.split(".")[0] + " (batch)"].append(ok)
    report(f"read_deadline exact to the minute ({len(rows)} rows)", results)
    return calls


def bench_targets() -> list[tuple]:
    rows = load("targets.tsv")
    results, calls = defaultdict(list), []
    for kind, text, grids, people, everyone in rows:
        calls.append((text, GRIDS, PEOPLE))
        results[kind_of(kind)].append(
            read_targets(text, GRIDS, PEOPLE) == expected_targets(grids, people, everyone))
    report(f"read_targets ({len(rows)} rows)", results)
    return calls


def import_time_ms() -> float:
    """Return the cumulative import time of handlers.reading in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import handlers.reading"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stderr
    line = next(li for li in out.splitlines() if li.rstrip().endswith("| handlers.reading"))
    return int(re.split(r"\s*\|\s*", line)[1]) / 1000


def main() -> None:
    reply_calls = bench_replies()
    deadline_calls = bench_deadlines()
    target_calls = bench_targets()
    command_calls = [(text, at("2024-11-18 08:30"), GRIDS, PEOPLE)
                     for text, *_ in reply_calls] + \
        [(r[1], at("2024-11-18 08:30"), GRIDS, PEOPLE) for r in load("commands.tsv")]
    print(f"\n## latency per call ({REPEAT} calls per corpus row)")
    for name, call, calls in (("read_reply", read_reply, reply_calls),
                              ("read_deadline", read_deadline, deadline_calls),
                              ("read_targets", read_targets, target_calls),
                              ("read_command", read_command, command_calls)):
        print(f"  {name:<14} {percentiles(timed(call, calls))}")
    print(f"\n## import\n  import handlers.reading: {import_time_ms():.1f} ms cumulative "
          "(python -X importtime, fresh interpreter)")


if __name__ == "__main__":
    main()
