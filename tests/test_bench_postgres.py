"""The benchmark's PostgreSQL rows (issue 20): the data copied to a server are the
generated file's (the board reads the same rows), and without a server the rows say so."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import postgres_bench
from bench.__main__ import _normalise
from bench.generate import generate
from msptui.store.reads.board import read_board_file
from msptui.store.server import read_board_server

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SERVER = os.environ.get("MSPTUI_TEST_POSTGRES_URL", "")


def test_without_a_server_the_postgresql_rows_say_not_measured(monkeypatch):
    monkeypatch.delenv("MSPTUI_BENCH_POSTGRES_URL", raising=False)
    monkeypatch.setattr(postgres_bench.glob, "glob", lambda pattern: [])
    with postgres_bench.server() as (url, why):
        assert url is None
    rows = [_normalise(r) for r in postgres_bench.not_measured(why)]
    assert [r["value"] for r in rows] == [postgres_bench.NO_SERVER] * 2
    assert all(r["ok"] is False for r in rows)  # counted as missed, never as met
    assert "PostgreSQL" in rows[0]["name"] and "PostgreSQL" in rows[1]["name"]


@pytest.mark.skipif(not SERVER, reason="no PostgreSQL test server (MSPTUI_TEST_POSTGRES_URL)")
def test_the_generated_data_on_the_server_give_the_same_board_as_the_file(tmp_path: Path):
    small = generate(tmp_path / "data", NOW, clients=60, tickets=600, open_tickets=25)
    with postgres_bench.database(SERVER, small, profile="live_test") as url:
        on_server = read_board_server(url)
        assert on_server is not None
        from_file = read_board_file(small)
        assert len(on_server.tickets) == 25 and on_server.tickets == from_file.tickets
        assert on_server.version == from_file.version
        with postgres_bench._admin(url) as conn:
            # The ids go on after the copied rows: a new ticket does not collide.
            assert conn.execute("SELECT nextval(pg_get_serial_sequence('ticket', 'id'))").fetchone()[0] == 601
    with postgres_bench._admin(SERVER) as conn:
        conn.execute('DROP DATABASE IF EXISTS "msptui_bench_live_test" WITH (FORCE)')
