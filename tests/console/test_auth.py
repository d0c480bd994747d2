"""Login, sessions, throttling, CSRF and roles, as a browser meets them."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.app_keys import GATEWAY
from bot.console.sessions import console_sessions
from bot.db import utcnow
from tests.console.helpers import PASSWORD, add_account, chat, csrf, logged_in, login, login_token, only_handoff_id, submit


async def test_login_sets_a_strict_http_only_session_cookie_and_opens_the_queue(client) -> None:
    await add_account(client, "amelie", ["fr"])
    response = await login(client, "amelie")
    assert response.status == 303
    assert response.headers["Location"] == "/console"
    cookie = response.cookies["passage_console"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/console"
    page = await client.get("/console")
    assert page.status == 200
    assert "Amelie" in await page.text()


async def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client) -> None:
    await add_account(client, "amelie", ["fr"])
    response = await login(client, "amelie", "not the password at all")
    assert response.status == 401
    assert "wrong username or password" in await response.text()
    unknown = await login(client, "nobody", PASSWORD)
    assert unknown.status == 401
    assert "passage_console" not in unknown.cookies


async def test_five_failures_block_the_username_even_with_the_right_password(client) -> None:
    await add_account(client, "amelie", ["fr"])
    for _ in range(5):
        assert (await login(client, "amelie", "guess guess guess")).status == 401
    blocked = await login(client, "amelie", PASSWORD)
    assert blocked.status == 429
    assert "too many failed logins" in await blocked.text()
    await add_account(client, "rahim", ["bn"])
    assert (await login(client, "rahim")).status == 303  # other people can still log in


async def test_login_form_without_its_token_is_refused(client) -> None:
    await add_account(client, "amelie", ["fr"])
    await login_token(client)
    response = await client.post("/console/login", data={"username": "amelie", "password": PASSWORD}, allow_redirects=False)
    assert response.status == 403
    wrong = await client.post("/console/login", data={"login_token": "forged", "username": "amelie", "password": PASSWORD}, allow_redirects=False)
    assert wrong.status == 403


async def test_anonymous_visitors_are_sent_to_the_login_page_or_refused(client) -> None:
    page = await client.get("/console/handoffs/1", allow_redirects=False)
    assert page.status == 302
    assert page.headers["Location"] == "/console/login?next=/console/handoffs/1"
    assert (await client.get("/console/events")).status == 401
    assert (await client.get("/console/queue")).status == 401
    assert (await client.post("/console/handoffs/1/claim", data={"csrf_token": "x"})).status == 401


async def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client) -> None:
    await add_account(client, "amelie", ["fr"])
    assert (await login(client, "amelie", next_url="/console/figures")).headers["Location"] == "/console/figures"
    assert (await login(client, "amelie", next_url="//evil.example/console")).headers["Location"] == "/console"
    assert (await login(client, "amelie", next_url="https://evil.example/")).headers["Location"] == "/console"


async def test_post_without_or_with_a_wrong_csrf_token_is_forbidden(client) -> None:
    await chat(client, "u1", "I want a counsellor")
    handoff_id = await only_handoff_id(client)
    await logged_in(client, "sam", ["en"])
    missing = await client.post(f"/console/handoffs/{handoff_id}/claim", data={}, allow_redirects=False)
    assert missing.status == 403
    assert "security token" in await missing.text()
    wrong = await client.post(f"/console/handoffs/{handoff_id}/claim", data={"csrf_token": "not-it"}, allow_redirects=False)
    assert wrong.status == 403
    handoff = await client.app[GATEWAY].handoffs.active(client.app[GATEWAY].conversation_id("web", "u1"))
    assert handoff.status == "waiting"  # nothing happened


async def test_counsellors_cannot_open_the_figures(client) -> None:
    await logged_in(client, "sam", ["en"])
    for path in ("/console/figures", "/console/figures.csv", "/console/figures/weekly.svg"):
        response = await client.get(path)
        assert response.status == 403, path


async def test_logout_ends_the_session_on_the_server(client) -> None:
    await logged_in(client, "sam", ["en"])
    old_cookie = client.session.cookie_jar.filter_cookies(client.make_url("/console"))["passage_console"].value
    response = await submit(client, "/console/logout", {})
    assert response.status == 303
    client.session.cookie_jar.update_cookies({"passage_console": old_cookie})
    assert (await client.get("/console", allow_redirects=False)).status == 302  # the stolen cookie is worthless


async def test_an_expired_session_asks_for_a_new_login(client) -> None:
    await logged_in(client, "sam", ["en"])
    async with client.app[GATEWAY].store.engine.begin() as connection:
        await connection.execute(update(console_sessions).values(expires_at=utcnow() - timedelta(minutes=1)))
    assert (await client.get("/console", allow_redirects=False)).status == 302


async def test_console_pages_forbid_framing_and_caching(client) -> None:
    await logged_in(client, "sam", ["en"])
    response = await client.get("/console")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert await csrf(client)
