"""Billing, computed and not guessed: what is included, billable or surcharged, and the money to the cent."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.billing import (
    EntryBilling,
    LineAmounts,
    MissingRate,
    Rates,
    decide,
    line_amounts,
    statement_totals,
)
from msptui.core.rules.out_of_hours import OutOfHoursTerms
from msptui.core.rules.time_entries import HoursSplit

H = timedelta(hours=1)
M = timedelta(minutes=1)
ZERO = timedelta(0)
P1_AT_50 = OutOfHoursTerms.of(True, 50, ["P1"])
NOT_SOLD = OutOfHoursTerms.of(False, 50, ["P1"])
EVENING = HoursSplit(in_hours=H, out_of_hours=H + 30 * M)  # 17:00-19:30 on a 09:00-18:00 calendar
RATES = Rates(hourly=Decimal("80.00"), surcharge_pct=50, vat_pct=Decimal("20.00"))


def on_contract(split: HoursSplit = EVENING, priority: str | None = "P1", terms=P1_AT_50) -> EntryBilling:
    return decide(has_contract=True, out_of_scope=False, terms=terms, priority=priority, split=split)


def billable_only(duration: timedelta) -> EntryBilling:
    return EntryBilling(ZERO, duration, ZERO, ZERO, "no contract")


# -- what is included, billable, surcharged ------------------------------------------------


def test_the_evening_entry_is_one_hour_included_and_one_and_a_half_surcharged_for_a_covered_p1():
    assert on_contract() == EntryBilling(
        included=H,
        billable=H + 30 * M,
        surcharged=H + 30 * M,
        outside_contract=ZERO,
        reason="1 h in hours, included; 1 h 30 out of hours, surcharged +50 %",
    )


def test_out_of_hours_work_the_service_does_not_cover_is_billed_plain_and_flagged_outside_the_contract():
    for billing in (on_contract(priority="P3"), on_contract(terms=NOT_SOLD)):
        assert (billing.included, billing.billable, billing.surcharged) == (H, H + 30 * M, ZERO)
        assert billing.outside_contract == H + 30 * M
        assert billing.reason == "1 h in hours, included; 1 h 30 out of hours, outside the contract"


def test_engagement_work_has_no_priority_and_is_never_covered_out_of_hours():
    billing = on_contract(priority=None)
    assert (billing.surcharged, billing.outside_contract) == (ZERO, H + 30 * M)


def test_without_a_contract_or_out_of_scope_it_is_all_billable_and_never_surcharged():
    no_contract = decide(has_contract=False, out_of_scope=False, terms=P1_AT_50, priority="P1", split=EVENING)
    out_of_scope = decide(has_contract=True, out_of_scope=True, terms=P1_AT_50, priority="P1", split=EVENING)
    assert no_contract == EntryBilling(ZERO, 2 * H + 30 * M, ZERO, ZERO, "no contract")
    assert out_of_scope == EntryBilling(ZERO, 2 * H + 30 * M, ZERO, ZERO, "out of the contract's scope")


def test_work_within_scope_and_hours_is_included():
    billing = on_contract(split=HoursSplit(2 * H, ZERO))
    assert billing == EntryBilling(2 * H, ZERO, ZERO, ZERO, "within the contract's scope and hours")


def test_night_work_only_says_so_without_an_included_part():
    assert on_contract(split=HoursSplit(ZERO, 45 * M)).reason == "45 min out of hours, surcharged +50 %"
    no_surcharge = OutOfHoursTerms.of(True, 0, ["P1"])
    assert on_contract(split=HoursSplit(ZERO, H), terms=no_surcharge).reason == "1 h out of hours, no surcharge"


splits = st.builds(
    HoursSplit,
    st.integers(0, 24 * 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(0, 24 * 3600).map(lambda s: timedelta(seconds=s)),
)


@given(
    split=splits,
    has_contract=st.booleans(),
    out_of_scope=st.booleans(),
    priority=st.sampled_from(["P1", "P2", None]),
    terms=st.sampled_from([P1_AT_50, NOT_SOLD]),
)
def test_every_second_of_an_entry_is_either_included_or_billable(split, has_contract, out_of_scope, priority, terms):
    billing = decide(has_contract=has_contract, out_of_scope=out_of_scope, terms=terms, priority=priority, split=split)
    assert billing.included + billing.billable == split.in_hours + split.out_of_hours
    assert billing.surcharged + billing.outside_contract <= billing.billable
    assert billing.included <= split.in_hours  # out-of-hours time is never included


# -- money -----------------------------------------------------------------------------------


def test_the_evening_entry_in_money_rate_surcharge_vat_total():
    line = line_amounts(on_contract(), "remote", RATES)
    # 1.50 h x 80 = 120.00; surcharge 1.50 h x 80 x 50 % = 60.00; VAT 20 % of 180.00 = 36.00.
    assert line == LineAmounts(
        hours_billed=Decimal("1.50"),
        rate=Decimal("80.00"),
        surcharge=Decimal("60.00"),
        net=Decimal("180.00"),
        vat=Decimal("36.00"),
        total=Decimal("216.00"),
        hours_surcharged=Decimal("1.50"),
    )


def test_each_line_is_rounded_half_up_to_the_cent():
    # 0.50 h x 85.01 = 42.505 -> 42.51 (banker's rounding would say 42.50).
    line = line_amounts(billable_only(30 * M), "remote", Rates(Decimal("85.01"), vat_pct=Decimal("0")))
    assert line.net == Decimal("42.51")
    # VAT 5.5 % of 3.00 = 0.165 -> 0.17.
    vat_line = line_amounts(billable_only(H), "remote", Rates(Decimal("3.00"), vat_pct=Decimal("5.5")))
    assert (vat_line.net, vat_line.vat, vat_line.total) == (Decimal("3.00"), Decimal("0.17"), Decimal("3.17"))


def test_an_amount_follows_from_the_hours_shown_so_a_client_can_check_it_by_hand():
    line = line_amounts(billable_only(20 * M), "remote", Rates(Decimal("90.00"), vat_pct=Decimal("0")))
    assert line.hours_billed == Decimal("0.33")
    assert line.net == (line.hours_billed * line.rate).quantize(Decimal("0.01"))


def test_a_category_rate_overrides_the_hourly_rate():
    rates = Rates(Decimal("80.00"), per_category={"on_site": Decimal("95.00")}, vat_pct=Decimal("0"))
    assert line_amounts(billable_only(H), "on_site", rates).net == Decimal("95.00")
    assert line_amounts(billable_only(H), "remote", rates).net == Decimal("80.00")


def test_billable_time_without_a_rate_refuses_to_close_the_period_with_a_sentence():
    only_on_site = Rates(None, per_category={"on_site": Decimal("95.00")})
    with pytest.raises(MissingRate) as refused:
        line_amounts(billable_only(H + 30 * M), "travel", only_on_site, contract="ACME-2026")
    assert str(refused.value) == (
        "Set an hourly rate on contract ACME-2026 before closing the period: 1 h 30 of travel work is billable."
    )
    assert isinstance(refused.value, ValueError)


def test_included_work_needs_no_rate_and_costs_nothing():
    included = on_contract(split=HoursSplit(2 * H, ZERO))
    line = line_amounts(included, "remote", Rates(None))
    assert (line.hours_billed, line.net, line.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def test_included_time_beyond_the_prepaid_hours_is_billed_at_the_rate_without_surcharge():
    line = line_amounts(on_contract(), "remote", RATES, over_prepaid=30 * M)
    # 1 h 30 out of hours + 30 min over the prepaid hours = 2.00 h x 80; surcharge on 1.50 h only.
    assert (line.hours_billed, line.surcharge, line.net) == (Decimal("2.00"), Decimal("60.00"), Decimal("220.00"))
    with pytest.raises(ValueError, match="part of the included time"):
        line_amounts(on_contract(), "remote", RATES, over_prepaid=2 * H)


@pytest.mark.parametrize(
    ("rates", "says"),
    [
        (dict(hourly=Decimal("-1")), "A rate cannot be negative"),
        (dict(hourly=Decimal("80"), surcharge_pct=-5), "surcharge cannot be negative"),
        (dict(hourly=Decimal("80"), vat_pct=Decimal("120")), "VAT rate is a percent"),
    ],
)
def test_impossible_rates_are_refused(rates, says):
    with pytest.raises(ValueError, match=says):
        Rates(**rates)


money = st.decimals(min_value=0, max_value=500, places=2)
lines = st.lists(
    st.tuples(
        splits,
        st.sampled_from(["P1", "P3", None]),
        st.sampled_from(["remote", "on_site", "travel"]),
        money,
        st.sampled_from([Decimal("0"), Decimal("5.5"), Decimal("20")]),
        st.sampled_from([0, 25, 50, 100]),
    ),
    max_size=30,
)


@given(lines)
def test_a_statements_totals_equal_the_sum_of_its_lines_to_the_cent(drawn):
    amounts = []
    for split, priority, category, rate, vat_pct, surcharge_pct in drawn:
        terms = OutOfHoursTerms.of(True, surcharge_pct, ["P1"])
        billing = on_contract(split=split, priority=priority, terms=terms)
        amounts.append(line_amounts(billing, category, Rates(rate, surcharge_pct=surcharge_pct, vat_pct=vat_pct)))
    totals = statement_totals(amounts)
    assert totals.net == sum((a.net for a in amounts), Decimal(0))
    assert totals.vat == sum((a.vat for a in amounts), Decimal(0))
    assert totals.total == totals.net + totals.vat
    for a in amounts:
        assert all(x == x.quantize(Decimal("0.01")) for x in (a.surcharge, a.net, a.vat, a.total))
        assert a.net == (a.hours_billed * a.rate).quantize(Decimal("0.01"), ROUND_HALF_UP) + a.surcharge
        assert a.total == a.net + a.vat


def test_an_empty_statement_totals_zero():
    totals = statement_totals([])
    assert (totals.net, totals.vat, totals.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
