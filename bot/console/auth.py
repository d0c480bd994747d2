"""Login, logout and the guard every console page goes through (session, role, CSRF, presence).

Anonymous GETs are redirected to the login page; anything else anonymous gets 401, a wrong role 403,
and a POST without this session's CSRF token 403. The login form itself is protected by a
double-submit token in a short-lived cookie, since there is no session yet.
"""
from __future__ import annotations

import functools
import hmac
import os
import secrets
from typing import Awaitable, Callable, Optional
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.accounts import ROLES, account_by_id, authenticate
from bot.app_keys import GATEWAY
from bot.console.keys import ACCOUNT, FORM, SESSION, THROTTLE
from bot.console.rendering import ConsoleError, error_page, render
from bot.console.sessions import SESSION_LIFETIME, create_session, end_session, load_session
from bot.console.throttle import WINDOW_S
from bot.handoff import Account

COOKIE = "passage_console"
LOGIN_COOKIE = "passage_login"
STAFF = ("supervisor", "admin")
View = Callable[[web.Request], Awaitable[web.StreamResponse]]


def engine(request: web.Request) -> AsyncEngine:
    return request.app[GATEWAY].store.engine


def current_account(request: web.Request) -> Account:
    return request[ACCOUNT]


def form_value(request: web.Request, name: str, limit: int = 8000) -> str:
    """A text field of the (already CSRF-checked) form; too long is refused rather than cut."""
    value = request[FORM].get(name, "")
    if not isinstance(value, str):
        raise ConsoleError(400, f"'{name}' must be a text field")
    if len(value) > limit:
        raise ConsoleError(400, f"'{name}' must be at most {limit} characters")
    return value


def _secure_cookies(request: web.Request) -> bool:
    # PASSAGE_CONSOLE_SECURE_COOKIE=1 behind a TLS-terminating proxy, where request.secure is False
    return request.secure or os.environ.get("PASSAGE_CONSOLE_SECURE_COOKIE") == "1"


def _tokens_match(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def console_view(roles: tuple[str, ...] = ROLES, redirect_anonymous: bool = True) -> Callable[[View], View]:
    """Wraps a console handler: logged-in account with one of `roles`, CSRF on POST, errors as pages."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            try:
                session = await load_session(engine(request), request.cookies.get(COOKIE))
                account = await account_by_id(engine(request), session.account_id) if session else None
                if session is None or account is None:
                    if redirect_anonymous and request.method == "GET":
                        raise web.HTTPFound(f"/console/login?next={quote(request.path_qs, safe='/')}")
                    raise ConsoleError(401, "you are not logged in (or your session has expired): log in at /console/login")
                request[SESSION] = session
                request[ACCOUNT] = account
                if account.role not in roles:
                    raise ConsoleError(403, "this page is for supervisors and admins only")
                if request.method == "POST":
                    form = await request.post()
                    if not _tokens_match(form.get("csrf_token"), session.csrf_token):
                        raise ConsoleError(403, "the form's security token is missing or wrong: reload the page and try again")
                    request[FORM] = form
                await request.app[GATEWAY].handoffs.mark_seen(account.id)
                return await view(request)
            except ConsoleError as error:
                return error_page(request, error)

        return wrapper

    return decorate


def redirect(location: str) -> web.Response:
    """A 303 after a form, so reloading the next page does not send the form again."""
    return web.Response(status=303, headers={"Location": location})


def _safe_next(target: Optional[str]) -> str:
    """Only console paths, so the login page cannot be used to send someone elsewhere."""
    if target and target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console"


def _login_page(request: web.Request, token: str, error: str = "", status: int = 200, username: str = "") -> web.Response:
    response = render(
        request, "login.html", {"login_token": token, "error": error, "next": _safe_next(request.query.get("next")), "username": username}, status=status
    )
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=WINDOW_S, path="/console/login", httponly=True, samesite="Strict", secure=_secure_cookies(request)
    )
    return response


async def login_form(request: web.Request) -> web.Response:
    return _login_page(request, request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32))


async def login(request: web.Request) -> web.Response:
    """Checks the password; five failures per username (or twenty per address) in 15 minutes → 429."""
    form = await request.post()
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not _tokens_match(form.get("login_token"), expected):
        return error_page(request, ConsoleError(403, "the login form's security token is missing or wrong: reload the login page and try again"))
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))[:1024]
    address = request.remote or "unknown"
    throttle = request.app[THROTTLE]
    if await throttle.blocked(username, address):
        return _login_page(request, expected, "too many failed logins: wait 15 minutes and try again, or ask an admin", status=429, username=username)
    account = await authenticate(engine(request), username, password) if username and password else None
    if account is None:
        await throttle.failed(username, address)
        return _login_page(request, expected, "wrong username or password", status=401, username=username)
    await throttle.succeeded(username)
    token, _ = await create_session(engine(request), account.id)
    response = redirect(_safe_next(str(form.get("next", ""))))
    response.set_cookie(
        COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), path="/console", httponly=True, samesite="Strict", secure=_secure_cookies(request)
    )
    response.del_cookie(LOGIN_COOKIE, path="/console/login")
    return response


@console_view(redirect_anonymous=False)
async def logout(request: web.Request) -> web.Response:
    await end_session(engine(request), request.cookies.get(COOKIE))
    response = redirect("/console/login")
    response.del_cookie(COOKIE, path="/console")
    return response
