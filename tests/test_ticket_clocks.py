"""A ticket's history of events gives its response, intervention and resolution clocks."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msptui.core.sla import (
    BusinessCalendar,
    ClockStatus,
    SlaPolicy,
    TicketEvent,
    evaluate,
    explain_ticket,
    ticket_clocks,
)

PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


BUSINESS = BusinessCalendar.for_country("FR", hours=BusinessCalendar.weekday_hours("09:00", "18:00"), tz="Europe/Paris")
ALWAYS = BusinessCalendar.always("Europe/Paris")

POLICY = SlaPolicy(
    targets={
        "P1": {"response": 30 * M, "intervention": 2 * H, "resolution": 8 * H},
        "P2": {"response": H, "intervention": 4 * H, "resolution": 16 * H},
        "P3": {"response": 4 * H, "intervention": 8 * H, "resolution": 40 * H},
        "P4": {"response": 8 * H, "intervention": None, "resolution": None},
    },
    calendars={"P1": ALWAYS, "P2": BUSINESS, "P3": BUSINESS, "P4": BUSINESS},
)

OPENED = paris(2026, 3, 10, 9, 0)  # a Tuesday


def opened(priority: str = "P3", at: datetime = OPENED) -> TicketEvent:
    return TicketEvent(at, "opened", priority=priority)


def status(at: datetime, value: str) -> TicketEvent:
    return TicketEvent(at, "status", status=value)


def test_all_clocks_start_at_the_opening():
    clocks = ticket_clocks(POLICY, [opened()], paris(2026, 3, 10, 11, 0))
    assert set(clocks) == {"response", "intervention", "resolution"}
    assert all(c.elapsed == 2 * H for c in clocks.values())
    assert clocks["response"].due_at == paris(2026, 3, 10, 13, 0)


def test_response_stops_at_the_first_change_away_from_new():
    events = [opened(), status(paris(2026, 3, 10, 10, 0), "acknowledged")]
    clocks = ticket_clocks(POLICY, events, paris(2026, 3, 12))
    assert clocks["response"].status is ClockStatus.MET
    assert clocks["response"].elapsed == H
    assert clocks["intervention"].status is ClockStatus.BREACHED


def test_intervention_stops_at_the_first_in_progress_and_resolution_at_resolved():
    events = [
        opened(),
        status(paris(2026, 3, 10, 9, 30), "acknowledged"),
        status(paris(2026, 3, 10, 11, 0), "in_progress"),
        status(paris(2026, 3, 10, 12, 0), "acknowledged"),
        status(paris(2026, 3, 10, 13, 0), "in_progress"),
        status(paris(2026, 3, 10, 16, 0), "resolved"),
        status(paris(2026, 3, 11, 10, 0), "closed"),
    ]
    clocks = ticket_clocks(POLICY, events, paris(2026, 3, 20))
    assert clocks["response"].elapsed == 30 * M
    assert clocks["intervention"].elapsed == 2 * H
    assert clocks["resolution"].elapsed == 7 * H
    assert {c.status for c in clocks.values()} == {ClockStatus.MET}


def test_time_waiting_for_the_client_does_not_count():
    events = [
        opened(),
        status(paris(2026, 3, 10, 9, 30), "waiting_client"),
        status(paris(2026, 3, 11, 9, 30), "in_progress"),
    ]
    clocks = ticket_clocks(POLICY, events, paris(2026, 3, 11, 10, 30))
    assert clocks["resolution"].elapsed == 90 * M
    assert clocks["intervention"].elapsed == 30 * M


def test_a_ticket_waiting_for_the_client_is_paused():
    events = [opened(), status(paris(2026, 3, 10, 10, 0), "waiting_client")]
    clock = ticket_clocks(POLICY, events, paris(2026, 3, 13, 10, 0))["resolution"]
    assert clock.status is ClockStatus.PAUSED and clock.due_at is None and clock.elapsed == H


def test_waiting_for_a_third_party_pauses_only_when_the_contract_says_so():
    events = [opened(), status(paris(2026, 3, 10, 10, 0), "waiting_third_party")]
    now = paris(2026, 3, 10, 12, 0)
    assert ticket_clocks(POLICY, events, now)["resolution"].elapsed == 3 * H
    pausing = SlaPolicy(
        POLICY.targets, POLICY.calendars, pausing_statuses=frozenset({"waiting_client", "waiting_third_party"})
    )
    assert ticket_clocks(pausing, events, now)["resolution"].elapsed == H


def test_a_priority_change_re_targets_from_the_opening_and_keeps_paused_time_out():
    # P3 on business hours; a pause of 1 h; escalated to P1 (round the clock).
    events = [
        opened("P3"),
        status(paris(2026, 3, 10, 9, 15), "acknowledged"),
        status(paris(2026, 3, 10, 10, 0), "waiting_client"),
        status(paris(2026, 3, 10, 11, 0), "acknowledged"),
        TicketEvent(paris(2026, 3, 10, 11, 30), "priority", priority="P1"),
    ]
    now = paris(2026, 3, 10, 12, 0)
    clocks = ticket_clocks(POLICY, events, now)
    resolution = clocks["resolution"]
    assert resolution.target == 8 * H
    assert resolution.elapsed == 2 * H  # 3 h since the opening minus the 1 h pause
    assert resolution.due_at == paris(2026, 3, 10, 18, 0)
    pauses = [(paris(2026, 3, 10, 10, 0), paris(2026, 3, 10, 11, 0))]
    assert resolution == evaluate(ALWAYS, 8 * H, OPENED, pauses, None, now)
    # The response was met under P3 (15 min of a 4 h target) and stays met.
    assert clocks["response"].status is ClockStatus.MET and clocks["response"].target == 4 * H


def test_a_priority_change_moves_a_running_clock_to_the_new_calendar_overnight():
    events = [
        opened("P3", paris(2026, 3, 10, 17, 0)),
        TicketEvent(paris(2026, 3, 10, 20, 0), "priority", priority="P1"),
    ]
    clock = ticket_clocks(POLICY, events, paris(2026, 3, 10, 21, 0))["resolution"]
    assert clock.elapsed == 4 * H and clock.ticking


def test_a_reopened_ticket_resumes_its_resolution_clock():
    events = [
        opened(),
        status(paris(2026, 3, 10, 10, 0), "in_progress"),
        status(paris(2026, 3, 10, 12, 0), "resolved"),
        status(paris(2026, 3, 12, 9, 0), "in_progress"),  # the client calls back
    ]
    clock = ticket_clocks(POLICY, events, paris(2026, 3, 12, 10, 0))["resolution"]
    assert clock.status is ClockStatus.RUNNING
    assert clock.elapsed == 4 * H  # 3 h before resolution + 1 h since reopening
    resolved_again = events + [status(paris(2026, 3, 12, 11, 0), "resolved")]
    clock = ticket_clocks(POLICY, resolved_again, paris(2026, 3, 20))["resolution"]
    assert clock.status is ClockStatus.MET and clock.elapsed == 5 * H


def test_a_clock_without_target_is_omitted():
    clocks = ticket_clocks(POLICY, [opened("P4")], paris(2026, 3, 10, 10, 0))
    assert set(clocks) == {"response"}


def test_events_after_now_are_not_known_yet():
    events = [opened(), status(paris(2026, 3, 10, 12, 0), "acknowledged")]
    clock = ticket_clocks(POLICY, events, paris(2026, 3, 10, 11, 0))["response"]
    assert clock.status is ClockStatus.RUNNING


def test_events_may_come_in_any_order():
    events = [status(paris(2026, 3, 10, 10, 0), "acknowledged"), opened()]
    assert ticket_clocks(POLICY, events, paris(2026, 3, 11))["response"].elapsed == H


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([status(OPENED, "acknowledged")], "no 'opened' event"),
        ([opened("P9")], "no SLA targets for priority 'P9'"),
        ([opened(), status(OPENED + H, "on_hold")], "unknown ticket status 'on_hold'"),
        ([opened(), TicketEvent(OPENED + H, "comment")], "unknown ticket event kind"),
        ([opened(), opened(at=OPENED + H)], "two 'opened' events"),
    ],
)
def test_inconsistent_histories_are_refused(events, message):
    with pytest.raises(ValueError, match=message):
        ticket_clocks(POLICY, events, paris(2026, 3, 12))


def test_a_ticket_explains_its_priority_changes_and_each_clock():
    events = [
        opened("P3"),
        status(paris(2026, 3, 10, 9, 15), "acknowledged"),
        TicketEvent(paris(2026, 3, 10, 11, 30), "priority", priority="P1"),
    ]
    found = explain_ticket(POLICY, events, paris(2026, 3, 10, 12, 0), "America/New_York")
    assert [(c.old, c.new) for c in found.priority_changes] == [("P3", "P1")]
    assert [e.clock for e in found.clocks] == ["response", "intervention", "resolution"]
    assert [e.priority for e in found.clocks] == ["P3", "P1", "P1"]
    text = "\n".join(found.lines())
    assert "Priority P3 -> P1" in text and "round the clock" in text


# -- the board's cheap tick, on whole tickets --------------------------------------------

steps = st.lists(
    st.tuples(
        st.integers(1, 24 * 60),
        st.sampled_from(["acknowledged", "in_progress", "waiting_client", "resolved", "P1", "P2", "P3"]),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(steps, st.integers(0, 7 * 24 * 60), st.lists(st.integers(0, 2 * 24 * 3600), min_size=1, max_size=5))
def test_projected_ticket_clocks_equal_fresh_ones(script, now_minutes, later_seconds):
    events, at = [opened("P3")], OPENED
    for minutes, what in script:
        at = at + minutes * M
        if what.startswith("P"):
            events.append(TicketEvent(at, "priority", priority=what))
        else:
            events.append(status(at, what))
    now = OPENED + now_minutes * M
    clocks = ticket_clocks(POLICY, events, now)
    for seconds in later_seconds:
        later = now + timedelta(seconds=seconds)
        if any(now < e.at <= later for e in events):
            continue  # a new event: the board re-evaluates the ticket anyway
        fresh = ticket_clocks(POLICY, events, later)
        for name, clock in clocks.items():
            projected = clock.at(later)
            if projected is not None:
                assert projected == fresh[name]
