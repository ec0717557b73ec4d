"""The weekly and monthly summaries in the console, browsable by week or month, with charts."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io

from flask import abort, render_template, request, send_file
from sqlite_utils import Database

from bot.console.blueprint import console, desk, locked, secretary_only, viewer
from handlers.summary import (GridFigures, Summary, monthly_summary, period_label,
                              week_start_of, weekly_summary)

KINDS = ("week", "month")


def week_figures(db: Database, community_id: int, grid_id: int,
                 now: dt.datetime) -> tuple[str, GridFigures | None]:
    """Return this week's label and one grid's figures, counted as the weekly summary does."""
    summary = weekly_summary(db, community_id, week_start_of(now.date()), now, rank=False)
    mine = next((g for g in summary.grids if g.unit_id == grid_id), None)
    return period_label(summary), mine


def _period(kind: str, start: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """Return the period's first day and the first days of the periods before and after."""
    if kind == "week":
        first = week_start_of(start)
        return first, first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    first = start.replace(day=1)
    before = (first - dt.timedelta(days=1)).replace(day=1)
    after = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, before, after


def _summary(db: Database, kind: str, first: dt.date) -> Summary:
    make = weekly_summary if kind == "week" else monthly_summary
    return make(db, viewer().community.id, first, desk().now())


def _chosen() -> tuple[str, dt.date]:
    kind = request.args.get("kind", "week")
    if kind not in KINDS:
        abort(404)
    try:
        start = dt.date.fromisoformat(request.args.get("start", ""))
    except ValueError:
        start = desk().now().date()  # no date chosen yet: the current period
    return kind, start


@console.get("/summaries")
@secretary_only
def summaries():
    """Show a week's or a month's summary with its chart and links to the periods around it."""
    kind, start = _chosen()
    first, before, after = _period(kind, start)
    with locked() as db:
        summary = _summary(db, kind, first)
    return render_template("console/summary.html", summary=summary, kind=kind, first=first,
                           before=before, after=after, label=period_label(summary),
                           charts=importlib.util.find_spec("bot.charts") is not None)


@console.get("/summaries/chart.png")
@secretary_only
def summary_chart():
    """Draw the chart of a week's or a month's summary."""
    if importlib.util.find_spec("bot.charts") is None:
        abort(404)
    from bot.charts import render_chart
    kind, start = _chosen()
    first, _, _ = _period(kind, start)
    with locked() as db:
        summary = _summary(db, kind, first)
    image = io.BytesIO()
    render_chart(summary, image)
    image.seek(0)
    return send_file(image, mimetype="image/png", max_age=60)

