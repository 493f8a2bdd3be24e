"""From a contract's rows to the SLA engine's calendars and policy.

A contract's business calendar (its weekly hours, zone, public holidays and
own closed dates) decides two things: when its SLA clocks run (unless a
priority is round the clock) and which actions are out of hours (surcharged).
Building a country calendar costs the `holidays` lookups, so calendars and
policies are cached, keyed by every value they are built from: editing a
contract gives a new key, never a stale calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from threading import Lock

from msptui.sla import BusinessCalendar, SlaPolicy
from msptui.store.models import Contract, SlaTarget
from msptui.vocab import Priority, TicketStatus

CLOCK_COLUMNS = (
    ("response", "response_minutes"),
    ("intervention", "intervention_minutes"),
    ("resolution", "resolution_minutes"),
)

_cache: dict[tuple, object] = {}
_lock = Lock()


def _cached(key: tuple, build):  # noqa: ANN001, ANN202
    found = _cache.get(key)
    if found is None:
        value = build()  # outside the lock: a slow build must not block other threads
        with _lock:
            found = _cache.setdefault(key, value)
    return found


def _calendar_key(contract: Contract) -> tuple:
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


def business_calendar(contract: Contract) -> BusinessCalendar:
    """(`contract`: a Contract, or any row with its calendar columns.)

    The contract's business hours: its zone, weekly hours, public holidays of
    its country and subdivision, and its own closed dates. Raises ValueError
    (from the engine) if the contract's calendar is malformed."""
    key = ("business", *_calendar_key(contract))

    def build() -> BusinessCalendar:
        _tz, hours, country, subdiv, whit, extra = key[1:]
        return BusinessCalendar.for_country(
            country,
            subdiv,
            hours={day: list(spans) for day, spans in hours},
            tz=contract.timezone,
            whit_monday_worked=whit,
            extra_closed=[date.fromisoformat(d) for d in extra],
        )

    return _cached(key, build)


def always_calendar(tz: str) -> BusinessCalendar:
    """Open round the clock in zone `tz` (a priority marked round the clock)."""
    return _cached(("always", tz), lambda: BusinessCalendar.always(tz))


def pausing_statuses(contract: Contract) -> frozenset[str]:
    """Waiting on the client always pauses; waiting on a third party only if the contract says so."""
    statuses = {TicketStatus.waiting_client.value}
    if contract.pause_on_third_party:
        statuses.add(TicketStatus.waiting_third_party.value)
    return frozenset(statuses)


def contract_policy(contract: Contract, targets: Iterable[SlaTarget]) -> SlaPolicy:
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
                clock: (None if row is None or getattr(row, column) is None else timedelta(minutes=getattr(row, column)))
                for clock, column in CLOCK_COLUMNS
            }
            round_the_clock = row is not None and row.round_the_clock
            calendars[priority.value] = always_calendar(contract.timezone) if round_the_clock else business
        return SlaPolicy(targets=per_priority, calendars=calendars, pausing_statuses=pausing_statuses(contract))

    return _cached(key, build)
