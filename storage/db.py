"""Open the ledger database with the schema up to date."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
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


def file_of(db: Database) -> str | None:
    """The file behind a connection, or None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] or None if row else None


@contextlib.contextmanager
def read_only_copy(path: str | None) -> Iterator[Database | None]:
    """A second, read-only connection to the database file for a long read (an export): with
    WAL it neither waits for nor blocks the writers. None for an in-memory database."""
    if path is None:
        yield None
        return
    reader = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    try:
        reader.execute("PRAGMA busy_timeout = 5000")
        yield reader
    finally:
        reader.conn.close()
