"""The login throttle's window: failures older than 15 minutes no longer count."""
from bot.console.throttle import MAX_PER_ADDRESS, MAX_PER_USERNAME, WINDOW_S, LoginThrottle
from bot.sliding_window import MemoryWindow


async def test_failures_expire_after_the_window() -> None:
    now = [1000.0]
    throttle = LoginThrottle(MemoryWindow(WINDOW_S, clock=lambda: now[0]))
    for _ in range(MAX_PER_USERNAME):
        await throttle.failed("Amelie", "10.0.0.1")
    assert await throttle.blocked("amelie", "10.0.0.2")  # usernames are case-insensitive
    now[0] += WINDOW_S + 1
    assert not await throttle.blocked("amelie", "10.0.0.2")


async def test_one_address_trying_many_usernames_is_blocked() -> None:
    throttle = LoginThrottle()
    for n in range(MAX_PER_ADDRESS):
        await throttle.failed(f"user{n}", "10.0.0.9")
    assert await throttle.blocked("someone-new", "10.0.0.9")
    assert not await throttle.blocked("someone-new", "10.0.0.10")


async def test_a_successful_login_clears_the_usernames_failures() -> None:
    throttle = LoginThrottle()
    for _ in range(MAX_PER_USERNAME - 1):
        await throttle.failed("sam", "10.0.0.1")
    await throttle.succeeded("sam")
    await throttle.failed("sam", "10.0.0.1")
    assert not await throttle.blocked("sam", "10.0.0.1")
