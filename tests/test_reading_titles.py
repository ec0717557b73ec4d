"""task_by_title: which open task a reply means when only its title words tell."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reading import read_reply
from handlers.reading_titles import task_by_title

TITLES = {12: "独居老人走访", 13: "消防隐患台账"}


@pytest.mark.parametrize("text,expected", [
    ("消防隐患台账已上报完成", [13]),
    ("独居老人都走访了，照片见上", [12]),
    ("老人那个弄毕咧", [12]),
    ("隐患排查还剩2户", [13]),
    ("獨居老人走訪完了", [12]),           # traditional characters
    ("已完成", []),                        # report words name no task
    ("任务已完成，照片见上", []),
    ("收到", []),
    ("老人和消防都弄了", []),              # both tasks named as much: ask
    ("12户已走访", [12]),
])
def test_title_words_pick_one_task_or_none(text, expected):
    assert task_by_title(text, TITLES) == expected


def test_words_shared_by_both_titles_tell_nothing():
    titles = {12: "一网格消防检查台账", 13: "二网格消防检查台账"}
    assert task_by_title("消防检查台账已交", titles) == []


def test_ambiguous_reader_answer_is_resolved_only_by_title_words():
    intent, tasks = read_reply("消防隐患台账已上报完成", [12, 13], None)
    assert (intent, tasks) == ("done", "AMBIGUOUS")
    assert task_by_title("消防隐患台账已上报完成", TITLES) == [13]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.dictionaries(st.integers(1, 99), st.text(max_size=20), max_size=4))
def test_never_raises_and_picks_at_most_one(text, titles):
    found = task_by_title(text, titles)
    assert len(found) <= 1 and set(found) <= set(titles)
