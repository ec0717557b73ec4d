"""`gridbot serve`: the web app and the WeCom callbacks under waitress, a production server."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import waitress
from flask import Flask
from sqlite_utils import Database

from bot import clock
from bot.config import Settings
from bot.local import LocalChannel
from bot.runtime import handler_options, open_database
from bot.scheduler import start_scheduler
from bot.web import create_app
from bot.wecom.client import WeComClient

log = logging.getLogger(__name__)

# Waitress refuses bigger bodies itself; the callback routes answer 413 above 1 MB.
MAX_REQUEST_BODY = 2 * 1024 * 1024


def wecom_client(settings: Settings) -> WeComClient | None:
    """The app's API client, when the corp id and the app's secret are configured."""
    # secret, agent_id and api_base_url are the sending side's keys; absent until configured.
    secret = getattr(settings, "wecom_secret", "")
    if settings.channel != "wecom" or not settings.wecom_corp_id or not secret:
        return None
    base = getattr(settings, "wecom_api_base_url", "") or "https://qyapi.weixin.qq.com/cgi-bin/"
    return WeComClient(settings.wecom_corp_id, secret, getattr(settings, "wecom_agent_id", 0),
                       base_url=base)


def make_app(db: Database, settings: Settings, client: WeComClient | None = None,
             now: Callable[[], dt.datetime] = clock.now) -> Flask:
    """Build the app the server runs: the console, plus the callbacks when WeCom is on.

    The simulator, which lets anyone speak as anyone, is served only with the local channel.
    """
    channel = LocalChannel(db, handler_options(settings), now=now) \
        if settings.channel == "local" else None
    return create_app(db, channel, now=now, settings=settings, wecom_client=client)


def make_server(app: Flask, host: str, port: int, threads: int = 4):
    """Create (not yet run) a waitress server; port 0 picks a free one (.effective_port)."""
    return waitress.create_server(app, host=host, port=port, threads=threads,
                                  max_request_body_size=MAX_REQUEST_BODY, ident="gridbot")


def serve(settings: Settings, host: str, port: int, threads: int = 4,
          ready: Callable[[int], None] = lambda port: None, scheduler: bool = True) -> None:
    """Serve until interrupted; the outbox sender (WeCom on) and the schedule run alongside.

    Both run in exactly one process: extra web workers pass scheduler=False, which starts
    neither (two senders on one database would both take the same next message).
    """
    db = open_database(settings)
    client = wecom_client(settings)
    server = make_server(make_app(db, settings, client), host, port, threads)
    stop_background = start_background(settings, client) if scheduler else (lambda: None)
    try:
        ready(server.effective_port)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop_background()
        server.close()


def start_background(settings: Settings, client: WeComClient | None) -> Callable[[], None]:
    """Start the outbox sender (WeCom on) and the schedule; return what stops both.

    Each has its own connection: the web app's connection is serialised by the app's lock.
    """
    stop_sender = None
    if settings.channel == "wecom":
        from bot.wecom.sender import Sender, start_in_background
        _, stop_sender = start_in_background(Sender(open_database(settings), client))
    jobs = start_scheduler(open_database(settings), settings)

    def stop() -> None:
        if stop_sender is not None:
            stop_sender.set()
        jobs.shutdown(wait=False)
    return stop
