"""Rasa's SQL tracker store, with the conversations it served recently kept in memory.

Profiling Rasa under load (`make bench-load`) showed a fifth of its time in the tracker store:
every message reads the whole conversation back from the database, parses every event and
replays them into a new tracker — twice, as the gateway channel reads the tracker again for the
parse data — and every save counts the stored events with a sub-query before inserting.
The gateway sends each conversation to the same Rasa server (consistent hashing), so that server
can keep the tracker it just saved and hand it out again. Before doing so it asks the database
one cheap, indexed question — the id of the conversation's newest event — so a conversation that
another server touched meanwhile (fail-over) or that was erased is read afresh from the database.
The database stays the source of truth: everything is written through as before, and a restart
only empties the cache.

On SQLite (the embedded default) the store also keeps its connection open (Rasa's default pool
opens a new one for every query) and uses `synchronous=NORMAL`, which in WAL mode loses nothing
when a process is killed, only possibly the last transactions on a power cut. On PostgreSQL the
store's queries and commits run in a worker thread, off Rasa's event loop.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)
_SOMEONE_ELSE_WROTE = object()
T = TypeVar("T")


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored_events: int  # how many of tracker.events are in the database
    newest_id: Optional[int]  # id of the conversation's newest row when the tracker was cached


class CachedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore + an LRU of recent trackers, validated by the newest event id on every read."""

    def __init__(self, *args: Any, cache_size: int = 1000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = int(cache_size)
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        events = self.SQLEvent.__table__
        self._newest_query = sa.select(sa.func.max(events.c.id)).where(events.c.sender_id == sa.bindparam("sender"))
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connection_open()

    def _keep_sqlite_connection_open(self) -> None:
        """Rasa's engine opens a file connection per query (NullPool); one pooled connection is enough."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4, connect_args={"check_same_thread": False})

        @sa.event.listens_for(self.engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _newest_id(self, sender_id: str) -> Optional[int]:
        """One indexed lookup on a plain connection (an ORM session costs more than the query)."""
        with self.engine.connect() as connection:
            return connection.execute(self._newest_query, {"sender": sender_id}).scalar()

    def forget(self, sender_id: str) -> None:
        """Called when a conversation is erased."""
        self._cache.pop(sender_id, None)

    def _remember(self, sender_id: str, tracker: DialogueStateTracker, newest_id: Optional[int]) -> None:
        starts = [index for index, event in enumerate(tracker.events) if isinstance(event, SessionStarted)]
        if starts and starts[-1] > 0:
            # Rasa's store reads back only the latest session (from its session_started on): a tracker
            # holding more is read afresh once, then kept. Cheap: it happens once per session.
            self._cache.pop(sender_id, None)
            return
        self._cache[sender_id] = _Cached(tracker, len(tracker.events), newest_id)
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _valid(self, cached: Optional[_Cached], newest_id: Optional[int]) -> bool:
        # A tracker that gained events it never saved (a failed turn) is read afresh too.
        return cached is not None and cached.newest_id == newest_id and len(cached.tracker.events) == cached.stored_events

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        newest_id = await self._off_loop(self._newest_id, sender_id)
        cached = self._cache.get(sender_id)
        if cached is not None:
            if self._valid(cached, newest_id):
                self._cache.move_to_end(sender_id)
                return cached.tracker
            self._cache.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None and self.cache_size > 0:
            self._remember(sender_id, tracker, newest_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        cached = self._cache.get(sender_id)
        if cached is None or cached.tracker is not tracker:
            await super().save(tracker)  # Rasa's own way: count what is stored, add the rest
            if self.cache_size > 0:  # kept from now on, unless it holds an earlier session
                self._remember(sender_id, tracker, await self._off_loop(self._newest_id, sender_id))
            return
        rows = [self._row(sender_id, event) for event in list(tracker.events)[cached.stored_events :]]
        newest_id = await self._off_loop(self._append, sender_id, rows, cached.newest_id)
        if newest_id is _SOMEONE_ELSE_WROTE:  # another server wrote meanwhile: do it Rasa's way
            self._cache.pop(sender_id, None)
            await super().save(tracker)  # streams the events itself
            return
        await self.stream_events(tracker)
        self._remember(sender_id, tracker, newest_id)

    async def _off_loop(self, function: Callable[..., T], *args: Any) -> T:
        """On PostgreSQL a query waits on the network and a commit on the disk (3 ms here): that runs in
        a thread, so Rasa's event loop serves other conversations meanwhile. SQLite stays on the loop:
        its commits take microseconds, and writers in several threads would wait in its busy handler."""
        if self.engine.dialect.name == "sqlite":
            return function(*args)
        return await asyncio.to_thread(function, *args)

    def _append(self, sender_id: str, rows: list[Any], expected_newest: Optional[int]) -> Any:
        """Adds the rows in one transaction if the conversation's newest row is still the one cached."""
        with self.session_scope() as session:
            if session.execute(self._newest_query, {"sender": sender_id}).scalar() != expected_newest:
                return _SOMEONE_ELSE_WROTE
            session.add_all(rows)
            session.flush()  # assigns the ids (reading them after commit would query each row again)
            newest_id = max((row.id for row in rows), default=expected_newest)
            session.commit()
        return newest_id

    def _row(self, sender_id: str, event: Any) -> Any:
        """The same row Rasa's SQLTrackerStore.save writes for an event."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
