"""Time entries and the running timer: one timer at most, even across processes; billed entries never change."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from msptui.store import billing, db
from msptui.store import tickets as T
from msptui.store import time_entries as TE
from msptui.store.clients import RefusedError
from msptui.store.models import TimeEntry
from msptui.store.schemas import field_errors
from msptui.store.schemas.time import TimeEntryCreate
from tests.engines import database_url
from tests.test_tickets import make_contract, open_on, paris


@pytest.fixture
def acme(engine):
    return make_contract(engine)


@pytest.fixture
def two_tickets(engine, acme):
    return (
        open_on(engine, acme, paris(23, 9), title="Printer down"),
        open_on(engine, acme, paris(23, 9), title="Mail bounces"),
    )


def entry(ticket_id, start, end=None, **kw) -> TimeEntryCreate:
    return TimeEntryCreate(ticket_id=ticket_id, started_at=start, ended_at=end, **kw)


# --- the timer ------------------------------------------------------------------------------


def test_a_timer_started_then_stopped_records_the_time_between(engine, two_tickets):
    printer, _ = two_tickets
    started = TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    assert started.stopped is None
    running = TE.running_timer(engine)
    assert (running.entry_id, running.label) == (started.entry_id, f"#{printer} Printer down")
    assert running.elapsed(paris(23, 10, 45)) == timedelta(minutes=45)

    stopped = TE.stop_timer(engine, paris(23, 11, 30))
    assert stopped.duration == timedelta(hours=1, minutes=30)
    assert stopped.words == f"Stopped the timer on #{printer} Printer down after 1 h 30."
    assert TE.running_timer(engine) is None
    assert TE.stop_timer(engine, paris(23, 12)) is None
    [row] = TE.entries_for_ticket(engine, printer)
    assert (row.started_at, row.ended_at, row.category) == (paris(23, 10), paris(23, 11, 30), "remote")


def test_starting_another_timer_stops_the_first_and_says_which(engine, two_tickets):
    printer, mail = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    second = TE.start_timer(engine, ticket_id=mail, now=paris(23, 10, 20))

    assert second.stopped.label == f"#{printer} Printer down"
    assert second.stopped.duration == timedelta(minutes=20)
    assert TE.running_timer(engine).label == f"#{mail} Mail bounces"
    assert TE.entries_for_ticket(engine, printer)[0].ended_at == paris(23, 10, 20)


def test_starting_the_timer_that_already_runs_changes_nothing(engine, two_tickets):
    printer, _ = two_tickets
    first = TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    again = TE.start_timer(engine, ticket_id=printer, now=paris(23, 10, 5))
    assert (again.entry_id, again.stopped, again.already_running) == (first.entry_id, None, True)
    assert TE.running_timer(engine).started_at == paris(23, 10)


def test_a_timer_needs_a_ticket_or_an_engagement_that_exists(engine, two_tickets):
    with pytest.raises(RefusedError, match="There is no ticket #999"):
        TE.start_timer(engine, ticket_id=999, now=paris(23, 10))
    with pytest.raises(RefusedError, match="one of the two"):
        TE.start_timer(engine, now=paris(23, 10))
    assert TE.running_timer(engine) is None


def test_the_database_itself_refuses_a_second_running_timer(engine, two_tickets):
    printer, mail = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    # A writer that skips the store (another program, a bug) still cannot start a second one.
    with pytest.raises(IntegrityError, match="(?i)unique"), db.write(engine) as s:
        s.add(TimeEntry(ticket_id=mail, started_at=paris(23, 10, 1), running=1, created_at=paris(23, 10, 1)))


def test_a_timer_running_over_12_hours_is_reported_so_the_interface_can_ask(engine, two_tickets):
    printer, _ = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    running = TE.running_timer(engine)
    assert not running.over_12h(paris(23, 22))
    assert running.over_12h(paris(23, 22, 1))

    assert TE.keep_or_stop_stale(engine, True, paris(24, 9)) is None  # kept: it runs on
    assert TE.running_timer(engine) is not None
    with pytest.raises(RefusedError, match="check the end time"):
        TE.keep_or_stop_stale(engine, False, paris(24, 9), ended_at=paris(23, 9))
    stopped = TE.keep_or_stop_stale(engine, False, paris(24, 9), ended_at=paris(23, 18))
    assert stopped.duration == timedelta(hours=8)
    assert TE.running_timer(engine) is None


def test_a_timer_stopped_the_instant_it_started_records_nothing(engine, two_tickets):
    printer, _ = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    stopped = TE.stop_timer(engine, paris(23, 10))
    assert stopped.duration == timedelta(0)
    assert TE.entries_for_ticket(engine, printer) == []


def test_the_timer_version_changes_when_a_timer_starts_or_stops(engine, two_tickets):
    printer, mail = two_tickets
    seen = [TE.timer_version(engine)]
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    seen.append(TE.timer_version(engine))
    TE.start_timer(engine, ticket_id=mail, now=paris(23, 11))
    seen.append(TE.timer_version(engine))
    TE.stop_timer(engine, paris(23, 12))
    seen.append(TE.timer_version(engine))
    assert len(set(seen)) == 4


RACER = r"""
import sys
from datetime import datetime, timezone
from msptui.store.db import make_engine
from msptui.store.time_entries import start_timer

database, rounds = sys.argv[1], int(sys.argv[2])
tickets = [int(t) for t in sys.argv[3:]]
engine = make_engine(database)
print("ready", flush=True)
sys.stdin.readline()
started = took_over = 0
for n in range(rounds):
    # The real clock, shared by both processes, so each stop comes after the start it ends.
    # Each process moves the timer from one ticket to the other and back: every start
    # stops a timer, its own or the other process's, whatever the scheduling.
    result = start_timer(engine, ticket_id=tickets[n % 2], now=datetime.now(timezone.utc))
    started += not result.already_running
    took_over += result.stopped is not None
print("started", started, took_over, flush=True)
"""


@pytest.mark.slow
def test_two_processes_starting_timers_at_once_leave_exactly_one_running(paths, store, two_tickets):
    store.dispose()
    rounds = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, database_url(store), str(rounds), *map(str, order)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in (two_tickets, two_tickets[::-1])
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    started = took_over = 0
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        counts = out.split("started", 1)[1].split()
        started, took_over = started + int(counts[0]), took_over + int(counts[1])

    engine = db.make_engine(database_url(store))
    try:
        with db.read(engine) as s:
            rows = list(s.scalars(select(TimeEntry)))
    finally:
        engine.dispose()
    assert len([r for r in rows if r.running == 1]) == 1
    # Every start but the last was stopped by the next; a timer stopped at the instant it
    # started (the other process's clock a little behind) leaves no entry: nothing was spent.
    assert took_over == started - 1
    assert 1 <= len(rows) <= started
    assert all(r.ended_at > r.started_at for r in rows if r.running is None)


# --- entries --------------------------------------------------------------------------------


def test_a_typed_duration_is_stored_as_a_start_and_an_end(engine, two_tickets):
    printer, _ = two_tickets
    data = TimeEntryCreate(
        ticket_id=printer, started_at=paris(23, 14), duration="1h30", description="Swapped the fuser"
    )
    entry_id = TE.add_entry(engine, data, paris(23, 16))
    [row] = TE.entries_for_ticket(engine, printer)
    assert (row.entry_id, row.ended_at, row.duration, row.description) == (
        entry_id,
        paris(23, 15, 30),
        timedelta(hours=1, minutes=30),
        "Swapped the fuser",
    )
    assert row.started_at.tzinfo is UTC  # stored and read back in UTC


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"ended_at": None}, "ended_at", "Give the end time or a duration such as 1h30."),
        ({"ended_at": paris(23, 9)}, "ended_at", "The end must be after the start."),
        (
            {"ended_at": None, "duration": "lots"},
            "duration",
            "“lots” is not a duration. Type a duration such as 1h30 or 45m.",
        ),
        ({"description": "x" * 501}, "description", "is too long (501 characters, at most 500)"),
        ({"description": "bell\x07"}, "description", "contains a control character; remove it"),
        ({"category": "sleeping"}, "category", "is not a kind of work msptui knows (remote, on site, travel)"),
        ({"engagement_id": 1}, "ticket_id", "Choose a ticket or an engagement, not both."),
        ({"started_at": datetime(2026, 11, 23, 10)}, "started_at", "needs a time zone"),
    ],
)
def test_a_bad_entry_is_refused_with_a_sentence(values, field, message):
    base = {"ticket_id": 1, "started_at": paris(23, 10), "ended_at": paris(23, 11)}
    with pytest.raises(ValidationError) as caught:
        TimeEntryCreate(**(base | values))
    assert field_errors(caught.value)[field].startswith(message)


def test_an_entry_in_the_future_is_refused(engine, two_tickets):
    printer, _ = two_tickets
    with pytest.raises(ValueError, match="The end is in the future"):
        TE.add_entry(engine, entry(printer, paris(23, 10), paris(23, 12)), paris(23, 11))
    # A minute's slack for clocks a little apart: ending 30 s ahead of now is accepted.
    TE.add_entry(engine, entry(printer, paris(23, 10), paris(23, 11)), paris(23, 10, 59) + timedelta(seconds=30))
    assert len(TE.entries_for_ticket(engine, printer)) == 1


def test_the_priority_at_the_time_of_the_work_is_kept(engine, acme):
    ticket = open_on(engine, acme, paris(23, 9), priority="P3")
    TE.add_entry(engine, entry(ticket, paris(23, 9, 30), paris(23, 10)), paris(23, 12))
    T.change_priority(engine, ticket, "P1", paris(23, 10, 30))
    TE.add_entry(engine, entry(ticket, paris(23, 11), paris(23, 11, 30)), paris(23, 12))
    assert [r.priority for r in TE.entries_for_ticket(engine, ticket)] == ["P3", "P1"]


# --- frozen entries -------------------------------------------------------------------------

DEC_1 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_closing_the_period_freezes_its_entries(engine, acme, two_tickets):
    printer, _ = two_tickets
    entry_id = TE.add_entry(engine, entry(printer, paris(23, 10), paris(23, 11)), paris(23, 12))
    number = billing.close_period(engine, acme[0], "2026-11", DEC_1)

    [row] = TE.entries_for_client_month(engine, acme[0], "2026-11")
    assert (row.frozen, row.period_number) == (True, number)
    later = entry(printer, paris(23, 10), paris(23, 12))
    message = f"Entry {entry_id} is on the closed statement {number}: it cannot change. Correct it instead"
    with pytest.raises(RefusedError, match=message):
        TE.edit_entry(engine, entry_id, later, DEC_1)
    with pytest.raises(RefusedError, match=message):
        TE.delete_entry(engine, entry_id)
    # The database backs the store: a write that skips it is refused too.
    with pytest.raises(Exception, match="frozen"), engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE time_entry SET description = 'changed' WHERE id = {entry_id}")
    with pytest.raises(Exception, match="frozen"), engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM time_entry WHERE id = {entry_id}")
    assert TE.entries_for_ticket(engine, printer)[0].ended_at == paris(23, 11)


def test_an_entry_not_yet_billed_is_edited_in_place(engine, acme, two_tickets):
    printer, _ = two_tickets
    entry_id = TE.add_entry(engine, entry(printer, paris(23, 10), paris(23, 11)), paris(23, 12))
    done = TE.correct_entry(engine, entry_id, entry(printer, paris(23, 10), paris(23, 11, 15)), paris(23, 12))
    assert done == TE.Correction(entry_id, as_new_entry=False)
    [row] = TE.entries_for_ticket(engine, printer)
    assert row.ended_at == paris(23, 11, 15)
    TE.delete_entry(engine, entry_id)
    assert TE.entries_for_ticket(engine, printer) == []


def test_a_correction_of_a_billed_entry_is_a_new_entry_in_the_next_period(engine, acme, two_tickets):
    printer, _ = two_tickets
    old = TE.add_entry(engine, entry(printer, paris(23, 10), paris(23, 11)), paris(23, 12))
    number = billing.close_period(engine, acme[0], "2026-11", DEC_1)

    fixed = entry(printer, paris(23, 10), paris(23, 12), description="It took two hours")
    done = TE.correct_entry(engine, old, fixed, DEC_1)
    assert done.as_new_entry and done.entry_id != old
    with pytest.raises(RefusedError, match=f"already corrected by entry {done.entry_id}"):
        TE.correct_entry(engine, old, fixed, DEC_1)

    [billed] = TE.entries_for_client_month(engine, acme[0], "2026-11")
    assert (billed.entry_id, billed.ended_at, billed.corrected_by) == (old, paris(23, 11), done.entry_id)
    [correction] = TE.entries_for_client_month(engine, acme[0], "2026-12")
    assert correction.entry_id == done.entry_id
    assert correction.corrects == TE.CorrectedEntry(old, paris(23, 10), paris(23, 11), "remote", False, number)


# --- the schema -----------------------------------------------------------------------------


def test_the_migrations_give_exactly_the_tables_the_models_describe(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        if conn.dialect.name != "sqlite":
            return  # PostgreSQL's triggers have their own names: tests/test_postgresql.py
        triggers = {name for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {
        "time_entry_frozen_no_update",
        "time_entry_frozen_no_delete",
        "billing_period_no_update",
        "billing_period_no_delete",
        "breach_justification_no_update",
        "breach_justification_no_delete",
        "prepaid_alert_no_update",
        "prepaid_alert_no_delete",
    } <= triggers


def test_stopping_the_timer_one_was_shown_never_stops_another(engine, two_tickets):
    """The screen read "#12 runs", the shell then started #42: answering "stop" stops nothing."""
    printer, mail = two_tickets
    shown = TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    TE.start_timer(engine, ticket_id=mail, now=paris(23, 10, 5))  # from the shell, meanwhile
    assert TE.stop_timer(engine, paris(23, 10, 6), entry_id=shown.entry_id) is None
    running = TE.running_timer(engine)
    assert running is not None and running.ticket_id == mail
    stopped = TE.stop_timer(engine, paris(23, 10, 7), entry_id=running.entry_id)
    assert stopped is not None and TE.running_timer(engine) is None
