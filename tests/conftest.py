"""Shared fixtures: every test gets its own data folder, a frozen clock and an in-memory keyring."""

from __future__ import annotations

import inspect
import multiprocessing.process
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from msptui.core import i18n

pytest_plugins = ["tests.engines", "tests.spare_database"]  # both engines; a second server database

# Snapshots depend on these: set them explicitly, whatever the developer's shell says.
os.environ.pop("NO_COLOR", None)
os.environ.pop("TEXTUAL_THEME", None)
for _variable in ("MSPTUI_DATABASE_URL", "MSPTUI_CONFIG_DIR", "MSPTUI_BACKUP_DIR", "MSPTUI_EXPORT_DIR"):
    os.environ.pop(_variable, None)  # also for the session's fixtures, before isolated_data runs
os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ["COLUMNS"] = "120"
os.environ["LINES"] = "40"

# Monday 23 November 2026, 10:00 in Paris: inside business hours, far from DST changes.
FROZEN_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps values in memory (the keyring API, not a mock of ours)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.values:
            raise PasswordDeleteError("not found")
        del self.values[(service, username)]


@pytest.fixture(autouse=True)
def isolated_data(tmp_path, monkeypatch):
    """No test ever touches the user's real data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("MSPTUI_DATA_DIR", str(data))
    for var in ("MSPTUI_CONFIG_DIR", "MSPTUI_BACKUP_DIR", "MSPTUI_EXPORT_DIR", "MSPTUI_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return data


@pytest.fixture(autouse=True)
def english_interface(monkeypatch):
    """Tests read English unless they ask for French (`french`): the machine's locale never decides."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.set_interface_language("en")
    yield
    i18n.set_interface_language("en")


@pytest.fixture
def french():
    """The interface in French for this test (documents follow each client's own language)."""
    i18n.set_interface_language("fr")
    yield
    i18n.set_interface_language("en")


@pytest.fixture(autouse=True)
def technician_not_asked(request, monkeypatch):
    """The first-start form asking the technician's name would cover every other test's screen:
    tests of it say `@pytest.mark.asks_technician`."""
    if request.node.get_closest_marker("ui") and not request.node.get_closest_marker("asks_technician"):
        monkeypatch.setattr("msptui.ui.app.MsptuiApp.ask_technician", False)


@pytest.fixture(autouse=True)
def nobody_acting_after():
    """The technician a test (or an app it started) acted as never leaks into the next test."""
    yield
    import sys

    team = sys.modules.get("msptui.store.team")
    if team is not None:
        team.set_acting("")


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def paths(isolated_data):
    from msptui.paths import resolve

    return resolve(isolated_data).ensure()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A database migrated once for the session: a test's store starts from a copy of it."""
    from msptui.paths import resolve
    from msptui.store.open import open_store

    folder = tmp_path_factory.mktemp("migrated")
    opened = open_store(resolve(folder).ensure())
    opened.dispose()  # folds the WAL back, so the file alone is the whole database
    return opened.paths.database


@pytest.fixture
def database_engine(request) -> str:
    """ "sqlite" (a file in the test's data folder) or "postgresql" (the test server), as
    `pytest_generate_tests` in tests/engines.py chose for this test."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def store(paths, migrated_database, database_engine, request, monkeypatch):
    """The store of this test's data folder, as open_store leaves a new one.

    Migrating takes as long as a small test, so the file starts as a copy of
    migrated_database; open_store then finds it at HEAD, as it would have left it.
    On PostgreSQL, the worker's database is emptied instead (tests/engines.py), and
    MSPTUI_DATABASE_URL points at it, for this process and any it starts.
    """
    from msptui.store.open import open_store

    if database_engine == "postgresql":
        monkeypatch.setenv("MSPTUI_DATABASE_URL", request.getfixturevalue("postgres_database"))
    elif not paths.database.exists() and "MSPTUI_DATABASE_URL" not in os.environ:
        shutil.copyfile(migrated_database, paths.database)
        paths.database.chmod(0o600)
    s = open_store(paths)
    yield s
    s.dispose()


@pytest.fixture
def engine(store):
    return store.engine


@pytest.fixture
def clock():
    from msptui.core.clock import FrozenClock

    return FrozenClock(FROZEN_AT)


_samples: dict[datetime, tuple[Path, dict[str, int]]] = {}


def contents(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}


def as_migrated(engine, migrated_database: Path) -> bool:
    """Nothing written since open_store: the same rows as the freshly migrated database."""
    with closing(sqlite3.connect(migrated_database)) as fresh, closing(engine.raw_connection()) as raw:
        return contents(raw.driver_connection) == contents(fresh)


@pytest.fixture
def sample(engine, clock, migrated_database, tmp_path_factory):
    """The sample data, loaded at the frozen instant; returns {client code: id}.

    Loaded once per instant: a database as migrated gets a page-for-page copy of
    the first load (SQLite's backup API), so the rows and their ids are the same.
    """
    from msptui.store.sample import load_sample

    now = clock.now()
    if engine.dialect.name != "sqlite" or not as_migrated(engine, migrated_database):
        return load_sample(engine, now)
    if now not in _samples:
        ids = load_sample(engine, now)
        copy = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
        with closing(engine.raw_connection()) as raw, closing(sqlite3.connect(copy)) as target:
            raw.driver_connection.backup(target)
        _samples[now] = (copy, ids)
        return dict(ids)
    copy, ids = _samples[now]
    with closing(engine.raw_connection()) as raw, closing(sqlite3.connect(copy)) as source:
        source.backup(raw.driver_connection)
    return dict(ids)


# --- what `make check` leaves out ------------------------------------------------------------
# `ui`: the test drives the app, as an async pilot test or a snapshot; found by its shape.
# `slow`: the test takes seconds on its own, so it says so with @pytest.mark.slow: it starts
# another process (the command line, a writer to kill, a fresh interpreter to see what an
# import loads), derives a key from a passphrase, or draws hundreds of cases.
# `only_slow_tests_start_processes` fails a test that starts a process unmarked.


def drives_the_app(item: pytest.Item) -> bool:
    function = getattr(item, "function", None)
    return inspect.iscoroutinefunction(function) or "snap_compare" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if drives_the_app(item):
            item.add_marker(pytest.mark.ui)


@pytest.fixture(autouse=True)
def only_slow_tests_start_processes(request, monkeypatch):
    if request.node.get_closest_marker("slow"):
        return

    def refuse(*args, **kwargs):
        raise AssertionError(
            f"{request.node.nodeid} starts a process: mark it @pytest.mark.slow so that `make check` leaves it out"
        )

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)


@pytest.fixture
def snap_compare(snap_compare):
    """The plugin's snap_compare, with every text cursor held still: an Input's cursor
    blinks every half second, so under load a snapshot caught it on or off at random."""

    def compare(app, *args, run_before=None, **kwargs):
        async def steady(pilot):
            if run_before is not None:
                await run_before(pilot)
            for widget in pilot.app.screen.query("Input, TextArea"):
                widget.cursor_blink = False  # shown, and no longer blinking
            await pilot.pause()

        return snap_compare(app, *args, run_before=steady, **kwargs)

    return compare
