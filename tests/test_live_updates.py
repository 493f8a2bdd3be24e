"""Live updates between terminals (issue 20, part 3): another technician's change reaches
every open board within 2 seconds on PostgreSQL (LISTEN/NOTIFY), within a tick on SQLite;
a lost server is said once and retried; the board's first read on PostgreSQL goes through
psycopg alone, with the store's rows.

The store tests run on both engines when MSPTUI_TEST_POSTGRES_URL names a server
(tests/engines.py); the ones about the server's notifications only on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import timedelta

import psycopg
import pytest

from msptui.store import db
from msptui.store.changes import ServerWatch
from msptui.store.reads.board import load_board
from msptui.store.server import libpq_url, read_board_server
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_board import board_of
from tests.test_tickets import make_contract, open_on

SIZE = (140, 40)
LIVE_BAR_S = 2.0  # issue 20: another technician's change on every open board
WAIT_S = 5.0  # the longest a test waits for the server to answer (I/O, not the clock)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def _on_server(engine) -> bool:
    return engine.dialect.name == "postgresql"


def _server_url() -> str:
    return os.environ["MSPTUI_DATABASE_URL"]


def _listening_watch(url: str, **options) -> ServerWatch:
    """A ServerWatch whose LISTEN is in place, its first catch-up taken."""
    watch = ServerWatch(url, **options)
    assert watch.moved() is False  # the first look starts it
    assert watch.listening.wait(WAIT_S), "the watch never listened"
    assert watch.moved() is True  # once listening: read what came before
    return watch


def _wait_for(look, timeout: float = WAIT_S):
    """Poll `look()` (a non-blocking look at what the server sent) until it answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := look():
            return found
        time.sleep(0.01)
    return None


# --- the notifications (PostgreSQL) ----------------------------------------------------------


def test_a_committed_write_reaches_a_listener_and_a_rolled_back_one_sends_nothing(engine, clock):
    if not _on_server(engine):
        pytest.skip("NOTIFY is PostgreSQL's; SQLite's boards watch the file")
    contract = make_contract(engine)
    with psycopg.connect(libpq_url(_server_url()), autocommit=True) as listener:
        listener.execute("LISTEN msptui_changes")
        with pytest.raises(RuntimeError), db.write(engine) as s:
            s.connection().exec_driver_sql("UPDATE client SET name = 'Renamed' WHERE id = 1")
            raise RuntimeError("the user's action failed half-way")
        open_on(engine, contract, clock.now(), title="Committed")  # committed after the rollback
        heard = list(listener.notifies(timeout=WAIT_S, stop_after=1))
        heard += list(listener.notifies(timeout=0.3))  # anything else already sent would be here
    assert [n.channel for n in heard] == ["msptui_changes"]  # the commit's only


def test_a_server_watch_sees_a_commit_from_another_connection(engine, clock):
    if not _on_server(engine):
        pytest.skip("NOTIFY is PostgreSQL's")
    contract = make_contract(engine)
    watch = _listening_watch(_server_url())
    try:
        assert watch.moved() is False
        other = db.make_engine(_server_url())  # another technician's msptui
        try:
            open_on(other, contract, clock.now(), title="From the other terminal")
        finally:
            other.dispose()
        assert _wait_for(watch.moved, LIVE_BAR_S)
        assert watch.news() is None and not watch.lost
    finally:
        watch.close()


def test_a_lost_server_connection_is_said_once_and_retried(engine):
    if not _on_server(engine):
        pytest.skip("a server connection is PostgreSQL's")
    watch = _listening_watch(_server_url(), retry_seconds=0.05)
    try:
        with psycopg.connect(libpq_url(_server_url()), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        lost = _wait_for(watch.news)
        assert lost is not None and "connection to the database server was lost" in lost
        back = _wait_for(watch.news)
        assert back == "The database server is reachable again: the board is live."
        assert _wait_for(watch.moved)  # read again: others may have committed meanwhile
        assert watch.news() is None
    finally:
        watch.close()


def test_an_unreachable_server_is_said_once_without_a_traceback():
    watch = ServerWatch("postgresql+psycopg://msptui@127.0.0.1:1/nowhere", retry_seconds=0.05)
    try:
        watch.moved()
        said = _wait_for(watch.news)
        assert said is not None and said.startswith("The connection to the database server was lost (")
        assert watch.lost
        assert _wait_for(watch.news, 0.3) is None  # said once, however many retries fail meanwhile
        assert watch.moved() is False
    finally:
        watch.close()


# --- the board ---------------------------------------------------------------------------------


async def test_another_terminals_new_ticket_shows_on_the_open_board_within_two_seconds(paths, clock, engine):
    """Both engines: the other terminal is another engine on the same database (on SQLite,
    another window on this machine, seen at the next tick as before issue 20)."""
    contract = make_contract(engine)
    open_on(engine, contract, clock.now() - timedelta(hours=1), title="Already there")
    other = db.make_engine(_server_url() if _on_server(engine) else db.sqlite_url(paths.database))
    app = MsptuiApp(paths, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            board = board_of(app)
            assert [cd.ticket.title for cd in board.rows.values()] == ["Already there"]
            board.tick()  # the first look starts the watch
            if _on_server(engine):
                assert await asyncio.to_thread(board._wal.listening.wait, WAIT_S)
            board.tick()
            await settle(pilot)

            started = time.monotonic()
            new = open_on(other, contract, clock.now(), title="Opened by the other technician")
            while new not in board.rows and time.monotonic() - started < LIVE_BAR_S:
                clock.advance(timedelta(seconds=1))
                board.tick()  # each second, as the board's interval does
                await settle(pilot)
                await asyncio.sleep(0.01)  # the notification is I/O: let it arrive
            assert new in board.rows, "the other technician's ticket never showed"
            assert time.monotonic() - started < LIVE_BAR_S
    finally:
        other.dispose()


async def test_the_board_says_plainly_when_the_server_cannot_be_reached(paths, clock, engine):
    contract = make_contract(engine)
    open_on(engine, contract, clock.now() - timedelta(hours=1))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        board._wal.close()
        board._wal = ServerWatch("postgresql+psycopg://msptui@127.0.0.1:1/nowhere", retry_seconds=0.05)
        board.tick()
        await asyncio.to_thread(_wait_for, lambda: board._wal.lost)
        board.tick()
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "Database server"]
        assert len(said) == 1 and said[0].startswith("The connection to the database server was lost")
        assert board.sub_title == "SLA board · 1 ticket · not live: the server cannot be reached"
        board.tick()
        await settle(pilot)
        assert len([n for n in app._notifications if n.title == "Database server"]) == 1  # once


# --- the first read on PostgreSQL ----------------------------------------------------------------


def test_the_servers_early_read_gives_the_same_board_as_the_store(engine, sample):
    if not _on_server(engine):
        pytest.skip("the SQLite file's early read: tests/test_board_fast_read.py")
    from_store = load_board(engine)
    from_server = read_board_server(_server_url())
    assert from_server is not None
    assert from_server.tickets and from_server.tickets == from_store.tickets
    assert from_server.version == from_store.version
    assert from_server.undisclosed_conflicts == from_store.undisclosed_conflicts
    assert from_server.policies.keys() == from_store.policies.keys()
    assert from_server.calendar_errors == from_store.calendar_errors == {}


def test_a_server_database_not_at_head_is_left_to_the_store(engine):
    if not _on_server(engine):
        pytest.skip("PostgreSQL's early read")
    with db.write(engine) as s:
        s.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '0010'")
    try:
        assert read_board_server(_server_url()) is None
    finally:
        with db.write(engine) as s:
            s.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '0011'")


async def test_on_postgresql_the_board_is_first_read_without_the_store(paths, clock, engine, sample, monkeypatch):
    if not _on_server(engine):
        pytest.skip("SQLite's: tests/test_board_start.py")
    from msptui.ui.screens.tickets import board_data

    early = []
    real = board_data.early_snapshot
    monkeypatch.setattr(board_data, "early_snapshot", lambda *a: early.append(a[0]) or real(*a))
    monkeypatch.setattr("msptui.ui.screens.tickets.board.early_snapshot", board_data.early_snapshot)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        assert early == [_server_url()]
        assert board.rows and board.from_store
        assert set(board.rows) == {t.id for t in load_board(engine).tickets}


@pytest.mark.slow
def test_the_servers_head_start_imports_neither_sqlalchemy_nor_the_models(engine, sample):
    if not _on_server(engine):
        pytest.skip("SQLite's: tests/test_board_fast_read.py")
    code = (
        "import sys; from datetime import datetime, timezone; from zoneinfo import ZoneInfo\n"
        "from msptui.ui.screens.tickets.board import early_snapshot\n"
        f"data, rows = early_snapshot({_server_url()!r}, datetime(2026, 11, 23, 9, tzinfo=timezone.utc),"
        " ZoneInfo('Europe/Paris'), True)\n"
        "assert rows, 'no rows'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel') or m == 'msptui.store.models'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
