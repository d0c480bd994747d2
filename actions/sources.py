"""“How do you know?”: the sources behind the last answer, with their kinds and dates."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.library import library
from actions.texts import language_of, text


class ActionListSources(Action):
    def name(self) -> str:
        return "action_list_sources"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        lang = language_of(tracker)
        lib = library()
        facts = [fact for fact in (lib.fact(i) for i in tracker.get_slot("last_facts") or []) if fact]
        sources = list({source.id: source for fact in facts for source in fact.sources}.values())
        if not sources:
            dispatcher.utter_message(text=text(lang, "no_sources"))
            return []
        lines = [text(lang, "sources_header")]
        for source in sources:
            line = text(
                lang,
                "source_line",
                title=source.title,
                publisher=source.publisher,
                date=source.published or "n.d.",
                kind=text(lang, f"source_kinds.{source.kind}"),
            )
            if source.known_through:
                line += f" — {text(lang, 'known_through', parent=lib.source(source.known_through).title)}"
            if source.url:
                line += f"\n  {source.url}"
            lines.append(f"• {line}")
        dispatcher.utter_message(text="\n".join(lines))
        return []
