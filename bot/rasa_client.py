"""The gateway's only door into Rasa: the token-protected gateway channel, with a timeout."""
from __future__ import annotations

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
    def __init__(self, base_url: str, token: str, timeout_s: float = 30.0) -> None:
        self._base = base_url
        self._token = token
        self._url = f"{base_url}/webhooks/passage/webhook"
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

    async def _tracker_events(self, method: str, conversation_id: str, events: Any) -> None:
        """Rasa's HTTP API (loopback only) takes its token as a query parameter; it is never logged here."""
        url = f"{self._base}/conversations/{conversation_id}/tracker/events"
        try:
            async with self._client().request(method, url, params={"token": self._token}, json=events) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status} to {method} tracker/events")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(type(error).__name__) from error

    async def append_event(self, conversation_id: str, event: dict[str, Any]) -> None:
        """E.g. {"event": "pause"} while a counsellor has the conversation, {"event": "resume"} after."""
        await self._tracker_events("POST", conversation_id, event)

    async def erase(self, conversation_id: str) -> None:
        """Deletes the conversation from Rasa's tracker store (deletion on request, retention)."""
        url = f"{self._base}/webhooks/passage/conversations/{conversation_id}"
        try:
            async with self._client().delete(url) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status} to a deletion")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(type(error).__name__) from error

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> RasaResult:
        try:
            async with self._client().post(self._url, json={"sender": sender, "message": text, "metadata": metadata}) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        return RasaResult(messages=body.get("messages") or [], intent=body.get("intent"), entities=body.get("entities") or [])
