"""Consular referrals: sent only with explicit consent to exactly the text the user was shown.

Three checks stand between Rasa and an e-mail to a consulate:
1. The preview. When a bot reply carries a `consular_offer` signal, the offer is kept only if its
   text is one of the messages in that same reply, word for word, and its digest is the digest of
   that recipient and text (`consular_offers`, one pending offer per conversation).
2. The button. A `consular_referral` signal is acted on only when the user's own message in that
   turn is the "Yes, send it" payload carrying the same digest: a typed "yes", a stale button or a
   signal Rasa produced on its own are refused.
3. The record. The consent (what, to whom, when, which conversation by pseudonym) is committed
   before anything is sent; the e-mail body is the recorded text, byte for byte.

Deletion ("delete my data", retention purge): pending offers go with the conversation. Consent
records stay as the record that something was sent to an authority and when: recipient, times,
status and the SHA-256 of the text remain; the text and the pseudonymous conversation id are
erased, so the record no longer says whose it was or what it said.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Optional

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import mail, texts
from bot.db import as_utc, metadata, utcnow

logger = logging.getLogger(__name__)
DIGEST_CHARS = 32  # as in actions/consulate.py
OFFER_VALID = timedelta(hours=24)
CONSENT_PAYLOAD = re.compile(r"^/affirm(\{.*\})$", re.DOTALL)
CONSENT_PREFIX = "consular_referral:"
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")

consular_offers = Table(
    "consular_offers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(2)),
    Column("offered_at", DateTime(timezone=True), nullable=False, default=utcnow),
)

consular_consents = Table(
    "consular_consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), index=True),  # pseudonym; NULL once the person deleted their data
    Column("recipient", String(254), nullable=False),
    Column("text", Text),  # exactly what was approved and sent; NULL once the person deleted their data
    Column("text_sha256", String(64), nullable=False),
    Column("language", String(2)),
    Column("offered_at", DateTime(timezone=True), nullable=False),
    Column("consented_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("status", String(16), nullable=False, default="consented"),  # consented, then sent or not_sent
    Column("sent_at", DateTime(timezone=True)),
    Column("erased_at", DateTime(timezone=True)),
)


def digest(recipient: str, text: str) -> str:
    return hashlib.sha256(f"{recipient}\n{text}".encode()).hexdigest()[:DIGEST_CHARS]


def text_sha256(text: str) -> str:
    """What a consent record keeps of the text after deletion."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def consent_in(user_text: Optional[str]) -> Optional[str]:
    """The digest in the user's "Yes, send it" button payload, or None for anything else."""
    match = CONSENT_PAYLOAD.match((user_text or "").strip())
    if not match:
        return None
    try:
        entities = json.loads(match.group(1))
    except ValueError:
        return None
    value = entities.get("consent") if isinstance(entities, dict) else None
    if isinstance(value, str) and value.startswith(CONSENT_PREFIX):
        return value[len(CONSENT_PREFIX):]
    return None


def _valid(signal: Any) -> Optional[tuple[str, str, str]]:
    """(recipient, text, digest) of a well-formed offer or referral signal whose digest matches."""
    if not isinstance(signal, dict):
        return None
    recipient, text, claimed = signal.get("to"), signal.get("text"), signal.get("digest")
    if not (isinstance(recipient, str) and EMAIL.match(recipient) and isinstance(text, str) and text and isinstance(claimed, str)):
        return None
    return (recipient, text, claimed) if digest(recipient, text) == claimed else None


@dataclass(frozen=True)
class Outcome:
    status: str  # sent, not_sent, refused
    recipient: str = ""

    def message(self, lang: str) -> str:
        return texts.text(lang, f"referral_{self.status}", email=self.recipient)


class ConsularReferrals:
    def __init__(self, engine: AsyncEngine, smtp: Optional[mail.SmtpConfig] = None) -> None:
        self.engine = engine
        self.smtp = smtp or mail.SmtpConfig()

    async def record_offer(self, conversation_id: str, offer: Any, shown: list[str], language: str) -> bool:
        """Keeps the offer if its text was shown word for word in this reply; it replaces older offers."""
        valid = _valid(offer)
        if valid is None or valid[1] not in shown:
            logger.warning("consular offer ignored (not what was shown): conversation=%s", conversation_id[:10])
            return False
        recipient, text, offer_digest = valid
        async with self.engine.begin() as connection:
            await connection.execute(delete(consular_offers).where(consular_offers.c.conversation_id == conversation_id))
            await connection.execute(
                insert(consular_offers).values(
                    conversation_id=conversation_id, digest=offer_digest, recipient=recipient, text=text, language=language
                )
            )
        return True

    async def refer(self, conversation_id: str, signal: Any, user_text: Optional[str], language: str) -> Outcome:
        """Records the consent, then sends; refuses unless signal, button and shown offer all agree."""
        valid = _valid(signal)
        pressed = consent_in(user_text)
        if valid is None or pressed is None or pressed != valid[2]:
            logger.warning("consular referral refused (no matching consent): conversation=%s", conversation_id[:10])
            return Outcome("refused")
        recipient, text, referral_digest = valid
        async with self.engine.begin() as connection:
            offer = (
                await connection.execute(
                    select(consular_offers).where(
                        consular_offers.c.conversation_id == conversation_id, consular_offers.c.digest == referral_digest
                    )
                )
            ).first()
            if offer is None:
                # A retried message (the same button, replayed by Rasa) gets the first answer again, not a second e-mail.
                earlier = await self._earlier(connection, conversation_id, recipient, text)
                if earlier is not None:
                    return earlier
            if offer is None or offer.recipient != recipient or offer.text != text or as_utc(offer.offered_at) < utcnow() - OFFER_VALID:
                logger.warning("consular referral refused (not the offer shown): conversation=%s", conversation_id[:10])
                return Outcome("refused")
            taken = await connection.execute(delete(consular_offers).where(consular_offers.c.id == offer.id))
            if taken.rowcount != 1:  # another gateway took this very consent a moment ago: one consent, one e-mail
                return Outcome("refused")
            result = await connection.execute(
                insert(consular_consents).values(
                    conversation_id=conversation_id,
                    recipient=recipient,
                    text=text,
                    text_sha256=text_sha256(text),
                    language=language,
                    offered_at=offer.offered_at,
                    consented_at=utcnow(),
                    status="consented",
                )
            )
            consent_id = result.inserted_primary_key[0]
        status = await self._send(consent_id, recipient, text, language)
        logger.info("consular referral %s: consent=%s", status, consent_id)
        return Outcome(status, recipient)

    @staticmethod
    async def _earlier(connection: Any, conversation_id: str, recipient: str, text: str) -> Optional[Outcome]:
        row = (
            await connection.execute(
                select(consular_consents.c.status).where(
                    consular_consents.c.conversation_id == conversation_id,
                    consular_consents.c.recipient == recipient,
                    consular_consents.c.text_sha256 == text_sha256(text),
                )
            )
        ).first()
        return Outcome(row.status if row.status != "consented" else "not_sent", recipient) if row else None

    async def _send(self, consent_id: int, recipient: str, text: str, language: str) -> str:
        status = "not_sent"
        if self.smtp.configured:
            try:
                await mail.send_async(self.smtp, [recipient], texts.text(language, "referral_subject"), text)
                status = "sent"
            except (OSError, smtplib.SMTPException) as error:
                logger.warning("consular referral e-mail failed: consent=%s error=%s", consent_id, type(error).__name__)
        async with self.engine.begin() as connection:
            await connection.execute(
                update(consular_consents)
                .where(consular_consents.c.id == consent_id)
                .values(status=status, sent_at=utcnow() if status == "sent" else None)
            )
        return status

    async def records(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's consent records, oldest first (for the counsellor console)."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(consular_consents).where(consular_consents.c.conversation_id == conversation_id).order_by(consular_consents.c.id)
            )
            return [dict(row._mapping) for row in rows]

    async def forget(self, conversation_id: str) -> None:
        """Deletion: offers go; consent records keep recipient, times, status and the text's hash only."""
        async with self.engine.begin() as connection:
            await connection.execute(delete(consular_offers).where(consular_offers.c.conversation_id == conversation_id))
            await connection.execute(
                update(consular_consents)
                .where(consular_consents.c.conversation_id == conversation_id)
                .values(conversation_id=None, text=None, erased_at=utcnow())
            )

