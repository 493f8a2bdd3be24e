"""Quitting right after start does not wait for the store to open (issue 15).

The store opens in a thread (importing SQLAlchemy, reading, migrating: seconds on
a big database). Quitting must not join that thread: it is a daemon, and what it
does is safe to cut short (opening reads; the migrations run in one transaction).

The process test makes the store's opening never finish (it waits on an event
nobody sets) and presses ctrl+q once the first frame is drawn: the process must
be gone. Before the fix, exit joined the thread and the process never went.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from bench.cold_start import terminal_env
from bench.quit_bench import quit_after_start
from msptui.paths import resolve
from msptui.ui.app import MsptuiApp

# msptui as a user starts it, but the store's opening waits forever on an event never set.
STUCK_STORE = """
import sys, threading
import msptui.store.open as store_open
never = threading.Event()
store_open.open_store = lambda paths: never.wait()
from msptui.cli import main
sys.exit(main([]))
"""


@pytest.mark.slow
def test_quit_right_after_start_does_not_wait_for_the_store(tmp_path: Path) -> None:
    # Generous: it only has to end; the 0.3 s bar is bench/quit_bench.py's row.
    result = quit_after_start([sys.executable, "-c", STUCK_STORE], terminal_env(tmp_path / "data"), timeout=30)
    assert result.problem == ""
    assert result.seconds is not None


async def test_the_store_opens_in_a_daemon_thread_that_the_app_waits_for_in_a_worker(tmp_path: Path) -> None:
    """While the store opens, its thread is a daemon (exit does not join it), and
    `workers.wait_for_complete()` still means "the store has opened"."""
    app = MsptuiApp(resolve(tmp_path / "data"))
    release = threading.Event()
    seen: list[bool] = []
    opening = app._open_store

    def gated() -> None:
        seen.append(threading.current_thread().daemon)
        release.wait()
        opening()

    app._open_store = gated  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.store is None
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen == [True]
        assert app.store is not None


def test_each_migration_and_its_revision_stamp_commit_together(tmp_path: Path) -> None:
    """Cut short mid-upgrade (the daemon thread dies with the process), the file is left
    at one revision, whole: each revision's changes and its alembic_version stamp are
    one transaction, which SQLite rolls back if it never committed. (Alembic takes
    SQLite's DDL for non-transactional and commits after each revision; the next start
    goes on from the last one committed.)"""
    from sqlalchemy import event

    from msptui.store.db import make_engine, sqlite_url
    from msptui.store.migrate import upgrade

    database = tmp_path / "msptui.sqlite3"
    engine = make_engine(sqlite_url(database))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(" ".join(a[2].split()[:3]).upper()))
    event.listen(engine, "commit", lambda _conn: statements.append("<COMMIT>"))
    event.listen(engine, "rollback", lambda _conn: statements.append("<ROLLBACK>"))
    try:
        upgrade(engine, database, None)
    finally:
        engine.dispose()
    transactions: list[list[str]] = []
    for statement in statements:
        if statement.startswith("BEGIN"):
            transactions.append([])
        elif statement in ("<COMMIT>", "<ROLLBACK>"):
            transactions[-1].append(statement)
        else:
            assert transactions and transactions[-1][-1:] not in (["<COMMIT>"], ["<ROLLBACK>"]), (
                f"{statement} outside a transaction"
            )
            transactions[-1].append(statement)
    changing = [t for t in transactions if any(s.startswith(("CREATE", "ALTER", "DROP")) for s in t)]
    assert changing, "no migration ran"
    for transaction in changing:
        stamps = [s for s in transaction if s.startswith(("INSERT", "UPDATE")) and "ALEMBIC_VERSION" in s]
        assert stamps, "a revision committed without its stamp"
        assert transaction[-1] == "<COMMIT>"
    con = sqlite3.connect(database)
    try:
        assert con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    finally:
        con.close()


@pytest.mark.slow
def test_end_process_waits_for_threads_runs_atexit_and_keeps_the_exit_code() -> None:
    """msptui's way out after the app has run: without the interpreter's teardown, but
    with what a normal exit guarantees (a store write in a thread finishes, atexit runs)."""
    import subprocess

    script = """
import atexit, threading
from msptui.ui.app import end_process
go = threading.Event()
def write():
    go.wait()
    print("write finished", flush=True)
threading.Thread(target=write).start()  # not a daemon: like a store write in progress
atexit.register(print, "atexit ran", flush=True)
threading.Timer(0, go.set).start()
end_process(3)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert done.stdout.splitlines() == ["write finished", "atexit ran"]
