"""Tickets: the append-only log, the commands, and clocks replayed from the log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from sqlalchemy.exc import DatabaseError

from msptui.core import sla
from msptui.store import tickets as T
from msptui.store.clients import RefusedError, create_client
from msptui.store.contracts import create_contract
from msptui.store.reads.board import load_board
from msptui.store.schemas import ClientCreate, ContractCreate, FieldError, SlaTargetInput

PARIS = ZoneInfo("Europe/Paris")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # = the conftest's frozen instant
HOURS = {str(d): [["09:00", "18:00"]] for d in range(5)}


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in the week of 23 November 2026 (day 23 = Monday), Paris time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def make_contract(
    engine,
    *,
    code="ACME",
    third_party_pauses=False,
    p1_round_the_clock=True,
    out_of_hours=False,
    covered=None,
) -> tuple[int, int]:
    client_id = create_client(engine, ClientCreate(name=f"Client {code}", code=code), MONDAY_10)
    contract_id = create_contract(
        engine,
        ContractCreate(
            reference=f"C-{code}",
            client_id=client_id,
            title="Support",
            start_date=date(2026, 1, 1),
            business_hours=HOURS,
            timezone="Europe/Paris",
            holiday_country="FR",
            pause_on_third_party=third_party_pauses,
            out_of_hours_surcharge_pct=30,
            out_of_hours_available=out_of_hours,
            out_of_hours_priorities=covered,
        ),
        MONDAY_10,
        targets=[
            SlaTargetInput(
                priority="P1",
                response_minutes=30,
                intervention_minutes=120,
                resolution_minutes=480,
                round_the_clock=p1_round_the_clock,
            ),
            SlaTargetInput(priority="P2", response_minutes=60, intervention_minutes=240, resolution_minutes=960),
            SlaTargetInput(priority="P3", response_minutes=240, intervention_minutes=960, resolution_minutes=2880),
        ],
    )
    return client_id, contract_id


@pytest.fixture
def contract(engine):
    return make_contract(engine)


def open_on(engine, contract, at, priority="P3", title="Printer jammed") -> int:
    client_id, contract_id = contract
    return T.open_ticket(
        engine, T.TicketCreate(client_id=client_id, contract_id=contract_id, title=title, priority=priority), at
    )


def expected_policy() -> sla.SlaPolicy:
    """The same contract, built by hand with the engine's own API (not through the store)."""
    office = sla.BusinessCalendar.for_country(
        "FR", hours={d: [("09:00", "18:00")] for d in range(5)}, tz="Europe/Paris"
    )
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    return sla.SlaPolicy(
        targets={
            "P1": {"response": m(30), "intervention": m(120), "resolution": m(480)},
            "P2": {"response": m(60), "intervention": m(240), "resolution": m(960)},
            "P3": {"response": m(240), "intervention": m(960), "resolution": m(2880)},
            "P4": {"response": None, "intervention": None, "resolution": None},
        },
        calendars={"P1": sla.BusinessCalendar.always("Europe/Paris"), "P2": office, "P3": office, "P4": office},
        pausing_statuses=frozenset({"waiting_client"}),
    )


# --- the log -----------------------------------------------------------------------------


def test_opening_writes_the_ticket_and_its_opened_event(engine, contract):
    tid = open_on(engine, contract, paris(23, 10))
    ticket = T.get_ticket(engine, tid)
    assert (ticket.status, ticket.priority, ticket.billable) == ("new", "P3", False)
    [opened] = T.ticket_events(engine, tid)
    assert (opened.kind, opened.priority, opened.at) == ("opened", "P3", paris(23, 10).astimezone(UTC))


def test_a_ticket_without_contract_is_billable_and_has_no_clocks(engine, contract):
    client_id, _ = contract
    tid = T.open_ticket(engine, T.TicketCreate(client_id=client_id, title="Move a printer"), paris(23, 10))
    assert T.get_ticket(engine, tid).billable is True
    assert T.clocks_from_log(engine, tid, paris(23, 12)) == {}


def test_a_contract_of_another_client_is_refused_next_to_the_field(engine, contract):
    other_client, _ = make_contract(engine, code="OTHER")
    _, contract_id = contract
    with pytest.raises(FieldError) as refused:
        T.open_ticket(engine, T.TicketCreate(client_id=other_client, contract_id=contract_id, title="x"), paris(23, 10))
    assert refused.value.field == "contract_id"


@pytest.mark.parametrize("statement", ["UPDATE ticket_event SET note = 'edited'", "DELETE FROM ticket_event"])
def test_the_event_log_is_append_only(engine, contract, statement):
    tid = open_on(engine, contract, paris(23, 10))
    T.acknowledge(engine, tid, paris(23, 10, 5))
    with pytest.raises(DatabaseError, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    assert [e.kind for e in T.ticket_events(engine, tid)] == ["opened", "status"]


def test_every_command_appends_one_event_and_mirrors_status_and_priority(engine, contract):
    tid = open_on(engine, contract, paris(23, 10))
    steps = [
        (lambda at: T.acknowledge(engine, tid, at), "acknowledged", "P3"),
        (lambda at: T.wait_on_client(engine, tid, at), "waiting_client", "P3"),
        (lambda at: T.resume(engine, tid, at), "acknowledged", "P3"),
        (lambda at: T.start_intervention(engine, tid, "remote", at), "in_progress", "P3"),
        (lambda at: T.change_priority(engine, tid, "P2", at), "in_progress", "P2"),
        (lambda at: T.wait_on_third_party(engine, tid, at), "waiting_third_party", "P2"),
        (lambda at: T.resume(engine, tid, at), "in_progress", "P2"),  # back to work, not to "acknowledged"
        (lambda at: T.add_note(engine, tid, T.NoteCreate(note="Replaced the fuser"), at), "in_progress", "P2"),
        (lambda at: T.resolve(engine, tid, at), "resolved", "P2"),
        (lambda at: T.reopen(engine, tid, at), "in_progress", "P2"),
        (lambda at: T.resolve(engine, tid, at), "resolved", "P2"),
        (lambda at: T.close(engine, tid, at), "closed", "P2"),
    ]
    for minute, (command, status, priority) in enumerate(steps, start=1):
        result = command(paris(23, 11, minute))
        ticket = T.get_ticket(engine, tid)
        assert (ticket.status, ticket.priority) == (status, priority) == (result.status, result.priority)
        assert len(T.ticket_events(engine, tid)) == minute + 1
    events = T.ticket_events(engine, tid)
    assert events[4].channel == "remote"
    assert events[8].note == "Replaced the fuser"


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (lambda e, t, at: T.close(e, t, at), "must be resolved"),
        (lambda e, t, at: T.resume(e, t, at), "nothing to resume"),
        (lambda e, t, at: T.reopen(e, t, at), "nothing to reopen"),
        (lambda e, t, at: T.change_priority(e, t, "P3", at), "already P3"),
    ],
)
def test_actions_that_make_no_sense_are_refused_in_words(engine, contract, command, words):
    tid = open_on(engine, contract, paris(23, 10))
    with pytest.raises(RefusedError, match=words):
        command(engine, tid, paris(23, 10, 30))
    assert len(T.ticket_events(engine, tid)) == 1


def test_acknowledging_twice_is_refused(engine, contract):
    tid = open_on(engine, contract, paris(23, 10))
    T.acknowledge(engine, tid, paris(23, 10, 1))
    with pytest.raises(RefusedError, match="already acknowledged"):
        T.acknowledge(engine, tid, paris(23, 10, 2))


def test_an_intervention_is_on_site_or_remote(engine, contract):
    tid = open_on(engine, contract, paris(23, 10))
    with pytest.raises(FieldError) as refused:
        T.start_intervention(engine, tid, "by pigeon", paris(23, 10, 5))
    assert refused.value.field == "channel"


def test_an_action_never_lands_before_the_last_event(engine, contract):
    """If the machine's clock steps back, the log still reads in order."""
    tid = open_on(engine, contract, paris(23, 10))
    T.acknowledge(engine, tid, paris(23, 9))
    assert T.ticket_events(engine, tid)[-1].at == paris(23, 10).astimezone(UTC)


# --- out of hours -------------------------------------------------------------------------


def test_only_the_technicians_work_outside_business_hours_is_surcharged(engine):
    contract = make_contract(engine, out_of_hours=True, covered=["P1"])
    tid = open_on(engine, contract, paris(23, 8, 30), priority="P1")  # the client opens before 09:00
    in_hours = T.acknowledge(engine, tid, paris(23, 9, 10))
    at_night = T.start_intervention(engine, tid, "on_site", paris(23, 21))
    on_holiday = T.add_note(engine, tid, T.NoteCreate(note="still on it"), datetime(2026, 12, 25, 10, tzinfo=PARIS))
    resolved_on_holiday = T.resolve(engine, tid, datetime(2026, 12, 25, 10, 30, tzinfo=PARIS))
    assert (in_hours.out_of_hours, at_night.out_of_hours, on_holiday.out_of_hours) == (False, True, False)
    assert (at_night.hours_class, at_night.surcharge_pct, at_night.hours_words) == (
        "surcharged",
        30,
        "out of hours, +30 %",
    )
    assert resolved_on_holiday.hours_class == "surcharged"
    assert [e.hours_class for e in T.ticket_events(engine, tid)] == [
        "in_hours",
        "in_hours",
        "surcharged",
        "in_hours",
        "surcharged",
    ]
    [board_ticket] = load_board(engine).tickets
    assert board_ticket.out_of_hours == 2
    assert board_ticket.hours_summary == "☾ 2 out of hours, +30 %"


def test_a_ticket_without_contract_is_never_flagged(engine, contract):
    client_id, _ = contract
    tid = T.open_ticket(engine, T.TicketCreate(client_id=client_id, title="Evening job"), paris(23, 22))
    assert T.acknowledge(engine, tid, paris(23, 23)).out_of_hours is False


# --- clocks replayed from the log ------------------------------------------------------------


def test_clocks_from_the_log_match_the_engine_on_the_same_history(engine, contract):
    tid = open_on(engine, contract, paris(23, 10))
    T.acknowledge(engine, tid, paris(23, 10, 20))
    T.wait_on_client(engine, tid, paris(23, 11))
    T.resume(engine, tid, paris(23, 14))
    T.change_priority(engine, tid, "P2", paris(23, 15))
    T.wait_on_third_party(engine, tid, paris(23, 16))  # does not pause this contract
    now = paris(24, 10)
    history = [
        sla.TicketEvent(paris(23, 10), "opened", priority="P3"),
        sla.TicketEvent(paris(23, 10, 20), "status", status="acknowledged"),
        sla.TicketEvent(paris(23, 11), "status", status="waiting_client"),
        sla.TicketEvent(paris(23, 14), "status", status="acknowledged"),
        sla.TicketEvent(paris(23, 15), "priority", priority="P2"),
        sla.TicketEvent(paris(23, 16), "status", status="waiting_third_party"),
    ]
    assert T.clocks_from_log(engine, tid, now) == sla.ticket_clocks(expected_policy(), history, now)


def test_waiting_on_a_third_party_pauses_only_when_the_contract_says_so(engine):
    for code, pauses in (("PAUSES", True), ("RUNS", False)):
        contract = make_contract(engine, code=code, third_party_pauses=pauses)
        tid = open_on(engine, contract, paris(23, 10))
        T.wait_on_third_party(engine, tid, paris(23, 11))
        clocks = T.clocks_from_log(engine, tid, paris(23, 15))
        assert (clocks["resolution"].status == "paused") is pauses
        assert clocks["resolution"].elapsed == (timedelta(hours=1) if pauses else timedelta(hours=5))


def test_reopening_resumes_the_resolution_clock_without_counting_the_resolved_time(engine, contract):
    tid = open_on(engine, contract, paris(23, 9))
    T.start_intervention(engine, tid, "remote", paris(23, 10))
    T.resolve(engine, tid, paris(23, 12))  # 3 business hours
    assert T.clocks_from_log(engine, tid, paris(23, 16))["resolution"].status == "met"
    T.reopen(engine, tid, paris(24, 9))  # resolved for a day: not counted
    clock = T.clocks_from_log(engine, tid, paris(24, 11))["resolution"]
    assert clock.status == "running"
    assert clock.elapsed == timedelta(hours=5)  # 3 before + 2 since reopening, not a new clock
    assert T.get_ticket(engine, tid).status == "in_progress"


def test_a_priority_change_keeps_paused_time_excluded(engine, contract):
    tid = open_on(engine, contract, paris(23, 9))
    T.acknowledge(engine, tid, paris(23, 9, 5))
    T.wait_on_client(engine, tid, paris(23, 10))
    T.resume(engine, tid, paris(23, 13))
    T.change_priority(engine, tid, "P2", paris(23, 14))
    clock = T.clocks_from_log(engine, tid, paris(23, 15))["intervention"]
    assert clock.target == timedelta(hours=4)
    assert clock.elapsed == timedelta(hours=3)  # 09-10 and 13-15: the pause stays out
    assert clock.status == "warning"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    opened=st.integers(0, 5 * 24 * 60),
    pause_after=st.integers(0, 3 * 24 * 60),
    pause_for=st.integers(0, 3 * 24 * 60),
    look_after=st.integers(0, 3 * 24 * 60),
)
def test_paused_business_time_is_never_counted(engine, contract, opened, pause_after, pause_for, look_after):
    """Resolution elapsed = business time since opening minus business time while waiting on the client."""
    start = paris(23, 0) + timedelta(minutes=opened)
    begin = start + timedelta(minutes=pause_after)
    end = begin + timedelta(minutes=pause_for)
    now = end + timedelta(minutes=look_after)
    tid = open_on(engine, contract, start)
    T.wait_on_client(engine, tid, begin)
    T.resume(engine, tid, end)
    office = expected_policy().calendar("P3")
    clock = T.clocks_from_log(engine, tid, now)["resolution"]
    assert clock.elapsed == office.elapsed(start, now) - office.elapsed(begin, end)


# --- the board's read --------------------------------------------------------------------------


def test_the_board_reads_open_and_resolved_tickets_not_closed_ones(engine, contract):
    done = open_on(engine, contract, paris(23, 9), title="done")
    T.resolve(engine, done, paris(23, 10))
    T.close(engine, done, paris(23, 11))
    resolved = open_on(engine, contract, paris(23, 9), title="resolved")
    T.resolve(engine, resolved, paris(23, 10))
    live = open_on(engine, contract, paris(23, 9), title="live")
    data = load_board(engine)
    assert [t.title for t in data.tickets] == ["resolved", "live"]
    assert [e.kind for e in data.tickets[0].events] == ["opened", "status"]
    assert load_board(engine, [live, done]).tickets[0].id == live


def test_the_board_read_costs_the_same_queries_for_5_or_50_tickets(engine, contract):
    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            load_board(engine)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    for _n in range(5):
        T.acknowledge(engine, open_on(engine, contract, paris(23, 9)), paris(23, 9, 30))
    few = statements()
    for _n in range(45):
        T.acknowledge(engine, open_on(engine, contract, paris(23, 9)), paris(23, 9, 30))
    assert statements() == few <= 8


def test_the_board_counts_conflicts_not_yet_disclosed_and_not_bribes(engine, contract):
    from msptui.store import db
    from msptui.store.models import ConflictDisclosure

    client_id, _ = contract
    with db.write(engine) as s:
        for kind, disclosed, closed in (
            ("family_tie", None, None),  # counts
            ("shareholding", MONDAY_10, None),  # disclosed
            ("family_tie", None, MONDAY_10),  # closed
            ("gift_or_bribe", None, None),  # refused, not disclosed
        ):
            s.add(
                ConflictDisclosure(
                    client_id=client_id,
                    kind=kind,
                    description="x",
                    identified_at=MONDAY_10,
                    disclosed_at=disclosed,
                    closed_at=closed,
                )
            )
    assert load_board(engine).undisclosed_conflicts == 1


def test_the_sample_tickets_show_every_state_at_the_frozen_instant(engine, sample, clock):
    data = load_board(engine)
    seen = set()
    for ticket in data.tickets:
        policy = data.policy(ticket)
        if policy is None:
            assert ticket.billable
            continue
        seen |= {str(c.status) for c in sla.ticket_clocks(policy, ticket.events, clock.now()).values()}
    assert seen == {"running", "warning", "paused", "met", "breached"}
    assert len(data.tickets) >= 12
    assert any(t.out_of_hours for t in data.tickets)
