"""Low NLU confidence: ask to clarify once; on a second failure in a row, offer a counsellor."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

FALLBACK = "nlu_fallback"


def failures_in_a_row(tracker: Tracker) -> int:
    """Counts the latest user messages that were not understood, newest first (derived, not stored)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "restart":
            break
        if event.get("event") == "user":
            if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK:
                break
            count += 1
    return count


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        if failures_in_a_row(tracker) >= 2:
            dispatcher.utter_message(response="utter_offer_counsellor")
        else:
            dispatcher.utter_message(response="utter_clarify")
        return []
