"""Encrypted WeCom callbacks against `gridbot serve` vs a bare Flask endpoint, on loopback.

Both servers are the same WSGI server (waitress, as `gridbot serve` runs it), each in its own
process, started in this run. The client pre-encrypts every callback, then measures:

1. throughput: a closed loop of concurrent clients, requests per second for each server, and
   the ratio gridbot / bare (target >= 0.5);
2. latency at a steady 200 requests/s (an open loop, paced): p50 and p99 (target p99 < 50 ms).

Every loop is bounded by a request count; everything stays on 127.0.0.1.
Usage: python bench/callback.py [--quick]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import clock  # noqa: E402
from bot.demo import fresh_demo_db  # noqa: E402
from bot.wecom.routes import AIBOT_PATH  # noqa: E402
from storage import roster  # noqa: E402
from tests.wecom_post import (BOT_KEY, BOT_TOKEN, Clock, WeComPoster, bot_text,  # noqa: E402
                              wecom_settings)

CONFIG = f"""
[database]
path = "{{db}}"
[channel]
kind = "wecom"
[wecom]
media_dir = "{{media}}"
[aibot]
token = "{BOT_TOKEN}"
encoding_aes_key = "{BOT_KEY}"
"""
BARE_SERVER = """
import sys
from flask import Flask
sys.path.insert(0, {root!r})
from bot.serve import make_server
app = Flask("bare")
@app.post("/bare")
def bare():
    return "ok"
make_server(app, "127.0.0.1", {port}, threads=8).run()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):  # at most 20 s
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start")


def start_gridbot(folder: Path) -> tuple[subprocess.Popen, int]:
    db_path = folder / "bench.db"
    db = fresh_demo_db(str(db_path))
    roster.bind_chat(db, roster.find_group(db, "幸福社区工作群").id, "CHAT-BIG")
    db.conn.close()
    config = folder / "config.toml"
    config.write_text(CONFIG.format(db=db_path, media=folder / "media"), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config), "serve",
                                "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(port, process)
    return process, port


def start_bare() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", BARE_SERVER.format(root=str(ROOT),
                                                                          port=port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(port, process)
    return process, port


def callbacks(n: int, tag: str, folder: Path) -> list[tuple[dict, str]]:
    """Pre-encrypt n distinct text callbacks (distinct msgids: no dedupe shortcut)."""
    poster = WeComPoster(fresh_demo_db(None), wecom_settings(folder), Clock(clock.now()))
    texts = ["@网格派单助手 进度", "@网格派单助手 帮助", "@网格派单助手 大家辛苦了"]
    return [poster.bot_request(bot_text(f"{tag}-{i}", "wangshuji", texts[i % 3], "CHAT-BIG"))
            for i in range(n)]


_local = threading.local()


def post(url: str, request: tuple[dict, str]) -> float:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    params, body = request
    started = time.perf_counter()
    answer = session.post(url, params=params, data=body, timeout=10)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"{url} answered {answer.status_code}")
    return elapsed


def throughput(url: str, requests_: list, clients: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda r: post(url, r), requests_))
    return len(requests_) / (time.perf_counter() - started)


def paced(url: str, requests_: list, rate: float) -> list[float]:
    """Send at a fixed rate; latency counts from the planned send time (queueing included)."""
    start = time.perf_counter() + 0.05
    latencies: list[float] = []

    def one(i: int) -> None:
        planned = start + i / rate
        time.sleep(max(0.0, planned - time.perf_counter()))
        post(url, requests_[i])
        latencies.append(time.perf_counter() - planned)

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(one, range(len(requests_))))
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer requests (about 10 s)")
    args = parser.parse_args()
    n_burst, n_paced, clients = (400, 400, 8) if args.quick else (2000, 1200, 8)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gridbot, gridbot_port = start_gridbot(folder)
        bare, bare_port = start_bare()
        try:
            gridbot_url = f"http://127.0.0.1:{gridbot_port}{AIBOT_PATH}"
            bare_url = f"http://127.0.0.1:{bare_port}/bare"
            warm = callbacks(50, "warm", folder)
            throughput(gridbot_url, warm, clients)
            throughput(bare_url, warm, clients)
            burst = callbacks(n_burst, "burst", folder)
            bare_rps = throughput(bare_url, burst, clients)
            gridbot_rps = throughput(gridbot_url, burst, clients)
            steady = callbacks(n_paced, "steady", folder)
            latencies = paced(gridbot_url, steady, 200.0)
        finally:
            for process in (gridbot, bare):
                process.terminate()
                process.wait(10)
    ratio = gridbot_rps / bare_rps
    p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
    print(f"throughput ({clients} clients, {n_burst} encrypted callbacks each): "
          f"bare Flask {bare_rps:.0f} req/s, gridbot {gridbot_rps:.0f} req/s")
    print(f"latency at 200 req/s ({n_paced} callbacks): p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"mean {statistics.mean(latencies) * 1000:.1f} ms")
    print(f"ratio={ratio:.2f} (target >= 0.5) p50_ms={p50:.1f} p99_ms={p99:.1f} (target < 50)")


if __name__ == "__main__":
    main()
