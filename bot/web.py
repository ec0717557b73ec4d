"""The Flask app: console, WeCom callbacks and, for the local channel, the simulator."""

from __future__ import annotations

import threading

from flask import Flask, jsonify, redirect
from sqlite_utils import Database
from werkzeug.exceptions import HTTPException

from bot import clock, console
from bot.local import LocalChannel
from bot.simulator import install_simulator
from bot.wecom.routes import build_callbacks, wecom_blueprint
from handlers import texts


def create_app(db: Database, channel: LocalChannel | None, now=clock.now, settings=None,
               wecom_client=None) -> Flask:
    """Build the app: console, WeCom callbacks when on, and the simulator for the local channel.

    The simulator lets anyone speak as anyone, so it exists only with the local channel.
    """
    app = Flask(__name__)
    app.json.ensure_ascii = False
    lock = threading.Lock()  # one SQLite connection: one request at a time touches it
    console.install(app, db, channel, now, settings, lock)
    if settings is not None and settings.channel == "wecom":
        app.register_blueprint(wecom_blueprint(*build_callbacks(db, lock, settings, now,
                                                                wecom_client)))
    if channel is not None:
        install_simulator(app, db, channel, lock, now)
    else:
        @app.get("/")
        def home():
            return redirect("/console/")

    @app.errorhandler(Exception)
    def failed(error):
        if isinstance(error, HTTPException):
            return jsonify({"error": error.name}), error.code
        app.logger.exception("request failed")
        return jsonify({"error": texts.INTERNAL_ERROR}), 500

    return app
