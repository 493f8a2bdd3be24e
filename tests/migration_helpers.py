"""An older database, and our real migrations run on it up to a given revision.

For the tests that put rows into the schema as it stood, then check what a
migration made of them.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from msptui.store.db import make_engine, sqlite_url


def database_at(path: Path, revision: str) -> Engine:
    """A new SQLite file at `path`, migrated up to `revision` (then filled by the test)."""
    engine = make_engine(sqlite_url(path))
    upgrade(engine, revision)
    return engine


def upgrade(engine: Engine, revision: str, *, foreign_keys: bool = True) -> None:
    """Run the migrations up to `revision` ("head" for today's schema).

    `foreign_keys=False`: as the app's own upgrade does for the table rebuilds of SQLite's batch mode.
    """
    cfg = Config()
    cfg.set_main_option("script_location", "msptui.store:migrations")
    with engine.connect() as conn:
        if not foreign_keys:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
