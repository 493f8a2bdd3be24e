"""The board at start: the rows read from the file before the store opens are the
board's rows, read and evaluated once, unless the store changed in between."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, event

from msptui.core import sla
from msptui.store import open as store_open
from msptui.store import tickets as T
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def board_sql():
    """Every SQL statement run through SQLAlchemy (the store) while the test runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001 - SQLAlchemy's signature
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


@pytest.fixture
def engine_calls(monkeypatch):
    """How many clocks the SLA engine evaluated (its entry point, called through)."""
    calls = []
    real = sla.evaluate

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(sla, "evaluate", counted)
    return calls


def _reads_the_board(statement: str) -> bool:
    return "FROM ticket t JOIN client c" in statement


async def test_the_early_rows_are_kept_when_the_store_has_not_changed(
    paths, clock, engine, sample, board_sql, engine_calls
):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = app.screen
        assert board.rows and app.store is not None
        # Read once, from the file (sqlite3): the store only compared its version stamp.
        assert not [s for s in board_sql if _reads_the_board(s)]
        # Each ticket's clocks went through the SLA engine once.
        assert len(engine_calls) == sum(len(cd.clocks) for cd in board.rows.values())
        # Every action is offered: a note can be added to the selected ticket.
        assert board.check_action("note", ()) is True
        board_sql.clear()

        # The store's reads still follow a change, as from another window.
        tid = next(iter(board.rows))
        T.add_note(engine, tid, T.NoteCreate(note="called back"), clock.now())
        board._check_version()
        await settle(pilot)
        assert [s for s in board_sql if _reads_the_board(s)]


async def test_a_change_made_while_the_store_opens_is_shown(paths, clock, engine, monkeypatch):
    contract = make_contract(engine, code="ACME")
    tid = open_on(engine, contract, clock.now() - timedelta(minutes=5), priority="P2", title="Mail server down")
    real_open = store_open.open_store

    def another_window_acknowledges_first(p):
        # After the board's early read: another window acknowledges the ticket meanwhile.
        T.acknowledge(engine, tid, clock.now())
        return real_open(p)

    monkeypatch.setattr(store_open, "open_store", another_window_acknowledges_first)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = app.screen
        assert board.table.get_cell(str(tid), "status").plain == "ack'd"
        assert board.table.get_cell(str(tid), "response").plain.strip() == "✓ met"
        assert board.check_action("acknowledge", ()) is False  # already done
        assert board.check_action("note", ()) is True


async def test_a_key_pressed_while_the_store_opens_is_kept_and_done_once_it_is_open(paths, clock, engine, monkeypatch):
    """The board's keys work from the rows read early: an acknowledgement typed while the
    store is still opening waits for it, then runs (at the instant the key was pressed)."""
    import threading

    contract = make_contract(engine, code="ACME")
    tid = open_on(engine, contract, clock.now() - timedelta(minutes=5), priority="P2", title="Mail server down")
    real_open = store_open.open_store
    release = threading.Event()

    def slow_to_open(p):
        release.wait(timeout=30)  # the store thread, after the early read
        return real_open(p)

    monkeypatch.setattr(store_open, "open_store", slow_to_open)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # the early read, shown
            await pilot.pause(0.02)
            if app.screen.rows:
                break
        board = app.screen
        assert app.store is None and board.rows
        assert board.check_action("acknowledge", ()) is True  # offered before the store is open
        pressed_at = clock.now()
        await pilot.press("a")
        await pilot.pause(0.6)
        assert T.get_ticket(engine, tid).status == "new"  # not yet: the store is still opening
        assert any("still opening" in n.message for n in app._notifications)
        clock.advance(timedelta(seconds=30))  # the store takes its time; the key's instant counts
        release.set()
        await settle(pilot)
        assert T.get_ticket(engine, tid).status == "acknowledged"
        ack = [e for e in T.ticket_events(engine, tid) if e.status == "acknowledged"]
        assert [e.at for e in ack] == [pressed_at]
        assert board.table.get_cell(str(tid), "status").plain == "ack'd"
