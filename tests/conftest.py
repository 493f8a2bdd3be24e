"""Shared fixtures: every test gets its own data folder, a frozen clock and an in-memory keyring."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import keyring
import pytest
from keyring.backend import KeyringBackend

# Snapshots depend on these: set them explicitly, whatever the developer's shell says.
os.environ.pop("NO_COLOR", None)
os.environ.pop("TEXTUAL_THEME", None)
os.environ.pop("MSPTUI_DATABASE_URL", None)
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


@pytest.fixture
def store(paths):
    from msptui.store.open import open_store

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


@pytest.fixture
def sample(engine, clock):
    """The sample data, loaded at the frozen instant; returns {client code: id}."""
    from msptui.store.sample import load_sample

    return load_sample(engine, clock.now())


def pytest_collection_modifyitems(items):
    """Mark what `make check` leaves out: a test that drives the app (an async pilot
    test, or a snapshot) is `ui`; one that starts msptui in another process is `slow`."""
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        if inspect.iscoroutinefunction(function) or "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ui)
        source = inspect.getsource(function) if function else ""
        if "run(" in source.replace("run_test(", "").replace("run_worker(", "") or "subprocess" in source:
            item.add_marker(pytest.mark.slow)
