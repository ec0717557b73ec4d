"""Replay a script of chat messages on a simulated clock and collect the bot's posts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from bot.local import LocalChannel
from bot.scheduler import Jobs
from bot.runtime import parse_moment
from handlers import texts
from handlers.context import Options
from handlers.rules import Rules
from handlers.schedule import next_wakeup
from handlers.views import all_chat
from handlers.workdays import DEFAULT_CALENDAR
from storage import chat


@dataclass(frozen=True)
class ScriptLine:
    at: dt.datetime
    group: str | None
    user: str
    text: str


class ScriptError(ValueError):
    """The script has lines that cannot be replayed; nothing was replayed."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_script(lines: Iterable[str]) -> list[ScriptLine]:
    """Parse every line first, so a bad script changes nothing; errors name their line."""
    parsed, problems = [], []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            parsed.append(_parse_line(raw))
        except ValueError as e:
            problems.append(texts.REPLAY_BAD_LINE.format(line=number, problem=e))
    if problems:
        raise ScriptError(problems)
    return parsed


def _parse_line(raw: str) -> ScriptLine:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise ValueError(texts.REPLAY_NOT_JSON) from None
    if not isinstance(data, dict):
        raise ValueError(texts.REPLAY_NOT_JSON)
    for key in ("at", "user", "text"):
        if not isinstance(data.get(key), str):
            raise ValueError(texts.REPLAY_MISSING.format(key=key))
    group = data.get("group")
    if group is not None and not isinstance(group, str):
        raise ValueError(texts.REPLAY_MISSING.format(key="group"))
    try:
        at = parse_moment(data["at"])
    except ValueError:
        raise ValueError(texts.REPLAY_BAD_TIME.format(value=data["at"])) from None
    return ScriptLine(at, group or None, data["user"], data["text"])


def replay(db: Database, script: list[ScriptLine], options: Options,
           rules: Rules | None = Rules(), until: dt.datetime | None = None,
           on_line: Callable[[int], object] = lambda n: None) -> Iterator[dict]:
    """Feed the script in order with the clock at each line's time; yield the bot's posts.

    Between lines the schedule's minute tick runs on the simulated clock (and after the last
    line until `until`), so reminders and summaries appear at the minutes they are due.
    rules=None replays the messages alone.
    """
    if any(b.at < a.at for a, b in zip(script, script[1:])):
        raise ScriptError([texts.REPLAY_OUT_OF_ORDER])
    jobs = Jobs(db, rules, options.calendar or DEFAULT_CALENDAR, deliver_locally=True) \
        if rules is not None else None
    clock_at = script[0].at if script else until
    if jobs is not None and clock_at is not None:
        yield from _tick(db, jobs, clock_at)
    for line in script:
        if jobs is not None:
            yield from _ticks_until(db, jobs, clock_at, line.at)
        channel = LocalChannel(db, options, now=lambda at=line.at: at)
        for message in channel.post(line.user, line.group, line.text, at=line.at):
            if message.from_bot:
                yield _post(message)
        clock_at = line.at
        on_line(1)
    if jobs is not None and until is not None and clock_at is not None:
        yield from _ticks_until(db, jobs, clock_at, until)


def _ticks_until(db: Database, jobs: Jobs, start: dt.datetime,
                 stop: dt.datetime) -> Iterator[dict]:
    """Tick at every minute in (start, stop] that has work: the same posts a tick each minute makes.

    Minutes with nothing owed are skipped: the ledger says when the next post falls due.
    """
    moment = start
    while True:
        due = next_wakeup(db, moment, jobs.rules, jobs.calendar)
        if due is None:
            return
        minute = _ceil_minute(due)
        if minute > stop:
            return
        yield from _tick(db, jobs, minute)
        moment = minute


def _tick(db: Database, jobs: Jobs, now: dt.datetime) -> Iterator[dict]:
    before = chat.last_message_id(db)
    jobs.tick(now)
    for message in all_chat(db, before):
        if message.from_bot:
            yield _post(message)


def _ceil_minute(moment: dt.datetime) -> dt.datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(minutes=1)


def _post(message) -> dict:
    post = {"at": message.at, "group": message.group, "text": message.text}
    if message.group is None and message.person:
        post["person"] = message.person  # a private message: whose 1:1 chat
    return post
