"""Counts misunderstandings in a row, so rules can clarify once and offer a counsellor the second time."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

FALLBACK = "nlu_fallback"


def failures_in_a_row(tracker: Tracker) -> int:
    """The latest user messages that were not understood, newest first (derived from events, not stored)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "restart":
            break
        if event.get("event") == "user":
            if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK:
                break
            count += 1
    return count


class ActionCountMisunderstandings(Action):
    def name(self) -> str:
        return "action_count_misunderstandings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        # a dialogue-level fallback (no NLU fallback) counts as one misunderstanding
        return [SlotSet("misunderstood", "twice" if failures_in_a_row(tracker) >= 2 else "once")]
