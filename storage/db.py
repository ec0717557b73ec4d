"""Open the ledger database with the schema up to date."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations


def open_db(path: str | Path | None = None) -> Database:
    """Open (creating if needed) the database at path, or in memory when path is None."""
    # The web server answers from several threads; callers serialise access themselves.
    if path is None:
        db = Database(sqlite3.connect(":memory:", check_same_thread=False))
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = Database(sqlite3.connect(str(path), check_same_thread=False))
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    migrations.apply(db)
    return db
