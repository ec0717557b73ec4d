"""Read which task numbers a reply writes: with 号, #, 任务N, lists and ranges, numbers written
without 号 that name an open or quoted task, and the WeCom quote around a reply."""

from __future__ import annotations

import re

from handlers.reading_text import CN_CHARS, NUM, cn_to_int

LIST_SEP = r"\s*(?:[、,/&+]|和|与|及|跟|同)\s*"
RANGE_SEP = r"\s*(?:-|~|至|到)\s*"
# After N号 these make it a building, room, date or time, not a task.
_NOT_TASK_AFTER = (r"(?!\s*(?:楼(?!栋?长)|栋|幢|院|门|单元|室|房|床|线|口|地块|车|窗|柜|箱|机|仓|铺|库|"
                   r"前|之前|以前|截止|为止|左右|上午|下午|中午|晚|早|凌晨|夜|白天|以后|之后|开始|"
                   r"出发|起|当天|那天|这天|周|星期|礼拜|的(?:期限|截止|时限|日期)|\d(?!\d*\s*(?:号(?!楼|院)|网格))|[零〇一二两三四五六七八九十]+点))")
_TASK_GROUP = re.compile(
    rf"(?<![\d月年栋楼幢单元弄路街巷村组室区期号/.-])(?<!\d:)"
    rf"(?P<group>{NUM}(?:\s*号?(?:{LIST_SEP}|{RANGE_SEP})第?{NUM}|\s*号\s*{NUM}){{0,12}})\s*号{_NOT_TASK_AFTER}")
# A number above 31 is no day of a month: "144号周五之前", "133号早就弄完了" name tasks.
_BIG = rf"(?:\d{{2,4}}|[{CN_CHARS}]{{2,6}})"
_BIG_TASK = re.compile(rf"(?<![\d月年栋楼幢单元弄路街巷村组室区期号/.-])(?P<group>{_BIG}(?:{LIST_SEP}{_BIG})*)\s*号"
                       r"(?=\s*(?:前|之前|以前|截止|为止|周|星期|礼拜|上午|下午|中午|晚|早|当天))")
_TAGGED_LIST = rf"{NUM}(?:(?:{LIST_SEP}|{RANGE_SEP}){NUM}){{0,12}}"
_TASK_TAGGED = re.compile(rf"(?:任务|工单|单子)\s*(?:#|编号|号)?\s*(?P<n>{_TAGGED_LIST})"
                          r"(?![\d户人家份个项栋楼月日点时天周岁元米]|号[楼院])"
                          rf"|#\s*(?P<m>{_TAGGED_LIST})(?![\d户人家份个栋楼]|号[楼院])"
                          r"|(?<![\d#])(?P<k>\d{1,4})\s*#(?!\s*(?:楼|栋|幢|单元|门|院|\d))")  # 12# (not 3#楼)
_DATE_BEFORE = re.compile(r"(?:今天|明天|后天|本月|下月|下个月|这个月|月|日期|时间)\s*$")


def task_numbers(text: str) -> list[int]:
    """Return the task numbers written in normalised text, in order, without duplicates."""
    found: list[tuple[int, list[int]]] = []
    for m in _TASK_TAGGED.finditer(text):
        values = expand(m.group("n") or m.group("m") or m.group("k"))
        if values:
            found.append((m.start(), values))
    for m in _TASK_GROUP.finditer(text):
        if _DATE_BEFORE.search(text[:m.start()]):
            continue
        found.append((m.start(), expand(m.group("group"))))
    for m in _BIG_TASK.finditer(text):
        values = expand(m.group("group"))
        if values and min(values) > 31 and not _DATE_BEFORE.search(text[:m.start()]):
            found.append((m.start(), values))
    numbers: list[int] = []
    for _, values in sorted(found, key=lambda f: f[0]):
        numbers += [v for v in values if v not in numbers]
    return numbers


def expand(group: str) -> list[int]:
    """Read 12、13 / 12-14 / 十二至十四 as a list of numbers."""
    parts = re.split(rf"({LIST_SEP}|{RANGE_SEP})", group.replace("号", "、").replace("第", ""))  # 12号13号
    values: list[int] = []
    pending_range = False
    for part in parts:
        if re.fullmatch(RANGE_SEP, part):
            pending_range = True
            continue
        if re.fullmatch(LIST_SEP, part):
            continue
        value = cn_to_int(part)
        if value is None:
            continue
        if pending_range and values and 0 < value - values[-1] <= 20:
            values += range(values[-1] + 1, value + 1)
        else:
            values.append(value)
        pending_range = False
    return [v for v in values if v > 0]


# -- quotes ------------------------------------------------------------------------

_QUOTE = re.compile(r"^\s*[「『\"“](?P<quoted>.*?)[」』\"”]\s*(?:\n?\s*(?:-\s*){3,})?\s*(?P<body>.*)$",
                    re.S)


def split_quote(text: str) -> tuple[str, str]:
    """Split a WeCom quote reply into (quoted text, own reply); no quote gives ("", text)."""
    m = _QUOTE.match(text)
    if not m:
        return "", text
    quoted = m.group("quoted")
    quoted = quoted.split(":", 1)[1] if ":" in quoted[:20] else quoted  # drop "发送人："
    return quoted, m.group("body")


# -- numbers written without 号 -------------------------------------------------------

_BARE = rf"(?:\d{{1,4}}|[{CN_CHARS}]*[十百][{CN_CHARS}]*|[零〇幺一二两三四五六七八九]{{3}})"
_LEADING_NUMBER = re.compile(rf"^(?:书记|领导|那个|这个|关于|然后|另外|还有|我们?)*(?:任务)?({_BARE}(?:(?:{LIST_SEP}|{RANGE_SEP}){_BARE})*)"
                             rf"(?!{LIST_SEP}|{RANGE_SEP}|[\d.%:/#户人家份个栋楼幢号单元室点时天分秒岁元米次遍张条项件组层月日年周])")


# "好的那个幺八五我来负责": 那个 + an open task's number, spoken without 号.
_THAT_NUMBER = re.compile(rf"那个\s*({_BARE})"
                          r"(?![\d.%:/#户人家份个栋楼幢号单元室点时天分秒岁元米次遍张条项件组层月日年周])")




def unmarked_tasks(clause: str, known: list[int]) -> list[int]:
    """Task numbers written without 号 ("281燃气排查", "那个幺八五", "三二幺三二二两个任务"): only
    numbers of tasks the speaker has open or the quote names, so counts stay counts."""
    m = _LEADING_NUMBER.match(clause) or _THAT_NUMBER.search(clause)
    values = expand(m.group(1)) if m else []
    if len(values) > 1 and set(values) & set(known) and re.search(RANGE_SEP, m.group(1)):
        return values  # "328至330全部办结": a written range counts whole
    if values and (set(values) <= set(known) or _CLAIMS_NUMBER.match(clause, m.end())):
        return values
    named = _NAMED_AFTER.search(clause)  # "我要接的是592"
    if named and int(named.group(1)) in known:
        return [int(named.group(1))]
    for run in _DIGIT_RUN.findall(clause):
        chunks = [cn_to_int(run[i:i + 3]) for i in range(0, len(run), 3)]
        if len(run) % 3 == 0 and set(chunks) <= set(known):
            return chunks
    return [n for n in map(int, _UNMARKED.findall(clause)) if n in known][:1]


# "315我来", "262已办结": a number opening a report names a task even when it is not open
_CLAIMS_NUMBER = re.compile(r"\s*(?:那个|我|已|还|都|也|正在|没|未|在办|收到|完成|办结|报零|[办弄做搞]完|搞定)")
_NAMED_AFTER = re.compile(r"的是(\d{2,4})(?!\d)")
# 三二幺三二二: spoken task numbers, digit by digit and run together
_DIGIT_RUN = re.compile(r"[零〇幺一二三四五六七八九]{6,9}")
_UNMARKED = re.compile(r"(?<![\d.#第共计约近超达有是为剩差离每打拨号位/~-])(?!0)(\d{2,4})"
                       r"(?![\d.%:/#、,~-]|\s*(?:[户人家份个栋楼幢号室点时天分秒岁元米次遍张条项件组层月日年周块袋桶箱斤瓶度]|单元))")


_PARTS = re.compile(r"[,.;:!。;\n\s?]+")


def quoted_tasks(quoted: str, open_tasks: list[int]) -> list[int]:
    """The tasks a quoted message names: with 号, or an open task's bare number (281燃气排查)."""
    if not quoted:
        return []
    return task_numbers(quoted) or unique(
        [n for c in _PARTS.split(quoted) if c for n in unmarked_tasks(c, open_tasks)]
        + [n for n in map(int, _UNMARKED.findall(quoted)) if n in open_tasks])


def unique(numbers: list[int]) -> list[int]:
    return list(dict.fromkeys(numbers))
