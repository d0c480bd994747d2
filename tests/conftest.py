"""Test-wide set-up. Warnings are errors (pyproject), except while third-party packages import:
Rasa 3.6's pinned dependency set emits deprecation warnings at import time that are not ours."""
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import rasa.engine.recipes.default_recipe  # noqa: F401
    import rasa.shared.nlu.training_data.message  # noqa: F401
    import rasa_sdk  # noqa: F401
    import spacy  # noqa: F401
    import spacy.matcher  # noqa: F401
