"""Make a short task title from a secretary's message."""

from __future__ import annotations

import re
import unicodedata

TITLE_MAX = 20

# Phrases that say who and by when, not what: they do not belong in a title.
_NOISE = [
    r"@\S+",
    r"(第?[一二三四五六七八九十百\d、,，和及与至到\-~]+|[^\s，,。、]{1,6}?)网格",
    r"(请|麻烦|烦请)?(各|全部|所有|全体)?(位)?(网格员?|网格长)(们)?",
    r"(今天|明天|后天|大后天|今晚|明晚|明早|本周[一二三四五六日天]?|这周[一二三四五六日天]?"
    r"|下下?周[一二三四五六日天]?|周[一二三四五六日天末]|星期[一二三四五六日天]|月底|月中|年底|年前"
    r"|[\d一二三四五六七八九十两]+个?(工作日|天|小时)|[\d一二三四五六七八九十]+月[\d一二三四五六七八九十]+[日号]"
    r"|[\d一二三四五六七八九十]+[日号](?!楼)|上午|下午|中午|晚上|下班|[\d一二三四五六七八九十两]+[点:：][\d半一刻三]*(分)?)+"
    r"(之前|以前|前|内|截止|为止)?",
    r"^(请|麻烦|烦请|务必|于|在)+",
    r"^(完成|开展|做好|组织)",
]
_NOISE_RE = [re.compile(p) for p in _NOISE]


def make_title(text: str) -> str:
    """Keep what is to be done from the first clause, at most TITLE_MAX characters."""
    plain = unicodedata.normalize("NFKC", text).strip()
    first = re.split(r"[，,。；;！!\n]", plain, maxsplit=1)[0] or plain
    title = first
    for pattern in _NOISE_RE:
        title = pattern.sub("", title).strip(" ：:，,")
    title = title or first
    return title[:TITLE_MAX] + ("…" if len(title) > TITLE_MAX else "")
