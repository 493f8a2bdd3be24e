"""Billing in the store: rates, prepaid blocks and their alerts, closing a client's month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from msptui.store import billing, db
from msptui.store import time_entries as TE
from msptui.store.clients import RefusedError
from msptui.store.models import Contract
from msptui.store.schemas import field_errors
from msptui.store.schemas.billing import PrepaidBlockCreate, RatesInput
from msptui.store.schemas.time import TimeEntryCreate
from tests.test_tickets import make_contract, open_on, paris

DEC_1 = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
def acme(engine):
    return make_contract(engine)


@pytest.fixture
def ticket(engine, acme):
    return open_on(engine, acme, paris(23, 9), title="Printer down")


def work(engine, ticket_id, start, end, **kw) -> int:
    return TE.add_entry(engine, TimeEntryCreate(ticket_id=ticket_id, started_at=start, ended_at=end, **kw), DEC_1)


def block(engine, contract_id, hours, purchased=date(2026, 11, 1), **kw) -> int:
    data = PrepaidBlockCreate(contract_id=contract_id, hours=hours, purchased_on=purchased, **kw)
    return billing.add_prepaid_block(engine, data, paris(23, 8))


# --- rates ----------------------------------------------------------------------------------


def test_a_contracts_rates_are_kept_as_decimals_and_read_by_the_rule(engine, acme):
    billing.set_rates(
        engine, acme[1], RatesInput(hourly_rate="85,50", category_rates={"travel": "40"}, vat_pct="20", currency="eur")
    )
    with db.read(engine) as s:
        contract = s.get(Contract, acme[1])
    rates = billing.rates_of(contract)
    assert rates.hourly == Decimal("85.50") and isinstance(rates.hourly, Decimal)
    assert rates.rate_for("travel") == Decimal("40.00")
    assert rates.rate_for("on_site") == Decimal("85.50")
    assert (rates.vat_pct, rates.currency) == (Decimal("20.00"), "EUR")


def test_a_new_contract_has_no_rate_vat_at_20_and_euros(engine, acme):
    with db.read(engine) as s:
        contract = s.get(Contract, acme[1])
    assert (contract.hourly_rate, contract.category_rates, contract.vat_pct, contract.currency) == (
        None,
        {},
        Decimal("20.00"),
        "EUR",
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"hourly_rate": "cheap"}, "hourly_rate", "is not a price per hour (type e.g. 85.00)"),
        ({"hourly_rate": "85.555"}, "hourly_rate", "has more than two decimals"),
        ({"vat_pct": "120"}, "vat_pct", "must be between 0 and 100"),
        ({"currency": "euros"}, "currency", "is a three-letter currency code such as EUR"),
    ],
)
def test_bad_rates_are_refused_with_a_sentence(values, field, message):
    with pytest.raises(ValidationError) as caught:
        RatesInput(**values)
    assert field_errors(caught.value)[field].startswith(message)


def test_a_block_cannot_expire_before_it_is_bought():
    with pytest.raises(ValidationError) as caught:
        PrepaidBlockCreate(contract_id=1, hours="10", purchased_on=date(2026, 11, 1), expires_on=date(2026, 10, 1))
    assert field_errors(caught.value) == {"expires_on": "The expiry must be on or after the purchase date."}


# --- prepaid hours --------------------------------------------------------------------------


def test_included_work_uses_the_oldest_block_first_and_out_of_hours_work_none(engine, acme, ticket):
    old = block(engine, acme[1], "2", purchased=date(2026, 10, 1))
    new = block(engine, acme[1], "10", purchased=date(2026, 11, 1))
    work(engine, ticket, paris(23, 10), paris(23, 13))  # 3 h in hours
    work(engine, ticket, paris(23, 20), paris(23, 22))  # out of hours: billable, not prepaid

    balance = billing.prepaid_balance(engine, acme[1], paris(24, 9))
    used = {b.block.id: b.used for b in balance.consumption.blocks}
    assert used == {old: timedelta(hours=2), new: timedelta(hours=1)}
    assert balance.consumption.remaining == timedelta(hours=9)
    assert balance.words == "9 h left of 12 h (25 % used)"


def test_over_consumption_is_shown(engine, acme, ticket):
    block(engine, acme[1], "1")
    work(engine, ticket, paris(23, 10), paris(23, 11, 30))
    balance = billing.prepaid_balance(engine, acme[1], paris(24, 9))
    assert balance.consumption.over == timedelta(minutes=30)
    assert balance.words == "over by 30 min (1 h bought)"


def test_a_contract_without_blocks_has_no_prepaid_hours(engine, acme, ticket):
    work(engine, ticket, paris(23, 10), paris(23, 11))
    balance = billing.prepaid_balance(engine, acme[1], paris(24, 9))
    assert (balance.consumption, balance.words) == (None, "no prepaid hours")
    assert billing.due_alerts(engine, acme[1], paris(24, 9)) == []


def test_prepaid_alerts_are_said_once_each_and_again_for_a_new_block(engine, acme, ticket):
    block(engine, acme[1], "4")
    work(engine, ticket, paris(23, 9), paris(23, 12))  # 75 %
    assert billing.due_alerts(engine, acme[1], paris(23, 12)) == [75]
    assert billing.due_alerts(engine, acme[1], paris(23, 12, 1)) == []
    work(engine, ticket, paris(23, 13), paris(23, 17))  # past 100 %
    assert billing.due_alerts(engine, acme[1], paris(23, 17)) == [90, 100]
    assert billing.due_alerts(engine, acme[1], paris(23, 17, 1)) == []

    block(engine, acme[1], "20")  # 7 h used of 24: below every threshold
    assert billing.due_alerts(engine, acme[1], paris(24, 9)) == []
    work(engine, ticket, paris(24, 9), paris(24, 18))  # 16 h of 24: none yet
    work(engine, ticket, paris(25, 9), paris(25, 12))  # 19 h of 24: 79 %
    assert billing.due_alerts(engine, acme[1], paris(25, 12)) == [75]


# --- closing a month ------------------------------------------------------------------------


def test_statements_are_numbered_in_order_and_a_month_closes_once(engine, acme, ticket):
    other = make_contract(engine, code="BETA")
    work(engine, ticket, paris(23, 10), paris(23, 11))
    assert billing.close_period(engine, acme[0], "2026-11", DEC_1) == "RA-2026-0001"
    assert billing.close_period(engine, other[0], "2026-11", DEC_1) == "RA-2026-0002"
    with pytest.raises(
        RefusedError, match=r"November 2026 is already closed for Client ACME \(statement RA-2026-0001\)"
    ):
        billing.close_period(engine, acme[0], "2026-11", DEC_1)
    assert [p.number for p in billing.closed_periods(engine, acme[0])] == ["RA-2026-0001"]


def test_after_statement_9999_comes_10000_not_a_clash(engine, acme):
    from msptui.store import db
    from msptui.store.models import BillingPeriod

    other = make_contract(engine, code="BETA")
    with db.write(engine) as s:  # a busy year, as an import would bring it
        s.add(BillingPeriod(client_id=other[0], month="2026-09", closed_at=DEC_1, number="RA-2026-9999"))
    assert billing.close_period(engine, acme[0], "2026-11", DEC_1) == "RA-2026-10000"
    assert billing.close_period(engine, other[0], "2026-11", DEC_1) == "RA-2026-10001"


def test_a_month_is_closed_only_once_it_is_over(engine, acme):
    with pytest.raises(
        RefusedError, match="November 2026 is not over yet for Client ACME: close it from Tuesday 1 December 2026"
    ):
        billing.close_period(engine, acme[0], "2026-11", paris(30, 23, 59))
    with pytest.raises(RefusedError, match="type it as YYYY-MM"):
        billing.close_period(engine, acme[0], "11/2026", DEC_1)


def test_a_month_with_a_timer_still_running_is_not_closed(engine, acme, ticket):
    TE.start_timer(engine, ticket_id=ticket, now=paris(30, 17))
    with pytest.raises(RefusedError, match="Stop the running timer"):
        billing.close_period(engine, acme[0], "2026-11", DEC_1)
    TE.stop_timer(engine, DEC_1 - timedelta(hours=1))
    billing.close_period(engine, acme[0], "2026-11", DEC_1)


def test_time_recorded_after_its_month_closed_is_billed_in_the_next_open_month(engine, acme, ticket):
    first = work(engine, ticket, paris(23, 10), paris(23, 11))
    billing.close_period(engine, acme[0], "2026-11", DEC_1)
    late = work(engine, ticket, paris(24, 10), paris(24, 11))  # forgotten, typed in December

    assert [r.entry_id for r in TE.entries_for_client_month(engine, acme[0], "2026-11")] == [first]
    assert [r.entry_id for r in TE.entries_for_client_month(engine, acme[0], "2026-12")] == [late]
    assert TE.entries_for_client_month(engine, acme[0], "2027-01") == []


def test_what_a_closed_statement_said_is_kept_and_never_changes(engine, acme, ticket):
    work(engine, ticket, paris(23, 10), paris(23, 11))
    said = {"lines": 1, "total": "102.00"}
    number = billing.close_period(engine, acme[0], "2026-11", DEC_1, freeze=lambda s, n, entries: said | {"n": n})
    [period] = billing.closed_periods(engine, acme[0])
    assert period.content == said | {"n": number}
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.exec_driver_sql("UPDATE billing_period SET number = 'RA-2026-0099'")
