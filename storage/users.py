"""Web console accounts: a username, a password hash made by bot/, and the roster person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from storage.models import from_text, to_text


@dataclass(frozen=True)
class User:
    id: int
    username: str
    person_id: int
    password_hash: str = field(repr=False)
    created_at: dt.datetime
    updated_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: dict) -> User:
        return cls(row["id"], row["username"], row["person_id"], row["password_hash"],
                   from_text(row["created_at"]), from_text(row["updated_at"]))


def save_user(db: Database, username: str, person_id: int, password_hash: str,
              at: dt.datetime) -> tuple[User, bool]:
    """Add an account, or replace the person and password of an existing one; True if added."""
    existing = find_user(db, username)
    with db.atomic():
        if existing:
            db["users"].update(existing.id, {"person_id": person_id,
                                             "password_hash": password_hash,
                                             "updated_at": to_text(at)})
            return get_user(db, existing.id), False
        pk = db["users"].insert({"username": username, "person_id": person_id,
                                 "password_hash": password_hash,
                                 "created_at": to_text(at)}).last_pk
    return get_user(db, pk), True


def find_user(db: Database, username: str) -> User | None:
    row = next(db["users"].rows_where("username = ?", [username], limit=1), None)
    return User.from_row(row) if row else None


def get_user(db: Database, user_id: int) -> User | None:
    row = next(db["users"].rows_where("id = ?", [user_id], limit=1), None)
    return User.from_row(row) if row else None


def shared_secret(db: Database, name: str, make: Callable[[], str]) -> str:
    """Return the secret kept under name, storing make() first if there is none yet.

    Every process on the database reads the same value, so sessions survive restarts and
    work across several web workers; the first writer wins a race.
    """
    db.execute("insert or ignore into app_secrets (name, value) values (?, ?)", [name, make()])
    db.conn.commit()
    return db.execute("select value from app_secrets where name = ?", [name]).fetchone()[0]
