"""Write a checked roster into the database in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from storage.models import Person
from storage.roster import (add_group, add_person, add_unit, ancestor, find_group,
                            find_units_by_name)

@dataclass(frozen=True)
class UnitRow:
    name: str
    kind: str
    parent: int | None  # index into RosterData.units, always an earlier row
    ordinal: int | None


@dataclass(frozen=True)
class PersonRow:
    name: str
    userid: str
    roles: tuple[str, ...]
    unit: int  # index into RosterData.units
    phone: str | None


@dataclass(frozen=True)
class GroupRow:
    name: str
    kind: str
    unit: int  # index into RosterData.units
    webhook_url: str | None = None  # None keeps the stored one


@dataclass(frozen=True)
class RosterData:
    units: tuple[UnitRow, ...]
    people: tuple[PersonRow, ...]
    groups: tuple[GroupRow, ...]

    def path(self, index: int) -> str:
        """Name a unit by its path from the top, e.g. 幸福社区/一网格."""
        unit = self.units[index]
        return unit.name if unit.parent is None else f"{self.path(unit.parent)}/{unit.name}"


@dataclass(frozen=True)
class ImportSummary:
    """How many rows an import added, changed and found already up to date."""

    units_added: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    people_added: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    groups_added: int = 0
    groups_updated: int = 0
    groups_unchanged: int = 0


def import_roster(db: Database, data: RosterData) -> ImportSummary:
    """Add or update every unit, person and group of a roster, all or nothing."""
    tallies = {"units": Counter(), "people": Counter(), "groups": Counter()}
    with db.atomic():
        unit_ids: list[int] = []
        for unit in data.units:
            parent_id = None if unit.parent is None else unit_ids[unit.parent]
            before = next((u for u in find_units_by_name(db, unit.name)
                           if u.parent_id == parent_id), None)
            after = add_unit(db, unit.name, unit.kind, parent_id, unit.ordinal)
            unit_ids.append(after.id)
            _tally(tallies["units"], before, after)
        for person in data.people:
            before = _person(db, person.userid)
            after = add_person(db, person.name, person.userid, person.roles,
                               unit_ids[person.unit], person.phone)
            _tally(tallies["people"], before, after)
        for group in data.groups:
            before = find_group(db, group.name)
            after = add_group(db, group.name, group.kind, unit_ids[group.unit],
                              webhook_url=group.webhook_url)
            _tally(tallies["groups"], before, after)
    return ImportSummary(**{f"{table}_{outcome}": count for table, counts in tallies.items()
                            for outcome, count in counts.items()})


def outside_claims(db: Database, data: RosterData, community_id: int) -> list[str]:
    """Name the people (by userid) and groups of the roster that belong to another community.

    A secretary imports for their own community only: a row that would move another
    community's person or group (matched by userid or group name) must not be written.
    """
    def elsewhere(unit_id: int | None) -> bool:
        home = ancestor(db, unit_id, "community") if unit_id else None
        return home is not None and home.id != community_id

    taken = [p.userid for p in data.people if (found := _person(db, p.userid)) and elsewhere(found.unit_id)]
    taken += [g.name for g in data.groups if (found := find_group(db, g.name)) and elsewhere(found.unit_id)]
    return taken


def _person(db: Database, userid: str) -> Person | None:
    row = next(db["people"].rows_where("userid = ?", [userid], limit=1), None)
    return Person.from_row(row) if row else None


def _tally(counter: Counter, before: object, after: object) -> None:
    counter["added" if before is None else "updated" if before != after else "unchanged"] += 1
