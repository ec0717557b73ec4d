"""Wire settings to the pieces they configure: database, handler options."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from bot.config import Settings
from handlers.context import Options
from handlers.workdays import WorkCalendar
from storage.db import open_db


def handler_options(settings: Settings) -> Options:
    calendar = WorkCalendar(extra_holidays=settings.extra_holidays,
                            extra_workdays=settings.extra_workdays)
    return Options(ack_claims=settings.ack_claims, off_work=settings.off_work,
                   default_deadline_days=settings.default_deadline_days,
                   max_text_chars=settings.max_text_chars, calendar=calendar,
                   personal_cards=settings.personal_cards and app_configured(settings))


def app_configured(settings: Settings) -> bool:
    """Can GridBot send to one person? Only through the self-built app's API (agent id + secret)."""
    return bool(settings.wecom_agent_id and settings.wecom_secret)


def open_database(settings: Settings, path: str | None = None) -> Database:
    return open_db(path or settings.database_path)


def parse_moment(text: str) -> dt.datetime:
    """Read an ISO time with its offset; a naive one is refused (zones must be explicit)."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("time without a zone offset")
    return moment
