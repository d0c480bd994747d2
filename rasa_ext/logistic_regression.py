"""Rasa NLU component: Rasa's logistic regression intent classifier with a tunable regularisation C,
over tf-idf weighted features.

Rasa fixes C at scikit-learn's default of 1.0. Over thousands of sparse word and character n-gram
features that spreads probability thinly across 28 intents, so clear messages end below the
fallback threshold; a weaker regularisation keeps the same fast linear model but sharper.

Rasa hands the classifier raw n-gram counts, so a long message weighs more than a short one and
a letter pair found in every message weighs as much as a rare word. With `tfidf: true` each
featurizer's counts become 1 + log(count), are weighed by how rare the feature is in the training
messages (idf), and each message's vector gets length one, featurizer by featurizer: scikit-learn's
TfidfVectorizer(sublinear_tf=True) on Rasa's features. Measured on the earliest writer's 3,800
messages with the classifier trained on everyone else's (scripts/nlu_quick's model), macro-F1 went
from 0.891 to 0.910 on average, from 0.879 to 0.922 in Persian; one-to-three-word messages gain most.

It also keeps the coefficients in the memory order prediction reads them in. scikit-learn multiplies
a message's sparse features by `coef_.T`, and scipy copies a non-contiguous operand on every call:
with ~30,000 word and character n-gram features that copy made one prediction take 0.4 ms instead
of 0.03 ms (it showed up when profiling Rasa under `make bench-load`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.preprocessing import normalize

_IDF_FILE = "idf.npz"


def _sentence_features(message: Message) -> Dict[str, csr_matrix]:
    """The message's sparse sentence features, one row per featurizer (keyed by its graph node)."""
    found: Dict[str, csr_matrix] = {}
    for features in message.features:
        if features.attribute == TEXT and features.type == FEATURE_TYPE_SENTENCE and features.is_sparse():
            origin = features.origin if isinstance(features.origin, str) else "+".join(features.origin)
            found[origin] = csr_matrix(features.features)
    return found


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TunedLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "tfidf": False}

    def __init__(self, config: Dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=float(self.config["C"]))
        self._idf: Optional[Dict[str, np.ndarray]] = None  # per featurizer; None until trained or loaded
        self._learning = False

    def _weighted(self, rows: List[Dict[str, csr_matrix]]) -> csr_matrix:
        blocks = []
        for origin, idf in sorted((self._idf or {}).items()):
            empty = csr_matrix((1, len(idf)))  # a featurizer that had nothing to say about this message
            counts = vstack([row.get(origin, empty) for row in rows]).tocsr().astype(np.float64)
            counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]  # multiplying by a diagonal matrix instead doubled the parse time
            blocks.append(normalize(counts))
        return hstack(blocks).tocsr()

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        if not self.config["tfidf"]:
            return super()._create_X(messages)
        rows = [_sentence_features(message) for message in messages]
        if self._learning:  # how rare each feature is, from the training messages
            self._idf = {}
            for origin in sorted({origin for row in rows for origin in row}):
                counts = vstack([row[origin] for row in rows if origin in row]).tocsr()
                document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
                self._idf[origin] = np.log((1 + len(rows)) / (1 + document_frequency)) + 1.0
        if self._idf is None:
            raise ValueError(f"{self.name} has no feature weights: it was loaded from a model trained without tfidf; retrain")
        return self._weighted(rows)

    def train(self, training_data: TrainingData) -> Resource:
        self._learning = True
        try:
            return super().train(training_data)
        finally:
            self._learning = False

    def persist(self) -> None:
        super().persist()
        if self._idf is not None:
            with self._model_storage.write_to(self._resource) as model_dir:
                np.savez(model_dir / _IDF_FILE, **self._idf)

    @classmethod
    def load(
        cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext, **kwargs: Any
    ) -> TunedLogisticRegressionClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        if component.config["tfidf"]:
            with model_storage.read_from(resource) as model_dir:
                if (model_dir / _IDF_FILE).exists():
                    with np.load(model_dir / _IDF_FILE) as saved:
                        component._idf = {origin: saved[origin] for origin in saved.files}
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        coef = getattr(self.clf, "coef_", None)
        if coef is not None and not coef.T.flags.c_contiguous:
            self.clf.coef_ = np.asfortranarray(coef)  # same numbers; coef_.T is now contiguous
        return super().process(messages)
