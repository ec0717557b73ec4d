"""The console's other pages: grids, overdue work, roster with import, ledger export."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from dataclasses import asdict
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, send_file, url_for

from bot.console.blueprint import console, desk, locked, secretary_only, viewer
from bot.console.present import days_late
from bot.console.summaries import week_figures
from bot.export import export_ledger
from handlers import texts
from handlers.roster_file import RosterFileError, import_roster, outside_claims, read_roster
from storage import ledger_queries, roster
from storage.db import read_only_copy

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8"}


def _community():
    if viewer().community is None:
        abort(404)
    return viewer().community


@console.get("/grids")
def grids():
    """List the community's grids with their open, late and waiting work."""
    community = _community()
    with locked() as db:
        loads = ledger_queries.grid_loads(db, community.id, desk().now())
    if not viewer().is_secretary:
        loads = [g for g in loads if g.grid_id in viewer().units]
    return render_template("console/grids.html", loads=loads)


@console.get("/grids/<int:grid_id>")
def grid(grid_id: int):
    """Show one grid: its people, unfinished work and this week's figures."""
    community = _community()
    with locked() as db:
        unit = roster.get_unit(db, grid_id)
        if unit.kind != "grid" or unit.parent_id != community.id:
            abort(404)
        if not viewer().is_secretary and grid_id not in viewer().units:
            abort(404)
        now = desk().now()
        work = ledger_queries.open_work(db, grid_id, now)
        buildings = roster.children(db, grid_id, "building")
        people = roster.list_people(db, [grid_id] + [b.id for b in buildings])
        week = week_figures(db, community.id, grid_id, now)
    return render_template("console/grid.html", grid=unit, work=work, people=people,
                           week=week, days_late=days_late, now=now)


@console.get("/overdue")
def overdue():
    """List everything late and not done, oldest deadline first, with whom to chase."""
    community = _community()
    units = None if viewer().is_secretary else viewer().units
    with locked() as db:
        now = desk().now()
        lines = ledger_queries.overdue_work(db, community.id, now, units)
    return render_template("console/overdue.html", lines=lines, now=now, days_late=days_late)


@console.get("/roster")
@secretary_only
def roster_page():
    """Show the community's units, people, groups and their WeCom bindings."""
    community = viewer().community
    with locked() as db:
        units = [community] + _below(db, community.id)
        names = {u.id: u.name for u in units}
        people = roster.list_people(db, list(names))
        groups = [g for g in roster.list_groups(db) if g.unit_id in names]
    return render_template("console/roster.html", units=units, names=names, people=people,
                           groups=groups)


def _below(db, unit_id: int) -> list:
    found = []
    for child in roster.children(db, unit_id):
        found += [child] + _below(db, child.id)
    return found


@console.post("/roster/import")
@secretary_only
def roster_import():
    """Import roster files for this community only; a bad file changes nothing."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        flash(texts.CONSOLE_IMPORT_NO_FILE, "error")
        return redirect(url_for("console.roster_page"))
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, upload in enumerate(files):
            path = Path(folder) / str(index) / Path(upload.filename).name
            path.parent.mkdir()
            upload.save(path)
            paths.append(path)
        try:
            data = read_roster(paths)
        except RosterFileError as e:
            return render_template("console/import_failed.html", errors=e.errors), 400
    own = viewer().community.name
    others = sorted({u.name for u in data.units if u.kind == "community"} - {own})
    if others:
        flash(texts.CONSOLE_IMPORT_OTHER_COMMUNITY.format(names="、".join(others), own=own),
              "error")
        return redirect(url_for("console.roster_page"))
    with locked() as db:
        taken = outside_claims(db, data, viewer().community.id)
        if taken:
            flash(texts.CONSOLE_IMPORT_TAKEN.format(names="、".join(taken), own=own), "error")
            return redirect(url_for("console.roster_page"))
        summary = import_roster(db, data)
    flash(texts.ROSTER_IMPORTED.format(**asdict(summary)), "ok")
    return redirect(url_for("console.roster_page"))


@console.get("/export")
@secretary_only
def export_page():
    today = desk().now().date()
    return render_template("console/export.html", start=today.replace(day=1), end=today)


@console.get("/export/ledger")
@secretary_only
def export_file():
    """Send the community's ledger for the chosen dates as .xlsx or .csv."""
    fmt = request.args.get("format", "xlsx")
    try:
        start = dt.date.fromisoformat(request.args.get("from", ""))
        end = dt.date.fromisoformat(request.args.get("to", ""))
    except ValueError:
        start = end = None
    if fmt not in MIME or start is None or start > end:
        flash(texts.CONSOLE_EXPORT_BAD_RANGE, "error")
        return redirect(url_for("console.export_page"))
    out = io.BytesIO()
    with read_only_copy(desk().db_file) as reader:  # a long read must not hold up the callbacks
        with contextlib.nullcontext(reader) if reader else locked() as db:
            export_ledger(db, out, fmt, [viewer().community.id], start, end, desk().now())
    out.seek(0)
    name = texts.EXPORT_FILE_NAME.format(start=start, end=end, suffix=fmt)
    return send_file(out, mimetype=MIME[fmt], as_attachment=True, download_name=name)
