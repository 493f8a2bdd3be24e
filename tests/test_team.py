"""A team on one database (issue 20): every record names who made it, each technician runs
their own timer, a ticket is assigned to one technician or to nobody."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from msptui.core import sla
from msptui.store import db, team
from msptui.store import tickets as T
from msptui.store import time_entries as TE
from msptui.store.clients import RefusedError
from msptui.store.models import Ticket, TicketEvent, TimeEntry
from msptui.store.reads.board import load_board
from msptui.store.schemas.time import TimeEntryCreate
from tests.test_tickets import make_contract, open_on, paris


@pytest.fixture(autouse=True)
def nobody_acting():
    team.set_acting("")
    yield
    team.set_acting("")


@pytest.fixture
def printer(engine):
    return open_on(engine, make_contract(engine), paris(23, 9), title="Printer down")


def log_of(engine, ticket_id):
    return [(e.kind, e.technician, e.note) for e in T.ticket_events(engine, ticket_id)]


# --- who did what -------------------------------------------------------------------------


def test_every_ticket_action_and_time_entry_names_the_technician_who_made_it(engine):
    contract = make_contract(engine)
    team.set_acting("sophie")
    ticket = open_on(engine, contract, paris(23, 9))
    team.set_acting("marc")
    T.acknowledge(engine, ticket, paris(23, 9, 10))
    T.add_note(engine, ticket, T.NoteCreate(note="called back"), paris(23, 9, 20))
    TE.add_entry(
        engine, TimeEntryCreate(ticket_id=ticket, started_at=paris(23, 10), ended_at=paris(23, 11)), paris(23, 12)
    )

    assert log_of(engine, ticket) == [("opened", "sophie", ""), ("status", "marc", ""), ("note", "marc", "called back")]
    [entry] = TE.entries_for_ticket(engine, ticket)
    with db.read(engine) as s:
        assert s.get(TimeEntry, entry.entry_id).technician == "marc"


def test_a_record_made_before_team_mode_keeps_no_name_and_is_never_rewritten(engine):
    contract = make_contract(engine)
    ticket = open_on(engine, contract, paris(23, 9))  # nobody acting: the solo technician's
    team.set_acting("sophie")
    T.acknowledge(engine, ticket, paris(23, 9, 10))
    assert log_of(engine, ticket) == [("opened", "", ""), ("status", "sophie", "")]


def test_a_name_given_on_the_record_is_kept(engine, printer):
    team.set_acting("sophie")
    with db.write(engine) as s:
        s.add(TicketEvent(ticket_id=printer, at=paris(23, 10), kind="note", note="imported", technician="marc"))
    assert log_of(engine, printer)[-1] == ("note", "marc", "imported")


def test_an_invalid_name_is_never_acted_under():
    with pytest.raises(ValueError, match="letters without accents"):
        team.set_acting("sophie martin")
    assert team.acting() == ""


# --- one timer per technician ---------------------------------------------------------------


def test_two_technicians_each_run_their_own_timer(engine, printer):
    mail = open_on(engine, make_contract(engine, code="BETA"), paris(23, 9), title="Mail bounces")
    team.set_acting("sophie")
    sophie = TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    team.set_acting("marc")
    assert TE.running_timer(engine) is None  # Sophie's is hers
    marc = TE.start_timer(engine, ticket_id=mail, now=paris(23, 10, 5))
    assert marc.stopped is None  # starting his did not stop hers
    assert TE.running_timer(engine).entry_id == marc.entry_id

    stopped = TE.stop_timer(engine, paris(23, 11))
    assert stopped.entry_id == marc.entry_id
    team.set_acting("sophie")
    assert TE.running_timer(engine).entry_id == sophie.entry_id
    assert TE.stop_timer(engine, paris(23, 11), entry_id=marc.entry_id) is None  # never someone else's


def test_one_technician_never_runs_two_timers(engine, printer):
    mail = open_on(engine, make_contract(engine, code="BETA"), paris(23, 9), title="Mail bounces")
    team.set_acting("sophie")
    first = TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    second = TE.start_timer(engine, ticket_id=mail, now=paris(23, 10, 30))
    assert second.stopped is not None and second.stopped.entry_id == first.entry_id
    with db.read(engine) as s:
        running = s.scalars(select(TimeEntry).where(TimeEntry.running == 1)).all()
    assert [(e.id, e.technician) for e in running] == [(second.entry_id, "sophie")]


def test_the_database_refuses_a_second_running_timer_for_the_same_technician(engine, printer):
    from sqlalchemy.exc import IntegrityError

    team.set_acting("sophie")
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    with pytest.raises(IntegrityError), db.write(engine) as s:
        s.add(TimeEntry(ticket_id=printer, started_at=paris(23, 11), running=1, created_at=paris(23, 11)))
    team.set_acting("marc")
    with db.write(engine) as s:  # another technician's is allowed
        s.add(TimeEntry(ticket_id=printer, started_at=paris(23, 11), running=1, created_at=paris(23, 11)))


def test_the_timer_version_follows_this_technicians_timer(engine, printer):
    team.set_acting("sophie")
    TE.start_timer(engine, ticket_id=printer, now=paris(23, 10))
    newest, mine = TE.timer_version(engine)
    assert mine == newest
    team.set_acting("marc")
    assert TE.timer_version(engine) == (newest, 0)


# --- assignment -----------------------------------------------------------------------------


def test_assigning_a_ticket_sets_its_assignee_and_says_so_in_its_log(engine, printer):
    team.set_acting("sophie")
    done = team.assign(engine, printer, "marc", paris(23, 10))
    assert (done.assignee, done.previous) == ("marc", None)
    assert T.get_ticket(engine, printer).assignee == "marc"
    assert log_of(engine, printer)[-1] == ("assigned", "sophie", "marc")

    team.assign(engine, printer, None, paris(23, 11))
    assert T.get_ticket(engine, printer).assignee is None
    assert log_of(engine, printer)[-1] == ("assigned", "sophie", "")


def test_an_assignment_never_moves_a_clock(engine, printer):
    before = T.clocks_from_log(engine, printer, paris(23, 12))
    team.assign(engine, printer, "marc", paris(23, 10))
    assert T.clocks_from_log(engine, printer, paris(23, 12)) == before
    [ticket] = load_board(engine).tickets
    assert ticket.assignee == "marc"
    assert all(isinstance(e, sla.TicketEvent) for e in ticket.events)


def test_an_assignment_that_changes_nothing_or_a_bad_name_is_refused_and_nothing_is_saved(engine, printer):
    team.assign(engine, printer, "marc", paris(23, 10))
    with pytest.raises(RefusedError, match="already assigned to marc"):
        team.assign(engine, printer, "marc", paris(23, 11))
    with pytest.raises(RefusedError, match="letters without accents"):
        team.assign(engine, printer, "Hélène", paris(23, 11))
    assert [k for k, _w, _n in log_of(engine, printer)].count("assigned") == 1
    with pytest.raises(RefusedError, match="no longer exists"):
        team.assign(engine, printer + 100, "marc", paris(23, 11))


def test_a_closed_ticket_is_not_assigned(engine, printer):
    T.acknowledge(engine, printer, paris(23, 9, 5))
    T.resolve(engine, printer, paris(23, 9, 10), "toner")
    T.close(engine, printer, paris(23, 9, 15))
    with pytest.raises(RefusedError, match="closed ticket"):
        team.assign(engine, printer, "marc", paris(23, 10))


def test_the_names_offered_for_assignment_are_those_seen_in_the_database(engine, printer):
    team.set_acting("sophie")
    T.acknowledge(engine, printer, paris(23, 9, 5))
    team.set_acting("")
    team.assign(engine, printer, "Zoe", paris(23, 10))
    assert team.known_technicians(engine) == ["sophie", "Zoe"]
    team.set_acting("marc")
    assert team.known_technicians(engine) == ["marc", "sophie", "Zoe"]
    with db.read(engine) as s:
        assert s.get(Ticket, printer).assignee == "Zoe"
