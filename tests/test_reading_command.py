"""read_command over a table of secretaries' commands and of messages that are no command."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reading import Command, read_command
from tests.test_reading_deadline import at
from tests.test_reading_targets import GRID_ID, GRIDS, PEOPLE
from tests.test_reading_reply import load

NOW = at("2024-11-18 08:30")
ROWS = [row + [""] * (8 - len(row)) for row in load("commands.tsv")]


def expected_command(action, task, grids, person, deadline, reason) -> Command | None:
    if action == "None":
        return None
    return Command(action, int(task) if task else None,
                   tuple(GRID_ID[n] for n in grids.split(",") if n.strip()),
                   person or None, at(deadline) if deadline else None, reason)


@pytest.mark.parametrize("kind,text,action,task,grids,person,deadline,reason", ROWS,
                         ids=[f"{r[0]}:{r[1][:20]}" for r in ROWS])
def test_command_corpus(kind, text, action, task, grids, person, deadline, reason):
    expected = expected_command(action, task, grids, person, deadline, reason)
    assert read_command(text, NOW, GRIDS, PEOPLE) == expected


def test_corpus_is_big_enough():
    assert len(ROWS) >= 30


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200),
       st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 12, 31)))
def test_read_command_never_raises(text, naive_now):
    found = read_command(text, naive_now.replace(tzinfo=NOW.tzinfo), GRIDS, PEOPLE)
    assert found is None or isinstance(found, Command)
