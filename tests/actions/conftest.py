"""Offline action tests: a tracker from tests/data/tracker.json, a CollectingDispatcher, the real domain."""
import copy
import json
from pathlib import Path
from typing import Any, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "tests" / "data" / "tracker.json").read_text())


def make_tracker(
    intent: str = "greet",
    text: str = "",
    entities: Optional[list[dict[str, Any]]] = None,
    events: Optional[list[dict[str, Any]]] = None,
    **slots: Any,
) -> Tracker:
    data = copy.deepcopy(BASE)
    data["slots"].update(slots)
    data["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    data["events"] = events or []
    return Tracker.from_dict(data)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml")).as_dict()
