"""The store's tests on both engines: SQLite, and PostgreSQL when a test server is given.

`.ci/run` starts a throw-away PostgreSQL (tests/postgres/cluster) and sets
MSPTUI_TEST_POSTGRES_URL; the modules in BOTH_ENGINES then run each store test twice,
`[sqlite]` and `[postgresql]`. Without a server they run on SQLite alone, and the header
of the run says so. A test that speaks SQLite itself (its file, its PRAGMAs) says
`@pytest.mark.sqlite_only`.

Each xdist worker gets its own PostgreSQL database, migrated once by the real migrations;
a test starts from it emptied (TRUNCATE, which row triggers do not see).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

POSTGRES_URL = os.environ.get("MSPTUI_TEST_POSTGRES_URL", "")
# CI sets this: a server that cannot be used fails the run instead of quietly testing less.
POSTGRES_REQUIRED = os.environ.get("MSPTUI_TEST_POSTGRES_REQUIRED") == "1"

# The store, migration, concurrency, crash-safety and transfer tests (module names).
BOTH_ENGINES = frozenset(
    {
        "test_store_foundation",
        "test_concurrency",
        "test_crash_safety",
        "test_transfer",
        "test_tickets",
        "test_time_store",
        "test_billing_store",
        "test_billing_corrections",
        "test_breaches_store",
        "test_recurring_store",
        "test_renewals_store",
        "test_satisfaction_store",
        "test_delivery_note",
        "test_delivery_truth",
        "test_deliveries",
        "test_engagement_records",
        "test_engagements",
        "test_conflicts",
        "test_clients_contracts",
        "test_justifications",
        "test_secrets",
        "test_secrets_team",
        "test_team",
        "test_two_technicians",
        "test_live_updates",
    }
)


def engines() -> list[str]:
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return f"engines: SQLite and PostgreSQL ({_without_password(POSTGRES_URL)}) for the store tests"
    return (
        "engines: SQLite only. PostgreSQL NOT tested: set MSPTUI_TEST_POSTGRES_URL "
        "(.ci/run starts a throw-away server with tests/postgres/cluster)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" not in metafunc.fixturenames or not POSTGRES_URL:
        return
    if metafunc.module.__name__.rsplit(".", 1)[-1] not in BOTH_ENGINES:
        return
    chosen = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else engines()
    metafunc.parametrize("database_engine", chosen, indirect=True)


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def server_url(database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def _admin_execute(*statements: str) -> None:
    import psycopg

    url = server_url("postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def _worker_database(worker_id: str, testrun_uid: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This worker's database, created and migrated once (open_store, the real migrations)."""
    from msptui.paths import resolve
    from msptui.store.open import open_store

    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL test server (MSPTUI_TEST_POSTGRES_URL)")
    name = f"msptui_test_{testrun_uid[:8]}_{worker_id}"  # two runs at once never share one
    try:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    except Exception as exc:  # a server that was promised but cannot be used
        if POSTGRES_REQUIRED:
            pytest.fail(f"the PostgreSQL test server cannot be used: {exc}")
        pytest.skip(f"the PostgreSQL test server cannot be used: {exc}")
    url = server_url(name)
    previous = os.environ.get("MSPTUI_DATABASE_URL")
    os.environ["MSPTUI_DATABASE_URL"] = url
    try:
        open_store(resolve(tmp_path_factory.mktemp("pg")).ensure()).dispose()
    finally:
        if previous is None:
            os.environ.pop("MSPTUI_DATABASE_URL", None)
        else:
            os.environ["MSPTUI_DATABASE_URL"] = previous
    yield url
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_database(_worker_database: str) -> str:
    """The worker's database, emptied for this test (identities restarted, schema as migrated)."""
    import psycopg
    from sqlmodel import SQLModel

    import msptui.store.models  # noqa: F401  (the tables)

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with psycopg.connect(_worker_database.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
    return _worker_database


def database_url(store) -> str:  # noqa: ANN001  (a msptui.store.open.Store)
    """The URL another process opens to reach this test's database, whichever the engine."""
    return store.engine.url.render_as_string(hide_password=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Said again at the end, where a developer reads: the header has long scrolled away.
    terminalreporter.write_line(pytest_report_header(terminalreporter.config))
