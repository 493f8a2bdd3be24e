"""When a recurring task comes due: its schedule, the local dates it gives, the instant of each.

A schedule gives local dates in the contract's time zone; the task's time of day turns
a date into an instant (`due_instant`). Dates, not instants, are what is counted, so a
DST change never makes an occurrence vanish or come twice.

- every N days, counted from the first date;
- every N weeks on some weekdays (weeks start on Monday; the first date's week is week 0);
- every N months on a day of the month: the 31st is the last day of shorter months
  (30 April, 28 or 29 February), never skipped;
- an RRULE (RFC 5545, the parts that choose days), expanded by `msptui.core.rrule`.

Standard library and `msptui.core.i18n` only: the RRULE kind is imported on first use (see `msptui/core/rrule.py`).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msptui.core.i18n import N_, _, current_language, ngettext
from msptui.core.rules.words import Word

MAX_INTERVAL = 999
WEEKDAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


class ScheduleKind(Word):
    days = "days"
    weeks = "weeks"
    months = "months"
    rrule = "rrule"


@dataclass(frozen=True, slots=True)
class Schedule:
    """How often a recurring task comes due. ValueError with a sentence when it makes no sense.

    `weekdays` (0 = Monday ... 6 = Sunday) only for `weeks`, empty meaning the first
    date's weekday; `day_of_month` (1-31) only for `months`, None meaning the first
    date's day; `rrule` only (and required) for `rrule`, stored in its canonical spelling.
    """

    kind: ScheduleKind
    interval: int = 1
    weekdays: tuple[int, ...] = field(default=())
    day_of_month: int | None = None
    rrule: str | None = None

    def __post_init__(self) -> None:
        try:
            kind = ScheduleKind(self.kind)
        except ValueError:
            raise ValueError(
                _("A schedule repeats every days, weeks, months or by an RRULE, not {kind}.").format(
                    kind=repr(self.kind)
                )
            ) from None
        object.__setattr__(self, "kind", kind)
        if isinstance(self.interval, bool) or not isinstance(self.interval, int):
            raise ValueError(_("The interval is a whole number, such as 1 or 2."))
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise ValueError(
                _("The interval is 1 to {most} (every 1 month, every 2 weeks...).").format(most=MAX_INTERVAL)
            )
        weekdays = tuple(sorted(set(self.weekdays)))
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
            raise ValueError(_("Weekdays are 0 (Monday) to 6 (Sunday)."))
        object.__setattr__(self, "weekdays", weekdays)
        if weekdays and kind is not ScheduleKind.weeks:
            raise ValueError(_("Weekdays go with a weekly schedule only."))
        if self.day_of_month is not None:
            if kind is not ScheduleKind.months:
                raise ValueError(_("A day of the month goes with a monthly schedule only."))
            if isinstance(self.day_of_month, bool) or not 1 <= self.day_of_month <= 31:
                raise ValueError(_("The day of the month is 1 to 31 (31: the last day of shorter months)."))
        if kind is ScheduleKind.rrule:
            if self.rrule is None or not self.rrule.strip():
                raise ValueError(_("An RRULE schedule needs its rule, such as FREQ=MONTHLY;BYMONTHDAY=-1."))
            if self.interval != 1:
                raise ValueError(_("An RRULE schedule gives its interval inside the rule (INTERVAL=2)."))
            from msptui.core.rrule import normalise_rrule

            object.__setattr__(self, "rrule", normalise_rrule(self.rrule))
        elif self.rrule is not None:
            raise ValueError(_("An RRULE goes with an RRULE schedule only."))

    def to_json(self) -> dict[str, object]:
        """The stored form: kind, interval, weekdays, day_of_month, rrule."""
        return {
            "kind": self.kind.value,
            "interval": self.interval,
            "weekdays": list(self.weekdays),
            "day_of_month": self.day_of_month,
            "rrule": self.rrule,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Schedule:
        """The schedule from its stored form; ValueError with a sentence when it is not one."""
        interval = data.get("interval", 1)
        weekdays = data.get("weekdays") or ()
        day = data.get("day_of_month")
        rule = data.get("rrule")
        if not isinstance(interval, int) or not isinstance(weekdays, list | tuple):
            raise ValueError(_("The stored schedule is damaged: interval or weekdays have the wrong type."))
        if (day is not None and not isinstance(day, int)) or (rule is not None and not isinstance(rule, str)):
            raise ValueError(_("The stored schedule is damaged: day_of_month or rrule have the wrong type."))
        return cls(ScheduleKind(str(data.get("kind"))), interval, tuple(weekdays), day, rule)

    def describe(self) -> str:
        """The schedule in words, in the current language: "every 2 weeks on Mon, Thu",
        "every month on the 31st (or the last day)"."""
        n = self.interval
        if self.kind is ScheduleKind.days:
            return _("every day") if n == 1 else ngettext("every {count} day", "every {count} days", n).format(count=n)
        if self.kind is ScheduleKind.weeks:
            if not self.weekdays:
                if n == 1:
                    return _("every week on the first date's weekday")
                return ngettext(
                    "every {count} week on the first date's weekday",
                    "every {count} weeks on the first date's weekday",
                    n,
                ).format(count=n)
            days = ", ".join(_(WEEKDAY_NAMES[d]) for d in self.weekdays)
            if n == 1:
                return _("every week on {days}").format(days=days)
            return ngettext("every {count} week on {days}", "every {count} weeks on {days}", n).format(
                count=n, days=days
            )
        if self.kind is ScheduleKind.months:
            if self.day_of_month is None:
                if n == 1:
                    return _("every month on the first date's day")
                return ngettext(
                    "every {count} month on the first date's day", "every {count} months on the first date's day", n
                ).format(count=n)
            day = _ordinal(self.day_of_month)
            if self.day_of_month > 28:
                if n == 1:
                    return _("every month on the {day} (or the last day)").format(day=day)
                return ngettext(
                    "every {count} month on the {day} (or the last day)",
                    "every {count} months on the {day} (or the last day)",
                    n,
                ).format(count=n, day=day)
            if n == 1:
                return _("every month on the {day}").format(day=day)
            return ngettext("every {count} month on the {day}", "every {count} months on the {day}", n).format(
                count=n, day=day
            )
        return f"RRULE {self.rrule}"


def _ordinal(n: int) -> str:
    """A day of the month as the current language says it: "1st", "31st" / "1er", "31"."""
    if current_language() == "fr":
        return "1er" if n == 1 else str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _month_day(year: int, month: int, day: int) -> date:
    # The 31st (or 29th, 30th) in a shorter month is its last day: a monthly check is never skipped.
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrences(schedule: Schedule, first: date, after: date | None, until: date) -> list[date]:
    """The local dates on which the task comes due, counted from `first` (never before it),
    strictly after `after` (None: nothing created yet) and up to `until` inclusive;
    ascending, each date once. Callers keep the window reasonable (days to a few years)."""
    start = first if after is None else max(first, after + timedelta(days=1))
    if start > until:
        return []
    if schedule.kind is ScheduleKind.rrule:
        from msptui.core.rrule import rrule_dates

        assert schedule.rrule is not None  # checked by Schedule
        return rrule_dates(schedule.rrule, first, after, until)
    n = schedule.interval
    found: list[date] = []
    if schedule.kind is ScheduleKind.days:
        # The k-th occurrence is first + k*n; begin at the first k whose date is >= start.
        k = -(-(start - first).days // n)
        day = first + timedelta(days=k * n)
        while day <= until:
            found.append(day)
            if (until - day).days < n:
                break
            day += timedelta(days=n)
        return found
    if schedule.kind is ScheduleKind.weeks:
        weekdays = schedule.weekdays or (first.weekday(),)
        monday0 = first - timedelta(days=first.weekday())
        week = (start - monday0).days // 7 // n * n  # the period that holds `start`
        while True:
            monday = monday0 + timedelta(weeks=week)
            if monday > until:
                return found
            found += [d for d in (monday + timedelta(days=w) for w in weekdays) if start <= d <= until]
            week += n
    dom = schedule.day_of_month or first.day
    month0 = first.year * 12 + first.month - 1
    k = max(0, (start.year * 12 + start.month - 1 - month0) // n * n)
    while True:
        year, month = divmod(month0 + k, 12)
        if date(year, month + 1, 1) > until:
            return found
        day = _month_day(year, month + 1, dom)
        if start <= day <= until:
            found.append(day)
        k += n


def next_occurrence(schedule: Schedule, first: date, after: date | None, horizon_days: int = 3660) -> date | None:
    """The first date due strictly after `after` (None: the first one), looking up to
    `horizon_days` ahead of `after`/`first`; None when the schedule has ended (an RRULE's
    COUNT or UNTIL) or comes later than that."""
    base = first if after is None else max(first, after)
    dates = occurrences(schedule, first, after, base + timedelta(days=horizon_days))
    return dates[0] if dates else None


def zone_of(tz: tzinfo | str) -> tzinfo:
    """The time zone itself, or the IANA zone called `tz`; ValueError naming it when unknown."""
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            _("Unknown time zone {zone}: use an IANA name such as Europe/Paris.").format(zone=repr(tz))
        ) from None


def due_instant(day: date, at: time, tz: tzinfo | str) -> datetime:
    """The UTC instant at which an occurrence of `day` is due: `at` on that local date in `tz`.

    Across DST changes (RFC 5545's reading): a time inside a spring-forward gap moves
    forward by the gap (02:30 on the last Sunday of March in Paris is 03:30 CEST); a time
    that happens twice in autumn is the first of the two (02:30 CEST, not CET).
    """
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone_of(tz))
    # fold=0 takes the offset in force before the change: first in a repeat, forward in a gap.
    return local.astimezone(UTC)


def opens_at(due_at: datetime, lead: timedelta) -> datetime:
    """When an item starts to show as coming due: its lead time before its due instant."""
    if lead < timedelta(0):
        raise ValueError(_("A lead time cannot be negative."))
    return due_at - lead
