"""Bind a WeCom group chat to a roster group, on a secretary's word: "本群绑定为 一网格群"."""

from __future__ import annotations

import re
import unicodedata

from sqlite_utils import Database

from handlers import texts
from handlers.context import Context, Incoming, Outcome
from handlers.registry import on
from handlers.team import community_of
from storage import chat, roster
from storage.models import Group, Person

BIND = re.compile(r"本群(?:绑定|登记|对应)(?:为|成|到)?[:：\s]*(?P<name>[^\s，。,.!！]+)")


def wanted_group(text: str) -> str | None:
    """Read the group name from "本群绑定为 X", or None when the text says something else."""
    found = BIND.search(unicodedata.normalize("NFKC", text))
    return found.group("name") if found else None


def unbound_chat(db: Database, incoming: Incoming, person: Person) -> Outcome:
    """Answer a message from a chat that no roster group is bound to."""
    if incoming.channel == "local":
        return Outcome(texts.UNKNOWN_GROUP.format(group=incoming.group), "refused")
    if not person.is_secretary:
        return Outcome(texts.CHAT_NOT_BOUND, "refused")
    groups = _community_groups(db, person)
    free = [g for g in groups if g.chatid is None]
    name = wanted_group(incoming.text)
    if name is None:
        if not free:
            return Outcome(texts.BIND_NONE_LEFT, "bind_offer")
        return Outcome(texts.BIND_OFFER.format(example=free[0].name, groups=_names(free)),
                       "bind_offer")
    group = _named(db, groups, name)
    if group is None:
        return Outcome(texts.BIND_UNKNOWN.format(name=name, groups=_names(free)), "refused")
    return _bind(db, incoming, person, group)


@on("bind")
def rebind(ctx: Context) -> Outcome:
    """Bind a chat that serves one group to another ("本群绑定为 二网格群" said again)."""
    if ctx.incoming.channel == "local" or ctx.group is None:
        return Outcome(texts.BIND_LOCAL, "other")
    groups = _community_groups(ctx.db, ctx.person)
    name = wanted_group(ctx.text)
    group = _named(ctx.db, groups, name)
    if group is None:
        free = [g for g in groups if g.chatid is None]
        return Outcome(texts.BIND_UNKNOWN.format(name=name, groups=_names(free)), "refused")
    bound = roster.bind_chat(ctx.db, group.id, ctx.incoming.group)
    return Outcome(_bound_text(ctx.db, bound), "bind")


def _bind(db: Database, incoming: Incoming, person: Person, group: Group) -> Outcome:
    with db.atomic():
        bound = roster.bind_chat(db, group.id, incoming.group)
        chat.record_message(db, incoming.at, "in", incoming.text, group_id=bound.id,
                            person_id=person.id, channel=incoming.channel,
                            external_id=incoming.external_id)
        reply = _bound_text(db, bound)
        chat.record_message(db, incoming.at, "out", reply, group_id=bound.id,
                            channel=incoming.channel)
    return Outcome(reply, "bind")


def _bound_text(db: Database, group: Group) -> str:
    return texts.BOUND.format(group=group.name, unit=roster.get_unit(db, group.unit_id).name)


def _community_groups(db: Database, person: Person) -> list[Group]:
    community = community_of(db, person)
    if community is None:
        return []
    units = [community.id]
    for grid in roster.grids_of(db, community.id):
        units += [grid.id] + [b.id for b in roster.children(db, grid.id, "building")]
    wanted = set(units)
    return [g for g in roster.list_groups(db) if g.unit_id in wanted]


def _named(db: Database, groups: list[Group], name: str | None) -> Group | None:
    """Match a group by its name, or by the name of the unit it serves ("一网格")."""
    for group in groups:
        if name in (group.name, roster.get_unit(db, group.unit_id).name):
            return group
    return None


def _names(groups: list[Group]) -> str:
    return texts.LIST_SEP.join(g.name for g in groups) or texts.NONE_LISTED
