"""Settings load from TOML into a frozen dataclass; a bad value fails naming its key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).parent.parent


def test_embedded_defaults_are_a_sqlite_file_and_the_local_channel():
    settings = load_settings(None)
    assert settings.database_path.startswith("data/") and settings.channel == "local"


def test_example_config_documents_every_key_with_the_default_values():
    example = load_settings(ROOT / "config.example.toml")
    assert example == Settings()


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_settings(None).channel = "wecom"


@pytest.mark.parametrize("toml,key", [
    ("[web]\nport = 70000", "web.port"),
    ("[web]\nport = \"80\"", "web.port"),
    ("[reading]\noff_work = \"五点半\"", "reading.off_work"),
    ("[channel]\nkind = \"wechat\"", "channel.kind"),
    ("[calendar]\nextra_holidays = [\"2024-13-01\"]", "calendar.extra_holidays"),
    ("[replies]\nack_claims = \"yes\"", "replies.ack_claims"),
    ("[database]\npath = \"\"", "database.path"),
    ("[database]\npaht = \"x.db\"", "database.paht"),
])
def test_a_bad_value_fails_at_start_naming_the_key(tmp_path, toml, key):
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as failed:
        load_settings(path)
    assert str(failed.value).startswith(key)


def test_broken_toml_and_missing_file_are_named(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[web\nport=1", encoding="utf-8")
    with pytest.raises(ConfigError, match="config.toml"):
        load_settings(path)
    with pytest.raises(ConfigError, match="nothere.toml"):
        load_settings(tmp_path / "nothere.toml")


def test_values_are_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[reading]\noff_work = "18:00"\n[calendar]\nextra_holidays = ["2024-12-31"]\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.off_work == "18:00"
    assert str(settings.extra_holidays[0]) == "2024-12-31"
