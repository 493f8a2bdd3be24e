"""What a team's PostgreSQL server must hold as a SQLite file does: the same migrations,
the same refusals of rewriting the record, one writer at a time, and plain words when
the server is away. Skipped without a test server (tests/engines.py says so at the top
of the run); CI always has one.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from msptui.store import db
from msptui.store.models import NoteCounter, Ticket, TicketEvent
from tests.engines import POSTGRES_URL, server_url

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL test server (MSPTUI_TEST_POSTGRES_URL)")

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def on_postgresql(postgres_database, paths, monkeypatch):
    """The store opened on this worker's emptied server database (as the app opens it)."""
    from msptui.store.open import open_store

    monkeypatch.setenv("MSPTUI_DATABASE_URL", postgres_database)
    opened = open_store(paths)
    yield opened.engine
    opened.dispose()


@pytest.fixture
def scratch_database(request):
    """An empty database of its own on the test server, dropped afterwards."""
    import psycopg

    name = f"msptui_scratch_{abs(hash(request.node.nodeid)) % 10**8}"
    admin = server_url("postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    yield server_url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _alembic(engine, verb: str, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", "msptui.store:migrations")
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)
        conn.commit()


def _tables(engine) -> set[str]:
    with engine.connect() as conn:
        return {name for (name,) in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))}


def test_the_migrations_go_down_to_nothing_and_up_again_on_a_server(scratch_database):
    engine = db.make_engine(scratch_database)
    try:
        _alembic(engine, "upgrade", "head")
        full = _tables(engine)
        assert {"ticket", "ticket_event", "time_entry", "delivery_note"} <= full
        _alembic(engine, "downgrade", "base")
        assert _tables(engine) <= {"alembic_version"}
        _alembic(engine, "upgrade", "head")
        assert _tables(engine) == full
    finally:
        engine.dispose()


def test_the_models_and_the_migrated_server_schema_agree(on_postgresql):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with on_postgresql.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_server_refuses_to_rewrite_the_records_the_sqlite_file_refuses(on_postgresql, migrated_database):
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(migrated_database)) as con:
        guarded = {
            name.removesuffix("_no_update")
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_update'"
            )
        }
    with on_postgresql.connect() as conn:
        triggers = {name for (name,) in conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))}
    assert {"ticket_event", "delivery_note", "billing_period", "time_entry_frozen"} <= guarded
    assert {t.removesuffix("_append_only") for t in triggers} == guarded
    # The triggers share one function: seen refusing on the busiest table, it refuses on all.
    with db.write(on_postgresql) as s:
        s.add(NoteCounter(year=2026, last_seq=0))
    _ticket_with_event(on_postgresql)
    for statement in ("UPDATE ticket_event SET note = 'rewritten'", "DELETE FROM ticket_event"):
        with pytest.raises(DatabaseError, match="ticket_event is append-only"):
            with on_postgresql.begin() as conn:
                conn.execute(text(statement))


def _ticket_with_event(engine) -> int:
    from msptui.store.models import Client

    with db.write(engine) as s:
        client = Client(name="Boulangerie Martin", code="BOUL", timezone="Europe/Paris", created_at=AT)
        s.add(client)
        s.flush()
        ticket = Ticket(client_id=client.id, title="Printer", opened_at=AT)
        s.add(ticket)
        s.flush()
        s.add(TicketEvent(ticket_id=ticket.id, at=AT, kind="opened", status="new", priority="P3"))
        return ticket.id


def test_a_writer_waits_for_the_other_instead_of_losing_its_update(on_postgresql):
    """The advisory lock: the second writer reads only after the first committed."""
    with db.write(on_postgresql) as s:
        s.add(NoteCounter(year=2026, last_seq=0))
    first_holds_the_lock = threading.Event()
    let_first_commit = threading.Event()
    seen_by_second: list[int] = []

    def first() -> None:
        with db.write(on_postgresql) as s:
            counter = s.get(NoteCounter, 2026)
            first_holds_the_lock.set()
            let_first_commit.wait(timeout=10)
            counter.last_seq += 1

    def second() -> None:
        first_holds_the_lock.wait(timeout=10)
        with db.write(on_postgresql) as s:
            counter = s.get(NoteCounter, 2026)
            seen_by_second.append(counter.last_seq)
            counter.last_seq += 1

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_holds_the_lock.wait(timeout=10)
    assert not seen_by_second  # the second is still waiting for the lock
    let_first_commit.set()
    for t in threads:
        t.join(timeout=20)
    assert seen_by_second == [1]  # it read what the first wrote, never the stale 0
    with db.read(on_postgresql) as s:
        assert s.scalars(select(NoteCounter.last_seq)).one() == 2


def test_reads_never_wait_for_a_writer(on_postgresql):
    with db.write(on_postgresql) as s:
        s.add(NoteCounter(year=2026, last_seq=7))
        # While this write holds the lock, another connection's read answers at once.
        with db.read(on_postgresql) as r:
            assert r.scalars(select(NoteCounter.last_seq)).all() == []  # not committed yet


def test_a_server_that_cannot_be_reached_is_said_in_plain_words(tmp_path, monkeypatch):
    from msptui.paths import resolve
    from msptui.store.open import open_store

    # Port 9 (discard) on loopback: nothing listens there.
    monkeypatch.setenv("MSPTUI_DATABASE_URL", "postgresql+psycopg://msptui@127.0.0.1:9/msptui")
    with pytest.raises(db.StoreError, match="The database server cannot be reached") as caught:
        open_store(resolve(tmp_path / "data").ensure())
    assert "Traceback" not in str(caught.value)
