"""A short, neutral overview of the options in the user's host country, asked for when unknown.

Always says it is information and not legal advice, that deadlines matter, and names free legal
advice and the counsellor. Facts come from country_profiles/hosts/ with their status and date.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.country_info import fact_lines
from actions.library import library
from actions.screening import host_buttons, value_before_latest_message
from actions.texts import country_name, language_of, text
from knowledge import Library
from knowledge.eligibility import SKIPPED
from knowledge.model import HOST_COUNTRIES

# The topics of the overview, in order, and how many facts of each (one phone screen each).
OVERVIEW_TOPICS = ("appeal", "return_decision", "other_grounds", "avrr", "legal_aid", "emergency")
FACTS_PER_TOPIC = {"return_decision": 2}  # the period to leave, then what happens after it; others 1


def compose_legal_options(lib: Library, host: str, lang: str) -> tuple[str, list[str]]:
    """The overview text for a host country and the ids of the facts it shows."""
    name = country_name(host, lang)
    lines = [text(lang, "screening.legal.header", host=name), text(lang, "screening.legal.general")]
    shown: list[str] = []
    if not lib.has_host(host):
        lines.append(text(lang, "screening.legal.no_host_facts", host=name))
    else:
        for topic in OVERVIEW_TOPICS:
            facts = lib.host_facts(host, topic)[:FACTS_PER_TOPIC.get(topic, 1)]
            if not facts:
                if topic == "legal_aid":
                    lines.append(text(lang, "screening.legal.no_legal_aid", host=name))
                continue
            lines.append(f"{text(lang, f'screening.host_topics.{topic}')}:")
            lines += [fact_lines(fact, lang) for fact in facts]
            shown += [fact.id for fact in facts]
    lines += [text(lang, "screening.legal.deadlines"), text(lang, "screening.legal.footer")]
    return "\n".join(lines), shown


def _host_from_message(tracker: Tracker) -> Optional[str]:
    host = next(tracker.get_latest_entity_values("host_country"), None)
    if host:
        return str(host).upper()
    named = next(tracker.get_latest_entity_values("country"), None)
    if named and str(named).upper() in HOST_COUNTRIES:
        return str(named).upper()  # "I live in Germany": Germany is where they live, not where they are from
    return None


class ActionLegalOptions(Action):
    """Options in the host country, or a question with a button per host country."""

    def name(self) -> str:
        return "action_legal_options"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        events: List[Dict[str, Any]] = []
        host = _host_from_message(tracker)
        if host:
            events.append(SlotSet("host_country", host))
            if next(tracker.get_latest_entity_values("country"), None):
                events.append(SlotSet("country", value_before_latest_message(tracker, "country")))
        else:
            host = tracker.get_slot("host_country")
        counsellor = {"title": text(lang, "screening.buttons.counsellor"), "payload": "/request_counsellor"}
        if not host or host == SKIPPED:
            dispatcher.utter_message(text=text(lang, "screening.legal.ask_host"),
                                     buttons=host_buttons(lang, intent="ask_legal_options") + [counsellor])
            return events
        body, shown = compose_legal_options(library(), host, lang)
        buttons = [
            {"title": text(lang, "buttons.sources"), "payload": "/ask_sources"},
            {"title": text(lang, "screening.buttons.check"), "payload": "/check_eligibility"},
            counsellor,
        ]
        dispatcher.utter_message(text=body, buttons=buttons)
        return events + [SlotSet("last_facts", shown)]
