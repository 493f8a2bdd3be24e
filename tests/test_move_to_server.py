"""The README's "Move from SQLite to PostgreSQL", step by step through the command line.

Runs on the test server only (skipped without MSPTUI_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import json

import pytest

from msptui.cli import main

pytestmark = pytest.mark.slow


def test_export_from_sqlite_then_import_into_an_empty_server_database_moves_everything(
    _worker_database, paths, engine, sample, clock, tmp_path, monkeypatch, capsys, worker_id, testrun_uid
):
    from msptui.store.open import open_store
    from msptui.store.tickets import TicketCreate, open_ticket
    from tests.spare_database import new_server_database

    assert engine.dialect.name == "sqlite"
    moved = tmp_path / "move.json"
    assert main(["export", "--output", str(moved)]) == 0
    before = json.loads(moved.read_text(encoding="utf-8"))

    with new_server_database("move", worker_id, testrun_uid) as url:  # createdb: not even a schema yet
        monkeypatch.setenv("MSPTUI_DATABASE_URL", url)
        assert main(["import", str(moved)]) == 0
        assert f"{len(sample)} clients" in capsys.readouterr().out
        again = tmp_path / "again.json"
        assert main(["export", "--output", str(again)]) == 0
        after = json.loads(again.read_text(encoding="utf-8"))
        assert after["tables"] == before["tables"]

        store = open_store(paths)
        try:
            client_id = before["tables"]["client"][0]["id"]
            ticket = open_ticket(store.engine, TicketCreate(client_id=client_id, title="Premier ticket"), clock.now())
        finally:
            store.dispose()
        assert ticket == max(t["id"] for t in before["tables"]["ticket"]) + 1
