"""Who may do what in the console: every refusal is a Chinese page and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import Settings
from handlers import texts
from tests.console_support import (NOW, PASSWORD, Clock, assignment_id, csrf, flashes, make_app,
                                   post, roster_upload, seeded_db, sign_in, snapshot,
                                   task_id)


@pytest.fixture
def world():
    db = seeded_db()
    clock = Clock(NOW)
    return db, clock, make_app(db, clock)


def actions(db) -> list[tuple[str, str, dict]]:
    """Every secretary action on 幸福社区's tasks, with a form that would succeed."""
    one, two = task_id(db, "幸福社区", 1), task_id(db, "幸福社区", 2)
    done = assignment_id(db, one, "一网格")
    lone = assignment_id(db, two, "三网格")
    return [
        ("accept", f"/console/tasks/{one}/accept", {"assignment": done}),
        ("return", f"/console/tasks/{one}/return", {"assignment": done, "reason": "补照片"}),
        ("extend", f"/console/tasks/{two}/extend", {"date": "2024-11-29"}),
        ("extend_one", f"/console/tasks/{two}/extend", {"assignment": lone, "date": "2024-11-29"}),
        ("transfer", f"/console/tasks/{one}/transfer", {"assignment": done, "to": 5}),
        ("cancel", f"/console/tasks/{two}/cancel", {}),
        ("issue", "/console/tasks/new", {"text": "各网格明天下午5点前上报消防隐患"}),
        ("import", "/console/roster/import", {"files": roster_upload()}),
    ]


ACTION_NAMES = [name for name, _, _ in actions(seeded_db())]


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(world, action):
    db, _, app = world
    client = app.test_client()
    name, url, data = next(a for a in actions(db) if a[0] == action)
    before = snapshot(db)
    answer = post(client, url, data, content_type="multipart/form-data")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/console/login")
    assert snapshot(db) == before


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_grid_worker_is_refused_every_secretary_action(world, action):
    db, _, app = world
    client = app.test_client()
    sign_in(client, "lina")
    name, url, data = next(a for a in actions(db) if a[0] == action)
    before = snapshot(db)
    answer = post(client, url, data, content_type="multipart/form-data")
    assert answer.status_code == 403
    assert flashes(answer.get_data(as_text=True)) == [texts.CONSOLE_SECRETARY_ONLY]
    assert snapshot(db) == before


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_secretary_of_another_community_is_refused_and_nothing_changes(world, action):
    db, _, app = world
    client = app.test_client()
    sign_in(client, "zhang")
    name, url, data = next(a for a in actions(db) if a[0] == action)
    before = snapshot(db)
    answer = post(client, url, data, content_type="multipart/form-data")
    after = snapshot(db)
    if name == "issue":  # issues into his own community, never into 幸福社区
        happy = task_id(db, "幸福社区", 1)
        community = db["tasks"].get(happy)["community_id"]
        assert [t for t in after["tasks"] if t["community_id"] == community] == \
               [t for t in before["tasks"] if t["community_id"] == community]
        return
    assert answer.status_code in (302, 404)
    if answer.status_code == 302:  # the roster import names the refusal on the next page
        page = client.get(answer.headers["Location"]).get_data(as_text=True)
        assert flashes(page) == [texts.CONSOLE_IMPORT_OTHER_COMMUNITY.format(
            names="幸福社区", own="和平社区")]
    else:
        assert flashes(answer.get_data(as_text=True)) == [texts.CONSOLE_NOT_FOUND]
    assert after == before


@pytest.mark.parametrize("who", ["zhang", "lina"])
def test_pages_of_another_grid_or_community_are_not_shown(world, who):
    db, _, app = world
    client = app.test_client()
    sign_in(client, who)
    four = next(u for u in db["units"].rows if u["name"] == "四网格")["id"]
    two = task_id(db, "幸福社区", 2)  # for 一、三网格
    peace = task_id(db, "和平社区", 1)
    if who == "zhang":
        assert client.get(f"/console/tasks/{two}").status_code == 404
        assert client.get(f"/console/grids/{four}").status_code == 404
        assert "独居老人走访" not in client.get("/console/tasks").get_data(as_text=True)
        assert "独居老人走访" not in client.get("/console/overdue").get_data(as_text=True)
    else:
        assert client.get(f"/console/tasks/{peace}").status_code == 404
        assert client.get(f"/console/grids/{four}").status_code == 404
        listed = client.get("/console/tasks").get_data(as_text=True)
        assert "通知停水" in listed and "清理楼道杂物" not in listed


@pytest.mark.parametrize("url", ["/console/roster", "/console/summaries", "/console/export",
                                 "/console/tasks/new",
                                 "/console/export/ledger?from=2024-11-01&to=2024-11-30"])
def test_grid_worker_cannot_open_secretary_pages(world, url):
    _, _, app = world
    client = app.test_client()
    sign_in(client, "lina")
    answer = client.get(url)
    assert answer.status_code == 403
    assert flashes(answer.get_data(as_text=True)) == [texts.CONSOLE_SECRETARY_ONLY]


def test_other_secretary_export_holds_only_his_community(world):
    _, _, app = world
    client = app.test_client()
    sign_in(client, "zhang")
    answer = client.get("/console/export/ledger?from=2024-11-01&to=2024-11-30&format=csv")
    text = answer.get_data().decode("utf-8-sig")
    assert "清理楼道杂物" in text and "独居老人走访" not in text


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_form_without_this_sessions_csrf_token_is_refused(world, token):
    db, _, app = world
    client = app.test_client()
    sign_in(client, "wang")
    one = task_id(db, "幸福社区", 1)
    before = snapshot(db)
    data = {"assignment": assignment_id(db, one, "一网格")}
    if token:
        data["csrf_token"] = token
    answer = client.post(f"/console/tasks/{one}/accept", data=data)
    assert answer.status_code == 400
    assert flashes(answer.get_data(as_text=True)) == [texts.CONSOLE_CSRF_FAILED]
    assert snapshot(db) == before


def test_sign_in_needs_the_csrf_token_too(world):
    _, _, app = world
    client = app.test_client()
    answer = client.post("/console/login", data={"username": "wang", "password": PASSWORD})
    assert answer.status_code == 400
    assert client.get("/console/tasks").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_answer(world):
    _, _, app = world
    client = app.test_client()
    for username, password in (("wang", "wrong-password"), ("nobody", PASSWORD)):
        answer = sign_in(client, username, password)
        assert answer.status_code == 401
        assert flashes(answer.get_data(as_text=True)) == [texts.CONSOLE_LOGIN_FAILED]
    assert client.get("/console/tasks").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(world):
    _, _, app = world
    client = app.test_client()
    answer = client.get("/console/overdue")
    assert answer.headers["Location"] == "/console/login?next=/console/overdue"
    token = csrf(client)
    signed = client.post("/console/login", data={"username": "wang", "password": PASSWORD,
                                                  "next": "/console/overdue", "csrf_token": token})
    assert signed.headers["Location"] == "/console/overdue"
    client.post("/console/logout", data={"csrf_token": csrf(client)})
    evil = client.post("/console/login", data={"username": "wang", "password": PASSWORD,
                                               "next": "//evil.example/console/",
                                               "csrf_token": csrf(client)})
    assert evil.headers["Location"] == "/console/tasks"


def test_session_expires_after_the_configured_hours(world):
    db, clock, app = world
    client = app.test_client()
    sign_in(client, "wang")
    clock.moment = NOW + dt.timedelta(hours=11, minutes=59)
    assert client.get("/console/tasks").status_code == 200
    one = task_id(db, "幸福社区", 1)
    token = csrf(client)
    clock.moment = NOW + dt.timedelta(hours=12, minutes=1)
    before = snapshot(db)
    answer = client.post(f"/console/tasks/{one}/accept",
                         data={"assignment": assignment_id(db, one, "一网格"), "csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/console/login")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert texts.CONSOLE_SESSION_EXPIRED in flashes(page)
    assert snapshot(db) == before


def test_the_session_cookie_is_http_only_and_lasts_the_configured_hours(world):
    _, _, app = world
    client = app.test_client()
    answer = sign_in(client, "wang")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert app.permanent_session_lifetime == dt.timedelta(hours=12)


def test_signing_out_ends_the_session(world):
    _, _, app = world
    client = app.test_client()
    sign_in(client, "wang")
    answer = post(client, "/console/logout")
    assert answer.headers["Location"] == "/console/login"
    assert client.get("/console/tasks").status_code == 302


def test_without_a_configured_key_a_session_survives_a_restart_and_a_second_worker(world):
    db, clock, _ = world
    first = make_app(db, clock, Settings())  # no [web] secret_key: a key kept in the database
    client = first.test_client()
    sign_in(client, "wang")
    cookie = client.get_cookie("session").value
    restarted = make_app(db, clock, Settings()).test_client()
    restarted.set_cookie("session", cookie)
    assert restarted.get("/console/tasks").status_code == 200
    other_db = seeded_db()  # another deployment has a key of its own
    stranger = make_app(other_db, clock, Settings()).test_client()
    stranger.set_cookie("session", cookie)
    assert stranger.get("/console/tasks").headers["Location"].startswith("/console/login")
