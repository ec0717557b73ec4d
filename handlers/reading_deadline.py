"""Read the deadline of a secretary's task message."""

from __future__ import annotations

import calendar as monthcal
import datetime as dt
import re
from dataclasses import dataclass

from handlers.reading_text import cn_to_int, normalize
from handlers.workdays import DEFAULT_CALENDAR, WorkCalendar

END_OF_DAY = dt.time(23, 59, 59)
NOON, EVENING = dt.time(12, 0), dt.time(18, 0)
_D = r"(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})"  # a month, day or hour
_H = r"(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
_PERIOD = (r"凌晨|清晨|早上|早晨|上午|头午|头晌|中午|午间|下午|傍晚|晚上|晚间|夜里|夜间|晌午|后晌|下晌|前晌|上晌|"
           rf"早(?=\s*{_H}\s*[点时:])|晚(?=\s*{_H}\s*[点时:])")
_MINUTE = r"\d{1,2}\s*分?|半|一刻|三刻|[零〇一二三四五六七八九十]{1,3}\s*分"
_NOT_DAY_AFTER = r"(?!\s*(?:楼|栋|幢|院|门|单元|室|房|网格|户|线|地块|车|窗|口|人|名|床|任务|工单))"

_DATE = (
    rf"(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*[年./-]\s*(?P<ym>{_D})\s*[月./-]\s*(?P<yd>{_D})\s*[日号]?"
    rf"|(?P<mnum>{_D})\s*月\s*(?P<mpos>底|末|中)"
    rf"|(?P<m>{_D})\s*月\s*(?P<md>{_D})\s*[日号]?"
    rf"|(?<![\d:./-])(?P<sm>\d{{1,2}})\s*(?:[/-]|\.(?=\d{{1,2}}\s*(?:前|之前|以前|截止|日|号|\(\s*(?:周|星期|礼拜))))\s*"
    rf"(?P<sd>\d{{1,2}})(?![\d:.]){_NOT_DAY_AFTER}(?!\s*号)"
    rf"|(?P<inm>本|这个|当|下个?|次)月\s*(?P<inmd>{_D})\s*[日号]"
    r"|(?P<rel>大后天|大后儿个?|后天|后儿个?|明天|明日|明儿个?|次日|今天|今日|今儿个?|当天|当日|今晚|明晚|明早|明晨|今早)"
    r"|(?P<wpre>下下个?|下个?|本|这个?|这一)?\s*(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7]|末)"
    r"|(?P<wwpre>下下个?|下个?|本|这个?)(?:周|星期|礼拜)(?!\s*[一二三四五六日天1-7末])"
    r"(?!\s*(?:的|值班|排班|工作|计划|安排|例会|日程|课表|重点|要点|任务))"  # 下周值班表 names a thing
    r"|(?P<mopre>本|这个|当|下个?|次)?月(?P<mopos>底|末|中)|(?P<moin>本|这个|当|下个?)月(?=\s*(?:内|之内))"
    r"|(?P<year>(?:今|本)?年(?:底|末|前|内))"
    rf"|(?<![\d月年第栋楼号])(?P<dd>{_D})\s*[号日]{_NOT_DAY_AFTER}"
)
_TIME = (
    rf"(?P<period>{_PERIOD})?\s*"
    rf"(?:(?P<h>{_H})\s*(?:点钟?|时(?!间|候|限|段|长)|:(?=\d))\s*(?P<min>{_MINUTE})?)?"
    rf"(?:\s*(?:-|~|至|到)\s*(?:{_PERIOD})?\s*"  # 8点到12点: the end of the range counts
    rf"(?P<h2>{_H})\s*(?:点钟?|时|:(?=\d))\s*(?P<min2>{_MINUTE})?)?"
    r"\s*(?P<off>下班)?"
)
_DURATION = (r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3}|半)\s*(?P<ge>个)?\s*(?P<half>半)?\s*"
             r"(?:(?P<unit>工作日)|(?P<unit2>小时|钟头|分钟|天|日|周|星期|礼拜|(?<=个)月)\s*(?P<within>之内|以内|内))")
# "11月22日（周五）17:00前": a weekday in brackets only restates the date.
_WEEKDAY_NOTE = r"(?:\s*\(\s*(?:周|星期|礼拜)[一二三四五六日天1-7]\s*\))?"
_EXPR = re.compile(
    r"(?P<pre>截止时间|截止日期|截止到|截止|截至|完成时限|时限|期限|最迟|最晚|不晚于|务必于|务必在)?"
    r"[:\s为到于在是]*"
    rf"(?:{_DURATION}|(?:{_DATE})?{_WEEKDAY_NOTE}\s*的?\s*{_TIME})"
    r"\s*(?P<mark>之前|以前|前|截止|为止|止|以内|之内|内)?")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 6}
# Words after a time that make it when something happens, not when the task is due.
_EVENT = re.compile(r"[^,。;!?]{0,8}?(?:停水|停电|停气|开会|集合|召开|举行|开展|活动|培训|会议|义诊|演练|"
                    r"施工|检修|到场|签到|开始|抽查|来检查|汇演|演出|比赛)")
# Words after a day that make it no deadline at all: a past event, or opening hours (周末不休息).
_NOT_A_DEADLINE = re.compile(r"[^,。;!?]{0,12}?(?:圆满结束|已结束|顺利举行|已举办|举办了|召开了|结束了)"
                             r"|\s*(?:不休息|休息|无休|照常|正常上班|也上班)")
# Times after these are opening hours: 办公时间调整为上午8:30-12:00.
_HOURS_BEFORE = re.compile(r"(?:办公|营业|开放|服务|上班|作息)时间[^。;!?,请]{0,24}$")
_MORNING = {"凌晨", "清晨", "早上", "早晨", "上午", "头午", "头晌", "早", "明早", "明晨", "今早", "前晌", "上晌"}
_EVENING = {"下午", "傍晚", "晚上", "晚间", "夜里", "夜间", "晚", "今晚", "明晚", "后晌", "下晌"}
_NOON = {"中午", "午间", "晌午"}


@dataclass(frozen=True)
class _Found:
    moment: dt.datetime
    marked: bool
    event: bool


def read_deadline(text: str, now: dt.datetime, *, calendar: WorkCalendar | None = None,
                  off_work: str = "17:30") -> dt.datetime | None:
    """Return the deadline the message sets, aware in now's zone, or None; never raise."""
    try:
        found = _candidates(normalize(text), now, calendar or DEFAULT_CALENDAR,
                            _clock(off_work))
    except Exception:  # unreadable text sets no deadline
        return None
    # A limit (前, 内, 截止) wins; else a time for the task's own work beats an event's time.
    chosen = [f for f in found if f.marked] or [f for f in found if not f.event] or found
    return max((f.moment for f in chosen), default=None)


def _clock(value: str | dt.time) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        return dt.time(17, 30)


def _candidates(text: str, now: dt.datetime, cal: WorkCalendar, off: dt.time) -> list[_Found]:
    found = []
    for m in _EXPR.finditer(text[:2000]):
        moment = _read_match(m, now, cal, off)
        if moment is not None and not _NOT_A_DEADLINE.match(text, m.end()) \
                and not _HOURS_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            marked = bool(m["pre"] or m["mark"] or m["within"] or m["unit"] == "工作日" or m["off"])
            found.append(_Found(moment, marked, bool(_EVENT.match(text, m.end()))))
    return found


def _read_match(m: re.Match, now: dt.datetime, cal: WorkCalendar,
                off: dt.time) -> dt.datetime | None:
    if m["unit"] or m["unit2"]:
        return _after(m, now, cal)
    has_date = any(m[g] for g in ("y", "mnum", "m", "sm", "inm", "rel", "wd", "wwpre", "mopos",
                                  "moin", "year", "dd"))
    if not (has_date or m["period"] or m["h"] or m["off"]):
        return None
    if m["h"] and not (has_date or m["period"] or m["mark"] or m["pre"]) and m["h"] == "一":
        return None  # 快一点, 早一点: not one o'clock
    day = _day(m, now.date()) if has_date else now.date()
    clock = _time_of_day(m, off)
    if day is None or clock is None:
        return None
    return dt.datetime.combine(day, clock, tzinfo=now.tzinfo)


def _after(m: re.Match, now: dt.datetime, cal: WorkCalendar) -> dt.datetime | None:
    """Read 3天内, 两小时内, 半小时内, 3个工作日内 relative to now."""
    unit = m["unit"] or m["unit2"]
    amount = 0.5 if m["n"] == "半" else cn_to_int(m["n"])
    if amount is None or amount <= 0:
        return None
    amount += 0.5 if m["half"] else 0
    if unit == "工作日":
        day = cal.add_workdays(now.date(), int(amount))
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=now.tzinfo)
    if unit == "月":
        return _add_months(now, int(amount))
    hours = {"小时": 1, "钟头": 1, "分钟": 1 / 60, "天": 24, "日": 24,
             "周": 168, "星期": 168, "礼拜": 168}[unit]
    return now + dt.timedelta(hours=amount * hours)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, monthcal.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _day(m: re.Match, today: dt.date) -> dt.date | None:
    if m["y"]:
        return _date(cn_to_int(m["y"]), cn_to_int(m["ym"]), cn_to_int(m["yd"]))
    if m["mnum"]:
        return _month_day(today, cn_to_int(m["mnum"]), m["mpos"])
    if m["m"] or m["sm"]:
        month, day = (m["m"], m["md"]) if m["m"] else (m["sm"], m["sd"])
        return _next_month_day(today, cn_to_int(month), cn_to_int(day))
    if m["inm"]:
        first = _shift_month(today.replace(day=1), 1 if m["inm"].startswith(("下", "次")) else 0)
        return _date(first.year, first.month, cn_to_int(m["inmd"]))
    if m["rel"]:
        return today + dt.timedelta(days=_REL_DAYS[m["rel"]])
    if m["wd"]:
        return _weekday(today, m["wpre"], _weekday_index(m["wd"]))
    if m["wwpre"]:
        return _weekday(today, m["wwpre"], 6)
    if m["mopos"] or m["moin"]:
        ahead = (m["mopre"] or m["moin"] or "").startswith(("下", "次"))
        first = _shift_month(today.replace(day=1), 1 if ahead else 0)
        return _in_month(first, m["mopos"] or "底")
    if m["year"]:
        return dt.date(today.year, 12, 31)
    return _next_day_of_month(today, cn_to_int(m["dd"]))


_REL_DAYS = {"今天": 0, "今日": 0, "今儿": 0, "今儿个": 0, "当天": 0, "当日": 0, "今晚": 0, "今早": 0,
             "明天": 1, "明日": 1, "明儿": 1, "明儿个": 1, "次日": 1, "明晚": 1, "明早": 1, "明晨": 1,
             "后天": 2, "后儿": 2, "后儿个": 2, "大后天": 3, "大后儿": 3, "大后儿个": 3}


def _weekday_index(word: str) -> int:
    return int(word) - 1 if word.isdigit() else _WEEKDAYS[word]


def _weekday(today: dt.date, prefix: str | None, index: int) -> dt.date:
    """Read 周X (on or after today), 本周X, 下周X and 下下周X; weeks start on Monday."""
    if not prefix:
        return today + dt.timedelta(days=(index - today.weekday()) % 7)
    monday = today - dt.timedelta(days=today.weekday())
    weeks = 2 if prefix.startswith("下下") else 1 if prefix.startswith("下") else 0
    return monday + dt.timedelta(days=7 * weeks + index)


def _date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


def _shift_month(first: dt.date, months: int) -> dt.date:
    year, month = divmod(first.month - 1 + months, 12)
    return dt.date(first.year + year, month + 1, 1)


def _in_month(first: dt.date, position: str) -> dt.date:
    if position == "中":
        return first.replace(day=15)
    return first.replace(day=monthcal.monthrange(first.year, first.month)[1])


def _month_day(today: dt.date, month: int | None, position: str) -> dt.date | None:
    """Read 11月底 / 11月中: this year unless that moment has passed."""
    if month is None or not 1 <= month <= 12:
        return None
    day = _in_month(dt.date(today.year, month, 1), position)
    return day if day >= today else _in_month(dt.date(today.year + 1, month, 1), position)


def _next_month_day(today: dt.date, month: int | None, day: int | None) -> dt.date | None:
    """Read X月X日 without a year: this year unless it has passed."""
    this_year = _date(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _date(today.year + 1, month, day)


def _next_day_of_month(today: dt.date, day: int | None) -> dt.date | None:
    """Read X号 without a month: this month unless it has passed."""
    first = today.replace(day=1)
    for ahead in range(3):
        candidate = _date((m := _shift_month(first, ahead)).year, m.month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _time_of_day(m: re.Match, off: dt.time) -> dt.time | None:
    period = m["period"] or {"今晚": "今晚", "明晚": "明晚", "明早": "明早", "明晨": "明早",
                             "今早": "明早"}.get(m["rel"] or "")
    if m["h"]:
        hour_text, minute_text = (m["h2"], m["min2"]) if m["h2"] else (m["h"], m["min"])
        return _clock_time(cn_to_int(hour_text), _minutes(minute_text), period)
    if m["off"]:
        return off
    if period in _MORNING or period in _NOON:
        return NOON if period != "凌晨" else dt.time(6, 0)
    if period in ("下午", "傍晚", "后晌", "下晌"):
        return EVENING
    return END_OF_DAY


def _minutes(text: str | None) -> int | None:
    if not text:
        return 0
    word = text.replace("分", "").strip()
    return {"半": 30, "一刻": 15, "三刻": 45}.get(word, cn_to_int(word))


def _clock_time(hour: int | None, minute: int | None, period: str | None) -> dt.time | None:
    """Apply the hour conventions: 1–6 alone is afternoon, 7–11 morning, 下午/晚上 add 12."""
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    if period in _EVENING and hour <= 12:
        hour += 12  # 晚上12点 is midnight: the end of that day
    elif period in _NOON and hour < 6:
        hour += 12
    elif period is None and 1 <= hour <= 6:
        hour += 12
    if hour >= 24:
        return END_OF_DAY
    return dt.time(hour, minute)
