"""The simulator's JSON API, through the real Flask app and its test client."""

from __future__ import annotations

import pytest

from bot.demo import fresh_demo_db
from bot.local import LocalChannel
from bot.web import create_app
from handlers import texts
from handlers.context import Options
from tests.conftest import at

NOW = at("2024-11-18 09:00")


@pytest.fixture
def client():
    db = fresh_demo_db(None)
    app = create_app(db, LocalChannel(db, Options(), now=lambda: NOW), now=lambda: NOW)
    return app.test_client()


def say(client, user, group, text):
    response = client.post("/api/messages", json={"user": user, "group": group, "text": text})
    assert response.status_code == 200
    return response.get_json()


def test_simulator_page_is_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert texts.BOT_NAME in page.get_data(as_text=True)


def test_roster_lists_groups_and_people(client):
    roster = client.get("/api/roster").get_json()
    assert [g["name"] for g in roster["groups"]][:2] == ["幸福社区工作群", "一网格群"]
    assert {"name": "李娜", "userid": "lina"}.items() <= roster["people"][1].items()


def test_posting_a_task_returns_the_reply_and_the_posts_into_grid_groups(client):
    lines = say(client, "王书记", "幸福社区工作群", "各网格本周五前完成独居老人走访，拍照反馈")
    assert lines[0]["sender"] == "王书记" and not lines[0]["from_bot"]
    assert lines[1]["from_bot"] and "任务#1" in lines[1]["text"]
    assert {line["group"] for line in lines[2:]} >= {"一网格群", "八网格群"}
    grid = client.get("/api/groups/一网格群/messages").get_json()
    assert len(grid) == 1 and "独居老人走访" in grid[0]["text"]
    after = client.get(f"/api/groups/一网格群/messages?after={grid[0]['id']}").get_json()
    assert after == []


def test_ledger_and_history_follow_the_chat(client):
    say(client, "wangshuji", "幸福社区工作群", "各网格本周五前完成独居老人走访，拍照反馈")
    say(client, "lina", "一网格群", "已完成，走访12户")
    rows = client.get("/api/ledger").get_json()
    assert len(rows) == 8
    first = rows[[r["unit"] for r in rows].index("一网格")]
    assert (first["state_name"], first["handler"], first["overdue"]) == ("已办结", "李娜", False)
    history = client.get("/api/tasks/1/history").get_json()
    assert [h["kind"] for h in history][-1] == "done"
    assert history[-1]["actor"] == "李娜" and history[-1]["unit"] == "一网格"


def test_private_chat(client):
    say(client, "lina", None, "帮助")
    chat = client.get("/api/people/lina/messages").get_json()
    assert [c["sender"] for c in chat] == ["李娜", texts.BOT_NAME]


@pytest.mark.parametrize("body", [None, {"user": "lina"}, {"user": 1, "text": "x"}, ["x"]])
def test_malformed_post_is_refused_in_chinese(client, body):
    response = client.post("/api/messages", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == texts.API_BAD_MESSAGE


def test_unknown_group_person_and_task(client):
    assert client.get("/api/groups/没有/messages").status_code == 404
    assert client.get("/api/people/nobody/messages").status_code == 404
    assert client.get("/api/tasks/9/history").status_code == 404
    lines = say(client, "nobody", "一网格群", "收到")
    assert lines[0]["text"] == texts.UNKNOWN_PERSON.format(who="nobody")


def test_two_connections_delivering_at_once_show_each_post_once(tmp_path, monkeypatch):
    """The web app and the scheduler deliver the local outbox on connections of their own."""
    import bot.local as local
    from storage import outbox
    from storage.db import open_db
    path = tmp_path / "g.db"
    web, scheduler = fresh_demo_db(str(path)), open_db(path)
    item = outbox.enqueue(web, at("2024-11-18 09:00"), "notice", "明天停水", group_id=1)
    seen_before = outbox.due(scheduler, at("2024-11-18 09:00"))  # both read it as due...
    assert local.deliver(web, at("2024-11-18 09:00")) == 1
    monkeypatch.setattr(local.outbox, "due", lambda db, now: seen_before)
    assert local.deliver(scheduler, at("2024-11-18 09:00")) == 0  # ...only one shows it
    shown = web.execute("select count(*) from messages where text like '%明天停水%'").fetchone()[0]
    assert shown == 1 and outbox.items(web, "sent")[0].id == item.id
