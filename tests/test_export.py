"""The ledger export (台账) to Excel and CSV, and console accounts, through the gridbot command."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from bot.cli import main
from bot.export import export_ledger
from bot.progress import Progress
from handlers import texts
from storage import users
from storage.db import open_db
from tests.console_support import NOW, PASSWORD, Clock, make_app, seeded_db, sign_in

AT = NOW.isoformat()


@pytest.fixture
def db_path(tmp_path):
    path = str(tmp_path / "ledger.db")
    seeded_db(path).conn.close()
    return path


def export(db_path, out, *extra) -> int:
    return main(["export", "ledger", "--from", "2024-11-01", "--to", "2024-11-30", "-o", str(out),
                 "--db", db_path, "--at", AT, *extra])


def test_excel_has_a_row_per_assignment_with_chinese_headers(db_path, tmp_path, capsys):
    out = tmp_path / "台账.xlsx"
    assert export(db_path, out, "--community", "幸福社区") == 0
    assert capsys.readouterr().out.strip() == texts.EXPORT_DONE.format(rows=10, path=out)
    book = openpyxl.load_workbook(out)
    sheet = book[texts.EXPORT_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == texts.EXPORT_HEADERS
    assert len(rows) == 11
    lina = next(r for r in rows if r[0] == 1 and r[4] == "一网格")
    assert lina[1:6] == ("独居老人走访", dt.datetime(2024, 11, 18, 9, 1),
                         dt.datetime(2024, 11, 22, 23, 59, 59), "一网格", "李娜")
    assert lina[7] == dt.datetime(2024, 11, 18, 9, 3)
    assert lina[8:] == (texts.EXPORT_NO, texts.EXPORT_ACCEPTANCE["done"],
                        texts.EXPORT_NOT_CLOSED.format(state="已办结"))
    late = next(r for r in rows if r[0] == 2 and r[4] == "三网格")
    assert (late[6], late[7], late[8]) == (None, None, texts.EXPORT_YES)
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm"


def test_excel_freezes_the_header_filters_and_fits_the_columns(db_path, tmp_path):
    out = tmp_path / "台账.xlsx"
    export(db_path, out)
    sheet = openpyxl.load_workbook(out)[texts.EXPORT_SHEET]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"  # two communities: 社区 column too
    assert sheet["L1"].value == texts.EXPORT_COMMUNITY_HEADER and sheet["A1"].font.bold
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJK"}
    for column, header in zip("ABCDEFGHIJK", texts.EXPORT_HEADERS):
        longest = max(len(str(cell.value or "")) * 2 for cell in sheet[column])
        assert widths[column] >= min(longest, 40) or column in "CDGH", (column, header)
    assert all(16 <= widths[c] <= 20 for c in "CDGH")  # times: "2024-11-18 09:00"


def test_second_sheet_holds_the_figures_per_grid(db_path, tmp_path):
    out = tmp_path / "台账.xlsx"
    export(db_path, out, "--community", "幸福社区")
    sheet = openpyxl.load_workbook(out)[texts.EXPORT_GRID_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == texts.EXPORT_GRID_HEADERS
    by_grid = {r[1]: r for r in rows[1:]}
    assert len(by_grid) == 8
    assert by_grid["一网格"][2:] == (2, 1, 1, 1, 1, 1, 0, 0.5)
    assert by_grid["三网格"][2:] == (2, 0, 0, 0, 1, 2, 0, 0)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J9"


def test_csv_is_utf8_with_a_bom_for_excel(db_path, tmp_path):
    out = tmp_path / "台账.csv"
    assert export(db_path, out, "--community", "幸福社区") == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(texts.EXPORT_HEADERS)
    assert len(lines) == 11
    assert "2,通知停水,2024-11-18 09:02,2024-11-19 17:00,三网格,刘洋,,,是" in raw.decode("utf-8-sig")


def test_the_date_range_is_by_issue_day_inclusive(db_path, tmp_path, capsys):
    out = tmp_path / "台账.csv"
    main(["export", "ledger", "--from", "2024-11-18", "--to", "2024-11-18", "-o", str(out),
          "--db", db_path])
    assert texts.EXPORT_DONE.format(rows=11, path=out) in capsys.readouterr().out
    main(["export", "ledger", "--from", "2024-11-19", "--to", "2024-11-30", "-o", str(out),
          "--db", db_path])
    assert texts.EXPORT_DONE.format(rows=0, path=out) in capsys.readouterr().out


@pytest.mark.parametrize("args,problem", [
    (["--from", "11月1日", "--to", "2024-11-30", "-o", "x.xlsx"],
     texts.EXPORT_BAD_DATE.format(value="11月1日")),
    (["--from", "2024-12-01", "--to", "2024-11-30", "-o", "x.xlsx"],
     texts.EXPORT_BAD_RANGE.format(start="2024-12-01", end="2024-11-30")),
    (["--from", "2024-11-01", "--to", "2024-11-30", "-o", "x.pdf"],
     texts.EXPORT_BAD_SUFFIX.format(path="x.pdf")),
    (["--from", "2024-11-01", "--to", "2024-11-30", "-o", "x.csv", "--community", "无名社区"],
     texts.EXPORT_UNKNOWN_COMMUNITY.format(name="无名社区")),
    (["--from", "2024-11-01", "--to", "2024-11-30", "-o", "/nonexistent/dir/x.csv"],
     texts.EXPORT_CANNOT_WRITE.format(path="/nonexistent/dir/x.csv", error="")),
])
def test_bad_export_arguments_are_answered_in_chinese(db_path, args, problem, capsys):
    assert main(["export", "ledger", *args, "--db", db_path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(texts.CLI_ERROR.format(error=problem.split("：")[0]))
    assert "Traceback" not in err


def test_export_shows_progress_on_stderr(db_path, tmp_path, capsys):
    export(db_path, tmp_path / "台账.xlsx")
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(texts.PROGRESS_LABELS["export"]) and " 0% 0/11" in err[0]
    assert err[-1].endswith("100% 11/11")


def test_progress_redraws_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    screen = Terminal()
    with Progress(3000, "replay", screen, interval=0) as bar:
        for _ in range(3):
            bar.advance(1000)
    frames = screen.getvalue().split("\r")[1:]
    assert frames[0].startswith(texts.PROGRESS_LABELS["replay"]) and "0/3,000" in frames[0]
    assert frames[-1] == bar.line() + "\n" and "100% 3,000/3,000" in frames[-1]
    assert len(frames) == 5


def test_user_add_creates_an_account_that_can_sign_in(db_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("new-password-1\n"))
    assert main(["user", "add", "sunmei", "--person", "sunmei", "--password-stdin",
                 "--db", db_path]) == 0
    assert capsys.readouterr().out.strip() == texts.USER_ADDED.format(username="sunmei",
                                                                      name="孙梅")
    db = open_db(db_path)
    stored = users.find_user(db, "sunmei")
    assert stored.password_hash.startswith("scrypt:") and "new-password-1" not in stored.password_hash
    client = make_app(db, Clock(NOW)).test_client()
    assert sign_in(client, "sunmei", "new-password-1").headers["Location"] == "/console/tasks"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "sunmei", "--person", "sunmei", "--password-stdin",
                 "--db", db_path]) == 0
    assert texts.USER_UPDATED.format(username="sunmei", name="孙梅") in capsys.readouterr().out


@pytest.mark.parametrize("args,stdin,problem", [
    (["user", "add", "x y", "--person", "lina"], "long-enough\n",
     texts.USER_BAD_NAME.format(value="x y")),
    (["user", "add", "li", "--person", "李娜"], "long-enough\n",
     texts.USER_PERSON_UNKNOWN.format(person="李娜")),
    (["user", "add", "li", "--person", "lina"], "short\n", texts.PASSWORD_SHORT.format(n=8)),
])
def test_user_add_refusals_change_nothing(db_path, monkeypatch, capsys, args, stdin, problem):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main([*args, "--password-stdin", "--db", db_path]) == 2
    assert capsys.readouterr().err.strip() == texts.CLI_ERROR.format(error=problem)
    assert users.find_user(open_db(db_path), args[2]) is None


def test_download_button_sends_the_communitys_excel(db_path):
    db = open_db(db_path)
    client = make_app(db, Clock(NOW)).test_client()
    sign_in(client, "wang")
    assert "format" in client.get("/console/export").get_data(as_text=True)
    answer = client.get("/console/export/ledger?from=2024-11-01&to=2024-11-30&format=xlsx")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data))[texts.EXPORT_SHEET]
    assert sheet.max_row == 11 and sheet.max_column == 11
    bad = client.get("/console/export/ledger?from=2024-12-01&to=2024-11-01")
    assert bad.status_code == 302


def test_a_console_export_reads_beside_the_app_not_through_its_lock(tmp_path, monkeypatch):
    """WeCom's callbacks share the app's connection and lock; a long export must not hold them."""
    import bot.console.pages as pages
    db = seeded_db(str(tmp_path / "g.db"))
    app = make_app(db, Clock(NOW))
    client = app.test_client()
    sign_in(client, "wang")
    lock = app.extensions["gridbot_console"].lock
    held_while_exporting = []

    def watched_export(reader, *args):
        held_while_exporting.append(lock.locked())
        assert reader is not db  # a connection of its own
        return export_ledger(reader, *args)
    monkeypatch.setattr(pages, "export_ledger", watched_export)
    answer = client.get("/console/export/ledger?from=2024-11-01&to=2024-11-30&format=xlsx")
    assert answer.status_code == 200 and held_while_exporting == [False]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).worksheets[0]
    assert sheet.cell(1, 1).value == "任务编号" and sheet.max_row > 1
