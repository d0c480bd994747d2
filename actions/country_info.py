"""Answers a question about a country of origin from its profile, best-corroborated facts first.

Asks for the country or the topic with buttons when either is missing; remembers the country for
follow-ups ("and jobs?"); says plainly when there is no verified information and offers a counsellor.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.library import library
from actions.texts import country_name, language_of, month, text

MAX_FACTS = 3  # one phone screen
MAX_TOPIC_BUTTONS = 6


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


def _topic_buttons(country: str, topics: List[str], lang: str, exclude: Optional[str] = None) -> List[Dict[str, str]]:
    return [
        {"title": text(lang, f"topics.{topic}"), "payload": f'/inform{{"country": "{country}", "topic": "{topic}"}}'}
        for topic in topics
        if topic != exclude
    ][:MAX_TOPIC_BUTTONS]


def _counsellor_button(lang: str) -> Dict[str, str]:
    return {"title": text(lang, "buttons.counsellor"), "payload": "/request_counsellor"}


def fact_lines(fact: Any, lang: str) -> str:
    """A fact's text with its status in plain words and the month it was last checked."""
    body, _state = fact.text(lang)
    labels = [text(lang, f"status.{status}") for status in fact.statuses]
    lines = [f"• {body}", f"  ({'; '.join(labels)}; {text(lang, 'checked', month=month(fact.last_verified, lang))})"]
    if "contested" in fact.statuses:
        for other in fact.conflicts:
            other_text, _ = other.text(lang)
            lines.append(f"  {text(lang, 'other_side')} {other_text}")
    return "\n".join(lines)


class ActionCountryInfo(Action):
    def name(self) -> str:
        return "action_country_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        lib = library()
        country = _entity(tracker, "country") or tracker.get_slot("country")
        topic = _entity(tracker, "topic")
        if (tracker.latest_message.get("intent") or {}).get("name") == "ask_reintegration_support":
            topic = "reintegration"  # "what help is there after return" is the reintegration topic
        elif topic is None and _entity(tracker, "country") is None:
            topic = tracker.get_slot("topic")  # a follow-up keeps the topic too ("and in Ghana?")

        if not country:
            buttons = [
                {"title": country_name(code, lang), "payload": f'/inform{{"country": "{code}"}}'}
                for code in lib.countries()
            ]
            dispatcher.utter_message(text=text(lang, "ask_country"), buttons=buttons)
            return [SlotSet("topic", topic)]

        name = country_name(country, lang)
        if not lib.has_profile(country):
            dispatcher.utter_message(text=text(lang, "no_profile", country=name), buttons=[_counsellor_button(lang)])
            return [SlotSet("country", country), SlotSet("last_facts", [])]

        topics = lib.topics(country)
        if not topic:
            dispatcher.utter_message(text=text(lang, "ask_topic", country=name), buttons=_topic_buttons(country, topics, lang))
            return [SlotSet("country", country), SlotSet("topic", None)]

        facts = lib.facts(country, topic)
        if topic == "reintegration":  # programmes active in the country are reintegration support too
            facts += lib.facts(country, "programmes")
        facts = facts[:MAX_FACTS]
        topic_name = text(lang, f"topics.{topic}")
        if not facts:
            buttons = [_counsellor_button(lang), *_topic_buttons(country, topics, lang)]
            dispatcher.utter_message(text=text(lang, "no_facts", topic=topic_name, country=name), buttons=buttons)
            return [SlotSet("country", country), SlotSet("topic", topic), SlotSet("last_facts", [])]

        body = "\n".join([text(lang, "answer_header", country=name, topic=topic_name), *(fact_lines(f, lang) for f in facts)])
        buttons = [{"title": text(lang, "buttons.sources"), "payload": "/ask_sources"}, *_topic_buttons(country, topics, lang, exclude=topic)]
        dispatcher.utter_message(text=body, buttons=buttons)
        return [SlotSet("country", country), SlotSet("topic", topic), SlotSet("last_facts", [f.id for f in facts])]
