"""What the Tickets history's search box says: words, and the filters typed as `name:value`.

    imprimante dupont status:closed client:ACME from:2026-01-01 to:2026-03-31

Words are looked up in each ticket's title, description, notes and client
(any case, any accent). `status:` takes a status or `open` (every status
before resolved), by its first letters; `client:` a client's code or a part
of its name; `from:` and `to:` a date (2026-03-31), a month (2026-03) or a year,
both included, in the technician's zone. A filter still being typed (`from:2026-0`)
filters nothing yet and says what it expects.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

from msptui.core.i18n import N_, _
from msptui.core.rules.words import folded
from msptui.core.vocabulary import OPEN_TICKET_STATUSES, TicketStatus

FILTERS = ("status", "client", "from", "to")
HINT = N_("words, status:open|closed|…, client:CODE, from:2026-01-01 to:2026-03-31")  # translated where shown
# The values `status:` takes, as typed (stored words, the same in every language).
_STATUS_WORDS = ", ".join(["open", *(s.value for s in TicketStatus)])  # i18n: not shown


@dataclass(frozen=True, slots=True)
class TicketQuery:
    """A search of the ticket history, as typed (see the module's docstring)."""

    words: tuple[str, ...] = ()  # folded
    statuses: frozenset[str] | None = None  # None: any status
    client: str | None = None  # folded part of a client's code or name
    opened_from: int | None = None  # epoch seconds, included
    opened_before: int | None = None  # epoch seconds, excluded
    problems: tuple[str, ...] = ()  # one sentence per filter not understood (yet)

    @property
    def filters(self) -> tuple[frozenset[str] | None, str | None, int | None, int | None]:
        return self.statuses, self.client, self.opened_from, self.opened_before

    def describe(self) -> str:
        """The filters in force, in words ("" when none)."""
        said = []
        if self.statuses is not None:
            if self.statuses == OPEN_TICKET_STATUSES:
                said.append(_("open"))
            elif self.statuses:
                labels = sorted(TicketStatus(s).label.lower() for s in self.statuses)
                said.append(reduce(lambda a, b: _("{first} or {second}").format(first=a, second=b), labels))
        if self.client:
            said.append(_("client {name}").format(name=self.client))
        if self.opened_from is not None or self.opened_before is not None:
            said.append(_("opened in the dates given"))
        return ", ".join(said)


def parse_query(text: str, zone: ZoneInfo) -> TicketQuery:
    """The search typed in the box; dates are whole days in `zone` (the technician's)."""
    words: list[str] = []
    statuses: frozenset[str] | None = None
    client: str | None = None
    start: int | None = None
    before: int | None = None
    problems: list[str] = []
    for token in text.split():
        name, colon, value = token.partition(":")
        name = folded(name)
        if not colon or name not in FILTERS:
            words.append(folded(token))
            continue
        value = value.strip()
        if not value:
            continue  # still being typed
        if name == "status":
            found = _statuses(folded(value))
            if found is None:
                problems.append(
                    _("status:{value} is not a status ({statuses})").format(value=value, statuses=_STATUS_WORDS)
                )
                found = frozenset()
            statuses = found if statuses is None else statuses & found
        elif name == "client":
            client = folded(value)
        else:
            day = _days(value)
            if day is not None and not 1900 <= day[0].year <= 2999:
                day = None  # a ticket from year 9999 is a typing slip (and the day after it overflows)
            if day is None:
                problems.append(
                    _("{name}: needs a date like 2026-03-31 (or a month 2026-03, a year 2026)").format(name=name)
                )
            elif name == "from":
                start = _epoch(day[0], zone)
            else:
                before = _epoch(day[1] + timedelta(days=1), zone)
    return TicketQuery(tuple(words), statuses, client, start, before, tuple(problems))


def _statuses(value: str) -> frozenset[str] | None:
    if "open".startswith(value):
        return frozenset(OPEN_TICKET_STATUSES)
    value = value.replace(" ", "_")
    found = frozenset(s.value for s in TicketStatus if s.value.startswith(value))
    return found or None


def _days(value: str) -> tuple[date, date] | None:
    """The first and last day of a date, a month or a year; None if not one."""
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            year = int(parts[0])
            return date(year, 1, 1), date(year, 12, 31)
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, 1), date(year, month, monthrange(year, month)[1])
        if len(parts) == 3 and len(parts[2]) == 2:
            day = date.fromisoformat(value)
            return day, day
    except ValueError:
        return None
    return None


def _epoch(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time(0, 0), tzinfo=zone).timestamp())
