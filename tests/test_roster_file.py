"""Roster files: real .csv and .xlsx files on disk, read, checked and imported."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot
from handlers import texts as T
from storage.db import open_db
from storage.roster import find_group, find_person, find_units_by_name, get_unit, list_units
from handlers.roster_file import (
    GroupRow, PersonRow, RosterData, RosterFileError, UnitRow, import_roster, read_roster,
)
from storage.roster_import import ImportSummary

DEMO = Path(bot.__file__).parent / "demo"
FILES = {"units": "units.csv", "people": "people.csv", "groups": "groups.csv"}
TITLES = {"units": "单位", "people": "人员", "groups": "群聊"}
TABLES = ("units", "people", "groups")
ROLES = "社区书记、网格员、楼栋长、志愿者"


def demo_rows() -> dict[str, list[list[str]]]:
    """Return the demo roster as rows per sheet, header first (Excel row n is index n-1)."""
    rows = {}
    for kind, name in FILES.items():
        with open(DEMO / name, encoding="utf-8-sig", newline="") as f:
            rows[kind] = list(csv.reader(f))
    return rows


def write_csvs(folder: Path, rows: dict[str, list[list]], encoding: str = "utf-8-sig") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, sheet in rows.items():
        path = folder / FILES[kind]
        with open(path, "w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(sheet)
        paths.append(path)
    return paths


def write_xlsx(path: Path, rows: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for kind, sheet in rows.items():
        page = book.create_sheet(TITLES[kind])
        for row in sheet:
            page.append([cell if cell != "" else None for cell in row])
    book.save(path)
    return path


def snapshot(db) -> dict[str, list[dict]]:
    return {table: list(db[table].rows_where(order_by="id")) for table in TABLES}


def errors_of(paths: list[Path]) -> list[str]:
    with pytest.raises(RosterFileError) as caught:
        read_roster(paths)
    assert caught.value.errors and str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


@pytest.fixture
def demo_db():
    db = open_db()
    import_roster(db, read_roster(sorted(DEMO.glob("*.csv"))))
    return db


# -- good files -------------------------------------------------------------------

def test_demo_csvs_import():
    db = open_db()
    summary = import_roster(db, read_roster(sorted(DEMO.glob("*.csv"))))
    assert summary == ImportSummary(units_added=11, people_added=11, groups_added=9)
    assert [len(list_units(db, k)) for k in ("street", "community", "grid", "building")] == [0, 1, 8, 2]
    grids = {u.name: u.ordinal for u in list_units(db, "grid")}
    assert grids == {"一网格": 1, "二网格": 2, "三网格": 3, "四网格": 4, "幸福里网格": 5,
                     "六网格": 6, "七网格": 7, "八网格": 8}
    (building,) = find_units_by_name(db, "3号楼")
    assert get_unit(db, building.parent_id).name == "一网格"
    lina, wang = find_person(db, "lina"), find_person(db, "wangshuji")
    assert lina.roles == ("grid_worker",) and get_unit(db, lina.unit_id).name == "一网格"
    assert wang.is_secretary and get_unit(db, wang.unit_id).name == "幸福社区"
    assert find_person(db, "zhengayi").roles == ("building_leader",)
    assert find_group(db, "幸福社区工作群").is_big
    assert get_unit(db, find_group(db, "幸福里网格群").unit_id).ordinal == 5


def test_xlsx_imports_identically(tmp_path):
    from_csv, from_xlsx = open_db(), open_db()
    import_roster(from_csv, read_roster(sorted(DEMO.glob("*.csv"))))
    book = write_xlsx(tmp_path / "roster.xlsx", demo_rows())
    import_roster(from_xlsx, read_roster([book]))
    assert snapshot(from_xlsx) == snapshot(from_csv)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_csv_encodings(tmp_path, demo_db, encoding):
    db = open_db()
    import_roster(db, read_roster(write_csvs(tmp_path, demo_rows(), encoding)))
    assert snapshot(db) == snapshot(demo_db)


def test_reimport_is_idempotent(demo_db):
    before = snapshot(demo_db)
    summary = import_roster(demo_db, read_roster(sorted(DEMO.glob("*.csv"))))
    assert snapshot(demo_db) == before
    assert summary == ImportSummary(units_unchanged=11, people_unchanged=11, groups_unchanged=9)


def test_reimport_updates_changed_rows_and_keeps_group_bindings(tmp_path, demo_db):
    demo_db["groups"].update(find_group(demo_db, "一网格群").id, {"chatid": "wrOgQhDgAA"})
    rows = demo_rows()
    rows["people"][2][4] = "13800138000"
    rows["people"].append(["小王", "xiaowang", "志愿者", "幸福社区/一网格", ""])
    summary = import_roster(demo_db, read_roster(write_csvs(tmp_path, rows)))
    assert (summary.people_added, summary.people_updated, summary.people_unchanged) == (1, 1, 10)
    assert (summary.units_unchanged, summary.groups_unchanged) == (11, 9)
    assert find_person(demo_db, "lina").phone == "13800138000"
    assert find_group(demo_db, "一网格群").chatid == "wrOgQhDgAA"


def test_forward_references_and_path_references(tmp_path):
    rows = demo_rows()
    rows["units"] = [rows["units"][0], *rows["units"][:0:-1]]  # children before parents
    rows["people"][2][3] = "幸福社区/一网格"
    data = read_roster(write_csvs(tmp_path, rows))
    assert data.units[0] == UnitRow("幸福社区", "community", None, None)
    assert all(u.parent is None or u.parent < i for i, u in enumerate(data.units))
    assert data.path(data.people[1].unit) == "幸福社区/一网格"


def test_same_name_under_two_parents_is_resolved_by_path(tmp_path):
    rows = demo_rows()
    rows["units"] += [["快乐社区", "社区", "", ""], ["一网格", "网格", "快乐社区", ""]]
    for row in rows["people"][1:] + rows["groups"][1:]:
        row[3 if len(row) > 3 else 2] = "幸福社区/" + row[3 if len(row) > 3 else 2]
    rows["people"][1][3] = "幸福社区"
    rows["groups"][1][2] = "幸福社区"
    rows["units"][10][2] = "幸福社区/一网格"
    rows["groups"].append(["快乐一网格群", "小群", "快乐社区/一网格"])
    data = read_roster(write_csvs(tmp_path, rows))
    assert [data.path(g.unit) for g in data.groups][-2:] == ["幸福社区/八网格", "快乐社区/一网格"]


def test_headers_roles_and_cells_as_people_type_them(tmp_path):
    rows = demo_rows()
    rows["people"][0] = [" 姓 名", "userid", "角色（必填）", "所属网格", "手机号码"]
    rows["people"][2][2] = "网格员、志愿者"
    rows["people"][1][2] = "书记/网格员, 网格员"
    rows["people"][10][2] = "楼门长"
    rows["units"][10][0] = "３号楼"  # full-width digit
    data = read_roster(write_csvs(tmp_path, rows))
    by_id = {p.userid: p for p in data.people}
    assert by_id["lina"].roles == ("grid_worker", "volunteer")
    assert by_id["wangshuji"].roles == ("secretary", "grid_worker")
    assert by_id["wudaye"].roles == ("building_leader",)


@pytest.mark.parametrize("name, ordinal", [
    ("一网格", 1), ("1网格", 1), ("第一网格", 1), ("第1网格", 1), ("第十二网格", 12),
    ("二十网格", 20), ("12号网格", 12), ("１２网格", 12),
])
def test_grid_ordinal_from_name(tmp_path, name, ordinal):
    rows = demo_rows()
    rows["units"][2] = [name, "网格", "幸福社区", ""]
    rows["people"][2][3] = rows["groups"][2][2] = rows["units"][10][2] = name
    data = read_roster(write_csvs(tmp_path, rows))
    assert [u.ordinal for u in data.units if u.kind == "grid"].count(ordinal) == 1


def test_xlsx_title_row_merged_cells_and_numbers(tmp_path):
    rows = demo_rows()
    rows["units"][6][3] = 5
    rows["people"][2][4] = 13800138000
    rows["people"][11][2] = None  # the building leaders share a merged role cell
    rows["people"].insert(0, ["幸福社区人员名单"])
    path = write_xlsx(tmp_path / "roster.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book["人员"].merge_cells("C12:C13")
    book.save(path)
    data = read_roster([path])
    by_id = {p.userid: p for p in data.people}
    assert by_id["zhengayi"].roles == ("building_leader",) and by_id["lina"].phone == "13800138000"
    rows["people"][3][0], rows["people"][12][2] = "", "楼栋长"
    errors = errors_of([write_xlsx(tmp_path / "bad.xlsx", rows)])
    assert errors == [T.AT_CELL.format(sheet="人员", row=4, column="姓名", problem=T.CELL_EMPTY)]


# -- bad files: every problem named by sheet, row and column; nothing changes -------

Edit = Callable[[dict[str, list[list[str]]]], None]


def _set(kind: str, row: int, column: int, value: str) -> Edit:
    """Change the cell Excel shows at row (1 = header) and 0-based column."""
    def edit(rows):
        rows[kind][row - 1][column] = value
    return edit


def _add(kind: str, *row: str) -> Edit:
    def edit(rows):
        rows[kind].append(list(row))
    return edit


def _both(*edits: Edit) -> Edit:
    def edit(rows):
        for one in edits:
            one(rows)
    return edit


BAD = {
    "unknown role": (_set("people", 7, 2, "网格员、组长"),
                     f"people.csv 第7行「角色」：无法识别的角色“组长”，应为 {ROLES}"),
    "empty name": (_set("people", 4, 0, ""), "people.csv 第4行「姓名」：不能为空"),
    "empty unit kind": (_set("units", 3, 1, ""), "units.csv 第3行「类型」：不能为空"),
    "empty person unit": (_set("people", 4, 3, " "), "people.csv 第4行「所属单位」：不能为空"),
    "unknown unit kind": (_set("units", 3, 1, "小区"),
                          "units.csv 第3行「类型」：无法识别的类型“小区”，应为 街道、社区、网格、楼栋"),
    "unknown group kind": (_set("groups", 3, 1, "中群"),
                           "groups.csv 第3行「类型」：无法识别的类型“中群”，应为 大群、小群"),
    "unknown parent": (_set("units", 4, 2, "快乐社区"),
                       "units.csv 第4行「上级」：找不到单位“快乐社区”，请先在「单位」表中登记"),
    "unknown person unit": (_set("people", 3, 3, "九网格"),
                            "people.csv 第3行「所属单位」：找不到单位“九网格”，请先在「单位」表中登记"),
    "unknown group unit": (_set("groups", 10, 2, "八网络"),
                           "groups.csv 第10行「所属单位」：找不到单位“八网络”，请先在「单位」表中登记"),
    "grid under grid": (_set("units", 4, 2, "一网格"),
                        "units.csv 第4行「上级」：网格“二网格”的上级应为社区，而“一网格”是网格"),
    "building under community": (
        _set("units", 11, 2, "幸福社区"),
        "units.csv 第11行「上级」：楼栋“3号楼”的上级应为网格，而“幸福社区”是社区"),
    "community under grid": (
        _add("units", "快乐社区", "社区", "一网格", ""),
        "units.csv 第13行「上级」：社区“快乐社区”的上级应为街道，而“一网格”是网格"),
    "top grid": (_set("units", 3, 2, ""), "units.csv 第3行「上级」：网格“一网格”必须填写上级社区"),
    "street with parent": (_add("units", "东城街道", "街道", "幸福社区", ""),
                           "units.csv 第13行「上级」：街道是最上级单位，「上级」应为空，不能是“幸福社区”"),
    "cycle": (_set("units", 2, 2, "一网格"), "units.csv 第3行「上级」：单位“一网格”的上级关系绕成了圈"),
    "duplicate unit": (_add("units", "二网格", "网格", "幸福社区", "2"),
                       "units.csv 第13行「名称」：单位“二网格”重复登记，与第4行相同"),
    "duplicate userid": (_set("people", 4, 1, "lina"),
                         "people.csv 第4行「企业微信账号」：账号“lina”与第3行重复"),
    "duplicate userid other case": (_set("people", 4, 1, "LiNa"),
                                    "people.csv 第4行「企业微信账号」：账号“LiNa”与第3行重复"),
    "bad userid": (_set("people", 4, 1, "张 伟"), "people.csv 第4行「企业微信账号」：账号“张 伟”只能由"),
    "duplicate group": (_set("groups", 4, 0, "一网格群"),
                        "groups.csv 第4行「群名称」：群名称“一网格群”与第3行重复"),
    "small group of a community": (
        _set("groups", 3, 2, "幸福社区"),
        "groups.csv 第3行「所属单位」：小群应属于网格、楼栋，而“幸福社区”是社区"),
    "big group of a grid": (_set("groups", 2, 2, "一网格"),
                            "groups.csv 第2行「所属单位」：大群应属于街道、社区，而“一网格”是网格"),
    "proper grid name without ordinal": (
        _set("units", 7, 3, ""), "units.csv 第7行「编号」：网格“幸福里网格”的名称里没有编号，请填写「编号」"),
    "ordinal not a number": (_set("units", 7, 3, "五号"), "units.csv 第7行「编号」：编号“五号”不是正整数"),
    "ordinal against name": (_set("units", 4, 3, "3"),
                             "units.csv 第4行「编号」：编号3与名称“二网格”不一致（名称表示第2网格）"),
    "duplicate ordinal": (_set("units", 7, 3, "4"), "units.csv 第7行「编号」：编号4与第6行的网格重复"),
    "ambiguous unit": (
        _both(_add("units", "快乐社区", "社区", "", ""), _add("units", "一网格", "网格", "快乐社区", "")),
        "people.csv 第3行「所属单位」：单位“一网格”有重名（幸福社区/一网格、快乐社区/一网格），"
        "请写成“幸福社区/一网格”的形式"),
    "ambiguous path": (_set("people", 3, 3, "幸福社区/九网格"),
                       "people.csv 第3行「所属单位」：找不到单位“幸福社区/九网格”"),
    "missing column": (lambda rows: rows["people"][0].__setitem__(2, "职位"),
                       "people.csv 第1行「角色」：缺少这一列"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_csv_changes_nothing(tmp_path, demo_db, case):
    edit, expected = BAD[case]
    rows = demo_rows()
    edit(rows)
    before = snapshot(demo_db)
    errors = errors_of(write_csvs(tmp_path, rows))
    assert any(e.startswith(expected) for e in errors), errors
    assert snapshot(demo_db) == before


def test_bad_xlsx_names_the_sheet(tmp_path):
    rows = demo_rows()
    _set("people", 7, 2, "组长")(rows)
    errors = errors_of([write_xlsx(tmp_path / "roster.xlsx", rows)])
    assert errors == [f"人员 第7行「角色」：无法识别的角色“组长”，应为 {ROLES}"]


def test_every_problem_is_reported(tmp_path):
    rows = demo_rows()
    for edit in ("unknown role", "unknown parent", "duplicate group", "bad userid"):
        BAD[edit][0](rows)
    errors = errors_of(write_csvs(tmp_path, rows))
    assert [e.split("：")[0] for e in errors] == [
        "units.csv 第4行「上级」", "people.csv 第4行「企业微信账号」",
        "people.csv 第7行「角色」", "groups.csv 第4行「群名称」"]


def test_each_problem_is_reported_once(tmp_path):
    rows = demo_rows()
    rows["people"][0][2] = "职位"  # no 角色 column: not also "empty" in every row
    rows["units"][3][1] = ""  # 二网格 without 类型 is still found by name
    rows["units"].append(["二网格", "网格", "幸福社区", ""])  # no second error for its 编号
    assert errors_of(write_csvs(tmp_path, rows)) == [
        "people.csv 第1行「角色」：缺少这一列", "units.csv 第4行「类型」：不能为空",
        "units.csv 第13行「名称」：单位“二网格”重复登记，与第4行相同"]


CELLS = st.lists(st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
                          max_size=6), max_size=5)


@settings(max_examples=80, deadline=None)
@given(units=CELLS, people=CELLS, groups=CELLS)
def test_reader_never_crashes_on_arbitrary_cells(units, people, groups):
    rows = demo_rows()
    for kind, extra in (("units", units), ("people", people), ("groups", groups)):
        rows[kind] += extra
    with tempfile.TemporaryDirectory() as folder:
        try:
            data = read_roster(write_csvs(Path(folder), rows))
        except RosterFileError as error:
            assert error.errors
        else:
            assert len(data.units) >= 11


def test_worksheets_found_by_header_when_oddly_named(tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", demo_rows())
    book = openpyxl.load_workbook(path)
    book["单位"].title, book["人员"].title = "Sheet1", "名单"
    book.create_sheet("填表说明").append(["请按表头填写"])
    book.save(path)
    data = read_roster([path])
    assert (len(data.units), len(data.people), len(data.groups)) == (11, 11, 9)
    book["名单"]["C7"] = "组长"
    book.save(path)
    assert errors_of([path]) == [f"名单 第7行「角色」：无法识别的角色“组长”，应为 {ROLES}"]


def test_missing_sheets(tmp_path):
    rows = demo_rows()
    paths = write_csvs(tmp_path, {"units": rows["units"], "people": rows["people"]})
    assert errors_of(paths) == [T.SHEET_MISSING.format(title="群聊", columns="群名称、类型、所属单位")]
    del rows["groups"]
    book = write_xlsx(tmp_path / "roster.xlsx", rows)
    problem = T.WORKBOOK_SHEET_MISSING.format(title="群聊", columns="群名称、类型、所属单位")
    assert errors_of([book]) == [T.AT_FILE.format(file="roster.xlsx", problem=problem)]


@pytest.mark.parametrize("name, content, problem", [
    ("roster.xlsx", "名称,类型,上级\n".encode(), T.FILE_NOT_WORKBOOK),
    ("roster.xlsx", b"PK\x03\x04 not really a zip", T.FILE_NOT_WORKBOOK),
    ("roster.xls", b"\xd0\xcf\x11\xe0", T.FILE_TYPE),
    ("notes.csv", "备注,说明\n1,2\n".encode(), None),
    ("people.csv", b"\xff\xfe\x00", T.FILE_ENCODING),
])
def test_unreadable_file_is_one_clear_error(tmp_path, demo_db, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(demo_db)
    (error,) = errors_of([path])
    assert error.startswith(f"{name}：")
    assert problem is None or error == T.AT_FILE.format(file=name, problem=problem)
    assert snapshot(demo_db) == before


def test_missing_file_and_no_files(tmp_path):
    assert errors_of([tmp_path / "roster.xlsx"]) == [
        T.AT_FILE.format(file="roster.xlsx", problem=T.FILE_MISSING)]
    assert errors_of([]) == [T.NO_FILES]


def test_failed_import_rolls_back(demo_db):
    before = snapshot(demo_db)
    data = RosterData(
        units=(UnitRow("快乐社区", "community", None, None), UnitRow("一网格", "grid", 0, 1)),
        people=(PersonRow("小王", "xiaowang", ("volunteer",), 1, None),
                PersonRow(None, "broken", ("volunteer",), 1, None)),
        groups=(GroupRow("快乐社区群", "big", 0),),
    )
    with pytest.raises(Exception, match="NOT NULL"):
        import_roster(demo_db, data)
    assert snapshot(demo_db) == before


def test_group_webhooks_come_from_the_roster(tmp_path, demo_db):
    rows = demo_rows()
    rows["groups"][0].append("群机器人地址")
    for row in rows["groups"][1:]:
        row.append("")
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123"
    rows["groups"][2][-1] = url
    import_roster(demo_db, read_roster(write_csvs(tmp_path, rows)))
    assert find_group(demo_db, rows["groups"][2][0]).webhook_url == url
    rows["groups"][2][-1] = ""  # an empty cell keeps the stored address
    import_roster(demo_db, read_roster(write_csvs(tmp_path / "again", rows)))
    assert find_group(demo_db, rows["groups"][2][0]).webhook_url == url


def test_a_bad_webhook_is_named_by_sheet_row_and_column(tmp_path, demo_db):
    rows = demo_rows()
    rows["groups"][0].append("Webhook")
    for row in rows["groups"][1:]:
        row.append("")
    rows["groups"][3][-1] = "qyapi.weixin.qq.com/webhook"
    before = snapshot(demo_db)
    problem = T.BAD_WEBHOOK.format(value="qyapi.weixin.qq.com/webhook")
    assert errors_of(write_csvs(tmp_path, rows)) == [
        T.AT_CELL.format(sheet="groups.csv", row=4, column="Webhook", problem=problem)]
    assert snapshot(demo_db) == before
