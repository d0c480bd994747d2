"""Asks the gateway to hand the conversation to a human counsellor (with priority in an emergency)."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.gateway_signals import signal
from actions.screening import SCREENING_SLOTS


class ActionRequestCounsellor(Action):
    def name(self) -> str:
        return "action_request_counsellor"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        emergency = intent == "emergency"
        reason = "emergency" if emergency else ("not_understood" if intent == "nlu_fallback" else "user_request")
        # What the bot gathered, so the counsellor does not have to ask again.
        summary = {slot: tracker.get_slot(slot) for slot in ("language", "country", "topic") if tracker.get_slot(slot)}
        if "share_screening" in tracker.get_latest_entity_values("consent"):
            # Only when the user pressed "Counsellor (share my answers)" under the screening result.
            summary["screening"] = {slot: tracker.get_slot(slot) for slot in SCREENING_SLOTS if tracker.get_slot(slot)}
        dispatcher.utter_message(
            json_message=signal(handoff={"priority": "emergency" if emergency else "normal", "reason": reason, "summary": summary})
        )
        return []
