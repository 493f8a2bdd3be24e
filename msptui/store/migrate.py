"""Bring the schema to the latest revision at start, backing the file up first.

Alembic and SQLAlchemy's DDL machinery are slow to import, so the common case
(already at HEAD) is answered with one plain sqlite3 query.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from msptui.core.i18n import _, ngettext

if TYPE_CHECKING:  # the app reads HEAD and current_revision before SQLAlchemy is imported
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine.interfaces import DBAPIConnection

# The newest migration in msptui/store/migrations/versions (a test keeps them equal).
HEAD = "0011"


def current_revision(database: Path) -> str | None:
    """The schema revision of a SQLite file, or None for a new or empty file."""
    if not database.exists() or database.stat().st_size == 0:
        return None
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return row[0] if row else None


def needs_upgrade(database: Path) -> bool:
    return current_revision(database) != HEAD


def known_revisions() -> frozenset[str]:
    """The revisions this msptui ships (file names "0001_....py")."""
    versions = Path(__file__).parent / "migrations" / "versions"
    return frozenset(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))


def check_revision(database: Path) -> str | None:
    """The file's revision, or ValueError in plain words when msptui cannot use it:
    not a SQLite database at all, or written by a newer msptui (checked before any
    migration, so no pre-migration copy is made of a file that cannot be migrated)."""
    try:
        revision = current_revision(database)
    except sqlite3.DatabaseError as exc:
        raise ValueError(
            _(
                "{path} is not an msptui database ({error}). Move it aside, or restore a backup "
                "(msptui backups, then msptui restore PATH)."
            ).format(path=database, error=exc)
        ) from None
    if revision is not None and revision not in known_revisions():
        raise ValueError(
            _(
                "{path} was written by a newer msptui (schema {revision}; this one knows up to {head}). "
                "Upgrade msptui to open it."
            ).format(path=database, revision=revision, head=HEAD)
        )
    return revision


def _raw_sqlite(conn: Connection) -> DBAPIConnection:
    """The driver's own connection: a PRAGMA sent through it is outside SQLAlchemy's transaction."""
    raw = conn.connection.dbapi_connection
    if raw is None:  # only after the connection was invalidated, never while we hold it
        raise RuntimeError("the database connection was closed during the migration")  # i18n: not shown
    return raw


def upgrade(engine: Engine, database: Path | None, backups: Path | None) -> Path | None:
    """Apply every pending migration; returns the path of the backup taken, if any.

    A failed migration is not rolled back by SQLite's DDL, hence the backup of
    any non-empty database before touching it.
    """
    from msptui.store.files.backup import backup_to, stamped_name

    backup = None
    # Any existing non-empty file is copied, whatever its revision: it may hold data.
    if database is not None and backups is not None and database.exists() and database.stat().st_size > 0:
        backup = backup_to(database, backups / stamped_name("premigration", datetime.now(UTC)))

    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "msptui.store:migrations")
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Outside any transaction, or SQLite ignores it: a batch rebuild of a
            # parent table must not cascade-delete its children.
            _raw_sqlite(conn).execute("PRAGMA foreign_keys=OFF")
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                conn.rollback()
                if broken:
                    raise RuntimeError(
                        ngettext(
                            "The migration left {count} broken reference; restore {backup}.",
                            "The migration left {count} broken references; restore {backup}.",
                            len(broken),
                        ).format(count=len(broken), backup=backup)
                    )
        finally:
            if sqlite:
                _raw_sqlite(conn).execute("PRAGMA foreign_keys=ON")
    return backup
