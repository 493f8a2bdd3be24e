"""From a contract's rows to the SLA engine's calendars and policy.

A contract's business calendar (its weekly hours, zone, public holidays and
own closed dates) decides two things: when its SLA clocks run (unless a
priority is round the clock) and which actions are out of hours (surcharged).
Building a country calendar costs the `holidays` lookups, so calendars and
policies are cached, keyed by every value they are built from: editing a
contract gives a new key, never a stale calendar.

Public holidays are also kept in a small JSON file between runs
(`use_holiday_file`): importing `holidays` and asking it about a country costs
a few tenths of a second at start. A year found in the file is taken from it;
any other year is asked of `holidays` as before, lazily, when the engine first
needs it, and saved with the others (`save_holiday_file`). So a missing year
is slower, never treated as a year without holidays.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from threading import Lock
from typing import Protocol, TypeVar

from msptui.core.sla import BusinessCalendar, SlaPolicy
from msptui.core.vocabulary import Priority, TicketStatus


# The board's fast read must not import the models (SQLAlchemy): it passes rows of its
# own with the same columns, so the calendars ask only for these.
class CalendarColumns(Protocol):
    """A contract's columns that its business calendar and SLA policy are built from."""

    @property
    def timezone(self) -> str: ...
    @property
    def business_hours(self) -> dict[str, list[list[str]]]: ...
    @property
    def holiday_country(self) -> str: ...
    @property
    def holiday_subdivision(self) -> str | None: ...
    @property
    def whit_monday_worked(self) -> bool: ...
    @property
    def extra_closed_dates(self) -> list[str]: ...
    @property
    def pause_on_third_party(self) -> bool: ...


class TargetColumns(Protocol):
    """An SLA target row: a priority's minutes per clock (None: no target), and whether it runs round the clock."""

    @property
    def priority(self) -> str: ...
    @property
    def response_minutes(self) -> int | None: ...
    @property
    def intervention_minutes(self) -> int | None: ...
    @property
    def resolution_minutes(self) -> int | None: ...
    @property
    def round_the_clock(self) -> bool: ...


CLOCK_COLUMNS = (
    ("response", "response_minutes"),
    ("intervention", "intervention_minutes"),
    ("resolution", "resolution_minutes"),
)

# What a contract's calendar is built from: zone, weekly hours, country, subdivision,
# Whit Monday worked, own closed dates (ISO days).
_CalendarKey = tuple[str, tuple[tuple[int, tuple[tuple[str, ...], ...]], ...], str, str | None, bool, tuple[str, ...]]
_Built = TypeVar("_Built", BusinessCalendar, SlaPolicy)

# Calendars and policies, keyed by their kind ("business", "always", "policy") then what they are built from.
_cache: dict[tuple[object, ...], object] = {}
_lock = Lock()


def _cached(key: tuple[object, ...], build: Callable[[], _Built], kind: type[_Built]) -> _Built:
    found = _cache.get(key)
    if found is None:
        value = build()  # outside the lock: a slow build must not block other threads
        with _lock:
            found = _cache.setdefault(key, value)
    if not isinstance(found, kind):  # keys start with their kind, so only a bug gets here
        raise TypeError(f"cached {type(found).__name__} under a {kind.__name__} key {key[0]!r}")
    return found


def _calendar_key(contract: CalendarColumns) -> _CalendarKey:
    hours = tuple(
        (int(day), tuple(tuple(span) for span in spans)) for day, spans in sorted(contract.business_hours.items())
    )
    return (
        contract.timezone,
        hours,
        contract.holiday_country,
        contract.holiday_subdivision or None,
        bool(contract.whit_monday_worked),
        tuple(sorted(str(d) for d in contract.extra_closed_dates)),
    )


def _span(day: int, span: tuple[str, ...]) -> tuple[str, str]:
    # The stored JSON is not typed: refuse a span that is not a pair, in the engine's words.
    if len(span) != 2:
        raise ValueError(f"weekday {day} {span!r}: expected a (start, end) pair of HH:MM")  # i18n: not shown
    return span


def business_calendar(contract: CalendarColumns) -> BusinessCalendar:
    """(`contract`: a Contract, or any row with its calendar columns.)

    The contract's business hours: its zone, weekly hours, public holidays of
    its country and subdivision, and its own closed dates. Raises ValueError
    (from the engine) if the contract's calendar is malformed."""
    key = ("business", *_calendar_key(contract))

    def build() -> BusinessCalendar:
        _tz, week, country, subdiv, whit, extra = key[1:]
        hours = {day: [_span(day, span) for span in spans] for day, spans in week}
        extra_closed = [date.fromisoformat(d) for d in extra]
        calendar = BusinessCalendar.for_country(
            country,
            subdiv,
            hours=hours,
            tz=contract.timezone,
            whit_monday_worked=whit,
            extra_closed=extra_closed,
            known_holidays=_stored_years(country, subdiv, whit),
        )
        _country_calendars.append((calendar, country, subdiv, whit))
        return calendar

    return _cached(key, build, BusinessCalendar)


# --- public holidays kept between runs ------------------------------------------------

_holiday_file: Path | None = None
_holidays: dict[str, dict[str, str]] = {}  # "FR|57|0|2026" -> {"2026-01-01": "Jour de l'an", ...}
# Each country calendar built, with what keys its years in the holiday file.
_country_calendars: list[tuple[BusinessCalendar, str, str | None, bool]] = []


def _holiday_key(country: str, subdiv: str | None, whit: bool, year: int) -> str:
    return f"{country}|{subdiv or ''}|{int(whit)}|{year}"


def use_holiday_file(path: Path) -> None:
    """Take public holidays from `path` (a JSON file written by `save_holiday_file`);
    a missing or unreadable file is only a slower start."""
    global _holiday_file
    try:
        path.parent.chmod(0o700)  # msptui's own cache folder (versions before 0.2 made it 0755)
    except OSError:
        pass  # not there yet: `save_holiday_file` makes it 0700
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = {}
    if not isinstance(found, dict):
        found = {}
    good = {}
    for key, names in found.items():
        try:  # a hand-edited or truncated entry is dropped (asked of `holidays` again), never trusted
            _, _, whit, year = key.split("|")
            int(whit), int(year), [date.fromisoformat(day) for day in names]
            if all(isinstance(name, str) for name in names.values()):
                good[key] = names
        except (AttributeError, TypeError, ValueError):
            continue
    with _lock:
        _holiday_file = path
        _holidays.update(good)


def _stored_years(country: str, subdiv: str | None, whit: bool) -> dict[int, dict[date, str]] | None:
    """The years of this country calendar found in the holiday file, None if none."""
    prefix = _holiday_key(country, subdiv, whit, 0)[:-1]
    years = {
        int(key[len(prefix) :]): {date.fromisoformat(day): name for day, name in names.items()}
        for key, names in list(_holidays.items())
        if key.startswith(prefix)
    }
    return years or None


def save_holiday_file() -> None:
    """Add to the holiday file the years the engine had to ask `holidays` about
    (atomically: a crash leaves the old file or the new one, never half of one)."""
    if _holiday_file is None:
        return
    added = {}
    for calendar, country, subdiv, whit in list(_country_calendars):
        for year, names in calendar.public_holidays_seen().items():
            key = _holiday_key(country, subdiv, whit, year)
            if key not in _holidays and key not in added:
                added[key] = {day.isoformat(): name for day, name in sorted(names.items())}
    if not added:
        return
    with _lock:
        _holidays.update(added)
        text = json.dumps(_holidays, sort_keys=True, ensure_ascii=False)
    from msptui.store.files.private import TargetRefused, write_private

    try:  # 0600 in a 0700 folder, like every file msptui writes
        write_private(_holiday_file, text.encode("utf-8"), replace=True)
    except (OSError, TargetRefused):
        pass  # only a faster start is lost


def always_calendar(tz: str) -> BusinessCalendar:
    """Open round the clock in zone `tz` (a priority marked round the clock)."""
    return _cached(("always", tz), lambda: BusinessCalendar.always(tz), BusinessCalendar)


def pausing_statuses(contract: CalendarColumns) -> frozenset[str]:
    """Waiting on the client always pauses; waiting on a third party only if the contract says so."""
    statuses = {TicketStatus.waiting_client.value}
    if contract.pause_on_third_party:
        statuses.add(TicketStatus.waiting_third_party.value)
    return frozenset(statuses)


def contract_policy(contract: CalendarColumns, targets: Iterable[TargetColumns]) -> SlaPolicy:
    """The SLA policy of a contract: targets per priority and clock (None where
    the contract sets none: that clock is not shown), the calendar each
    priority runs on (round the clock, or business hours), and which statuses
    pause the clocks. A priority without a target row has no SLA clocks."""
    rows = {t.priority: t for t in targets}
    target_key = tuple(
        (p, *(getattr(rows[p], column) for _clock, column in CLOCK_COLUMNS), bool(rows[p].round_the_clock))
        for p in sorted(rows)
    )
    key = ("policy", _calendar_key(contract), bool(contract.pause_on_third_party), target_key)

    def build() -> SlaPolicy:
        business = business_calendar(contract)
        per_priority: dict[str, dict[str, timedelta | None]] = {}
        calendars: dict[str, BusinessCalendar] = {}
        for priority in Priority:
            row = rows.get(priority.value)
            per_priority[priority.value] = {
                clock: (
                    None if row is None or getattr(row, column) is None else timedelta(minutes=getattr(row, column))
                )
                for clock, column in CLOCK_COLUMNS
            }
            round_the_clock = row is not None and row.round_the_clock
            calendars[priority.value] = always_calendar(contract.timezone) if round_the_clock else business
        return SlaPolicy(targets=per_priority, calendars=calendars, pausing_statuses=pausing_statuses(contract))

    return _cached(key, build, SlaPolicy)
