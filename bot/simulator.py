"""The local simulator's page and JSON API: speak as anyone, read every chat and the ledger."""

from __future__ import annotations

import dataclasses
import threading

from flask import Flask, jsonify, render_template, request
from sqlite_utils import Database

from bot.local import LocalChannel
from handlers import texts
from handlers.views import all_chat, direct_chat, group_chat, ledger_rows, task_history
from storage import ledger, roster


def install_simulator(app: Flask, db: Database, channel: LocalChannel, lock: threading.Lock,
                      now) -> None:
    """Add the simulator's routes; only for the local channel (it trusts whoever calls it)."""
    def as_json(items):
        return jsonify([dataclasses.asdict(i) for i in items])

    @app.get("/")
    def simulator():
        return render_template("simulator.html", bot_name=texts.BOT_NAME)

    @app.get("/api/roster")
    def roster_view():
        with lock:
            groups = roster.list_groups(db)
            people = roster.list_people(db)
            units = {u.id: u.name for u in roster.list_units(db)}
        return jsonify({
            "groups": [{"id": g.id, "name": g.name, "kind": g.kind, "unit": units[g.unit_id]}
                       for g in groups],
            "people": [{"id": p.id, "name": p.name, "userid": p.userid,
                        "roles": [texts.ROLE_NAMES[r] for r in p.roles],
                        "unit": units.get(p.unit_id)} for p in people],
        })

    @app.post("/api/messages")
    def post_message():
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        sender, text = body.get("user"), body.get("text")
        if not isinstance(sender, str) or not isinstance(text, str):
            return jsonify({"error": texts.API_BAD_MESSAGE}), 400
        group = body.get("group") or None
        with lock:
            lines = channel.post(sender, group, text)
        return as_json(lines)

    @app.get("/api/messages")
    def all_messages():
        after = request.args.get("after", 0, type=int)
        with lock:
            return as_json(all_chat(db, after))

    @app.get("/api/groups/<name>/messages")
    def group_messages(name: str):
        after = request.args.get("after", 0, type=int)
        with lock:
            group = roster.find_group(db, name)
            if group is None:
                return jsonify({"error": texts.UNKNOWN_GROUP.format(group=name)}), 404
            return as_json(group_chat(db, group.id, after))

    @app.get("/api/people/<who>/messages")
    def direct_messages(who: str):
        after = request.args.get("after", 0, type=int)
        with lock:
            person = roster.find_person(db, who)
            if person is None:
                return jsonify({"error": texts.UNKNOWN_PERSON.format(who=who)}), 404
            return as_json(direct_chat(db, person.id, after))

    @app.get("/api/ledger")
    def ledger_view():
        with lock:
            return as_json(ledger_rows(db, now()))

    @app.get("/api/tasks/<int:number>/history")
    def history(number: int):
        with lock:
            found = ledger.tasks_numbered(db, number)
            if len(found) != 1:
                return jsonify({"error": texts.TASK_NOT_FOUND.format(number=number)}), 404
            return as_json(task_history(db, found[0].id))
