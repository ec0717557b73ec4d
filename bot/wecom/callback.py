"""What both WeCom callbacks share: the answer type and handling each delivery once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from bot import clock
from bot.wecom.crypto import CallbackCrypto
from bot.wecom.media import MediaStore
from handlers.context import Options
from storage import callbacks

MAX_BODY = 1024 * 1024  # a bigger body is not WeCom's: 413


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, free of any web framework."""
    status: int
    body: str = ""
    content_type: str = "text/plain; charset=utf-8"


EMPTY = Answer(200)  # WeCom reads an empty 200 as "no passive reply"


class Deliveries:
    """Handle each callback once; a repeated delivery gets the first answer again."""

    def __init__(self, db: Database, lock: threading.Lock, channel: str):
        self.db = db
        self.lock = lock
        self.channel = channel

    def seen(self, key: str) -> str | None:
        """Return the reply already given to this delivery, or None when it is new."""
        with self.lock:
            stored = callbacks.answered(self.db, self.channel, key)
        return stored.reply if stored else None

    def once(self, key: str, at: dt.datetime, handle: Callable[[], str]) -> str:
        """Run handle for a new delivery and keep its reply, in the same transaction."""
        with self.lock:
            stored = callbacks.answered(self.db, self.channel, key)
            if stored is not None:
                return stored.reply
            with self.db.atomic():
                reply = handle()
                callbacks.remember(self.db, self.channel, key, at, reply)
            return reply


class Callback:
    """One WeCom callback URL: its crypto, the URL check and handling each delivery once."""

    channel = ""  # the name deliveries are kept under; each subclass sets its own

    def __init__(self, db: Database, lock: threading.Lock, crypto: CallbackCrypto,
                 options: Options, media: MediaStore,
                 now: Callable[[], dt.datetime] = clock.now):
        self.db, self.crypto, self.options = db, crypto, options
        self.media, self.now = media, now
        self.deliveries = Deliveries(db, lock, self.channel)

    def verify(self, args: Mapping[str, str]) -> Answer:
        """Answer WeCom's URL check with the decrypted echostr."""
        echo = self.crypto.verify_url(args.get("msg_signature", ""), args.get("timestamp", ""),
                                      args.get("nonce", ""), args.get("echostr", ""),
                                      self.now())
        return Answer(200, echo)
