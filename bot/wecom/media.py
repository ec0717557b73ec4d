"""Keep photos from WeCom on disk; the ledger stores the path with the report."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

import requests
from wechatpy.crypto.base import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder

from bot.wecom.client import WeComError, WeComUnavailable

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # WeCom's image limit
SUFFIXES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png", b"GIF8": ".gif", b"RIFF": ".webp"}


class MediaUnavailable(Exception):
    """The photo could not be fetched from WeCom (yet)."""


class MediaStore:
    """Files under a root directory, one folder a month, named by their content hash."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def save(self, data: bytes, at: dt.datetime, name: str = "") -> str:
        """Write the bytes once (same content, same file) and return the path."""
        folder = self.root / f"{at:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(data).hexdigest()[:20]
        path = folder / (digest + _suffix(data, name))
        if not path.exists():
            partial = path.with_suffix(path.suffix + ".part")
            partial.write_bytes(data)
            partial.replace(path)  # a half-written photo never has the final name
        return str(path)


def _suffix(data: bytes, name: str) -> str:
    for magic, suffix in SUFFIXES.items():
        if data.startswith(magic):
            return suffix
    known = Path(name).suffix.lower()
    return known if known in (".jpg", ".jpeg", ".png", ".gif", ".amr", ".mp4") else ".bin"


def fetch_app_media(client, media_id: str) -> tuple[bytes, str]:
    """Download a self-built app message's photo by its MediaId (media/get)."""
    try:
        data, name = client.get_media(media_id)
    except (WeComError, WeComUnavailable) as e:
        raise MediaUnavailable(str(e)) from None
    if len(data) > MAX_BYTES:
        raise MediaUnavailable(f"{len(data)} bytes")
    return data, name


def fetch_aibot_image(url: str, key: bytes, timeout: float = 3.0) -> bytes:
    """Download an intelligent bot's photo (AES-256-CBC with the callback key) and decrypt it."""
    try:
        with requests.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(MAX_BYTES + 32, decode_content=True)
    except requests.RequestException as e:
        raise MediaUnavailable(f"{type(e).__name__}: {e}") from None
    if len(data) > MAX_BYTES or not data or len(data) % 16:
        raise MediaUnavailable(f"unexpected size {len(data)}")
    try:
        return PKCS7Encoder.decode(WeChatCipher(key).decrypt(data))
    except ValueError as e:
        raise MediaUnavailable(f"cannot decrypt: {e}") from None
