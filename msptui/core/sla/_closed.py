"""Closed dates: a country's public holidays plus a contract's own dates.

`holidays` costs about 0.3 s to import, so it is imported only when a
country calendar first needs a year, never at module import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from threading import Lock

from msptui.core.i18n import N_, _, ngettext

# The name of a contract's closed date given without one; stored in English, shown as `_(CONTRACT_CLOSED)`.
CONTRACT_CLOSED = N_("closed (contract)")


@cache
def _country_year(country: str, subdiv: str | None, year: int) -> Mapping[date, str]:
    import holidays  # lazy: see module docstring

    found = holidays.country_holidays(country, subdiv=subdiv, years=year)
    return {day: "; ".join(found.get_list(day)) for day in found}


def check_country(country: str, subdiv: str | None) -> None:
    """ValueError when `holidays` does not know the country or subdivision."""
    import holidays  # lazy: see module docstring

    try:
        known = holidays.country_holidays(country)
    except (NotImplementedError, KeyError, AttributeError):
        raise ValueError(f"unknown country {country!r} for public holidays") from None  # i18n: not shown
    if subdiv is not None and subdiv not in known.subdivisions:
        try:
            holidays.country_holidays(country, subdiv=subdiv)
        except (NotImplementedError, KeyError, ValueError):
            choices = ", ".join(known.subdivisions) or "none"
            raise ValueError(  # i18n: not shown (store/schemas checks the country first)
                f"unknown subdivision {subdiv!r} of {country!r} (known: {choices})"
            ) from None


def _easter(year: int) -> date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the computus' usual name
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    day = (h + l - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def whit_monday(year: int) -> date:
    """Whit Monday (Lundi de Pentecôte): Western Easter + 50 days."""
    return _easter(year) + timedelta(days=50)


def named_dates(dates: Iterable[date] | Mapping[date, str], default: str) -> dict[date, str]:
    """Dates given as a plain iterable or as a date -> name mapping."""
    if isinstance(dates, Mapping):
        items = list(dates.items())
    else:
        items = [(day, default) for day in dates]
    result = {}
    for day, name in items:
        if not isinstance(day, date) or hasattr(day, "hour"):
            raise ValueError(f"closed date {day!r} must be a datetime.date")  # i18n: not shown
        result[day] = str(name)
    return result


class ClosedDates:
    """Which local dates are closed, per year, cached as frozensets."""

    __slots__ = ("country", "subdiv", "whit_monday_worked", "explicit", "_years", "_public", "_lock")

    def __init__(
        self,
        country: str | None,
        subdiv: str | None,
        whit_monday_worked: bool,
        explicit: Mapping[date, str],
        known_public: Mapping[int, Mapping[date, str]] | None = None,
    ) -> None:
        self.country = country
        self.subdiv = subdiv
        self.whit_monday_worked = whit_monday_worked
        self.explicit = dict(explicit)
        self._years: dict[int, tuple[frozenset[date], Mapping[date, str]]] = {}
        # The country's own holidays per year (Whit Monday rule applied), without
        # the contract's dates: given by the caller, or asked of `holidays`.
        self._public: dict[int, dict[date, str]] = {y: dict(n) for y, n in (known_public or {}).items()}
        self._lock = Lock()

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.country,
            self.subdiv,
            self.whit_monday_worked,
            frozenset(self.explicit.items()),
        )

    def describe(self) -> str:
        """ "public holidays FR-57 (Whit Monday worked), 3 closed dates of the contract" or similar,
        in the current language."""
        parts = []
        if self.country:
            where = self.country + (f"-{self.subdiv}" if self.subdiv else "")
            if self.whit_monday_worked:
                parts.append(_("public holidays {where} (Whit Monday worked)").format(where=where))
            else:
                parts.append(_("public holidays {where}").format(where=where))
        if self.explicit:
            count = len(self.explicit)
            parts.append(
                ngettext("{count} closed date of the contract", "{count} closed dates of the contract", count).format(
                    count=count
                )
            )
        return ", ".join(parts) or _("no closed dates")

    def _year(self, year: int) -> tuple[frozenset[date], Mapping[date, str]]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        with self._lock:
            names: dict[date, str] = dict(self._public_year(year))
            for day, name in self.explicit.items():
                if day.year == year:
                    names[day] = name
            cached = (frozenset(names), names)
            self._years[year] = cached
        return cached

    def _public_year(self, year: int) -> dict[date, str]:
        found = self._public.get(year)
        if found is None:
            found = {}
            if self.country:
                found.update(_country_year(self.country, self.subdiv, year))
                if self.whit_monday_worked:
                    whit = whit_monday(year)
                    # Keep the day closed if another holiday falls on it.
                    if whit in found and ";" not in found[whit]:
                        del found[whit]
            self._public[year] = found
        return found

    def public_years(self) -> dict[int, dict[date, str]]:
        """The country's holidays of every year looked up so far (contract dates left out)."""
        return {year: dict(names) for year, names in list(self._public.items())}

    def for_year(self, year: int) -> frozenset[date]:
        """Closed dates of `year` (may include a neighbouring year's observed day)."""
        return self._year(year)[0]

    def name(self, day: date) -> str | None:
        """Why `day` is closed, or None when it is not."""
        for year in (day.year, day.year - 1, day.year + 1):
            found = self._year(year)[1].get(day)
            if found is not None:
                return found
        return None
