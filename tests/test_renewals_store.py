"""Renewals: what expires for a client comes due at its expiry minus its notice period;
renewed is a new entry, what was due stays on record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from msptui.store import renewals as RN
from msptui.store.clients import RefusedError
from msptui.store.reads.coming_due import coming_due
from msptui.store.schemas import FieldError, field_errors
from tests.test_tickets import MONDAY_10, PARIS, make_contract


@pytest.fixture
def acme(engine):
    return make_contract(engine)


def licence(acme, **kw) -> RN.RenewalCreate:
    values = {
        "client_id": acme[0],
        "what": "licence",
        "provider": "Microsoft",
        "reference": "M365 Business, 12 seats",
        "expires_on": date(2027, 1, 31),
        "cost": "1 234,50",
        "notice_days": 30,
    }
    return RN.RenewalCreate(**{**values, **kw})


def test_a_renewal_is_registered_with_its_cost_as_money(engine, acme):
    renewal_id = RN.add_renewal(engine, licence(acme), MONDAY_10)
    [row] = RN.client_renewals(engine, acme[0])
    assert row.id == renewal_id
    assert (row.what, row.provider, row.cost, row.currency) == ("licence", "Microsoft", Decimal("1234.50"), "EUR")


def test_renewed_it_is_a_new_entry_and_the_old_one_stays_on_record(engine, acme):
    old = RN.add_renewal(engine, licence(acme), MONDAY_10)
    new = RN.mark_renewal_done(engine, old, RN.RenewalDone(new_expires_on=date(2028, 1, 31)), MONDAY_10)
    [current] = RN.client_renewals(engine, acme[0])
    assert (current.id, current.expires_on, current.provider, current.cost) == (
        new,
        date(2028, 1, 31),
        "Microsoft",
        Decimal("1234.50"),
    )
    history = {r.id: r for r in RN.client_renewals(engine, acme[0], include_done=True)}
    assert history[old].done_at == MONDAY_10 and history[old].replaced_by_id == new
    assert history[old].expires_on == date(2027, 1, 31)


def test_let_go_it_is_done_without_a_new_entry(engine, acme):
    old = RN.add_renewal(engine, licence(acme), MONDAY_10)
    assert RN.mark_renewal_done(engine, old, RN.RenewalDone(), MONDAY_10) is None
    assert RN.client_renewals(engine, acme[0]) == []
    with pytest.raises(RefusedError, match="already marked done"):
        RN.mark_renewal_done(engine, old, RN.RenewalDone(), MONDAY_10)


def test_a_new_expiry_before_the_old_one_is_refused_and_nothing_changes(engine, acme):
    old = RN.add_renewal(engine, licence(acme), MONDAY_10)
    with pytest.raises(FieldError, match="after the current expiry"):
        RN.mark_renewal_done(engine, old, RN.RenewalDone(new_expires_on=date(2027, 1, 31)), MONDAY_10)
    [row] = RN.client_renewals(engine, acme[0])
    assert row.id == old and row.done_at is None


def test_it_comes_due_at_expiry_minus_notice_at_nine_in_the_clients_zone(engine, acme):
    renewal_id = RN.add_renewal(engine, licence(acme), MONDAY_10)
    due = datetime(2027, 1, 1, 9, 0, tzinfo=PARIS)  # 31 January minus 30 days
    assert [i for i in coming_due(engine, due - timedelta(days=15)) if i.kind == "renewal"] == []
    [item] = [i for i in coming_due(engine, due - timedelta(days=14)) if i.kind == "renewal"]
    assert (item.ref_id, item.due_at, item.client) == (renewal_id, due, "Client ACME")
    assert "Microsoft M365 Business, 12 seats" in item.title and "2027-01-31" in item.title


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"what": "car"}, "what", "allowed choices"),
        ({"cost": "12.345"}, "cost", "two decimals"),
        ({"cost": "-5"}, "cost", "zero or more"),
        ({"cost": "lots"}, "cost", "amount"),
        ({"currency": "EURO"}, "currency", "three-letter"),
        ({"notice_days": -1}, "notice_days", "at least 0"),
        ({"expires_on": "31/01/2027"}, "expires_on", "YYYY-MM-DD"),
    ],
)
def test_a_bad_renewal_is_refused_with_a_sentence(acme, values, field, message):
    with pytest.raises(ValidationError) as caught:
        licence(acme, **values)
    assert message.lower() in field_errors(caught.value)[field].lower()
