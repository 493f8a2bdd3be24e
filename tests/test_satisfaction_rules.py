"""Client satisfaction, the rule: averages over 3 and 12 months, response rate, last comments, trend."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.satisfaction import (
    Answer,
    SatisfactionSummary,
    check_score,
    describe,
    months_before,
    summary,
)

TODAY = date(2026, 11, 23)


def on(days_ago: int, score: int | None, comment: str = "") -> Answer:
    return Answer(TODAY - timedelta(days=days_ago), score, comment)


def test_averages_over_3_and_12_months_counted_by_hand():
    answers = [on(5, 5), on(40, 4), on(80, 4), on(100, 3), on(200, 2), on(400, 1)]
    s = summary(answers, TODAY)
    # 3 months: 5, 4, 4 -> 13/3 = 4.33; 12 months: 5, 4, 4, 3, 2 -> 18/5 = 3.6; 400 days ago is out.
    assert (s.avg_3m, s.count_3m) == (Decimal("4.3"), 3)
    assert (s.avg_12m, s.count_12m) == (Decimal("3.6"), 5)
    assert s.response_rate_12m == Decimal("1.000")


def test_not_asked_counts_in_the_response_rate_but_in_no_average():
    answers = [on(1, 4), on(2, None), on(3, 2), on(4, None), on(5, None)]
    s = summary(answers, TODAY)
    assert (s.avg_3m, s.avg_12m) == (Decimal("3.0"), Decimal("3.0"))
    assert s.response_rate_12m == Decimal("0.400")
    assert s.occasions_12m == 5


def test_the_windows_are_calendar_months_ending_today():
    # 23 Aug is exactly 3 months ago: outside the 3 months; 24 Aug is inside.
    s = summary([Answer(date(2026, 8, 23), 1), Answer(date(2026, 8, 24), 5)], TODAY)
    assert (s.avg_3m, s.count_3m, s.avg_12m) == (Decimal("5.0"), 1, Decimal("3.0"))
    year = summary([Answer(date(2025, 11, 23), 1), Answer(date(2025, 11, 24), 5)], TODAY)
    assert (year.avg_12m, year.count_12m, year.occasions_12m) == (Decimal("5.0"), 1, 1)


def test_a_month_shorter_than_the_day_ends_on_its_last_day():
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2028, 5, 31), 3) == date(2028, 2, 29)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_averages_round_half_up_to_a_tenth():
    assert summary([on(1, 4), on(2, 5), on(3, 4), on(4, 4)], TODAY).avg_3m == Decimal("4.3")  # 4.25
    assert summary([on(1, 4), on(2, 5)], TODAY).avg_3m == Decimal("4.5")


def test_nothing_recorded_gives_no_figure_rather_than_zero():
    s = summary([], TODAY)
    assert (s.avg_3m, s.avg_12m, s.response_rate_12m, s.trend) == (None, None, None, None)
    only_not_asked = summary([on(1, None)], TODAY)
    assert (only_not_asked.avg_3m, only_not_asked.response_rate_12m) == (None, Decimal("0.000"))


def test_the_last_comments_are_the_three_newest_given_with_a_score():
    answers = [on(50, 3, "Slow to answer"), on(1, 5, "Perfect"), on(10, 4, ""), on(20, 4, "Fine"), on(30, 2, "Late")]
    assert summary(answers, TODAY).last_comments == [
        (TODAY - timedelta(days=1), 5, "Perfect"),
        (TODAY - timedelta(days=20), 4, "Fine"),
        (TODAY - timedelta(days=30), 2, "Late"),
    ]


def test_answers_dated_after_today_are_not_counted():
    s = summary([on(-3, 1, "not yet"), on(3, 5)], TODAY)
    assert (s.avg_3m, s.occasions_12m, s.last_comments) == (Decimal("5.0"), 1, [])


@pytest.mark.parametrize(
    ("recent", "before", "trend"),
    [
        ([5, 5], [4, 4], "up"),
        ([3, 3], [4, 4], "down"),
        ([4, 4, 4, 4, 5], [4], "flat"),  # 4.2 against 4: under a quarter point
        ([4, 4, 4, 5], [4], "up"),  # 4.25 against 4: a quarter point is a trend
        ([4], [], None),
        ([], [4], None),
    ],
)
def test_the_trend_compares_3_months_with_the_9_months_before(recent, before, trend):
    answers = [on(10, s) for s in recent] + [on(200, s) for s in before]
    assert summary(answers, TODAY).trend == trend


def test_a_score_is_1_to_5_or_not_asked():
    assert check_score(None) is None and check_score(3) == 3
    for bad in (0, 6, True, -1):
        with pytest.raises(ValueError, match="from 1 .* to 5"):
            Answer(TODAY, bad)


def test_the_card_line_says_averages_rate_and_last_comment():
    s = summary([on(5, 5, "Quick and polite"), on(40, 4), on(200, 3), on(210, None), on(220, 4)], TODAY)
    assert describe(s) == (
        "Satisfaction: 4.5/5 over 3 months (12 months: 4.0, 80 % answered) — last: «Quick and polite»"
    )
    long = describe(summary([on(1, 2, "word " * 40)], TODAY), quote_max=20)
    assert long.endswith("— last: «word word word word…»")
    assert (
        describe(summary([on(200, None)], TODAY))
        == "Satisfaction: no score over 3 months (12 months: no score, 0 % answered)"
    )
    assert describe(SatisfactionSummary(None, None, None, 0, 0)) == "Satisfaction: not asked in the last 12 months"


# --- properties ----------------------------------------------------------------------------

answers = st.lists(
    st.builds(
        Answer,
        st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
        st.none() | st.integers(1, 5),
        st.sampled_from(["", "ok", "Slow"]),
    ),
    max_size=40,
)


@given(answers, st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 30)))
def test_averages_stay_within_1_and_5_and_the_rate_within_0_and_1(answers, today):
    s = summary(answers, today)
    for average, count in ((s.avg_3m, s.count_3m), (s.avg_12m, s.count_12m)):
        assert (average is None) == (count == 0)
        if average is not None:
            assert Decimal(1) <= average <= Decimal(5)
    assert s.count_3m <= s.count_12m <= s.occasions_12m
    if s.response_rate_12m is None:
        assert s.occasions_12m == 0
    else:
        assert Decimal(0) <= s.response_rate_12m <= Decimal(1)
    assert len(s.last_comments) <= 3
    assert all(day <= today and 1 <= score <= 5 and comment for day, score, comment in s.last_comments)


@given(answers, st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 30)))
def test_the_order_answers_come_in_changes_no_figure(answers, today):
    forward, backward = summary(answers, today), summary(list(reversed(answers)), today)
    assert (forward.avg_3m, forward.avg_12m, forward.response_rate_12m, forward.trend) == (
        backward.avg_3m,
        backward.avg_12m,
        backward.response_rate_12m,
        backward.trend,
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 24))
def test_months_before_goes_back_that_many_calendar_months(day, months):
    earlier = months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or earlier.day < day.day  # clamped only to a shorter month's end
