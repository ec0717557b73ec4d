"""Post really encrypted WeCom callbacks through the Flask test client and read the replies."""

from __future__ import annotations

import json
import secrets

from wechatpy.enterprise.crypto import WeChatCrypto

from bot.config import Settings
from bot.local import LocalChannel
from bot.web import create_app
from bot.wecom.crypto import read_xml, signature
from bot.wecom.routes import AIBOT_PATH, APP_PATH
from handlers.context import Options
from tests.conftest import Clock

CORP_ID = "ww1436e0e65a779aee"
APP_TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
APP_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
BOT_TOKEN = "Aibot0Token0For0Tests"
BOT_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def wecom_settings(tmp_path, **changes) -> Settings:
    values = dict(channel="wecom", wecom_corp_id=CORP_ID, wecom_token=APP_TOKEN,
                  wecom_encoding_aes_key=APP_KEY, aibot_token=BOT_TOKEN,
                  aibot_encoding_aes_key=BOT_KEY, media_dir=str(tmp_path / "media"))
    return Settings(**(values | changes))


class WeComPoster:
    """Play WeCom's part: sign and encrypt callbacks, decrypt what the app answers."""

    def __init__(self, db, settings: Settings, clock: Clock, client=None):
        self.clock = clock
        self.app = create_app(db, LocalChannel(db, Options(), now=clock), now=clock,
                              settings=settings, wecom_client=client)
        self.client = self.app.test_client()
        self.app_crypto = WeChatCrypto(APP_TOKEN, APP_KEY, CORP_ID)
        self.bot_crypto = WeChatCrypto(BOT_TOKEN, BOT_KEY, "")

    def query(self, token: str, encrypted: str, timestamp: str | None = None) -> dict:
        timestamp = timestamp or str(int(self.clock().timestamp()))
        nonce = secrets.token_hex(5)
        return {"msg_signature": signature(token, timestamp, nonce, encrypted),
                "timestamp": timestamp, "nonce": nonce}

    # -- the self-built app (XML) ----------------------------------------------
    def app_post(self, xml: str, **query):
        envelope = read_xml(self.app_crypto.encrypt_message(xml, "n1", "1"))
        encrypted = envelope["Encrypt"]
        body = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID>1000002</AgentID></xml>")
        params = self.query(APP_TOKEN, encrypted) | query
        return self.client.post(APP_PATH, query_string=params, data=body,
                                content_type="text/xml")

    def app_reply(self, response) -> dict[str, str]:
        """Check the encrypted XML answer's signature and return the reply's fields."""
        envelope = read_xml(response.data)
        plain = self.app_crypto.decrypt_message(response.data, envelope["MsgSignature"],
                                                envelope["TimeStamp"], envelope["Nonce"])
        return read_xml(plain)

    def app_text(self, user: str, text: str, msgid: str) -> str:
        return (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA["
                f"{user}]]></FromUserName><CreateTime>{int(self.clock().timestamp())}"
                f"</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]>"
                f"</Content><MsgId>{msgid}</MsgId><AgentID>1000002</AgentID></xml>")

    # -- the intelligent bot (JSON) ----------------------------------------------
    def bot_request(self, message: dict, signed_at: int = 0) -> tuple[dict, str]:
        """Encrypt and sign a callback; signed_at shifts its timestamp by seconds."""
        envelope = read_xml(self.bot_crypto.encrypt_message(
            json.dumps(message, ensure_ascii=False), "n1", "1"))
        encrypted = envelope["Encrypt"]
        timestamp = str(int(self.clock().timestamp()) + signed_at)
        return self.query(BOT_TOKEN, encrypted, timestamp), json.dumps({"encrypt": encrypted})

    def bot_post(self, message: dict, signed_at: int = 0, **query):
        params, body = self.bot_request(message, signed_at)
        return self.client.post(AIBOT_PATH, query_string=params | query, data=body,
                                content_type="application/json")

    def bot_reply(self, response) -> dict:
        return self.open_bot_answer(response.get_json())

    def open_bot_answer(self, answer: dict) -> dict:
        """Check the encrypted JSON answer's signature and return the reply object."""
        assert answer["msgsignature"] == signature(BOT_TOKEN, answer["timestamp"],
                                                   answer["nonce"], answer["encrypt"])
        return json.loads(self.bot_crypto.decrypt_message(
            {"Encrypt": answer["encrypt"]}, answer["msgsignature"], answer["timestamp"],
            answer["nonce"]))


def bot_text(msgid: str, user: str, text: str, chatid: str | None = "CHAT1", **extra) -> dict:
    message = {"msgid": msgid, "aibotid": "BOT", "chattype": "group" if chatid else "single",
               "from": {"userid": user}, "response_url": "http://127.0.0.1:9/x",
               "msgtype": "text", "text": {"content": text}}
    if chatid:
        message["chatid"] = chatid
    return message | extra


def bot_click(msgid: str, user: str, task_id: str, key: str, chatid: str = "CHAT1") -> dict:
    return {"msgid": msgid, "create_time": 1700000000, "aibotid": "BOT", "chatid": chatid,
            "chattype": "group", "from": {"userid": user}, "msgtype": "event",
            "event": {"eventtype": "template_card_event",
                      "template_card_event": {"card_type": "button_interaction",
                                              "event_key": key, "task_id": task_id}}}
