"""The self-built app's XML callback: 1:1 commands, photos and task-card clicks."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping

from sqlite_utils import Database

from bot import clock
from bot.wecom import cards
from bot.wecom.callback import EMPTY, Answer, Callback
from bot.wecom.crypto import BadPayload, CallbackCrypto, cdata, read_xml
from bot.wecom.media import MediaStore, MediaUnavailable, fetch_app_media
from handlers import buttons, texts
from handlers.context import Incoming, Options
from handlers.dispatch import dispatch
from storage import outbox, roster

log = logging.getLogger(__name__)

CHANNEL = "wecom_app"
XML = "application/xml; charset=utf-8"


def delivery_key(message: Mapping[str, str]) -> str:
    """Messages by MsgId; events (which have none) by sender and creation time."""
    if message.get("MsgId"):
        return "msg:" + message["MsgId"]
    return f"event:{message.get('FromUserName', '')}:{message.get('CreateTime', '')}"


class AppCallback(Callback):
    """Turn the app's callbacks into Incoming messages and encrypted passive replies."""

    channel = CHANNEL

    def __init__(self, db: Database, lock: threading.Lock, crypto: CallbackCrypto,
                 options: Options, media: MediaStore, client=None,
                 now: Callable[[], dt.datetime] = clock.now):
        super().__init__(db, lock, crypto, options, media, now)
        self.client = client  # the API client that redraws a clicked card; None without one

    def receive(self, args: Mapping[str, str], body: bytes) -> Answer:
        """Decrypt one callback, handle it once, answer it (the same way every time)."""
        encrypted = read_xml(body).get("Encrypt")
        if not encrypted:
            raise BadPayload("no Encrypt element")
        now = self.now()
        plain = self.crypto.decrypt(args.get("msg_signature", ""), args.get("timestamp", ""),
                                    args.get("nonce", ""), encrypted, now)
        message = read_xml(plain)
        if not message.get("FromUserName"):
            raise BadPayload("no FromUserName")
        key = delivery_key(message)
        photos = None
        if message.get("MsgType") == "image" and self.deliveries.seen(key) is None:
            photos = self._photos(message, now)  # a network call: outside the lock
        reply = self.deliveries.once(key, now, lambda: self._handle(message, now, photos))
        if not reply:
            return EMPTY
        return Answer(200, self.crypto.seal_xml(reply, str(int(self.now().timestamp()))), XML)

    def _photos(self, message: Mapping[str, str], now: dt.datetime) -> tuple[str, ...]:
        """Fetch the photo outside the database lock (it is a network call)."""
        if self.client is None or not message.get("MediaId"):
            return ()
        try:
            data, name = fetch_app_media(self.client, message["MediaId"])
        except MediaUnavailable as e:
            log.warning("photo %s not fetched: %s", message["MediaId"], e)
            return ()
        return (self.media.save(data, now, name),)

    def _handle(self, message: Mapping[str, str], now: dt.datetime,
                photos: tuple[str, ...] | None) -> str:
        kind = message.get("MsgType")
        user = message["FromUserName"]
        incoming = Incoming(user, "", now, None, CHANNEL, delivery_key(message))
        if kind == "text":
            incoming = Incoming(user, message.get("Content", ""), now, None, CHANNEL,
                                incoming.external_id)
        elif kind == "image":
            if not photos:
                return self._text(user, texts.PHOTO_FAILED)
            incoming = Incoming(user, "", now, None, CHANNEL, incoming.external_id,
                                attachments=photos)
        elif kind == "event" and message.get("Event") == "template_card_event":
            return self._click(message, incoming)
        else:
            return ""  # enter_agent, location and the like: nothing to say
        outcome = dispatch(self.db, incoming, self.options)
        return self._text(user, outcome.reply) if outcome.reply else ""

    def _click(self, message: Mapping[str, str], incoming: Incoming) -> str:
        """Act on a card button; the clicker's button changes at once, the card after."""
        action = message.get("EventKey", "")
        result = buttons.click(self.db, incoming, message.get("TaskId", ""), action,
                               self.options)
        person = roster.find_person(self.db, incoming.sender)
        if result.outcome.intent in ("claim", "done") and result.card is not None:
            if person and message.get("ResponseCode"):
                self._queue_card_update(person, result.card, message)
            return self._button(incoming.sender, texts.CARD_BUTTON_AFTER[action])
        if person and result.outcome.reply:  # a refusal or the details: a passive reply
            outbox.enqueue(self.db, incoming.at, "card_answer", result.outcome.reply,
                           person_id=person.id)  # to a click cannot be text
        return ""

    def _queue_card_update(self, person, card: buttons.CardState,
                           message: Mapping[str, str]) -> None:
        """Redraw the clicked card through message/update_template_card, via the outbox."""
        payload = {"userids": [person.userid], "response_code": message["ResponseCode"],
                   "template_card": cards.task_card(card, message.get("TaskId", ""))}
        outbox.enqueue(self.db, self.now(), outbox.CARD_UPDATE_KIND, cards.status_line(card),
                       person_id=person.id, payload=payload)

    def _button(self, user: str, name: str) -> str:
        return self._reply(user, "update_button",
                           "<Button><ReplaceName>" + cdata(name) + "</ReplaceName></Button>")

    def _text(self, user: str, content: str) -> str:
        return self._reply(user, "text", "<Content>" + cdata(content) + "</Content>")

    def _reply(self, user: str, kind: str, fields: str) -> str:
        return ("<xml><ToUserName>" + cdata(user) + "</ToUserName><FromUserName>"
                + cdata(self.crypto.receive_id) + "</FromUserName><CreateTime>"
                + str(int(self.now().timestamp())) + "</CreateTime><MsgType>" + cdata(kind)
                + "</MsgType>" + fields + "</xml>")
