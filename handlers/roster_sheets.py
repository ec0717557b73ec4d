"""Turn roster files (an .xlsx workbook or .csv files) into rows keyed by column."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from handlers import texts as T
from handlers.roster_words import COLUMNS, REQUIRED, SHEET_NAMES, column_list

HEADER_SEARCH_ROWS = 5


class FileProblem(Exception):
    """A file that cannot be read at all; the message is for the user."""


@dataclass(frozen=True)
class Record:
    sheet: str
    row: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Sheet:
    kind: str
    name: str
    records: tuple[Record, ...]


def read_sheets(paths: list[Path], errors: list[str]) -> dict[str, list[Sheet]]:
    """Read every file into sheets by kind; problems with a whole file raise FileProblem."""
    if not paths:
        raise FileProblem(T.NO_FILES)
    sheets: dict[str, list[Sheet]] = {kind: [] for kind in COLUMNS}
    problems, workbooks = [], []
    for path in map(Path, paths):
        try:
            for name, kind, rows in _tables(path):
                if kind is not None:
                    sheets[kind].append(_sheet(name, kind, rows, errors))
            if path.suffix.lower() != ".csv":
                workbooks.append(path.name)
        except FileProblem as problem:
            problems.append(T.AT_FILE.format(file=path.name, problem=problem))
    if problems:
        raise FileProblem("\n".join(problems))
    for kind, found in sheets.items():
        if not found:
            errors.append(_missing_sheet(kind, workbooks))
    return sheets


def _missing_sheet(kind: str, workbooks: list[str]) -> str:
    title, columns = T.SHEET_TITLES[kind], column_list(kind)
    if workbooks:
        problem = T.WORKBOOK_SHEET_MISSING.format(title=title, columns=columns)
        return T.AT_FILE.format(file=T.LIST_SEP.join(workbooks), problem=problem)
    return T.SHEET_MISSING.format(title=title, columns=columns)


def _tables(path: Path) -> list[tuple[str, str | None, list[list[str]]]]:
    """Return (sheet name, kind or None when unknown, rows of cell texts) for one file."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise FileProblem(T.FILE_TYPE)
    if not path.is_file():
        raise FileProblem(T.FILE_MISSING)
    if suffix == ".csv":
        rows = _csv_rows(path)
        return [(path.name, _recognise(rows), rows)]
    return [(name, SHEET_NAMES.get(_key(name)) or _guess(rows), rows)
            for name, rows in _workbook_rows(path)]


def _workbook_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileProblem(T.FILE_NOT_WORKBOOK) from None
    tables = []
    for sheet in book.worksheets:
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:  # a merged cell counts in every row it spans
            top = _text(sheet.cell(merged.min_row, merged.min_col).value)
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top
        tables.append((sheet.title, rows))
    book.close()
    return tables


def _csv_rows(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[_text(cell) for cell in row] for row in reader]


def _decode(data: bytes) -> str:
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"))
    encodings = [enc for bom, enc in boms if data.startswith(bom)] or ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise FileProblem(T.FILE_ENCODING)


def _recognise(rows: list[list[str]]) -> str:
    """Tell which sheet a CSV file holds from its header row."""
    for row in rows[:HEADER_SEARCH_ROWS]:
        keys = {_key(cell) for cell in row}
        scores = {kind: sum(1 for col in REQUIRED[kind] if keys & set(COLUMNS[kind][col]))
                  for kind in COLUMNS}
        complete = [k for k in COLUMNS if scores[k] == len(REQUIRED[k])]
        best = max(scores.values())
        leaders = complete or [k for k in COLUMNS if scores[k] == best]
        if len(leaders) == 1 and scores[leaders[0]] >= 2:
            return leaders[0]
    expected = "；".join(f"{T.SHEET_TITLES[k]}（{column_list(k)}）" for k in COLUMNS)
    raise FileProblem(T.CSV_UNKNOWN_HEADER.format(expected=expected))


def _guess(rows: list[list[str]]) -> str | None:
    """Tell which sheet an oddly named worksheet holds, None for other sheets (notes, etc.)."""
    try:
        return _recognise(rows)
    except FileProblem:
        return None


def _sheet(name: str, kind: str, rows: list[list[str]], errors: list[str]) -> Sheet:
    """Find the header row, report missing columns and key each row by canonical column."""
    spellings = {spelling: col for col, names in COLUMNS[kind].items() for spelling in names}
    header_at = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
                      if any(_key(cell) in spellings for cell in row)), 0)
    positions: dict[str, int] = {}
    for index, cell in enumerate(rows[header_at] if rows else []):
        positions.setdefault(spellings.get(_key(cell), ""), index)
    for column in REQUIRED[kind]:
        if column not in positions:
            errors.append(T.AT_CELL.format(sheet=name, row=header_at + 1, column=column,
                                           problem=T.COLUMN_MISSING))
    records = []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if any(row):
            cells = {col: row[i] if i < len(row) else "" for col, i in positions.items() if col}
            records.append(Record(name, number, cells))
    return Sheet(kind, name, tuple(records))


def _key(header: str) -> str:
    """Compare headers the way a person reads them: no spaces, notes or asterisks."""
    text = unicodedata.normalize("NFKC", header)
    text = re.sub(r"\(.*?\)|\*|\s", "", text)
    return text.lower()


def _text(value: object) -> str:
    """Write a cell as stripped NFKC text; whole-number floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace("\u200b", "").replace("\ufeff", "").strip()
