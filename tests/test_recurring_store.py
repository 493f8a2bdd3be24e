"""Recurring tasks: each occurrence becomes one ticket of the contract, on its day or at the
first start after it (then saying it is late), never twice, even from two processes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from msptui.store import db
from msptui.store import recurring as R
from msptui.store import tickets as T
from msptui.store.contracts import set_archived
from msptui.store.models import RecurringOccurrence, Ticket
from msptui.store.schemas import field_errors
from tests.engines import database_url
from tests.test_tickets import MONDAY_10, PARIS, make_contract, paris


@pytest.fixture
def acme(engine):
    return make_contract(engine)


def task(acme, **kw) -> R.RecurringTaskCreate:
    client_id, contract_id = acme
    values = {
        "client_id": client_id,
        "contract_id": contract_id,
        "title": "Monthly restore test",
        "steps": "Restore one mailbox\nRestore one file share\nWrite the time it took",
        "schedule": {"kind": "months", "day_of_month": 23},
        "first_on": date(2026, 11, 23),
        "at_time": "11:00",
        "priority": "P2",
        "lead_days": 3,
    }
    return R.RecurringTaskCreate(**{**values, **kw})


def tickets(engine) -> list[Ticket]:
    with db.read(engine) as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def occurrences(engine) -> list[RecurringOccurrence]:
    with db.read(engine) as s:
        return list(s.scalars(select(RecurringOccurrence).order_by(RecurringOccurrence.due_on)))


# --- on its day -----------------------------------------------------------------------------------


def test_nothing_is_created_before_the_occurrence_is_due(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    assert R.materialise_due(engine, paris(23, 10, 59)) == []
    assert tickets(engine) == []


def test_on_its_day_the_occurrence_becomes_a_ticket_of_the_contract_with_its_checklist(engine, acme):
    task_id = R.add_task(engine, task(acme), MONDAY_10)
    [made] = R.materialise_due(engine, paris(23, 11, 1))  # the band's next minute
    assert (made.task_id, made.due_on, made.late) == (task_id, date(2026, 11, 23), False)
    [ticket] = tickets(engine)
    assert ticket.id == made.ticket_id
    assert (ticket.client_id, ticket.contract_id) == acme
    assert (ticket.title, ticket.priority, ticket.status) == ("Monthly restore test", "P2", "new")
    # Opened at its due instant: its SLA clocks run from 11:00, not from when msptui looked.
    assert ticket.opened_at == paris(23, 11)
    assert "- [ ] Restore one mailbox\n- [ ] Restore one file share\n- [ ] Write the time it took" in ticket.description
    assert "due on 2026-11-23 at 11:00" in ticket.description
    assert not [e for e in T.ticket_events(engine, ticket.id) if e.kind == "note"]


def test_asking_again_the_same_day_creates_nothing_more(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    assert len(R.materialise_due(engine, paris(23, 11))) == 1
    assert R.materialise_due(engine, paris(23, 12)) == []
    assert R.materialise_due(engine, paris(27, 9)) == []
    assert len(tickets(engine)) == 1


def test_a_stopped_task_creates_nothing(engine, acme):
    task_id = R.add_task(engine, task(acme), MONDAY_10)
    R.set_active(engine, task_id, False)
    assert R.materialise_due(engine, paris(23, 12)) == []


def test_the_next_month_is_created_on_its_day_only(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    R.materialise_due(engine, paris(23, 12))
    assert R.materialise_due(engine, datetime(2026, 12, 23, 10, 59, tzinfo=PARIS)) == []
    [made] = R.materialise_due(engine, datetime(2026, 12, 23, 11, 0, tzinfo=PARIS))
    assert (made.due_on, made.late) == (date(2026, 12, 23), False)


# --- days missed while msptui was not running --------------------------------------------------------


def test_each_day_missed_while_msptui_was_not_running_is_created_once_and_says_it_is_late(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    started = datetime(2027, 2, 23, 8, 0, tzinfo=PARIS)  # before 11:00: February's is not due yet
    made = R.materialise_due(engine, started)
    assert [(m.due_on, m.late) for m in made] == [
        (date(2026, 11, 23), True),
        (date(2026, 12, 23), True),
        (date(2027, 1, 23), True),
    ]
    for m in made:
        ticket = T.get_ticket(engine, m.ticket_id)
        assert ticket.opened_at == started  # its clocks start now: nobody could act before
        [note] = [e for e in T.ticket_events(engine, m.ticket_id) if e.kind == "note"]
        assert note.note == f"late: due on {m.due_on:%a %Y-%m-%d} 11:00 (Europe/Paris)"
    assert R.materialise_due(engine, started) == []
    [february] = R.materialise_due(engine, datetime(2027, 2, 23, 11, 0, tzinfo=PARIS))
    assert not february.late
    assert len(tickets(engine)) == 4


def test_a_monthly_task_on_the_31st_comes_on_the_last_day_of_shorter_months(engine, acme):
    R.add_task(
        engine, task(acme, schedule={"kind": "months", "day_of_month": 31}, first_on=date(2027, 1, 31)), MONDAY_10
    )
    made = R.materialise_due(engine, datetime(2027, 5, 1, 9, tzinfo=PARIS))
    assert [m.due_on for m in made] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_a_task_without_contract_runs_in_the_clients_zone(engine, acme):
    client_id, _ = acme
    R.add_task(engine, task(acme, contract_id=None, schedule={"kind": "days"}), MONDAY_10)
    [made] = R.materialise_due(engine, paris(23, 11))
    ticket = T.get_ticket(engine, made.ticket_id)
    assert ticket.contract_id is None and ticket.client_id == client_id


def test_a_task_registered_today_with_a_first_day_long_past_owes_only_from_today(engine, acme):
    R.add_task(engine, task(acme, schedule={"kind": "days"}, first_on=date(2025, 1, 1)), MONDAY_10)
    made = R.materialise_due(engine, paris(24, 11, 1))
    assert [(m.due_on, m.late) for m in made] == [(date(2026, 11, 23), True), (date(2026, 11, 24), False)]


def test_todays_occurrence_found_hours_after_its_instant_opens_now_and_says_it_is_late(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    [made] = R.materialise_due(engine, paris(23, 15))  # msptui started at 15:00, due at 11:00
    ticket = T.get_ticket(engine, made.ticket_id)
    # Backdated to 11:00 its P2 clocks would be breached before the ticket existed.
    assert ticket.opened_at == paris(23, 15)
    assert made.late
    [note] = [e for e in T.ticket_events(engine, made.ticket_id) if e.kind == "note"]
    assert note.note == "late: due on Mon 2026-11-23 11:00 (Europe/Paris)"


# --- all or nothing -------------------------------------------------------------------------------------


def test_a_ticket_that_cannot_be_opened_leaves_no_occurrence_behind(engine, acme, monkeypatch):
    R.add_task(engine, task(acme), MONDAY_10)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    # The ticket and its opening event are written, then the note fails: nothing may stay.
    monkeypatch.setattr(R, "apply_action", crash)
    with pytest.raises(RuntimeError):
        R.materialise_due(engine, datetime(2026, 12, 24, 9, tzinfo=PARIS))
    assert tickets(engine) == [] and occurrences(engine) == []
    monkeypatch.undo()
    assert len(R.materialise_due(engine, datetime(2026, 12, 24, 9, tzinfo=PARIS))) == 2


def test_the_tasks_of_a_contract_no_longer_active_wait_and_the_others_go_on(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    beta = make_contract(engine, code="BETA")
    R.add_task(engine, task(beta, title="Check backups"), MONDAY_10)
    set_archived(engine, acme[1], True, MONDAY_10)
    problems: list[str] = []
    [made] = R.materialise_due(engine, paris(23, 12), problems)
    assert made.title == "Check backups"
    assert problems == [
        "The recurring task “Monthly restore test” made no ticket: C-ACME is not active: choose an active contract or none."
    ]
    assert [o.ticket_id for o in occurrences(engine)] == [made.ticket_id]
    # Reactivated, its owed day is made then, late.
    set_archived(engine, acme[1], False, MONDAY_10)
    [owed] = R.materialise_due(engine, paris(24, 9))
    assert (owed.title, owed.due_on, owed.late) == ("Monthly restore test", date(2026, 11, 23), True)


def test_the_database_itself_refuses_a_second_ticket_for_one_occurrence(engine, acme):
    R.add_task(engine, task(acme), MONDAY_10)
    [made] = R.materialise_due(engine, paris(23, 12))
    other = T.open_ticket(engine, T.TicketCreate(client_id=acme[0], title="Other"), MONDAY_10)
    with pytest.raises(IntegrityError):
        with db.write(engine) as s:
            s.add(RecurringOccurrence(task_id=made.task_id, due_on=made.due_on, ticket_id=other, created_at=MONDAY_10))
    with pytest.raises(DatabaseError, match="append-only"):
        with db.write(engine) as s:
            s.execute(text("UPDATE recurring_occurrence SET late = true"))


def test_done_early_the_occurrence_is_not_created_again_on_its_day(engine, acme):
    task_id = R.add_task(engine, task(acme), MONDAY_10)
    made = R.open_early(engine, task_id, date(2026, 11, 23), paris(23, 10))
    assert T.get_ticket(engine, made.ticket_id).opened_at == paris(23, 10)
    assert R.materialise_due(engine, paris(23, 12)) == []
    with pytest.raises(Exception, match="already has its ticket"):
        R.open_early(engine, task_id, date(2026, 11, 23), paris(23, 10))


# --- what is refused ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"schedule": {"kind": "rrule", "rrule": "FREQ=HOURLY"}}, "schedule", "finer than a day"),
        ({"schedule": {"kind": "rrule", "rrule": "FREQ=DAILY;BYSETPOS=2"}}, "schedule", "never happens"),
        ({"first_on": date(9999, 12, 1)}, "first_on", "between 1900 and 2199"),
        ({"first_on": date(1, 1, 1)}, "first_on", "between 1900 and 2199"),
        ({"schedule": {"kind": "rrule", "rrule": "not a rule"}}, "schedule", "RRULE"),
        ({"schedule": {"kind": "weeks", "day_of_month": 3}}, "schedule", "monthly schedule only"),
        ({"at_time": "25:00"}, "at_time", "HH:MM"),
        ({"title": ""}, "title", "required"),
        ({"lead_days": -1}, "lead_days", "at least 0"),
        ({"steps": "\n".join(f"step {n}" for n in range(21))}, "steps", ""),
    ],
)
def test_a_bad_task_is_refused_with_a_sentence(acme, values, field, message):
    with pytest.raises(ValidationError) as caught:
        task(acme, **values)
    errors = field_errors(caught.value)
    assert field in errors and message.lower() in errors[field].lower()


def test_a_contract_of_another_client_is_refused(engine, acme):
    other = make_contract(engine, code="BETA")
    with pytest.raises(Exception, match="is not a contract of"):
        R.add_task(engine, task(acme, contract_id=other[1]), MONDAY_10)


def test_the_rrule_is_kept_in_its_canonical_spelling(engine, acme):
    task_id = R.add_task(
        engine, task(acme, schedule={"kind": "rrule", "rrule": "rrule:freq=monthly;bymonthday=-1"}), MONDAY_10
    )
    [stored] = R.client_tasks(engine, acme[0])
    assert stored.id == task_id and stored.schedule["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=-1"
    [made] = R.materialise_due(engine, datetime(2026, 11, 30, 11, tzinfo=PARIS))
    assert made.due_on == date(2026, 11, 30)


# --- two terminals ------------------------------------------------------------------------------------------

RACER = r"""
import sys
from datetime import datetime
from msptui.store.db import make_engine
from msptui.store.recurring import materialise_due

database, now = sys.argv[1], datetime.fromisoformat(sys.argv[2])
engine = make_engine(database)
print("ready", flush=True)
sys.stdin.readline()
made = materialise_due(engine, now)
print("made", " ".join(f"{m.task_id}:{m.due_on.isoformat()}:{m.ticket_id}" for m in made), flush=True)
"""


@pytest.mark.slow
def test_two_terminals_started_on_the_day_an_occurrence_is_due_create_exactly_one_ticket(paths, store, acme):
    engine = store.engine
    monthly = R.add_task(engine, task(acme), MONDAY_10)
    # A daily task with ten days missed as well: more occurrences for the two to fight over.
    daily = R.add_task(
        engine,
        task(acme, title="Check backups", schedule={"kind": "days"}, first_on=date(2026, 11, 13)),
        paris(13, 8) - timedelta(days=10),
    )
    store.dispose()
    now = paris(23, 11, 5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, database_url(store), now.isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    claimed = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        claimed += out.split("made", 1)[1].split()

    engine = db.make_engine(database_url(store))
    try:
        with db.read(engine) as s:
            rows = list(s.scalars(select(RecurringOccurrence)))
            made_tickets = list(s.scalars(select(Ticket)))
    finally:
        engine.dispose()
    expected = {(monthly, date(2026, 11, 23))} | {(daily, date(2026, 11, 13) + timedelta(days=n)) for n in range(11)}
    assert sorted((r.task_id, r.due_on) for r in rows) == sorted(expected)
    assert len(made_tickets) == len(expected)  # exactly one ticket per occurrence, from either process
    assert sorted(claimed) == sorted(f"{r.task_id}:{r.due_on.isoformat()}:{r.ticket_id}" for r in rows)
