"""Human handoff: the queue, claiming, counsellor replies, transfer, notes and hand-back.

Emergencies jump the queue. A counsellor sees a handoff only if they speak its language (and, when
they list countries of expertise, only for those countries); supervisors and admins see all.
While a handoff is open the bot is silent and Rasa's tracker is paused.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Optional

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import accounts, conversations, handoffs, messages, notes, utcnow
from bot.events import EventBus

logger = logging.getLogger(__name__)
ACTIVE = ("waiting", "claimed")
ONLINE_WINDOW = timedelta(minutes=5)
OUTCOMES = ("information_given", "referred_legal_aid", "referred_other_service", "avrr_discussed", "emergency_handled", "no_response", "other")

# (conversation_id, channel, messages, language) → delivered to the user's phone or browser
Deliver = Callable[[str, str, list[dict[str, Any]], str], Awaitable[None]]
# (conversation_id, event) → Rasa's tracker (pause/resume)
TrackerEvent = Callable[[str, dict[str, Any]], Awaitable[None]]


class HandoffError(ValueError):
    """The action is not possible in the handoff's current state; the message says why."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    languages: tuple[str, ...]
    countries: tuple[str, ...]

    @property
    def sees_everything(self) -> bool:
        return self.role in ("supervisor", "admin")

    @classmethod
    def from_row(cls, row: Any) -> Account:
        split = lambda value: tuple(v for v in (value or "").split(",") if v)  # noqa: E731
        return cls(row.id, row.username, row.display_name, row.role, split(row.languages), split(row.countries))


@dataclass(frozen=True)
class QueueInfo:
    handoff_id: int
    position: int  # 1 = next
    counsellor_online: bool  # someone who speaks the user's language is online now
    priority: str


class Handoffs:
    def __init__(self, engine: AsyncEngine, events: EventBus, tracker_event: Optional[TrackerEvent] = None) -> None:
        self.engine = engine
        self.events = events
        self._tracker_event = tracker_event
        self._deliverers: dict[str, Deliver] = {}

    def register_delivery(self, channel: str, deliver: Deliver) -> None:
        """Channels that can push to the user's phone register here (the web chat polls instead)."""
        self._deliverers[channel] = deliver

    async def _pause_rasa(self, conversation_id: str, event: str) -> None:
        if self._tracker_event is None:
            return
        try:
            await self._tracker_event(conversation_id, {"event": event})
        except Exception as error:  # the handoff must not fail because Rasa is down; it is logged
            logger.warning("could not %s Rasa tracker for conversation=%s: %s", event, conversation_id[:10], type(error).__name__)

    async def active(self, conversation_id: str, connection: Optional[AsyncConnection] = None) -> Optional[Any]:
        if connection is None:
            async with self.engine.connect() as own:
                return await self.active(conversation_id, own)
        query = select(handoffs).where(handoffs.c.conversation_id == conversation_id, handoffs.c.status.in_(ACTIVE))
        return (await connection.execute(query)).first()

    async def open(self, conversation_id: str, priority: str, reason: str, language: str, summary: dict[str, Any]) -> QueueInfo:
        """Queues the conversation for a counsellor (once; an emergency upgrades an open handoff)."""
        existing = await self.active(conversation_id)
        async with self.engine.begin() as connection:
            if existing is None:
                result = await connection.execute(
                    insert(handoffs).values(
                        conversation_id=conversation_id,
                        status="waiting",
                        priority=priority,
                        reason=reason,
                        language=language,
                        country=summary.get("country"),
                        summary=json.dumps(summary, ensure_ascii=False),
                    )
                )
                handoff_id = result.inserted_primary_key[0]
            else:
                handoff_id = existing.id
                if priority == "emergency" and existing.priority != "emergency":
                    await connection.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(priority="emergency"))
        if existing is None:
            await self._pause_rasa(conversation_id, "pause")
        info = await self.queue_info(handoff_id)
        await self.events.publish("handoff_opened", handoff_id=handoff_id, priority=info.priority, language=language)
        logger.info("handoff opened: id=%s priority=%s language=%s", handoff_id, info.priority, language)
        return info

    async def queue_info(self, handoff_id: int) -> QueueInfo:
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(handoffs).where(handoffs.c.id == handoff_id))).one()
            ahead = await connection.scalar(
                select(func.count()).select_from(handoffs).where(
                    handoffs.c.status == "waiting",
                    handoffs.c.id != handoff_id,
                    or_(
                        and_(handoffs.c.priority == "emergency", row.priority != "emergency"),
                        and_(handoffs.c.priority == row.priority, handoffs.c.created_at <= row.created_at),
                    ),
                )
            )
            since = utcnow() - ONLINE_WINDOW
            online = await connection.execute(select(accounts).where(accounts.c.last_seen_at >= since))
            speaks = any(row.language in Account.from_row(a).languages or a.role in ("supervisor", "admin") for a in online)
        return QueueInfo(handoff_id, int(ahead or 0) + 1, speaks, row.priority)

    async def queue(self, account: Account, include_closed: bool = False) -> list[dict[str, Any]]:
        """What this counsellor may see, emergencies first, then oldest first."""
        query = (
            select(handoffs, conversations.c.channel, conversations.c.partner)
            .join(conversations, conversations.c.id == handoffs.c.conversation_id)
            .order_by(case((handoffs.c.priority == "emergency", 0), else_=1), handoffs.c.created_at)
        )
        if not include_closed:
            query = query.where(handoffs.c.status.in_(ACTIVE))
        async with self.engine.connect() as connection:
            rows = [dict(r._mapping) for r in await connection.execute(query)]
        return [r for r in rows if self.visible(account, r)]

    @staticmethod
    def visible(account: Account, handoff: dict[str, Any]) -> bool:
        if account.sees_everything:
            return True
        if handoff.get("assigned_role") == "supervisor":
            return False
        if handoff.get("assigned_to") not in (None, account.id):
            return False
        if handoff.get("language") not in account.languages:
            return False
        return not account.countries or handoff.get("country") in account.countries

    async def get(self, handoff_id: int, account: Account) -> dict[str, Any]:
        async with self.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(handoffs, conversations.c.channel, conversations.c.partner)
                    .join(conversations, conversations.c.id == handoffs.c.conversation_id)
                    .where(handoffs.c.id == handoff_id)
                )
            ).first()
        if row is None or not self.visible(account, dict(row._mapping)):
            raise HandoffError("no such handoff, or it is not visible to you")
        handoff = dict(row._mapping)
        handoff["summary"] = json.loads(handoff["summary"] or "{}")
        return handoff

    async def claim(self, handoff_id: int, account: Account) -> None:
        handoff = await self.get(handoff_id, account)
        if handoff["status"] == "closed":
            raise HandoffError("this handoff is already closed")
        if handoff["status"] == "claimed" and handoff["assigned_to"] not in (None, account.id):
            raise HandoffError("another counsellor has already claimed this handoff")
        async with self.engine.begin() as connection:
            await connection.execute(
                update(handoffs)
                .where(handoffs.c.id == handoff_id)
                .values(status="claimed", assigned_to=account.id, assigned_role=None, claimed_at=handoff["claimed_at"] or utcnow())
            )
        await self.events.publish("handoff_claimed", handoff_id=handoff_id, by=account.id)

    async def reply(self, handoff_id: int, account: Account, text: str) -> None:
        """Stores the counsellor's message and delivers it through the user's own channel."""
        text = text.strip()
        if not text:
            raise HandoffError("an empty reply cannot be sent")
        handoff = await self.get(handoff_id, account)
        if handoff["status"] != "claimed" or handoff["assigned_to"] != account.id:
            raise HandoffError("claim the handoff before replying")
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(messages).values(conversation_id=handoff["conversation_id"], author="counsellor", author_id=account.id, text=text, language=handoff["language"])
            )
            if handoff["first_reply_at"] is None:
                await connection.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(first_reply_at=utcnow()))
        await self._deliver(handoff, [{"text": text}])
        await self.events.publish("message", handoff_id=handoff_id, author="counsellor")

    async def _deliver(self, handoff: dict[str, Any], outgoing: list[dict[str, Any]]) -> None:
        await self.deliver(handoff["conversation_id"], outgoing, handoff["language"] or "en", handoff["channel"])

    async def deliver(self, conversation_id: str, outgoing: list[dict[str, Any]], language: str, channel: Optional[str] = None) -> None:
        """Pushes messages to the user's phone; the web chat picks them up by polling instead."""
        if channel is None:
            async with self.engine.connect() as connection:
                channel = await connection.scalar(select(conversations.c.channel).where(conversations.c.id == conversation_id))
        deliver = self._deliverers.get(channel or "")
        if deliver is not None and outgoing:
            await deliver(conversation_id, channel, outgoing, language)

    async def transfer(self, handoff_id: int, account: Account, to_account: Optional[int] = None, to_role: Optional[str] = None) -> None:
        if (to_account is None) == (to_role is None) or to_role not in (None, "supervisor"):
            raise HandoffError("transfer to one counsellor, or to the supervisors")
        handoff = await self.get(handoff_id, account)
        if handoff["status"] == "closed":
            raise HandoffError("this handoff is already closed")
        async with self.engine.begin() as connection:
            await connection.execute(
                update(handoffs).where(handoffs.c.id == handoff_id).values(status="waiting", assigned_to=to_account, assigned_role=to_role)
            )
        await self.events.publish("handoff_transferred", handoff_id=handoff_id)

    async def add_note(self, handoff_id: int, account: Account, text: str) -> None:
        if not text.strip():
            raise HandoffError("an empty note cannot be saved")
        await self.get(handoff_id, account)
        async with self.engine.begin() as connection:
            await connection.execute(insert(notes).values(handoff_id=handoff_id, author_id=account.id, text=text.strip()))

    async def notes(self, handoff_id: int) -> list[dict[str, Any]]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(notes, accounts.c.display_name).join(accounts, accounts.c.id == notes.c.author_id).where(notes.c.handoff_id == handoff_id).order_by(notes.c.id)
            )
            return [dict(r._mapping) for r in rows]

    async def close(self, handoff_id: int, account: Account, outcome: str, back_message: dict[str, Any]) -> None:
        """Closes with an outcome and hands the conversation back to the bot, telling the user."""
        if outcome not in OUTCOMES:
            raise HandoffError(f"outcome must be one of: {', '.join(OUTCOMES)}")
        handoff = await self.get(handoff_id, account)
        if handoff["status"] == "closed":
            raise HandoffError("this handoff is already closed")
        async with self.engine.begin() as connection:
            await connection.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(status="closed", closed_at=utcnow(), outcome=outcome))
            await connection.execute(
                insert(messages).values(conversation_id=handoff["conversation_id"], author="bot", text=back_message["text"], language=handoff["language"])
            )
        await self._pause_rasa(handoff["conversation_id"], "resume")
        await self._deliver(handoff, [back_message])
        await self.events.publish("handoff_closed", handoff_id=handoff_id)

    async def history(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(select(handoffs).where(handoffs.c.conversation_id == conversation_id).order_by(handoffs.c.id))
            return [dict(r._mapping) for r in rows]

    async def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(messages, accounts.c.display_name)
                .outerjoin(accounts, accounts.c.id == messages.c.author_id)
                .where(messages.c.conversation_id == conversation_id)
                .order_by(messages.c.id)
            )
            return [dict(r._mapping) for r in rows]

    async def mark_seen(self, account_id: int, at: Optional[datetime] = None) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(update(accounts).where(accounts.c.id == account_id).values(last_seen_at=at or utcnow()))
