"""Read a secretary's short command (transfer, extend, accept, cancel, progress, help ...)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from handlers.reading_deadline import read_deadline
from handlers.reading_numbers import task_numbers
from handlers.reading_targets import GridRef, PersonRef, grids_named
from handlers.reading_text import NUM, cn_to_int, normalize


@dataclass(frozen=True)
class Command:
    action: str
    task: int | None
    grid_ids: tuple[int, ...] = ()
    person_name: str | None = None
    deadline: dt.datetime | None = None
    reason: str = ""


_HELP = re.compile(r"^(?:帮助|help|\?+|怎么用|如何使用|怎么使用|使用说明|使用帮助|说明|用法|菜单|指令|命令|功能)$")
_ALL_PROGRESS = re.compile(
    r"^(?:查看|查询|看看|看下|看一下|查一下|查下)?(?:所有|全部)?(?:任务)?(?:的)?(?:进度|进展)(?:查询|情况)?"
    r"(?:如何|怎么样|怎样)?$")
_TASK_REF = re.compile(rf"(?:任务|工单)\s*#?\s*{NUM}|#\s*{NUM}|第?{NUM}\s*号(?:任务)?|{NUM}号?任务")
# Each action: its keywords, and what may stand after them.
_KEYWORDS = (
    ("return", r"验收不通过|不通过|不合格|退回|打回|驳回|返工|重新整改"),
    ("accept", r"验收|审核通过|确认办结|销号|通过|合格"),
    ("reassign", r"改派|改由|改为|改给|指派给|换成|换人给|派给|交给|换|改(?!到|至|期|为)"),
    ("transfer", r"转给|转交|转办|转到|转派|转至|转"),
    ("extend", r"延期|延长|延后|推迟|顺延|宽限|截止时间改|期限改|时限改|改到|改至"),
    ("cancel", r"撤回|撤销|撤单|取消|作废"),
    ("progress", r"进度|进展|完成情况|办理情况|情况如何|怎么样了|情况"),
)
_KEYWORD_RES = tuple((action, re.compile(words)) for action, words in _KEYWORDS)
_FILLER_HEAD = re.compile(r"^(?:请|把|将|麻烦|帮忙|帮我|给|对|的|任务|查看|查询|看看|看下|看一下|"
                          r"截止时间|截止日期|截止|期限|时限|完成时间|"
                          r"网格|@\S+|[\s,:、])*$")
_TAILS = {
    "accept": re.compile(r"^(?:通过|合格|完成|了|吧|啦|一下|任务|[\s,!])*$"),
    "cancel": re.compile(r"^(?:任务|了|吧|啦|一下|掉|不用做了|不用办了|暂停|[\s,!])*$"),
    "progress": re.compile(r"^(?:如何|怎么样|怎样|咋样|情况|了|呢|吗|啊|查询|[\s?,])*$"),
}
_CHINESE_PUNCT = str.maketrans(",:;!?", "，：；！？")  # the reason is shown back to people
_NAME = re.compile(r"@?\s*(?P<name>[\u4e00-\u9fff]{2,4}?)(?:负责|办理|处理|来办|同志|吧|了)?$")


def read_command(text: str, now: dt.datetime, grids: list[GridRef],
                 people: list[PersonRef]) -> Command | None:
    """Return the command a short message gives, or None when it is no command; never raise."""
    try:
        return _read_command(normalize(text), now, list(grids or []), list(people or []))
    except Exception:  # unreadable text is no command
        return None


def _read_command(text: str, now: dt.datetime, grids: list[GridRef],
                  people: list[PersonRef]) -> Command | None:
    text = text.strip().rstrip("。.!~")
    if _HELP.match(text):
        return Command("help", None)
    if _ALL_PROGRESS.match(text):
        return Command("progress", None)
    ref = _task_ref(text) if len(text) <= 120 else None
    if ref is None:
        return None
    number, start, end = ref
    rest = text[:start] + " " + text[end:]  # the task reference removed
    for action, keyword in _KEYWORD_RES:
        found = keyword.search(rest)
        if found:
            head, tail = rest[:found.start()], rest[found.end():].strip(" ,:;")
            command = _build(action, number, head, tail, now, grids, people)
            if command is not None:
                return command
    return None


def _task_ref(text: str) -> tuple[int, int, int] | None:
    """Find the first task reference (12号, #12, 任务12) that is no building, date or count."""
    for m in _TASK_REF.finditer(text):
        window = text[max(0, m.start() - 2):m.end() + 4]  # context decides 5号 vs 5号楼
        value = cn_to_int(re.search(NUM, m.group()).group())
        if value and value in task_numbers(window):
            return value, m.start(), m.end()
    return None


def _build(action: str, task: int, head: str, tail: str, now: dt.datetime,
           grids: list[GridRef], people: list[PersonRef]) -> Command | None:
    head_grids = tuple(grids_named(head, grids))
    if not _FILLER_HEAD.match(_strip_grids(head, grids)):
        return None
    if action in ("transfer", "reassign"):
        return _move(task, tail, grids, people)
    if action == "extend":
        if len(tail) > 40:
            return None
        return Command("extend", task, head_grids, deadline=read_deadline(tail, now))
    if action == "return":
        return Command("return", task, head_grids, reason=tail[:200].translate(_CHINESE_PUNCT))
    if not _TAILS[action].match(_strip_grids(tail, grids)):
        return None
    grid_ids = head_grids + tuple(g for g in grids_named(tail, grids) if g not in head_grids)
    return Command(action, task, grid_ids if action != "cancel" else ())


def _move(task: int, tail: str, grids: list[GridRef], people: list[PersonRef]) -> Command | None:
    """Read the receiver: a grid makes a transfer, a person a reassignment."""
    receiver = tail.removeprefix("给").strip()
    grid_ids = tuple(grids_named(receiver, grids))
    if grid_ids and len(_strip_grids(receiver, grids)) <= 6:
        return Command("transfer", task, grid_ids[:1])
    person = _person(receiver, people)
    return Command("reassign", task, person_name=person) if person else None


def _person(words: str, people: list[PersonRef]) -> str | None:
    plain = words.lstrip("@ ").strip()
    known = [normalize(p.name) for p in people if p.name and plain.startswith(normalize(p.name))]
    if known:
        return max(known, key=len)
    m = _NAME.match(plain)
    return m["name"] if m else None


_GRID_WORDS = re.compile(rf"第?{NUM}(?:\s*(?:[、,/和与及]|-|~|至|到)\s*第?{NUM}){{0,12}}\s*号?\s*网格")


def _strip_grids(text: str, grids: list[GridRef]) -> str:
    """Remove grid mentions, so that what is left shows whether the text is a command."""
    text = _GRID_WORDS.sub("", text)
    for grid in grids:
        name = normalize(grid.name)
        text = text.replace(name, "")
        if len(name.removesuffix("网格")) >= 2:
            text = text.replace(name.removesuffix("网格"), "")
    return text
