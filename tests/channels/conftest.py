"""Fixtures for the channel tests; the fakes themselves live in fakes.py."""
from tests.channels.fakes import fake_graph, fake_rasa, fake_telegram, settings, start_gateway  # noqa: F401
