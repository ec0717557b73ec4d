"""The demo as a newcomer runs it: a real threaded HTTP server on loopback."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest

from bot.config import Settings
from bot.demo import fresh_demo_db, make_demo_server


@pytest.fixture
def base_url(tmp_path):
    db = fresh_demo_db(str(tmp_path / "demo.db"))
    server = make_demo_server(db, Settings(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def call(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_the_loop_over_http(base_url):
    issued = call(f"{base_url}/api/messages", {"user": "王书记", "group": "幸福社区工作群",
                                               "text": "各网格3天内完成独居老人走访，拍照反馈"})
    assert any("任务#1" in m["text"] for m in issued if m["from_bot"])
    call(f"{base_url}/api/messages", {"user": "lina", "group": "一网格群",
                                      "text": "1号已完成，走访12户，照片见上"})
    rows = call(f"{base_url}/api/ledger")
    assert [r["state"] for r in rows if r["unit"] == "一网格"] == ["done"]
    with urllib.request.urlopen(base_url + "/", timeout=10) as page:
        assert "simulator.js" in page.read().decode()


def test_the_demo_secretary_can_sign_in_to_the_console(tmp_path):
    from bot.demo import DEMO_ACCOUNT, add_demo_account
    db = fresh_demo_db(str(tmp_path / "demo.db"))
    add_demo_account(db)
    server = make_demo_server(db, Settings(), "127.0.0.1", 0)
    try:
        client = server.app.test_client()
        page = client.get("/console/login")
        token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        username, password = DEMO_ACCOUNT
        signed_in = client.post("/console/login", data={
            "username": username, "password": password, "csrf_token": token})
        assert signed_in.status_code == 302
        tasks = client.get("/console/", follow_redirects=True)
        assert tasks.status_code == 200 and "王书记" in tasks.get_data(as_text=True)
    finally:
        server.server_close()
