"""Return-preparation plans (PDF) the action server wrote: served by token, deleted with the conversation.

The action server writes var/plans/<token>.pdf and links /plans/<token>.pdf in its message. The
token is unguessable (22 URL-safe characters); the gateway notes which conversation a token belongs
to, so deletion on request and the retention limit remove the file too.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from aiohttp import web
from sqlalchemy import Column, ForeignKey, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import metadata
from bot.settings import ROOT

TOKEN = re.compile(r"/plans/([A-Za-z0-9_-]{22})\.pdf")

plan_files = Table(
    "plan_files",
    metadata,
    Column("token", String(22), primary_key=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True, nullable=False),
)


def plans_dir() -> Path:
    return Path(os.environ.get("PASSAGE_PLANS_DIR", ROOT / "var" / "plans"))


async def remember(engine: AsyncEngine, conversation_id: str, texts: list[str]) -> None:
    tokens = {token for text in texts for token in TOKEN.findall(text)}
    if tokens:
        async with engine.begin() as connection:
            for token in tokens:
                await connection.execute(insert(plan_files).values(token=token, conversation_id=conversation_id))


async def delete_files(engine: AsyncEngine, conversation_id: str) -> None:
    async with engine.connect() as connection:
        tokens = [row[0] for row in await connection.execute(select(plan_files.c.token).where(plan_files.c.conversation_id == conversation_id))]
    for token in tokens:
        (plans_dir() / f"{token}.pdf").unlink(missing_ok=True)


async def serve_plan(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    if not re.fullmatch(r"[A-Za-z0-9_-]{22}", token):
        raise web.HTTPNotFound(reason="no such plan")
    path = plans_dir() / f"{token}.pdf"
    if not path.is_file():
        raise web.HTTPNotFound(reason="no such plan (it may have been deleted)")
    return web.FileResponse(path, headers={"Content-Type": "application/pdf", "Cache-Control": "no-store"})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/plans/{token}.pdf", serve_plan)
