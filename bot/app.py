"""The gateway's aiohttp application factory."""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, AsyncIterator, Awaitable, Callable, Optional

from aiohttp import web

from bot import language, mail, plans, web_chat
from bot.app_keys import GATEWAY, SETTINGS
from bot.channels import setup_channels
from bot.console import setup_console
from bot.consular import ConsularReferrals
from bot.conversation import Gateway
from bot.db import create_schema, make_engine
from bot.events import EventBus, RedisEventBus
from bot.handoff import Handoffs
from bot.log_privacy import quiet_third_party_loggers
from bot.rasa_client import RasaClient
from bot.rate_limit import RateLimiter
from bot.settings import Settings
from bot.sliding_window import MemoryWindow, RedisWindow, SlidingWindow
from bot.store import Store


async def _every(seconds: float, job: Callable[[], Awaitable[Any]], name: str) -> None:
    """Runs a background job forever; a failure is logged by class only and retried next time."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await job()
        except Exception as error:  # keep the gateway serving; the log says which job failed
            logger.error("background job %s failed: %s", name, type(error).__name__)


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})

logger = logging.getLogger(__name__)


@web.middleware
async def _json_errors(request: web.Request, handler):  # type: ignore[no-untyped-def]
    """A 4xx with a reason for every client error, in JSON on the API."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if request.path.startswith("/api/") and error.status >= 400:
            return web.json_response({"error": error.reason}, status=error.status)
        raise


def shared_redis(settings: Settings) -> Optional[Any]:
    """The Redis client several gateways share state through (none by default); it connects lazily."""
    if not settings.redis_url:
        return None
    import redis.asyncio as redis

    return redis.from_url(settings.redis_url)


async def build_gateway(settings: Settings, redis_client: Optional[Any] = None) -> tuple[Gateway, Callable[[], Awaitable[None]]]:
    """The gateway and its resources (database, Rasa client, event bus), and how to close them."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    await create_schema(engine)
    rasa = RasaClient(list(settings.rasa_urls) or settings.rasa_url, settings.rasa_token, settings.rasa_timeout_s)
    own_redis = redis_client is None
    redis_client = shared_redis(settings) if own_redis else redis_client
    events: EventBus = EventBus()
    window: SlidingWindow = MemoryWindow(60.0)
    if redis_client is not None:
        events = RedisEventBus(redis_client)
        await events.start()
        window = RedisWindow(redis_client, "passage:rate", 60.0)
    handoffs = Handoffs(engine, events, tracker_event=rasa.append_event)
    gateway = Gateway(
        Store(engine),
        rasa,
        handoffs,
        settings.pseudonym_secret,
        settings.max_message_chars,
        settings.office_hours(),
        rate_limiter=RateLimiter(settings.rate_limit_per_minute, window),
        organisation=settings.organisation,
        retention_days=settings.retention_days,
        consular=ConsularReferrals(engine, mail.SmtpConfig.from_env(os.environ)),
    )

    async def close() -> None:
        await events.close()
        await rasa.close()
        await engine.dispose()
        if own_redis and redis_client is not None:
            await redis_client.close(close_connection_pool=True)  # redis-py 4 keeps from_url pools open otherwise

    return gateway, close


def create_app(settings: Optional[Settings] = None) -> web.Application:
    settings = settings or Settings.from_env()
    quiet_third_party_loggers()
    app = web.Application(middlewares=[_json_errors], client_max_size=web_chat.MAX_BODY_BYTES)
    app[SETTINGS] = settings
    redis_client = shared_redis(settings)

    async def resources(app: web.Application) -> AsyncIterator[None]:
        await asyncio.to_thread(language.warm_up)
        gateway, close = await build_gateway(settings, redis_client)
        app[GATEWAY] = gateway
        workers = [
            asyncio.create_task(_every(settings.inbox_retry_s, gateway.drain_inbox, "inbox")),
            asyncio.create_task(_every(3600, lambda: gateway.purge_older_than(settings.retention_days), "retention")),
        ]
        yield
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await close()
        if redis_client is not None:
            await redis_client.close(close_connection_pool=True)  # redis-py 4 keeps from_url pools open otherwise

    app.cleanup_ctx.append(resources)
    channels = setup_channels(app, settings)
    logger.info("channels on: %s", ", ".join(["web", *channels]))
    app.router.add_get("/healthz", _health)
    web_chat.add_routes(app)
    plans.add_routes(app)
    setup_console(app, redis_client)
    return app
