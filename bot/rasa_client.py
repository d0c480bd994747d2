"""The gateway's only door into Rasa: the token-protected gateway channel, with a timeout."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, slow or erroring); the gateway tells the user and keeps the message."""


@dataclass
class RasaResult:
    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: Optional[dict[str, Any]] = None
    entities: list[dict[str, Any]] = field(default_factory=list)


class RasaClient:
    """Talks to one or several Rasa servers.

    With several (PASSAGE_RASA_URLS), each conversation goes to the same server, chosen by consistent
    hashing of its pseudonym: Rasa Open Source's Redis lock store is not atomic, so one server per
    conversation is what keeps a user's messages in order. If that server is down, the next one on
    the ring takes over (all of them share the tracker store).
    """

    def __init__(self, base_url: str | list[str], token: str, timeout_s: float = 30.0) -> None:
        from uhashring import HashRing

        self._bases = [base_url] if isinstance(base_url, str) else list(base_url)
        self._ring = HashRing(nodes=self._bases)
        self._token = token
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: Optional[aiohttp.ClientSession] = None

    async def close(self) -> None:
        if self._session:
            await self._session.close()

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=self._headers)
        return self._session

    def servers_for(self, conversation_id: str) -> list[str]:
        """The conversation's own server first, then the others in ring order (fail-over)."""
        if len(self._bases) == 1:
            return self._bases
        return [node["nodename"] for node in self._ring.range(conversation_id, size=len(self._bases), unique=True)]

    async def _first_that_answers(self, conversation_id: str, method: str, path: str, **kwargs: Any) -> Any:
        last_error: Optional[RasaUnavailable] = None
        for attempt, base in enumerate(self.servers_for(conversation_id)):
            if attempt and isinstance(kwargs.get("json"), dict) and "message_id" in kwargs["json"]:
                kwargs["json"] = {**kwargs["json"], "retry": True}  # the first server may have answered before dying
            try:
                async with self._client().request(method, f"{base}{path}", **kwargs) as response:
                    if response.status == 200:
                        return await response.json()
                    last_error = RasaUnavailable(f"Rasa answered HTTP {response.status} to {method} {path.split('/')[1]}")
                    if response.status < 500:
                        break  # a refusal, not an outage: another server would refuse too
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:  # asyncio's is not the builtin before 3.11
                last_error = RasaUnavailable(type(error).__name__)
        raise last_error or RasaUnavailable("no Rasa server configured")

    async def _tracker_events(self, method: str, conversation_id: str, events: Any) -> None:
        """Rasa's HTTP API (loopback only) takes its token as a query parameter; it is never logged here."""
        await self._first_that_answers(
            conversation_id, method, f"/conversations/{conversation_id}/tracker/events", params={"token": self._token}, json=events
        )

    async def append_event(self, conversation_id: str, event: dict[str, Any]) -> None:
        """E.g. {"event": "pause"} while a counsellor has the conversation, {"event": "resume"} after."""
        await self._tracker_events("POST", conversation_id, event)

    async def erase(self, conversation_id: str) -> None:
        """Deletes the conversation from Rasa's tracker store (deletion on request, retention)."""
        await self._first_that_answers(conversation_id, "DELETE", f"/webhooks/passage/conversations/{conversation_id}")

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any], message_id: Optional[str] = None, retry: bool = False
    ) -> RasaResult:
        """With `retry`, Rasa first looks in its tracker whether it already answered `message_id`
        (and replays that answer) — a lookup a first attempt does not need to pay for."""
        payload = {"sender": sender, "message": text, "metadata": metadata, "message_id": message_id or uuid.uuid4().hex, "retry": retry}
        body = await self._first_that_answers(sender, "POST", "/webhooks/passage/webhook", json=payload)
        return RasaResult(messages=body.get("messages") or [], intent=body.get("intent"), entities=body.get("entities") or [])
