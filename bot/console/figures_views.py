"""/console/figures (supervisors and admins): the page, its chart and its CSV export."""
from __future__ import annotations

import asyncio

from aiohttp import web

from bot.app_keys import GATEWAY
from bot.console import figures as stats
from bot.console.auth import STAFF, console_view
from bot.console.chart import weekly_svg
from bot.console.rendering import render


@console_view(roles=STAFF)
async def figures_page(request: web.Request) -> web.Response:
    figures = await stats.load(request.app[GATEWAY].store.engine)
    return render(request, "figures.html", {"figures": figures, "duration": stats.duration})


@console_view(roles=STAFF)
async def figures_csv(request: web.Request) -> web.Response:
    figures = await stats.load(request.app[GATEWAY].store.engine)
    return web.Response(
        text=stats.to_csv(figures),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="passage-handoff-figures.csv"'},
    )


@console_view(roles=STAFF)
async def weekly_chart(request: web.Request) -> web.Response:
    figures = await stats.load(request.app[GATEWAY].store.engine)
    svg = await asyncio.get_running_loop().run_in_executor(None, weekly_svg, figures.weekly)
    return web.Response(text=svg, content_type="image/svg+xml", charset="utf-8")
