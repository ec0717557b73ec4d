"""Export the ledger (台账) to Excel or CSV: one row per assignment, streamed in write-only mode."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from copy import copy
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from sqlite_utils import Database

from handlers import texts
from storage.ledger_queries import ExportRow, export_bounds, export_rows, grid_totals
from storage.models import ZONE

TIME_FORMAT = "yyyy-mm-dd hh:mm"
SHANGHAI_OFFSET = dt.timedelta(hours=8)
TIME_WIDTH = 17
MAX_WIDTH = 60
STEP = 1000  # rows between progress updates

Advance = Callable[[int], object]


def width(text: str) -> int:
    """Columns a text takes in Excel: a Chinese character is about two."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def acceptance(row: ExportRow) -> str:
    if row.state in ("accepted", "done"):
        return texts.EXPORT_ACCEPTANCE[row.state]
    if row.returns and row.state == "claimed":
        return texts.EXPORT_ACCEPTANCE["returned"].format(n=row.returns)
    return ""


def closing(state: str) -> str:
    return texts.EXPORT_CLOSING.get(state) or texts.EXPORT_NOT_CLOSED.format(
        state=texts.STATE_NAMES[state])


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Excel keeps no zone: write the Shanghai wall-clock time."""
    if moment is None:
        return None
    if moment.utcoffset() != SHANGHAI_OFFSET:  # the ledger stores Shanghai times already
        moment = moment.astimezone(ZONE)
    return moment.replace(tzinfo=None)


def _values(row: ExportRow, with_community: bool) -> list:
    values = [row.number, row.title, _local(row.issued_at), _local(row.deadline), row.unit,
              row.handler or "", _local(row.claimed_at), _local(row.done_at),
              texts.EXPORT_YES if row.overdue else texts.EXPORT_NO, acceptance(row),
              closing(row.state)]
    return values + [row.community] if with_community else values


TIME_COLUMNS = (2, 3, 6, 7)  # 下发时间, 截止时间, 接单时间, 办结时间 (0-based)


def export_ledger(db: Database, out: BinaryIO, fmt: str, community_ids: list[int],
                  start: dt.date, end: dt.date, now: dt.datetime,
                  advance: Advance = lambda n: None) -> int:
    """Write the assignments of the tasks issued from start to end; return how many rows."""
    with_community = len(community_ids) > 1
    rows = export_rows(db, community_ids, start, end, now)
    if fmt == "csv":
        return _write_csv(out, rows, with_community, advance)
    return _write_xlsx(db, out, rows, community_ids, start, end, now, with_community, advance)


def _headers(with_community: bool) -> list[str]:
    return list(texts.EXPORT_HEADERS) + ([texts.EXPORT_COMMUNITY_HEADER] if with_community else [])


def _write_csv(out: BinaryIO, rows: Iterator[ExportRow], with_community: bool,
               advance: Advance) -> int:
    # UTF-8 with a BOM: Excel on Windows then opens the Chinese text correctly.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(_headers(with_community))
    count = 0
    for row in rows:
        values = _values(row, with_community)
        for i in TIME_COLUMNS:
            values[i] = f"{values[i]:%Y-%m-%d %H:%M}" if values[i] else ""
        writer.writerow(values)
        count += 1
        if count % STEP == 0:
            advance(STEP)
    advance(count % STEP)
    text.flush()
    text.detach()
    return count


def _column_widths(db: Database, community_ids: list[int], with_community: bool) -> list[int]:
    title, unit, person = export_bounds(db, community_ids)
    data = [8, 2 * title, TIME_WIDTH, TIME_WIDTH, 2 * unit + 1, 2 * person, TIME_WIDTH,
            TIME_WIDTH, 4, width(texts.EXPORT_ACCEPTANCE["returned"]) + 1,
            width(texts.EXPORT_NOT_CLOSED) + 2] + ([2 * unit] if with_community else [])
    return [min(MAX_WIDTH, max(width(h), d) + 2) for h, d in zip(_headers(with_community), data)]


def _write_xlsx(db: Database, out: BinaryIO, rows: Iterator[ExportRow], community_ids: list[int],
                start: dt.date, end: dt.date, now: dt.datetime, with_community: bool,
                advance: Advance) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(texts.EXPORT_SHEET)
    headers = _headers(with_community)
    _prepare(sheet, _column_widths(db, community_ids, with_community))
    sheet.append([_bold(sheet, h) for h in headers])
    time_cell = _TimeCells(sheet)
    count = 0
    for row in rows:
        values = _values(row, with_community)
        for i in TIME_COLUMNS:
            if values[i] is not None:
                values[i] = time_cell(values[i])
        sheet.append(values)
        count += 1
        if count % STEP == 0:
            advance(STEP)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    _grid_sheet(book, db, community_ids, start, end, now)
    book.save(out)
    advance(count % STEP)
    return count


def _prepare(sheet, widths: list[int]) -> None:
    """Freeze the header and size the columns: both must come before the first row."""
    sheet.freeze_panes = "A2"
    for index, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = w


def _bold(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.font = Font(bold=True)
    return cell


class _TimeCells:
    """Make date-time cells from one styled template.

    A quarter of the sheet's cells are times; copying the template's style and writing Excel's
    day number directly halves their cost (the export of a county month is bound by this).
    """

    def __init__(self, sheet):
        template = WriteOnlyCell(sheet, dt.datetime(2024, 1, 1))
        template.number_format = TIME_FORMAT
        self.sheet, self.style = sheet, template._style

    def __call__(self, moment: dt.datetime) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        cell._value, cell.data_type, cell._style = to_excel(moment), "n", copy(self.style)
        return cell


def _grid_sheet(book: Workbook, db: Database, community_ids: list[int], start: dt.date,
                end: dt.date, now: dt.datetime) -> None:
    sheet = book.create_sheet(texts.EXPORT_GRID_SHEET)
    totals = grid_totals(db, community_ids, start, end, now)
    names = max((width(t.community) for t in totals), default=4)
    grids = max((width(t.grid) for t in totals), default=4)
    widths = [max(names, 4) + 2, max(grids, 4) + 2] + [
        width(h) + 2 for h in texts.EXPORT_GRID_HEADERS[2:]]
    _prepare(sheet, widths)
    sheet.append([_bold(sheet, h) for h in texts.EXPORT_GRID_HEADERS])
    for t in totals:
        rate = WriteOnlyCell(sheet, t.on_time_rate)
        rate.number_format = "0%"
        sheet.append([t.community, t.grid, t.issued, t.claimed, t.done, t.on_time, t.overdue,
                      t.still_open, t.returned, rate])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{len(totals) + 1}"
