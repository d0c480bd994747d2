"""Messages for the gateway rather than the user: a handoff request, a deletion request.

They travel as Rasa custom payloads ({"passage": {...}}); the gateway acts on them and never shows
them to the user.
"""
from __future__ import annotations

from typing import Any


def signal(**fields: Any) -> dict[str, Any]:
    return {"passage": fields}
