"""Keyboard mashing gets the clarifying question, real (even misspelled) words keep their intent."""
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_ext.unknown_text_fallback import UnknownTextFallback

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> UnknownTextFallback:
    """Trained on Passage's real training data, saved and loaded back as a model would be."""
    from rasa.shared.nlu.training_data.loading import load_data

    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("unknown_text_fallback")
    trained = UnknownTextFallback.create({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]
    trained.train(load_data(str(ROOT / "data" / "nlu")))
    return UnknownTextFallback.load({}, storage, resource, ExecutionContext(None))  # type: ignore[arg-type]


def classified(component: UnknownTextFallback, text: str, intent: str = "greet", entities: list | None = None) -> str:
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6}, ENTITIES: entities or []})
    component.process([message])
    return message.get(INTENT)["name"]


def test_keyboard_mashing_falls_back(component: UnknownTextFallback) -> None:
    assert classified(component, "qqqq zzzz") == "nlu_fallback"
    assert classified(component, "hgfhgf", "thank") == "nlu_fallback"


def test_a_letter_held_down_is_mashing_unless_people_write_it(component: UnknownTextFallback) -> None:
    assert classified(component, "zzzzzz", "deny") == "nlu_fallback"
    assert classified(component, "ههههه", "out_of_scope") == "out_of_scope"  # laughter, in the training data


def test_an_emergency_never_gets_the_clarifying_question(component: UnknownTextFallback) -> None:
    assert classified(component, "xqzv jkjk", "emergency") == "emergency"
    assert classified(component, "xqzv jkjk", "greet") == "nlu_fallback"


def test_misspelled_real_words_keep_the_classifiers_answer(component: UnknownTextFallback) -> None:
    assert classified(component, "helo") == "greet"
    assert classified(component, "thnks alot", "thank") == "thank"
    assert classified(component, "mercii bcp", "thank") == "thank"
    assert classified(component, "আমি দেশে ফিরতে চাই", "ask_voluntary_return") == "ask_voluntary_return"
    assert classified(component, "is it safe in mali?", "ask_country_info") == "ask_country_info"


def test_a_named_country_is_never_mashing(component: UnknownTextFallback) -> None:
    entity = {"entity": "country", "value": "BF", "start": 0, "end": 12}
    assert classified(component, "ouagadougou", "inform", [entity]) == "inform"
