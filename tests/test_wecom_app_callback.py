"""The self-built app's XML callback, end to end with really encrypted requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.demo import fresh_demo_db
from bot.wecom.client import WeComClient
from bot.wecom.crypto import read_xml
from bot.wecom.fake import FakeWeCom
from bot.wecom.routes import APP_PATH
from bot.wecom.sender import Sender
from handlers import buttons, texts
from storage import ledger, outbox
from tests.conftest import at
from tests.wecom_post import APP_TOKEN, CORP_ID, Clock, WeComPoster, wecom_settings

ISSUE = "各网格本周五前完成独居老人走访，拍照反馈"
JPEG = b"\xff\xd8\xff\xe0" + b"photo-of-a-visit" * 100


@pytest.fixture
def fake():
    with FakeWeCom(CORP_ID) as server:
        yield server


@pytest.fixture
def world(tmp_path, fake):
    db = fresh_demo_db(None)
    clock = Clock(at("2024-11-18 09:00"))
    client = WeComClient(CORP_ID, fake.secret, 1000002, base_url=fake.base_url, now=clock)
    return db, clock, WeComPoster(db, wecom_settings(tmp_path), clock, client), tmp_path


def say(poster, user, text, msgid):
    poster.clock.advance(minutes=1)
    return poster.app_post(poster.app_text(user, text, msgid))


def count(db, table):
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_the_url_check_answers_the_decrypted_echo(world):
    db, clock, poster, _ = world
    echostr = read_xml(
        poster.app_crypto.encrypt_message("4781249123", "n", "1"))["Encrypt"]
    answer = poster.client.get(APP_PATH, query_string=poster.query(
        APP_TOKEN, echostr) | {"echostr": echostr})
    assert answer.status_code == 200 and answer.text == "4781249123"


def test_a_secretary_issues_and_a_worker_reports_done_in_the_1to1_chat(world):
    db, clock, poster, _ = world
    issued = poster.app_reply(say(poster, "wangshuji", ISSUE, "1001"))
    assert issued["ToUserName"] == "wangshuji" and issued["FromUserName"] == CORP_ID
    assert issued["Content"].startswith(texts.ISSUED.split("{")[0] + "1 ")
    done = poster.app_reply(say(poster, "lina", "1号已完成，走访12户", "1002"))
    assert done["Content"] == texts.DONE_ACK.format(number=1, unit="一网格",
                                                   time=texts.short_time(clock()))


def test_a_photo_is_fetched_stored_and_kept_with_the_done_report(world, fake):
    db, clock, poster, tmp_path = world
    say(poster, "wangshuji", ISSUE, "1001")
    say(poster, "lina", "1号已完成，走访12户", "1002")
    fake.add_media("MEDIA-1", JPEG, "visit.jpg")
    clock.advance(minutes=1)
    image = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[lina]]>"
             f"</FromUserName><CreateTime>{int(clock().timestamp())}</CreateTime><MsgType>"
             "<![CDATA[image]]></MsgType><PicUrl><![CDATA[http://127.0.0.1:9/p]]></PicUrl>"
             "<MediaId><![CDATA[MEDIA-1]]></MediaId><MsgId>1003</MsgId><AgentID>1000002"
             "</AgentID></xml>")
    reply = poster.app_reply(poster.app_post(image))
    assert reply["Content"] == texts.PHOTO_KEPT.format(number=1, unit="一网格", n=1)
    assignment = next(a for a in ledger.all_assignments(db) if a.state == "done")
    paths = [p for r in ledger.reports_of(db, assignment.id) for p in r.attachments]
    assert len(paths) == 1 and paths[0].startswith(str(tmp_path / "media"))
    assert Path(paths[0]).read_bytes() == JPEG


def test_the_same_message_three_times_is_handled_once_and_answered_each_time(world):
    db, clock, poster, _ = world
    say(poster, "wangshuji", ISSUE, "1001")
    xml = poster.app_text("lina", "1号已完成", "2001")
    answers = [poster.app_reply(poster.app_post(xml))["Content"] for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0].startswith(texts.DONE_ACK.split("{")[0])
    done_events = [e for t in ledger.list_tasks(db) for e in ledger.history(db, t.id)
                   if e.kind == "done"]
    assert len(done_events) == 1


def test_a_bad_signature_is_403_and_nothing_is_recorded(world):
    db, clock, poster, _ = world
    before = count(db, "messages")
    answer = poster.app_post(poster.app_text("wangshuji", ISSUE, "1001"),
                             msg_signature="0" * 40)
    assert answer.status_code == 403 and answer.data == b""
    assert count(db, "messages") == before and count(db, "callback_replies") == 0
    assert ledger.list_tasks(db) == []


@pytest.mark.parametrize("minutes", [-6, 6])
def test_a_timestamp_outside_the_window_is_refused(world, minutes):
    db, clock, poster, _ = world
    stale = str(int(clock().timestamp()) + minutes * 60)
    xml = poster.app_text("wangshuji", ISSUE, "1001")
    encrypted = read_xml(
        poster.app_crypto.encrypt_message(xml, "n", "1"))["Encrypt"]
    query = poster.query(APP_TOKEN, encrypted, timestamp=stale)
    answer = poster.client.post(APP_PATH, query_string=query, content_type="text/xml",
                                data=f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>")
    assert answer.status_code == 403 and ledger.list_tasks(db) == []


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  '<xml><Encrypt>&lol3;</Encrypt></xml>')
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       '<xml><Encrypt>&e;</Encrypt></xml>')


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE, "<xml><Encrypt>abc", "not xml at all",
                                  "<xml><Encrypt>&undefined;</Encrypt></xml>", "<xml/>",
                                  "<other><Encrypt>x</Encrypt></other>"])
def test_malformed_xml_and_xml_with_entities_are_refused(world, body):
    db, clock, poster, _ = world
    query = poster.query(APP_TOKEN, "x")
    answer = poster.client.post(APP_PATH, query_string=query, data=body,
                                content_type="text/xml")
    assert answer.status_code == 400 and count(db, "messages") == 0


def test_a_signed_plaintext_with_a_dtd_is_refused_too(world):
    db, clock, poster, _ = world
    inner = XXE.replace("<Encrypt>&e;</Encrypt>", "<FromUserName>&e;</FromUserName>")
    assert poster.app_post(inner).status_code == 400 and count(db, "messages") == 0


def test_a_body_over_one_megabyte_is_413(world):
    db, clock, poster, _ = world
    answer = poster.client.post(APP_PATH, query_string={"msg_signature": "x"},
                                data=b"<xml>" + b" " * (1024 * 1024) + b"</xml>",
                                content_type="text/xml")
    assert answer.status_code == 413


def test_an_internal_error_is_an_empty_200_never_a_500(world):
    db, clock, poster, _ = world
    db.execute("CREATE TRIGGER broken_disk BEFORE INSERT ON messages "
               "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    answer = say(poster, "lina", "收到", "3001")
    assert answer.status_code == 200 and answer.data == b""
    assert count(db, "callback_replies") == 0  # not remembered: WeCom's retry is handled anew


def button_xml(poster, xml):
    answer = poster.app_post(xml)
    envelope = read_xml(answer.data)
    return poster.app_crypto.decrypt_message(answer.data, envelope["MsgSignature"],
                                             envelope["TimeStamp"], envelope["Nonce"])


def card_click(clock, key, action, code="", user="lina"):
    return (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
            f"</FromUserName><CreateTime>{int(clock().timestamp())}</CreateTime><MsgType>"
            "<![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"
            f"<EventKey><![CDATA[{action}]]></EventKey><TaskId><![CDATA[{key}]]></TaskId>"
            "<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA["
            f"{code}]]></ResponseCode><AgentID>1000002</AgentID></xml>")


def test_a_card_click_claims_and_queues_the_updated_card(world, fake):
    db, clock, poster, _ = world
    say(poster, "wangshuji", ISSUE, "1001")
    assignment = next(a for a in ledger.all_assignments(db)
                      if ledger.get_task_by_id(db, a.task_id).number == 1 and a.unit_id ==
                      db.execute("select id from units where name = '一网格'").fetchone()[0])
    key = buttons.card_key(assignment.id, "c1")
    code = fake.issue_response_code()
    clock.advance(minutes=20)
    click = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[lina]]>"
             f"</FromUserName><CreateTime>{int(clock().timestamp())}</CreateTime><MsgType>"
             "<![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"
             f"<EventKey><![CDATA[claim]]></EventKey><TaskId><![CDATA[{key}]]></TaskId>"
             "<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA["
             f"{code}]]></ResponseCode><AgentID>1000002</AgentID></xml>")
    for _ in range(3):  # an event has no MsgId: sender and CreateTime dedupe it
        button = poster.app_reply(poster.app_post(click))
        assert button["MsgType"] == "update_button"
        assert "<ReplaceName><![CDATA[" + texts.CARD_BUTTON_AFTER["claim"] in button_xml(poster, click)
    claimed = ledger.get_assignment(db, assignment.id)
    assert claimed.state == "claimed" and claimed.claimed_at == clock()
    claims = [e for e in ledger.history(db, assignment.task_id) if e.kind == "claim"]
    assert len(claims) == 1 and claims[0].message_id is not None
    update = [i for i in outbox.items(db, "pending") if i.kind == "card_update"]
    assert len(update) == 1
    payload = json.loads(db["outbox"].get(update[0].id)["payload"])
    assert payload["response_code"] == code and payload["userids"] == ["lina"]
    status = texts.CARD_CLAIMED.format(who="李娜", time=texts.short_time(clock()))
    assert status in json.dumps(payload["template_card"], ensure_ascii=False)
    assert [b["key"] for b in payload["template_card"]["button_list"]] == ["done", "view"]


def lina_assignment(db):
    grid = db.execute("select id from units where name = '一网格'").fetchone()[0]
    return next(a for a in ledger.all_assignments(db) if a.unit_id == grid)


def test_a_done_click_completes_like_a_typed_report(world, fake):
    db, clock, poster, _ = world
    say(poster, "wangshuji", ISSUE, "1001")
    key = buttons.card_key(lina_assignment(db).id, "c2")
    clock.advance(minutes=30)
    assert "已办结" in button_xml(poster, card_click(clock, key, "done",
                                                   fake.issue_response_code()))
    done = lina_assignment(db)
    assert done.state == "done" and done.done_at == clock()
    [report] = [r for r in ledger.reports_of(db, done.id) if r.kind == "done"]
    assert report.text == texts.CARD_CLICK_TEXT.format(button=texts.CARD_BUTTONS["done"])


def test_a_click_on_another_grids_card_changes_nothing_and_says_why(world):
    db, clock, poster, _ = world
    say(poster, "wangshuji", ISSUE, "1001")
    key = buttons.card_key(lina_assignment(db).id, "c3")
    clock.advance(minutes=1)
    answer = poster.app_post(card_click(clock, key, "claim", user="zhangwei"))
    assert answer.status_code == 200 and answer.data == b""
    assert lina_assignment(db).state == "open"
    [told] = [i for i in outbox.items(db, "pending") if i.kind == "card_answer"]
    assert told.text == texts.NOT_YOUR_TASK.format(number=1, action="接单")


def test_each_handler_gets_a_personal_card_and_its_click_claims_and_redraws_it(tmp_path, fake):
    db = fresh_demo_db(None)
    clock = Clock(at("2024-11-18 09:00"))
    client = WeComClient(CORP_ID, fake.secret, 1000002, base_url=fake.base_url, now=clock)
    settings = wecom_settings(tmp_path, wecom_agent_id=1000002, wecom_secret=fake.secret)
    poster = WeComPoster(db, settings, clock, client)
    say(poster, "wangshuji", ISSUE, "2001")
    sender = Sender(db, client, now=clock)
    sender.drain_once()
    cards = {body["touser"]: body["template_card"] for body in fake.app_messages()
             if body["msgtype"] == "template_card"}
    handlers = {db["people"].get(a.handler_id)["userid"] for a in ledger.all_assignments(db)}
    assert set(cards) == handlers and "lina" in handlers  # one card per grid worker
    card = cards["lina"]
    assert card["main_title"]["title"].startswith("任务#1 ")
    assert [b["key"] for b in card["button_list"]] == ["claim", "done", "view"]

    clock.advance(minutes=5)  # 李娜 taps 接单 on her own card
    code = fake.issue_response_code()
    answer = poster.app_reply(poster.app_post(card_click(clock, card["task_id"], "claim", code)))
    assert answer["MsgType"] == "update_button"
    assert lina_assignment(db).state == "claimed"
    sender.drain_once()
    [update] = [r.body for r in fake.received if r.path == "message/update_template_card"]
    assert update["response_code"] == code and update["userids"] == ["lina"]
    status = texts.CARD_CLAIMED.format(who="李娜", time=texts.short_time(clock()))
    assert status in json.dumps(update["template_card"], ensure_ascii=False)


def test_without_the_app_no_personal_card_is_queued(world):
    db, _, poster, _ = world
    say(poster, "wangshuji", ISSUE, "2002")
    assert not [i for i in outbox.items(db, "pending") if i.kind == outbox.TASK_CARD_KIND]


def test_a_transfer_gives_the_new_handler_a_card(tmp_path, fake):
    db = fresh_demo_db(None)
    clock = Clock(at("2024-11-18 09:00"))
    settings = wecom_settings(tmp_path, wecom_agent_id=1000002, wecom_secret=fake.secret)
    poster = WeComPoster(db, settings, clock)
    say(poster, "wangshuji", "一网格本周五前完成独居老人走访", "3001")
    say(poster, "wangshuji", "1号转二网格", "3002")
    cards = [i for i in outbox.items(db, "pending") if i.kind == outbox.TASK_CARD_KIND]
    assert [db["people"].get(i.person_id)["userid"] for i in cards] == ["lina", "zhangwei"]
