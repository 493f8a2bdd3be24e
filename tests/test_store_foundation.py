"""The local store: folders, SQLite settings, migrations, and the safety of every write."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from sqlalchemy import text

from msptui.paths import PathError, resolve
from msptui.store.migrate import HEAD, current_revision
from msptui.store.open import open_store


@pytest.mark.sqlite_only
def test_data_folder_is_private_and_database_file_is_owner_only(store, paths):
    assert stat.S_IMODE(paths.data.stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600


@pytest.mark.sqlite_only
def test_every_connection_is_configured_for_safety(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@pytest.mark.sqlite_only
def test_first_start_creates_the_schema_at_head_without_a_backup(store, paths):
    assert current_revision(paths.database) == HEAD
    assert list(paths.backups.iterdir()) == []


def test_head_constant_is_the_newest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "msptui.store:migrations")
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


@pytest.mark.sqlite_only
def test_second_start_changes_nothing(paths, sample):
    before = paths.database.read_bytes()
    again = open_store(paths)
    try:
        assert again.migrated_from_backup is None
        assert current_revision(paths.database) == HEAD
        with again.engine.connect() as conn:
            assert conn.execute(text("select count(*) from client")).scalar() == len(sample)
    finally:
        again.dispose()
    assert list(paths.backups.iterdir()) == []
    assert before  # the file was not replaced by an empty one


def test_a_database_needing_migration_is_backed_up_first(paths):
    paths.ensure()
    legacy = sqlite3.connect(paths.database)
    legacy.execute("create table legacy_notes (body text)")
    legacy.execute("insert into legacy_notes values ('do not lose me')")
    legacy.commit()
    legacy.close()

    store = open_store(paths)
    store.dispose()

    assert store.migrated_from_backup is not None
    copy = sqlite3.connect(store.migrated_from_backup)
    assert copy.execute("select body from legacy_notes").fetchall() == [("do not lose me",)]
    copy.close()
    assert current_revision(paths.database) == HEAD


@pytest.mark.sqlite_only
def test_foreign_keys_are_back_on_after_a_migration(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_ticket_events_cannot_be_edited_or_deleted(engine, sample, clock):
    from msptui.store import db
    from msptui.store.models import Ticket, TicketEvent

    with db.write(engine) as s:
        ticket = Ticket(client_id=next(iter(sample.values())), title="Printer jam", opened_at=clock.now())
        s.add(ticket)
        s.flush()
        s.add(TicketEvent(ticket_id=ticket.id, at=clock.now(), kind="opened", status="new", priority="P3"))
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text("update ticket_event set note = 'rewritten'"))
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text("delete from ticket_event"))


def test_data_dir_option_beats_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MSPTUI_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve().data == tmp_path / "from-env"
    assert resolve(tmp_path / "from-option").data == tmp_path / "from-option"
    assert resolve(tmp_path / "x").backups == tmp_path / "x" / "backups"


def test_an_unwritable_folder_is_explained_in_words(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    with pytest.raises(PathError, match="Cannot create the folder"):
        resolve(blocker / "data").ensure()


@pytest.mark.sqlite_only
def test_a_locked_database_is_explained_and_nothing_is_saved(engine, paths, clock):
    from msptui.store import db
    from msptui.store.clients import count_clients, create_client
    from msptui.store.schemas import ClientCreate

    impatient = db.make_engine(db.sqlite_url(paths.database), busy_timeout_ms=100)
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another terminal holds the write lock
    try:
        with pytest.raises(db.StoreError, match="busy in another msptui window"):
            create_client(impatient, ClientCreate(name="Locked Out", code="LOCK"), clock.now())
    finally:
        other.execute("ROLLBACK")
        other.close()
        impatient.dispose()
    assert count_clients(engine) == 0
