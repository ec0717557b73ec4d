"""The intelligent bot's JSON callback: group messages, task cards and their clicks."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import unicodedata
from collections.abc import Mapping

from bot.wecom import cards
from bot.wecom.callback import EMPTY, Answer, Callback
from bot.wecom.crypto import BadPayload
from bot.wecom.media import MediaUnavailable, fetch_aibot_image
from handlers import buttons, texts
from handlers.context import Incoming, Outcome
from handlers.dispatch import dispatch, find_group

log = logging.getLogger(__name__)

CHANNEL = "wecom_aibot"
JSON = "application/json; charset=utf-8"
LEADING_MENTION = re.compile(r"^\s*@\S+\s*")
QUOTED_TASK = re.compile(r"任务\s*#\s*(\d{1,9})")


def read_json(body: bytes | str) -> dict:
    """Read a JSON object; anything else is a bad payload."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadPayload("malformed JSON") from None
    if not isinstance(value, dict):
        raise BadPayload("JSON is not an object")
    return value


def message_text(message: Mapping) -> tuple[str, tuple[str, ...]]:
    """Return the typed text without the bot's @mention, and the photo URLs it carries."""
    kind = message.get("msgtype")
    parts, images = [], []
    if kind in ("text", "quote"):
        parts.append(_get(message, "text", "content"))
    elif kind == "voice":
        parts.append(_get(message, "voice", "content"))
    elif kind == "mixed":
        for item in _get(message, "mixed", "msg_item") or []:
            if isinstance(item, dict) and item.get("msgtype") == "text":
                parts.append(_get(item, "text", "content"))
            elif isinstance(item, dict) and item.get("msgtype") == "image":
                images.append(_get(item, "image", "url"))
    elif kind == "image":
        images.append(_get(message, "image", "url"))
    text = " ".join(p for p in parts if isinstance(p, str))
    return LEADING_MENTION.sub("", text, count=1).strip(), tuple(i for i in images
                                                                  if isinstance(i, str) and i)


def quoted_task(message: Mapping) -> int | None:
    """Read "任务#12" from the quoted message, if the user quoted one of the bot's posts."""
    quote = message.get("quote")
    if not isinstance(quote, dict):
        return None
    text = json.dumps(quote, ensure_ascii=False)
    found = QUOTED_TASK.search(unicodedata.normalize("NFKC", text))
    return int(found.group(1)) if found else None


def _get(value, *path):
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


class AibotCallback(Callback):
    """Turn the bot's callbacks into Incoming messages; answer with encrypted JSON."""

    channel = CHANNEL

    def receive(self, args: Mapping[str, str], body: bytes) -> Answer:
        """Decrypt one callback, handle it once, answer it (the same way every time)."""
        encrypted = read_json(body).get("encrypt")
        if not isinstance(encrypted, str) or not encrypted:
            raise BadPayload("no encrypt field")
        now = self.now()
        plain = self.crypto.decrypt(args.get("msg_signature", ""), args.get("timestamp", ""),
                                    args.get("nonce", ""), encrypted, now)
        message = read_json(plain)
        msgid = message.get("msgid")
        if not isinstance(msgid, str) or not msgid or not _get(message, "from", "userid"):
            raise BadPayload("no msgid or from.userid")
        photos: tuple[str, ...] | None = ()
        if message_text(message)[1] and self.deliveries.seen(msgid) is None:
            photos = self._photos(message, now)  # a network call: outside the lock
        reply = self.deliveries.once(msgid, now, lambda: self._handle(message, now, photos))
        return self._seal(reply) if reply else EMPTY

    def _seal(self, reply: str) -> Answer:
        timestamp = str(int(self.now().timestamp()))
        encrypted, signature, nonce = self.crypto.seal(reply, timestamp)
        return Answer(200, json.dumps({"encrypt": encrypted, "msgsignature": signature,
                                       "timestamp": timestamp, "nonce": nonce}), JSON)

    def _photos(self, message: Mapping, now: dt.datetime) -> tuple[str, ...] | None:
        """Fetch and decrypt the message's photos (None when one could not be fetched)."""
        saved = []
        for url in message_text(message)[1]:
            try:
                saved.append(self.media.save(fetch_aibot_image(url, self.crypto.key), now))
            except MediaUnavailable as e:
                log.warning("photo of %s not fetched: %s", message.get("msgid"), e)
                return None
        return tuple(saved)

    def _handle(self, message: Mapping, now: dt.datetime, photos: tuple[str, ...] | None) -> str:
        incoming = Incoming(_get(message, "from", "userid"), "", now,
                            message.get("chatid") if message.get("chattype") == "group" else None,
                            CHANNEL, message["msgid"])
        if message.get("msgtype") == "event":
            return self._event(message, incoming)
        if message.get("msgtype") not in ("text", "mixed", "voice", "image", "quote"):
            return ""  # stream refreshes never come: every answer is finished at once
        if photos is None:
            return self._stream(Outcome(texts.PHOTO_FAILED))
        text, _ = message_text(message)
        incoming = Incoming(incoming.sender, text, now, incoming.group, CHANNEL,
                            incoming.external_id, quoted_task(message), photos)
        outcome = dispatch(self.db, incoming, self.options)
        return self._stream(outcome, self._card_for(incoming, outcome))

    def _event(self, message: Mapping, incoming: Incoming) -> str:
        kind = _get(message, "event", "eventtype")
        if kind == "enter_chat":
            return json.dumps({"msgtype": "text", "text": {"content": texts.HELP}},
                              ensure_ascii=False)
        if kind != "template_card_event":
            return ""  # feedback_event and others take an empty answer only
        event = _get(message, "event", "template_card_event") or {}
        key, action = str(event.get("task_id", "")), str(event.get("event_key", ""))
        result = buttons.click(self.db, incoming, key, action, self.options)
        if result.card is None:
            return ""
        refused = result.outcome.intent == "refused" or action == "view"
        update = {"response_type": "update_template_card",
                  "template_card": cards.task_card(result.card, key, result.outcome.reply
                                                   if refused else None)}
        if refused:  # only the clicker's copy shows the refusal or the details
            update["userids"] = [incoming.sender]
        return json.dumps(update, ensure_ascii=False)

    def _card_for(self, incoming: Incoming, outcome: Outcome) -> buttons.CardState | None:
        """A group reply about one task carries that group's task card."""
        if incoming.group is None or len(outcome.task_numbers) != 1:
            return None
        group = find_group(self.db, incoming.group)
        return buttons.group_card(self.db, group, outcome.task_numbers[0]) if group else None

    def _stream(self, outcome: Outcome, card: buttons.CardState | None = None) -> str:
        if not outcome.reply and card is None:
            return ""
        reply: dict = {"msgtype": "stream",
                       "stream": {"id": secrets.token_hex(8), "finish": True,
                                  "content": outcome.reply or ""}}
        if card is not None:
            reply["msgtype"] = "stream_with_template_card"
            reply["template_card"] = cards.task_card(card, cards.new_key(card))
        return json.dumps(reply, ensure_ascii=False)
