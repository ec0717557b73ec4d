"""Write a summary as WeCom markdown, inside the 4096-byte limit of one message."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from handlers import texts

if TYPE_CHECKING:
    from handlers.summary import GridFigures, Summary

LIMIT = 4096  # bytes of UTF-8 in one WeCom markdown message (errcode 40058 past it)


def rate(value: float | None) -> str:
    return texts.SUMMARY_NONE if value is None else f"{value:.0%}"


def period_label(summary: Summary) -> str:
    """Write the period as people read it: 11月18日—11月24日."""
    last = summary.end - dt.timedelta(days=1)
    return "—".join(texts.SUMMARY_WEEK_SPAN.format(m1=d.month, d1=d.day)
                    for d in (summary.start, last))


def render_markdown(summary: Summary) -> str:
    """Render title, totals, comparison, grid table, overdue list (and workers for a month)."""
    head = [texts.SUMMARY_TITLE.format(community=summary.community,
                                       kind=texts.SUMMARY_KIND_NAMES[summary.kind],
                                       start=period_label(summary).split("—")[0],
                                       end=period_label(summary).split("—")[1]),
            _totals(summary.totals), _compare(summary)]
    tail = [texts.SUMMARY_RULE] if summary.ranked else []
    budget = LIMIT - _size(head + tail) - 16
    sections = [_grid_lines(summary), _overdue_lines(summary)]
    if summary.kind == "month":
        sections.append(_worker_lines(summary))
    body = []
    for i, lines in enumerate(sections):
        share = budget // (len(sections) - i)  # what a later section leaves, an earlier may use
        fitted = _fit(lines, share)
        budget -= _size(fitted)
        body += [""] + fitted
    return "\n".join(head + body + ([""] + tail if tail else []))


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _fit(lines: list[str], budget: int) -> list[str]:
    """Keep the heading and as many rows as fit, then say how many were left out."""
    if _size(lines) <= budget:
        return lines
    kept = list(lines[:_header_rows(lines)])
    rows = lines[len(kept):]
    for i, row in enumerate(rows):
        more = texts.SUMMARY_MORE.format(n=len(rows) - i)
        if _size(kept + [row, more]) > budget:
            return kept + [more]
        kept.append(row)
    return kept


def _header_rows(lines: list[str]) -> int:
    """A table keeps its heading, column names and rule line; a list just its heading."""
    return 3 if len(lines) > 1 and lines[1].startswith("|") else 1


def _counts(f: GridFigures) -> dict:
    return {"issued": f.issued, "claimed": f.claimed, "done": f.done, "on_time": f.on_time,
            "overdue": f.overdue, "still_open": f.still_open, "returned": f.returned,
            "rate": rate(f.on_time_rate)}


def _totals(totals: GridFigures) -> str:
    return texts.SUMMARY_TOTALS.format(**_counts(totals))


def _compare(summary: Summary) -> str:
    period = texts.SUMMARY_PERIOD_NAMES[summary.kind]
    before = summary.previous
    if before is None:
        return texts.SUMMARY_NO_PREVIOUS.format(period=period)
    now = summary.totals
    if now.on_time_rate is None or before.on_time_rate is None:
        change = texts.SUMMARY_NONE
    else:
        change = f"{(now.on_time_rate - before.on_time_rate) * 100:+.0f}个百分点"
    return texts.SUMMARY_COMPARE.format(period=period, done=f"{now.done - before.done:+d}",
                                        overdue=f"{now.overdue - before.overdue:+d}",
                                        rate=change)


def _grid_lines(summary: Summary) -> list[str]:
    if summary.ranked:
        rows = [texts.SUMMARY_GRID_ROW.format(rank=i, unit=f.unit, **_counts(f))
                for i, f in enumerate(summary.grids, start=1)]
        return [texts.SUMMARY_GRIDS_RANKED, texts.SUMMARY_GRID_HEAD,
                _rule(texts.SUMMARY_GRID_HEAD), *rows]
    rows = [texts.SUMMARY_GRID_ROW_PLAIN.format(unit=f.unit, **_counts(f)) for f in summary.grids]
    return [texts.SUMMARY_GRIDS, texts.SUMMARY_GRID_HEAD_PLAIN,
            _rule(texts.SUMMARY_GRID_HEAD_PLAIN), *rows]


def _rule(header: str) -> str:
    return "|" + "---|" * (header.count("|") - 1)


def _overdue_lines(summary: Summary) -> list[str]:
    if not summary.overdue:
        return [texts.SUMMARY_NO_OVERDUE]
    rows = [texts.SUMMARY_OVERDUE_ROW.format(task=x.task, title=x.title, unit=x.unit,
                                             handler=x.handler or texts.NO_HANDLER,
                                             days=x.days_late) for x in summary.overdue]
    return [texts.SUMMARY_OVERDUE.format(n=len(rows)), *rows]


def _worker_lines(summary: Summary) -> list[str]:
    template = texts.SUMMARY_WORKER_ROW if summary.ranked else texts.SUMMARY_WORKER_ROW_PLAIN
    rows = [template.format(rank=i, person=w.person, unit=w.unit, done=w.done,
                            on_time=w.on_time, overdue=w.overdue, returned=w.returned,
                            rate=rate(w.on_time_rate))
            for i, w in enumerate(summary.workers, start=1)]
    heading = texts.SUMMARY_WORKERS_RANKED if summary.ranked else texts.SUMMARY_WORKERS
    return [heading, *rows]
