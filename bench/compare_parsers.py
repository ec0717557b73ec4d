"""Measure Chinese time parsers and numeral converters from PyPI against the project's readers.

The PyPI packages are not project dependencies: install each into its own folder, e.g.
    pip install --target /tmp/cmp/jionlp jionlp
and run  python bench/compare_parsers.py [--root /tmp/cmp]. A package that is missing or
fails to import is reported and skipped. Each candidate runs in its own interpreter, so import
times do not hide behind one another.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Asia/Shanghai")
END = dt.time(23, 59, 59)
# (folder under --root, module to import, what it is measured as)
TIME_PARSERS = [("project", "handlers.reading", "read_deadline"),
                ("jionlp", "jionlp", "jionlp.ner.extract_time"),
                ("chinesetimenlp", "ChineseTimeNLP", "ChineseTimeNLP.TimeNormalizer"),
                ("time-nlp", "time_nlp", "time_nlp.TimeNormalizer"),
                ("dateparser", "dateparser", "dateparser.search.search_dates(zh)")]
NUMERAL_CONVERTERS = [("project", "handlers.reading_text", "cn_to_int"),
                      ("cn2an", "cn2an", "cn2an.cn2an(mode=smart)"),
                      ("chinese2digits", "chinese2digits", "takeNumberFromString")]
NUMERALS = [("十二", 12), ("二十三", 23), ("两", 2), ("〇", 0), ("一百零五", 105),
            ("二〇二六", 2026), ("十", 10), ("３", 3), ("廿五", 25), ("卅", 30), ("三十", 30),
            ("十一", 11), ("二十", 20), ("九", 9), ("一千零一", 1001), ("两百", 200),
            ("二百五十", 250), ("一百一十", 110), ("零", 0), ("12", 12), ("１２", 12),
            ("三十一", 31), ("十七", 17), ("五十九", 59), ("二〇二四", 2024), ("廿", 20),
            ("一二", 12), ("两千零二十四", 2024), ("四十五", 45), ("七", 7)]
MARKERS = ("前", "之前", "以前", "内", "截止", "为止")


def load_deadlines() -> list[tuple[str, str, str]]:
    rows = []
    for line in (ROOT / "tests/corpus/deadlines.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _, now, text, expected = line.split("\t")
            rows.append((now, text, expected))
    return rows


# -- adapters: each turns a package's answer into read_deadline's convention as kindly as it can

def _project():
    from handlers.reading import read_deadline
    return read_deadline


def _jionlp():
    import jionlp

    def parse(text: str, now: dt.datetime) -> dt.datetime | None:
        found = jionlp.ner.extract_time(text, time_base=now.timestamp(), with_parsing=True)
        spans = [f for f in found if f.get("detail", {}).get("time")]
        if not spans:
            return None
        marked = [f for f in spans if f["text"].endswith(MARKERS)] or spans
        end = dt.datetime.fromisoformat(str(marked[-1]["detail"]["time"][-1]))
        if end.second == 59 and end.time() != END:  # "5点" spans 17:00-17:59:59: the hour
            end = end.replace(minute=0 if end.minute == 59 else end.minute, second=0)
        return end.replace(tzinfo=now.tzinfo)
    return parse


def _chinesetimenlp():
    import arrow
    from ChineseTimeNLP import TimeNormalizer
    normalizer = TimeNormalizer()

    def parse(text: str, now: dt.datetime) -> dt.datetime | None:
        found = normalizer.parse(text, arrow.get(now.replace(tzinfo=None)))
        if "timestamp" in found:
            moment = dt.datetime.fromisoformat(found["timestamp"])
            if moment.time() == dt.time(0):
                moment = dt.datetime.combine(moment.date(), END)  # a day: its end
            return moment.replace(tzinfo=now.tzinfo)
        if "timedelta" in found:
            d = found["timedelta"]
            return now + dt.timedelta(days=d.get("day", 0) + 30 * d.get("month", 0),
                                      hours=d.get("hour", 0), minutes=d.get("minute", 0))
        if "timespan" in found:
            return dt.datetime.fromisoformat(found["timespan"][-1]).replace(tzinfo=now.tzinfo)
        return None
    return parse


def _time_nlp():
    import arrow
    from time_nlp.TimeNormalizer import TimeNormalizer
    normalizer = TimeNormalizer()

    def parse(text: str, now: dt.datetime) -> dt.datetime | None:
        found = json.loads(normalizer.parse(target=text, timeBase=arrow.get(now)))
        stamp = found.get("timestamp")
        return dt.datetime.fromisoformat(stamp).replace(tzinfo=now.tzinfo) if stamp else None
    return parse


def _dateparser():
    from dateparser.search import search_dates

    def parse(text: str, now: dt.datetime) -> dt.datetime | None:
        found = search_dates(text, languages=["zh"], settings={
            "RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"})
        return found[-1][1].replace(tzinfo=now.tzinfo) if found else None
    return parse


ADAPTERS = {"project": _project, "jionlp": _jionlp, "chinesetimenlp": _chinesetimenlp,
            "time-nlp": _time_nlp, "dateparser": _dateparser}


def _numeral(name: str):
    if name == "project":
        from handlers.reading_text import cn_to_int
        return cn_to_int
    if name == "cn2an":
        import cn2an
        return lambda text: int(cn2an.cn2an(text, "smart"))
    import chinese2digits
    return lambda text: int(float(chinese2digits.takeNumberFromString(text)["digitsStringList"][0]))


# -- one candidate, in its own interpreter ------------------------------------------

def run_time_parser(name: str) -> dict:
    start = time.perf_counter()
    parse = ADAPTERS[name]()
    imported = (time.perf_counter() - start) * 1000
    right, samples, errors = 0, [], 0
    for now_text, text, expected in load_deadlines():
        now = dt.datetime.fromisoformat(now_text).replace(tzinfo=ZONE)
        want = None if expected == "None" else dt.datetime.fromisoformat(expected).replace(tzinfo=ZONE)
        begin = time.perf_counter()
        try:
            got = parse(text, now)
        except Exception:  # a parser that raises has answered wrongly
            got, errors = "error", errors + 1
        samples.append((time.perf_counter() - begin) * 1000)
        right += got == want
    return {"rows": len(samples), "right": right, "errors": errors, "import_ms": imported,
            **_cuts(samples)}


def run_numerals(name: str) -> dict:
    start = time.perf_counter()
    convert = _numeral(name)
    imported = (time.perf_counter() - start) * 1000
    right, samples = 0, []
    for text, value in NUMERALS:
        for _ in range(50):
            begin = time.perf_counter()
            try:
                got = convert(text)
            except Exception:  # counted as a wrong answer
                got = None
            samples.append((time.perf_counter() - begin) * 1000)
        right += got == value
    return {"rows": len(NUMERALS), "right": right, "errors": 0, "import_ms": imported,
            **_cuts(samples)}


def _cuts(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100)
    return {"p50": cuts[49], "p99": cuts[98]}


# -- the driver ---------------------------------------------------------------------

def measure(kind: str, folder: str, module: str, label: str, root: Path) -> str:
    env = dict(os.environ)
    path = [str(ROOT)] + ([str(root / folder)] if folder != "project" else [])
    env["PYTHONPATH"] = os.pathsep.join(path)
    if folder != "project" and not (root / folder).is_dir():
        return f"  {label:<38} not installed under {root / folder}: skipped"
    done = subprocess.run([sys.executable, __file__, "--run", kind, folder], env=env,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"  {label:<38} failed to import or run: {last[:90]}"
    r = json.loads(done.stdout.strip().splitlines()[-1])
    size = _size_mb(root / folder) if folder != "project" else "—"
    return (f"  {label:<38} {r['right']:>3}/{r['rows']:<3} {r['right'] / r['rows']:.3f}  "
            f"p50 {r['p50']:.3f} ms  p99 {r['p99']:.3f} ms  import {r['import_ms']:.0f} ms  "
            f"install {size}" + (f"  raised {r['errors']}" if r["errors"] else ""))


def _size_mb(folder: Path) -> str:
    total = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return f"{total / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/tmp/cmp"),
                        help="folder holding one --target install per package")
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        kind, name = args.run
        print(json.dumps((run_time_parser if kind == "time" else run_numerals)(name)))
        return
    print(f"## deadline corpus ({len(load_deadlines())} rows), exact to the minute")
    for folder, module, label in TIME_PARSERS:
        print(measure("time", folder, module, label, args.root), flush=True)
    print(f"\n## Chinese numerals ({len(NUMERALS)} words)")
    for folder, module, label in NUMERAL_CONVERTERS:
        print(measure("numerals", folder, module, label, args.root), flush=True)


if __name__ == "__main__":
    main()
