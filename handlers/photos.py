"""Photos sent on their own: kept with the sender's latest done or progress report."""

from __future__ import annotations

import datetime as dt

from handlers import texts
from handlers.context import Context, Outcome
from handlers.registry import on
from handlers.team import unit_name
from storage import ledger

# WeCom's 1:1 chat sends text and photos as separate messages, often minutes apart.
PHOTO_WINDOW = dt.timedelta(hours=24)
REPORT_KINDS = ("done", "progress", "attachment")


@on("photo")
def photo(ctx: Context) -> Outcome:
    """Attach the photos to the report the sender made most recently, within a day."""
    report = ledger.latest_report_by(ctx.db, ctx.person.id, REPORT_KINDS,
                                     ctx.now - PHOTO_WINDOW)
    if report is None:
        return Outcome(texts.PHOTO_NO_REPORT, "photo")
    ledger.add_attachments(ctx.db, report.assignment_id, ctx.cause, ctx.incoming.attachments)
    assignment = ledger.get_assignment(ctx.db, report.assignment_id)
    task = ledger.get_task_by_id(ctx.db, assignment.task_id)
    count = sum(len(r.attachments) for r in ledger.reports_of(ctx.db, assignment.id))
    return Outcome(texts.PHOTO_KEPT.format(number=task.number,
                                           unit=unit_name(ctx.db, assignment.unit_id), n=count),
                   "photo", (task.number,))
