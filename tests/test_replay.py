"""Replay: a week of real-looking chat ends in the expected ledger and posts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from handlers import texts

WEEK = Path(__file__).parent / "replay" / "week.jsonl"


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def replayed(tmp_path, capsys):
    db = tmp_path / "week.db"
    code, out, _ = run(capsys, "replay", str(WEEK), "--db", str(db))
    assert code == 0
    return db, [json.loads(line) for line in out.splitlines()]


def ledger_at(capsys, db, when):
    code, out, _ = run(capsys, "ledger", "--json", "--db", str(db), "--at", when)
    assert code == 0
    return {(r["task"], r["unit"]): r for r in json.loads(out)}


def test_week_ends_in_the_expected_ledger(replayed, capsys):
    db, _ = replayed
    rows = ledger_at(capsys, db, "2024-11-23T09:00:00+08:00")
    assert {key: row["state"] for key, row in rows.items()} == {
        (1, "一网格"): "accepted", (1, "二网格"): "accepted", (1, "三网格"): "done",
        (1, "四网格"): "accepted", (1, "幸福里网格"): "accepted", (1, "六网格"): "claimed",
        (1, "七网格"): "accepted", (1, "八网格"): "done",
        (2, "一网格"): "accepted", (2, "三网格"): "accepted",
        (3, "八网格"): "transferred", (3, "三网格"): "done",
    }
    assert rows[(1, "二网格")]["done_at"] == "2024-11-19T15:00:00+08:00"
    assert rows[(1, "一网格")]["done_at"] == "2024-11-20T11:00:00+08:00"  # redone after return
    assert rows[(2, "三网格")]["deadline"] == "2024-11-19T17:00:00+08:00"
    assert rows[(1, "六网格")]["deadline"] == "2024-11-25T23:59:59+08:00"
    assert rows[(3, "三网格")]["handler"] == "刘洋"
    assert not any(r["overdue"] for r in rows.values())
    later = ledger_at(capsys, db, "2024-11-26T09:00:00+08:00")
    assert [key for key, r in later.items() if r["overdue"]] == [(1, "六网格")]


def test_week_posts(replayed):
    _, posts = replayed
    first_ask = next(p for p in posts if "哪个任务" in p["text"])
    assert (first_ask["at"], first_ask["group"]) == ("2024-11-18T09:02:00+08:00", "一网格群")
    assert sum("【新任务】任务#1" in p["text"] for p in posts) == 8
    assert any(p["group"] == "三网格群" and "【转办】任务#3" in p["text"] for p in posts)
    roll_up = [p for p in posts if "全部办结" in p["text"]]
    assert [(p["group"], p["at"], p["text"][:4]) for p in roll_up] == [
        ("幸福社区工作群", "2024-11-19T11:00:00+08:00", "任务#2"),
        ("幸福社区工作群", "2024-11-21T09:00:00+08:00", "任务#3"),
    ]
    assert any(p["group"] == "一网格群" and "补照片" in p["text"] for p in posts)


def test_replay_is_repeatable(tmp_path, capsys):
    outputs = []
    for name in ("a.db", "b.db"):
        code, out, _ = run(capsys, "replay", str(WEEK), "--db", str(tmp_path / name))
        outputs.append(out)
    assert outputs[0] == outputs[1] and outputs[0]


def test_malformed_lines_are_reported_with_their_number_and_nothing_runs(tmp_path, capsys):
    script = tmp_path / "bad.jsonl"
    good = WEEK.read_text(encoding="utf-8").splitlines()
    script.write_text("\n".join([good[0], "{not json", good[1],
                                 '{"at": "2024-11-18 09:00", "user": "lina", "text": "收到"}',
                                 '{"at": "2024-11-18T09:00:00+08:00", "text": "收到"}']),
                      encoding="utf-8")
    db = tmp_path / "bad.db"
    code, out, err = run(capsys, "replay", str(script), "--db", str(db))
    assert code == 2 and out == ""
    assert texts.REPLAY_BAD_LINE.format(line=2, problem=texts.REPLAY_NOT_JSON) in err
    assert "第4行" in err and "第5行" in err and "第1行" not in err
    assert "Traceback" not in err
    assert not db.exists()
