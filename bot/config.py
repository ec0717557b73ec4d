"""Load settings from TOML into a frozen dataclass, checked at start."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names the key."""


@dataclass(frozen=True)
class Settings:
    database_path: str = "data/gridbot.db"
    channel: str = "local"
    web_host: str = "127.0.0.1"
    web_port: int = 8600
    off_work: str = "17:30"
    default_deadline_days: int = 0
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()
    ack_claims: bool = False
    max_text_chars: int = 2000
    secret_key: str = field(default="", repr=False)
    session_hours: int = 12
    # WeCom callbacks (receiving): the self-built app and the intelligent bot.
    wecom_corp_id: str = ""
    wecom_token: str = field(default="", repr=False)
    wecom_encoding_aes_key: str = field(default="", repr=False)
    callback_window_seconds: int = 300
    media_dir: str = "data/media"
    aibot_token: str = field(default="", repr=False)
    aibot_encoding_aes_key: str = field(default="", repr=False)
    # WeCom sending (the outbox sender, roster sync): the self-built app's server API.
    wecom_agent_id: int = 0
    wecom_secret: str = field(default="", repr=False)
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com/cgi-bin/"
    personal_cards: bool = True  # with the app configured: a 接单/办结 card to each handler
    # The schedule (issue 5): reminders, escalation, quiet hours, summaries, recurring tasks.
    schedule_claim_reminder: bool = True
    schedule_claim_after_minutes: int = 120
    schedule_due_reminder: bool = True
    schedule_due_before_minutes: int = 60
    schedule_due_day_at: str = "09:00"
    schedule_overdue_notice: bool = True
    schedule_overdue_day_at: str = "08:30"
    schedule_escalation: bool = True
    schedule_escalation_at: str = "09:00"
    schedule_escalate_to: str = "auto"
    schedule_quiet_start: str = "08:30"
    schedule_quiet_end: str = "20:00"
    schedule_weekly_summary: bool = True
    schedule_weekly_at: str = "09:00"
    schedule_monthly_bulletin: bool = True
    schedule_monthly_at: str = "09:00"
    schedule_rankings: bool = True
    schedule_recurring_at: str = "08:30"
    schedule_catch_up_days: int = 10
    schedule_chart_dir: str = "data/charts"


CHANNELS = ("local", "wecom")

# (section, key) -> (Settings field, parser)
def _time(key: str, value: Any) -> str:
    try:
        dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}: 应为 HH:MM 格式的时间，例如 17:30（实际为 {value!r}）") from None
    return value


def _int(minimum: int, maximum: int):
    def parse(key: str, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            raise ConfigError(f"{key}: 应为 {minimum}–{maximum} 之间的整数（实际为 {value!r}）")
        return value
    return parse


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: 应为 true 或 false（实际为 {value!r}）")
    return value


def _str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key}: 应为字符串（实际为 {value!r}）")
    return value


def _nonempty(key: str, value: Any) -> str:
    if not _str(key, value).strip():
        raise ConfigError(f"{key}: 不能为空")
    return value


def _channel(key: str, value: Any) -> str:
    if value not in CHANNELS:
        raise ConfigError(f"{key}: 应为 {', '.join(CHANNELS)} 之一（实际为 {value!r}）")
    return value


def _token(key: str, value: Any) -> str:
    if not re.fullmatch(r"[A-Za-z0-9]{0,32}", _str(key, value)):
        raise ConfigError(f"{key}: Token 应为不超过 32 位的英文字母或数字（实际长度 {len(value)}）")
    return value


def _aes_key(key: str, value: Any) -> str:
    if _str(key, value) and not re.fullmatch(r"[A-Za-z0-9]{43}", value):
        raise ConfigError(f"{key}: EncodingAESKey 应为 43 位英文字母或数字（实际长度 {len(value)}）")
    return value


ESCALATE_TO = ("auto", "secretary", "group")


def _escalate_to(key: str, value: Any) -> str:
    if value not in ESCALATE_TO:
        raise ConfigError(f"{key}: 应为 {', '.join(ESCALATE_TO)} 之一（实际为 {value!r}）")
    return value


def _http_url(key: str, value: Any) -> str:
    if not re.fullmatch(r"https?://[^\s/]+/\S*", _str(key, value)):
        raise ConfigError(f"{key}: 应为 http:// 或 https:// 开头的网址（实际为 {value!r}）")
    return value


def _dates(key: str, value: Any) -> tuple[dt.date, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{key}: 应为日期列表，例如 [\"2026-12-31\"]")
    try:
        return tuple(v if isinstance(v, dt.date) else dt.date.fromisoformat(v) for v in value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}: 含有无法识别的日期（应为 YYYY-MM-DD）") from None


KEYS = {
    ("database", "path"): ("database_path", _nonempty),
    ("channel", "kind"): ("channel", _channel),
    ("web", "host"): ("web_host", _nonempty),
    ("web", "port"): ("web_port", _int(1, 65535)),
    ("web", "secret_key"): ("secret_key", _str),
    ("web", "session_hours"): ("session_hours", _int(1, 24 * 30)),
    ("reading", "off_work"): ("off_work", _time),
    ("reading", "default_deadline_days"): ("default_deadline_days", _int(0, 365)),
    ("calendar", "extra_holidays"): ("extra_holidays", _dates),
    ("calendar", "extra_workdays"): ("extra_workdays", _dates),
    ("replies", "ack_claims"): ("ack_claims", _bool),
    ("replies", "max_text_chars"): ("max_text_chars", _int(10, 100_000)),
    ("wecom", "corp_id"): ("wecom_corp_id", _str),
    ("wecom", "token"): ("wecom_token", _token),
    ("wecom", "encoding_aes_key"): ("wecom_encoding_aes_key", _aes_key),
    ("wecom", "callback_window_seconds"): ("callback_window_seconds", _int(10, 86_400)),
    ("wecom", "media_dir"): ("media_dir", _nonempty),
    ("wecom", "agent_id"): ("wecom_agent_id", _int(0, 2**31 - 1)),
    ("wecom", "secret"): ("wecom_secret", _str),
    ("wecom", "api_base_url"): ("wecom_api_base_url", _http_url),
    ("wecom", "personal_cards"): ("personal_cards", _bool),
    ("aibot", "token"): ("aibot_token", _token),
    ("aibot", "encoding_aes_key"): ("aibot_encoding_aes_key", _aes_key),
    ("schedule", "claim_reminder"): ("schedule_claim_reminder", _bool),
    ("schedule", "claim_after_minutes"): ("schedule_claim_after_minutes", _int(1, 7 * 24 * 60)),
    ("schedule", "due_reminder"): ("schedule_due_reminder", _bool),
    ("schedule", "due_before_minutes"): ("schedule_due_before_minutes", _int(1, 7 * 24 * 60)),
    ("schedule", "due_day_at"): ("schedule_due_day_at", _time),
    ("schedule", "overdue_notice"): ("schedule_overdue_notice", _bool),
    ("schedule", "overdue_day_at"): ("schedule_overdue_day_at", _time),
    ("schedule", "escalation"): ("schedule_escalation", _bool),
    ("schedule", "escalation_at"): ("schedule_escalation_at", _time),
    ("schedule", "escalate_to"): ("schedule_escalate_to", _escalate_to),
    ("schedule", "quiet_start"): ("schedule_quiet_start", _time),
    ("schedule", "quiet_end"): ("schedule_quiet_end", _time),
    ("schedule", "weekly_summary"): ("schedule_weekly_summary", _bool),
    ("schedule", "weekly_at"): ("schedule_weekly_at", _time),
    ("schedule", "monthly_bulletin"): ("schedule_monthly_bulletin", _bool),
    ("schedule", "monthly_at"): ("schedule_monthly_at", _time),
    ("schedule", "rankings"): ("schedule_rankings", _bool),
    ("schedule", "recurring_at"): ("schedule_recurring_at", _time),
    ("schedule", "catch_up_days"): ("schedule_catch_up_days", _int(1, 60)),
    ("schedule", "chart_dir"): ("schedule_chart_dir", _nonempty),
}

# Secrets may come from the environment instead of the file (the environment wins).
ENV_KEYS = {
    ("wecom", "secret"): "GRIDBOT_WECOM_SECRET",
    ("wecom", "token"): "GRIDBOT_WECOM_TOKEN",
    ("wecom", "encoding_aes_key"): "GRIDBOT_WECOM_ENCODING_AES_KEY",
    ("aibot", "token"): "GRIDBOT_AIBOT_TOKEN",
    ("aibot", "encoding_aes_key"): "GRIDBOT_AIBOT_ENCODING_AES_KEY",
}


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Build settings from parsed TOML, refusing unknown or bad keys."""
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{section}: 应为一个 [{section}] 小节")
        for key, value in table.items():
            name = f"{section}.{key}"
            if (section, key) not in KEYS:
                raise ConfigError(f"{name}: 未知的配置项")
            attr, parse = KEYS[(section, key)]
            values[attr] = parse(name, value)
    for (section, key), variable in ENV_KEYS.items():
        if os.environ.get(variable):
            attr, parse = KEYS[(section, key)]
            values[attr] = parse(f"{variable}（{section}.{key}）", os.environ[variable])
    return Settings(**values)


def load_settings(path: str | Path | None) -> Settings:
    """Load settings from a TOML file, or the embedded defaults when path is None."""
    if path is None:
        return settings_from_dict({})
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"配置文件不存在：{path}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"配置文件 {path} 不是合法的 TOML：{e}") from None
    return settings_from_dict(data)
