"""WeCom's published callback vectors verify and decrypt through the project's own code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.demo import fresh_demo_db
from bot.wecom.crypto import CallbackCrypto, CallbackRefused, read_xml
from bot.wecom.routes import APP_PATH
from handlers import texts
from tests.wecom_post import Clock, WeComPoster, wecom_settings

# A copy of ../shared/wecom-vectors.json, so a fresh clone runs the test too.
VECTORS = json.loads((Path(__file__).parent / "wecom_vectors.json")
                     .read_text(encoding="utf-8"))
ZONE = dt.timezone(dt.timedelta(hours=8))


def moment(timestamp: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(timestamp), ZONE)


@pytest.fixture
def crypto():
    return CallbackCrypto(VECTORS["token"], VECTORS["encoding_aes_key"], VECTORS["corp_id"])


def test_the_url_check_vector_decrypts_to_the_published_echo(crypto):
    v = VECTORS["verify_url"]
    echo = crypto.verify_url(v["msg_signature"], v["timestamp"], v["nonce"], v["echostr"],
                             moment(v["timestamp"]))
    assert echo == v["expected_echo"]


def test_the_message_vector_decrypts_to_the_published_fields(crypto):
    v = VECTORS["decrypt_message"]
    encrypted = read_xml(v["body"])["Encrypt"]
    plain = crypto.decrypt(v["msg_signature"], v["timestamp"], v["nonce"], encrypted,
                           moment(v["timestamp"]))
    fields = read_xml(plain)
    assert {k: fields[k] for k in v["expected"]} == v["expected"]


def test_a_changed_signature_or_another_corp_is_refused(crypto):
    v = VECTORS["verify_url"]
    with pytest.raises(CallbackRefused):
        crypto.verify_url("0" * 40, v["timestamp"], v["nonce"], v["echostr"],
                          moment(v["timestamp"]))
    other = CallbackCrypto(VECTORS["token"], VECTORS["encoding_aes_key"], "wwsomeoneelse")
    with pytest.raises(CallbackRefused):
        other.verify_url(v["msg_signature"], v["timestamp"], v["nonce"], v["echostr"],
                         moment(v["timestamp"]))


def test_the_vectors_are_stale_today(crypto):
    v = VECTORS["verify_url"]
    with pytest.raises(CallbackRefused):
        crypto.verify_url(v["msg_signature"], v["timestamp"], v["nonce"], v["echostr"],
                          moment(v["timestamp"]) + dt.timedelta(minutes=6))


def test_the_vectors_go_through_the_callback_url(tmp_path):
    v = VECTORS["verify_url"]
    clock = Clock(moment(v["timestamp"]))
    poster = WeComPoster(fresh_demo_db(None), wecom_settings(tmp_path), clock)
    check = poster.client.get(APP_PATH, query_string={k: v[k] for k in
                                                      ("msg_signature", "timestamp", "nonce",
                                                       "echostr")})
    assert check.status_code == 200 and check.text == v["expected_echo"]

    m = VECTORS["decrypt_message"]
    clock.moment = moment(m["timestamp"])
    answer = poster.client.post(APP_PATH, data=m["body"], content_type="text/xml",
                                query_string={k: m[k] for k in
                                              ("msg_signature", "timestamp", "nonce")})
    reply = poster.app_reply(answer)
    # ChenJiaShun is not on the demo roster: the answer says so, in the encrypted reply.
    assert reply["ToUserName"] == "ChenJiaShun"
    assert reply["Content"] == texts.UNKNOWN_PERSON.format(who="ChenJiaShun")
