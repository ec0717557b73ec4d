"""The WeCom server API for a self-built app, on wechatpy's enterprise client.

wechatpy 1.8.18 hard-codes the gettoken URL and retries stale tokens without a cap, so the
token is fetched and refreshed here (a bounded number of times), and every failure becomes
one of two exceptions: WeComError (WeCom answered with an errcode) or WeComUnavailable
(WeCom could not be reached, or answered 5xx: the request may simply be retried).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot import clock

DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com/cgi-bin/"
STALE_TOKEN = (40014, 42001)  # invalid / expired access_token: fetch a new one
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
              "audio/amr": ".amr", "video/mp4": ".mp4"}


class WeComError(Exception):
    """WeCom answered with a non-zero errcode."""

    def __init__(self, errcode: int, errmsg: str):
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeComUnavailable(Exception):
    """WeCom could not be reached or answered 5xx; nothing is known to have happened."""


class WeComClient(WeChatClient):
    """A self-built app's client pointed at base_url (WeCom, or the fake server in tests)."""

    def __init__(self, corp_id: str, secret: str, agent_id: int | str,
                 base_url: str = DEFAULT_BASE_URL, timeout: float = 5, *,
                 now: Callable[[], dt.datetime] = clock.now, token_refreshes: int = 2,
                 duplicate_check_interval: int = 1800):
        super().__init__(corp_id, secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = base_url if base_url.endswith("/") else base_url + "/"
        self.agent_id = int(agent_id or 0)
        self.token_refreshes = token_refreshes
        self.duplicate_check_interval = duplicate_check_interval
        self._now = now
        self._token: str | None = None
        self._token_expires = now()
        self._token_lock = threading.Lock()

    # -- the access token ------------------------------------------------------
    @property
    def access_token(self) -> str:
        return self.get_token()

    def get_token(self) -> str:
        """Return the cached access token, fetching a new one shortly before it expires."""
        with self._token_lock:
            if self._token is None or self._now() >= self._token_expires:
                self.fetch_access_token()
            return self._token

    def fetch_access_token(self) -> dict:
        """Fetch a token from base_url's gettoken (wechatpy's own is hard-coded to WeCom)."""
        params = {"corpid": self.corp_id, "corpsecret": self.secret}
        result = json_answer(self._http_call("get", self.API_BASE_URL + "gettoken",
                                              params=params))
        expires_in = int(result.get("expires_in", 7200))
        # Refresh a minute early (or halfway, for short-lived tokens) so a call never races expiry.
        margin = min(60, expires_in // 2)
        self._token = result["access_token"]
        self._token_expires = self._now() + dt.timedelta(seconds=expires_in - margin)
        self.session.set(self.access_token_key, self._token, expires_in)
        return result

    def _forget_token(self, stale: str) -> None:
        with self._token_lock:
            if self._token == stale:
                self._token = None

    def _with_token(self, call: Callable[[str], Any]) -> Any:
        """Run call(token); on a stale token fetch a new one, at most token_refreshes times."""
        for attempt in range(self.token_refreshes + 1):
            token = self.get_token()
            try:
                return call(token)
            except WeComError as e:
                if e.errcode not in STALE_TOKEN or attempt == self.token_refreshes:
                    raise
                self._forget_token(token)
        raise AssertionError("unreachable")

    # -- transport -------------------------------------------------------------
    def _http_call(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = self._http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as e:
            raise WeComUnavailable(f"{type(e).__name__}: {e}") from None
        raise_for_status(response)
        return response

    def _api(self, method: str, endpoint: str, params: dict | None = None,
             data: dict | None = None) -> dict:
        def call(token: str) -> dict:
            try:
                return self._request(method, endpoint, params={**(params or {}),
                                                               "access_token": token},
                                     data=data)
            except requests.RequestException as e:
                raise WeComUnavailable(f"{type(e).__name__}: {e}") from None
            except WeChatClientException as e:
                raise _translate(e) from None
        result = self._with_token(call)
        if not isinstance(result, dict):
            raise WeComError(-1, "not a JSON answer")
        return result

    # -- the API the project uses ----------------------------------------------
    def send_message(self, payload: dict) -> dict:
        """Send an app message (message/send) with WeCom's duplicate check on."""
        body = {"agentid": self.agent_id, "enable_duplicate_check": 1,
                "duplicate_check_interval": self.duplicate_check_interval, **payload}
        return self._api("post", "message/send", data=body)

    def update_template_card(self, payload: dict) -> dict:
        """Replace a sent template card after a click (its response_code is valid once)."""
        return self._api("post", "message/update_template_card",
                         data={"agentid": self.agent_id, **payload})

    def get_media(self, media_id: str) -> tuple[bytes, str]:
        """Download a temporary media file; return its bytes and a file name."""
        def call(token: str) -> tuple[bytes, str]:
            response = self._http_call("get", self.API_BASE_URL + "media/get",
                                       params={"access_token": token, "media_id": media_id})
            kind = response.headers.get("Content-Type", "").split(";")[0].strip()
            if kind in ("application/json", "text/plain"):
                json_answer(response)  # an errcode answer instead of the file
            return response.content, _file_name(response, media_id, kind)
        return self._with_token(call)

    def list_departments(self) -> list[dict]:
        """Return every department the app can see: id, name, parentid, order."""
        return self._api("get", "department/list").get("department", [])

    def list_users(self, department_id: int) -> list[dict]:
        """Return the members directly in one department (user/list)."""
        result = self._api("get", "user/list", params={"department_id": department_id,
                                                       "fetch_child": 0})
        return result.get("userlist", [])


def raise_for_status(response: requests.Response) -> None:
    if response.status_code >= 500:
        raise WeComUnavailable(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise WeComError(-1, f"HTTP {response.status_code}")


def json_answer(response: requests.Response) -> dict:
    try:
        result = response.json()
    except ValueError:
        raise WeComError(-1, "not a JSON answer") from None
    if not isinstance(result, dict):
        raise WeComError(-1, "not a JSON object")
    if int(result.get("errcode", 0)) != 0:
        raise WeComError(int(result["errcode"]), str(result.get("errmsg", "")))
    return result


def _translate(e: WeChatClientException) -> Exception:
    if e.errcode is None:  # an HTTP status error, raised by wechatpy before any JSON
        status = getattr(e.response, "status_code", None)
        if status is None or status >= 500:
            return WeComUnavailable(f"HTTP {status}")
        return WeComError(-1, f"HTTP {status}")
    return WeComError(int(e.errcode), str(e.errmsg))


def _file_name(response: requests.Response, media_id: str, kind: str) -> str:
    found = re.search(r'filename="?([^";]+)"?', response.headers.get("Content-Disposition", ""))
    return found.group(1) if found else media_id + EXTENSIONS.get(kind, "")


def client_from_settings(settings) -> WeComClient | None:
    """Build the app's client from [wecom] settings; None until corp_id and secret are set."""
    if not settings.wecom_corp_id or not settings.wecom_secret:
        return None
    return WeComClient(settings.wecom_corp_id, settings.wecom_secret, settings.wecom_agent_id,
                       settings.wecom_api_base_url)
