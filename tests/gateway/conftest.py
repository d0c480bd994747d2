from tests.app_fixtures import client, fake_rasa, settings  # noqa: F401  (pytest fixtures)
