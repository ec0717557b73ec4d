"""Fan-out: tasks announced to every grid group through the fake WeCom with its real limits.

A city with 1,272 grids, each with a group and a webhook. The secretary issues TASKS tasks to
every grid in a row (the first one is "the" announcement; the rest make the per-webhook
limit bind: with 21 posts per webhook, 20 may go at once and the 21st only a minute after the
first). The outbox sender drains it all against FakeWeCom, which refuses a 21st post inside
any minute with 45009. Prints delivered, lost, doubled and the elapsed time as a ratio to
the minimum the limits allow: (ceil(posts per webhook / 20) - 1) minutes.

    python bench/fanout.py            # 1,272 groups x 21 tasks, real limits (about 70 s)
    python bench/fanout.py --quick    # 100 groups, windows scaled to 1/10 (under 30 s)
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import clock  # noqa: E402
from bot.wecom import LIMITS  # noqa: E402
from bot.wecom.fake import FakeWeCom  # noqa: E402
from bot.wecom.sender import Sender  # noqa: E402
from handlers.context import Incoming, Options  # noqa: E402
from handlers.dispatch import dispatch  # noqa: E402
from storage import outbox, roster  # noqa: E402
from storage.db import open_db  # noqa: E402

ISSUED_AT = dt.datetime(2024, 11, 18, 8, 40, tzinfo=clock.ZONE)  # a Monday


class RemoteFake:
    """FakeWeCom in its own process, as WeCom is: no GIL shared with the sender."""

    def __init__(self, limits):
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_serve_fake, args=(limits, child),
                                               daemon=True)
        self.process.start()
        self.base_url = self.conn.recv()

    def _ask(self, *request):
        self.conn.send(request)
        return self.conn.recv()

    def webhook_url(self, key: str) -> str:
        return f"{self.base_url}webhook/send?key={key}"

    def register(self, keys: list[str]) -> None:
        self._ask("register", keys)

    @property
    def received(self):
        return self._ask("received")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._ask("stop")
        self.process.join()


def _serve_fake(limits, conn) -> None:
    with FakeWeCom(limits=limits) as fake:
        conn.send(fake.base_url)
        while True:
            command, *args = conn.recv()
            if command == "register":
                for key in args[0]:
                    fake.webhook_url(key)
                conn.send(None)
            elif command == "received":
                conn.send(fake.received)
            else:
                conn.send(None)
                return


def build_city(db, fake: RemoteFake, grids: int) -> None:
    """One community with `grids` grids, each with a worker, a group and a webhook."""
    with db.atomic():
        community = roster.add_unit(db, "城区", "community")
        roster.add_person(db, "王书记", "wangshuji", ("secretary",), community.id)
        roster.add_group(db, "城区工作群", "big", community.id,
                         webhook_url=fake.webhook_url("big"))
        fake.register(["big"] + [f"grid{n}" for n in range(1, grids + 1)])
        for n in range(1, grids + 1):
            grid = roster.add_unit(db, f"第{n}网格", "grid", community.id, n)
            roster.add_person(db, f"网格员{n}", f"w{n}", ("grid_worker",), grid.id)
            roster.add_group(db, f"第{n}网格群", "small", grid.id,
                             webhook_url=fake.webhook_url(f"grid{n}"))


def issue_tasks(db, tasks: int) -> None:
    for k in range(1, tasks + 1):
        at = ISSUED_AT + dt.timedelta(minutes=k)
        text = f"各网格本周五前完成第{k}批独居老人走访，拍照反馈"
        outcome = dispatch(db, Incoming("wangshuji", text, at, group="城区工作群"), Options())
        assert outcome.intent == "issue", outcome.reply


def expected_posts(db) -> Counter:
    """Every (webhook key, content) the outbox holds, as the sender will render it."""
    from bot.wecom.webhook import markdown_messages, webhook_key
    wanted: Counter = Counter()
    groups = {g.id: g for g in roster.list_groups(db)}
    for item in outbox.deliveries(db, ("pending",), limit=10**7):
        key = webhook_key(groups[item.group_id].webhook_url)
        for body in markdown_messages(item.text, item.mentions):
            wanted[(key, body["markdown"]["content"])] += 1
    return wanted


def run(grids: int, tasks: int, scale: float) -> tuple[int, int, int, float]:
    limits = LIMITS.scaled(scale)
    with tempfile.TemporaryDirectory() as folder, RemoteFake(limits) as fake:
        path = Path(folder) / "fanout.db"
        db = open_db(path)
        build_city(db, fake, grids)
        started = time.perf_counter()
        issue_tasks(db, tasks)
        print(f"roster: {grids} grid groups; issued {tasks} tasks in "
              f"{time.perf_counter() - started:.1f} s")
        wanted = expected_posts(db)
        per_webhook = max(Counter(key for key, _ in wanted.elements()).values())
        minimum = (math.ceil(per_webhook / limits.webhook_per_minute) - 1) * limits.minute
        # The sender has its own connection, as in production (one connection per thread).
        sender = Sender(open_db(path), None, limits=limits, quiet_seconds=0 if scale < 1 else 3)
        stop = threading.Event()
        begin = clock.now()
        thread = threading.Thread(target=sender.run_forever, args=(stop, 0.5))
        thread.start()
        deadline = time.monotonic() + minimum * 3 + 120
        while time.monotonic() < deadline:
            counts = outbox.counts(db)
            if counts["pending"] == counts["sending"] == 0:
                break
            time.sleep(0.2)
        stop.set()
        thread.join()
        received = fake.received
        refused = outbox.counts(db)["parked"]
        posts = [r for r in received if r.path == "webhook/send"]
        elapsed = (max(r.at for r in posts) - begin).total_seconds() if posts else 0.0
        first = [r.at for r in posts if "第1批" in r.body["markdown"]["content"]]
        first_done = (max(first) - begin).total_seconds() if first else 0.0
        got = Counter((r.query["key"], r.body["markdown"]["content"]) for r in posts)
    delivered = sum(min(n, got[k]) for k, n in wanted.items())
    lost = sum(wanted.values()) - delivered
    doubled = sum(max(0, n - wanted[k]) for k, n in got.items())
    print(f"posts: {sum(wanted.values())} ({per_webhook} per webhook, limit "
          f"{limits.webhook_per_minute} per {limits.minute:g} s); parked: {refused}")
    print(f"task 1 reached all {grids} groups after {first_done:.2f} s; all posts after "
          f"{elapsed:.2f} s ({sum(wanted.values()) / max(elapsed, 1e-9):.0f} posts/s); "
          f"minimum the limits allow {minimum:g} s")
    return delivered, lost, doubled, elapsed / minimum if minimum else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 groups, windows at 1/10")
    parser.add_argument("--grids", type=int)
    parser.add_argument("--tasks", type=int, default=21)
    args = parser.parse_args()
    grids = args.grids or (100 if args.quick else 1272)
    delivered, lost, doubled, ratio = run(grids, args.tasks, 0.1 if args.quick else 1.0)
    # With 20 or fewer posts per webhook the limits allow "at once": there is no ratio.
    print(f"delivered={delivered} lost={lost} doubled={doubled} ratio={ratio:.3f}")


if __name__ == "__main__":
    main()
