"""What a statement bills after October is closed: late work, corrections, prepaid hours, and
the report and the review telling the same hours as the statement.

BOUL's October (tests/billing_fixtures.py): Monday 5, 17:00-19:30, 1 h 30 included and 1 h out
of hours surcharged +25 %; Tuesday 6, 10:00-11:00, 1 h included. At 80.00 an hour, October bills
1 h + 25 % = 100.00 net when the contract covers the included time.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from msptui.store.files.statement import statement_markdown
from msptui.store.reads.monthly_review import monthly_review
from msptui.store.reads.service_report import service_report
from msptui.store.reads.statement import close_statement, statement
from msptui.store.schemas.time import TimeEntryCreate
from msptui.store.time_entries import add_entry, correct_entry
from tests.billing_fixtures import MONTH, october_work, paris, prepaid, set_rate
from tests.delivery_fixtures import provide

H = timedelta(hours=1)
NOVEMBER = "2026-11"


@pytest.fixture
def october(engine, sample, clock):
    provide(engine)
    with engine.begin() as conn:  # English statements (a French address gives French ones: test_documents_french.py)
        conn.execute(text("UPDATE client SET language = 'en' WHERE id = :id"), {"id": sample["BOUL"]})
    work = october_work(engine, sample, clock)
    set_rate(engine, work["contract"], "80.00")
    return work


def _close_october(engine, october, clock):
    close_statement(engine, october["client"], MONTH, clock.now())
    return statement(engine, october["client"], MONTH, clock.now())


def _correct(engine, october, clock, entry: str, start, end) -> int:
    data = TimeEntryCreate(
        ticket_id=october["ticket"], started_at=start, ended_at=end, description="corrigé", category="on_site"
    )
    return correct_entry(engine, october[entry], data, clock.now()).entry_id


def _net(st) -> Decimal:
    return sum((line.amounts.net for line in st.lines), Decimal("0.00"))


def test_work_typed_late_never_takes_the_prepaid_hours_october_already_counted(engine, october, clock):
    prepaid(engine, october["contract"], "2.5", clock)  # exactly October's included time
    oct_st = _close_october(engine, october, clock)
    assert oct_st.totals.net == Decimal("100.00") and oct_st.prepaid[0].remaining == timedelta(0)
    # Friday 2 October, in hours, typed after October was closed: billed in November.
    add_entry(
        engine,
        TimeEntryCreate(
            ticket_id=october["ticket"], started_at=paris(2026, 10, 2, 10, 0), duration="1h", description="x"
        ),
        clock.now(),
    )
    nov = statement(engine, october["client"], NOVEMBER, clock.now())
    (line,) = nov.lines
    assert line.over_prepaid == H and line.amounts.net == Decimal("80.00")
    assert nov.prepaid[0].over == H and nov.prepaid[0].used_this_month == timedelta(0)
    assert statement(engine, october["client"], MONTH, clock.now()) == oct_st


def test_a_correction_adding_included_time_beyond_the_prepaid_hours_bills_it(engine, october, clock):
    prepaid(engine, october["contract"], "2.5", clock)
    _close_october(engine, october, clock)
    # The evening really began at 16:00: one more hour in hours, and the block is used up.
    _correct(engine, october, clock, "evening", paris(2026, 10, 5, 16, 0), paris(2026, 10, 5, 19, 30))
    nov = statement(engine, october["client"], NOVEMBER, clock.now())
    (line,) = nov.lines
    assert (line.billing.included, line.over_prepaid, line.prepaid) == (H, H, timedelta(0))
    assert line.amounts.net == Decimal("80.00")
    assert nov.prepaid[0].over == H


def test_a_correction_credits_what_was_billed_even_after_the_rate_changed(engine, october, clock):
    oct_st = _close_october(engine, october, clock)
    set_rate(engine, october["contract"], "100.00")
    # The evening really ended at 18:30: no out-of-hours work, nothing billable.
    _correct(engine, october, clock, "evening", paris(2026, 10, 5, 17, 0), paris(2026, 10, 5, 18, 30))
    (line,) = statement(engine, october["client"], NOVEMBER, clock.now()).lines
    assert line.amounts.net == -oct_st.lines[0].amounts.net == Decimal("-100.00")
    assert line.amounts.vat == -oct_st.lines[0].amounts.vat
    assert line.corrects.startswith("corrects the entry of 2026-10-05")


def test_a_correction_removing_prepaid_time_gives_it_back_to_the_block(engine, october, clock):
    prepaid(engine, october["contract"], "2.5", clock)
    _close_october(engine, october, clock)
    # Tuesday's hour was really 30 minutes: half an hour back on the block, no money.
    _correct(engine, october, clock, "morning", paris(2026, 10, 6, 10, 0), paris(2026, 10, 6, 10, 30))
    nov = statement(engine, october["client"], NOVEMBER, clock.now())
    (line,) = nov.lines
    assert (line.billing.included, line.prepaid, line.amounts.net) == (-H / 2, -H / 2, Decimal("0.00"))
    assert nov.prepaid[0].remaining == H / 2 and nov.prepaid[0].used_this_month == -H / 2


def test_a_correction_removing_time_billed_beyond_the_prepaid_hours_credits_it_first(engine, october, clock):
    prepaid(engine, october["contract"], "2", clock)  # Tuesday's last half hour went beyond: 40.00
    oct_st = _close_october(engine, october, clock)
    assert oct_st.totals.net == Decimal("140.00")
    _correct(engine, october, clock, "morning", paris(2026, 10, 6, 10, 0), paris(2026, 10, 6, 10, 30))
    nov = statement(engine, october["client"], NOVEMBER, clock.now())
    (line,) = nov.lines
    assert (line.over_prepaid, line.prepaid, line.amounts.net) == (-H / 2, timedelta(0), Decimal("-40.00"))
    assert nov.prepaid[0].over == timedelta(0) and nov.prepaid[0].remaining == timedelta(0)


def test_the_report_and_the_review_bill_the_hours_the_statement_bills(engine, october, clock):
    prepaid(engine, october["contract"], "2", clock)  # half an hour of included work beyond it
    st = statement(engine, october["client"], MONTH, clock.now())
    billed = sum((line.amounts.hours_billed for line in st.lines), Decimal("0"))
    assert billed == Decimal("1.50")
    time = service_report(engine, october["client"], MONTH, clock.now()).time
    assert time.billable == timedelta(hours=1, minutes=30) and time.over_prepaid == H / 2
    assert time.included == 2 * H and time.spent == time.included + time.billable
    (row,) = [r for r in monthly_review(engine, MONTH, clock.now()).rows if r.client_id == october["client"]]
    assert row.unbilled == time.billable


def test_the_statement_lists_every_breach_of_its_tickets_justified_or_not(engine, october, clock):
    from msptui.store.justifications import justify_breach

    justify_breach(engine, october["ticket"], "response", "Coupure de courant chez le client", clock.now())
    st = statement(engine, october["client"], MONTH, clock.now())
    report = service_report(engine, october["client"], MONTH, clock.now())
    reported = [(b.ticket_id, b.clock, b.words) for b in report.sla.breaches if b.ticket_id == october["ticket"]]
    assert [(j.ticket_id, j.clock, j.text) for j in st.justifications] == reported
    assert ("response", "Coupure de courant chez le client") in [(j.clock, j.text) for j in st.justifications]
    assert any(not j.justified and j.text == "not justified" for j in st.justifications)
    markdown = statement_markdown(st)
    assert f"#{october['ticket']} resolution: not justified" in markdown
    # Closed, the list is kept as it was.
    close_statement(engine, october["client"], MONTH, clock.now())
    assert statement(engine, october["client"], MONTH, clock.now()).justifications == st.justifications
