"""The console's blueprint: who is signed in, CSRF on every form, refusals as Chinese pages."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from sqlite_utils import Database
from werkzeug.exceptions import HTTPException
from werkzeug.security import check_password_hash

from handlers import texts
from handlers.team import acting_units, community_of
from storage import roster, users
from storage.errors import NotFound
from storage.models import Person, Unit, from_text, to_text
from storage.users import User

console = Blueprint("console", __name__, template_folder="templates", static_folder="static",
                    static_url_path="/static")
PUBLIC = ("console.login", "console.static")
# A password check costs the same whether or not the account exists.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128


@dataclass(frozen=True)
class Viewer:
    """The signed-in account: its roster person, community and the units it acts for."""
    user: User
    person: Person
    community: Unit | None
    units: tuple[int, ...]

    @property
    def is_secretary(self) -> bool:
        return self.person.is_secretary and self.community is not None

    @property
    def role(self) -> str:
        return "、".join(texts.ROLE_NAMES[r] for r in self.person.roles) or texts.CONSOLE_ROLE_NONE


def desk():
    return current_app.extensions["gridbot_console"]


@contextlib.contextmanager
def locked() -> Iterator[Database]:
    """Hold the database for this request (one SQLite connection serves every thread)."""
    with desk().lock:
        yield desk().db


def viewer() -> Viewer:
    return g.viewer


def _load_viewer() -> Viewer | None:
    user_id, since = session.get("uid"), session.get("since")
    if user_id is None or since is None:
        return None
    if desk().now() - from_text(since) > desk().lifetime:
        session.clear()
        flash(texts.CONSOLE_SESSION_EXPIRED, "error")
        return None
    with locked() as db:
        user = users.get_user(db, user_id)
        if user is None:
            session.clear()
            return None
        person = roster.get_person(db, user.person_id)
        community = community_of(db, person)
        units = tuple(acting_units(db, person))
    return Viewer(user, person, community, units)


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _csrf_ok() -> bool:
    sent, kept = request.form.get("csrf_token", ""), session.get("csrf", "")
    return bool(sent and kept) and hmac.compare_digest(sent, kept)


@console.before_request
def gate():
    """Send strangers to sign in; refuse any form without this session's CSRF token."""
    if request.endpoint not in PUBLIC:
        found = _load_viewer()
        if found is None:
            if "_flashes" not in session:
                flash(texts.CONSOLE_LOGIN_REQUIRED, "error")
            # After signing in, come back to the page (a form's address cannot be reopened).
            back = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("console.login", next=back))
        g.viewer = found
    if request.method == "POST" and not _csrf_ok():
        return refusal(texts.CONSOLE_CSRF_FAILED, 400)
    return None


def secretary_only(view):
    """Refuse the view to anyone but a secretary with a community."""
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not viewer().is_secretary:
            return refusal(texts.CONSOLE_SECRETARY_ONLY, 403)
        return view(*args, **kwargs)
    return guarded


def refusal(message: str, status: int):
    return render_template("console/error.html", message=message), status


@console.context_processor
def inject():
    return {"T": texts, "viewer": g.get("viewer"), "csrf_token": csrf_token}


@console.app_template_filter("when")
def _when(moment: dt.datetime | None) -> str:
    return texts.when(moment) if moment else ""


@console.app_template_filter("short")
def _short(moment: dt.datetime | None) -> str:
    return texts.short_time(moment) if moment else ""


@console.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form, or sign in and start a fresh session."""
    target = _safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return render_template("console/login.html", next=target)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    with locked() as db:
        user = users.find_user(db, username)
    if not check_password_hash(user.password_hash if user else _DUMMY_HASH, password) or not user:
        flash(texts.CONSOLE_LOGIN_FAILED, "error")
        return render_template("console/login.html", next=target, username=username), 401
    session.clear()  # no fixation: a new session, a new CSRF token
    session.permanent = True
    session.update(uid=user.id, since=to_text(desk().now()))
    return redirect(target or url_for("console.tasks"))


@console.post("/logout")
def logout():
    session.clear()
    flash(texts.CONSOLE_SIGNED_OUT, "ok")
    return redirect(url_for("console.login"))


def _safe_next(target: str) -> str:
    """Follow ?next= only within the console."""
    target = target.rstrip("?")
    return target if target.startswith("/console/") and "//" not in target else ""


@console.errorhandler(HTTPException)
def http_error(error: HTTPException):
    message = {403: texts.CONSOLE_FORBIDDEN, 404: texts.CONSOLE_NOT_FOUND}.get(
        error.code, texts.CONSOLE_ERROR)
    return refusal(message, error.code or 500)


@console.errorhandler(NotFound)
def not_found(error: NotFound):
    return refusal(texts.CONSOLE_NOT_FOUND, 404)


@console.errorhandler(Exception)
def failed(error: Exception):
    current_app.logger.exception("console request failed")
    return refusal(texts.CONSOLE_ERROR, 500)


__all__ = ["abort", "console", "locked", "refusal", "secretary_only", "viewer"]
