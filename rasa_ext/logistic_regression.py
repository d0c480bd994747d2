"""Rasa NLU component: Rasa's logistic regression intent classifier with a tunable regularisation C.

Rasa fixes C at scikit-learn's default of 1.0. Over thousands of sparse word and character n-gram
features that spreads probability thinly across 28 intents, so clear messages end below the
fallback threshold; a weaker regularisation keeps the same fast linear model but sharper.
"""
from __future__ import annotations

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TunedLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0}

    def __init__(self, config: Dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=float(self.config["C"]))
