"""Drain the outbox into WeCom: group posts through webhooks, personal ones through the app.

Pacing: each rate key (a webhook, or a member of the app) gets at most what WeCom allows in
any sliding window (20/min per webhook; 30/min and 1000/h per member), counted from the
moment WeCom answered, so WeCom never drops or refuses for our own traffic. The windows are
rebuilt from the outbox_sends table after a restart.

Failures: network errors and 5xx pause the whole sender (WeCom is down: the message is not
at fault, so no attempt is counted); 45009/45033 hold back the key or the sender a while;
any other errcode counts an attempt, retried with backoff, and after max_attempts the item is
parked for a person (`gridbot outbox`, `gridbot outbox retry`). Nothing is dropped.

Crashes: an item is marked "sending" before its request and "sent" (or the next part) right
after. Only one sender runs per database, so every item still "sending" when a sender starts
was cut off mid-request. An app message is sent again: WeCom's duplicate check (on for every
message/send) suppresses the copy if the first one got through. A webhook has no duplicate
check, so such an item is parked with a reason asking a person to look in the group: a rare
question beats a silent double post or a silent loss.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from bot import clock
from bot.wecom import LIMITS, Limits, RateLimiter
from bot.wecom.cards import task_card
from bot.wecom.client import WeComClient, WeComError, WeComUnavailable
from bot.wecom.webhook import markdown_messages, split_markdown, webhook_key, webhook_send
from handlers import texts
from handlers.buttons import card_key, card_state
from storage import chat, outbox, roster
from storage.errors import NotFound
from storage.outbox import CARD_UPDATE_KIND, CHART_KIND, TASK_CARD_KIND, Delivery

log = logging.getLogger(__name__)

RATE_LIMITED = 45009   # frequency limit: hold the key back for a window
CONCURRENCY = 45033    # concurrency limit: pause the sender briefly
APP_TEXT_BYTES = 2048  # message/send text content limit


@dataclass
class DrainResult:
    sent: int = 0      # items fully delivered
    requests: int = 0  # requests WeCom accepted (a split post takes several)
    retried: int = 0
    parked: int = 0
    next_at: dt.datetime | None = None  # when to drain again; None: nothing is pending


@dataclass(frozen=True)
class _Route:
    rate_key: str
    to: str                 # the destination in words, for reasons shown to people
    payloads: list[dict]
    send: Callable[[dict], dict]
    deduplicated: bool      # WeCom drops a repeat of this request (app duplicate check)


@dataclass(frozen=True)
class _Answered:
    """A part WeCom accepted, not yet written down."""
    item: Delivery
    rate_key: str
    parts_sent: int
    finished: bool
    at: dt.datetime
    answer: dict


class _Park(Exception):
    """The item cannot be sent as things are configured; the message is the reason."""


class Sender:
    """Send due outbox items to WeCom; call drain_once() repeatedly, or run_forever()."""

    def __init__(self, db: Database, client: WeComClient | None, *,
                 now: Callable[[], dt.datetime] = clock.now,
                 webhook: Callable[..., dict] = webhook_send, limits: Limits = LIMITS,
                 max_attempts: int = 5, backoff: float = 30.0, max_backoff: float = 600.0,
                 outage_backoff: tuple[float, float] = (2.0, 60.0), quiet_seconds: int = 3,
                 batch: int = 5000, timeout: float = 5):
        self.db, self.client, self.now, self.limits = db, client, now, limits
        self.webhook, self.timeout = webhook, timeout
        self.max_attempts, self.backoff, self.max_backoff = max_attempts, backoff, max_backoff
        self.outage_backoff, self.quiet_seconds, self.batch = outage_backoff, quiet_seconds, batch
        self.limiter = RateLimiter(limits)
        self._paused_until = 0.0
        self._outage_delay = 0.0
        self._held: dict[str, float] = {}   # rate key -> epoch second it may try again
        self._started = False
        self._answered: _Answered | None = None

    # -- the loop --------------------------------------------------------------------
    def drain_once(self) -> DrainResult:
        """Send every due item that WeCom's limits allow now; say when to come back."""
        result = DrainResult()
        now = self.now()
        if not self._started:
            self._resume(now)
        pause = self._pause(now)
        if pause:
            result.next_at = pause
            return result
        waits: list[float] = []
        items = outbox.heads(self.db, now, self.batch)
        try:
            for item in items:
                self._deliver(item, result, waits)
                if self._paused_until > self.now().timestamp():
                    waits.append(self._paused_until)
                    break
        finally:
            self._commit()
        result.next_at = self._next_at(result, waits, full=len(items) >= self.batch)
        return result

    def run_forever(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Drain until stop is set, sleeping until the next send is due (at most interval)."""
        while not stop.is_set():
            try:
                result = self.drain_once()
            except Exception:
                log.exception("outbox drain failed")
                result = DrainResult()
            if result.next_at is None:
                wait = interval
            else:
                wait = min(interval, (result.next_at - self.now()).total_seconds())
            if wait > 0 or not result.requests:
                stop.wait(max(wait, 0.005))

    def _next_at(self, result: DrainResult, waits: list[float],
                 full: bool) -> dt.datetime | None:
        now = self.now()
        if result.requests or full:
            return now
        later = [dt.datetime.fromtimestamp(t, now.tzinfo) for t in waits]
        upcoming = outbox.next_attempt_after(self.db, now)
        if upcoming:
            later.append(upcoming)
        return min(later) if later else None

    def _pause(self, now: dt.datetime) -> dt.datetime | None:
        """Return when sending may resume after an outage pause or the :00/:30 peak."""
        if self._paused_until > now.timestamp():
            return dt.datetime.fromtimestamp(self._paused_until, now.tzinfo)
        # WeCom asks senders to avoid the exact hour and half hour, its peak moments.
        if self.quiet_seconds and now.minute in (0, 30) and now.second < self.quiet_seconds:
            return now.replace(second=self.quiet_seconds, microsecond=0)
        return None

    # -- restart -----------------------------------------------------------------------
    def _resume(self, now: dt.datetime) -> None:
        """Rebuild the rate windows and settle items a previous sender left in flight."""
        self._started = True
        since = now.timestamp() - self.limits.hour
        outbox.forget_sends_before(self.db, since)
        for key, at in outbox.sends_since(self.db, since):
            self.limiter.add(key, at)
        for item in outbox.deliveries(self.db, ("sending",)):
            self._settle_interrupted(item, now)

    def _settle_interrupted(self, item: Delivery, now: dt.datetime) -> None:
        try:
            route = self._route(item)
        except _Park as reason:
            outbox.park(self.db, item.id, str(reason), count=False)
            return
        interval = self.client.duplicate_check_interval if self.client else 0
        age = (now - (item.sending_since or now)).total_seconds()
        if route.deduplicated and age < interval - 60:
            log.info("outbox #%s was in flight: resent under WeCom's duplicate check", item.id)
            outbox.retry_later(self.db, item.id, texts.OUTBOX_UNREACHABLE.format(
                error="interrupted"), now, count=False)
        else:
            log.warning("outbox #%s was in flight to %s: parked", item.id, route.rate_key)
            outbox.park(self.db, item.id, texts.OUTBOX_UNSURE.format(to=route.to, id=item.id),
                        count=False, unsure=True)

    # -- one item ------------------------------------------------------------------------
    def _deliver(self, item: Delivery, result: DrainResult, waits: list[float]) -> None:
        try:
            route = self._route(item)
        except _Park as reason:
            outbox.park(self.db, item.id, str(reason), count=False)
            result.parked += 1
            return
        for index in range(item.parts_sent, len(route.payloads)):
            moment = self.now().timestamp()
            ready = max(self.limiter.ready_at(route.rate_key, moment),
                        self._held.get(route.rate_key, 0.0))
            if ready > moment:
                waits.append(ready)
                return
            if not self._send_part(item, route, index, result):
                if self._held.get(route.rate_key, 0.0) > moment:
                    waits.append(self._held[route.rate_key])  # 45009: due, but held back
                return
        result.sent += 1

    def _send_part(self, item: Delivery, route: _Route, index: int,
                   result: DrainResult) -> bool:
        """Send one part; return whether it went through."""
        self._commit(sending=item.id)
        try:
            answer = route.send(route.payloads[index])
        except WeComUnavailable as e:
            self._outage(item, str(e), result)
            return False
        except WeComError as e:
            self._refused(item, route, e, result)
            return False
        except Exception as e:  # a bug must not stop the queue: count it, keep going
            log.exception("sending outbox #%s failed", item.id)
            self._failed(item, texts.OUTBOX_BUG.format(error=type(e).__name__), result)
            return False
        answered = self.now()
        # Written with the next item's lease (one commit, one fsync per post) or at the end.
        self._answered = _Answered(item, route.rate_key, index + 1,
                                   index + 1 == len(route.payloads), answered, answer)
        self.limiter.add(route.rate_key, answered.timestamp())
        self._outage_delay = 0.0
        result.requests += 1
        return True

    def _commit(self, sending: int | None = None) -> None:
        """Write the last answered part and, if given, the lease of the next request."""
        done, self._answered = self._answered, None
        with self.db.atomic():
            if done:
                item = done.item
                outbox.mark_part_sent(self.db, item.id, done.parts_sent, done.finished,
                                      done.at, done.answer)
                outbox.record_send(self.db, done.rate_key, done.at.timestamp())
                if done.finished:
                    chat.record_message(self.db, done.at, "out", item.text,
                                        group_id=item.group_id, person_id=item.person_id,
                                        channel="wecom")
            if sending is not None:
                outbox.mark_sending(self.db, sending, self.now())

    def _outage(self, item: Delivery, error: str, result: DrainResult) -> None:
        first, most = self.outage_backoff
        self._outage_delay = min(most, self._outage_delay * 2 or first)
        now = self.now()
        self._paused_until = now.timestamp() + self._outage_delay
        log.warning("WeCom unreachable (%s): pausing %.0f s", error, self._outage_delay)
        outbox.retry_later(self.db, item.id, texts.OUTBOX_UNREACHABLE.format(error=error),
                           now, count=False)
        result.retried += 1

    def _refused(self, item: Delivery, route: _Route, e: WeComError,
                 result: DrainResult) -> None:
        now = self.now()
        with self.db.atomic():
            outbox.record_send(self.db, route.rate_key, now.timestamp())
            self.limiter.add(route.rate_key, now.timestamp())
            if e.errcode in (RATE_LIMITED, CONCURRENCY):
                # Someone else shares the limit; ours is not the message's fault.
                if e.errcode == RATE_LIMITED:
                    self._held[route.rate_key] = now.timestamp() + self.limits.minute
                else:
                    self._paused_until = now.timestamp() + 1
                error = texts.OUTBOX_RATE_LIMITED.format(code=e.errcode)
                outbox.retry_later(self.db, item.id, error, now, count=False)
                result.retried += 1
                return
        self._failed(item, texts.OUTBOX_WECOM_ERROR.format(code=e.errcode, message=e.errmsg),
                     result)

    def _failed(self, item: Delivery, error: str, result: DrainResult) -> None:
        attempts = item.attempts + 1
        if attempts >= self.max_attempts:
            outbox.park(self.db, item.id, texts.OUTBOX_GAVE_UP.format(attempts=attempts,
                                                                      error=error))
            result.parked += 1
            return
        delay = min(self.max_backoff, self.backoff * 2 ** (attempts - 1))
        outbox.retry_later(self.db, item.id, error, self.now() + dt.timedelta(seconds=delay),
                           count=True)
        result.retried += 1

    # -- where an item goes ------------------------------------------------------------
    def _route(self, item: Delivery) -> _Route:
        if item.group_id is not None:
            group = roster.get_group(self.db, item.group_id)
            if not group.webhook_url:
                raise _Park(texts.OUTBOX_NO_WEBHOOK.format(group=group.name))
            payloads = [item.payload] if item.payload else markdown_messages(
                item.text, item.mentions, self.limits.markdown_bytes)
            if item.kind == CHART_KIND:
                payloads = [_image(item.text)]
            url = group.webhook_url
            return _Route(f"webhook:{webhook_key(url)}", texts.OUTBOX_TO_GROUP.format(
                name=group.name), payloads, lambda body: self.webhook(url, body, self.timeout),
                deduplicated=False)
        if self.client is None:
            raise _Park(texts.WECOM_NOT_CONFIGURED)
        person = roster.get_person(self.db, item.person_id)
        if item.kind == CARD_UPDATE_KIND:  # redraw a clicked card; its payload names the user
            return _Route(f"user:{person.userid}", texts.OUTBOX_TO_PERSON.format(
                name=person.name, userid=person.userid), [item.payload],
                self.client.update_template_card, deduplicated=True)
        if item.kind == TASK_CARD_KIND:
            payloads = [{"touser": person.userid, **self._task_card(item)}]
        elif item.payload:
            payloads = [{**item.payload, "touser": person.userid}]
        else:
            payloads = [{"touser": person.userid, "msgtype": "text", "text": {"content": part}}
                        for part in split_markdown(item.text, APP_TEXT_BYTES)]
        return _Route(f"user:{person.userid}", texts.OUTBOX_TO_PERSON.format(
            name=person.name, userid=person.userid), payloads, self.client.send_message,
            deduplicated=True)

    def _task_card(self, item: Delivery) -> dict:
        """Draw the assignment's card as it stands now; its key names the outbox item, so a
        resend after a crash is the same message (WeCom's duplicate check drops the copy)."""
        assignment_id = item.payload["assignment_id"]
        try:
            card = card_state(self.db, assignment_id)
        except NotFound:
            raise _Park(texts.OUTBOX_CARD_GONE) from None
        key = card_key(assignment_id, f"o{item.id}")
        return {"msgtype": "template_card", "template_card": task_card(card, key)}


def _image(path: str) -> dict:
    """Make a webhook image message from a PNG file (the weekly chart)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise _Park(texts.OUTBOX_NO_IMAGE.format(path=path, error=e)) from None
    return {"msgtype": "image", "image": {"base64": base64.b64encode(data).decode(),
                                          "md5": hashlib.md5(data).hexdigest()}}


def start_in_background(sender: Sender, interval: float = 1.0
                        ) -> tuple[threading.Thread, threading.Event]:
    """Run the sender in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=sender.run_forever, args=(stop, interval),
                              name="outbox-sender", daemon=True)
    thread.start()
    return thread, stop
