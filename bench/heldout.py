"""Measure the readers on a held-out file they have never seen, and list every miss.

Run: python bench/heldout.py FILE.tsv [FILE.tsv ...]
A reply file has 6 columns (kind, text, open_tasks, quoted_task, intent, tasks); a deadline
file 4 (kind, now, text, expected) — the corpus formats of tests/corpus/. Measure a new batch
before changing the reader for it: that first figure is the honest estimate.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reading import at, numbers  # noqa: E402
from handlers.reading import read_deadline, read_reply  # noqa: E402

CARRY_TASKS = ("claim", "progress", "done", "decline")


def rows(path: Path) -> list[list[str]]:
    return [[c.replace("\\n", "\n") for c in line.split("\t")]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def replies(table: list[list[str]]) -> None:
    intents = tasks = with_tasks = 0
    for kind, text, open_tasks, quoted, intent, expected in table:
        got_intent, got_tasks = read_reply(text, numbers(open_tasks), int(quoted) if quoted else None)
        want_tasks = expected if expected == "AMBIGUOUS" else numbers(expected)
        intents += got_intent == intent
        if intent in CARRY_TASKS:
            with_tasks += 1
            tasks += got_tasks == want_tasks
        if got_intent != intent or (intent in CARRY_TASKS and got_tasks != want_tasks):
            print(f"  miss {kind}: {text!r} [{open_tasks}|{quoted}] want {intent} {expected}, "
                  f"got {got_intent} {got_tasks}")
    print(f"reply intent {intents}/{len(table)} = {intents / len(table):.3f}; "
          f"task reference {tasks}/{with_tasks} = {tasks / max(with_tasks, 1):.3f}")


def deadlines(table: list[list[str]]) -> None:
    exact = 0
    for kind, now, text, expected in table:
        got = read_deadline(text, at(now))
        shown = "None" if got is None else got.strftime("%Y-%m-%d %H:%M:%S")
        exact += shown == expected
        if shown != expected:
            print(f"  miss {kind}: {text!r} at {now}: want {expected}, got {shown}")
    print(f"deadline exact {exact}/{len(table)} = {exact / len(table):.3f}")


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        table = rows(path)
        print(f"## {path.name} ({len(table)} rows)")
        (replies if len(table[0]) == 6 else deadlines)(table)


if __name__ == "__main__":
    main(sys.argv[1:])
