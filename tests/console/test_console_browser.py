"""The whole handoff in two real browsers: a web-chat user asks for a human, a counsellor answers.

Playwright drives Debian's Chromium (never a downloaded browser: `playwright install` is not used).
The gateway is the real application on a free 127.0.0.1 port, with the fake Rasa behind it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from aiohttp import web

from bot.accounts import create_account
from bot.app import create_app
from bot.app_keys import GATEWAY
from tests.console.helpers import PASSWORD

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
ARABIC = "مرحبا، أريد أن أعرف ما هي حقوقي في فرنسا"
REPLY = "Hello, I am Amina, a counsellor. I have read your messages. How can I help?"


def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.skip("no Chromium found: install Debian's package (apt-get install chromium); `playwright install` is not used")
    return path


@pytest.fixture
async def gateway(settings):
    app = create_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    await create_account(app[GATEWAY].store.engine, "amina", PASSWORD, "counsellor", ["en", "ar"], [], display_name="Amina")
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_a_user_reaches_a_counsellor_and_comes_back_to_the_bot(gateway: str) -> None:
    executable = chromium()
    from playwright.async_api import async_playwright, expect

    expect.set_options(timeout=15_000)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            console = await (await browser.new_context(viewport={"width": 1360, "height": 1000})).new_page()
            user = await (await browser.new_context(viewport={"width": 420, "height": 800})).new_page()

            # The counsellor logs in and waits on the (empty) live queue.
            await console.goto(f"{gateway}/console")
            await expect(console).to_have_url(f"{gateway}/console/login?next=/console")
            await console.fill("input[name=username]", "amina")
            await console.fill("input[name=password]", PASSWORD)
            await console.click("button:has-text('Log in')")
            await expect(console.locator("#queue")).to_contain_text("No one is waiting")

            # The user writes in Arabic, then asks for a human.
            await user.goto(f"{gateway}/")
            await user.fill("#text", ARABIC)
            await user.press("#text", "Enter")
            await expect(user.locator(".msg.bot").last).to_contain_text("echo:")
            await user.fill("#text", "I want a counsellor")
            await user.press("#text", "Enter")
            await expect(user.locator("#log")).to_contain_text("A counsellor will join")

            # The queue updates by itself (Server-Sent Events), the counsellor opens and claims.
            row = console.locator("table.queue tr[data-handoff]")
            await expect(row).to_have_count(1)
            await row.locator("a").click()
            await console.click("button:has-text('Claim this handoff')")
            arabic = console.locator("li.msg.user", has_text=ARABIC)
            await expect(arabic).to_have_attribute("lang", "ar")
            await expect(arabic).to_have_attribute("dir", "auto")
            assert await arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
            await expect(console.locator("ol.transcript")).to_contain_text("I want a counsellor")

            # The reply reaches the web chat through its polling.
            await console.fill("#reply-text", REPLY)
            await console.click("button:has-text('Send reply')")
            await expect(console.locator("li.msg.counsellor")).to_contain_text(REPLY)
            await expect(user.locator(".msg.counsellor")).to_contain_text(REPLY)
            await user.fill("#text", "شكرا جزيلا")
            await user.press("#text", "Enter")
            await expect(console.locator("ol.transcript")).to_contain_text("شكرا جزيلا")  # live on the console

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            await console.screenshot(path=str(ARTIFACTS / "console.png"), full_page=True)

            # Closing hands the user back to the bot.
            await console.select_option("select[name=outcome]", "information_given")
            await console.click("button:has-text('Close')")
            await expect(console).to_have_url(f"{gateway}/console")
            await expect(user.locator("#log")).to_contain_text("Passage", timeout=15_000)
            await user.fill("#text", "what about Senegal")
            await user.press("#text", "Enter")
            await expect(user.locator(".msg.bot").last).to_contain_text("echo: what about Senegal")
            await user.screenshot(path=str(ARTIFACTS / "web_chat.png"))
        finally:
            await browser.close()
