"""Numbered schema migrations; an applied migration is never edited."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gridbot")


@migrations(name="0001_roster")
def roster(db: Database) -> None:
    db["units"].create(
        {"id": int, "name": str, "kind": str, "parent_id": int, "ordinal": int},
        pk="id",
        not_null={"name", "kind"},
        foreign_keys=[("parent_id", "units", "id")],
    )
    db["units"].create_index(["parent_id", "name"], unique=True)
    db["people"].create(
        {"id": int, "name": str, "userid": str, "roles": str, "unit_id": int, "phone": str},
        pk="id",
        not_null={"name", "userid", "roles"},
        foreign_keys=[("unit_id", "units", "id")],
    )
    db["people"].create_index(["userid"], unique=True)
    db["groups"].create(
        {"id": int, "name": str, "kind": str, "unit_id": int, "chatid": str, "webhook_url": str},
        pk="id",
        not_null={"name", "kind", "unit_id"},
        foreign_keys=[("unit_id", "units", "id")],
    )
    db["groups"].create_index(["name"], unique=True)


@migrations(name="0002_ledger")
def ledger(db: Database) -> None:
    db["messages"].create(
        {"id": int, "at": str, "direction": str, "group_id": int, "person_id": int,
         "text": str, "channel": str, "external_id": str},
        pk="id",
        not_null={"at", "direction", "text"},
        foreign_keys=[("group_id", "groups", "id"), ("person_id", "people", "id")],
    )
    db["messages"].create_index(["group_id", "id"])
    db["tasks"].create(
        {"id": int, "community_id": int, "number": int, "title": str, "text": str,
         "issuer_id": int, "issued_at": str, "deadline": str, "targets": str,
         "state": str, "message_id": int},
        pk="id",
        not_null={"community_id", "number", "title", "text", "issued_at", "deadline", "state"},
        foreign_keys=[("community_id", "units", "id"), ("issuer_id", "people", "id"),
                      ("message_id", "messages", "id")],
    )
    db["tasks"].create_index(["community_id", "number"], unique=True)
    db["assignments"].create(
        {"id": int, "task_id": int, "unit_id": int, "handler_id": int, "state": str,
         "deadline": str, "created_at": str, "claimed_at": str, "done_at": str,
         "accepted_at": str, "closed_at": str, "transferred_from": int},
        pk="id",
        not_null={"task_id", "unit_id", "state", "deadline", "created_at"},
        foreign_keys=[("task_id", "tasks", "id"), ("unit_id", "units", "id"),
                      ("handler_id", "people", "id"), ("transferred_from", "assignments", "id")],
    )
    db["assignments"].create_index(["task_id"])
    db["assignments"].create_index(["unit_id", "state"])
    db["reports"].create(
        {"id": int, "assignment_id": int, "kind": str, "at": str, "author_id": int,
         "text": str, "attachments": str, "message_id": int},
        pk="id",
        not_null={"assignment_id", "kind", "at", "text"},
        foreign_keys=[("assignment_id", "assignments", "id"), ("author_id", "people", "id"),
                      ("message_id", "messages", "id")],
    )
    db["reports"].create_index(["assignment_id"])
    db["events"].create(
        {"id": int, "at": str, "task_id": int, "assignment_id": int, "actor_id": int,
         "kind": str, "detail": str, "message_id": int},
        pk="id",
        not_null={"at", "task_id", "kind"},
        foreign_keys=[("task_id", "tasks", "id"), ("assignment_id", "assignments", "id"),
                      ("actor_id", "people", "id"), ("message_id", "messages", "id")],
    )
    db["events"].create_index(["task_id", "id"])
    # The history is append-only: the database itself refuses edits.
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER events_no_{op.lower()} BEFORE {op} ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )


@migrations(name="0003_outbox")
def outbox(db: Database) -> None:
    db["outbox"].create(
        {"id": int, "created_at": str, "kind": str, "group_id": int, "person_id": int,
         "text": str, "mentions": str, "state": str, "attempts": int,
         "next_attempt_at": str, "sent_at": str, "last_error": str, "task_id": int},
        pk="id",
        not_null={"created_at", "kind", "text", "state"},
        defaults={"attempts": 0, "state": "pending"},
        foreign_keys=[("group_id", "groups", "id"), ("person_id", "people", "id"),
                      ("task_id", "tasks", "id")],
    )
    db["outbox"].create_index(["state", "next_attempt_at"])
    db["pending_questions"].create(
        {"person_id": int, "group_id": int, "intent": str, "candidates": str,
         "text": str, "message_id": int, "at": str},
        pk="person_id",
        foreign_keys=[("person_id", "people", "id")],
    )
