"""A real (non-editable) install must carry every package and template the app needs."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_every_package_and_template(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    names = set(zipfile.ZipFile(next(tmp_path.glob("gridbot-*.whl"))).namelist())
    for top in ("bot", "handlers", "storage"):
        for init in (ROOT / top).rglob("__init__.py"):
            assert init.relative_to(ROOT).as_posix() in names  # e.g. bot/wecom, once left out
    for data in ("bot/templates/simulator.html", "bot/demo/people.csv", "bot/console/static/console.css"):
        assert data in names
    assert any(n.startswith("bot/console/templates/console/") for n in names)
