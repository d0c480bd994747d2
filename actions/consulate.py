"""What a consulate can and cannot do, the verified consular contacts, and a referral only with consent.

`action_consulate_info` explains, lists the consular-contact facts of the user's country of origin
(those for their host country when it is known), and, when one of them is a fresh, uncontested,
sourced e-mail address, shows word for word the request it could send and asks. Nothing is sent from
here: `action_consular_referral` hands the approved text to the gateway only after the user pressed
the "Yes, send it" button, whose payload carries the digest of exactly that text and recipient. The
gateway checks the digest against the preview it relayed, records the consent and sends the e-mail.
"""
from __future__ import annotations

import hashlib
import secrets
from typing import Any, Dict, List, Optional

from babel import Locale
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import settings
from actions.country_info import fact_lines
from actions.gateway_signals import signal
from actions.library import library
from actions.texts import country_name, language_of, text
from knowledge.model import HOST_COUNTRIES

TOPIC = "consular_contacts"
MAX_FACTS = 3
CONSENT = "consular_referral"  # value of the `consent` entity on the yes button: "consular_referral:<digest>"
DIGEST_CHARS = 32


def referral_digest(recipient: str, body: str) -> str:
    """Binds a consent to one recipient and one text (the gateway computes the same)."""
    return hashlib.sha256(f"{recipient}\n{body}".encode()).hexdigest()[:DIGEST_CHARS]


def _known(value: Optional[str]) -> Optional[str]:
    return value if value and value != "skipped" else None


def _counsellor_button(lang: str) -> Dict[str, str]:
    return {"title": text(lang, "buttons.counsellor"), "payload": "/request_counsellor"}


def _consent_buttons(lang: str, digest: str) -> List[Dict[str, str]]:
    return [
        {"title": text(lang, "consulate.yes_send"), "payload": f'/affirm{{"consent": "{CONSENT}:{digest}"}}'},
        {"title": text(lang, "consulate.no_send"), "payload": "/deny"},
    ]


def _language_name(lang: str) -> str:
    """The user's language named in that language (CLDR)."""
    return Locale.parse(lang).get_display_name(lang) or lang


def _referral_text(lang: str, origin: str, host: Optional[str]) -> str:
    """The whole e-mail: no name, phone number, channel id or pseudonym; a random reference only."""
    return text(
        lang,
        "consulate.preview",
        reference=f"P-{secrets.token_hex(4).upper()}",
        organisation=settings.organisation(),
        origin=f"{country_name(origin, lang)} ({origin})",
        host=f"{country_name(host, lang)} ({host})" if host else text(lang, "consulate.host_unknown"),
        language=_language_name(lang),
    )


def _contact_line(fact: Any, lang: str) -> Optional[str]:
    contact = fact.fact.contact
    if contact is None:
        return None
    if contact.host:
        return "  " + text(lang, "consulate.email_for_host", email=contact.email, host=country_name(contact.host, lang))
    return "  " + text(lang, "consulate.email", email=contact.email)


def _referable(fact: Any, host: Optional[str]) -> bool:
    """Only a fresh, uncontested, sourced address, and one for where the user is (if it says)."""
    contact = fact.fact.contact
    if contact is None or fact.is_stale or fact.is_contested:
        return False
    return contact.host is None or contact.host == host


class ActionConsulateInfo(Action):
    def name(self) -> str:
        return "action_consulate_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        lib = library()
        dispatcher.utter_message(text=text(lang, "consulate.what"))
        origin = next(tracker.get_latest_entity_values("country"), None) or _known(tracker.get_slot("country")) or _known(tracker.get_slot("origin_country"))
        host = _known(tracker.get_slot("host_country"))
        host = host if host in HOST_COUNTRIES else None
        if not origin:
            buttons = [{"title": country_name(code, lang), "payload": f'/request_consulate{{"country": "{code}"}}'} for code in lib.countries()]
            dispatcher.utter_message(text=text(lang, "consulate.ask_country"), buttons=buttons)
            return [SlotSet("consular_referral", None)]
        name = country_name(origin, lang)
        facts = lib.facts(origin, TOPIC) if lib.has_profile(origin) else []
        facts = [f for f in facts if host is None or f.fact.contact is None or f.fact.contact.host in (None, host)][:MAX_FACTS]
        if not facts:
            dispatcher.utter_message(text=text(lang, "consulate.no_contact", country=name), buttons=[_counsellor_button(lang)])
            return [SlotSet("country", origin), SlotSet("consular_referral", None), SlotSet("last_facts", [])]

        lines = [text(lang, "consulate.contacts_header", country=name)]
        for fact in facts:
            lines.append(fact_lines(fact, lang))
            if (contact_line := _contact_line(fact, lang)) is not None:
                lines.append(contact_line)
        events: List[Dict[str, Any]] = [SlotSet("country", origin), SlotSet("last_facts", [f.id for f in facts])]
        target = next((f for f in facts if _referable(f, host)), None)
        if target is None:
            if not any(f.fact.contact for f in facts):
                lines.append(text(lang, "consulate.no_address"))
            buttons = [_counsellor_button(lang), {"title": text(lang, "buttons.sources"), "payload": "/ask_sources"}]
            dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
            return [*events, SlotSet("consular_referral", None)]

        dispatcher.utter_message(text="\n".join(lines))
        recipient = target.fact.contact.email
        body = _referral_text(lang, origin, host)
        digest = referral_digest(recipient, body)
        dispatcher.utter_message(text=text(lang, "consulate.offer_intro", email=recipient))
        dispatcher.utter_message(text=body)  # a message of its own: exactly the e-mail's body
        dispatcher.utter_message(json_message=signal(consular_offer={"to": recipient, "text": body, "digest": digest}))
        dispatcher.utter_message(text=text(lang, "consulate.offer_question", email=recipient), buttons=_consent_buttons(lang, digest))
        return [*events, SlotSet("consular_referral", {"to": recipient, "text": body, "digest": digest, "fact": target.id})]


class ActionConsularReferral(Action):
    """The answer to the preview: only the "Yes, send it" button for this very text sends anything."""

    def name(self) -> str:
        return "action_consular_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        pending = tracker.get_slot("consular_referral")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not isinstance(pending, dict) or not pending.get("digest"):
            dispatcher.utter_message(text=text(lang, "consulate.nothing_pending"), buttons=[_counsellor_button(lang)])
            return []
        consents = [v for v in tracker.get_latest_entity_values("consent") if isinstance(v, str) and v.startswith(f"{CONSENT}:")]
        if intent == "affirm" and consents == [f"{CONSENT}:{pending['digest']}"]:
            dispatcher.utter_message(
                json_message=signal(consular_referral={"to": pending["to"], "text": pending["text"], "digest": pending["digest"]})
            )
            return [SlotSet("consular_referral", None)]
        if intent == "affirm":
            # A typed "yes" (or an old button) is not the explicit choice for this text: ask again, send nothing.
            dispatcher.utter_message(text=text(lang, "consulate.press_button"), buttons=_consent_buttons(lang, pending["digest"]))
            return []
        dispatcher.utter_message(text=text(lang, "consulate.declined"))
        return [SlotSet("consular_referral", None)]
