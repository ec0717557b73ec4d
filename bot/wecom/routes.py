"""The callback URLs as a Flask Blueprint: requests in, Answers out, never a 500."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from flask import Blueprint, Response, request
from sqlite_utils import Database

from bot.config import Settings
from bot.runtime import handler_options
from bot.wecom.aibot_callback import AibotCallback
from bot.wecom.app_callback import AppCallback
from bot.wecom.callback import EMPTY, MAX_BODY, Answer
from bot.wecom.crypto import BadPayload, CallbackCrypto, CallbackRefused
from bot.wecom.media import MediaStore

log = logging.getLogger(__name__)

APP_PATH = "/wecom/app/callback"
AIBOT_PATH = "/wecom/aibot/callback"


def build_callbacks(db: Database, lock: threading.Lock, settings: Settings,
                    now: Callable[[], dt.datetime], client=None
                    ) -> tuple[AppCallback | None, AibotCallback | None]:
    """Build each callback whose keys are configured (None: that channel is off)."""
    window = dt.timedelta(seconds=settings.callback_window_seconds)
    options, media = handler_options(settings), MediaStore(settings.media_dir)
    app = aibot = None
    if settings.wecom_token and settings.wecom_encoding_aes_key:
        crypto = CallbackCrypto(settings.wecom_token, settings.wecom_encoding_aes_key,
                                settings.wecom_corp_id, window)
        app = AppCallback(db, lock, crypto, options, media, client, now)
    if settings.aibot_token and settings.aibot_encoding_aes_key:
        crypto = CallbackCrypto(settings.aibot_token, settings.aibot_encoding_aes_key, "", window)
        aibot = AibotCallback(db, lock, crypto, options, media, now)
    return app, aibot


def wecom_blueprint(app_callback: AppCallback | None,
                    aibot_callback: AibotCallback | None) -> Blueprint:
    """Serve the two callback URLs; a channel that is off answers 404."""
    blueprint = Blueprint("wecom", __name__)

    @blueprint.route(APP_PATH, methods=["GET", "POST"])
    def app_url():
        return _serve(app_callback)

    @blueprint.route(AIBOT_PATH, methods=["GET", "POST"])
    def aibot_url():
        return _serve(aibot_callback)

    return blueprint


def _serve(callback) -> Response:
    if callback is None:
        return _response(Answer(404))
    if request.method == "GET":
        return _response(_answer(lambda: callback.verify(request.args)))
    if (request.content_length or 0) > MAX_BODY:
        return _response(Answer(413))
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _response(Answer(413))
    return _response(_answer(lambda: callback.receive(request.args, body)))


def _answer(run: Callable[[], Answer]) -> Answer:
    try:
        return run()
    except CallbackRefused as e:
        log.warning("callback refused: %s", e)
        return Answer(403)
    except BadPayload as e:
        log.warning("callback unreadable: %s", e)
        return Answer(400)
    except Exception:
        # WeCom retries a failed callback; an empty 200 is safer than a 500.
        log.exception("callback failed")
        return EMPTY


def _response(answer: Answer) -> Response:
    return Response(answer.body, status=answer.status, content_type=answer.content_type)
