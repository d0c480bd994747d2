"""The eligibility screening (eligibility_form): asks one question at a time, each with buttons,
each skippable; "stop" ends it and deletes every answer.

The answers live in slots that are filled only while the form asks for them (see domain.yml), so
nothing about a person's legal status is ever taken from other messages.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.library import library
from actions.texts import country_name, language_of, text
from knowledge.eligibility import SKIPPED
from knowledge.model import HOST_COUNTRIES
from knowledge.programmes import ANSWERS

SCREENING_SLOTS = ("host_country", "origin_country", "situation", "vulnerability", "travel_document",
                   "return_decision")
COUNTRY_CODE_LENGTH = 2


def skip_stop_buttons(lang: str) -> List[Dict[str, str]]:
    return [
        {"title": text(lang, "screening.buttons.skip"), "payload": "/skip_question"},
        {"title": text(lang, "screening.buttons.stop"), "payload": "/stop_screening"},
    ]


def host_buttons(lang: str, intent: str = "inform") -> List[Dict[str, str]]:
    """One button per host country, named in the user's language."""
    return [
        {"title": country_name(code, lang), "payload": f'/{intent}{{"host_country": "{code}"}}'}
        for code in HOST_COUNTRIES
    ]


def value_before_latest_message(tracker: Tracker, slot: str) -> Optional[Any]:
    """The slot's value before the latest user message set it (None if it was never set)."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def reset_events() -> List[Dict[str, Any]]:
    return [SlotSet(slot, None) for slot in SCREENING_SLOTS]


class ActionStartScreening(Action):
    """Says how the screening works (skip, stop, nothing shared) and clears any earlier answers."""

    def name(self) -> str:
        return "action_start_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text=text(language_of(tracker), "screening.start"))
        return reset_events()


class ActionAskHostCountry(Action):
    """Asks where the user lives, with a button for each host country; next: the country of origin."""

    def name(self) -> str:
        return "action_ask_host_country"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        dispatcher.utter_message(text=text(lang, "screening.ask_host"), buttons=host_buttons(lang) + skip_stop_buttons(lang))
        return []


class ActionAskOriginCountry(Action):
    """Asks the country of origin, with a button for each country profile; next: the situation."""

    def name(self) -> str:
        return "action_ask_origin_country"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        buttons = [
            {"title": country_name(code, lang), "payload": f'/inform{{"country": "{code}"}}'}
            for code in library().countries()
        ]
        dispatcher.utter_message(text=text(lang, "screening.ask_origin"), buttons=buttons + skip_stop_buttons(lang))
        return []


class _AskChoice(Action):
    """Asks one screening question with a button per answer, plus Skip and Stop."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        buttons = [
            {"title": text(lang, f"screening.choices.{self.slot}.{value}"),
             "payload": f'/inform{{"{self.slot}": "{value}"}}'}
            for value in ANSWERS[self.slot]
        ]
        dispatcher.utter_message(text=text(lang, f"screening.questions.{self.slot}"),
                                 buttons=buttons + skip_stop_buttons(lang))
        return []


class ActionAskSituation(_AskChoice):
    """Asks the current situation; next: vulnerabilities."""

    slot = "situation"


class ActionAskVulnerability(_AskChoice):
    """Asks about vulnerabilities (optional); next: the travel document."""

    slot = "vulnerability"


class ActionAskTravelDocument(_AskChoice):
    """Asks whether the user has a travel document; next: a return decision."""

    slot = "travel_document"


class ActionAskReturnDecision(_AskChoice):
    """Asks whether the user received a return decision; next: the result."""

    slot = "return_decision"


def _country_code(value: Any) -> Optional[str]:
    if value == SKIPPED:
        return SKIPPED
    if isinstance(value, str) and len(value) == COUNTRY_CODE_LENGTH and value.isalpha():
        return value.upper()
    return None


class ValidateEligibilityForm(FormValidationAction):
    """Keeps only answers the screening offers; an unexpected value asks the question again."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def validate_host_country(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[str, Any]:
        result: Dict[str, Any] = {"host_country": _country_code(value)}
        if tracker.get_slot("country") == value and value != SKIPPED:
            # A country named as the place one lives is not the country of origin.
            result["country"] = value_before_latest_message(tracker, "country")
        return result

    async def validate_origin_country(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[str, Any]:
        code = _country_code(value)
        result: Dict[str, Any] = {"origin_country": code}
        if code and code != SKIPPED:
            result["country"] = code
        return result

    @staticmethod
    def _choice(slot: str, value: Any) -> Dict[str, Any]:
        return {slot: value if value == SKIPPED or value in ANSWERS[slot] else None}

    async def validate_situation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[str, Any]:
        return self._choice("situation", value)

    async def validate_vulnerability(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[str, Any]:
        return self._choice("vulnerability", value)

    async def validate_travel_document(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[str, Any]:
        return self._choice("travel_document", value)

    async def validate_return_decision(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[str, Any]:
        return self._choice("return_decision", value)


class ActionStopScreening(Action):
    """Ends the screening and deletes every answer (says so when the user asked to stop)."""

    def name(self) -> str:
        return "action_stop_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "stop_screening":
            lang = language_of(tracker)
            dispatcher.utter_message(
                text=text(lang, "screening.stopped"),
                buttons=[{"title": text(lang, "screening.buttons.counsellor"), "payload": "/request_counsellor"}],
            )
        events: List[Dict[str, Any]] = [ActiveLoop(None), SlotSet("requested_slot", None), *reset_events()]
        if tracker.get_slot("origin_country") not in (None, SKIPPED):
            events.append(SlotSet("country", None))  # it came from the screening: discarded with it
        return events
