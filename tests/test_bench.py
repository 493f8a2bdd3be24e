"""The benchmark's own machinery: generated data, the pty runs and the app's exit hook.

These keep `make bench` honest: if the data were not what the board reads, or the
hook never fired, the table would measure nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.__main__ import render
from bench.cold_start import Run, _french_row, bare_command, f2_seconds, msptui_command, run_in_pty, terminal_env
from bench.generate import PROFILES, generate
from bench.idle_bench import cpu_seconds
from msptui.core.vocabulary import OPEN_TICKET_STATUSES
from msptui.store.migrate import HEAD

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BOARD_SOURCE = Path(__file__).resolve().parents[1] / "msptui" / "ui" / "screens" / "tickets" / "board.py"


@pytest.fixture(scope="module")
def small_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "data", NOW, clients=60, tickets=600, open_tickets=25)


def test_generated_data_has_the_asked_volumes_through_the_real_migrations(small_database: Path) -> None:
    con = sqlite3.connect(small_database)
    try:
        count = lambda table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert (count("client"), count("contact"), count("contract"), count("sla_target")) == (60, 120, 60, 240)
        assert count("ticket") == 600
        statuses = [s for (s,) in con.execute("SELECT status FROM ticket")]
        assert sum(s in OPEN_TICKET_STATUSES for s in statuses) == 25
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def test_each_ticket_status_is_the_last_status_of_its_event_log_and_nothing_is_in_the_future(
    small_database: Path,
) -> None:
    from sqlalchemy import select

    from msptui.paths import resolve
    from msptui.store import db
    from msptui.store.models import Ticket, TicketEvent
    from msptui.store.open import open_store

    store = open_store(resolve(small_database.parent))
    try:
        with db.read(store.engine) as s:
            tickets = {t.id: t for t in s.scalars(select(Ticket))}
            last_status: dict[int, str] = {}
            for event in s.scalars(select(TicketEvent).order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)):
                assert event.at <= NOW
                assert event.at >= tickets[event.ticket_id].opened_at
                if event.status:
                    last_status[event.ticket_id] = event.status
    finally:
        store.dispose()
    assert {tid: t.status for tid, t in tickets.items()} == last_status
    open_ages = [NOW - t.opened_at for t in tickets.values() if t.status in OPEN_TICKET_STATUSES]
    assert max(open_ages).days < 5  # open tickets are recent, so the board shows every clock state


@pytest.mark.slow
def test_bare_app_reports_its_first_frame_under_a_pseudo_terminal(tmp_path: Path) -> None:
    run = run_in_pty(bare_command(), terminal_env(tmp_path, MSPTUI_BENCH_EXIT="first-frame"), timeout=60)
    assert run.problem == ""
    assert 0 < run.seconds < 60
    assert run.max_rss_mb > 10


@pytest.mark.slow
def test_msptui_exits_by_itself_after_its_first_frame_when_asked(tmp_path: Path) -> None:
    run = run_in_pty(msptui_command(), terminal_env(tmp_path / "data", MSPTUI_BENCH_EXIT="first-frame"), timeout=60)
    assert run.problem == ""
    assert 0 < run.seconds < 60


@pytest.mark.slow
@pytest.mark.skipif(
    "board_populated" not in BOARD_SOURCE.read_text(encoding="utf-8"),
    reason="the board does not call app.board_populated() yet",
)
def test_msptui_reports_a_populated_board(small_database: Path) -> None:
    env = terminal_env(small_database.parent, MSPTUI_BENCH_EXIT="board")
    run = run_in_pty(msptui_command(), env, timeout=60)
    assert run.problem == ""
    assert 0 < run.seconds < 60


def test_table_says_which_bars_are_met() -> None:
    table = render(
        [
            {"name": "fast thing", "value": "1 ms", "bar": "< 5 ms", "ok": True},
            {"name": "slow thing", "value": "9 ms", "bar": "< 5 ms", "ok": False},
            {"name": "yardstick", "value": "0.5 s", "bar": "reference", "ok": None},
        ]
    )
    lines = table.splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == [
        "measure",
        "value",
        "reference (same run)",
        "bar",
        "met?",
    ]
    assert lines[2].rstrip(" |").endswith("yes") and lines[3].rstrip(" |").endswith("NO")
    assert lines[4].rstrip(" |").endswith("—")


def test_the_ten_times_profiles_are_ten_times_one_kind_of_work() -> None:
    base = PROFILES["base"]
    assert PROFILES["open10k"] == (base[0], base[1], 10 * base[2])
    assert PROFILES["clients100k"] == (10 * base[0], base[1], base[2])


def test_more_clients_than_distinct_names_still_get_distinct_names(tmp_path: Path) -> None:
    # 48,000 trade x surname x city names: beyond, they come round with a branch number.
    from bench.generate import CITIES, SURNAMES, TRADES, _Rows

    pool = len(TRADES) * len(SURNAMES) * len(CITIES)
    import random

    clients, contacts = _Rows(random.Random(1), NOW, pool + 50, 0, 0).clients()
    names = [c["name"] for c in clients]
    assert len(set(names)) == len(names) == pool + 50
    assert len(contacts) == 2 * len(clients)


def test_the_f2_case_counts_from_the_key_to_the_list() -> None:
    run = Run(5.0, 100.0, marks={"f2": 3.0, "clients": 5.5})
    assert f2_seconds(run) == 2.5
    assert f2_seconds(Run(None, 0.0, "no signal")) is None


def test_the_french_first_frame_is_compared_round_by_round_with_the_english_one() -> None:
    english = [Run(1.0, 90.0), Run(2.0, 90.0), Run(1.0, 90.0)]  # the second round ran on a loaded machine
    slower = [Run(1.10, 90.0), Run(2.06, 90.0), Run(1.08, 90.0)]
    (row,) = _french_row({"first-frame-en": english, "first-frame-fr": slower})
    assert row["ok"] is False and "1.08x English" in row["value"]
    close = [Run(1.02, 90.0), Run(2.30, 90.0), Run(1.01, 90.0)]
    (row,) = _french_row({"first-frame-en": english, "first-frame-fr": close})
    assert row["ok"] is True and "1.02x English" in row["value"]


def test_cpu_seconds_reads_this_process() -> None:
    import os

    assert cpu_seconds(os.getpid()) > 0


@pytest.mark.slow
def test_msptui_reports_the_store_open(small_database: Path) -> None:
    """The store open and the board confirmed from it: the moment the benchmark's idle and memory rows wait for."""
    run = run_in_pty(msptui_command(), terminal_env(small_database.parent, MSPTUI_BENCH_EXIT="store"), timeout=60)
    assert run.problem == ""
    assert 0 < run.seconds < 60
