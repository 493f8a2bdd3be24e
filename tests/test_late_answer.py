"""A late answer is a breach, whenever it comes (issue 11, section 1).

A P2 ticket on a Monday-Friday 09:00-18:00 Paris calendar with a 4 h response
target, opened Tuesday 14:00, is due Tuesday 18:00. Answered after 18:00 it is
late, even when no business time passed between 18:00 and the answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
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
from msptui.core.sla.ticket import ticket_timeline
from tests.pilot_helpers import settle
from tests.test_sla_properties import CALENDARS, calendars

PARIS = ZoneInfo("Europe/Paris")
UTC = UTC
H = timedelta(hours=1)
M = timedelta(minutes=1)
OFFICE = BusinessCalendar.for_country("FR", hours=BusinessCalendar.weekday_hours("09:00", "18:00"), tz="Europe/Paris")
POLICY = SlaPolicy(
    targets={
        "P1": {"response": 30 * M, "intervention": 2 * H, "resolution": 8 * H},
        "P2": {"response": 4 * H, "intervention": 8 * H, "resolution": 16 * H},
        "P3": {"response": 8 * H, "intervention": 16 * H, "resolution": 40 * H},
        "P4": {"response": 16 * H, "intervention": None, "resolution": None},
    },
    calendars={"P1": OFFICE, "P2": OFFICE, "P3": OFFICE, "P4": OFFICE},
)
TUESDAY_14 = datetime(2026, 3, 10, 14, 0, tzinfo=PARIS)
DUE = datetime(2026, 3, 10, 18, 0, tzinfo=PARIS)


def response_after_answer(answered: datetime, now: datetime | None = None):
    events = [TicketEvent(TUESDAY_14, "opened", priority="P2"), TicketEvent(answered, "status", status="acknowledged")]
    return ticket_clocks(POLICY, events, now or answered + timedelta(days=2))["response"]


@pytest.mark.parametrize(
    "answered",
    [
        datetime(2026, 3, 10, 18, 30, tzinfo=PARIS),
        datetime(2026, 3, 10, 20, 0, tzinfo=PARIS),
        datetime(2026, 3, 11, 8, 30, tzinfo=PARIS),
        datetime(2026, 3, 11, 9, 30, tzinfo=PARIS),
    ],
    ids=["tue-18:30", "tue-20:00", "wed-08:30", "wed-09:30"],
)
def test_an_answer_after_the_due_instant_is_a_breach(answered):
    response = response_after_answer(answered)
    assert response.status is ClockStatus.BREACHED
    assert response.due_at == DUE


@pytest.mark.parametrize(
    "answered", [datetime(2026, 3, 10, 17, 59, tzinfo=PARIS), DUE], ids=["a-minute-early", "at-the-due-instant"]
)
def test_an_answer_at_or_before_the_due_instant_is_met(answered):
    assert response_after_answer(answered).status is ClockStatus.MET


def test_a_stop_one_microsecond_late_is_a_breach_on_a_round_the_clock_calendar_too():
    always = BusinessCalendar.always("Europe/Paris")
    late = evaluate(always, H, TUESDAY_14, [], TUESDAY_14 + H + timedelta(microseconds=1), TUESDAY_14 + 2 * H)
    on_time = evaluate(always, H, TUESDAY_14, [], TUESDAY_14 + H, TUESDAY_14 + 2 * H)
    assert (late.status, on_time.status) == (ClockStatus.BREACHED, ClockStatus.MET)


def test_the_explain_view_says_the_answer_came_after_the_due_instant():
    events = [
        TicketEvent(TUESDAY_14, "opened", priority="P2"),
        TicketEvent(datetime(2026, 3, 10, 20, 0, tzinfo=PARIS), "status", status="acknowledged"),
    ]
    explanation = explain_ticket(POLICY, events, datetime(2026, 3, 11, 12, 0, tzinfo=PARIS), "Europe/Paris")
    response = next(c for c in explanation.clocks if c.clock == "response")
    lines = "\n".join(response.lines())
    assert "breached" in lines
    assert "after the due instant" in lines


def test_downgrading_the_priority_re_targets_a_breached_clock_from_the_opening():
    """The one exception to "once breached, never met": a priority change re-targets."""
    events = [TicketEvent(TUESDAY_14, "opened", priority="P2")]
    evening = datetime(2026, 3, 10, 18, 30, tzinfo=PARIS)
    assert ticket_clocks(POLICY, events, evening)["response"].status is ClockStatus.BREACHED
    events.append(TicketEvent(evening, "priority", priority="P3"))  # 8 h: due Wednesday 13:00
    events.append(TicketEvent(datetime(2026, 3, 11, 9, 30, tzinfo=PARIS), "status", status="acknowledged"))
    response = ticket_clocks(POLICY, events, datetime(2026, 3, 12, tzinfo=PARIS))["response"]
    assert response.status is ClockStatus.MET
    assert response.due_at == datetime(2026, 3, 11, 13, 0, tzinfo=PARIS)


def test_escalating_after_a_stop_keeps_the_stopped_clock_as_it_was():
    answered = datetime(2026, 3, 10, 20, 0, tzinfo=PARIS)
    events = [
        TicketEvent(TUESDAY_14, "opened", priority="P2"),
        TicketEvent(answered, "status", status="acknowledged"),
        TicketEvent(answered + H, "priority", priority="P4"),
    ]
    assert ticket_clocks(POLICY, events, answered + 2 * H)["response"].status is ClockStatus.BREACHED


# -- the invariant: once shown breached, no later event makes a clock met -------------------------

ACTIONS = ["acknowledged", "in_progress", "waiting_client", "waiting_third_party", "resolved", "closed", "priority"]


@st.composite
def ticket_histories(draw):
    name = draw(calendars)
    cal = CALENDARS[name]
    policy = SlaPolicy(
        targets=POLICY.targets,
        calendars={p: cal for p in ("P1", "P2", "P3", "P4")},
        pausing_statuses=frozenset({"waiting_client"})
        | (frozenset({"waiting_third_party"}) if draw(st.booleans()) else frozenset()),
    )
    # Openings at office-like local times and steps in round minutes, so that due
    # instants often fall exactly on a closing time and stops land in the night.
    day = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    local = draw(st.sampled_from(["08:30", "09:00", "10:00", "14:00", "16:00", "17:30", "22:00"]))
    zone = ZoneInfo(cal.tz)
    opened = datetime.combine(day, datetime.strptime(local, "%H:%M").time(), zone).astimezone(UTC)
    events = [TicketEvent(opened, "opened", priority=draw(st.sampled_from(["P1", "P2", "P3", "P4"])))]
    at = opened
    status = "new"
    for _ in range(draw(st.integers(1, 8))):
        at = (
            at
            + draw(st.one_of(st.sampled_from([0, 30, 60, 150, 240, 270, 600, 900, 1440]), st.integers(0, 3 * 24 * 60)))
            * M
        )
        action = draw(st.sampled_from(ACTIONS))
        if action == "priority":
            events.append(TicketEvent(at, "priority", priority=draw(st.sampled_from(["P1", "P2", "P3", "P4"]))))
        elif status in ("resolved", "closed") and action not in ("resolved", "closed"):
            events.append(TicketEvent(at, "status", status="acknowledged"))  # a reopening
            status = "acknowledged"
        else:
            events.append(TicketEvent(at, "status", status=action))
            status = action
    horizon = at + 4 * 24 * H
    observed = sorted(
        [opened + draw(st.integers(0, int((horizon - opened) / M))) * M for _ in range(3)]
        + [max(opened, e.at + draw(st.sampled_from([-M, timedelta(0), M]))) for e in events if draw(st.booleans())]
    )
    return policy, events, observed


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ticket_histories())
def test_once_shown_breached_a_clock_never_becomes_met_unless_its_priority_changes(history):
    """Re-targeting is the one exception, and it is tied to the clock's priority:
    the priority a clock is measured against changes at a priority change (a
    running clock) or when a clock stopped under the old priority resumes (a
    reopening after a change made while resolved)."""
    policy, events, observed = history
    breached_under: dict[str, str] = {}
    for now in observed:
        timeline = ticket_timeline(policy, events, now)
        clocks = ticket_clocks(policy, events, now)
        priorities = {c.clock: c.priority for c in timeline.clocks}
        for name, state in clocks.items():
            if breached_under.get(name) == priorities[name]:
                assert state.status is ClockStatus.BREACHED, (name, now)
            if state.status is ClockStatus.BREACHED:
                breached_under[name] = priorities[name]
            else:
                breached_under.pop(name, None)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    calendars,
    st.integers(0, 365 * 24 * 60),
    st.sampled_from([30 * M, 4 * H, 3 * 24 * H]),
    st.integers(-120, 3 * 24 * 60),
)
def test_a_stopped_clock_is_met_exactly_when_it_stopped_at_or_before_its_due_instant(name, start_min, target, late_min):
    cal = CALENDARS[name]
    start = datetime(2026, 1, 1, tzinfo=UTC) + start_min * M
    due = evaluate(cal, target, start, [], None, start).due_at
    stop = max(start, (due or start) + late_min * M)  # often in the night after a due instant at closing
    stopped = evaluate(cal, target, start, [], stop, stop + 30 * 24 * H)
    assert (stopped.status is ClockStatus.MET) == (due is None or stop <= due)


# -- the board agrees with the engine ---------------------------------------------------------------


async def test_the_board_shows_the_late_answer_as_breached_before_and_after_acknowledging(paths, engine, monkeypatch):
    from msptui.core.clock import FrozenClock
    from msptui.store import tickets as T
    from msptui.store.clients import create_client
    from msptui.store.contracts import create_contract
    from msptui.store.schemas import ClientCreate, SlaTargetInput
    from msptui.ui.app import MsptuiApp

    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")
    opened = TUESDAY_14.astimezone(UTC)
    client_id = create_client(engine, ClientCreate(name="Client Late", code="LATE"), opened)
    contract_id = create_contract(
        engine,
        _contract(client_id),
        opened,
        targets=[SlaTargetInput(priority="P2", response_minutes=240, intervention_minutes=480, resolution_minutes=960)],
    )
    ticket = T.open_ticket(
        engine, T.TicketCreate(client_id=client_id, contract_id=contract_id, title="Mail down", priority="P2"), opened
    )
    clock = FrozenClock(datetime(2026, 3, 10, 18, 30, tzinfo=PARIS))
    app = MsptuiApp(paths, clock)
    # 140 columns: the wide board, where each clock cell shows its due time too.
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        board = app.screen
        response = board.table.get_cell(str(ticket), "response")
        assert response.plain.split() == ["late", "Tue", "18:00"] and "red" in str(response.style)
        clock.advance(timedelta(minutes=90))  # 20:00, nobody answered yet
        board.tick()
        await pilot.press("a")
        await settle(pilot)
        response = board.table.get_cell(str(ticket), "response")
        assert response.plain.split() == ["✗", "late", "Tue", "18:00"] and "red" in str(response.style)
    assert T.clocks_from_log(engine, ticket, clock.now())["response"].status is ClockStatus.BREACHED


def _contract(client_id: int):
    from msptui.store.schemas import ContractCreate

    return ContractCreate(
        reference="C-LATE",
        client_id=client_id,
        title="Support",
        start_date=date(2026, 1, 1),
        business_hours={str(d): [["09:00", "18:00"]] for d in range(5)},
        timezone="Europe/Paris",
        holiday_country="FR",
    )


def test_the_explain_view_says_which_clocks_kept_their_priority_after_a_change():
    answered = datetime(2026, 3, 10, 15, 0, tzinfo=PARIS)
    events = [
        TicketEvent(TUESDAY_14, "opened", priority="P2"),
        TicketEvent(answered, "status", status="acknowledged"),
        TicketEvent(answered + H, "priority", priority="P1"),
    ]
    lines = explain_ticket(POLICY, events, answered + 2 * H, "Europe/Paris").lines()
    kept = [line for line in lines if "keeps" in line]
    assert len(kept) == 1 and kept[0].startswith("response keeps P2: it stopped Tue 2026-03-10 15:00")


def test_business_time_targets_read_in_hours_never_in_days():
    from msptui.core.sla.durations import format_business_time

    assert [format_business_time(d) for d in (48 * H, 90 * M, 45 * M, -(125 * M))] == ["48h", "1h30", "45min", "-2h05"]
    events = [TicketEvent(TUESDAY_14, "opened", priority="P3")]
    policy = SlaPolicy(
        targets={**POLICY.targets, "P3": {"response": 48 * H, "intervention": None, "resolution": None}},
        calendars=POLICY.calendars,
    )
    lines = explain_ticket(policy, events, TUESDAY_14 + H, "Europe/Paris").lines()
    assert any(line.startswith("response (P3): target 48h of business time") for line in lines)
    assert not any("2d 0h" in line for line in lines)
