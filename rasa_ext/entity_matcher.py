"""Rasa NLU component: country, topic and language entities from the gazetteer.

Countries are normalised to ISO 3166-1 alpha-2, topics to Passage's topic names and languages to
ISO 639-1. The language the gateway decided for this message arrives in the message metadata and
becomes a `language` entity too, so the `language` slot (and with it every reply) follows it.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_ext.gazetteer import LANGUAGES, default_gazetteer

# The extractor name of the entity that carries the gateway's language decision.
LANGUAGE_HINT = "GatewayLanguage"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based entities from real multilingual name data; nothing to train."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        """Builds the name data now, while the model loads: built lazily it took seconds, and the first
        person to write after a restart waited for it."""
        default_gazetteer()
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        gazetteer = default_gazetteer()
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.add_extractor_name(
                [
                    {"entity": m.entity, "value": m.value, "start": m.start, "end": m.end, "confidence": 1.0}
                    for m in gazetteer.find(text)
                ]
            )
            hinted = (message.get(METADATA) or {}).get("language")
            if hinted in LANGUAGES:
                # The gateway already weighed explicit requests; its decision replaces text mentions.
                found = [e for e in found if e["entity"] != "language"]
                found.append({"entity": "language", "value": hinted, "start": 0, "end": 0, "confidence": 1.0, "extractor": LANGUAGE_HINT})
            # Rasa's graph may hand the same message through twice: replace, never duplicate, our entities.
            ours = {self.name, LANGUAGE_HINT}
            others = [e for e in message.get(ENTITIES, []) if e.get("extractor") not in ours]
            message.set(ENTITIES, others + found, add_to_output=True)
        return messages
