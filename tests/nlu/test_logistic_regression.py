"""The intent classifier over tf-idf weighted features, trained, saved and loaded as a model would be."""
from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_ext.logistic_regression import TunedLogisticRegressionClassifier

EXAMPLES = {
    "greet": ["hello", "hi there", "salam", "bonjour", "good morning"],
    "emergency": ["help me now", "police are here", "i am in danger", "urgent help", "he is hitting me"],
    "ask_travel_documents": ["i lost my passport", "passport expired", "laissez passer", "new passport please", "no id card"],
}
CONFIG = {"C": 30, "tfidf": True, "max_iter": 1000}


class Pipeline:
    """Tokenizer, word and character featurizers, then the classifier: Passage's NLU in miniature."""

    def __init__(self, storage: LocalModelStorage) -> None:
        context = ExecutionContext(None, node_name="test")  # type: ignore[arg-type]
        self.tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
        self.featurizers = [
            CountVectorsFeaturizer.create({**CountVectorsFeaturizer.get_default_config(), **config}, storage, Resource(name), ExecutionContext(None, node_name=name))  # type: ignore[arg-type]
            for name, config in (("words", {}), ("chars", {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}))
        ]
        self.storage, self.context = storage, context

    def featurise(self, messages: list[Message], training: bool = False) -> None:
        data = TrainingData(messages)
        self.tokenizer.process_training_data(data) if training else self.tokenizer.process(messages)
        for featurizer in self.featurizers:
            if training:
                featurizer.train(data)
                featurizer.process_training_data(data)
            else:
                featurizer.process(messages)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Pipeline, Any, Any]:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    pipeline = Pipeline(storage)
    messages = [Message(data={TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
    pipeline.featurise(messages, training=True)
    resource = Resource("classifier")
    classifier = TunedLogisticRegressionClassifier.create(CONFIG, storage, resource, pipeline.context)
    classifier.train(TrainingData(messages))
    loaded = TunedLogisticRegressionClassifier.load(CONFIG, storage, resource, pipeline.context)
    return pipeline, classifier, loaded


def classify(pipeline: Pipeline, classifier: Any, text: str) -> dict:
    message = Message(data={TEXT: text})
    pipeline.featurise([message])
    classifier.process([message])
    return message.get(INTENT)


def test_the_saved_model_answers_as_the_trained_one(trained: tuple[Pipeline, Any, Any]) -> None:
    pipeline, classifier, loaded = trained
    for text in ("my passport is lost", "hello friend", "help, police"):
        assert classify(pipeline, loaded, text) == classify(pipeline, classifier, text)


def test_short_and_long_messages_find_their_intent(trained: tuple[Pipeline, Any, Any]) -> None:
    pipeline, _, loaded = trained
    assert classify(pipeline, loaded, "passport")["name"] == "ask_travel_documents"
    assert classify(pipeline, loaded, "please please help me now, i am in danger, the police are here")["name"] == "emergency"
    assert classify(pipeline, loaded, "salam")["name"] == "greet"


def test_a_model_saved_without_weights_is_refused_with_a_reason(tmp_path: Path, trained: tuple[Pipeline, Any, Any]) -> None:
    pipeline, _, _ = trained
    storage = LocalModelStorage(tmp_path)
    resource = Resource("plain")
    plain = TunedLogisticRegressionClassifier.create({**CONFIG, "tfidf": False}, storage, resource, pipeline.context)
    messages = [Message(data={TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
    pipeline.featurise(messages)
    plain.train(TrainingData(messages))
    reloaded = TunedLogisticRegressionClassifier.load(CONFIG, storage, resource, pipeline.context)
    with pytest.raises(ValueError, match="retrain"):
        classify(pipeline, reloaded, "hello")
