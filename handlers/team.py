"""Who acts for which units: the roster questions that handlers ask."""

from __future__ import annotations

from sqlite_utils import Database

from storage import roster
from storage.models import Person, Unit


def community_of(db: Database, person: Person) -> Unit | None:
    """Return the community a person belongs to, through their unit."""
    return roster.ancestor(db, person.unit_id, "community") if person.unit_id else None


def acting_units(db: Database, person: Person) -> list[int]:
    """Return the units whose assignments a person may claim and report on.

    A grid worker acts for their grid and its buildings; a building leader for
    their building and the grid above it.
    """
    if person.unit_id is None:
        return []
    unit = roster.get_unit(db, person.unit_id)
    units: list[int] = []
    if person.has_role("grid_worker"):
        units += [unit.id] + [b.id for b in roster.children(db, unit.id, "building")]
    if person.has_role("building_leader"):
        units += [unit.id] + ([unit.parent_id] if unit.kind == "building" and unit.parent_id else [])
    return list(dict.fromkeys(units))


def default_handler(db: Database, unit_id: int) -> Person | None:
    """Return the grid worker responsible for a unit, if the roster names one."""
    workers = roster.people_with_role(db, unit_id, "grid_worker")
    return workers[0] if workers else None


def grid_of_person(db: Database, person: Person) -> Unit | None:
    return roster.ancestor(db, person.unit_id, "grid") if person.unit_id else None


def unit_name(db: Database, unit_id: int) -> str:
    return roster.get_unit(db, unit_id).name
