"""The demo: the shipped roster in a fresh database, served with the simulator."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from bot import clock
from bot.config import Settings
from bot.local import LocalChannel
from bot.runtime import handler_options
from bot.scheduler import start_scheduler
from bot.web import create_app
from storage import roster, users
from storage.db import open_db
from handlers.roster_file import import_roster, read_roster

DEMO_DB = "data/demo.db"
# The demo's console sign-in: a throwaway database served on loopback only.
DEMO_ACCOUNT = ("wangshuji", "demo")
DEMO_ROSTER = Path(__file__).parent / "demo"


def demo_roster_files() -> list[Path]:
    return sorted(DEMO_ROSTER.glob("*.csv"))


def fresh_demo_db(path: str | None) -> Database:
    """Create a database holding only the demo roster (in memory when path is None)."""
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    db = open_db(path)
    import_roster(db, read_roster(demo_roster_files()))
    return db


def add_demo_account(db: Database) -> None:
    """Let the demo's secretary sign in to the console (hashing is slow: the demo only)."""
    username, password = DEMO_ACCOUNT
    secretary = roster.find_person(db, username)
    users.save_user(db, username, secretary.id, generate_password_hash(password), clock.now())


def make_demo_server(db: Database, settings: Settings, host: str, port: int):
    """Build the simulator's threaded HTTP server (port 0 picks a free one)."""
    app = create_app(db, LocalChannel(db, handler_options(settings)))
    return make_server(host, port, app, threaded=True)


def serve(db: Database, settings: Settings, host: str, port: int) -> None:
    """Serve the simulator, with the schedule's jobs running, until interrupted."""
    server = make_demo_server(db, settings, host, port)
    scheduler = start_scheduler(scheduler_connection(db), settings)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=False)


def scheduler_connection(db: Database) -> Database:
    """Give the scheduler's thread its own connection to the same file (WAL lets both work)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return open_db(path) if path else db
