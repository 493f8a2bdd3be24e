"""A second database on the PostgreSQL test server, as on the machine an export is carried to.

`other_url` gives, for a test on [postgresql], the URL of another database of this run and
worker, migrated once and emptied for the test; on [sqlite] it gives None (a second data
folder is the other machine). `new_server_database` makes a database with nothing in it,
not even the schema: what a team's administrator creates before `msptui import`.
Registered in tests/conftest.py (pytest_plugins).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.engines import _admin_execute, server_url


@contextmanager
def new_server_database(suffix: str, worker_id: str, testrun_uid: str) -> Iterator[str]:
    """A brand-new, empty database on the test server (dropped afterwards); yields its URL."""
    name = f"msptui_test_{testrun_uid[:8]}_{worker_id}_{suffix}"
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield server_url(name)
    finally:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database_url(url: str | None) -> Iterator[None]:
    """MSPTUI_DATABASE_URL set to `url` (unset for None) for the block, then as it was."""
    previous = os.environ.get("MSPTUI_DATABASE_URL")
    if url is None:
        os.environ.pop("MSPTUI_DATABASE_URL", None)
    else:
        os.environ["MSPTUI_DATABASE_URL"] = url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("MSPTUI_DATABASE_URL", None)
        else:
            os.environ["MSPTUI_DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def _spare_database(
    _worker_database: str, worker_id: str, testrun_uid: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    from msptui.paths import resolve
    from msptui.store.open import open_store

    with new_server_database("spare", worker_id, testrun_uid) as url:
        with database_url(url):
            open_store(resolve(tmp_path_factory.mktemp("spare")).ensure()).dispose()
        yield url


@pytest.fixture
def other_url(database_engine: str, request: pytest.FixtureRequest) -> str | None:
    """None on [sqlite]; on [postgresql], a second migrated database, emptied for this test."""
    if database_engine != "postgresql":
        return None
    import psycopg
    from sqlmodel import SQLModel

    import msptui.store.models  # noqa: F401  (the tables)

    url: str = request.getfixturevalue("_spare_database")
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
    return url
