"""Tell which open task a reply means by the words of the tasks' titles."""

from __future__ import annotations

from handlers.reading_text import normalize

# Words any report uses: naming them says nothing about which task is meant.
_REPORT_WORDS = frozenset(
    "完成 办结 反馈 上报 报送 提交 收到 已经 网格 任务 照片 情况 落实 处理 工作 社区 要求 按时".split())


def task_by_title(text: str, titles: dict[int, str]) -> list[int]:
    """Return [number] of the one task whose own title words the text names most, else []."""
    try:
        plain = normalize(text)
        words = {number: _words(title) for number, title in titles.items()}
        scores = {number: sum(w in plain for w in own - _others(words, number))
                  for number, own in words.items()}
    except Exception:  # an unreadable title resolves nothing; the bot asks instead
        return []
    best = max(scores.values(), default=0)
    winners = [number for number, score in scores.items() if score == best]
    return winners if best > 0 and len(winners) == 1 else []


def _words(title: str) -> set[str]:
    """Return the title's two-character words, Chinese characters only, report words left out."""
    plain = normalize(title)
    pairs = {plain[i:i + 2] for i in range(len(plain) - 1)}
    return {p for p in pairs if all("\u4e00" <= c <= "\u9fff" for c in p) and p not in _REPORT_WORDS}


def _others(words: dict[int, set[str]], number: int) -> set[str]:
    """Return the words the other tasks' titles use: shared words tell tasks apart not at all."""
    return set().union(*(own for n, own in words.items() if n != number))
