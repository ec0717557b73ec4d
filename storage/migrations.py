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


@migrations(name="0006_console_users")
def console_users(db: Database) -> None:
    # Web console accounts; each signs in as one roster person and acts with their roles.
    db["users"].create(
        {"id": int, "username": str, "person_id": int, "password_hash": str,
         "created_at": str, "updated_at": str},
        pk="id",
        not_null={"username", "person_id", "password_hash", "created_at"},
        foreign_keys=[("person_id", "people", "id")],
    )
    db["users"].create_index(["username"], unique=True)


@migrations(name="0004_outbox_delivery")
def outbox_delivery(db: Database) -> None:
    # Sending to WeCom: where an item goes (one queue per destination, in order), an
    # optional JSON body (cards), how many parts of a split message went out, the in-flight
    # lease that makes a crash mid-send recoverable, and WeCom's answer.
    outbox_table = db["outbox"]
    outbox_table.add_column("destination", str)
    outbox_table.add_column("payload", str)
    outbox_table.add_column("parts_sent", int, not_null_default=0)
    outbox_table.add_column("sending_since", str)
    outbox_table.add_column("result", str)
    db.execute("UPDATE outbox SET destination = CASE WHEN group_id IS NOT NULL "
               "THEN 'group:' || group_id ELSE 'person:' || person_id END")
    outbox_table.create_index(["destination", "state", "id"])
    # Every request WeCom answered, per rate-limit key, so pacing survives a restart.
    db["outbox_sends"].create({"id": int, "rate_key": str, "at": float}, pk="id",
                              not_null={"rate_key", "at"})
    db["outbox_sends"].create_index(["rate_key", "at"])


@migrations(name="0005_schedule")
def schedule(db: Database) -> None:
    # One row per reminder sent: the key makes a second send of the same reminder impossible.
    db["reminders_sent"].create(
        {"id": int, "kind": str, "assignment_id": int, "due_at": str, "sent_at": str,
         "outbox_id": int},
        pk="id",
        not_null={"kind", "assignment_id", "due_at", "sent_at"},
        foreign_keys=[("assignment_id", "assignments", "id"), ("outbox_id", "outbox", "id")],
    )
    db["reminders_sent"].create_index(["assignment_id", "kind", "due_at"], unique=True)
    db["bulletins_sent"].create(
        {"kind": str, "community_id": int, "period_start": str, "sent_at": str,
         "outbox_id": int},
        pk=("kind", "community_id", "period_start"),
        foreign_keys=[("community_id", "units", "id"), ("outbox_id", "outbox", "id")],
    )
    db["recurring"].create(
        {"id": int, "community_id": int, "number": int, "title": str, "text": str,
         "deadline_text": str, "targets": str, "frequency": str, "day": int, "start": str,
         "state": str, "issuer_id": int, "created_at": str, "message_id": int},
        pk="id",
        not_null={"community_id", "number", "title", "text", "targets", "frequency", "day",
                  "start", "state", "created_at"},
        foreign_keys=[("community_id", "units", "id"), ("issuer_id", "people", "id")],
    )
    db["recurring"].create_index(["community_id", "number"], unique=True)
    db["recurring_runs"].create(
        {"recurring_id": int, "occurrence": str, "task_id": int, "at": str},
        pk=("recurring_id", "occurrence"),
        foreign_keys=[("recurring_id", "recurring", "id"), ("task_id", "tasks", "id")],
    )
    # Summaries count per unit over time ranges; covering indexes keep them off the table.
    # The minute tick looks only at live assignments, by deadline and by creation time.
    for statement in SCHEDULE_INDEXES:
        db.execute(statement)


SCHEDULE_INDEXES = (
    "CREATE INDEX assignments_unit_created ON assignments(unit_id, created_at)",
    "CREATE INDEX assignments_unit_claimed ON assignments(unit_id, claimed_at)"
    " WHERE claimed_at IS NOT NULL",
    "CREATE INDEX assignments_unit_done ON assignments(unit_id, done_at, deadline, state,"
    " handler_id) WHERE done_at IS NOT NULL",
    "CREATE INDEX assignments_unit_deadline ON assignments(unit_id, deadline, done_at, state,"
    " handler_id)",
    "CREATE INDEX assignments_closed ON assignments(closed_at) WHERE closed_at IS NOT NULL",
    "CREATE INDEX events_returns ON events(at, assignment_id) WHERE kind = 'return'",
    "CREATE INDEX assignments_live_deadline ON assignments(deadline, state)"
    " WHERE state IN ('open', 'claimed')",
    "CREATE INDEX assignments_unclaimed_created ON assignments(created_at) WHERE state = 'open'",
)


@migrations(name="0007_callback_replies")
def callback_replies(db: Database) -> None:
    # WeCom delivers a callback up to three times: the first answer is kept and repeated.
    db["callback_replies"].create(
        {"channel": str, "key": str, "at": str, "reply": str},
        pk=("channel", "key"),
        not_null={"channel", "key", "at"},
    )


@migrations(name="0008_app_secrets")
def app_secrets(db: Database) -> None:
    # Secrets the app makes itself (the console's session key): shared by every process.
    db["app_secrets"].create({"name": str, "value": str}, pk="name", not_null={"value"})


@migrations(name="0009_outbox_unsure")
def outbox_unsure(db: Database) -> None:
    # Parked after a crash mid-request: maybe delivered. A blanket retry leaves these alone.
    db["outbox"].add_column("unsure", int, not_null_default=0)
