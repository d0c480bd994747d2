"""Rasa NLU component: a short message that names only a country or topic is `inform`.

"and reception?", "et la santé ?", "امنیت چی؟" are follow-ups people send all the time; the
classifier often has too little text to be confident, and the fallback would ask them to rephrase.
When the gazetteer found a country or topic in a message of at most MAX_WORDS words and the
classifier fell back or was unsure (below UNSURE), the message is taken as `inform`, so the
remembered country answers it.
A message that is nothing but a country or topic name ("নাইজেরিয়া", "housing") is `inform` too when
the classifier took it for small talk (a yes, a no, a greeting) or for out of scope: short foreign
words look alike, and a country is never beside Passage's point.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MAX_WORDS = 4
CONFIDENCE = 0.8
# Below this the classifier is guessing; with a question mark, "and reception?" scored 0.25 for
# check_eligibility and would have started the eligibility screening.
UNSURE = 0.5
# What a message that is only a country or topic name cannot mean: small talk, or out of scope.
NOT_A_NAME = frozenset({"affirm", "deny", "greet", "goodbye", "thank", "out_of_scope"})
_WORDS = re.compile(r"[^\W\d_]", re.UNICODE)


def _only_names(text: str, named: List[Dict[str, Any]]) -> bool:
    """True when nothing but the named spans (and punctuation or digits) is left in the text."""
    rest = list(text)
    for entity in named:
        rest[entity["start"] : entity["end"]] = [" "] * (entity["end"] - entity["start"])
    return not _WORDS.search("".join(rest))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EntityOnlyInform(GraphComponent):
    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> EntityOnlyInform:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            named = [e for e in message.get(ENTITIES) or [] if e.get("entity") in ("country", "topic") and e.get("end", 0) > 0]
            text = message.get(TEXT) or ""
            confidence = (message.get(INTENT) or {}).get("confidence") or 0.0
            unsure = (intent == "nlu_fallback" or confidence < UNSURE) and len(text.split()) <= MAX_WORDS
            if named and (unsure or (intent in NOT_A_NAME and _only_names(text, named))):
                inform = {"name": "inform", "confidence": CONFIDENCE}
                ranking = [inform, *[r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "inform"]]
                message.set(INTENT, inform, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
