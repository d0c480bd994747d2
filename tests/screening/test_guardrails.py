"""Non-directive guardrails over every text Passage can send, in every language.

Any text that mentions return must also name the alternatives and free legal advice, and no text
may urge or nudge ("you should go home"). The keyword and phrase lists are in guardrails.yml.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility_result import compose_result
from actions.legal_options import compose_legal_options
from actions.library import library
from actions.return_plan import build_plan
from actions.screening import (
    ActionAskHostCountry,
    ActionAskOriginCountry,
    ActionAskReturnDecision,
    ActionAskSituation,
    ActionAskTravelDocument,
    ActionAskVulnerability,
    ActionStartScreening,
    ActionStopScreening,
)
from knowledge.eligibility import Answers, evaluate
from knowledge.model import HOST_COUNTRIES
from knowledge.programmes import ANSWERS
from tests.actions.conftest import make_tracker

REPO = Path(__file__).resolve().parents[2]
GUARDS = yaml.safe_load((Path(__file__).with_name("guardrails.yml")).read_text(encoding="utf-8"))
LANGUAGES = ("en", "fr", "ar", "fa", "bn")


def problems(text: str, lang: str) -> list[str]:
    """What is wrong with a text under the guardrails (empty when it is fine)."""
    rules, low = GUARDS[lang], text.lower()
    found = [f"urges: {phrase!r}" for phrase in rules["forbidden"] if phrase.lower() in low]
    if any(word.lower() in low for word in rules["return"]):
        if not any(word.lower() in low for word in rules["alternatives"]):
            found.append("mentions return without naming the alternatives")
        if not any(word.lower() in low for word in rules["legal_advice"]):
            found.append("mentions return without naming free legal advice")
    return found


def domain_texts() -> Iterator[tuple[str, str, str]]:
    responses = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for name, variations in responses.items():
        for variation in variations:
            conditions = variation.get("condition") or []
            lang = next((c["value"] for c in conditions if c.get("name") == "language"), "en")
            yield f"{name} [{lang}]", lang, str(variation.get("text") or "")


def _answer_sets() -> Iterator[Answers]:
    hosts = (*HOST_COUNTRIES, "PL", None)
    for host, situation, decision in itertools.product(hosts, (*ANSWERS["situation"], None), ("yes", "no")):
        yield Answers(host=host, situation=situation, return_decision=decision, vulnerability="serious_illness")


def action_texts() -> Iterator[tuple[str, str, str]]:
    lib = library()
    programmes = lib.programmes()
    for lang in LANGUAGES:
        for host in (*HOST_COUNTRIES, "PL"):
            yield f"legal options {host} [{lang}]", lang, compose_legal_options(lib, host, lang)[0]
        for answers in _answer_sets():
            yield f"result {answers} [{lang}]", lang, compose_result(lib, evaluate(programmes, answers), lang)
        for origin in lib.countries():
            for answers in (Answers(), Answers(host="DE", travel_document="no", return_decision="yes"), Answers(host="BE")):
                yield f"plan {origin} {answers} [{lang}]", lang, build_plan(lib, origin, answers, lang).as_text()


async def dispatched_texts() -> list[tuple[str, str, str]]:
    actions = [ActionStartScreening(), ActionAskHostCountry(), ActionAskOriginCountry(), ActionAskSituation(),
               ActionAskVulnerability(), ActionAskTravelDocument(), ActionAskReturnDecision(), ActionStopScreening()]
    found = []
    for lang, action in itertools.product(LANGUAGES, actions):
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, make_tracker("stop_screening", language=lang), {})
        found += [(f"{action.name()} [{lang}]", lang, m.get("text") or "") for m in dispatcher.messages]
    return found


def test_every_domain_response_keeps_the_guardrails() -> None:
    failures = [f"{where}: {p}" for where, lang, text in domain_texts() for p in problems(text, lang)]
    assert not failures, "\n".join(failures)


def test_every_composed_answer_keeps_the_guardrails() -> None:
    failures = [f"{where}: {p}" for where, lang, text in action_texts() for p in problems(text, lang)]
    assert not failures, "\n".join(failures[:20])


async def test_every_screening_message_keeps_the_guardrails() -> None:
    failures = [f"{where}: {p}" for where, lang, text in await dispatched_texts() for p in problems(text, lang)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_guardrail_catches_a_return_answer_without_alternatives(lang) -> None:
    lib = library()
    text = compose_result(lib, evaluate(lib.programmes(), Answers(host="DE", situation="claim_refused")), lang)
    assert not problems(text, lang)
    # The same answer without its alternatives and legal-advice lines is caught.
    from actions.texts import text as locale_text

    stripped = "\n".join(line for line in text.split("\n")
                         if line not in (locale_text(lang, "screening.result.decision"), locale_text(lang, "screening.result.share")))
    stripped = stripped.replace(locale_text(lang, "screening.needs.withdraw_claim"), "")
    assert problems(stripped, lang)


def test_the_guardrail_catches_urging() -> None:
    assert problems("You should go home: there are other options and free legal advice.", "en")
    assert problems("Vous devriez rentrer chez vous.", "fr")
    assert problems("يجب أن تعود إلى بلدك", "ar")
    assert problems("باید برگردید", "fa")
    assert problems("আপনার ফিরে যাওয়া উচিত", "bn")
