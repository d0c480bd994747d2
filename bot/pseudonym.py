"""Pseudonymous conversation ids: Rasa and the logs never see a phone number or a Telegram id."""
from __future__ import annotations

import hashlib
import hmac


def pseudonymise(secret: str, channel: str, user_id: str) -> str:
    """A stable id for (channel, user) that cannot be reversed without the server's secret."""
    digest = hmac.new(secret.encode(), f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel[:2]}-{digest[:32]}"
