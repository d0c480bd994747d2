"""Passage's tracker store: Rasa's SQL store with recent conversations kept in memory.

What a user would notice if it were wrong: a reply built on a stale conversation (the country they
just named forgotten, an erased conversation coming back, a turn that failed half-way counted).
"""
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config

from rasa_ext.cached_tracker_store import CachedSQLTrackerStore
from rasa_ext.tracker_erasure import erase
from tests.databases import PG_HOST, PG_USER

PG_TRACKER_DB = "passage_test_tracker"

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Where the tracker store keeps its rows: a SQLite file (the default) or PostgreSQL (production)."""
    if request.param == "sqlite":
        return {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    return postgres_tracker_database()


def postgres_tracker_database() -> dict[str, str]:
    import sqlalchemy as sa

    try:
        admin = sa.create_engine(f"postgresql://{PG_USER}@{PG_HOST}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {PG_TRACKER_DB} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {PG_TRACKER_DB}"))
        admin.dispose()
    except sa.exc.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable on {PG_HOST}:5432 ({type(error).__name__}); the SQLite run still covers the code")
    return {"dialect": "postgresql", "host": PG_HOST, "db": PG_TRACKER_DB, "username": PG_USER}


def store(domain: Domain, db: dict[str, str]) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=domain, **db)


async def turn(tracker_store: TrackerStore, sender: str, text: str, country: str) -> None:
    tracker = await tracker_store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "ask_country_info", "confidence": 1.0}))
    tracker.update(SlotSet("country", country))
    tracker.update(ActionExecuted("action_listen"))
    await tracker_store.save(tracker)


def test_endpoints_yml_really_loads_it_rather_than_rasas_silent_in_memory_fallback(domain: Domain, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("PASSAGE_ACTIONS_URL", "http://127.0.0.1:1/webhook")
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    created = TrackerStore.create(config, domain=domain)
    inner = getattr(created, "_tracker_store", created)
    assert isinstance(inner, CachedSQLTrackerStore)


async def test_it_writes_exactly_the_rows_rasas_own_sql_store_writes(domain: Domain, db: dict[str, str]) -> None:
    ours, theirs = store(domain, db), SQLTrackerStore(domain=domain, **db)
    for sender, tracker_store in (("ours", ours), ("theirs", theirs)):
        for number, country in enumerate(["ML", "SN", "GH"]):
            await turn(tracker_store, sender, f"message {number}", country)

    def rows(sender: str) -> list[tuple]:
        with theirs.session_scope() as session:
            events = session.query(theirs.SQLEvent).filter_by(sender_id=sender).order_by(theirs.SQLEvent.id).all()
            return [(e.type_name, e.intent_name, e.action_name) for e in events]

    assert rows("ours") == rows("theirs") and len(rows("ours")) > 6
    reread = await SQLTrackerStore(domain=domain, **db).retrieve("ours")
    assert reread.get_slot("country") == "GH"


async def test_a_conversation_another_server_wrote_to_is_read_afresh(domain: Domain, db: dict[str, str]) -> None:
    ours, other_server = store(domain, db), store(domain, db)
    await turn(ours, "someone", "is it safe in mali", "ML")
    assert (await ours.retrieve("someone")) is (await ours.retrieve("someone"))  # served from memory
    await turn(other_server, "someone", "and senegal?", "SN")  # fail-over: the other server answered
    tracker = await ours.retrieve("someone")
    assert tracker.get_slot("country") == "SN"
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["is it safe in mali", "and senegal?"]
    await turn(ours, "someone", "thanks", "SN")
    assert [e.text for e in (await other_server.retrieve("someone")).events if isinstance(e, UserUttered)][-1] == "thanks"


async def test_a_turn_that_failed_before_saving_is_not_remembered(domain: Domain, db: dict[str, str]) -> None:
    ours = store(domain, db)
    await turn(ours, "someone", "is it safe in mali", "ML")
    tracker = await ours.retrieve("someone")
    tracker.update(SlotSet("country", "GH"))  # the turn dies here: never saved
    assert (await ours.retrieve("someone")).get_slot("country") == "ML"


async def test_an_erased_conversation_does_not_come_back_from_memory(domain: Domain, db: dict[str, str]) -> None:
    ours = store(domain, db)
    await turn(ours, "someone", "is it safe in mali", "ML")
    assert await ours.retrieve("someone") is not None
    erase(ours, "someone")
    assert await ours.retrieve("someone") is None


async def test_a_new_session_is_read_back_as_rasas_own_store_would(domain: Domain, db: dict[str, str]) -> None:
    ours = store(domain, db)
    await turn(ours, "someone", "is it safe in mali", "ML")
    tracker = await ours.retrieve("someone")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await ours.save(tracker)
    ours_now = await ours.retrieve("someone")
    rasas = await SQLTrackerStore(domain=domain, **db).retrieve("someone")
    assert [e.as_dict()["event"] for e in ours_now.events] == [e.as_dict()["event"] for e in rasas.events]
    assert not [e for e in ours_now.events if isinstance(e, UserUttered)]  # the old session stays in the database only
