"""Check the WeCom configuration and say what is wrong in plain words."""

from __future__ import annotations

import ipaddress
from typing import TextIO
from urllib.parse import urlsplit

from bot import clock
from bot.config import Settings
from bot.wecom.client import WeComError, WeComUnavailable
from bot.wecom.crypto import CallbackCrypto
from bot.wecom.routes import AIBOT_PATH, APP_PATH
from handlers import texts

# What WeCom's errcodes on gettoken mean for the person fixing the configuration.
TOKEN_ERRORS = {40013: "corp_id", 40001: "secret", 40091: "secret", 60020: "ip"}


def run_check(settings: Settings, url: str | None, client, out: TextIO) -> list[str]:
    """Print one line per check; return the problems found."""
    problems: list[str] = []

    def report(what: str, problem: str | None) -> None:
        if problem:
            problems.append(problem)
            print(texts.CHECK_BAD.format(what=what, problem=problem), file=out)
        else:
            print(texts.CHECK_OK.format(what=what), file=out)

    if settings.channel != "wecom":
        report("channel.kind", texts.CHECK_PROBLEMS["channel"])
    report("wecom.corp_id", None if settings.wecom_corp_id else
           texts.CHECK_PROBLEMS["no_corp_id"])
    report(texts.CHECK_WHAT["app_keys"], _keys(settings.wecom_token, settings.wecom_encoding_aes_key,
                                    settings.wecom_corp_id, "[wecom]"))
    report(texts.CHECK_WHAT["aibot_keys"], _keys(settings.aibot_token, settings.aibot_encoding_aes_key, "",
                                      "[aibot]"))
    if url is not None:
        report(texts.CHECK_WHAT["url"], _url(url))
        for path in (APP_PATH, AIBOT_PATH):
            print(texts.CHECK_SKIP.format(what=url.rstrip("/") + path,
                                          why=texts.CHECK_WHAT["fill_url"]), file=out)
    if client is None:
        print(texts.CHECK_SKIP.format(what="access_token", why=texts.CHECK_WHAT["no_secret"]),
              file=out)
    else:
        report("access_token", _token(client))
    print(texts.CHECK_SUMMARY_BAD.format(n=len(problems)) if problems
          else texts.CHECK_SUMMARY_OK, file=out)
    return problems


def _keys(token: str, key: str, receive_id: str, section: str) -> str | None:
    if not token or not key:
        return texts.CHECK_PROBLEMS["no_keys"].format(section=section)
    try:
        crypto = CallbackCrypto(token, key, receive_id)
        now = clock.now()
        sealed, signature, nonce = crypto.seal("ping", str(int(now.timestamp())))
        if crypto.decrypt(signature, str(int(now.timestamp())), nonce, sealed, now) != "ping":
            return texts.CHECK_PROBLEMS["self_test"].format(section=section)
    except Exception as e:  # a key that is not base64 for 32 bytes
        return texts.CHECK_PROBLEMS["bad_key"].format(section=section,
                                                     error=type(e).__name__)
    return None


def _url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return texts.CHECK_PROBLEMS["url_scheme"]
    if parts.query or parts.fragment:
        return texts.CHECK_PROBLEMS["url_query"]
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return None if parts.hostname != "localhost" else texts.CHECK_PROBLEMS["url_local"].format(
            host=parts.hostname)
    if address.is_private or address.is_loopback:
        return texts.CHECK_PROBLEMS["url_local"].format(host=parts.hostname)
    return None


def _token(client) -> str | None:
    try:
        client.get_token()
    except WeComError as e:
        return texts.CHECK_PROBLEMS[TOKEN_ERRORS.get(e.errcode, "refused")].format(
            code=e.errcode, message=e.errmsg)
    except WeComUnavailable as e:
        return texts.CHECK_PROBLEMS["unreachable"].format(error=e)
    return None


__all__ = ["run_check"]
