"""The service report's figures on a hand-built November, checked against counts made by hand.

The month (Europe/Paris, a round-the-clock calendar so each due instant is plain
arithmetic; P1: response 1 h, intervention 2 h, resolution 8 h; P3: 4 h, 8 h, 24 h):

- #100 (P3) opened 30 Oct, its resolution late since 31 Oct, resolved 2 Nov:
  its breach is October's; it is resolved in November.
- #1 (P3) answered 6 h after opening on 2 Nov: response late, justified.
- #2 (P1) resolved 10 h after opening on 10 Nov: resolution late, not justified.
- #3 (P3) resolved on 12 Nov, reopened on 13 Nov, resolved again: counted once.
- #4 opened P3 on 20 Nov, answered in 1 h, raised to P1 5 min later, work started
  2 h 30 after opening: response met under P3, intervention late under P1.
- #5 no contract: no SLA clock, still open.
- #6 (P3) opened 30 Nov at 20:00: nothing decided by the month's end (pending).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.billing import EntryBilling
from msptui.core.rules.reports import (
    NOT_JUSTIFIED,
    Period,
    ReportTicket,
    TimeFigures,
    clock_outcomes,
    compliance_rate,
    monthly_series,
    months_back,
    sla_figures,
    ticket_counts,
    time_figures,
)
from msptui.core.sla import BusinessCalendar, SlaPolicy, TicketEvent, ticket_clocks

PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)
ALWAYS = BusinessCalendar.always("Europe/Paris")
POLICY = SlaPolicy(
    targets={
        "P1": {"response": H, "intervention": 2 * H, "resolution": 8 * H},
        "P3": {"response": 4 * H, "intervention": 8 * H, "resolution": 24 * H},
    },
    calendars={"P1": ALWAYS, "P3": ALWAYS},
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def month(name: str, first: datetime, after: datetime) -> Period:
    return Period(name, first, after)


OCTOBER = month("2026-10", paris(2026, 10, 1), paris(2026, 11, 1))
NOVEMBER = month("2026-11", paris(2026, 11, 1), paris(2026, 12, 1))
NOW = paris(2026, 12, 3, 9, 0)


def opened(at: datetime, priority: str = "P3") -> TicketEvent:
    return TicketEvent(at, "opened", status="new", priority=priority)


def status(at: datetime, value: str) -> TicketEvent:
    return TicketEvent(at, "status", status=value)


def ticket(tid: int, *events: TicketEvent, contract: bool = True, **justified: str) -> ReportTicket:
    return ReportTicket(
        id=tid,
        title=f"Ticket {tid}",
        opened_at=events[0].at,
        events=events,
        policy=POLICY if contract else None,
        contract="MSP-2026-001" if contract else "",
        justifications=justified,
    )


def the_month() -> list[ReportTicket]:
    return [
        ticket(
            100,
            opened(paris(2026, 10, 30, 10)),
            status(paris(2026, 10, 30, 11), "acknowledged"),
            status(paris(2026, 10, 30, 12), "in_progress"),
            status(paris(2026, 11, 2, 10), "resolved"),
        ),
        ticket(
            1,
            opened(paris(2026, 11, 2, 9)),
            status(paris(2026, 11, 2, 15), "acknowledged"),
            status(paris(2026, 11, 2, 15, 30), "in_progress"),
            status(paris(2026, 11, 3, 8), "resolved"),
            status(paris(2026, 11, 4, 9), "closed"),
            response="The operator's fibre was cut in the whole district.",
        ),
        ticket(
            2,
            opened(paris(2026, 11, 10, 10), "P1"),
            status(paris(2026, 11, 10, 10, 30), "acknowledged"),
            status(paris(2026, 11, 10, 11), "in_progress"),
            status(paris(2026, 11, 10, 20), "resolved"),
        ),
        ticket(
            3,
            opened(paris(2026, 11, 12, 9)),
            status(paris(2026, 11, 12, 10), "acknowledged"),
            status(paris(2026, 11, 12, 11), "in_progress"),
            status(paris(2026, 11, 12, 17), "resolved"),
            status(paris(2026, 11, 13, 9), "in_progress"),
            status(paris(2026, 11, 13, 12), "resolved"),
            status(paris(2026, 11, 14, 9), "closed"),
        ),
        ticket(
            4,
            opened(paris(2026, 11, 20, 9)),
            status(paris(2026, 11, 20, 10), "acknowledged"),
            TicketEvent(paris(2026, 11, 20, 10, 5), "priority", priority="P1"),
            status(paris(2026, 11, 20, 11, 30), "in_progress"),
            status(paris(2026, 11, 20, 16), "resolved"),
        ),
        ticket(5, opened(paris(2026, 11, 25, 14)), status(paris(2026, 11, 25, 15), "acknowledged"), contract=False),
        ticket(6, opened(paris(2026, 11, 30, 20)), status(paris(2026, 12, 1, 8), "acknowledged")),
    ]


def november():
    outcomes, unmeasured = clock_outcomes(the_month(), NOW)
    return sla_figures(outcomes, NOVEMBER, unmeasured)


def test_tickets_opened_resolved_still_open_and_reopened_are_each_counted_once():
    counts = ticket_counts(the_month(), NOVEMBER, NOW)
    # opened: #1-#6; resolved: #100 (on 2 Nov), #1, #2, #3 (twice, once), #4; open at the end: #5, #6.
    assert (counts.opened, counts.resolved, counts.still_open) == (6, 5, 2)
    assert counts.reopened == 1  # #3
    assert counts.without_contract == 1  # #5


def test_each_clock_and_priority_has_its_met_breached_and_pending_counts():
    figures = november()
    rows = {(r.clock, r.priority): (r.met, r.breached, r.pending) for r in figures.rows}
    assert rows == {
        ("response", "P1"): (1, 0, 0),  # #2
        ("response", "P3"): (2, 1, 1),  # #3, #4 met (#4 answered while still P3); #1 late; #6 pending
        ("intervention", "P1"): (1, 1, 0),  # #2 met; #4 late under P1
        ("intervention", "P3"): (2, 0, 1),  # #1, #3; #6
        ("resolution", "P1"): (1, 1, 0),  # #4 met; #2 late
        ("resolution", "P3"): (2, 0, 1),  # #1, #3 (its one clock, resumed at the reopening); #6
    }
    assert (figures.overall.met, figures.overall.breached, figures.overall.pending) == (9, 3, 3)
    assert figures.overall.rate == Decimal("75.0")
    assert [(c.clock, c.rate) for c in figures.clocks] == [
        ("response", Decimal("75.0")),
        ("intervention", Decimal("75.0")),
        ("resolution", Decimal("75.0")),
    ]
    p3_response = next(r for r in figures.rows if (r.clock, r.priority) == ("response", "P3"))
    assert p3_response.rate == Decimal("66.7") and p3_response.targets == (4 * H,)


def test_each_breach_is_listed_with_its_justification_or_not_justified():
    breaches = november().breaches
    assert [(b.ticket_id, b.clock, b.priority, b.late_since) for b in breaches] == [
        (1, "response", "P3", paris(2026, 11, 2, 13)),
        (2, "resolution", "P1", paris(2026, 11, 10, 18)),
        (4, "intervention", "P1", paris(2026, 11, 20, 11)),
    ]
    assert [b.words for b in breaches] == [
        "The operator's fibre was cut in the whole district.",
        NOT_JUSTIFIED,
        NOT_JUSTIFIED,
    ]
    assert november().not_justified == 2


def test_a_breach_counts_in_the_month_it_fell_due_not_the_month_the_ticket_closed():
    outcomes, _ = clock_outcomes(the_month(), NOW)
    october = sla_figures(outcomes, OCTOBER)
    assert [(b.ticket_id, b.clock, b.late_since) for b in october.breaches] == [
        (100, "resolution", paris(2026, 10, 31, 10))
    ]
    assert (october.overall.met, october.overall.breached) == (2, 1)
    assert all(b.ticket_id != 100 for b in november().breaches)


def test_the_report_agrees_with_the_sla_engine_on_every_breach():
    """What the board and the explain view show breached (`ticket_clocks` at now) is what the report lists."""
    engine_says = set()
    for t in the_month():
        if t.policy is None:
            continue
        for clock, state in ticket_clocks(t.policy, t.events, NOW).items():
            if state.status == "breached":
                engine_says.add((t.id, clock))
    outcomes, _ = clock_outcomes(the_month(), NOW)
    reported = {(b.ticket_id, b.clock) for p in (OCTOBER, NOVEMBER) for b in sla_figures(outcomes, p).breaches}
    december = month("2026-12", paris(2026, 12, 1), paris(2027, 1, 1))
    reported |= {(b.ticket_id, b.clock) for b in sla_figures(outcomes, december).breaches}
    assert reported == engine_says
    assert (6, "response") in engine_says  # due at midnight on 1 December: December's, pending in November


def test_a_ticket_with_no_contract_has_no_clock_and_one_with_an_unreadable_calendar_is_named():
    broken = ReportTicket(7, "Ticket 7", paris(2026, 11, 5, 9), (opened(paris(2026, 11, 5, 9)),), None, "X", {}, "bad")
    outcomes, unmeasured = clock_outcomes([*the_month(), broken], NOW)
    assert all(o.ticket_id != 5 for o in outcomes)
    assert unmeasured == [(7, "bad")]
    assert sla_figures(outcomes, NOVEMBER, unmeasured).unmeasured == ((7, "bad"),)


def test_during_the_month_a_running_clock_is_pending_and_a_late_one_already_breached():
    mid = paris(2026, 11, 20, 11, 15)  # #4's intervention is late since 11:00 and still running
    tickets = the_month()
    figures = sla_figures(clock_outcomes(tickets, mid)[0], NOVEMBER)
    late = [(b.ticket_id, b.clock, b.stopped_at) for b in figures.breaches]
    assert (4, "intervention", None) in late
    rows = {(r.clock, r.priority): (r.met, r.breached, r.pending) for r in figures.rows}
    assert rows[("resolution", "P1")] == (0, 1, 1)  # #2 late; #4 running under P1
    counts = ticket_counts(tickets, NOVEMBER, mid)
    assert (counts.opened, counts.still_open) == (4, 1)  # #5 and #6 are not opened yet


@pytest.mark.parametrize(
    ("met", "breached", "rate"),
    [
        (0, 0, None),
        (2, 1, Decimal("66.7")),
        (1, 1, Decimal("50.0")),
        (3, 0, Decimal("100.0")),
        (0, 2, Decimal("0.0")),
        (1999, 1, Decimal("99.9")),  # 99.95 would round to 100.0: a breach is never rounded away
        (1, 19999, Decimal("0.1")),
    ],
)
def test_compliance_rate_is_in_tenths_of_a_percent(met, breached, rate):
    assert compliance_rate(met, breached) == rate


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_compliance_is_100_only_without_breach_and_0_only_without_a_met_clock(met, breached):
    rate = compliance_rate(met, breached)
    if met + breached == 0:
        assert rate is None
        return
    assert rate is not None and Decimal(0) <= rate <= Decimal(100)
    assert (rate == 100) == (breached == 0)
    assert (rate == 0) == (met == 0)
    assert rate.as_tuple().exponent == -1


def test_time_figures_add_up_each_entrys_billing_decision():
    billings = [
        EntryBilling(H + 30 * timedelta(minutes=1), H, H, timedelta(0), "1 h 30 in hours, included; 1 h surcharged"),
        EntryBilling(H, timedelta(0), timedelta(0), timedelta(0), "within the contract's scope and hours"),
        EntryBilling(timedelta(0), 2 * H, timedelta(0), timedelta(0), "no contract"),
        EntryBilling(timedelta(0), H, timedelta(0), H, "1 h out of hours, outside the contract"),
    ]
    t = time_figures(billings)
    assert (t.spent, t.included, t.billable) == (timedelta(hours=6, minutes=30), timedelta(hours=2, minutes=30), 4 * H)
    assert (t.surcharged, t.outside_contract) == (H, H)
    assert time_figures([]) == TimeFigures()


def test_months_back_crosses_the_year():
    assert months_back("2026-02", 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert len(months_back("2026-11", 12)) == 12 and months_back("2026-11", 12)[0] == "2025-12"


def test_the_monthly_series_has_compliance_and_hours_per_month():
    outcomes, _ = clock_outcomes(the_month(), NOW)
    hours = {
        "2026-11": TimeFigures(spent=timedelta(hours=3, minutes=20), included=2 * H, billable=timedelta(minutes=80))
    }
    series = monthly_series(outcomes, [OCTOBER, NOVEMBER], hours)
    assert [(p.month, p.met, p.breached, p.compliance) for p in series] == [
        ("2026-10", 2, 1, Decimal("66.7")),
        ("2026-11", 9, 3, Decimal("75.0")),
    ]
    assert [(p.hours, p.included, p.billable) for p in series] == [
        (Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        (Decimal("3.33"), Decimal("2.00"), Decimal("1.33")),
    ]
