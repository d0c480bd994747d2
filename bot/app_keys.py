"""Typed keys for what lives on the aiohttp application."""
from __future__ import annotations

from aiohttp import web

from bot.conversation import Gateway
from bot.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
GATEWAY = web.AppKey("gateway", Gateway)
