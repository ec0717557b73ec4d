"""Replay a script of chat messages on a simulated clock and collect the bot's posts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from bot.local import LocalChannel
from bot.runtime import parse_moment
from handlers import texts
from handlers.context import Options


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


def replay(db: Database, script: list[ScriptLine], options: Options) -> Iterator[dict]:
    """Feed the script in order with the clock at each line's time; yield the bot's posts."""
    if any(b.at < a.at for a, b in zip(script, script[1:])):
        raise ScriptError([texts.REPLAY_OUT_OF_ORDER])
    for line in script:
        channel = LocalChannel(db, options, now=lambda at=line.at: at)
        for message in channel.post(line.user, line.group, line.text, at=line.at):
            if message.from_bot:
                yield {"at": message.at, "group": message.group, "text": message.text}
