"""Client satisfaction: the score a client gives at a ticket's close or a delivery, and
what a client's answers add up to.

A score is 1 (very dissatisfied) to 5 (very satisfied), as the client said it on
the phone or on site, or None: the technician did not ask. "Not asked" is an
occasion missed, so it counts in the response rate's denominator and in no average.

Windows are in calendar months ending `today` (the client's local date): "the
last 3 months" on 23 November are the days after 23 August up to 23 November
included; a month too short for the day takes its last day (31 May - 3 months
is 28 or 29 February).

Pure: standard library and `msptui.core.i18n` only.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from msptui.core.formats import number
from msptui.core.i18n import N_, _

#: The scores a client can give, worst to best.
SCORES = (1, 2, 3, 4, 5)
# Marked for the catalogue: show `score_words(n)` (or `_(SCORE_WORDS[n])`).
SCORE_WORDS = {
    1: N_("very dissatisfied"),
    2: N_("dissatisfied"),
    3: N_("neither"),
    4: N_("satisfied"),
    5: N_("very satisfied"),
}
#: A comment is the client's own words, kept as said, up to this length.
COMMENT_MAX = 1000
#: How many of the newest comments a summary keeps.
LAST_COMMENTS = 3
#: The smallest change of the 3-month average against the 9 months before it that is a trend;
#: below it, one score more or less would flip the arrow every week.
TREND_STEP = Decimal("0.25")

Trend = Literal["up", "down", "flat"]
_TENTH = Decimal("0.1")
_PERMILLE = Decimal("0.001")


def check_score(value: int | None) -> int | None:
    """The score itself when it is one a client can give (1 to 5) or None (not asked);
    ValueError in words otherwise."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value in SCORES):
        return value
    raise ValueError(_("must be a whole number from 1 (very dissatisfied) to 5 (very satisfied), or not asked"))


def score_words(score: int) -> str:
    """ "very satisfied" for 5 ... "very dissatisfied" for 1, in the current language."""
    return _(SCORE_WORDS[score])


@dataclass(frozen=True, slots=True)
class Answer:
    """One occasion: the client's local date it was asked on (or would have been), the
    score (None: not asked) and the comment as the client gave it."""

    on: date
    score: int | None
    comment: str = ""

    def __post_init__(self) -> None:
        check_score(self.score)


@dataclass(frozen=True, slots=True)
class SatisfactionSummary:
    """A client's answers as of `today`.

    avg_3m / avg_12m: the average score over the last 3 / 12 months, to 0.1 (half up),
    None without any score in the window. response_rate_12m: scored occasions over all
    occasions of the last 12 months (0 to 1, to 0.001), None without any occasion.
    count_3m / count_12m: the scores in each average. last_comments: the newest
    comments given with a score, newest first, as (date, score, comment). trend: the
    3-month average against the 9 months before it ("up", "down", "flat"), None when
    either has no score.
    """

    avg_3m: Decimal | None
    avg_12m: Decimal | None
    response_rate_12m: Decimal | None
    count_3m: int
    count_12m: int
    last_comments: list[tuple[date, int, str]] = field(default_factory=list)
    trend: Trend | None = None
    occasions_12m: int = 0  # scored and not asked, the response rate's denominator


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or that month's last day when it is shorter."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _mean(scores: list[int]) -> Decimal | None:
    return Decimal(sum(scores)) / Decimal(len(scores)) if scores else None


def _tenth(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def trend_of(recent: Decimal | None, before: Decimal | None) -> Trend | None:
    """Up or down when the recent average moved by TREND_STEP or more, else flat."""
    if recent is None or before is None:
        return None
    if recent - before >= TREND_STEP:
        return "up"
    if before - recent >= TREND_STEP:
        return "down"
    return "flat"


def summary(answers: Iterable[Answer], today: date) -> SatisfactionSummary:
    """What a client's answers (current ones only: a corrected answer is left out by the
    caller) say as of `today`. Answers dated after `today` are not counted."""
    start_3m, start_12m = months_before(today, 3), months_before(today, 12)
    recent: list[int] = []
    before: list[int] = []
    occasions = 0
    commented: list[tuple[date, int, str]] = []
    for answer in answers:
        if answer.on > today:
            continue
        if answer.score is not None and answer.comment.strip():
            commented.append((answer.on, answer.score, answer.comment))
        if answer.on <= start_12m:
            continue
        occasions += 1
        if answer.score is None:
            continue
        (recent if answer.on > start_3m else before).append(answer.score)
    year = recent + before
    commented.sort(key=lambda c: c[0], reverse=True)  # stable: same day keeps the caller's order
    return SatisfactionSummary(
        avg_3m=_tenth(_mean(recent)),
        avg_12m=_tenth(_mean(year)),
        response_rate_12m=(Decimal(len(year)) / Decimal(occasions)).quantize(_PERMILLE, rounding=ROUND_HALF_UP)
        if occasions
        else None,
        count_3m=len(recent),
        count_12m=len(year),
        last_comments=commented[:LAST_COMMENTS],
        trend=trend_of(_mean(recent), _mean(before)),
        occasions_12m=occasions,
    )


# --- words ---------------------------------------------------------------------------------


def format_average(value: Decimal | None) -> str:
    """An average as the card shows it: 4.3/5, or no score."""
    return _("no score") if value is None else f"{number(value, places=1)}/5"


def format_rate(rate: Decimal) -> str:
    """A rate as a whole percent, half up: 80 %."""
    return f"{(rate * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)} %"


def describe(s: SatisfactionSummary, quote_max: int = 60) -> str:
    """One line for a client's card: "Satisfaction: 4.3/5 over 3 months (12 months: 4.1,
    80 % answered) — last: «Quick and polite»". The last comment is cut to `quote_max`
    characters (an ellipsis ends a cut one)."""
    if s.occasions_12m == 0 and not s.last_comments:
        return _("Satisfaction: not asked in the last 12 months")
    if s.occasions_12m:
        assert s.response_rate_12m is not None  # noqa: S101 - set whenever there is an occasion
        head = _("Satisfaction: {average} over 3 months (12 months: {year}, {rate} answered)").format(
            average=format_average(s.avg_3m),
            year=_("no score") if s.avg_12m is None else number(s.avg_12m, places=1),
            rate=format_rate(s.response_rate_12m),
        )
    else:
        head = _("Satisfaction: {average} over 3 months (not asked in the last 12 months)").format(
            average=format_average(s.avg_3m)
        )
    if s.last_comments:
        comment = " ".join(s.last_comments[0][2].split())
        if len(comment) > quote_max:
            comment = comment[: quote_max - 1].rstrip() + "…"
        head = _("{summary} — last: «{comment}»").format(summary=head, comment=comment)
    return head
