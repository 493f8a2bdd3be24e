"""Dates, numbers, money and durations as the current language writes them.

Babel knows how each locale writes a date or an amount ("lundi 23 novembre",
"1 234,50 €"); it costs about 0.1 s to load, so it is imported on the first
call, never by the board's first frame. The board's clock and cells use
`weekday_abbr` / `month_abbr` instead, whose names come from the gettext
catalogue (loaded anyway).

The language is `i18n.current_language()`: the interface's, or inside
`document_language(...)` the client's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from msptui.core.i18n import N_, _, current_language

# Babel's locale for each interface language: British English writes the day
# before the month and a 24-hour clock, as the rest of msptui does.
LOCALES = {"en": "en_GB", "fr": "fr_FR"}

_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def babel_locale() -> str:
    return LOCALES.get(current_language(), "en_GB")


def weekday_abbr(day: date) -> str:
    """ "Mon" / "lun.": cheap (no Babel), for the board."""
    return _(_WEEKDAYS[day.weekday()])


def month_abbr(day: date) -> str:
    """ "Nov" / "nov.": cheap (no Babel), for the board."""
    return _(_MONTHS[day.month - 1])


def money(amount: Decimal, currency: str) -> str:
    """ "€1,234.50" / "1 234,50 €"."""
    from babel.numbers import format_currency

    return str(format_currency(amount, currency, locale=babel_locale()))


def number(value: Decimal | int | float, *, places: int | None = None) -> str:
    """ "1,234.5" / "1 234,5"; with `places`, exactly that many decimals."""
    from babel.numbers import format_decimal

    if places is None:
        return str(format_decimal(value, locale=babel_locale()))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(value, format=pattern, locale=babel_locale()))


def long_date(day: date) -> str:
    """ "Monday 23 November 2026" / "lundi 23 novembre 2026"."""
    from babel.dates import format_date

    return str(format_date(day, "EEEE d MMMM y", locale=babel_locale()))


def day_month(day: date) -> str:
    """ "Monday 23 November" / "lundi 23 novembre"."""
    from babel.dates import format_date

    return str(format_date(day, "EEEE d MMMM", locale=babel_locale()))


def medium_date(day: date) -> str:
    """ "23 Nov 2026" / "23 nov. 2026"."""
    from babel.dates import format_date

    return str(format_date(day, "medium", locale=babel_locale()))


def month_year(day: date) -> str:
    """ "November 2026" / "novembre 2026"."""
    from babel.dates import format_date

    return str(format_date(day, "LLLL y", locale=babel_locale()))


def date_time(at: datetime) -> str:
    """A local date and time: "Mon 23 Nov 2026, 14:05" / "lun. 23 nov. 2026, 14:05".

    `at` must already be in the zone the reader lives in (`astimezone(zone)`).
    """
    from babel.dates import format_datetime

    return str(format_datetime(at, "EEE d MMM y, HH:mm", locale=babel_locale()))


def hours(duration: timedelta) -> str:
    """Worked or business time, never in days: "3h15", "45min" / "3 h 15", "45 min"."""
    minutes = int(duration.total_seconds() // 60) if duration >= timedelta(0) else -int(-duration.total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    french = current_language() == "fr"
    if not h:
        return f"{sign}{m} min" if french else f"{sign}{m}min"
    if french:
        return f"{sign}{h} h {m:02d}" if m else f"{sign}{h} h"
    return f"{sign}{h}h{m:02d}" if m else f"{sign}{h}h"


def join_words(items: list[Any]) -> str:
    """ "a, b and c" / "a, b et c"."""
    words = [str(i) for i in items]
    if len(words) < 2:
        return "".join(words)
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])
