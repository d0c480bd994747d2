"""Rendering pages and error pages, and the headers every console response carries."""
from __future__ import annotations

from typing import Any, Mapping

import aiohttp_jinja2
from aiohttp import web

from bot.console.keys import ACCOUNT, JINJA, SESSION


class ConsoleError(Exception):
    """A request the console refuses; `message` is shown to the counsellor as it is (escaped)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def render(request: web.Request, template: str, context: Mapping[str, Any], status: int = 200) -> web.Response:
    """The template with the logged-in account and the CSRF token every form needs."""
    session = request.get(SESSION)
    base = {"account": request.get(ACCOUNT), "csrf_token": session.csrf_token if session else ""}
    return aiohttp_jinja2.render_template(template, request, {**base, **context}, status=status, app_key=JINJA)


def error_page(request: web.Request, error: ConsoleError) -> web.Response:
    return render(request, "error.html", {"status": error.status, "message": error.message}, status=error.status)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """No framing, no inline script, no caching of pages that show people's words."""
    if not request.path.startswith("/console"):
        return
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/console/static"):
        response.headers.setdefault("Cache-Control", "no-store")
