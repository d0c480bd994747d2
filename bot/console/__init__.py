"""The counsellors' web console, served by the gateway under /console.

Server-rendered pages (aiohttp-jinja2, autoescaped) and a little vanilla JavaScript; no build step.
`setup_console(app)` is called by create_app after the gateway's own resources are registered,
because the console's cleanup context uses the gateway's handoff service and event bus.
"""
from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Optional

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.console import auth, figures_views, handoff_views, queue_views
from bot.console.keys import CLOSING, JINJA, THROTTLE
from bot.console.notify import NotifyConfig, console_notifications, notifications  # noqa: F401  (the table, too)
from bot.console.rendering import security_headers
from bot.console.sessions import console_sessions  # noqa: F401  (registers the table with bot.db.metadata)
from bot.console.throttle import WINDOW_S, LoginThrottle
from bot.sliding_window import RedisWindow

HERE = Path(__file__).parent
HANDOFF = r"/console/handoffs/{handoff_id:\d{1,9}}"


async def _end_streams(app: web.Application) -> None:
    """on_shutdown: open event streams end now instead of holding the shutdown for their timeout."""
    app[CLOSING].set()


def setup_console(app: web.Application, redis_client: Optional[Any] = None) -> None:
    """`redis_client` (several gateways) makes the login throttle count across all of them."""
    aiohttp_jinja2.setup(
        app, app_key=JINJA, loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    app[THROTTLE] = LoginThrottle(RedisWindow(redis_client, "passage:login", WINDOW_S) if redis_client is not None else None)
    app[CLOSING] = asyncio.Event()
    app.on_shutdown.append(_end_streams)
    app.on_response_prepare.append(security_headers)
    app.cleanup_ctx.append(notifications(NotifyConfig.from_env(os.environ)))

    router = app.router
    router.add_get("/console/login", auth.login_form)
    router.add_post("/console/login", auth.login)
    router.add_post("/console/logout", auth.logout)
    router.add_get("/console", queue_views.queue_page)
    router.add_get("/console/queue", queue_views.queue_fragment)
    router.add_get("/console/events", queue_views.events)
    router.add_get(HANDOFF, handoff_views.handoff_page)
    router.add_get(HANDOFF + "/transcript", handoff_views.transcript_fragment)
    router.add_post(HANDOFF + "/claim", handoff_views.claim)
    router.add_post(HANDOFF + "/reply", handoff_views.reply)
    router.add_post(HANDOFF + "/note", handoff_views.note)
    router.add_post(HANDOFF + "/transfer", handoff_views.transfer)
    router.add_post(HANDOFF + "/close", handoff_views.close)
    router.add_get("/console/figures", figures_views.figures_page)
    router.add_get("/console/figures.csv", figures_views.figures_csv)
    router.add_get("/console/figures/weekly.svg", figures_views.weekly_chart)
    router.add_static("/console/static", HERE / "static")
