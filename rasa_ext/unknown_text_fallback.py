"""Rasa NLU component: a message made of letter sequences no training message contains falls back.

The intent classifier reads character n-grams, so it finds something familiar even in keyboard
mashing: "qqqq zzzz" came out as a greeting at 0.41, "hgfhgf" at 0.65, confident enough to get past
the fallback threshold. A person who typed that should get the clarifying question, not a hello.
This component remembers every three-letter sequence (within words) of the training messages; when
less than MIN_COVERAGE of a message's sequences are among them and it names no country or topic, the
message becomes `nlu_fallback`. Misspelled real words keep most of their sequences ("helo", "mercii",
"thnks"), so they still reach the classifier's answer.

MIN_COVERAGE was measured on people who had not written the training data: with the sequences of the
data as it stood before two rounds of new writers, 1.9 % of those writers' Arabic and Bengali
messages fell below 0.6, "بفكر انتحر" (I am thinking of killing myself) among them; below 0.5 only
0.3–0.6 % do. A word that is one letter held down ("qqqq", "zzzz") says nothing about its
language, so its sequences count as unknown unless the training data holds the word itself
("هههه"); with that, 19 of 22 mashing samples fall back (18 at 0.6 without it). A message the
classifier reads as an emergency never falls back: a wrong emergency answer costs less than a
missed one.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Iterable, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_ext.normalise import fold

MIN_COVERAGE = 0.5
NEVER_OVERRIDDEN = "emergency"
FALLBACK = "nlu_fallback"
_WORD = re.compile(r"\w+")
_FILE = "trigrams.json"


def _words(text: str) -> List[str]:
    return _WORD.findall(fold(text))


def _trigrams(word: str) -> List[str]:
    """Three-letter sequences within a word, padded by a space on each side."""
    padded = f" {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def _held_down(word: str) -> bool:
    return len(word) >= 3 and len(set(word)) == 1


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownTextFallback(GraphComponent):
    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        known: Optional[Iterable[str]] = None,
        held_down: Optional[Iterable[str]] = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._known = frozenset(known or ())
        self._held_down = frozenset(held_down or ())  # words of one repeated letter the training data holds

    @classmethod
    def create(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> UnknownTextFallback:
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext, **kwargs: Any
    ) -> UnknownTextFallback:
        with model_storage.read_from(resource) as directory:
            saved = json.loads((directory / _FILE).read_text(encoding="utf-8"))
            return cls(model_storage, resource, saved["trigrams"], saved["held_down"])

    def train(self, training_data: TrainingData) -> Resource:
        words = {w for message in training_data.intent_examples for w in _words(message.get(TEXT) or "")}
        self._known = frozenset(g for word in words for g in _trigrams(word))
        self._held_down = frozenset(w for w in words if _held_down(w))
        with self._model_storage.write_to(self._resource) as directory:
            saved = {"trigrams": sorted(self._known), "held_down": sorted(self._held_down)}
            (directory / _FILE).write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def coverage(self, text: str) -> float:
        known = total = 0
        for word in _words(text):
            found = _trigrams(word)
            total += len(found)
            if not _held_down(word) or word in self._held_down:
                known += sum(g in self._known for g in found)
        return known / total if total else 1.0

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            named = [e for e in message.get(ENTITIES) or [] if e.get("entity") in ("country", "topic")]
            if intent in (None, FALLBACK, NEVER_OVERRIDDEN) or named:
                continue
            coverage = self.coverage(message.get(TEXT) or "")
            if coverage < MIN_COVERAGE:
                fallback = {"name": FALLBACK, "confidence": 1.0 - coverage}
                ranking = [fallback, *[r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK]]
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
