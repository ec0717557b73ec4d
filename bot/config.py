"""Load settings from TOML into a frozen dataclass, checked at start."""

from __future__ import annotations

import datetime as dt
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


CHANNELS = ("local",)

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
    ("reading", "off_work"): ("off_work", _time),
    ("reading", "default_deadline_days"): ("default_deadline_days", _int(0, 365)),
    ("calendar", "extra_holidays"): ("extra_holidays", _dates),
    ("calendar", "extra_workdays"): ("extra_workdays", _dates),
    ("replies", "ack_claims"): ("ack_claims", _bool),
    ("replies", "max_text_chars"): ("max_text_chars", _int(10, 100_000)),
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
    return Settings(**values)


def load_settings(path: str | Path | None) -> Settings:
    """Load settings from a TOML file, or the embedded defaults when path is None."""
    if path is None:
        return Settings()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"配置文件不存在：{path}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"配置文件 {path} 不是合法的 TOML：{e}") from None
    return settings_from_dict(data)
