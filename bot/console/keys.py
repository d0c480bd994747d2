"""Typed keys for what the console keeps on the application and on each request."""
from __future__ import annotations

import asyncio

import jinja2
from aiohttp import web

from bot.console.throttle import LoginThrottle

JINJA = web.AppKey("console_jinja", jinja2.Environment)
THROTTLE = web.AppKey("console_throttle", LoginThrottle)
CLOSING = web.AppKey("console_closing", asyncio.Event)  # set on shutdown: live event streams end

ACCOUNT = "console_account"  # request keys (aiohttp's request mapping takes strings)
SESSION = "console_session"
FORM = "console_form"
