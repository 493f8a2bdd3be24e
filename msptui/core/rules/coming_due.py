"""What comes due beside the tickets: recurring tasks, renewals, warranty ends,
certifications and data-breach notifications, each with a due instant and a lead time.

An item is "later" until its lead time opens, "warning" inside it, and "overdue" from
its due instant on (the same edge as an SLA clock: due at 18:00 is late at 18:00).
Instants are aware datetimes, kept in UTC; dates are local to the contract's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from msptui.core.formats import month_abbr, weekday_abbr
from msptui.core.i18n import _
from msptui.core.rules.recurrence import Schedule, due_instant, occurrences, zone_of
from msptui.core.rules.words import Word, as_utc

RENEWAL_HOUR = time(9, 0)  # a renewal comes due at the start of a working day, local time
GDPR_ART33_HOURS = 72  # the controller tells the supervisory authority within 72 h of becoming aware
# An SLA clock turns to warning once 75% of its target is used; a breach countdown does the same.
BREACH_WARNING_SHARE = 0.25


class DueKind(Word):
    recurring = "recurring"
    renewal = "renewal"
    warranty = "warranty"
    certification = "certification"
    breach = "breach"


class DueState(Word):
    later = "later"
    warning = "warning"
    overdue = "overdue"


@dataclass(frozen=True, slots=True)
class ComingDue:
    """One line of the board's "coming due" band. `due_at` is normalised to UTC (a naive
    datetime is refused); `lead` is how long before `due_at` it turns to warning."""

    kind: DueKind
    ref_id: int
    title: str
    client: str
    due_at: datetime
    lead: timedelta
    client_id: int | None = None  # the client it is for (None: the technician's own, a certification)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DueKind(self.kind))
        object.__setattr__(self, "due_at", as_utc("due_at", self.due_at))
        if self.lead < timedelta(0):
            raise ValueError(_("A lead time cannot be negative."))

    @property
    def opens_at(self) -> datetime:
        """From when it shows as a warning: its lead time before its due instant."""
        return self.due_at - self.lead


def state(item: ComingDue, now: datetime) -> DueState:
    """later before `opens_at`; warning from `opens_at` (inclusive) to `due_at` (exclusive);
    overdue from `due_at` on. A zero lead time goes straight from later to overdue."""
    at = as_utc("now", now)
    if at >= item.due_at:
        return DueState.overdue
    return DueState.warning if at >= item.opens_at else DueState.later


def by_due_instant(items: Iterable[ComingDue]) -> list[ComingDue]:
    """The band's order: soonest due first; ties by kind, then title, then ref_id (stable on screen)."""
    return sorted(items, key=lambda i: (i.due_at, i.kind.value, i.title, i.ref_id))


# --- renewals ---------------------------------------------------------------------------------


def renewal_due(expiry: date, notice_days: int, tz: tzinfo | str) -> datetime:
    """When a renewal (licence, certificate, domain, warranty, certification) comes due:
    `notice_days` before its expiry date, at 09:00 local time in `tz`, as UTC."""
    if isinstance(notice_days, bool) or not isinstance(notice_days, int) or notice_days < 0:
        raise ValueError(_("The notice period is a whole number of days, 0 or more."))
    return due_instant(expiry - timedelta(days=notice_days), RENEWAL_HOUR, tz)


# --- data breaches ----------------------------------------------------------------------------


def notification_due(discovered_at: datetime, hours: int) -> datetime:
    """The instant by which the client must be told of a breach: `hours` (the contract's
    breach-notification delay; GDPR art. 33 gives the controller 72 h towards the
    authority) after its discovery, in UTC, counted in real hours (nights and weekends too)."""
    if isinstance(hours, bool) or not isinstance(hours, int) or hours <= 0:
        raise ValueError(_("The breach notification delay is a whole number of hours, 1 or more."))
    return as_utc("discovered_at", discovered_at) + timedelta(hours=hours)


def breach_lead(hours: int) -> timedelta:
    """The warning share of a breach countdown: its last quarter, as an SLA clock's 75%."""
    return timedelta(hours=hours) * BREACH_WARNING_SHARE


def _span(delta: timedelta) -> str:
    """Rounded down: "2 d 3 h", "5 h 20 min", "12 min", "under a minute"."""
    minutes = int(delta.total_seconds()) // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours) if hours else _("{days} d").format(days=days)
    if hours:
        return (
            _("{hours} h {minutes} min").format(hours=hours, minutes=mins)
            if mins
            else _("{hours} h").format(hours=hours)
        )
    return _("{minutes} min").format(minutes=mins) if mins else _("under a minute")


def _wall_clock(instant: datetime, now: datetime, tz: tzinfo | str) -> str:
    zone = zone_of(tz)
    local = instant.astimezone(zone)
    if abs(now - instant) < timedelta(days=6):
        # "Tue 18:00": as the board says of a late SLA clock
        return f"{weekday_abbr(local)} {local:%H:%M}"
    return f"{local.day} {month_abbr(local)} {local:%Y %H:%M}"


def countdown_words(due_at: datetime, now: datetime, tz: tzinfo | str) -> str:
    """ "due in 2 d 3 h" before the due instant; "late since Tue 18:00" from it on (local
    wall-clock in `tz`; "late since 3 Mar 2026 09:00" when it is a week or more ago)."""
    due, at = as_utc("due_at", due_at), as_utc("now", now)
    if at < due:
        return _("due in {span}").format(span=_span(due - at))
    return _("late since {when}").format(when=_wall_clock(due, at, tz))


def breach_countdown_words(
    discovered_at: datetime, hours: int, now: datetime, tz: tzinfo | str, notified_at: datetime | None = None
) -> str:
    """The breach register's countdown, from discovery and the contract's delay in hours:

    - "notify the client within 70 h 10 min" while the delay runs;
    - "notification late since Thu 14:20" once it is over and the client was not told;
    - "client notified 30 h after discovery" or "... 80 h after discovery, 8 h late" once told.
    """
    due = notification_due(discovered_at, hours)
    at = as_utc("now", now)
    if notified_at is not None:
        told = as_utc("notified_at", notified_at)
        after = _span(max(told - as_utc("discovered_at", discovered_at), timedelta(0)))
        if told > due:
            return _("client notified {after} after discovery, {late} late").format(after=after, late=_span(told - due))
        return _("client notified {after} after discovery").format(after=after)
    if at < due:
        return _("notify the client within {span}").format(span=_span(due - at))
    return _("notification late since {when}").format(when=_wall_clock(due, at, tz))


# --- recurring tasks: what to create now ------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Occurrence:
    """One date of a recurring task to turn into a ticket; `late` when that date had
    passed before the ticket could be created (msptui was not running)."""

    due_on: date
    late: bool


def missed_occurrences(last_created: date | None, due_dates: Iterable[date], today: date) -> list[Occurrence]:
    """The occurrences to create now, each once, ascending: the `due_dates` after the last
    one created (None: none yet) and not after `today`; late when before `today`."""
    todo = sorted({d for d in due_dates if (last_created is None or d > last_created) and d <= today})
    return [Occurrence(d, d < today) for d in todo]


def occurrences_to_create(
    schedule: Schedule, first: date, at: time, tz: tzinfo | str, last_created: date | None, now: datetime
) -> list[Occurrence]:
    """What a run of msptui at `now` creates for one task: every date after `last_created`
    whose due instant (`at` on that date in `tz`) has come; late when its local date is
    before today's. Runs on any days, each creating what this returns and remembering the
    newest date created, create every occurrence exactly once (tests/test_coming_due_rules.py)."""
    instant = as_utc("now", now)
    today = instant.astimezone(zone_of(tz)).date()
    dates = occurrences(schedule, first, last_created, today)
    return missed_occurrences(last_created, [d for d in dates if due_instant(d, at, tz) <= instant], today)
