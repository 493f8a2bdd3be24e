"""`msptui backup`, `backups` and `restore` on a team's PostgreSQL server, with pg_dump and pg_restore.

Runs on the test server only (skipped without MSPTUI_TEST_POSTGRES_URL); each test starts
and ends processes (the tools), hence `slow`.
"""

from __future__ import annotations

import os
import stat
import subprocess

import pytest
from sqlalchemy.engine import make_url

from msptui.cli import main

pytestmark = pytest.mark.slow

CANARY = "pw-canary-7Qx"  # the test server trusts local users: a password in the URL is never checked


@pytest.fixture
def server(postgres_database, monkeypatch, paths, clock):
    """The sample data on the server, as a team would have it; the store is closed once filled,
    as when every technician has quit (a restore waits for that)."""
    from sqlalchemy.engine import make_url

    from msptui.store.open import open_store
    from msptui.store.sample import load_sample

    url = make_url(postgres_database).set(password=CANARY).render_as_string(hide_password=False)
    monkeypatch.setenv("MSPTUI_DATABASE_URL", url)
    store = open_store(paths)
    try:
        load_sample(store.engine, clock.now())
    finally:
        store.dispose()
    return url


def clients(paths) -> list[str]:
    from sqlalchemy import text

    from msptui.store.db import read
    from msptui.store.open import open_store

    store = open_store(paths)
    try:
        with read(store.engine) as s:
            return list(s.execute(text("SELECT code FROM client ORDER BY code")).scalars())
    finally:
        store.dispose()


def add_client(paths, clock, code: str) -> int:
    from msptui.store.clients import create_client
    from msptui.store.open import open_store
    from msptui.store.schemas import ClientCreate

    store = open_store(paths)
    try:
        return create_client(store.engine, ClientCreate(name=f"Client {code}", code=code), clock.now())
    finally:
        store.dispose()


def the_dump(paths, kind: str = "manual"):
    found = sorted(paths.backups.glob(f"msptui-*-{kind}*.dump"))
    assert len(found) == 1, found
    return found[0]


def test_backup_then_a_change_then_restore_gives_the_data_back(server, paths, clock, capsys):
    before = clients(paths)
    assert main(["backup"]) == 0
    dump = the_dump(paths)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    out = capsys.readouterr().out
    assert str(dump) in out and CANARY not in out

    add_client(paths, clock, "NOUV")
    assert "NOUV" in clients(paths)

    assert main(["restore", str(dump)]) == 0
    assert clients(paths) == before
    # Ids go on after the restored ones: the sequences came back with the data.
    assert add_client(paths, clock, "APRES") == len(before) + 1

    # What the restore replaced was kept, so the restore itself can be undone.
    aside = the_dump(paths, "before-restore")
    assert str(aside) in capsys.readouterr().out
    assert main(["restore", str(aside)]) == 0
    assert "NOUV" in clients(paths) and "APRES" not in clients(paths)


def test_backups_lists_server_dumps_beside_sqlite_copies(server, paths, capsys):
    (paths.backups / "msptui-2026-11-20T080000Z-daily.sqlite3").write_bytes(b"x" * 2048)
    assert main(["backup"]) == 0
    capsys.readouterr()

    assert main(["backups"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(".dump") and "taken by hand" in lines[0]
    assert lines[1].endswith("-daily.sqlite3") and "daily (automatic)" in lines[1]


def test_without_pg_dump_backup_gives_the_command_to_run_in_one_sentence(server, paths, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))

    assert main(["backup"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("msptui: pg_dump is not installed here")
    assert "PostgreSQL 15 client tools" in err
    # The test server's, whichever its port, without the password (never said).
    url = make_url(os.environ["MSPTUI_DATABASE_URL"])
    database = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
    assert "pg_dump --format=custom -w --file=" in err and f"--dbname={database}" in err
    assert CANARY not in err
    assert list(paths.backups.glob("*")) == []


def test_an_older_pg_dump_is_refused_with_the_versions_named(server, paths, monkeypatch, tmp_path, capsys):
    tools = tmp_path / "old-tools"
    tools.mkdir()
    old = tools / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.2'\n")
    old.chmod(0o700)
    monkeypatch.setenv("PATH", str(tools))

    assert main(["backup"]) == 1
    err = capsys.readouterr().err
    assert "pg_dump here is version 13.2, older than the server's PostgreSQL 15" in err
    assert err.count("\n") == 1


def test_the_password_goes_through_the_environment_never_the_command_line(server, paths, monkeypatch):
    from msptui.store.files import server_backup

    seen = []
    real_run = subprocess.run

    def spy(command, *args, **kwargs):
        seen.append((command, kwargs.get("env") or {}))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(server_backup.subprocess, "run", spy)
    assert main(["backup"]) == 0
    assert main(["restore", str(the_dump(paths))]) == 0

    dumps_and_restores = [(c, env) for c, env in seen if "--version" not in c]
    assert len(dumps_and_restores) >= 3  # the backup, the copy kept aside, the restore (and its checks)
    for command, env in dumps_and_restores:
        assert not any(CANARY in part for part in command)
        assert env["PGPASSWORD"] == CANARY


def test_restore_is_refused_while_msptui_is_open_on_the_database(server, paths, clock, capsys):
    from msptui.store.open import open_store

    assert main(["backup"]) == 0
    add_client(paths, clock, "NOUV")
    capsys.readouterr()
    open_elsewhere = open_store(paths)
    try:
        with open_elsewhere.engine.connect():  # a colleague's board, connected
            assert main(["restore", str(the_dump(paths))]) == 1
    finally:
        open_elsewhere.dispose()
    err = capsys.readouterr().err
    assert "msptui is open on this database in 1 other session" in err
    assert "NOUV" in clients(paths)


def test_a_file_that_is_not_an_msptui_dump_is_refused_and_nothing_changes(
    server, paths, tmp_path, capsys, worker_id, testrun_uid
):
    from tests.spare_database import new_server_database

    before = clients(paths)
    junk = tmp_path / "holiday.dump"
    junk.write_bytes(b"PGDMP but not really")
    assert main(["restore", str(junk)]) == 1
    assert "is not a PostgreSQL dump" in capsys.readouterr().err

    with new_server_database("other", worker_id, testrun_uid) as other:
        import psycopg

        with psycopg.connect(other.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute("CREATE TABLE invoice (id int)")
        foreign = tmp_path / "foreign.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={foreign}", other.replace("postgresql+psycopg", "postgresql")],
            check=True,
        )
    assert main(["restore", str(foreign)]) == 1
    assert "not of an msptui database" in capsys.readouterr().err
    assert clients(paths) == before
    assert list(paths.backups.glob("*before-restore*")) == []


def test_a_damaged_dump_is_refused_and_nothing_changes(server, paths, clock, capsys):
    assert main(["backup"]) == 0
    dump = the_dump(paths)
    add_client(paths, clock, "NOUV")
    after_change = clients(paths)
    data = dump.read_bytes()
    damaged = dump.with_name("damaged.dump")
    damaged.write_bytes(data[: len(data) * 3 // 4])  # cut short, as by a full disk
    capsys.readouterr()

    assert main(["restore", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("msptui: ") and "damaged.dump" in err and err.count("\n") == 1
    assert clients(paths) == after_change


def test_a_restore_that_fails_midway_changes_nothing(server, paths, clock, capsys, monkeypatch):
    """pg_restore has dropped and reloaded some tables when it meets a table another program
    holds: the one transaction is rolled back, and every table is as before."""
    import psycopg
    from sqlalchemy import text

    from msptui.store.db import read
    from msptui.store.files import server_backup
    from msptui.store.open import open_store

    assert main(["backup"]) == 0
    dump = the_dump(paths)
    add_client(paths, clock, "NOUV")
    after_change = clients(paths)
    capsys.readouterr()
    monkeypatch.setattr(server_backup, "RESTORE_LOCK_TIMEOUT_MS", 300)

    with psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://")) as other_program:
        other_program.execute("SELECT count(*) FROM client")  # its transaction stays open: client is held
        assert main(["restore", str(dump)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("msptui: pg_restore waited more than 1 second for a table another program is using")
    assert "nothing was changed" in err and err.count("\n") == 1
    assert clients(paths) == after_change
    store = open_store(paths)
    try:
        with read(store.engine) as s:
            assert s.execute(text("SELECT count(*) FROM ticket")).scalar_one() > 0
    finally:
        store.dispose()


def test_a_dump_needs_the_server_it_came_from(paths, tmp_path, capsys):
    dump = tmp_path / "msptui-2026-11-20T080000Z-manual.dump"
    dump.write_bytes(b"PGDMP")
    assert main(["restore", str(dump)]) == 1
    assert "set MSPTUI_DATABASE_URL" in capsys.readouterr().err


def test_a_secret_value_never_reaches_the_dump(server, paths, clock, memory_keyring):
    from msptui.store.open import open_store
    from msptui.store.secrets import SecretCreate, add_secret

    store = open_store(paths)
    try:
        add_secret(store.engine, 1, SecretCreate(label="NAS root"), "made-up-nas-value", clock.now())
    finally:
        store.dispose()
    assert main(["backup"]) == 0

    as_sql = subprocess.run(
        ["pg_restore", "--file=-", str(the_dump(paths))], capture_output=True, text=True, check=True
    ).stdout
    assert "NAS root" in as_sql  # the label is in the shared database, and so in its dump
    assert "made-up-nas-value" not in as_sql
