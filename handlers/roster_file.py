"""Read a roster file into checked rows, collecting every problem with its sheet, row and column."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from handlers import texts as T
from storage.errors import LedgerError
from storage.roster_import import (
    GroupRow, ImportSummary, PersonRow, RosterData, UnitRow, import_roster, outside_claims,
)
from handlers.roster_sheets import FileProblem, Record, read_sheets
from handlers.roster_words import (
    GRID_NAME, GROUP_KIND_WORDS, GROUP_UNIT_KINDS, PARENT_KINDS, ROLE_SEPARATORS, ROLE_WORDS,
    UNIT_KIND_WORDS, USERID, WEBHOOK, number,
)

__all__ = ["GroupRow", "ImportSummary", "PersonRow", "RosterData", "RosterFileError", "UnitRow",
           "import_roster", "outside_claims", "read_roster"]


class RosterFileError(LedgerError):
    """A roster file with problems; errors lists each one in Chinese, nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


def read_roster(paths: list[Path]) -> RosterData:
    """Parse and check a roster workbook or CSV files without touching the database."""
    errors: list[str] = []
    try:
        sheets = read_sheets(paths, errors)
    except FileProblem as problem:
        raise RosterFileError(str(problem).split("\n")) from None
    records = {kind: [r for sheet in found for r in sheet.records]
               for kind, found in sheets.items()}
    data = _check(records, errors)
    if errors:
        raise RosterFileError(errors)
    return data


class _Bad(Exception):
    """A cell's problem, placed at its sheet, row and column by the caller."""


def _at(record: Record, column: str, problem: object) -> str:
    return T.AT_CELL.format(sheet=record.sheet, row=record.row, column=column, problem=problem)


def _row_of(first: Record, current: Record) -> str:
    if first.sheet == current.sheet:
        return T.SAME_SHEET_ROW.format(row=first.row)
    return T.OTHER_SHEET_ROW.format(sheet=first.sheet, row=first.row)


def _filled(record: Record, columns: tuple[str, ...], errors: list[str]) -> bool:
    """Report each empty required cell (of columns the sheet has); true when all are filled."""
    empty = [c for c in columns if not record[c]]
    errors.extend(_at(record, c, T.CELL_EMPTY) for c in empty if c in record.cells)
    return not empty


def _word(record: Record, column: str, words: dict[str, str], names: dict[str, str],
          errors: list[str]) -> str | None:
    """Map a cell's word to its code, reporting words nobody knows; None when empty."""
    code = words.get(record[column])
    if code is None and record[column]:
        expected = T.LIST_SEP.join(names.values())
        errors.append(_at(record, column, T.UNKNOWN_KIND.format(value=record[column],
                                                                 expected=expected)))
    return code


def _within(wanted: tuple[str, ...], ancestors: tuple[str, ...]) -> bool:
    """Tell whether the wanted names appear in order among a unit's ancestors."""
    remaining = iter(ancestors)
    return all(name in remaining for name in wanted)


class _Tree:
    """The units of a file, resolving references by name or by path like 幸福社区/一网格.

    A path may skip levels: 幸福社区/3号楼 finds 3号楼 anywhere under 幸福社区.
    """

    def __init__(self, records: list[Record], errors: list[str]):
        self.records, self.errors = records, errors
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for index, record in enumerate(records):
            self.by_name[record["名称"]].append(index)
        self.parents: dict[int, int] = {}
        self._paths: dict[int, tuple[str, ...] | None] = {}
        self._visiting: set[int] = set()

    def lookup(self, text: str) -> int:
        """Return the unit a reference names, or raise _Bad when none or several do."""
        parts = tuple(p.strip() for p in text.split("/") if p.strip())
        found = self.by_name.get(parts[-1], []) if parts else []
        if len(parts) > 1:
            found = [i for i in found if _within(parts[:-1], (self.path(i) or ())[:-1])]
        if len(found) > 1:  # rows repeating one path are duplicates, reported apart
            distinct: dict[tuple, int] = {}
            for index in found:
                distinct.setdefault(self.path(index) or (index,), index)
            found = list(distinct.values())
        if not found:
            raise _Bad(T.UNKNOWN_UNIT.format(value=text))
        if len(found) > 1:
            paths = ["/".join(self.path(i) or (self.records[i]["名称"],)) for i in found]
            raise _Bad(T.AMBIGUOUS_UNIT.format(value=text, paths=T.LIST_SEP.join(paths),
                                               example=paths[0]))
        return found[0]

    def path(self, index: int) -> tuple[str, ...] | None:
        """Return the names from the top down to a unit, None when its chain is broken."""
        if index not in self._paths and index not in self._visiting:
            self._visiting.add(index)
            self._paths[index] = self._find_path(index)
            self._visiting.discard(index)
        return self._paths.get(index)

    def _find_path(self, index: int) -> tuple[str, ...] | None:
        record = self.records[index]
        if not record["上级"]:
            return (record["名称"],)
        try:
            parent = self.lookup(record["上级"])
        except _Bad as bad:
            self.errors.append(_at(record, "上级", bad))
            return None
        if parent in self._visiting:
            self.errors.append(_at(record, "上级", T.PARENT_CYCLE.format(name=record["名称"])))
            return None
        self.parents[index] = parent
        above = self.path(parent)
        return None if above is None else above + (record["名称"],)


def _check(records: dict[str, list[Record]], errors: list[str]) -> RosterData:
    """Check every sheet and return the rows, units ordered parents first."""
    for record in records["units"]:
        _filled(record, ("名称", "类型"), errors)
    named = [r for r in records["units"] if r["名称"]]
    tree = _Tree(named, errors)
    kinds = [_word(r, "类型", UNIT_KIND_WORDS, T.UNIT_KIND_NAMES, errors) for r in named]
    for index in range(len(named)):
        tree.path(index)
    _check_parents(tree, kinds)
    ordinals = _ordinals(tree, kinds)
    order = sorted(range(len(named)), key=lambda i: len(tree.path(i) or ()))
    new = {old: position for position, old in enumerate(order)}
    units = tuple(UnitRow(named[i]["名称"], kinds[i], new.get(tree.parents.get(i)), ordinals[i])
                  for i in order)
    people = _people(records["people"], tree, new, errors)
    groups = _groups(records["groups"], tree, kinds, new, errors)
    return RosterData(units, people, groups)


def _check_parents(tree: _Tree, kinds: list[str | None]) -> None:
    """Report parents of the wrong kind, missing parents and units listed twice."""
    first_at: dict[tuple[str, ...], Record] = {}
    for index, record in enumerate(tree.records):
        kind, parent, name = kinds[index], tree.parents.get(index), record["名称"]
        path = tree.path(index)
        if path is not None and path in first_at:
            first = _row_of(first_at[path], record)
            tree.errors.append(_at(record, "名称", T.DUPLICATE_UNIT.format(name=name, first=first)))
        elif path is not None:
            first_at[path] = record
        if kind is None or (parent is None and record["上级"]):
            continue
        expected = T.LIST_SEP.join(T.UNIT_KIND_NAMES[k] for k in PARENT_KINDS[kind])
        kind_name = T.UNIT_KIND_NAMES[kind]
        if parent is None and kind in ("grid", "building"):
            problem = T.NEEDS_PARENT.format(kind=kind_name, name=name, expected=expected)
        elif parent is not None and kind == "street":
            problem = T.TOP_HAS_PARENT.format(parent=record["上级"])
        elif parent is not None and kinds[parent] not in (None, *PARENT_KINDS[kind]):
            problem = T.BAD_PARENT_KIND.format(kind=kind_name, name=name, expected=expected,
                                               parent=record["上级"],
                                               actual=T.UNIT_KIND_NAMES[kinds[parent]])
        else:
            continue
        tree.errors.append(_at(record, "上级", problem))


def _ordinals(tree: _Tree, kinds: list[str | None]) -> list[int | None]:
    """Give each unit its 编号, deriving a grid's from names like 一网格 or 第1网格."""
    ordinals: list[int | None] = []
    seen: dict[tuple[int | None, int], Record] = {}
    for index, record in enumerate(tree.records):
        text, name = record["编号"], record["名称"]
        given = number(text) if text else None
        if text and not given:
            tree.errors.append(_at(record, "编号", T.BAD_ORDINAL.format(value=text)))
        match = GRID_NAME.match(name) if kinds[index] == "grid" else None
        derived = number(match.group(1)) if match else None
        if given and derived and given != derived:
            problem = T.ORDINAL_MISMATCH.format(value=given, name=name, derived=derived)
            tree.errors.append(_at(record, "编号", problem))
        elif kinds[index] == "grid" and not text and not derived:
            tree.errors.append(_at(record, "编号", T.ORDINAL_NEEDED.format(name=name)))
        ordinal = given or derived or None
        ordinals.append(ordinal)
        key = (tree.parents.get(index), ordinal)
        if kinds[index] == "grid" and ordinal and key in seen and seen[key]["名称"] != name:
            problem = T.DUPLICATE_ORDINAL.format(value=ordinal, first=_row_of(seen[key], record))
            tree.errors.append(_at(record, "编号", problem))
        seen.setdefault(key, record)
    return ordinals


def _lookup(tree: _Tree, record: Record, errors: list[str]) -> int | None:
    if not record["所属单位"]:
        return None
    try:
        return tree.lookup(record["所属单位"])
    except _Bad as bad:
        errors.append(_at(record, "所属单位", bad))
        return None


def _roles(record: Record, errors: list[str]) -> tuple[str, ...]:
    roles = []
    for word in filter(None, ROLE_SEPARATORS.split(record["角色"])):
        if word not in ROLE_WORDS:
            expected = T.LIST_SEP.join(T.ROLE_NAMES.values())
            errors.append(_at(record, "角色", T.UNKNOWN_ROLE.format(value=word, expected=expected)))
        elif ROLE_WORDS[word] not in roles:
            roles.append(ROLE_WORDS[word])
    return tuple(roles)


def _people(records: list[Record], tree: _Tree, new: dict[int, int],
            errors: list[str]) -> tuple[PersonRow, ...]:
    people, seen = [], {}
    for record in records:
        complete = _filled(record, ("姓名", "企业微信账号", "角色", "所属单位"), errors)
        userid = record["企业微信账号"]
        if userid and not USERID.match(userid):
            errors.append(_at(record, "企业微信账号", T.BAD_USERID.format(value=userid)))
        elif userid and userid.lower() in seen:
            problem = T.DUPLICATE_USERID.format(value=userid,
                                                first=_row_of(seen[userid.lower()], record))
            errors.append(_at(record, "企业微信账号", problem))
        seen.setdefault(userid.lower(), record)
        roles, unit = _roles(record, errors), _lookup(tree, record, errors)
        if complete and unit is not None:
            people.append(PersonRow(record["姓名"], userid, roles, new[unit], record["手机"] or None))
    return tuple(people)


def _webhook(record: Record, errors: list[str]) -> str | None:
    """Read the group's webhook URL (optional; empty keeps the one already stored)."""
    url = (record["Webhook"] or "").strip()
    if url and not WEBHOOK.fullmatch(url):
        errors.append(_at(record, "Webhook", T.BAD_WEBHOOK.format(value=url)))
    return url or None


def _groups(records: list[Record], tree: _Tree, kinds: list[str | None], new: dict[int, int],
            errors: list[str]) -> tuple[GroupRow, ...]:
    groups, seen = [], {}
    for record in records:
        complete = _filled(record, ("群名称", "类型", "所属单位"), errors)
        name = record["群名称"]
        if name and name in seen:
            first = _row_of(seen[name], record)
            errors.append(_at(record, "群名称", T.DUPLICATE_GROUP.format(value=name, first=first)))
        seen.setdefault(name, record)
        kind = _word(record, "类型", GROUP_KIND_WORDS, T.GROUP_KIND_NAMES, errors)
        unit = _lookup(tree, record, errors)
        if not complete or kind is None or unit is None or kinds[unit] is None:
            continue
        if kinds[unit] not in GROUP_UNIT_KINDS[kind]:
            expected = T.LIST_SEP.join(T.UNIT_KIND_NAMES[k] for k in GROUP_UNIT_KINDS[kind])
            problem = T.GROUP_UNIT_KIND.format(group_kind=T.GROUP_KIND_NAMES[kind],
                                               expected=expected, unit=record["所属单位"],
                                               actual=T.UNIT_KIND_NAMES[kinds[unit]])
            errors.append(_at(record, "所属单位", problem))
        groups.append(GroupRow(name, kind, new[unit], _webhook(record, errors)))
    return tuple(groups)
