"""Shared fixtures: a real in-memory ledger with a small roster, and a fixed clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from storage import roster
from storage.db import open_db

ZONE = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    """Read '2024-11-18 09:00' as a Shanghai time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


@pytest.fixture
def db():
    return open_db()


@pytest.fixture
def small_roster(db):
    """One community, three grids with a worker each, a secretary; returns the units and people."""
    community = roster.add_unit(db, "幸福社区", "community")
    grids = [roster.add_unit(db, f"{n}网格", "grid", community.id, i)
             for i, n in enumerate("一二三", start=1)]
    secretary = roster.add_person(db, "王书记", "wangshuji", ("secretary",), community.id)
    workers = [roster.add_person(db, name, uid, ("grid_worker",), g.id)
               for name, uid, g in zip(["李娜", "张伟", "刘洋"], ["lina", "zhangwei", "liuyang"],
                                       grids)]
    roster.add_group(db, "幸福社区工作群", "big", community.id)
    for g in grids:
        roster.add_group(db, f"{g.name}群", "small", g.id)
    return {"community": community, "grids": grids, "secretary": secretary, "workers": workers}
