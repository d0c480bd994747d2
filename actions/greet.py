"""Puts the deployment's organisation name in a slot, so the greeting can say who runs Passage."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import settings


class ActionSetOrganisation(Action):
    def name(self) -> Text:
        return "action_set_organisation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return [SlotSet("organisation", settings.organisation())]
