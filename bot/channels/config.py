"""Channel credentials, only from environment variables, checked at start-up.

A channel whose credentials are all absent is off; one that is half-configured is an error whose message
names the missing variables, so a deployment never runs with a channel silently disabled.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping, Optional

from bot.settings import SettingsError

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # Telegram allows 1-256 of these; we want 16+


class ChannelConfigError(SettingsError):
    """A channel is partly configured; the message names the variables to set."""


@dataclass(frozen=True)
class TelegramConfig:
    token: str  # PASSAGE_TELEGRAM_TOKEN: from @BotFather; enables the channel
    mode: str = "polling"  # PASSAGE_TELEGRAM_MODE: polling (default, needs only the token) or webhook
    webhook_secret: str = ""  # PASSAGE_TELEGRAM_WEBHOOK_SECRET: required in webhook mode
    public_url: str = ""  # PASSAGE_PUBLIC_URL: https base the webhook is registered under
    api_url: str = "https://api.telegram.org"  # PASSAGE_TELEGRAM_API_URL: a local Bot API server or a test fake
    poll_timeout_s: float = 10.0  # PASSAGE_TELEGRAM_POLL_TIMEOUT: long-polling wait per request

    @property
    def webhook_url(self) -> str:
        return f"{self.public_url}/telegram/webhook"


@dataclass(frozen=True)
class WhatsAppConfig:
    token: str  # PASSAGE_WHATSAPP_TOKEN: a system-user access token of the Meta app
    phone_number_id: str  # PASSAGE_WHATSAPP_PHONE_NUMBER_ID: the sending number's id (not the number)
    verify_token: str  # PASSAGE_WHATSAPP_VERIFY_TOKEN: chosen by you, typed into the webhook settings
    app_secret: str  # PASSAGE_WHATSAPP_APP_SECRET: signs every webhook POST (X-Hub-Signature-256)
    api_url: str = "https://graph.facebook.com/v21.0"  # PASSAGE_WHATSAPP_API_URL: Graph API base with version


@dataclass(frozen=True)
class ChannelsConfig:
    telegram: Optional[TelegramConfig]
    whatsapp: Optional[WhatsAppConfig]


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "")
    try:
        return float(raw) if raw else default
    except ValueError as error:
        raise ChannelConfigError(f"{name} must be a number of seconds, got {raw!r}") from error


def telegram_from_env(env: Mapping[str, str]) -> Optional[TelegramConfig]:
    token = env.get("PASSAGE_TELEGRAM_TOKEN", "").strip()
    if not token:
        return None
    mode = env.get("PASSAGE_TELEGRAM_MODE", "polling").strip().lower() or "polling"
    if mode not in ("polling", "webhook"):
        raise ChannelConfigError(f"PASSAGE_TELEGRAM_MODE must be 'polling' or 'webhook', got {mode!r}")
    secret = env.get("PASSAGE_TELEGRAM_WEBHOOK_SECRET", "").strip()
    public_url = env.get("PASSAGE_PUBLIC_URL", "").strip().rstrip("/")
    if mode == "webhook":
        missing = [name for name, value in (("PASSAGE_TELEGRAM_WEBHOOK_SECRET", secret), ("PASSAGE_PUBLIC_URL", public_url)) if not value]
        if missing:
            raise ChannelConfigError(f"Telegram webhook mode needs {' and '.join(missing)} (or set PASSAGE_TELEGRAM_MODE=polling)")
        if not _SECRET_TOKEN.match(secret):
            raise ChannelConfigError("PASSAGE_TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`)")
        if not public_url.startswith(("https://", "http://")):
            raise ChannelConfigError(f"PASSAGE_PUBLIC_URL must start with https://, got {public_url!r}")
    return TelegramConfig(
        token=token,
        mode=mode,
        webhook_secret=secret,
        public_url=public_url,
        api_url=(env.get("PASSAGE_TELEGRAM_API_URL", "").strip() or "https://api.telegram.org").rstrip("/"),
        poll_timeout_s=_float(env, "PASSAGE_TELEGRAM_POLL_TIMEOUT", 10.0),
    )


def whatsapp_from_env(env: Mapping[str, str]) -> Optional[WhatsAppConfig]:
    names = ("PASSAGE_WHATSAPP_TOKEN", "PASSAGE_WHATSAPP_PHONE_NUMBER_ID", "PASSAGE_WHATSAPP_VERIFY_TOKEN", "PASSAGE_WHATSAPP_APP_SECRET")
    values = {name: env.get(name, "").strip() for name in names}
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ChannelConfigError(f"WhatsApp is partly configured: set {', '.join(missing)} (or unset all PASSAGE_WHATSAPP_* to switch it off)")
    return WhatsAppConfig(
        token=values["PASSAGE_WHATSAPP_TOKEN"],
        phone_number_id=values["PASSAGE_WHATSAPP_PHONE_NUMBER_ID"],
        verify_token=values["PASSAGE_WHATSAPP_VERIFY_TOKEN"],
        app_secret=values["PASSAGE_WHATSAPP_APP_SECRET"],
        api_url=(env.get("PASSAGE_WHATSAPP_API_URL", "").strip() or "https://graph.facebook.com/v21.0").rstrip("/"),
    )


def from_env(env: Optional[Mapping[str, str]] = None) -> ChannelsConfig:
    env = os.environ if env is None else env
    return ChannelsConfig(telegram=telegram_from_env(env), whatsapp=whatsapp_from_env(env))
