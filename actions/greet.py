"""Puts the deployment's organisation name in a slot, so the greeting can say who runs Passage."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import settings


class ActionSetOrganisation(Action):
    def name(self) -> str:
        return "action_set_organisation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        return [SlotSet("organisation", settings.organisation())]
