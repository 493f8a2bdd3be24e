"""Dates, numbers, money and durations as each language writes them (Babel), and the board's cheap names."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from msptui.core import formats
from msptui.core.i18n import document_language

NNBSP, NBSP = "\u202f", "\u00a0"
MONDAY = date(2026, 11, 23)


def test_money_and_dates_in_english():
    assert formats.money(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert formats.long_date(MONDAY) == "Monday 23 November 2026"
    assert formats.day_month(MONDAY) == "Monday 23 November"
    assert formats.medium_date(MONDAY) == "23 Nov 2026"
    paris = datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert formats.date_time(paris) == "Mon 23 Nov 2026, 14:05"


def test_money_and_dates_in_french(french):
    assert formats.money(Decimal("1234.5"), "EUR") == f"1{NNBSP}234,50{NBSP}€"
    assert formats.long_date(MONDAY) == "lundi 23 novembre 2026"
    assert formats.day_month(MONDAY) == "lundi 23 novembre"
    assert formats.number(Decimal("1234.5"), places=2) == f"1{NNBSP}234,50"
    assert (formats.weekday_abbr(MONDAY), formats.month_abbr(MONDAY)) == ("lun.", "nov.")


def test_a_french_document_writes_french_while_the_interface_stays_english():
    with document_language("fr"):
        assert formats.hours(timedelta(hours=3, minutes=15)) == "3 h 15"
        assert formats.join_words(["a", "b", "c"]) == "a, b et c"
    assert formats.hours(timedelta(hours=3, minutes=15)) == "3h15"
    assert formats.join_words(["a", "b", "c"]) == "a, b and c"


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=9999)))
def test_worked_time_in_words_keeps_every_whole_minute(duration):
    whole_minutes = int(duration.total_seconds() // 60)
    for language in ("en", "fr"):
        with document_language(language):
            words = formats.hours(duration)
        found = re.fullmatch(r"(?:(\d+) ?h(?: ?(\d\d))?|(\d+) ?min)", words)
        assert found, words
        hours, minutes, only_minutes = found.groups()
        total = int(only_minutes) if only_minutes else int(hours) * 60 + int(minutes or 0)
        assert total == whole_minutes
