"""The action-test fixtures (tracker factory, dispatcher, real domain) for the screening tests."""
from tests.actions.conftest import dispatcher, domain, make_tracker  # noqa: F401
