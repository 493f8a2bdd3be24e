"""Out-of-hours work: what is surcharged, and what is outside the contract.

The one place that decides how an action on a ticket stands against the
contract's out-of-hours terms; the store stores its answer on the event when
the action happens (what was billed or flagged never changes afterwards), and
the board, the explain view and exports read that stored answer.

- Only the technician's work can be out of hours: a change of status made by
  the technician (acknowledging, starting an intervention, waiting, resuming,
  resolving, closing, reopening) and, later, time logged. The client opening
  a ticket, a note and a change of priority (re-rating the ticket, not work
  on it) are never out of hours, whatever the hour.
- Work outside the contract's business hours is surcharged only when the
  contract offers out-of-hours service and the ticket's priority at that
  moment is one the service covers. "The priorities it covers" is a set kept
  on the contract (`Contract.out_of_hours_priorities`), P1 by default when
  the service is offered; it is separate from the SLA targets' "round the
  clock" flag, which says when the SLA clocks run, not what is sold.
- Any other work outside business hours is "outside the contract": never
  surcharged, flagged for the technician to decide (goodwill or billable
  extra).
- A ticket without a contract has no business hours to be outside of: its
  work is "in hours" here (the whole ticket is billable anyway).

Pure: standard library, `msptui.core.i18n` and `msptui.core.rules.words` only.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from msptui.core.i18n import _
from msptui.core.rules.words import Word

#: The priorities an out-of-hours service covers when the contract does not say.
DEFAULT_COVERED = ("P1",)


class WorkKind(Word):
    """What an event on a ticket is, as far as out-of-hours billing goes."""

    opened = "opened"  # the client (or the technician for them) opens the ticket
    note = "note"
    priority = "priority"
    status = "status"  # the technician's action changing the ticket's status
    time = "time"  # time logged on the ticket (time entries come in a later release)


#: The kinds that are the technician's work on a ticket.
TECHNICIAN_WORK = frozenset({WorkKind.status, WorkKind.time})


class HoursClass(Word):
    """How an event stands against the contract's hours; stored on the event."""

    in_hours = "in_hours"
    surcharged = "surcharged"
    outside_contract = "outside_contract"


@dataclass(frozen=True, slots=True)
class OutOfHoursTerms:
    """What a contract sells outside its business hours."""

    offered: bool
    surcharge_pct: int = 0
    covered: frozenset[str] = frozenset()

    @classmethod
    def of(cls, offered: bool, surcharge_pct: int | None, covered: Collection[str] | None) -> OutOfHoursTerms:
        """Terms from a contract's columns; an offered service covering nothing covers DEFAULT_COVERED."""
        if not offered:
            return cls(False, 0, frozenset())
        return cls(True, int(surcharge_pct or 0), frozenset(covered or DEFAULT_COVERED))

    def covers(self, priority: str) -> bool:
        return self.offered and priority in self.covered


@dataclass(frozen=True, slots=True)
class Classification:
    """The answer: `hours_class`, and the surcharge in force (0 unless surcharged)."""

    hours_class: HoursClass
    surcharge_pct: int = 0

    @property
    def out_of_hours(self) -> bool:
        return self.hours_class is not HoursClass.in_hours

    @property
    def words(self) -> str:
        """'in hours', 'out of hours, +25 %' (or 'out of hours, no surcharge'), 'outside the contract'."""
        return describe(self.hours_class, self.surcharge_pct)


IN_HOURS = Classification(HoursClass.in_hours)


def classify(
    kind: WorkKind | str,
    outside_business_hours: bool,
    terms: OutOfHoursTerms | None,
    priority: str,
) -> Classification:
    """How one event stands: in hours, surcharged at the contract's percent, or outside the contract.

    `kind` is the event's WorkKind (or its value); `outside_business_hours`
    whether its instant lies outside the contract's business calendar;
    `terms` the contract's out-of-hours terms (None: no contract);
    `priority` the ticket's priority when the event happens. Unknown kinds
    raise ValueError.
    """
    kind = WorkKind(kind)
    if terms is None or kind not in TECHNICIAN_WORK or not outside_business_hours:
        return IN_HOURS
    if terms.covers(priority):
        return Classification(HoursClass.surcharged, terms.surcharge_pct)
    return Classification(HoursClass.outside_contract)


def describe(hours_class: HoursClass | str, surcharge_pct: int = 0) -> str:
    """The classification in words (current language), for the board, the explain view and exports."""
    hours_class = HoursClass(hours_class)
    if hours_class is HoursClass.surcharged:
        if surcharge_pct:
            return _("out of hours, +{percent} %").format(percent=surcharge_pct)
        return _("out of hours, no surcharge")
    if hours_class is HoursClass.outside_contract:
        return _("outside the contract")
    return _("in hours")


def summarise(classes: Collection[tuple[str, int]], *, short: bool = False) -> str:
    """A ticket's out-of-hours work in one phrase, from its events' (hours_class, surcharge_pct).

    '☾ 2 out of hours, +25 %', '☾ 1 outside the contract: goodwill or billable
    extra, your call' (`short`: '☾ 1 outside the contract', for the board's
    one line), both joined by ' · '; '' when every event is in hours.
    Surcharges that differ between events (the contract changed) are listed:
    '+25/50 %'.
    """
    surcharged = sorted({pct for c, pct in classes if c == HoursClass.surcharged})
    n_surcharged = sum(1 for c, _pct in classes if c == HoursClass.surcharged)
    n_outside = sum(1 for c, _pct in classes if c == HoursClass.outside_contract)
    parts = []
    if n_surcharged:
        if any(surcharged):
            pcts = "/".join(str(p) for p in surcharged)
            parts.append(_("☾ {count} out of hours, +{percent} %").format(count=n_surcharged, percent=pcts))
        else:
            parts.append(_("☾ {count} out of hours, no surcharge").format(count=n_surcharged))
    if n_outside:
        if short:
            parts.append(_("☾ {count} outside the contract").format(count=n_outside))
        else:
            parts.append(
                _("☾ {count} outside the contract: goodwill or billable extra, your call").format(count=n_outside)
            )
    return " · ".join(parts)
