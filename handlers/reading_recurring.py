"""Read a secretary's recurring-task messages: set one up, list, pause, resume, stop."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from handlers.reading_text import cn_to_int, normalize

_DAY = r"(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EVERY = re.compile(
    rf"每(?:个)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])"
    rf"|每(?:个)?月(?:的)?(?:(?P<md>{_DAY})\s*[日号]|(?P<first>初|一号))")
_START = re.compile(
    r"(?:从|自)?\s*(?P<when>本周|这周|这个?星期|下周|下个?星期|本月|这个月|下个?月|今天|明天)\s*"
    r"(?:起|开始)")
_VERB = re.compile(r"^[\s,，:：、]*(?:都要|都|要)?(?:布置|安排|派发|派单|开展|组织|部署|下发)?[\s,，:：]*")
_LIST = re.compile(r"^(?:查看|查询|列出)?(?:周期|定期)任务(?:列表|清单)?[?？。!！]*$")
_ACTION_WORDS = {"暂停": "pause", "恢复": "resume", "继续": "resume", "停止": "stop",
                 "取消": "stop", "终止": "stop"}
_ACT = "|".join(_ACTION_WORDS)
_CHANGE = re.compile(
    rf"^(?P<a1>{_ACT})(?:周期|定期)任务\s*#?(?P<n1>\d+)\s*号?[。!！]*$"
    rf"|^(?:周期|定期)任务\s*#?(?P<n2>\d+)\s*号?\s*(?P<a2>{_ACT})[。!！]*$")


@dataclass(frozen=True)
class RecurringSpec:
    """Every week on weekday `day` (0 = Monday), or every month on day `day`, from `start`."""
    frequency: str
    day: int
    start: dt.date
    body: str  # the task as it will be issued each time, deadline words included


@dataclass(frozen=True)
class RecurringCommand:
    action: str  # list, pause, resume, stop
    number: int | None = None


def read_recurring(text: str, today: dt.date) -> RecurringSpec | None:
    """Return the recurring task a message sets up, or None when it sets none up; never raise."""
    try:
        return _read(normalize(text), today)
    except Exception:  # unreadable text sets nothing up
        return None


def _read(text: str, today: dt.date) -> RecurringSpec | None:
    every = _EVERY.search(text)
    if every is None:
        return None
    if every["wd"]:
        word = every["wd"]
        frequency, day = "weekly", int(word) - 1 if word.isdigit() else _WEEKDAYS[word]
    else:
        frequency, day = "monthly", 1 if every["first"] else cn_to_int(every["md"])
        if day is None or not 1 <= day <= 31:
            return None
    start_match = _START.search(text)
    start = _start(start_match["when"], today) if start_match else today
    spans = [every.span()] + ([start_match.span()] if start_match else [])
    body = _without(text, spans)
    body = _VERB.sub("", body, count=1).strip().replace(",", "，")
    return RecurringSpec(frequency, day, start, body)


def _start(word: str, today: dt.date) -> dt.date:
    monday = today - dt.timedelta(days=today.weekday())
    first = today.replace(day=1)
    if word.startswith("下") and ("周" in word or "星期" in word):
        return monday + dt.timedelta(days=7)
    if word.startswith("下"):
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if word in ("本周", "这周") or "星期" in word:
        return monday
    if "月" in word:
        return first
    return today + dt.timedelta(days=1 if word == "明天" else 0)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    kept, last = [], 0
    for begin, end in sorted(spans):
        kept.append(text[last:begin])
        last = end
    kept.append(text[last:])
    return "".join(kept)


def read_recurring_command(text: str) -> RecurringCommand | None:
    """Read 周期任务 (list), 暂停/恢复/停止周期任务2 or 周期任务2暂停; None otherwise."""
    text = normalize(text).strip()
    if _LIST.match(text):
        return RecurringCommand("list")
    found = _CHANGE.match(text)
    if found is None:
        return None
    word, number = (found["a1"], found["n1"]) if found["a1"] else (found["a2"], found["n2"])
    return RecurringCommand(_ACTION_WORDS[word], int(number))
