"""Channel configuration: off when absent, an error naming the variable when half-set."""
from __future__ import annotations

import pytest

from bot.app import create_app
from bot.channels import setup_channels
from bot.channels.config import ChannelConfigError, from_env
from bot.settings import SettingsError

WHATSAPP = {
    "PASSAGE_WHATSAPP_TOKEN": "t",
    "PASSAGE_WHATSAPP_PHONE_NUMBER_ID": "1",
    "PASSAGE_WHATSAPP_VERIFY_TOKEN": "v",
    "PASSAGE_WHATSAPP_APP_SECRET": "s",
}


def test_no_credentials_means_no_channels(settings) -> None:
    assert setup_channels(create_app(settings), settings, {}) == []


def test_both_channels_on(settings) -> None:
    assert setup_channels(create_app(settings), settings, {"PASSAGE_TELEGRAM_TOKEN": "1:x", **WHATSAPP}) == ["telegram (polling)", "whatsapp"]


def test_webhook_mode_without_a_secret_names_it() -> None:
    with pytest.raises(ChannelConfigError, match="PASSAGE_TELEGRAM_WEBHOOK_SECRET and PASSAGE_PUBLIC_URL"):
        from_env({"PASSAGE_TELEGRAM_TOKEN": "1:x", "PASSAGE_TELEGRAM_MODE": "webhook"})
    with pytest.raises(ChannelConfigError, match="16-256 characters"):
        from_env({"PASSAGE_TELEGRAM_TOKEN": "1:x", "PASSAGE_TELEGRAM_MODE": "webhook", "PASSAGE_TELEGRAM_WEBHOOK_SECRET": "short", "PASSAGE_PUBLIC_URL": "https://x.org"})
    with pytest.raises(ChannelConfigError, match="'polling' or 'webhook'"):
        from_env({"PASSAGE_TELEGRAM_TOKEN": "1:x", "PASSAGE_TELEGRAM_MODE": "push"})


def test_half_configured_whatsapp_names_what_is_missing() -> None:
    partial = {k: v for k, v in WHATSAPP.items() if k != "PASSAGE_WHATSAPP_APP_SECRET"}
    with pytest.raises(SettingsError, match="set PASSAGE_WHATSAPP_APP_SECRET"):
        from_env(partial)


def test_defaults() -> None:
    config = from_env({"PASSAGE_TELEGRAM_TOKEN": "1:x", **WHATSAPP})
    assert config.telegram and config.telegram.api_url == "https://api.telegram.org" and config.telegram.mode == "polling"
    assert config.whatsapp and config.whatsapp.api_url.startswith("https://graph.facebook.com/")
