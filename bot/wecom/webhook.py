"""Group webhooks (群机器人 消息推送): post markdown into one group chat."""

from __future__ import annotations

import functools
import os
import threading
from urllib.parse import urlsplit

import requests

from bot.wecom import LIMITS
from bot.wecom.client import WeComUnavailable, json_answer, raise_for_status

_local = threading.local()  # one keep-alive session per thread


def webhook_send(url: str, payload: dict, timeout: float = 5) -> dict:
    """Post one message to a group's webhook URL; raise WeComError or WeComUnavailable."""
    session = getattr(_local, "session", None) or _new_session()
    try:
        response = session.post(url, json=payload, timeout=timeout,
                                proxies=_proxies(urlsplit(url).netloc))
    except requests.RequestException as e:
        raise WeComUnavailable(f"{type(e).__name__}: {e}") from None
    raise_for_status(response)
    return json_answer(response)


def _new_session() -> requests.Session:
    # requests re-reads the proxy environment on every request (half a millisecond, which
    # a fan-out to a thousand groups notices): read it once per host instead.
    session = requests.Session()
    session.trust_env = False
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") \
        or True
    _local.session = session
    return session


@functools.lru_cache(maxsize=64)
def _proxies(netloc: str) -> dict:
    return requests.utils.get_environ_proxies(f"https://{netloc}/")


def webhook_key(url: str) -> str:
    """Return the key= part of a webhook URL (its identity for WeCom's rate limit)."""
    return requests.utils.urlparse(url).query.partition("key=")[2].partition("&")[0] or url


def with_mentions(text: str, userids: tuple[str, ...] | list[str]) -> str:
    """Put a line of <@userid> mentions above the text (markdown's way to @ someone)."""
    if not userids:
        return text
    return " ".join(f"<@{u}>" for u in userids) + "\n" + text


def split_markdown(text: str, limit: int = LIMITS.markdown_bytes) -> list[str]:
    """Split text into parts of at most limit UTF-8 bytes, breaking between lines.

    Joined with newlines the parts give the text back; only a line longer than the limit
    is itself cut, between characters.
    """
    parts: list[str] = []
    lines: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _cut(line, limit):
            cost = len(piece.encode()) + (1 if lines else 0)
            if lines and size + cost > limit:
                parts.append("\n".join(lines))
                lines, size, cost = [], 0, len(piece.encode())
            lines.append(piece)
            size += cost
    parts.append("\n".join(lines))
    return parts


def _cut(line: str, limit: int) -> list[str]:
    if len(line.encode()) <= limit:
        return [line]
    pieces, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append("".join(current))
    return pieces


def markdown_messages(text: str, mentions: tuple[str, ...] = (),
                      limit: int = LIMITS.markdown_bytes) -> list[dict]:
    """Build the webhook bodies for a post: mentions on top, split at the byte limit."""
    return [{"msgtype": "markdown", "markdown": {"content": part}}
            for part in split_markdown(with_mentions(text, mentions), limit)]
