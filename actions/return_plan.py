"""A personal return preparation plan: documents to get, travel steps, reintegration support from
the origin profile (with sources), verified contacts on arrival, questions for a counsellor and the
other options, as a chat message and as a PDF the gateway serves at /plans/<token>.pdf.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import settings
from actions.library import library
from actions.texts import country_name, language_of, month, text
from knowledge import AssessedFact, Library
from knowledge.eligibility import Answers

logger = logging.getLogger(__name__)
MAX_SUPPORT_FACTS = 4
MAX_CONTACT_FACTS = 3


@dataclass
class Section:
    title: str
    items: List[str]


@dataclass
class Plan:
    lang: str
    title: str
    intro: str
    sections: List[Section]
    sources: List[str] = field(default_factory=list)  # one line per source: title, publisher, date, URL
    fact_ids: List[str] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [self.title, self.intro]
        for section in self.sections:
            lines.append("")
            lines.append(f"{section.title}:")
            lines += [f"• {item}" for item in section.items]
        return "\n".join(lines)


def _fact_item(fact: AssessedFact, lang: str) -> str:
    body = fact.text(lang)[0]
    labels = "; ".join(text(lang, f"status.{s}") for s in fact.statuses)
    return f"{body} ({labels}; {text(lang, 'screening.plan.checked', month=month(fact.last_verified, lang))})"


def _source_line(lib: Library, source_id: str) -> str:
    source = lib.source(source_id)
    date = source.published or (source.accessed.isoformat() if source.accessed else "n.d.")
    line = f"{source.title} — {source.publisher}, {date}"
    return f"{line}, {source.url}" if source.url else line


def build_plan(lib: Library, origin: str, answers: Answers, lang: str) -> Plan:
    """The plan's sections from the origin profile, the host profile and the screening answers."""
    name = country_name(origin, lang)
    used: List[AssessedFact] = []

    def facts(topic: str, limit: int) -> List[AssessedFact]:
        found = lib.facts(origin, topic)[:limit] if lib.has_profile(origin) else []
        used.extend(found)
        return found

    documents = [text(lang, "screening.plan.documents_passport")]
    held = {"yes": "documents_have", "expired": "documents_expired", "no": "documents_none"}.get(answers.travel_document or "")
    if held:
        documents.append(text(lang, f"screening.plan.{held}"))
    documents += [_fact_item(f, lang) for f in facts("documents", 2)]
    documents.append(text(lang, "screening.plan.documents_other"))

    travel = [text(lang, "screening.plan.travel_counselling")]
    if answers.host and lib.has_host(answers.host):
        for fact in lib.host_facts(answers.host, "how_to_apply", eu_wide=False)[:2]:
            used.append(fact)
            travel.append(text(lang, "screening.plan.travel_host", host=country_name(answers.host, lang),
                               how=fact.text(lang)[0]))
    if answers.return_decision == "yes":
        travel.append(text(lang, "screening.plan.travel_decision"))

    support = [_fact_item(f, lang) for f in (facts("programmes", MAX_SUPPORT_FACTS) + facts("reintegration", MAX_SUPPORT_FACTS))]
    support = support[:MAX_SUPPORT_FACTS] or [text(lang, "screening.plan.no_support", country=name)]
    contacts = [_fact_item(f, lang) for f in facts("consular_contacts", MAX_CONTACT_FACTS)]
    contacts = contacts[:MAX_CONTACT_FACTS] or [text(lang, "screening.plan.no_contacts", country=name)]
    questions = [text(lang, f"screening.plan.q{i}") for i in range(1, 5)]
    alternatives = [text(lang, "screening.plan.alternatives_text")]
    if answers.host and lib.has_host(answers.host):
        for fact in lib.host_facts(answers.host, "legal_aid", eu_wide=False)[:1]:
            used.append(fact)
            alternatives.append(fact.text(lang)[0])

    sections = [
        Section(text(lang, "screening.plan.documents"), documents),
        Section(text(lang, "screening.plan.travel"), travel),
        Section(text(lang, "screening.plan.support", country=name), support),
        Section(text(lang, "screening.plan.contacts"), contacts),
        Section(text(lang, "screening.plan.questions"), questions),
        Section(text(lang, "screening.plan.alternatives"), alternatives),
    ]
    source_ids = list(dict.fromkeys(ref.id for fact in used for ref in fact.source_refs))
    return Plan(
        lang=lang,
        title=text(lang, "screening.plan.title", country=name),
        intro=text(lang, "screening.plan.intro"),
        sections=sections,
        sources=[_source_line(lib, sid) for sid in source_ids],
        fact_ids=list(dict.fromkeys(f.id for f in used)),
    )


def new_plan_token() -> str:
    return secrets.token_urlsafe(16)


def _origin(tracker: Tracker) -> Optional[str]:
    for value in (next(tracker.get_latest_entity_values("country"), None), tracker.get_slot("origin_country"),
                  tracker.get_slot("country")):
        if value and value != "skipped":
            return str(value).upper()
    return None


class ActionReturnPlan(Action):
    """Sends the plan as a message and as a PDF link; asks for the country of origin first if unknown."""

    def name(self) -> str:
        return "action_return_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        from actions.plan_pdf import render_plan_pdf  # fpdf2 is loaded only when a plan is made

        lang = language_of(tracker)
        lib = library()
        origin = _origin(tracker)
        if not origin:
            buttons = [{"title": country_name(code, lang), "payload": f'/request_return_plan{{"country": "{code}"}}'}
                       for code in lib.countries()]
            dispatcher.utter_message(text=text(lang, "screening.plan.ask_country"), buttons=buttons)
            return []
        plan = build_plan(lib, origin, Answers.from_slots(tracker.slots), lang)
        token = new_plan_token()
        message = plan.as_text()
        try:
            render_plan_pdf(plan, settings.plans_dir() / f"{token}.pdf")
        except (ImportError, OSError) as exc:  # uharfbuzz or the Noto fonts missing, or the folder not writable
            logger.warning("plan PDF not rendered (%s); sending the plan as a message only", type(exc).__name__)
        else:
            message = "\n".join([message, "", text(lang, "screening.plan.message_pdf", path=f"/plans/{token}.pdf")])
        buttons = [
            {"title": text(lang, "buttons.sources"), "payload": "/ask_sources"},
            {"title": text(lang, "screening.buttons.legal_options"), "payload": "/ask_legal_options"},
            {"title": text(lang, "screening.buttons.counsellor"), "payload": "/request_counsellor"},
        ]
        dispatcher.utter_message(text=message, buttons=buttons)
        return [SlotSet("country", origin), SlotSet("last_facts", plan.fact_ids)]
