"""The console's task pages: the filtered list, one task with its grids, actions and the form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from sqlite_utils import Database
from werkzeug.datastructures import MultiDict

from bot.console.blueprint import console, desk, locked, secretary_only, viewer
from bot.console.present import pages, task_rows
from handlers import texts
from handlers.console_actions import ACTIONS, issue_task, run_command
from handlers.reading import Command
from handlers.views import task_history
from storage import ledger, ledger_queries, roster
from storage.ledger_queries import TaskFilter
from storage.models import ZONE, Task

PAGE_SIZE = 30
FILTER_STATES = ("open", "claimed", "done", "accepted", "declined", "transferred", "cancelled")


@console.get("/")
def home():
    return redirect(url_for("console.tasks"))


def visible_task(db: Database, task_id: int) -> Task:
    """Return the task if the viewer may see it; anything else is 'not found'."""
    task = ledger.get_task_by_id(db, task_id)
    v = viewer()
    if v.community is None or task.community_id != v.community.id:
        abort(404)
    if not v.is_secretary and not any(a.unit_id in v.units
                                      for a in ledger.assignments_of(db, task.id)):
        abort(404)
    return task


@console.get("/tasks")
def tasks():
    """List tasks by filter and search, newest first; a grid worker sees their grid's only."""
    v = viewer()
    f, problems = _read_filter(request.args)
    if not v.is_secretary:
        f = replace(f, unit_ids=v.units)
    for problem in problems:
        flash(problem, "error")
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with locked() as db:
        found = ledger_queries.TaskPage((), 0)
        grids, issuers = [], []
        if v.community is not None:
            found = ledger_queries.find_tasks(db, v.community.id, f, desk().now(), PAGE_SIZE,
                                              (page - 1) * PAGE_SIZE)
            grids = roster.grids_of(db, v.community.id)
            issuers = ledger_queries.issuers(db, v.community.id)
    args = request.args.to_dict()
    args.pop("page", None)
    return render_template("console/tasks.html", found=found, f=f, grids=grids,
                           issuers=issuers, states=FILTER_STATES, page=page, args=args,
                           pages=pages(found.total, PAGE_SIZE))


def _read_filter(args: MultiDict) -> tuple[TaskFilter, list[str]]:
    problems: list[str] = []

    def day(key: str) -> dt.date | None:
        value = args.get(key, "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(texts.CONSOLE_BAD_DATE.format(value=value))
            return None

    state = args.get("state") if args.get("state") in FILTER_STATES else None
    f = TaskFilter(state=state, grid_id=args.get("grid", type=int),
                   issuer_id=args.get("issuer", type=int), issued_from=day("from"),
                   issued_to=day("to"), overdue_only=args.get("overdue") == "1",
                   search=args.get("q", "")[:100])
    return f, problems


@console.get("/tasks/<int:task_id>")
def task(task_id: int):
    """Show one task: a row per grid, progress notes and photos, its full history."""
    v = viewer()
    with locked() as db:
        found = visible_task(db, task_id)
        rows = task_rows(db, found, desk().now(), None if v.is_secretary else v.units)
        issuer = roster.get_person(db, found.issuer_id).name if found.issuer_id else ""
        history = task_history(db, found.id)
        grids = roster.grids_of(db, v.community.id)
        names = {p.id: p.name for p in roster.list_people(db)}
    return render_template("console/task.html", task=found, rows=rows, issuer=issuer,
                           history=history, grids=grids, names=names)


@console.post("/tasks/<int:task_id>/<action>")
@secretary_only
def act(task_id: int, action: str):
    """Run a secretary action through the chat command's handler; report its answer."""
    if action not in ACTIONS:
        abort(404)
    with locked() as db:
        found = visible_task(db, task_id)
        command, unit, expect, problem = _command(db, found, action)
        if problem:
            flash(problem, "error")
        else:
            at = desk().now()
            outcome = run_command(db, desk().options, viewer().person, command, at, unit=unit,
                                  expect=expect)
            desk().deliver(at)
            flash(outcome.reply, "error" if outcome.intent in ("refused", "error") else "ok")
    return redirect(url_for("console.task", task_id=task_id))


def _command(db: Database, task: Task, action: str):
    """Read the action's form into (command, unit named in the log, expected state, problem)."""
    form = request.form
    if action == "cancel":
        return Command("cancel", task.number), "", None, None
    assignment = _assignment(db, task, form.get("assignment", type=int), action != "extend")
    grid = roster.ancestor(db, assignment.unit_id, "grid") if assignment else None
    grids = (grid.id,) if grid else ()
    unit = grid.name if grid else ""
    if action == "accept":
        return Command("accept", task.number, grids), unit, (assignment.id, "accepted"), None
    if action == "return":
        reason = " ".join(form.get("reason", "").split())[:200]
        if not reason:
            return None, unit, None, texts.CONSOLE_RETURN_NEEDS_REASON
        return (Command("return", task.number, grids, reason=reason), unit,
                (assignment.id, "claimed"), None)
    if action == "extend":
        deadline = _deadline(form.get("date", ""), form.get("time", ""))
        if deadline is None:
            value = f"{form.get('date', '')} {form.get('time', '')}".strip()
            return None, unit, None, texts.CONSOLE_BAD_DATE.format(value=value)
        return Command("extend", task.number, grids, deadline=deadline), unit, None, None
    to = form.get("to", type=int)
    targets = {g.id: g for g in roster.grids_of(db, task.community_id)}
    if to not in targets:
        return None, unit, None, texts.UNIT_NOT_FOUND
    return (Command("transfer", task.number, (to,)), targets[to].name,
            (assignment.id, "transferred"), None)


def _assignment(db: Database, task: Task, assignment_id: int | None, required: bool):
    if assignment_id is None and not required:
        return None
    mine = {a.id: a for a in ledger.assignments_of(db, task.id)}
    if assignment_id not in mine:
        abort(404)
    return mine[assignment_id]


def _deadline(day: str, time: str) -> dt.datetime | None:
    try:
        clock = dt.time.fromisoformat(time) if time.strip() else dt.time(23, 59, 59)
        return dt.datetime.combine(dt.date.fromisoformat(day.strip()), clock, ZONE)
    except ValueError:
        return None


@console.route("/tasks/new", methods=["GET", "POST"])
@secretary_only
def new_task():
    """Issue a task from a form: the same reader and the same confirmation as the chat."""
    if request.method == "GET":
        return render_template("console/new.html", text="")
    text = request.form.get("text", "")
    with locked() as db:
        at = desk().now()
        outcome = issue_task(db, desk().options, viewer().person, text, at)
        desk().deliver(at)
        if outcome.intent == "issue" and outcome.task_numbers:
            issued = ledger.get_task(db, viewer().community.id, outcome.task_numbers[0])
            flash(outcome.reply, "ok")
            return redirect(url_for("console.task", task_id=issued.id))
    flash(outcome.reply or texts.CONSOLE_NOT_A_TASK, "error")
    return render_template("console/new.html", text=text), 400


@console.get("/reports/<int:report_id>/<int:index>")
def photo(report_id: int, index: int):
    """Send one photo of a report to a viewer who may see its task."""
    with locked() as db:
        report = ledger_queries.get_report(db, report_id)
        if report is None or not 0 <= index < len(report.attachments):
            abort(404)
        assignment = ledger.get_assignment(db, report.assignment_id)
        visible_task(db, assignment.task_id)
        if not viewer().is_secretary and assignment.unit_id not in viewer().units:
            abort(404)
    path = Path(report.attachments[index])
    if not path.is_file():
        abort(404)
    return send_file(path.resolve(), max_age=3600)
