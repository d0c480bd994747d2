"""One handoff: claim, transcript, the bot's summary, reply, canned replies, notes, transfer, close.

Every action is an ordinary HTML form (POST + CSRF token) answered with a 303 redirect, so the
console works without JavaScript; console.js only adds live refresh and canned-reply insertion.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from aiohttp import web

from bot import texts
from bot.accounts import list_accounts
from bot.app_keys import GATEWAY
from bot.console.auth import console_view, current_account, form_value, redirect
from bot.console.canned import canned_replies
from bot.console.rendering import ConsoleError, render
from bot.console.timefmt import clock, waited
from bot.handoff import OUTCOMES, Account, HandoffError, Handoffs

MAX_REPLY_CHARS = 4000
SUMMARY_LABELS = {
    "language": "Language",
    "country": "Country of origin",
    "host_country": "Host country",
    "screening": "Screening answers",
    "topic": "Last topic",
    "last_topic": "Last topic",
    "partner": "Partner organisation",
}


def _handoffs(request: web.Request) -> Handoffs:
    return request.app[GATEWAY].handoffs


def _handoff_id(request: web.Request) -> int:
    return int(request.match_info["handoff_id"])  # the route only matches digits


async def _visible_handoff(request: web.Request) -> dict[str, Any]:
    try:
        return await _handoffs(request).get(_handoff_id(request), current_account(request))
    except HandoffError as error:
        raise ConsoleError(404, str(error)) from error


def summary_items(summary: dict[str, Any]) -> list[tuple[str, Any]]:
    """Known fields first with readable labels, then anything else the bot gathered, as it is."""
    known = [(label, summary[key]) for key, label in SUMMARY_LABELS.items() if summary.get(key) not in (None, "", [], {})]
    others = [(key.replace("_", " ").capitalize(), value) for key, value in summary.items() if key not in SUMMARY_LABELS and value]
    return known + others


def can_take(account: Account, handoff: dict[str, Any]) -> bool:
    """Who a handoff may be transferred to: someone who would see it once it is theirs."""
    return Handoffs.visible(account, {**handoff, "assigned_to": account.id, "assigned_role": None})


async def _transcript_context(request: web.Request, handoff: dict[str, Any]) -> dict[str, Any]:
    transcript = await _handoffs(request).transcript(handoff["conversation_id"])
    for message in transcript:
        message["when"] = clock(message["created_at"])
    return {"handoff": handoff, "transcript": transcript}


@console_view()
async def handoff_page(request: web.Request) -> web.Response:
    account = current_account(request)
    handoff = await _visible_handoff(request)
    handoffs = _handoffs(request)
    everyone = await list_accounts(handoffs.engine)
    names = {a.id: a.display_name for a in everyone}
    history = await handoffs.history(handoff["conversation_id"])
    for item in history:
        item["opened"] = clock(item["created_at"])
        item["closed"] = clock(item["closed_at"])
    context = {
        **await _transcript_context(request, handoff),
        "summary": summary_items({"language": handoff["language"], **handoff["summary"]}),
        "waited": waited(handoff["created_at"]),
        "assigned_name": names.get(handoff["assigned_to"]) if handoff["assigned_to"] else None,
        "is_mine": handoff["status"] == "claimed" and handoff["assigned_to"] == account.id,
        "can_claim": handoff["status"] == "waiting",
        "notes": [{**note, "when": clock(note["created_at"])} for note in await handoffs.notes(handoff["id"])],
        "history": history,
        # what was sent to a consulate with the user's consent, to whom and when (bot/consular.py)
        "consents": [
            {**record, "when": clock(record["consented_at"])}
            for record in await request.app[GATEWAY].consular.records(handoff["conversation_id"])
        ],
        "canned": canned_replies(handoff["language"]),
        "targets": [a for a in everyone if a.id != account.id and can_take(a, handoff)],
        "outcomes": OUTCOMES,
        "max_reply_chars": MAX_REPLY_CHARS,
    }
    return render(request, "handoff.html", context)


@console_view(redirect_anonymous=False)
async def transcript_fragment(request: web.Request) -> web.Response:
    return render(request, "_transcript.html", await _transcript_context(request, await _visible_handoff(request)))


async def _act(request: web.Request, action: Callable[[Handoffs, dict[str, Any], Account], Awaitable[None]], then: str = "") -> web.Response:
    """Runs one action on a visible handoff; a state conflict (already claimed, closed…) is a 409."""
    handoff = await _visible_handoff(request)
    try:
        await action(_handoffs(request), handoff, current_account(request))
    except HandoffError as error:
        raise ConsoleError(409, str(error)) from error
    return redirect(then or f"/console/handoffs/{handoff['id']}")


@console_view()
async def claim(request: web.Request) -> web.Response:
    return await _act(request, lambda handoffs, handoff, account: handoffs.claim(handoff["id"], account), then=f"/console/handoffs/{_handoff_id(request)}#reply")


@console_view()
async def reply(request: web.Request) -> web.Response:
    text = form_value(request, "text", MAX_REPLY_CHARS).strip()
    if not text:
        raise ConsoleError(400, "write a reply before sending it")
    return await _act(request, lambda handoffs, handoff, account: handoffs.reply(handoff["id"], account, text), then=f"/console/handoffs/{_handoff_id(request)}#reply")


@console_view()
async def note(request: web.Request) -> web.Response:
    text = form_value(request, "text", MAX_REPLY_CHARS).strip()
    if not text:
        raise ConsoleError(400, "write the note before saving it")
    return await _act(request, lambda handoffs, handoff, account: handoffs.add_note(handoff["id"], account, text), then=f"/console/handoffs/{_handoff_id(request)}#notes")


@console_view()
async def transfer(request: web.Request) -> web.Response:
    """To one counsellor who would see the handoff (speaks the language), or to the supervisors."""
    target = form_value(request, "to", 32).strip()
    handoff = await _visible_handoff(request)
    if target == "supervisors":
        return await _act(request, lambda handoffs, h, account: handoffs.transfer(h["id"], account, to_role="supervisor"), then="/console")
    if not target.isdigit():
        raise ConsoleError(400, "choose a counsellor, or the supervisors, to transfer to")
    accounts = {a.id: a for a in await list_accounts(_handoffs(request).engine)}
    to = accounts.get(int(target))
    if to is None:
        raise ConsoleError(400, "there is no such counsellor account")
    if not can_take(to, handoff):
        raise ConsoleError(400, f"{to.display_name} does not cover this handoff's language or country")
    return await _act(request, lambda handoffs, h, account: handoffs.transfer(h["id"], account, to_account=to.id), then="/console")


@console_view()
async def close(request: web.Request) -> web.Response:
    """Closes with an outcome; the user is told, in their language, that the bot is back."""
    outcome = form_value(request, "outcome", 64)
    if outcome not in OUTCOMES:
        raise ConsoleError(400, f"choose an outcome: one of {', '.join(OUTCOMES)}")

    async def action(handoffs: Handoffs, handoff: dict[str, Any], account: Account) -> None:
        back = {"text": texts.text(handoff["language"] or "en", "handoff_back")}
        await handoffs.close(handoff["id"], account, outcome, back)

    return await _act(request, action, then="/console")
