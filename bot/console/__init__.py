"""The secretary's web console (/console): tasks, grids, overdue work, summaries, roster, export."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from sqlite_utils import Database

from bot.config import Settings
from bot.console import pages, summaries, tasks  # noqa: F401  (register the views)
from bot.console.blueprint import console
from bot.runtime import handler_options
from handlers.context import Options
from storage import users
from storage.db import file_of

EXTENSION = "gridbot_console"


@dataclass(frozen=True)
class Desk:
    """What the console's views need: the database, its lock, the clock and the handler options."""
    db: Database
    lock: threading.Lock
    now: Callable[[], dt.datetime]
    options: Options
    deliver: Callable[[dt.datetime], object]  # send what the outbox holds (local channel)
    lifetime: dt.timedelta
    db_file: str | None  # for a second, read-only connection; None in memory


def install(app: Flask, db: Database, channel, now: Callable[[], dt.datetime],
            settings: Settings | None, lock: threading.Lock) -> None:
    """Mount the console at /console with signed, expiring session cookies."""
    settings = settings or Settings()
    lifetime = dt.timedelta(hours=settings.session_hours)
    app.config.update(
        SECRET_KEY=settings.secret_key or _stored_key(db, lock),
        PERMANENT_SESSION_LIFETIME=lifetime,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,  # roster uploads
    )
    options = getattr(channel, "options", None) or handler_options(settings)
    app.extensions[EXTENSION] = Desk(db, lock, now, options, _deliverer(db, channel), lifetime,
                                     file_of(db))
    app.register_blueprint(console, url_prefix="/console")


def _stored_key(db: Database, lock: threading.Lock) -> str:
    """Without [web] secret_key, a random key kept in the database: a restart or a second
    web worker keeps everyone signed in."""
    with lock:
        return users.shared_secret(db, "console_session_key", lambda: secrets.token_hex(32))


def _deliverer(db: Database, channel) -> Callable[[dt.datetime], object]:
    if getattr(channel, "name", None) == "local":
        from bot.local import deliver
        return lambda at: deliver(db, at)
    return lambda at: None  # other channels drain the outbox themselves
