"""The house rules that a reviewer would otherwise check by eye."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TRANSPORT = {"flask", "wechatpy", "apscheduler", "werkzeug"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


LOWER = sorted((ROOT / "handlers").rglob("*.py")) + sorted((ROOT / "storage").rglob("*.py"))


@pytest.mark.parametrize("path", LOWER, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_below_bot_imports_the_transport_or_bot(path):
    found = imports(path)
    assert not found & TRANSPORT
    assert "bot" not in found
    if path.parent.name == "storage":
        assert "handlers" not in found


@pytest.mark.parametrize("path", LOWER, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_bot_reads_the_clock(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\b(datetime|dt)\.(now|today|utcnow)\(|\btime\.time\(|date\.today\(",
                         text)
