"""Verify, decrypt and encrypt WeCom callbacks; read their XML without expanding anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import xml.etree.ElementTree as ET

from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException


class CallbackRefused(Exception):
    """Not a genuine, fresh callback (signature, receive id or timestamp): answer 403."""


class BadPayload(Exception):
    """A body that cannot be read (malformed, DTD or entities, wrong shape): answer 400."""


# Anything starting "<!" except CDATA: DOCTYPE, ENTITY, comments. WeCom sends none of them,
# and refusing them before parsing means no entity is ever expanded (XXE, billion laughs).
_MARKUP_DECLARATION = re.compile(r"<!(?!\[CDATA\[)")
_PROCESSING = re.compile(r"<\?(?!xml[\s?])", re.IGNORECASE)


def read_xml(text: str | bytes) -> dict[str, str]:
    """Read a flat WeCom XML document into {tag: text}; refuse DTDs, entities and junk."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise BadPayload("body is not UTF-8") from None
    if _MARKUP_DECLARATION.search(text) or _PROCESSING.search(text):
        raise BadPayload("XML with a DTD, entity, comment or processing instruction")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise BadPayload(f"malformed XML: {e}") from None
    if root.tag != "xml":
        raise BadPayload(f"unexpected root element {root.tag!r}")
    return {child.tag: (child.text or "").strip() for child in root}


def cdata(value: str) -> str:
    """Wrap text in CDATA, splitting any "]]>" inside it."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """Sign as WeCom does: sha1 of the sorted concatenation."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


class CallbackCrypto:
    """One callback endpoint's keys: token, EncodingAESKey, receive id, freshness window."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str,
                 window: dt.timedelta = dt.timedelta(minutes=5)):
        self.token = token
        self.receive_id = receive_id
        self.window = window
        self._crypto = WeChatCrypto(token, encoding_aes_key, receive_id)

    @property
    def key(self) -> bytes:
        return self._crypto.key

    def check_fresh(self, timestamp: str, now: dt.datetime) -> None:
        """Refuse a timestamp outside the window around now (a replayed or forged request)."""
        if not re.fullmatch(r"\d{1,12}", timestamp or ""):
            raise CallbackRefused("timestamp missing or not a number")
        skew = abs(now.timestamp() - int(timestamp))
        if skew > self.window.total_seconds():
            raise CallbackRefused(f"timestamp {skew:.0f} s away from now")

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str,
                   now: dt.datetime) -> str:
        """Check a URL-verification request and return the decrypted echo."""
        self.check_fresh(timestamp, now)
        return self._open(lambda: self._crypto.check_signature(msg_signature, timestamp, nonce,
                                                               echostr))

    def decrypt(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str,
                now: dt.datetime) -> str:
        """Check a message's signature and freshness and return its plaintext."""
        self.check_fresh(timestamp, now)
        return self._open(lambda: self._crypto.decrypt_message({"Encrypt": encrypted},
                                                               msg_signature, timestamp, nonce))

    def _open(self, run) -> str:
        try:
            return run()
        except (InvalidSignatureException, InvalidCorpIdException) as e:
            raise CallbackRefused(type(e).__name__) from None
        except Exception as e:  # bad base64, padding, length: a signed body we cannot read
            raise BadPayload(f"cannot decrypt: {type(e).__name__}") from None

    def seal(self, plaintext: str, timestamp: str, nonce: str | None = None
             ) -> tuple[str, str, str]:
        """Encrypt a passive reply; return (encrypted, signature, nonce)."""
        nonce = nonce or secrets.token_hex(8)
        encrypted = PrpCrypto(self.key).encrypt(plaintext, self.receive_id).decode()
        return encrypted, signature(self.token, timestamp, nonce, encrypted), nonce

    def seal_xml(self, plaintext: str, timestamp: str) -> str:
        """Encrypt a passive reply into WeCom's XML envelope."""
        encrypted, sig, nonce = self.seal(plaintext, timestamp)
        return ("<xml><Encrypt>" + cdata(encrypted) + "</Encrypt><MsgSignature>" + cdata(sig)
                + f"</MsgSignature><TimeStamp>{timestamp}</TimeStamp><Nonce>" + cdata(nonce)
                + "</Nonce></xml>")
