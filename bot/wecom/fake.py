"""A local HTTP server that behaves like WeCom for the endpoints GridBot uses.

For tests, benchmarks and demos: gettoken (tokens expire), message/send (per-member limits,
excess dropped silently; duplicate check), message/update_template_card (response_code valid
once), media/get, webhook/send (20/min per key, 45009; markdown over 4096 bytes, 40058),
department/list and user/list. `outage(True)` answers every call with 503. The clock is a
parameter, so rate windows and token expiry can be tested without waiting.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import mimetypes
import secrets
import socket
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from bot import clock
from bot.wecom import LIMITS, Limits

OK = {"errcode": 0, "errmsg": "ok"}
TOKEN_CHECKED = {"message/send", "message/update_template_card", "media/get",
                 "department/list", "user/list"}
INVALID_RESPONSE_CODE = 40099  # the fake's code for a used or unknown response_code


@dataclass(frozen=True)
class Received:
    """One call the fake accepted (errcode 0)."""
    path: str                          # after /cgi-bin/: "message/send", "webhook/send", …
    query: dict
    body: dict | None
    at: dt.datetime
    delivered_to: tuple[str, ...] = ()  # userids (app) or the webhook key that got it
    dropped: tuple[str, ...] = ()       # userids over WeCom's per-member limits: dropped
    duplicate: bool = False             # suppressed by the duplicate check


class _Window:
    """A sliding-window counter per key."""

    def __init__(self, size: float, limit: int):
        self.size, self.limit = size, limit
        self.times: dict[str, deque[float]] = defaultdict(deque)

    def full(self, key: str, at: float) -> bool:
        times = self.times[key]
        while times and times[0] <= at - self.size:
            times.popleft()
        return len(times) >= self.limit

    def add(self, key: str, at: float) -> None:
        self.times[key].append(at)


class FakeWeCom:
    """WeCom on 127.0.0.1 with a free port; use as a context manager."""

    def __init__(self, corp_id: str = "wwfakecorp", secret: str = "fake-secret", *,
                 now: Callable[[], dt.datetime] = clock.now, limits: Limits = LIMITS,
                 token_ttl: int = 7200, duplicate_check_interval: int = 1800):
        self.corp_id, self.secret, self.now, self.limits = corp_id, secret, now, limits
        self.token_ttl = token_ttl
        self.duplicate_check_interval = duplicate_check_interval
        self.gettoken_calls = 0
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._tokens: dict[str, float] = {}
        self._keys: set[str] = set()
        self._media: dict[str, tuple[bytes, str]] = {}
        self._departments: list[dict] = []
        self._users: list[dict] = []
        self._down = False
        self._stale = False
        self._failures: dict[str, list[int]] = defaultdict(list)
        self._codes: set[str] = set()
        self._sent_digests: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._connections: set[socket.socket] = set()
        self._webhook_window = _Window(limits.minute, limits.webhook_per_minute)
        self._member_minute = _Window(limits.minute, limits.member_per_minute)
        self._member_hour = _Window(limits.hour, limits.member_per_hour)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # -- lifecycle and addresses ---------------------------------------------
    def __enter__(self) -> FakeWeCom:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and cut open keep-alive connections, as a dead server would."""
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/cgi-bin/"

    def webhook_url(self, key: str) -> str:
        """Create a group webhook and return its URL."""
        with self._lock:
            self._keys.add(key)
        return f"{self.base_url}webhook/send?key={key}"

    # -- set-up and switches ---------------------------------------------------
    def add_media(self, media_id: str, content: bytes, filename: str) -> None:
        with self._lock:
            self._media[media_id] = (content, filename)

    def set_contacts(self, departments: list[dict], users: list[dict]) -> None:
        """Set the address book: departments {id, name, parentid}; users {userid, name,
        department: [ids]}."""
        with self._lock:
            self._departments, self._users = list(departments), list(users)

    def outage(self, down: bool) -> None:
        """Make every call fail with 503 (True) or work again (False)."""
        self._down = down

    def stale_tokens(self, stale: bool) -> None:
        """Answer 40014 to every call that carries a token, however fresh."""
        self._stale = stale

    def fail(self, path: str, errcode: int, times: int = 1) -> None:
        """Answer the next `times` calls to path with errcode."""
        with self._lock:
            self._failures[path] += [errcode] * times

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens = {t: 0.0 for t in self._tokens}

    # -- what was received -------------------------------------------------------
    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def webhook_posts(self, key: str | None = None) -> list[dict]:
        """Return the bodies that reached groups (optionally one webhook's), in order."""
        return [r.body for r in self.received
                if r.path == "webhook/send" and (key is None or r.query.get("key") == key)]

    def app_messages(self, userid: str | None = None) -> list[dict]:
        """Return the app messages that reached members (optionally one member)."""
        return [r.body for r in self.received if r.path == "message/send"
                and (r.delivered_to if userid is None else userid in r.delivered_to)]

    # -- the endpoints -------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, body: bytes) -> tuple[int, dict, bytes]:
        """Answer one request: (status, headers, body)."""
        if self._down:
            return 503, {"Content-Type": "text/plain"}, b"Service Unavailable"
        if not path.startswith("/cgi-bin/"):
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        endpoint = path[len("/cgi-bin/"):]
        with self._lock:
            answer = self._answer(endpoint, query, body)
        if isinstance(answer, tuple):  # a file
            content, filename = answer
            kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            return 200, {"Content-Type": kind,
                         "Content-Disposition": f'attachment; filename="{filename}"'}, content
        data = json.dumps(answer, ensure_ascii=False).encode()
        return 200, {"Content-Type": "application/json; charset=UTF-8"}, data

    def _answer(self, endpoint: str, query: dict, raw: bytes):
        at = self.now()
        if self._failures.get(endpoint):
            code = self._failures[endpoint].pop(0)
            return {"errcode": code, "errmsg": f"injected failure {code}"}
        if endpoint == "gettoken":
            return self._gettoken(query, at)
        if endpoint == "webhook/send":
            return self._webhook(query, _json_body(raw), at)
        if endpoint not in TOKEN_CHECKED:
            return {"errcode": 404, "errmsg": f"unknown endpoint {endpoint}"}
        problem = self._check_token(query.get("access_token"), at)
        if problem:
            return problem
        body = _json_body(raw)
        if endpoint == "message/send":
            return self._send(query, body, at)
        if endpoint == "message/update_template_card":
            return self._update_card(query, body, at)
        if endpoint == "media/get":
            return self._media_get(query, at)
        if endpoint == "department/list":
            self._record(endpoint, query, None, at)
            return {**OK, "department": self._departments}
        department = int(query.get("department_id") or 0)
        self._record(endpoint, query, None, at)
        return {**OK, "userlist": [u for u in self._users if department in u["department"]]}

    def _record(self, path, query, body, at, **extra) -> None:
        self._received.append(Received(path, dict(query), body, at, **extra))

    def _gettoken(self, query: dict, at: dt.datetime) -> dict:
        self.gettoken_calls += 1
        if query.get("corpid") != self.corp_id:
            return {"errcode": 40013, "errmsg": "invalid corpid"}
        if query.get("corpsecret") != self.secret:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        token = secrets.token_hex(16)
        self._tokens[token] = at.timestamp() + self.token_ttl
        return {**OK, "access_token": token, "expires_in": self.token_ttl}

    def _check_token(self, token: str | None, at: dt.datetime) -> dict | None:
        if not token:
            return {"errcode": 41001, "errmsg": "access_token missing"}
        if self._stale or token not in self._tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if self._tokens[token] <= at.timestamp():
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    def _webhook(self, query: dict, body: dict | None, at: dt.datetime) -> dict:
        key = query.get("key", "")
        if key not in self._keys:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        if not body or body.get("msgtype") not in ("text", "markdown", "image", "news",
                                                   "file", "template_card"):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        content = (body.get("markdown") or {}).get("content", "")
        if len(content.encode()) > self.limits.markdown_bytes:
            return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        if self._webhook_window.full(key, at.timestamp()):
            return {"errcode": 45009, "errmsg": "api freq out of limit"}
        self._webhook_window.add(key, at.timestamp())
        self._record("webhook/send", query, body, at, delivered_to=(key,))
        return OK

    def _send(self, query: dict, body: dict | None, at: dt.datetime) -> dict:
        if not body or not body.get("touser") or body.get("msgtype") not in body:
            return {"errcode": 40008, "errmsg": "invalid message type"}
        users = body["touser"].split("|")
        known = {u["userid"] for u in self._users}
        valid = [u for u in users if not known or u in known]
        if not valid:
            return {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
        answer = {**OK, "invaliduser": "|".join(u for u in users if u not in valid),
                  "msgid": f"msg{next(self._ids)}"}
        if body["msgtype"] == "template_card":
            answer["response_code"] = secrets.token_hex(8)
            self._codes.add(answer["response_code"])
        if self._is_duplicate(body, at):
            self._record("message/send", query, body, at, duplicate=True)
            return answer
        delivered, dropped = [], []
        for user in valid:
            moment = at.timestamp()
            if self._member_minute.full(user, moment) or self._member_hour.full(user, moment):
                dropped.append(user)  # WeCom drops the excess without saying so
                continue
            self._member_minute.add(user, moment)
            self._member_hour.add(user, moment)
            delivered.append(user)
        self._record("message/send", query, body, at, delivered_to=tuple(delivered),
                     dropped=tuple(dropped))
        return answer

    def _is_duplicate(self, body: dict, at: dt.datetime) -> bool:
        if not body.get("enable_duplicate_check"):
            return False
        interval = int(body.get("duplicate_check_interval") or self.duplicate_check_interval)
        digest = json.dumps([body.get("agentid"), body["touser"], body["msgtype"],
                             body.get(body["msgtype"])], sort_keys=True, ensure_ascii=False)
        first = self._sent_digests.get(digest)
        if first is not None and at.timestamp() - first < interval:
            return True
        self._sent_digests[digest] = at.timestamp()
        return False

    def _update_card(self, query: dict, body: dict | None, at: dt.datetime) -> dict:
        code = (body or {}).get("response_code")
        if code not in self._codes:
            return {"errcode": INVALID_RESPONSE_CODE, "errmsg": "invalid response_code"}
        self._codes.discard(code)
        self._record("message/update_template_card", query, body, at)
        return OK

    def _media_get(self, query: dict, at: dt.datetime):
        found = self._media.get(query.get("media_id", ""))
        if found is None:
            return {"errcode": 40007, "errmsg": "invalid media_id"}
        self._record("media/get", query, None, at)
        return found

    def issue_response_code(self) -> str:
        """Make a response_code as a template_card_event callback would carry one."""
        with self._lock:
            code = secrets.token_hex(8)
            self._codes.add(code)
            return code


def _json_body(raw: bytes) -> dict | None:
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def _handler_for(fake: FakeWeCom) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as WeCom's servers do
        disable_nagle_algorithm = True  # headers and body go out in separate writes

        def setup(self) -> None:
            super().setup()
            with fake._lock:
                fake._connections.add(self.connection)

        def finish(self) -> None:
            with fake._lock:
                fake._connections.discard(self.connection)
            super().finish()

        def _serve(self, method: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, headers, data = fake.handle(method, url.path, dict(parse_qsl(url.query)),
                                                raw)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, *args) -> None:
            pass  # quiet: tests and benchmarks read .received instead

    return Handler
