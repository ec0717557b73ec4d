"""`gridbot serve` answers real encrypted callbacks over HTTP; `gridbot check` names problems."""

from __future__ import annotations

import io
import threading

import pytest
import requests

from bot import clock
from bot.cli import main
from bot.demo import fresh_demo_db
from bot.serve import make_app, make_server
from bot.wecom.client import WeComClient
from bot.wecom.check import run_check
from bot.wecom.fake import FakeWeCom
from bot.wecom.routes import AIBOT_PATH
from handlers import texts
from storage import roster
from tests.wecom_post import CORP_ID, Clock, WeComPoster, bot_text, wecom_settings
from tests.conftest import at


@pytest.fixture
def served(tmp_path):
    db = fresh_demo_db(None)
    roster.bind_chat(db, roster.find_group(db, "幸福社区工作群").id, "CHAT-BIG")
    settings = wecom_settings(tmp_path)
    server = make_server(make_app(db, settings), "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", db, settings
    server.close()
    thread.join(5)


def test_the_served_app_answers_an_encrypted_callback(served):
    base, db, settings = served
    # The poster only encrypts and decrypts; the request goes over HTTP to waitress.
    poster = WeComPoster(fresh_demo_db(None), settings, Clock(clock.now()))
    params, body = poster.bot_request(bot_text("m-1", "wangshuji", "@网格派单助手 帮助",
                                               "CHAT-BIG"))
    answer = requests.post(base + AIBOT_PATH, params=params, data=body, timeout=5)
    assert answer.status_code == 200
    assert poster.open_bot_answer(answer.json())["stream"]["content"] == texts.HELP


def test_the_served_app_refuses_a_huge_body(served):
    base, db, settings = served
    answer = requests.post(base + AIBOT_PATH, data=b"x" * (3 * 1024 * 1024), timeout=5)
    assert answer.status_code == 413


def test_check_passes_a_good_configuration(tmp_path):
    clock = Clock(at("2024-11-18 09:00"))
    with FakeWeCom(CORP_ID, now=clock) as fake:
        client = WeComClient(CORP_ID, fake.secret, 1000002, base_url=fake.base_url, now=clock)
        out = io.StringIO()
        problems = run_check(wecom_settings(tmp_path), "https://grid.example.cn", client, out)
    assert problems == [] and out.getvalue().rstrip().endswith(texts.CHECK_SUMMARY_OK)
    assert "https://grid.example.cn/wecom/aibot/callback" in out.getvalue()


def test_check_names_each_problem_in_plain_words(tmp_path):
    clock = Clock(at("2024-11-18 09:00"))
    settings = wecom_settings(tmp_path, wecom_corp_id="", aibot_token="")
    with FakeWeCom(CORP_ID, now=clock) as fake:
        client = WeComClient(CORP_ID, "wrong-secret", 1000002, base_url=fake.base_url, now=clock)
        out = io.StringIO()
        problems = run_check(settings, "http://192.168.1.10/x?y=1", client, out)
    text = out.getvalue()
    assert len(problems) == 4, text  # corp id, bot keys, URL, token fetch
    assert "CorpID" in text and "[aibot]" in text and "?" in text and "Secret" in text
    assert texts.CHECK_SUMMARY_BAD.format(n=4) in text


def test_gridbot_check_exits_nonzero_on_the_embedded_defaults(capsys):
    assert main(["check"]) == 1
    assert "channel.kind" in capsys.readouterr().out


def test_with_wecom_on_the_simulator_is_not_served(tmp_path):
    """Nobody on the network may speak as the secretary through the simulator's API."""
    settings = wecom_settings(tmp_path)
    db = fresh_demo_db(None)
    client = make_app(db, settings).test_client()
    refused = client.post("/api/messages", json={"user": "wangshuji", "group": "幸福社区工作群",
                                                 "text": "各网格3天内完成走访"})
    assert refused.status_code in (404, 405)
    assert db["tasks"].count == 0
    assert client.get("/").headers["Location"].endswith("/console/")


@pytest.mark.parametrize("scheduler", [True, False])
def test_only_the_main_process_runs_the_sender_and_the_schedule(tmp_path, monkeypatch, scheduler):
    """Two senders on one database would both post the same next message: --no-scheduler
    (extra web workers) starts neither the sender nor the schedule."""
    import bot.serve as serving
    settings = wecom_settings(tmp_path, database_path=str(tmp_path / "g.db"))
    threads_before = {t.name for t in threading.enumerate()}
    seen = {}

    def stop_at_once(port):
        seen["threads"] = {t.name for t in threading.enumerate()} - threads_before
        raise KeyboardInterrupt
    serving.serve(settings, "127.0.0.1", 0, ready=stop_at_once, scheduler=scheduler)
    assert ("outbox-sender" in seen["threads"]) is scheduler
    assert ("APScheduler" in seen["threads"]) is scheduler
