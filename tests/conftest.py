"""Shared fixtures: a real in-memory ledger with a small roster, and a fixed clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.wecom.client import WeComClient
from bot.wecom.fake import FakeWeCom
from storage import roster
from storage.db import open_db

ZONE = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    """Read '2024-11-18 09:00' as a Shanghai time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


class Clock:
    """A clock the test moves by hand; the fake WeCom, the client and the app all read it."""

    def __init__(self, moment: dt.datetime):
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def advance(self, seconds: float = 0, *, minutes: float = 0) -> None:
        self.moment += dt.timedelta(seconds=seconds, minutes=minutes)


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


@pytest.fixture
def clock():
    return Clock(at("2024-11-18 09:10"))


@pytest.fixture
def fake(clock):
    """The fake WeCom server on a local port, reading the test's clock."""
    with FakeWeCom(now=clock) as server:
        yield server


@pytest.fixture
def client(fake, clock):
    """A WeCom API client talking to the fake."""
    return WeComClient(fake.corp_id, fake.secret, 1000002, fake.base_url, now=clock)
