"""The RRULE kind of a recurring task's schedule, expanded by python-dateutil.

The only module of msptui that imports dateutil: `core/rules/` stays standard library
only (tests/test_rules.py), and `rules/recurrence.py` imports this module inside the
functions that need it, so the board's first frame does not pay for dateutil.

A recurring task is due on local dates (its time of day is kept apart), so the rule
is a "simple RRULE": the parts that choose days, never hours. Rules that could never
produce a date are refused where that can be seen from the text, because dateutil
searches for a first date up to the year 9999 (seconds of work) before giving up.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrule, rrulestr

# The parts that choose days; anything finer (BYHOUR...) or rarer (BYWEEKNO, BYEASTER)
# is refused, so that every rule taken can be read back by the technician.
ALLOWED_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST")
DAY_OR_COARSER = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
FINER_THAN_DAILY = ("HOURLY", "MINUTELY", "SECONDLY")
MAX_COUNT = 10_000
_MONTH_LENGTH = {m: calendar.monthrange(2028, m)[1] for m in range(1, 13)}  # 2028: a leap year, Feb has 29


def _parts(text: str) -> list[tuple[str, str]]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body:
        raise ValueError("The RRULE is empty: write it like FREQ=MONTHLY;BYMONTHDAY=-1.")
    if "\n" in body or "\r" in body:
        raise ValueError("Give one RRULE line only; the first date comes from the task, not a DTSTART line.")
    parts = []
    for piece in body.strip(";").split(";"):
        name, sep, value = piece.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not name or not value:
            raise ValueError(f"The RRULE part {piece!r} is not NAME=VALUE: write it like FREQ=MONTHLY;BYMONTHDAY=-1.")
        if name not in ALLOWED_PARTS:
            raise ValueError(
                f"The RRULE part {name} is not taken: a recurring task's rule uses {', '.join(ALLOWED_PARTS)} only."
            )
        parts.append((name, value))
    names = [n for n, _ in parts]
    if len(set(names)) != len(names):
        raise ValueError("The RRULE names a part twice: give each of FREQ, INTERVAL, BYDAY... once.")
    return parts


def _ints(name: str, value: str) -> list[int]:
    try:
        return [int(v) for v in value.split(",")]
    except ValueError:
        raise ValueError(f"The RRULE part {name}={value} must be whole numbers separated by commas.") from None


def _check_days_exist(found: dict[str, str]) -> None:
    """Refuse a day of the month that none of the months has (BYMONTH=2;BYMONTHDAY=30)."""
    if "BYMONTHDAY" not in found:
        return
    days = _ints("BYMONTHDAY", found["BYMONTHDAY"])
    if any(d == 0 or not -31 <= d <= 31 for d in days):
        raise ValueError("BYMONTHDAY takes days 1 to 31, or -1 (the last day) to -31.")
    months = _ints("BYMONTH", found["BYMONTH"]) if "BYMONTH" in found else list(range(1, 13))
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError("BYMONTH takes months 1 (January) to 12 (December).")
    if not any(abs(d) <= _MONTH_LENGTH[m] for d in days for m in months):
        raise ValueError("This RRULE never happens: none of its months has that day.")


def normalise_rrule(text: str) -> str:
    """The rule in its canonical spelling (upper case, no "RRULE:" prefix), or ValueError
    with a sentence saying what to change.

    Refused: unparseable text, parts other than ALLOWED_PARTS (so no DTSTART: the first
    date is the task's), a FREQ finer than DAILY without COUNT (it would make a ticket
    every hour, for ever), a COUNT above MAX_COUNT, a day of the month no month has.
    """
    parts = _parts(text)
    found = dict(parts)
    freq = found.get("FREQ")
    if freq is None:
        raise ValueError("The RRULE needs a FREQ: DAILY, WEEKLY, MONTHLY or YEARLY.")
    if freq in FINER_THAN_DAILY and "COUNT" not in found:
        raise ValueError(
            f"FREQ={freq} without COUNT would come due for ever, several times a day: use DAILY or coarser."
        )
    if freq not in DAY_OR_COARSER + FINER_THAN_DAILY:
        raise ValueError(f"FREQ={freq} is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY.")
    if "COUNT" in found and "UNTIL" in found:
        raise ValueError("Give COUNT or UNTIL, not both.")
    if "COUNT" in found and not 1 <= _ints("COUNT", found["COUNT"])[0] <= MAX_COUNT:
        raise ValueError(f"COUNT takes 1 to {MAX_COUNT} occurrences.")
    if "INTERVAL" in found and not 1 <= _ints("INTERVAL", found["INTERVAL"])[0] <= 999:
        raise ValueError("INTERVAL takes 1 to 999.")
    if "UNTIL" in found:
        found["UNTIL"] = _until_date(found["UNTIL"]).strftime("%Y%m%d")
    _check_days_exist(found)
    canonical = ";".join(f"{name}={found[name]}" for name, _ in parts)
    try:
        _build(canonical, date(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ValueError(f"This RRULE cannot be read ({error}): write it like FREQ=MONTHLY;BYMONTHDAY=-1.") from None
    return canonical


def _until_date(value: str) -> date:
    # The rule chooses local dates, so an UNTIL time (with or without Z) only says "up to that day".
    try:
        return datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"UNTIL={value} is not a date: write it like UNTIL=20271231.") from None


def _build(canonical: str, first: date) -> rrule:
    rule = rrulestr(canonical, dtstart=datetime.combine(first, time()))
    assert isinstance(rule, rrule)  # one RRULE line, never a set
    return rule


def rrule_dates(text: str, first: date, after: date | None, until: date) -> list[date]:
    """The local dates of the rule, counted from `first` (its DTSTART), strictly after
    `after` (None: from the first) and up to `until` inclusive, ascending, each once
    (a rule with COUNT finer than daily gives a date once however many times it hits it)."""
    rule = _build(normalise_rrule(text), first)
    start = first if after is None else max(first, after + timedelta(days=1))
    if start > until:
        return []
    hits = rule.between(datetime.combine(start, time()), datetime.combine(until, time.max), inc=True)
    return sorted({hit.date() for hit in hits})
