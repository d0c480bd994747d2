"""Rasa NLU component: a short message that names only a country or topic is `inform`.

"and reception?", "et la santé ?", "امنیت چی؟" are follow-ups people send all the time; the
classifier often has too little text to be confident, and the fallback would ask them to rephrase.
When the gazetteer found a country or topic in a message of at most MAX_WORDS words and the
classifier fell back, the message is taken as `inform`, so the remembered country answers it.
"""
from __future__ import annotations

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
            words = len((message.get(TEXT) or "").split())
            if intent == "nlu_fallback" and named and words <= MAX_WORDS:
                inform = {"name": "inform", "confidence": CONFIDENCE}
                ranking = [inform, *[r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "inform"]]
                message.set(INTENT, inform, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
