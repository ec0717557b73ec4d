"""Open the ledger database with the schema up to date."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations


def open_db(path: str | Path | None = None) -> Database:
    """Open (creating if needed) the database at path, or in memory when path is None."""
    if path is None:
        db = Database(memory=True)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = Database(path)
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    migrations.apply(db)
    return db
