"""Erases one conversation from Rasa's tracker store — Rasa Open Source 3.6 has no API for it.

Deletion on request and the retention limit must reach Rasa's own store too, not only the gateway's.
"""
from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore, SQLTrackerStore


def _innermost(store: Any) -> Any:
    """Unwraps Rasa's AwaitableTrackerStore and FailSafeTrackerStore wrappers."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def erase(tracker_store: Any, sender_id: str) -> None:
    store = _innermost(tracker_store)
    if hasattr(store, "forget"):  # CachedSQLTrackerStore: the copy in memory goes too
        store.forget(sender_id)
    if isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id).delete()
            session.commit()
    elif isinstance(store, RedisTrackerStore):
        store.red.delete(store.key_prefix + sender_id)
    elif isinstance(store, InMemoryTrackerStore):
        store.store.pop(sender_id, None)
    else:
        raise NotImplementedError(f"erasing from {type(store).__name__} is not supported; use SQL, Redis or in-memory")
