"""Passage's Rasa runs its model's graphs node after node instead of through dask.

What a user would notice if it were wrong: any other intent, confidence, entity or next action
than Rasa's own runner gives for the same message.
"""
from pathlib import Path

import pytest
import rasa.core.processor
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.graph_runner import SequentialGraphRunner

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "passage.tar.gz"
MESSAGES = ["hello", "is it safe in mali?", "je viens du sénégal", "أريد العودة إلى بلدي", "آیا در افغانستان کار هست؟",
            "আমি দেশে ফিরতে চাই", "talk to a human", "xqzv", "delete my data", "how do you know?"]


@pytest.fixture(scope="module")
def agents() -> tuple[Agent, Agent]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: `make test` trains it first")
    dask_agent = Agent.load(str(MODEL))
    original = rasa.core.processor.DaskGraphRunner
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner
    try:
        sequential_agent = Agent.load(str(MODEL))
    finally:
        rasa.core.processor.DaskGraphRunner = original
    assert isinstance(sequential_agent.processor.graph_runner, SequentialGraphRunner)
    return dask_agent, sequential_agent


async def test_it_parses_every_message_exactly_as_rasas_runner_does(agents) -> None:
    dask_agent, sequential_agent = agents
    for text in MESSAGES:
        assert await sequential_agent.parse_message(text) == await dask_agent.parse_message(text), text


async def test_it_predicts_the_same_next_action(agents) -> None:
    dask_agent, sequential_agent = agents
    for text in MESSAGES:
        predictions = []
        for agent in agents:
            tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen")], slots=agent.domain.slots)
            parsed = await agent.parse_message(text)
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed))
            prediction = agent.processor._predict_next_with_tracker(tracker)
            predictions.append((agent.domain.action_names_or_texts[prediction.max_confidence_index], prediction.max_confidence, prediction.policy_name))
        assert predictions[0] == predictions[1], text
