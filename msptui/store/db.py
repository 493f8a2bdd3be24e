"""The engine and its transactions.

SQLite is configured per connection for safety over speed where a human would
not notice: WAL, synchronous=FULL (no lost commit on power loss), foreign keys,
a busy timeout, and write transactions that start with BEGIN IMMEDIATE so two
open terminals serialise their read-then-write instead of losing updates.

PostgreSQL (a team's shared server) gets the same guarantee by its own means: every
write transaction first takes one transaction-scoped advisory lock, so writers queue
as SQLite's do, while readers never wait (MVCC). Waiting for it, or for the server,
is bounded like SQLite's busy timeout. Every write transaction also says
`NOTIFY msptui_changes`: PostgreSQL delivers it to every listening board when the
transaction commits, and drops it on rollback (store/changes.py listens).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

from msptui.core.i18n import _
from msptui.store import team as _team  # noqa: F401 - its before_flush listener names who made each record

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5
# The key of the advisory lock every write transaction takes on PostgreSQL ("msptui" in ASCII).
WRITE_LOCK_KEY = 0x6D737074756900
# The channel every committed write notifies on PostgreSQL (store/changes.py listens on it).
CHANGES_CHANNEL = "msptui_changes"

_Row = TypeVar("_Row")


class StoreError(Exception):
    """A storage problem the user can act on; the message is meant for the interface."""


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """Build the engine for `url` (a SQLite file or any SQLAlchemy URL, e.g. PostgreSQL)."""
    if url.startswith("postgresql"):
        return _postgresql_engine(url, busy_timeout_ms)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)

    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Take over transaction control from pysqlite (its deferred BEGIN loses updates).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Reads can share; anything that may write takes the write lock up front.
        if conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    _protect_file(url)
    return engine


def _postgresql_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c lock_timeout={int(busy_timeout_ms)} -c timezone=UTC",
            "application_name": "msptui",
        },
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            # As BEGIN IMMEDIATE: one writer at a time, whoever it is, so a read-then-write
            # (the next note number, the running timer, a ticket's status) is never lost.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            # Queued now, delivered at commit, dropped on rollback: every board that listens
            # reads again within a second. Here rather than a trigger (a migration): every
            # msptui write, the command line's included, goes through this transaction.
            conn.exec_driver_sql(f"NOTIFY {CHANGES_CHANNEL}")

    return engine


def _protect_file(url: str) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask).
    An existing file keeps the mode it has: a user may have made it read-only or
    shared it on purpose (`mode_warning` says so instead of changing it)."""
    path = url.removeprefix("sqlite:///")
    if path in ("", ":memory:") or path.startswith("file:"):
        return
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def mode_warning(database: Path) -> str | None:
    """A sentence when the database file can be read by other users, else None."""
    try:
        mode = database.stat().st_mode & 0o777
    except OSError:
        return None
    if mode & 0o077:
        return _(
            "The database {path} can be read by other users of this machine (mode {mode}). "
            "msptui leaves it as it is; run 'chmod 600 {path}' unless you share it on purpose."
        ).format(path=database, mode=f"{mode:o}")
    return None


@contextmanager
def write(engine: Engine) -> Iterator[Session]:
    """One user action = one transaction: committed whole or not at all."""
    try:
        with Session(engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
    except OperationalError as exc:
        raise StoreError(explain_operational_error(exc)) from exc


@contextmanager
def read(engine: Engine) -> Iterator[Session]:
    """A read-only session that never takes the write lock."""
    try:
        with Session(engine.execution_options(readonly=True), expire_on_commit=False) as session:
            with session.begin():
                yield session
    except OperationalError as exc:
        raise StoreError(explain_operational_error(exc)) from exc


def referenced(session: Session, model: type[_Row], key: int) -> _Row:
    """The row a foreign key points at. The database enforces that it exists, so a
    missing one is damage or a bug: it raises instead of handing None onward."""
    row = session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key} is referenced but missing from the database")  # i18n: not shown
    return row


def unique_violation(exc: IntegrityError) -> str | None:
    """The "table.column" of the UNIQUE a write broke, in either engine's words, else None.

    SQLite says "UNIQUE constraint failed: client.name"; PostgreSQL names the table and
    gives the key ("Key (name)=(Garage Dupont) already exists")."""
    orig = exc.orig
    text = str(orig) if orig is not None else str(exc)
    found = re.search(r"UNIQUE constraint failed: (\w+\.\w+)", text)
    if found:
        return found.group(1)
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "sqlstate", None) == "23505":
        key = re.match(r"Key \((\w+)\)", diag.message_detail or "")
        if diag.table_name and key:
            return f"{diag.table_name}.{key.group(1)}"
    return None


def explain_operational_error(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "could not connect" in text or "connection refused" in text.lower() or "connection to server" in text:
        return _(
            "The database server cannot be reached ({error}). Nothing was saved; check the server "
            "is running and MSPTUI_DATABASE_URL points at it."
        ).format(error=text.strip().splitlines()[0] if text.strip() else text)
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return _(
            "The database is busy in another msptui window (or another program) "
            "for more than {seconds} seconds. Nothing was saved; try again."
        ).format(seconds=BUSY_TIMEOUT_MS // 1000)
    if "readonly" in text or "read-only" in text:
        return _("The database file is read-only for you. Nothing was saved; check its permissions.")
    if "disk" in text and "full" in text:
        return _("The disk is full. Nothing was saved; free some space and try again.")
    if "unable to open" in text:
        return _("The database file cannot be opened: check the data folder exists and is yours.")
    return _("The database reported an error: {error}. Nothing was saved.").format(error=text)
