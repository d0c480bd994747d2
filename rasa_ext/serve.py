"""`python -m rasa_ext.serve run …`: Rasa's own command line, with Passage's speed-ups applied first.

Found by profiling a stock `rasa run` under load (`make bench-load`, py-spy):
- Close to half of its busy time went to re-checking one constant JSON schema: for every custom
  action's answer, Rasa 3.6 calls `jsonschema.validate`, which validates the schema itself against
  the meta-schema before checking the answer. Here the schema is checked once and its validator
  reused; answers are still validated exactly as before and a bad answer fails the same way.
- Every call to the action server opened a new HTTP client session and TCP connection. Here each
  endpoint keeps one session (and its keep-alive connections) for the life of the server.
- Every prediction graph went through dask's scheduler, which cost about a fifth of the graph runs
  themselves; here the nodes are called in order (rasa_ext/graph_runner.py).
Everything else is Rasa unchanged.
"""
from __future__ import annotations

import sys
from typing import Any, Dict, Tuple


def reuse_action_response_validator() -> None:
    """Replaces RemoteAction._validate_action_result with one that builds its validator once."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the Action "
                f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


class _KeptSession:
    """`async with endpoint.session() as s:` without closing s at the end."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *_: Any) -> None:
        return None


def reuse_endpoint_sessions() -> None:
    """EndpointConfig.session() returns one kept session per endpoint instead of a new one per request."""
    from rasa.utils.endpoints import EndpointConfig

    new_session = EndpointConfig.session
    kept: Dict[Tuple[Any, ...], Any] = {}

    def session(self: EndpointConfig) -> _KeptSession:
        key = (self.url, tuple(sorted((self.headers or {}).items())), repr(self.basic_auth))
        current = kept.get(key)
        if current is None or current.closed or current._loop.is_closed():
            current = kept[key] = new_session(self)
        return _KeptSession(current)

    EndpointConfig.session = session  # type: ignore[method-assign]


def run_graphs_sequentially() -> None:
    """The models this server loads run their graphs with SequentialGraphRunner."""
    import rasa.core.processor

    from rasa_ext.graph_runner import SequentialGraphRunner

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]


def main() -> None:
    reuse_action_response_validator()
    reuse_endpoint_sessions()
    run_graphs_sequentially()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
