"""Rasa input channel used by Passage's gateway, and by nothing else.

Unlike Rasa's REST channel it (1) requires the shared gateway token, (2) returns the NLU result
(intent, entities) with the bot messages in one round trip, and (3) never logs message text.
"""
from __future__ import annotations

import hmac
import logging
import os
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_ext.tracker_erasure import erase

logger = logging.getLogger(__name__)
TOKEN_ENV = "PASSAGE_RASA_TOKEN"


def replies_to(tracker: Any, message_id: str) -> Optional[Dict[str, Any]]:
    """The answer already given to the user message with this id, or None if it was never seen."""
    from rasa.shared.core.events import BotUttered, UserUttered

    found, messages, parse = False, [], {}
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if found:
                break
            if event.message_id == message_id:
                found, parse = True, event.parse_data or {}
        elif found and isinstance(event, BotUttered):
            messages.append({"recipient_id": tracker.sender_id, **{k: v for k, v in event.message().items() if v}})
    if not found:
        return None
    return {"messages": messages, "intent": parse.get("intent"), "entities": parse.get("entities", []), "replayed": True}


class GatewayInput(InputChannel):
    """POST /webhooks/passage/webhook with {"sender", "message", "metadata"} and a Bearer token."""

    @classmethod
    def name(cls) -> str:
        return "passage"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        token = os.environ.get(TOKEN_ENV, "")
        if not token:
            raise RuntimeError(f"{TOKEN_ENV} is not set: the gateway channel refuses to run without a token.")
        self._token = token

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        return hmac.compare_digest(header.encode(), f"Bearer {self._token}".encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("passage_gateway_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/conversations/<sender_id>", methods=["DELETE"])
        async def forget(request: Request, sender_id: str) -> HTTPResponse:
            """Deletion on request and retention: removes the conversation from the tracker store."""
            if not self._authorised(request):
                return response.json({"error": "missing or wrong gateway token"}, status=401)
            erase(request.app.ctx.agent.tracker_store, sender_id)
            return response.json({"deleted": sender_id})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return response.json({"error": "missing or wrong gateway token"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not isinstance(text, str) or not sender or not text:
                return response.json({"error": "sender and message must be non-empty strings"}, status=400)
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            message_id = body.get("message_id") if isinstance(body.get("message_id"), str) else None
            agent = request.app.ctx.agent
            if message_id and body.get("retry") is True:
                earlier = await agent.tracker_store.retrieve(sender)
                replayed = replies_to(earlier, message_id) if earlier else None
                if replayed is not None:
                    # A retry (the gateway or a server died before the answer arrived): answer again
                    # from the tracker instead of running the dialogue twice.
                    return response.json(replayed)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata, message_id=message_id)
                )
            except CancelledError:
                logger.error("gateway channel: message handling was cancelled (timeout)")
                return response.json({"error": "timeout"}, status=503)
            tracker = await agent.tracker_store.retrieve(sender)
            parse = tracker.latest_message.parse_data if tracker and tracker.latest_message else {}
            return response.json(
                {
                    "messages": collector.messages,
                    "intent": parse.get("intent"),
                    "entities": parse.get("entities", []),
                }
            )

        return hook
