"""Read which grids and people a secretary's task message is for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.reading_text import CN_CHARS, cn_sequence, normalize


@dataclass(frozen=True)
class GridRef:
    id: int
    name: str
    ordinal: int | None


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str


@dataclass(frozen=True)
class Targets:
    grid_ids: tuple[int, ...]
    person_ids: tuple[int, ...]
    everyone: bool


_ITEM = rf"(?:\d{{1,3}}|[{CN_CHARS}]{{1,6}})"
_SEP = r"\s*(?:[、,/&+]|和|与|及|跟|以及)\s*第?"
_RANGE = r"\s*(?:-|~|至|到)\s*第?"
# 一、三、五网格 / 1-3网格 / 第一网格 / 3号网格; the lookbehind keeps 十一网格 whole.
_ORDINALS = re.compile(
    rf"(?<![\d{CN_CHARS}])第?(?P<items>{_ITEM}(?:\s*(?:网格|号)?(?:{_SEP}|{_RANGE}){_ITEM}){{0,12}})"
    rf"\s*号?\s*网格")
_EVERYONE = re.compile(r"(?:全部|各个?|所有|全体|每个|每一个|各社区|其他|其余|其它)\s*网格|全社区|各网格员")
# 除三网格外 / 除了三网格，其他网格 / (三网格除外)
_EXCEPT = re.compile(r"(?<![清排拆删消铲剔去免解开扣破革])除(?:了)?(?P<body>[^,。;!?()]{1,40}?)"
                     r"(?:(?:以外|之外|外)(?!墙|面|侧|围|部|出|来|地|卖|包|援)|(?=\))|"
                     r",(?=\s*(?:其他|其余|其它|别的|剩下)))"
                     r"|(?P<body2>[^,。;!?()]{1,20}?)除外")
_MENTION = re.compile(r"@\s*(?P<name>[^\s@,。;:!?、]{1,10})")


def read_targets(text: str, grids: list[GridRef], people: list[PersonRef]) -> Targets | None:
    """Return the grids and people the message names, or None when it names nobody; never raise."""
    try:
        return _read_targets(normalize(text), list(grids or []), list(people or []))
    except Exception:  # unreadable text names nobody
        return None


def _read_targets(text: str, grids: list[GridRef], people: list[PersonRef]) -> Targets | None:
    mentions = _mentioned_people(text, people)
    person_ids = list(dict.fromkeys(pid for pid, _, _ in mentions))
    text = _blank(text, [(start, end) for _, start, end in mentions])
    excluded: list[int] = []
    for m in _EXCEPT.finditer(text):
        excluded += grids_named(m["body"] or m["body2"], grids)
        text = text[:m.start()] + " " * len(m.group()) + text[m.end():]
    everyone = bool(_EVERYONE.search(text)) or bool(excluded)
    if everyone:
        grid_ids = [g.id for g in grids if g.id not in excluded]
    else:
        grid_ids = grids_named(text, grids)
    if not (everyone or grid_ids or person_ids):
        return None
    return Targets(tuple(grid_ids), tuple(person_ids), everyone)


def grids_named(text: str, grids: list[GridRef]) -> list[int]:
    """Return the ids of the grids text names by ordinal or by name, in order of mention."""
    found: list[tuple[int, int]] = []
    by_ordinal = {g.ordinal: g.id for g in grids if g.ordinal is not None}
    for m in _ORDINALS.finditer(text):
        found += [(m.start(), by_ordinal[n]) for n in _ordinals(m["items"]) if n in by_ordinal]
    for grid in grids:
        found += [(pos, grid.id) for pos in _name_positions(text, grid, grids)]
    return list(dict.fromkeys(gid for _, gid in sorted(found)))


def _ordinals(items: str) -> list[int]:
    """Read 一、三、五 / 一二三四 / 1-3 / 一至三 as ordinals."""
    parts = re.split(rf"({_SEP}|{_RANGE})", items.replace("网格", "").replace("号", ""))
    values: list[int] = []
    pending_range = False
    for part in parts:
        if re.fullmatch(_RANGE, part):
            pending_range = True
        elif not re.fullmatch(_SEP, part) and part.strip():
            numbers = cn_sequence(part.strip().lstrip("第"))
            if pending_range and values and len(numbers) == 1 and 0 < numbers[0] - values[-1] <= 50:
                numbers = list(range(values[-1] + 1, numbers[0] + 1))
            values += numbers
            pending_range = False
    return values


def _name_positions(text: str, grid: GridRef, grids: list[GridRef]) -> list[int]:
    """Find a grid's own name (幸福里网格), or its stem (幸福里) when no other grid shares it."""
    name = normalize(grid.name)
    stem = name.removesuffix("网格")
    if not stem or all(c in CN_CHARS or c.isdigit() or c == "第" for c in stem):
        return []  # 三网格 is read by ordinal
    word = name if len(stem) < 2 or _shared(stem, grid, grids) else stem
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _shared(stem: str, grid: GridRef, grids: list[GridRef]) -> bool:
    return any(stem in normalize(g.name) for g in grids if g.id != grid.id)


def _mentioned_people(text: str, people: list[PersonRef]) -> list[tuple[int, int, int]]:
    """Return (id, start, end) of each @-mentioned person; the longest matching name wins."""
    found = []
    for m in _MENTION.finditer(text):
        after = m["name"]
        named = [p for p in people if normalize(p.name) and after.startswith(normalize(p.name))]
        match = max(named, key=lambda p: len(p.name), default=None)
        if match is not None:
            found.append((match.id, m.start(), m.start("name") + len(normalize(match.name))))
    return found


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text
