from tests.app_fixtures import client, fake_rasa, settings  # noqa: F401  (pytest fixtures)
from tests.smtp_fixtures import smtp_server  # noqa: F401  (pytest fixture)
