"""Read and change the roster: the unit tree, people and group chats."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from storage.errors import NotFound
from storage.models import Group, Person, Unit


def add_unit(db: Database, name: str, kind: str, parent_id: int | None = None,
             ordinal: int | None = None) -> Unit:
    """Add a unit, or update the kind and ordinal of the one with that name and parent."""
    existing = _unit_row(db, name, parent_id)
    row = {"name": name, "kind": kind, "parent_id": parent_id, "ordinal": ordinal}
    if existing:
        db["units"].update(existing["id"], row)
        return get_unit(db, existing["id"])
    return get_unit(db, db["units"].insert(row).last_pk)


def _unit_row(db: Database, name: str, parent_id: int | None) -> dict | None:
    where = "name = ? and parent_id is ?"
    return next(db["units"].rows_where(where, [name, parent_id], limit=1), None)


def get_unit(db: Database, unit_id: int) -> Unit:
    try:
        return Unit.from_row(db["units"].get(unit_id))
    except NotFoundError:
        raise NotFound("unit", unit_id) from None


def list_units(db: Database, kind: str | None = None) -> list[Unit]:
    rows = db["units"].rows_where("kind = ?" if kind else None, [kind] if kind else [],
                                  order_by="id")
    return [Unit.from_row(r) for r in rows]


def children(db: Database, unit_id: int, kind: str | None = None) -> list[Unit]:
    where, args = "parent_id = ?", [unit_id]
    if kind:
        where, args = where + " and kind = ?", args + [kind]
    return [Unit.from_row(r) for r in db["units"].rows_where(where, args, order_by="ordinal, id")]


def ancestor(db: Database, unit_id: int, kind: str) -> Unit | None:
    """Return the unit itself or its nearest ancestor of the given kind."""
    unit: Unit | None = get_unit(db, unit_id)
    while unit is not None and unit.kind != kind:
        unit = get_unit(db, unit.parent_id) if unit.parent_id else None
    return unit


def grids_of(db: Database, community_id: int) -> list[Unit]:
    return children(db, community_id, "grid")


def find_units_by_name(db: Database, name: str) -> list[Unit]:
    return [Unit.from_row(r) for r in db["units"].rows_where("name = ?", [name])]


def add_person(db: Database, name: str, userid: str, roles: tuple[str, ...],
               unit_id: int | None, phone: str | None = None) -> Person:
    """Add a person, or update the one with that userid."""
    row = {"name": name, "userid": userid, "roles": ",".join(roles), "unit_id": unit_id,
           "phone": phone}
    existing = next(db["people"].rows_where("userid = ?", [userid], limit=1), None)
    if existing:
        db["people"].update(existing["id"], row)
        return get_person(db, existing["id"])
    return get_person(db, db["people"].insert(row).last_pk)


def get_person(db: Database, person_id: int) -> Person:
    try:
        return Person.from_row(db["people"].get(person_id))
    except NotFoundError:
        raise NotFound("person", person_id) from None


def find_person(db: Database, name_or_userid: str) -> Person | None:
    """Find a person by userid, or by name when exactly one person has it."""
    row = next(db["people"].rows_where("userid = ?", [name_or_userid], limit=1), None)
    if row:
        return Person.from_row(row)
    rows = list(db["people"].rows_where("name = ?", [name_or_userid], limit=2))
    return Person.from_row(rows[0]) if len(rows) == 1 else None


def list_people(db: Database, unit_ids: list[int] | None = None) -> list[Person]:
    if unit_ids is None:
        return [Person.from_row(r) for r in db["people"].rows_where(order_by="id")]
    marks = ",".join("?" * len(unit_ids)) or "null"
    rows = db["people"].rows_where(f"unit_id in ({marks})", unit_ids, order_by="id")
    return [Person.from_row(r) for r in rows]


def people_with_role(db: Database, unit_id: int, role: str) -> list[Person]:
    return [p for p in list_people(db, [unit_id]) if p.has_role(role)]


def add_group(db: Database, name: str, kind: str, unit_id: int,
              chatid: str | None = None, webhook_url: str | None = None) -> Group:
    """Add a group chat, or update the one with that name."""
    row = {"name": name, "kind": kind, "unit_id": unit_id}
    if chatid is not None:
        row["chatid"] = chatid
    if webhook_url is not None:
        row["webhook_url"] = webhook_url
    existing = next(db["groups"].rows_where("name = ?", [name], limit=1), None)
    if existing:
        db["groups"].update(existing["id"], row)
        return get_group(db, existing["id"])
    return get_group(db, db["groups"].insert(row).last_pk)


def get_group(db: Database, group_id: int) -> Group:
    try:
        return Group.from_row(db["groups"].get(group_id))
    except NotFoundError:
        raise NotFound("group", group_id) from None


def find_group(db: Database, name: str) -> Group | None:
    row = next(db["groups"].rows_where("name = ?", [name], limit=1), None)
    return Group.from_row(row) if row else None


def list_groups(db: Database) -> list[Group]:
    return [Group.from_row(r) for r in db["groups"].rows_where(order_by="id")]


def group_of_unit(db: Database, unit_id: int) -> Group | None:
    """Return the group chat that serves a unit (a grid's small group, a community's big one)."""
    row = next(db["groups"].rows_where("unit_id = ?", [unit_id], order_by="id", limit=1), None)
    return Group.from_row(row) if row else None


def find_group_by_chatid(db: Database, chatid: str) -> Group | None:
    row = next(db["groups"].rows_where("chatid = ?", [chatid], limit=1), None)
    return Group.from_row(row) if row else None


def bind_chat(db: Database, group_id: int, chatid: str) -> Group:
    """Store the WeCom chat id of a roster group (a chat serves one group)."""
    with db.atomic():
        db.execute("update groups set chatid = null where chatid = ? and id != ?",
                   [chatid, group_id])
        db["groups"].update(group_id, {"chatid": chatid})
    return get_group(db, group_id)


def unbound_groups(db: Database, unit_ids: list[int]) -> list[Group]:
    """Return the groups of these units that no WeCom chat is bound to yet."""
    marks = ",".join("?" * len(unit_ids)) or "null"
    rows = db["groups"].rows_where(f"chatid is null and unit_id in ({marks})", unit_ids,
                                   order_by="id")
    return [Group.from_row(r) for r in rows]
