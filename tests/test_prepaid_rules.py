"""Prepaid hours: the oldest valid block goes first, expiry is respected, over-consumption is shown."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.prepaid import THRESHOLDS, Block, Use, consume, crossed

H = timedelta(hours=1)
M = timedelta(minutes=1)
ZERO = timedelta(0)


def block(id: int, hours: str, purchased: date, expires: date | None = None) -> Block:
    return Block(id, Decimal(hours), purchased, expires)


def test_work_takes_the_oldest_block_first():
    older, newer = block(1, "10", date(2026, 1, 5)), block(2, "10", date(2026, 2, 5))
    result = consume([newer, older], [Use(100, date(2026, 3, 2), 3 * H)])
    assert result.allocations[0].taken == ((1, 3 * H),)
    assert [(b.block.id, b.used, b.remaining) for b in result.blocks] == [(1, 3 * H, 7 * H), (2, ZERO, 10 * H)]


def test_a_use_larger_than_what_is_left_spills_into_the_next_block():
    blocks = [block(1, "2", date(2026, 1, 5)), block(2, "10", date(2026, 2, 5))]
    result = consume(blocks, [Use(100, date(2026, 3, 2), 3 * H + 30 * M)])
    assert result.allocations[0].taken == ((1, 2 * H), (2, H + 30 * M))
    assert (result.used, result.remaining, result.over) == (3 * H + 30 * M, 8 * H + 30 * M, ZERO)


def test_uses_consume_in_date_order_whatever_order_they_come_in():
    blocks = [block(1, "1", date(2026, 1, 5)), block(2, "5", date(2026, 1, 6))]
    late, early = Use(7, date(2026, 3, 9), H), Use(8, date(2026, 3, 2), H)
    result = consume(blocks, [late, early])
    assert {a.use.entry_id: a.taken for a in result.allocations} == {8: ((1, H),), 7: ((2, H),)}


def test_an_expired_block_is_skipped_and_a_block_not_yet_bought_is_not_used():
    expired = block(1, "10", date(2025, 1, 1), expires=date(2025, 12, 31))
    later = block(2, "10", date(2026, 6, 1))
    result = consume([expired, later], [Use(100, date(2026, 3, 2), 2 * H)])
    assert result.allocations[0].taken == ()
    assert result.over == 2 * H
    assert result.over_for(100) == 2 * H


def test_a_block_is_still_valid_on_its_expiry_day_and_its_purchase_day():
    only = block(1, "10", date(2026, 1, 5), expires=date(2026, 3, 31))
    result = consume([only], [Use(1, date(2026, 1, 5), H), Use(2, date(2026, 3, 31), H), Use(3, date(2026, 4, 1), H)])
    assert [a.over for a in result.allocations] == [ZERO, ZERO, H]


def test_over_consumption_is_shown_entry_by_entry_never_hidden():
    blocks = [block(1, "5", date(2026, 1, 5))]
    uses = [Use(1, date(2026, 2, 2), 4 * H), Use(2, date(2026, 2, 3), 3 * H)]
    result = consume(blocks, uses)
    assert result.allocations[1].taken == ((1, H),)
    assert (result.over_for(1), result.over_for(2)) == (ZERO, 2 * H)
    assert (result.used, result.remaining, result.over) == (5 * H, ZERO, 2 * H)
    assert result.percent_used == 100


def test_unused_hours_of_a_block_past_its_expiry_are_lost_not_remaining():
    blocks = [block(1, "10", date(2026, 1, 5), expires=date(2026, 3, 31)), block(2, "10", date(2026, 3, 1))]
    uses = [Use(1, date(2026, 2, 2), 6 * H)]
    in_march = consume(blocks, uses, today=date(2026, 3, 31))
    in_april = consume(blocks, uses, today=date(2026, 4, 1))
    assert (in_march.remaining, in_march.expired) == (14 * H, ZERO)
    assert (in_april.remaining, in_april.expired) == (10 * H, 4 * H)
    assert in_april.blocks[0].expired == 4 * H
    assert (in_march.percent_used, in_april.percent_used) == (30, 50)


def test_the_share_used_is_rounded_down_so_exhausted_means_nothing_left():
    result = consume([block(1, "10", date(2026, 1, 5))], [Use(1, date(2026, 2, 2), 10 * H - M)])
    assert result.percent_used == 99
    assert consume([], []).percent_used == 0


def test_blocks_with_fractional_hours_are_counted_exactly():
    result = consume([block(1, "1.25", date(2026, 1, 5))], [Use(1, date(2026, 2, 2), H)])
    assert result.remaining == 15 * M


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [(0, 74, ()), (70, 75, (75,)), (74, 95, (75, 90)), (70, 100, THRESHOLDS), (90, 95, ()), (99, 100, (100,))],
)
def test_alerts_are_said_once_as_each_threshold_is_crossed(before, after, said):
    assert crossed(before, after) == said


def test_impossible_blocks_and_uses_are_refused_with_a_sentence():
    with pytest.raises(ValueError, match="holds some hours"):
        block(1, "0", date(2026, 1, 5))
    with pytest.raises(ValueError, match="expires after it is bought"):
        block(1, "5", date(2026, 1, 5), expires=date(2026, 1, 4))
    with pytest.raises(ValueError, match="no included time"):
        consume([block(1, "5", date(2026, 1, 5))], [Use(9, date(2026, 2, 2), ZERO)])


# -- laws ----------------------------------------------------------------------------------

days = st.integers(0, 120).map(lambda n: date(2026, 1, 1) + timedelta(days=n))
blocks = st.lists(
    st.builds(
        lambda hours, purchased, lasts: Block(
            0, Decimal(hours) / 4, purchased, None if lasts is None else purchased + timedelta(days=lasts)
        ),
        st.integers(1, 80),
        days,
        st.none() | st.integers(0, 60),
    ),
    max_size=5,
).map(lambda bs: [Block(i, b.hours, b.purchased, b.expires) for i, b in enumerate(bs, 1)])
uses = st.lists(
    st.builds(Use, st.just(0), days, st.integers(1, 8 * 3600).map(lambda s: timedelta(seconds=s))),
    max_size=25,
).map(lambda us: [Use(i, u.day, u.duration) for i, u in enumerate(us, 1)])


@given(blocks, uses, st.none() | days)
def test_every_second_of_included_work_is_taken_from_a_block_or_shown_as_over(blocks, uses, today):
    result = consume(blocks, uses, today=today)
    allocated = sum((t for a in result.allocations for _, t in a.taken), ZERO)
    assert allocated + result.over == sum((u.duration for u in uses), ZERO)
    assert result.used == allocated
    assert result.used + result.remaining + result.expired == result.bought
    by_id = {b.id: b for b in blocks}
    for balance in result.blocks:
        assert ZERO <= balance.used <= balance.block.bought
    for allocation in result.allocations:
        assert all(by_id[block_id].valid_on(allocation.use.day) for block_id, _ in allocation.taken)
        # Over-consumption only once every block valid that day is used up.
        if allocation.over:
            assert all(b.used == b.block.bought for b in result.blocks if b.block.valid_on(allocation.use.day))
    assert 0 <= result.percent_used <= 100
