"""The screening's result: which programmes usually cover a situation like the user's and why, what
they would need, what happens next, that the decision is theirs alone, the alternatives and free
legal advice, and a counsellor who sees the answers only if the user presses that button.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.library import library
from actions.texts import country_name, language_of, list_separator, text
from knowledge import Library
from knowledge.eligibility import COVERS, Answers, Match, Screening, evaluate
from knowledge.programmes import Programme

SHARE_PAYLOAD = '/request_counsellor{"consent": "share_screening"}'


def programme_label(programme: Programme, lang: str) -> str:
    return programme.name or text(lang, "screening.result.programme_unnamed", host=country_name(programme.host, lang))


def _reason(field: str, value: str, lang: str) -> str:
    key = "return_decision" if field == "return_decision" else value
    return text(lang, f"screening.situations.{key}")


def _match_lines(match: Match, lang: str) -> List[str]:
    label = programme_label(match.programme, lang)
    orgs = ", ".join(match.programme.run_by)
    if match.status == COVERS:
        reason_text = list_separator(lang).join(_reason(c.field, c.value, lang) for c in match.reasons)
        lines = [text(lang, "screening.result.covers", programme=label, orgs=orgs, reasons=reason_text)]
    else:
        lines = [text(lang, f"screening.result.{match.status}", programme=label, orgs=orgs)]
    if match.programme.as_of:
        lines.append(text(lang, "screening.result.as_of", year=match.programme.as_of))
    if match.status == COVERS and match.needs:
        needs = list_separator(lang).join(text(lang, f"screening.needs.{n.need}") for n in match.needs)
        lines.append(text(lang, "screening.result.needs", needs=needs))
    return lines


def compose_result(lib: Library, screening: Screening, lang: str) -> str:
    """The result message for a finished screening, in the user's language."""
    answers = screening.answers
    lines: List[str] = []
    if not answers.host:
        lines.append(text(lang, "screening.result.no_host"))
    else:
        host = country_name(answers.host, lang)
        lines.append(text(lang, "screening.result.header", host=host))
        for match in screening.matches:
            lines += _match_lines(match, lang)
        if not screening.verified:
            lines.append(text(lang, "screening.result.none_verified", host=host))
        how = lib.host_facts(answers.host, "how_to_apply", eu_wide=False)[:1] if lib.has_host(answers.host) else []
        for fact in how:
            lines.append(f"• {fact.text(lang)[0]}")
    if screening.general:
        groups = list_separator(lang).join(_reason(c.field, c.value, lang) for c in screening.general)
        lines.append(text(lang, "screening.result.general", groups=groups))
    lines.append(text(lang, "screening.result.next"))
    if answers.return_decision == "yes":
        lines.append(text(lang, "screening.result.deadline"))
    lines.append(text(lang, "screening.result.decision"))
    lines.append(text(lang, "screening.result.share"))
    return "\n".join(lines)


def result_buttons(lang: str) -> List[Dict[str, str]]:
    return [
        {"title": text(lang, "screening.buttons.counsellor_share"), "payload": SHARE_PAYLOAD},
        {"title": text(lang, "screening.buttons.legal_options"), "payload": "/ask_legal_options"},
        {"title": text(lang, "screening.buttons.plan"), "payload": "/request_return_plan"},
    ]


class ActionEligibilityResult(Action):
    """Evaluates the answers against the sourced programme criteria and says what it found."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        lib = library()
        screening = evaluate(lib.programmes(), Answers.from_slots(tracker.slots))
        dispatcher.utter_message(text=compose_result(lib, screening, lang), buttons=result_buttons(lang))
        return []
