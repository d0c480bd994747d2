"""Shared steps for the console tests: accounts, login, forms, and chatting as a web user."""
from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from bot.accounts import create_account
from bot.app_keys import GATEWAY

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


async def add_account(client: TestClient, username: str, languages: list[str], role: str = "counsellor", countries: list[str] = ()) -> int:
    engine = client.app[GATEWAY].store.engine
    return await create_account(engine, username, PASSWORD, role, languages, list(countries), display_name=username.capitalize())


async def login_token(client: TestClient) -> str:
    page = await client.get("/console/login")
    assert page.status == 200
    return _LOGIN.search(await page.text()).group(1)


async def login(client: TestClient, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    token = await login_token(client)
    return await client.post(
        "/console/login", data={"login_token": token, "username": username, "password": password, "next": next_url}, allow_redirects=False
    )


async def logged_in(client: TestClient, username: str, languages: list[str], role: str = "counsellor", countries: list[str] = ()) -> int:
    account_id = await add_account(client, username, languages, role, countries)
    response = await login(client, username)
    assert response.status == 303, await response.text()
    return account_id


async def csrf(client: TestClient, path: str = "/console") -> str:
    page = await client.get(path)
    assert page.status == 200, await page.text()
    return _CSRF.search(await page.text()).group(1)


async def submit(client: TestClient, path: str, fields: dict[str, str], page: str = "/console") -> Any:
    """Posts a console form the way the browser does: with the CSRF token from a page."""
    return await client.post(path, data={"csrf_token": await csrf(client, page), **fields}, allow_redirects=False)


async def chat(client: TestClient, sender: str, text: str) -> dict:
    response = await client.post("/api/chat", json={"sender": sender, "text": text})
    assert response.status == 200
    return await response.json()


async def only_handoff_id(client: TestClient) -> int:
    from bot.handoff import Account

    supervisor = Account(0, "test", "test", "admin", (), ())
    (handoff,) = await client.app[GATEWAY].handoffs.queue(supervisor)
    return handoff["id"]
