"""Roster sync from the WeCom address book (the fake server's contacts API)."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.wecom.client import WeComClient
from bot.wecom.contacts import kind_of, sync_roster
from bot.wecom.fake import FakeWeCom
from handlers import texts
from storage import roster
from storage.db import open_db

DEPARTMENTS = [
    {"id": 1, "name": "幸福街道办事处", "parentid": 0, "order": 1},
    {"id": 2, "name": "幸福社区", "parentid": 1, "order": 1},
    {"id": 3, "name": "一网格", "parentid": 2, "order": 1},
    {"id": 4, "name": "二网格", "parentid": 2, "order": 2},
    {"id": 5, "name": "四网格", "parentid": 2, "order": 4},
    {"id": 6, "name": "社区党支部", "parentid": 2, "order": 9},
    {"id": 7, "name": "3号楼", "parentid": 3, "order": 1},
]
USERS = [
    {"userid": "wangshuji", "name": "王建国", "department": [2]},   # renamed
    {"userid": "lina", "name": "李娜", "department": [3]},          # unchanged
    {"userid": "zhangwei", "name": "张伟", "department": [5]},      # moved to 四网格
    {"userid": "zhaolei", "name": "赵磊", "department": [5]},       # new, in a grid
    {"userid": "wudaye", "name": "吴大爷", "department": [7]},      # new, in a building
    {"userid": "xiaoli", "name": "小李", "department": [6]},        # new, in no unit's name
]                                                                   # liuyang: gone


@pytest.fixture
def fake():
    with FakeWeCom() as server:
        server.set_contacts(DEPARTMENTS, USERS)
        yield server


@pytest.fixture
def client(fake):
    return WeComClient(fake.corp_id, fake.secret, 1000002, fake.base_url)


def snapshot(db):
    return roster.list_units(db), roster.list_people(db)


@pytest.mark.parametrize("name,kind", [
    ("幸福街道办事处", "street"), ("城关镇", "street"), ("幸福社区", "community"),
    ("幸福里网格", "grid"), ("第1网格", "grid"), ("3号楼", "building"),
    ("社区党支部", None), ("综合办", None),
])
def test_a_department_kind_comes_from_its_name(name, kind):
    assert kind_of(name) == kind


def test_a_dry_run_shows_the_differences_in_chinese_and_changes_nothing(db, small_roster,
                                                                       client):
    before = snapshot(db)
    plan, lines = sync_roster(db, client, dry_run=True)
    assert snapshot(db) == before
    assert lines[0] == texts.SYNC_DRY_HEAD
    assert texts.SYNC_NEW_UNIT.format(name="四网格", kind="网格", parent="幸福社区") in lines
    assert texts.SYNC_NEW_UNIT.format(name="3号楼", kind="楼栋", parent="一网格") in lines
    assert texts.SYNC_NEW_PERSON.format(name="赵磊", userid="zhaolei", unit="四网格",
                                        roles="网格员") in lines
    assert texts.SYNC_NEW_PERSON.format(name="吴大爷", userid="wudaye", unit="3号楼",
                                        roles="楼栋长") in lines
    assert texts.SYNC_NEW_PERSON.format(name="小李", userid="xiaoli", unit="幸福社区",
                                        roles="志愿者") in lines
    assert texts.SYNC_MOVED.format(name="张伟", userid="zhangwei", old="二网格",
                                   new="四网格") in lines
    assert texts.SYNC_RENAMED.format(userid="wangshuji", old="王书记", new="王建国") in lines
    assert texts.SYNC_GONE.format(name="刘洋", userid="liuyang") in lines
    assert texts.SYNC_SKIPPED.format(name="社区党支部") in lines
    assert lines[-1] == texts.SYNC_TOTAL.format(units=3, people=3, changed=2, gone=1)
    assert [u.name for u in plan.new_units] == ["幸福街道办事处", "四网格", "3号楼"]


def test_the_real_run_updates_units_and_people_and_keeps_roles(db, small_roster, client):
    _, lines = sync_roster(db, client, dry_run=False)
    assert lines[0] == texts.SYNC_DONE_HEAD
    community = small_roster["community"]
    [fourth] = [g for g in roster.grids_of(db, community.id) if g.name == "四网格"]
    assert fourth.ordinal == 4
    first_grid = small_roster["grids"][0]
    assert [u.name for u in roster.children(db, first_grid.id, "building")] == ["3号楼"]
    secretary = roster.find_person(db, "wangshuji")
    assert secretary.name == "王建国" and secretary.roles == ("secretary",)
    moved = roster.find_person(db, "zhangwei")
    assert moved.unit_id == fourth.id and moved.roles == ("grid_worker",)
    assert roster.find_person(db, "zhaolei").roles == ("grid_worker",)
    assert roster.find_person(db, "wudaye").roles == ("building_leader",)
    assert roster.find_person(db, "xiaoli").unit_id == community.id
    assert roster.find_person(db, "liuyang") is not None  # the ledger still names them
    again, _ = sync_roster(db, client, dry_run=False)
    assert again.empty  # nothing left to change


def test_a_sync_that_fails_halfway_changes_nothing(db, small_roster, client, monkeypatch):
    before = snapshot(db)
    real_add = roster.add_person
    calls = []

    def add_then_fail(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_add(*args, **kwargs)
    monkeypatch.setattr(roster, "add_person", add_then_fail)
    with pytest.raises(RuntimeError):
        sync_roster(db, client, dry_run=False)
    assert snapshot(db) == before


def test_the_command_reads_the_secret_from_the_environment(tmp_path, fake, capsys, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(f'[wecom]\ncorp_id = "{fake.corp_id}"\nagent_id = 1000002\n'
                      f'api_base_url = "{fake.base_url}"\n', encoding="utf-8")
    path = tmp_path / "gridbot.db"
    open_db(path)
    monkeypatch.delenv("GRIDBOT_WECOM_SECRET", raising=False)
    assert main(["--config", str(config), "roster", "sync", "--db", str(path)]) == 2
    assert texts.WECOM_NOT_CONFIGURED in capsys.readouterr().out

    monkeypatch.setenv("GRIDBOT_WECOM_SECRET", fake.secret)
    assert main(["--config", str(config), "roster", "sync", "--dry-run", "--db", str(path)]) == 0
    assert texts.SYNC_DRY_HEAD in capsys.readouterr().out
    assert roster.list_people(open_db(path)) == []
    assert main(["--config", str(config), "roster", "sync", "--db", str(path)]) == 0
    assert texts.SYNC_DONE_HEAD in capsys.readouterr().out
    assert len(roster.list_people(open_db(path))) == len(USERS)

    fake.outage(True)
    assert main(["--config", str(config), "roster", "sync", "--db", str(path)]) == 2
    assert texts.WECOM_CALL_FAILED.split("：")[0] in capsys.readouterr().out
