"""The RRULE kind of a recurring task's schedule, expanded by python-dateutil.

The only module of msptui that imports dateutil: `core/rules/` stays standard library
only (tests/test_rules.py), and `rules/recurrence.py` imports this module inside the
functions that need it, so the board's first frame does not pay for dateutil.

A recurring task is due on local dates (its time of day is kept apart), so the rule
is a "simple RRULE": the parts that choose days, never hours. Rules that could never
produce a date are refused where that can be seen from the text, because dateutil
searches for a first date up to the year 9999 (seconds of work) before giving up; and
as a backstop, a rule that gives no date within NEVER_WINDOW_YEARS of its first date
is refused too (that search is bounded, so it takes milliseconds).
"""

from __future__ import annotations

import calendar
import re
import warnings
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from msptui.core.i18n import _

# The parts that choose days; anything finer (BYHOUR...) or rarer (BYWEEKNO, BYEASTER)
# is refused, so that every rule taken can be read back by the technician.
ALLOWED_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST")
DAY_OR_COARSER = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
FINER_THAN_DAILY = ("HOURLY", "MINUTELY", "SECONDLY")
MAX_COUNT = 10_000
NEVER_WINDOW_YEARS = 40  # a rule with no date this long after its first is taken as never happening
# The most a BYDAY ordinal (2MO, -1FR) or a BYSETPOS can be for each period of FREQ: beyond
# it nothing can match, and dateutil would search to the year 9999 to find that out.
_MAX_BYDAY_ORDINAL = {"MONTHLY": 5, "YEARLY": 53}
_MAX_SETPOS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
_ORDINAL_RE = re.compile(r"^([+-]?\d+)?(MO|TU|WE|TH|FR|SA|SU)$")
_MONTH_LENGTH = {m: calendar.monthrange(2028, m)[1] for m in range(1, 13)}  # 2028: a leap year, Feb has 29


def _parts(text: str) -> list[tuple[str, str]]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body:
        raise ValueError(_("The RRULE is empty: write it like FREQ=MONTHLY;BYMONTHDAY=-1."))
    if "\n" in body or "\r" in body:
        raise ValueError(_("Give one RRULE line only; the first date comes from the task, not a DTSTART line."))
    parts = []
    for piece in body.strip(";").split(";"):
        name, sep, value = piece.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not name or not value:
            raise ValueError(
                _("The RRULE part {part} is not NAME=VALUE: write it like FREQ=MONTHLY;BYMONTHDAY=-1.").format(
                    part=repr(piece)
                )
            )
        if name not in ALLOWED_PARTS:
            raise ValueError(
                _("The RRULE part {name} is not taken: a recurring task's rule uses {parts} only.").format(
                    name=name, parts=", ".join(ALLOWED_PARTS)
                )
            )
        parts.append((name, value))
    names = [n for n, _value in parts]
    if len(set(names)) != len(names):
        raise ValueError(_("The RRULE names a part twice: give each of FREQ, INTERVAL, BYDAY... once."))
    return parts


def _ints(name: str, value: str) -> list[int]:
    try:
        return [int(v) for v in value.split(",")]
    except ValueError:
        raise ValueError(
            _("The RRULE part {name}={value} must be whole numbers separated by commas.").format(name=name, value=value)
        ) from None


def _check_days_exist(found: dict[str, str]) -> None:
    """Refuse a day of the month that none of the months has (BYMONTH=2;BYMONTHDAY=30)."""
    if "BYMONTHDAY" not in found:
        return
    days = _ints("BYMONTHDAY", found["BYMONTHDAY"])
    if any(d == 0 or not -31 <= d <= 31 for d in days):
        raise ValueError(_("BYMONTHDAY takes days 1 to 31, or -1 (the last day) to -31."))
    months = _ints("BYMONTH", found["BYMONTH"]) if "BYMONTH" in found else list(range(1, 13))
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError(_("BYMONTH takes months 1 (January) to 12 (December)."))
    if not any(abs(d) <= _MONTH_LENGTH[m] for d in days for m in months):
        raise ValueError(_("This RRULE never happens: none of its months has that day."))


def _check_ordinals(found: dict[str, str]) -> None:
    """Refuse a BYDAY ordinal or a BYSETPOS that no period of the FREQ can reach
    (FREQ=DAILY;BYSETPOS=2, FREQ=MONTHLY;BYDAY=6FR): such a rule never happens."""
    freq = found["FREQ"]
    if "BYDAY" in found:
        ordinal_max = 5 if "BYMONTH" in found else _MAX_BYDAY_ORDINAL.get(freq)
        for day in found["BYDAY"].split(","):
            match = _ORDINAL_RE.match(day.strip())
            if match is None or match.group(1) is None:
                continue  # a plain weekday, or a spelling dateutil refuses below
            n = int(match.group(1))
            if ordinal_max is None:
                raise ValueError(
                    _("BYDAY={day} counts weekdays in a month or year: use FREQ=MONTHLY or YEARLY.").format(day=day)
                )
            if n == 0 or abs(n) > ordinal_max:
                if ordinal_max == 5:
                    message = _(
                        "This RRULE never happens: BYDAY={day} asks for a weekday a month "
                        "has at most {most} of (1 to {most}, or -1 to -{most})."
                    )
                else:
                    message = _(
                        "This RRULE never happens: BYDAY={day} asks for a weekday a year "
                        "has at most {most} of (1 to {most}, or -1 to -{most})."
                    )
                raise ValueError(message.format(day=day, most=ordinal_max))
    if "BYSETPOS" in found:
        most = min(_MAX_SETPOS[freq], _most_per_period(found))
        if any(n == 0 or abs(n) > most for n in _ints("BYSETPOS", found["BYSETPOS"])):
            raise ValueError(
                _(
                    "This RRULE never happens: its FREQ={freq} periods hold at most {most} date(s), "
                    "so BYSETPOS takes 1 to {most} or -1 to -{most}."
                ).format(freq=freq, most=most)
            )


def _most_per_period(found: dict[str, str]) -> int:
    """An upper bound of the dates one period of the rule holds before BYSETPOS picks
    (dateutil's defaults: the first date's weekday, day of the month, month)."""
    freq, bounds = found["FREQ"], []
    months = len(found["BYMONTH"].split(",")) if "BYMONTH" in found else 12
    if "BYDAY" in found:
        days = found["BYDAY"].split(",")
        ordinal = sum(1 for d in days if (m := _ORDINAL_RE.match(d.strip())) is not None and m.group(1))
        plain = len(days) - ordinal
        if freq == "WEEKLY":
            bounds.append(plain)
        elif freq == "MONTHLY":
            bounds.append(5 * plain + ordinal)
        elif freq == "YEARLY":
            by_month = "BYMONTH" in found  # ordinals then count within each month
            bounds.append((5 * months if by_month else 53) * plain + ordinal * (months if by_month else 1))
    if "BYMONTHDAY" in found:
        n = len(found["BYMONTHDAY"].split(","))
        bounds.append(n * months if freq == "YEARLY" else n)
    if not bounds:  # the first date's weekday (WEEKLY), day (MONTHLY), day of its month(s) (YEARLY)
        bounds.append(months if freq == "YEARLY" and "BYMONTH" in found else 1)
    return min(bounds)


def _check_interval_reaches(found: dict[str, str], first: date) -> None:
    """Refuse an INTERVAL that steps over every period the filters keep: months
    first.month + k*INTERVAL (MONTHLY) never in BYMONTH, days first + k*INTERVAL (DAILY)
    never on a BYDAY weekday."""
    step = _ints("INTERVAL", found["INTERVAL"])[0] if "INTERVAL" in found else 1
    freq = found["FREQ"]
    if freq == "MONTHLY" and "BYMONTH" in found:
        reached = {(first.month - 1 + k * step) % 12 + 1 for k in range(12)}
        if not reached & set(_ints("BYMONTH", found["BYMONTH"])):
            raise ValueError(_("This RRULE never happens: its INTERVAL steps over every month of BYMONTH."))
    if freq == "DAILY" and "BYDAY" in found:
        reached = {(first.weekday() + k * step) % 7 for k in range(7)}
        wanted = {_WEEKDAYS.index(d.strip()[-2:]) for d in found["BYDAY"].split(",") if d.strip()[-2:] in _WEEKDAYS}
        if wanted and not reached & wanted:
            raise ValueError(_("This RRULE never happens: its INTERVAL steps over every weekday of BYDAY."))


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def normalise_rrule(text: str, first: date | None = None) -> str:
    """The rule in its canonical spelling (upper case, no "RRULE:" prefix), or ValueError
    with a sentence saying what to change.

    Refused: unparseable text, parts other than ALLOWED_PARTS (so no DTSTART: the first
    date is the task's), a FREQ finer than DAILY (a task is due on days), a COUNT above
    MAX_COUNT, a day of the month no month has, a BYDAY ordinal or BYSETPOS its FREQ
    cannot reach, and any rule with no date within NEVER_WINDOW_YEARS of `first` (by
    default 2000-01-01: the task's first date is not known yet).
    """
    parts = _parts(text)
    found = dict(parts)
    freq = found.get("FREQ")
    if freq is None:
        raise ValueError(_("The RRULE needs a FREQ: DAILY, WEEKLY, MONTHLY or YEARLY."))
    if freq in FINER_THAN_DAILY:
        raise ValueError(
            _("FREQ={freq} is finer than a day, and a task is due on days: use DAILY or coarser.").format(freq=freq)
        )
    if freq not in DAY_OR_COARSER:
        raise ValueError(_("FREQ={freq} is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY.").format(freq=freq))
    if "COUNT" in found and "UNTIL" in found:
        raise ValueError(_("Give COUNT or UNTIL, not both."))
    if "COUNT" in found and not 1 <= _ints("COUNT", found["COUNT"])[0] <= MAX_COUNT:
        raise ValueError(_("COUNT takes 1 to {most} occurrences.").format(most=MAX_COUNT))
    if "INTERVAL" in found and not 1 <= _ints("INTERVAL", found["INTERVAL"])[0] <= 999:
        raise ValueError(_("INTERVAL takes 1 to 999."))
    if "UNTIL" in found:
        found["UNTIL"] = _until_date(found["UNTIL"]).strftime("%Y%m%d")
    _check_days_exist(found)
    _check_ordinals(found)
    canonical = ";".join(f"{name}={found[name]}" for name, _value in parts)
    try:
        _build(canonical, date(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ValueError(
            _("This RRULE cannot be read ({error}): write it like FREQ=MONTHLY;BYMONTHDAY=-1.").format(error=error)
        ) from None
    _check_interval_reaches(found, first or date(2000, 1, 1))
    if not _happens(canonical, first or date(2000, 1, 1)):
        raise ValueError(
            _("This RRULE never happens: it gives no date in the {years} years from its first day.").format(
                years=NEVER_WINDOW_YEARS
            )
        )
    return canonical


@lru_cache(maxsize=512)
def _happens(canonical: str, first: date) -> bool:
    """Whether the rule gives a date within NEVER_WINDOW_YEARS of `first`: dateutil's
    search is bounded by an UNTIL at the window's end (at most ~15,000 daily periods,
    a few milliseconds) instead of running to the year 9999."""
    rule = _build(canonical, first)
    end = datetime.combine(_years_after(first, NEVER_WINDOW_YEARS), time.max)
    bounded = rule.replace(count=None, until=min(end, _until_of(canonical) or end))
    return next(iter(bounded), None) is not None


def _until_of(canonical: str) -> datetime | None:
    """The rule's own UNTIL (canonical: a YYYYMMDD date), as the midnight dateutil reads."""
    for part in canonical.split(";"):
        name, _sep, value = part.partition("=")
        if name == "UNTIL":
            return datetime.combine(_until_date(value), time())
    return None


def _years_after(day: date, years: int) -> date:
    year = min(day.year + years, 9999)
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _until_date(value: str) -> date:
    # The rule chooses local dates, so an UNTIL time (with or without Z) only says "up to that day".
    try:
        return datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        raise ValueError(_("UNTIL={value} is not a date: write it like UNTIL=20271231.").format(value=value)) from None


def _build(canonical: str, first: date) -> rrule:
    rule = rrulestr(canonical, dtstart=datetime.combine(first, time()))
    assert isinstance(rule, rrule)  # one RRULE line, never a set
    return rule


def rrule_dates(text: str, first: date, after: date | None, until: date) -> list[date]:
    """The local dates of the rule, counted from `first` (its DTSTART), strictly after
    `after` (None: from the first) and up to `until` inclusive, ascending, each once
    (a rule with COUNT finer than daily gives a date once however many times it hits it)."""
    rule_text = normalise_rrule(text, first)
    rule = _build(rule_text, first)
    start = first if after is None else max(first, after + timedelta(days=1))
    if start > until:
        return []
    end = datetime.combine(until, time.max)
    with warnings.catch_warnings():
        # An UNTIL beside a COUNT is "deprecated" by dateutil but honoured: it stops the
        # search at `until` rather than at the year 9999 when no date comes after.
        warnings.simplefilter("ignore", DeprecationWarning)
        bounded = rule.replace(until=min(end, _until_of(rule_text) or end))
    hits = bounded.between(datetime.combine(start, time()), end, inc=True)
    return sorted({hit.date() for hit in hits})
