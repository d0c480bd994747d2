"""Records which facts a user disputes, with their words, for curators; thanks them.

The report holds no user or conversation id: curators need the fact and the words, not the person.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import settings


class ActionReportOutdated(Action):
    def name(self) -> str:
        return "action_report_outdated"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        path = settings.reports_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        words = (tracker.latest_message.get("text") or "")[:2000]
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        fact_ids = tracker.get_slot("last_facts") or [None]
        with path.open("a", encoding="utf-8") as out:
            for fact_id in fact_ids:
                record = {"fact_id": fact_id, "country": tracker.get_slot("country"), "topic": tracker.get_slot("topic"), "text": words, "at": at}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return []
