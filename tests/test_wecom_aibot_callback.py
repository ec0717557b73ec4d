"""The intelligent bot's JSON callback, end to end with really encrypted requests."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from wechatpy.crypto.base import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder

from bot.demo import fresh_demo_db
from bot.wecom.crypto import read_xml
from bot.wecom.routes import AIBOT_PATH
from handlers import texts
from storage import ledger, roster
from tests.conftest import at
from tests.wecom_post import (BOT_KEY, BOT_TOKEN, Clock, WeComPoster, bot_click, bot_text,
                              wecom_settings)

ISSUE = "@网格派单助手 各网格本周五前完成独居老人走访，拍照反馈"


@pytest.fixture
def world(tmp_path):
    db = fresh_demo_db(None)
    clock = Clock(at("2024-11-18 09:00"))
    return db, clock, WeComPoster(db, wecom_settings(tmp_path), clock)


def said(poster, message) -> dict:
    poster.clock.advance(minutes=1)
    answer = poster.bot_post(message)
    assert answer.status_code == 200
    return poster.bot_reply(answer)


def bind(db, chatid, group):
    roster.bind_chat(db, roster.find_group(db, group).id, chatid)


def test_the_url_check_answers_the_decrypted_echo(world):
    db, clock, poster = world
    echostr = read_xml(poster.bot_crypto.encrypt_message("echo-1234", "n", "1"))["Encrypt"]
    answer = poster.client.get(AIBOT_PATH, query_string=poster.query(BOT_TOKEN, echostr)
                               | {"echostr": echostr})
    assert answer.status_code == 200 and answer.text == "echo-1234"


def test_an_unbound_group_is_offered_to_the_secretary_and_bound(world):
    db, clock, poster = world
    worker = said(poster, bot_text("m1", "lina", "@网格派单助手 收到", "CHAT-NEW"))
    assert worker["stream"]["content"] == texts.CHAT_NOT_BOUND
    offer = said(poster, bot_text("m2", "wangshuji", "@网格派单助手 你好", "CHAT-NEW"))
    assert offer["stream"]["content"].startswith(texts.BIND_OFFER.split("{")[0])
    assert "一网格群" in offer["stream"]["content"] and offer["stream"]["finish"] is True
    bound = said(poster, bot_text("m3", "wangshuji", "@网格派单助手 本群绑定为 一网格群",
                                  "CHAT-NEW"))
    assert bound["stream"]["content"] == texts.BOUND.format(group="一网格群", unit="一网格")
    assert roster.find_group(db, "一网格群").chatid == "CHAT-NEW"
    offer = said(poster, bot_text("m4", "wangshuji", "@网格派单助手 在吗", "CHAT-2"))
    assert "一网格群" not in offer["stream"]["content"]


def test_a_task_issued_in_the_big_group_is_claimed_and_completed_by_card(world):
    db, clock, poster = world
    bind(db, "CHAT-BIG", "幸福社区工作群")
    bind(db, "CHAT-1", "一网格群")
    issued = said(poster, bot_text("m1", "wangshuji", ISSUE, "CHAT-BIG"))
    assert issued["msgtype"] == "stream"
    assert issued["stream"]["content"].startswith(texts.ISSUED.split("{")[0] + "1 ")

    claimed = said(poster, bot_text("m2", "lina", "@网格派单助手 收到", "CHAT-1"))
    assert claimed["msgtype"] == "stream_with_template_card"
    card = claimed["template_card"]
    status = texts.CARD_CLAIMED.format(who="李娜", time=texts.short_time(clock()))
    assert card["card_type"] == "button_interaction" and status in json.dumps(
        card, ensure_ascii=False)
    assert [b["key"] for b in card["button_list"]] == ["done", "view"]

    update = said(poster, bot_click("m3", "lina", card["task_id"], "done", "CHAT-1"))
    assert update["response_type"] == "update_template_card" and "userids" not in update
    assert update["template_card"]["task_id"] == card["task_id"]
    done_line = texts.CARD_DONE.format(who="李娜", time=texts.short_time(clock()))
    assert done_line in json.dumps(update["template_card"], ensure_ascii=False)
    assert [b["key"] for b in update["template_card"]["button_list"]] == ["view"]
    [assignment] = [a for a in ledger.all_assignments(db) if a.state == "done"]
    assert roster.get_person(db, assignment.handler_id).userid == "lina"


def test_a_click_by_someone_else_only_changes_their_copy(world):
    db, clock, poster = world
    bind(db, "CHAT-BIG", "幸福社区工作群")
    bind(db, "CHAT-1", "一网格群")
    said(poster, bot_text("m1", "wangshuji", ISSUE, "CHAT-BIG"))
    card = said(poster, bot_text("m2", "lina", "@网格派单助手 收到", "CHAT-1"))["template_card"]
    update = said(poster, bot_click("m3", "zhangwei", card["task_id"], "done", "CHAT-1"))
    assert update["userids"] == ["zhangwei"]
    assert texts.NOT_YOUR_TASK.format(number=1, action="办结") in json.dumps(
        update["template_card"], ensure_ascii=False)
    assert not [a for a in ledger.all_assignments(db) if a.state == "done"]


def test_the_same_msgid_three_times_is_handled_once_with_the_same_answer(world):
    db, clock, poster = world
    bind(db, "CHAT-BIG", "幸福社区工作群")
    message = bot_text("m1", "wangshuji", ISSUE, "CHAT-BIG")
    replies = [poster.bot_reply(poster.bot_post(message)) for _ in range(3)]
    assert replies[0] == replies[1] == replies[2]
    assert len(ledger.list_tasks(db)) == 1


def test_a_quoted_task_number_settles_which_task(world):
    db, clock, poster = world
    bind(db, "CHAT-BIG", "幸福社区工作群")
    bind(db, "CHAT-1", "一网格群")
    said(poster, bot_text("m1", "wangshuji", ISSUE, "CHAT-BIG"))
    said(poster, bot_text("m2", "wangshuji", "@网格派单助手 各网格明天下午5点前上报消防隐患",
                          "CHAT-BIG"))
    quote = {"msgtype": "text", "text": {"content": "【新任务】任务#2 上报消防隐患"}}
    said(poster, bot_text("m3", "lina", "@网格派单助手 已完成", "CHAT-1", quote=quote))
    done = {ledger.get_task_by_id(db, a.task_id).number
            for a in ledger.all_assignments(db) if a.state == "done"}
    assert done == {2}


@pytest.mark.parametrize("change", [{"msg_signature": "0" * 40}, {"signed_at": -301},
                                    {"signed_at": 301}])
def test_a_bad_signature_or_stale_timestamp_is_403_and_nothing_recorded(world, change):
    db, clock, poster = world
    bind(db, "CHAT-BIG", "幸福社区工作群")
    answer = poster.bot_post(bot_text("m1", "wangshuji", ISSUE, "CHAT-BIG"), **change)
    assert answer.status_code == 403
    assert ledger.list_tasks(db) == [] and db.execute(
        "select count(*) from messages").fetchone()[0] == 0


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"encrypt": 5}', b"\xff\xfe"])
def test_malformed_json_is_400(world, body):
    db, clock, poster = world
    answer = poster.client.post(AIBOT_PATH, query_string=poster.query(BOT_TOKEN, "x"),
                                data=body, content_type="application/json")
    assert answer.status_code == 400


def test_a_body_over_one_megabyte_is_413(world):
    db, clock, poster = world
    body = json.dumps({"encrypt": "A" * (1024 * 1024)})
    answer = poster.client.post(AIBOT_PATH, query_string=poster.query(BOT_TOKEN, "x"),
                                data=body, content_type="application/json")
    assert answer.status_code == 413


class _ImageServer:
    """WeCom's image store on loopback: serves a photo encrypted with the bot's key."""

    def __init__(self, photo: bytes):
        key = base64.b64decode(BOT_KEY + "=")
        sealed = WeChatCipher(key).encrypt(PKCS7Encoder.encode(photo))

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(sealed)))
                self.end_headers()
                self.wfile.write(sealed)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/img?sign=x"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_done_report_with_a_photo_keeps_the_photo(world, tmp_path):
    db, clock, poster = world
    bind(db, "CHAT-BIG", "幸福社区工作群")
    bind(db, "CHAT-1", "一网格群")
    said(poster, bot_text("m1", "wangshuji", ISSUE, "CHAT-BIG"))
    photo = b"\x89PNG\r\n\x1a\n" + b"visit" * 300
    images = _ImageServer(photo)
    try:
        mixed = {"msgtype": "mixed", "mixed": {"msg_item": [
            {"msgtype": "text", "text": {"content": "@网格派单助手 1号已完成，走访12户"}},
            {"msgtype": "image", "image": {"url": images.url}}]}}
        reply = said(poster, bot_text("m2", "lina", "", "CHAT-1") | mixed)
    finally:
        images.close()
    assert reply["stream"]["content"].startswith(texts.DONE_ACK.split("{")[0] + "1 ")
    [assignment] = [a for a in ledger.all_assignments(db) if a.state == "done"]
    [report] = [r for r in ledger.reports_of(db, assignment.id) if r.kind == "done"]
    assert report.text == "1号已完成，走访12户"
    assert len(report.attachments) == 1 and Path(report.attachments[0]).read_bytes() == photo
