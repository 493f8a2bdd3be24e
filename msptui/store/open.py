"""Open the store for a run: folders, engine, schema at HEAD."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from msptui.paths import Paths
from msptui.store.db import StoreError, make_engine, sqlite_url
from msptui.store.migrate import check_revision, needs_upgrade, upgrade


@dataclass
class Store:
    engine: Engine
    paths: Paths
    migrated_from_backup: Path | None = None
    warnings: list[str] = field(default_factory=list)  # for the user, said once at start

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(paths: Paths) -> Store:
    """Create the folders if needed, connect, and migrate (backing up first).

    `MSPTUI_DATABASE_URL` points at another database (e.g. PostgreSQL for a team).
    Raises `StoreError` / `PathError` with a message meant for the interface.
    """
    paths.ensure()
    url = os.environ.get("MSPTUI_DATABASE_URL")
    database = None if url else paths.database
    if database is not None:
        try:
            check_revision(database)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
    engine = make_engine(url or sqlite_url(paths.database))
    backup = None
    try:
        if database is None or needs_upgrade(database):
            backup = upgrade(engine, database, paths.backups)
    except Exception as exc:
        engine.dispose()
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            from msptui.store.db import explain_operational_error

            raise StoreError(explain_operational_error(exc)) from exc
        raise
    from msptui.store.db import mode_warning

    warning = None if database is None else mode_warning(database)
    return Store(engine=engine, paths=paths, migrated_from_backup=backup, warnings=[warning] if warning else [])
