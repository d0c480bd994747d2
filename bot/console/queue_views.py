"""The live queue: the page, the fragment it re-fetches, and the Server-Sent Events that trigger it.

Events carry only their kind and the handoff id, never text: the queue fragment itself is filtered
per counsellor (Handoffs.queue), so what an event reveals is at most that *something* changed.
"""
from __future__ import annotations

import asyncio
import json
import logging
from contextlib import suppress
from typing import Any

from aiohttp import web

from bot.app_keys import GATEWAY
from bot.console.auth import console_view, current_account
from bot.console.keys import CLOSING
from bot.console.rendering import render
from bot.console.timefmt import waited

logger = logging.getLogger(__name__)
HEARTBEAT_S = 15.0


async def _queue_context(request: web.Request) -> dict[str, Any]:
    account = current_account(request)
    handoffs = request.app[GATEWAY].handoffs
    rows = await handoffs.queue(account)
    for row in rows:
        row["waited"] = waited(row["created_at"])
        row["mine"] = row["assigned_to"] == account.id
    return {"handoffs": rows}


@console_view()
async def queue_page(request: web.Request) -> web.Response:
    return render(request, "queue.html", await _queue_context(request))


@console_view(redirect_anonymous=False)
async def queue_fragment(request: web.Request) -> web.Response:
    return render(request, "_queue.html", await _queue_context(request))


@console_view(redirect_anonymous=False)
async def events(request: web.Request) -> web.StreamResponse:
    """A text/event-stream of handoff events; a heartbeat comment keeps proxies and presence alive."""
    account = current_account(request)
    gateway = request.app[GATEWAY]
    closing = request.app[CLOSING]
    received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def pump() -> None:
        async for event in gateway.handoffs.events.subscribe():
            received.put_nowait(event)

    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"})
    await response.prepare(request)
    pumping = asyncio.create_task(pump())
    ending = asyncio.create_task(closing.wait())
    try:
        await response.write(b"retry: 3000\n: connected\n\n")
        while not closing.is_set():
            getting = asyncio.create_task(received.get())
            done, _ = await asyncio.wait({getting, ending}, timeout=HEARTBEAT_S, return_when=asyncio.FIRST_COMPLETED)
            if getting in done:
                event = getting.result()
                data = json.dumps({"kind": event.get("kind"), "handoff_id": event.get("handoff_id")})
                await response.write(f"event: {event.get('kind', 'message')}\ndata: {data}\n\n".encode())
                continue
            getting.cancel()
            if ending in done:
                break
            await response.write(b": heartbeat\n\n")
            await gateway.handoffs.mark_seen(account.id)
    except ConnectionError:
        pass  # the browser went away; it reconnects by itself if it comes back
    finally:
        for task in (pumping, ending):
            task.cancel()
        for task in (pumping, ending):
            with suppress(asyncio.CancelledError):
                await task
    return response
