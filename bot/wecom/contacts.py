"""Roster sync: WeCom's address book (departments and members) into units and people.

A department becomes a unit by its name's ending, not its depth: corps put their tree at
different depths (a district office on top, or a community alone), but people name
their departments 幸福街道 / 幸福社区 / 一网格 / 3号楼 consistently. A department whose name fits
no kind (the corp's root, 综合办, 党支部) is not a unit; its members and sub-departments
belong to the nearest ancestor that is one.

Sync adds and updates, never deletes or moves: an existing unit is matched by name and
kind (a grid also by its community), new units go under their nearest mapped ancestor;
members are matched by userid; a member's name and unit follow WeCom, roles are kept;
a new member gets grid_worker in a grid, building_leader in a building, volunteer
elsewhere (secretary is never granted by sync: that power is given in the roster file).
People WeCom no longer lists are reported and kept, because the ledger names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from bot.wecom.client import WeComClient
from handlers import texts
from handlers.roster_words import GRID_NAME, number
from storage import roster
from storage.models import Person, Unit

SUFFIXES = (  # longest first within a kind does not matter: endswith is tested for each
    ("street", ("街道", "街道办", "街道办事处", "镇", "乡")),
    ("community", ("社区", "居委会", "村")),
    ("grid", ("网格",)),
    ("building", ("楼", "楼栋", "单元")),
)
DEFAULT_ROLES = {"grid": "grid_worker", "building": "building_leader"}


def kind_of(name: str) -> str | None:
    """Tell a department's unit kind from its name's ending; None when it is not a unit."""
    name = name.strip()
    for kind, endings in SUFFIXES:
        if name.endswith(endings):
            return kind
    return None


@dataclass(frozen=True)
class NewUnit:
    dept_id: int
    name: str
    kind: str
    parent: str | None          # the parent's name, for people reading the diff
    parent_dept: int | None     # the mapped parent department, None at the top


@dataclass(frozen=True)
class PersonChange:
    userid: str
    name: str
    unit_dept: int | None       # the department whose unit the person belongs to
    unit_name: str
    old_name: str | None = None
    old_unit: str | None = None
    roles: tuple[str, ...] = ()


@dataclass
class SyncPlan:
    new_units: list[NewUnit] = field(default_factory=list)
    new_people: list[PersonChange] = field(default_factory=list)
    changed: list[PersonChange] = field(default_factory=list)
    gone: list[Person] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    existing: dict[int, Unit] = field(default_factory=dict)   # dept id -> matched unit

    @property
    def empty(self) -> bool:
        return not (self.new_units or self.new_people or self.changed)


def read_contacts(client: WeComClient) -> tuple[list[dict], list[dict]]:
    """Fetch every department and the members directly in each (deduplicated by userid)."""
    departments = client.list_departments()
    members: dict[str, dict] = {}
    for dept in departments:
        for user in client.list_users(dept["id"]):
            members.setdefault(user["userid"], user)
    return departments, list(members.values())


def plan_sync(db: Database, departments: list[dict], members: list[dict]) -> SyncPlan:
    """Compare the address book with the roster; change nothing."""
    plan = SyncPlan()
    by_id = {d["id"]: d for d in departments}
    mapped: dict[int, int | None] = {}   # dept id -> nearest mapped dept (itself if mapped)
    for dept in _parents_first(departments):
        parent = mapped.get(dept.get("parentid"))
        kind = kind_of(dept["name"])
        if kind is None:
            mapped[dept["id"]] = parent
            plan.skipped.append(dept["name"])
            continue
        mapped[dept["id"]] = dept["id"]
        unit = _match_unit(db, dept["name"], kind, plan.existing.get(parent))
        if unit:
            plan.existing[dept["id"]] = unit
        else:
            plan.new_units.append(NewUnit(dept["id"], dept["name"], kind,
                                          by_id[parent]["name"] if parent else None, parent))
    _plan_people(db, plan, by_id, mapped, members)
    return plan


def _parents_first(departments: list[dict]) -> list[dict]:
    ids = {d["id"] for d in departments}
    done: set[int] = set()
    ordered: list[dict] = []
    pending = sorted(departments, key=lambda d: (d.get("order", 0), d["id"]))
    while pending:
        ready = [d for d in pending if d.get("parentid") not in ids or d["parentid"] in done]
        if not ready:  # a cycle: WeCom does not send one, but never loop forever
            ready = pending[:1]
        for d in ready:
            done.add(d["id"])
            ordered.append(d)
        pending = [d for d in pending if d["id"] not in done]
    return ordered


def _match_unit(db: Database, name: str, kind: str, parent: Unit | None) -> Unit | None:
    found = [u for u in roster.find_units_by_name(db, name) if u.kind == kind]
    if parent is not None:
        under = [u for u in found if u.parent_id == parent.id]
        if under or kind in ("grid", "building"):
            found = under  # 一网格 exists in many communities: only this one's counts
    return found[0] if len(found) == 1 else None


def _plan_people(db: Database, plan: SyncPlan, by_id: dict, mapped: dict,
                 members: list[dict]) -> None:
    names = {u.id: u.name for u in roster.list_units(db)}
    seen: set[str] = set()
    for user in members:
        seen.add(user["userid"])
        dept = user.get("main_department") or (user.get("department") or [None])[0]
        unit_dept = mapped.get(dept)
        unit_name = by_id[unit_dept]["name"] if unit_dept else texts.SYNC_NO_UNIT
        known = roster.find_person(db, user["userid"])
        if known is None or known.userid != user["userid"]:
            kind = kind_of(by_id[unit_dept]["name"]) if unit_dept else None
            plan.new_people.append(PersonChange(user["userid"], user["name"], unit_dept,
                                                unit_name,
                                                roles=(DEFAULT_ROLES.get(kind, "volunteer"),)))
            continue
        matched = plan.existing.get(unit_dept)
        old_unit = names.get(known.unit_id, texts.SYNC_NO_UNIT)
        moved = unit_dept is not None and (matched is None or matched.id != known.unit_id)
        if known.name != user["name"] or moved:
            plan.changed.append(PersonChange(
                user["userid"], user["name"], unit_dept if moved else None,
                unit_name if moved else old_unit, old_name=known.name,
                old_unit=old_unit if moved else None, roles=known.roles))
    plan.gone = [p for p in roster.list_people(db) if p.userid not in seen]


def apply_sync(db: Database, plan: SyncPlan) -> None:
    """Make the roster match the plan, all in one transaction."""
    with db.atomic():
        units = dict(plan.existing)
        for new in plan.new_units:
            parent = units.get(new.parent_dept)
            match = GRID_NAME.match(new.name) if new.kind == "grid" else None
            units[new.dept_id] = roster.add_unit(
                db, new.name, new.kind, parent.id if parent else None,
                number(match.group(1)) if match else None)
        for change in plan.new_people:
            unit = units.get(change.unit_dept)
            roster.add_person(db, change.name, change.userid, change.roles,
                              unit.id if unit else None)
        for change in plan.changed:
            known = roster.find_person(db, change.userid)
            unit = units.get(change.unit_dept) if change.unit_dept else None
            roster.add_person(db, change.name, change.userid, known.roles,
                              unit.id if unit else known.unit_id, known.phone)


def describe(plan: SyncPlan, applied: bool) -> list[str]:
    """Write the plan as Chinese lines for the command line."""
    if plan.empty and not plan.gone:
        return [texts.SYNC_NO_CHANGE]
    lines = [texts.SYNC_DONE_HEAD if applied else texts.SYNC_DRY_HEAD]
    lines += [texts.SYNC_NEW_UNIT.format(name=u.name, kind=texts.UNIT_KIND_NAMES[u.kind],
                                         parent=u.parent or texts.SYNC_NO_UNIT)
              for u in plan.new_units]
    lines += [texts.SYNC_NEW_PERSON.format(
        name=p.name, userid=p.userid, unit=p.unit_name,
        roles=texts.LIST_SEP.join(texts.ROLE_NAMES[r] for r in p.roles)) for p in plan.new_people]
    for p in plan.changed:
        if p.old_name != p.name:
            lines.append(texts.SYNC_RENAMED.format(userid=p.userid, old=p.old_name, new=p.name))
        if p.old_unit is not None:
            lines.append(texts.SYNC_MOVED.format(name=p.name, userid=p.userid, old=p.old_unit,
                                                 new=p.unit_name))
    lines += [texts.SYNC_GONE.format(name=p.name, userid=p.userid) for p in plan.gone]
    lines += [texts.SYNC_SKIPPED.format(name=name) for name in plan.skipped]
    lines.append(texts.SYNC_TOTAL.format(units=len(plan.new_units), people=len(plan.new_people),
                                         changed=len(plan.changed), gone=len(plan.gone)))
    return lines


def sync_roster(db: Database, client: WeComClient, dry_run: bool) -> tuple[SyncPlan, list[str]]:
    """Read the address book, plan, and (unless dry_run) apply; return the plan and its lines."""
    departments, members = read_contacts(client)
    plan = plan_sync(db, departments, members)
    if not dry_run and not plan.empty:
        apply_sync(db, plan)
    return plan, describe(plan, applied=not dry_run)
