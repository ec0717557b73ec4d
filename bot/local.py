"""The local channel: plays WeCom's part in a browser or a script, no account needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlite_utils import Database

from bot import clock
from handlers import texts
from handlers.context import Incoming, Options
from handlers.dispatch import dispatch
from handlers.views import ChatLine, chat_lines
from storage import chat, outbox, roster
from storage.models import OutboxItem, to_text


class LocalChannel:
    """Post messages as people; the bot's replies and posts land in the same chat log."""

    name = "local"

    def __init__(self, db: Database, options: Options,
                 now: Callable[[], dt.datetime] = clock.now):
        self.db = db
        self.options = options
        self.now = now

    def post(self, sender: str, group: str | None, text: str,
             at: dt.datetime | None = None) -> list[ChatLine]:
        """Say text as sender in group (None: the 1:1 chat); return every new message."""
        at = at or self.now()
        before = chat.last_message_id(self.db)
        outcome = dispatch(self.db, Incoming(sender=sender, text=text, at=at, group=group,
                                             channel=self.name), self.options)
        deliver(self.db, at)
        lines = chat_lines(self.db, chat.messages_after(self.db, before))
        if not lines and outcome.reply:
            # Refused before it could be logged (unknown sender or group): answer anyway.
            lines = [ChatLine(0, to_text(at), group, None if group else sender, texts.BOT_NAME,
                              outcome.reply, True)]
        return lines


def deliver(db: Database, now: dt.datetime) -> int:
    """Drain the outbox into the local chat log; return how many posts went out."""
    sent = 0
    for item in outbox.due(db, now):
        with db.atomic():
            # The web app and the scheduler each deliver on their own connection: only the
            # one that turns the item from pending to sent shows it.
            if not outbox.mark_sent(db, item.id, now):
                continue
            chat.record_message(db, now, "out", _with_mentions(db, item), group_id=item.group_id,
                                person_id=item.person_id, channel="local")
        sent += 1
    return sent


def _with_mentions(db: Database, item: OutboxItem) -> str:
    names = [p.name for p in (roster.find_person(db, u) for u in item.mentions) if p]
    return " ".join(f"@{n}" for n in names) + ("\n" if names else "") + item.text
