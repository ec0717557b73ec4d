"""read_targets over a table of real task messages, on a community of twelve grids."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reading import GridRef, PersonRef, Targets, read_targets
from tests.test_reading_reply import load

NAMES = ["一网格", "二网格", "三网格", "四网格", "幸福里网格", "六网格", "七网格", "八网格",
         "十网格", "十一网格", "十二网格"]
ORDINALS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
GRIDS = [GridRef(100 + o, n, o) for n, o in zip(NAMES, ORDINALS)] + \
    [GridRef(200, "阳光花园网格", None)]
PEOPLE = [PersonRef(i, n) for i, n in enumerate(["孙梅", "李娜", "李娜娜", "王小明", "周强"], 1)]
GRID_ID = {g.name: g.id for g in GRIDS}
PERSON_ID = {p.name: p.id for p in PEOPLE}
ROWS = load("targets.tsv")


def expected_targets(grids: str, people: str, everyone: str) -> Targets | None:
    if everyone == "None":
        return None
    person_ids = tuple(PERSON_ID[n] for n in people.split(",") if n.strip())
    if everyone == "yes":
        excluded = {GRID_ID[n] for n in grids.lstrip("-*").split(",") if n.strip()}
        return Targets(tuple(g.id for g in GRIDS if g.id not in excluded), person_ids, True)
    grid_ids = tuple(GRID_ID[n] for n in grids.split(",") if n.strip())
    return Targets(grid_ids, person_ids, False)


@pytest.mark.parametrize("kind,text,grids,people,everyone", ROWS,
                         ids=[f"{r[0]}:{r[1][:20]}" for r in ROWS])
def test_targets_corpus(kind, text, grids, people, everyone):
    assert read_targets(text, GRIDS, PEOPLE) == expected_targets(grids, people, everyone)


def test_corpus_is_big_enough():
    assert len(ROWS) >= 80


def test_a_stem_shared_by_two_grids_needs_the_full_name():
    grids = [GridRef(1, "幸福里网格", None), GridRef(2, "幸福里东网格", None)]
    assert read_targets("幸福里今天完成", grids, []) is None
    assert read_targets("幸福里网格今天完成", grids, []) == Targets((1,), (), False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_read_targets_never_raises(text):
    found = read_targets(text, GRIDS, PEOPLE)
    assert found is None or isinstance(found, Targets)
