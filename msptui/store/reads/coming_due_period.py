"""What a client's service report says of issue 18's items over one period (a month):
the recurring tasks due in it, done or missed, and the data breaches notified in it.

- A recurring task's occurrence is "done" when its ticket is resolved (or closed) now;
  "missed" when it is due in the period (up to `now`) and its ticket is still open, or
  it has no ticket at all (msptui has not made it yet). The period's days come from the
  task's schedule (`core.rules.recurrence`), in the task's zone.
- A breach counts in the period of its notification, with whether it was told within
  the contract's delay (`core.rules.coming_due.notification_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session, col

from msptui.core.rules.coming_due import notification_due
from msptui.core.rules.recurrence import due_instant, occurrences
from msptui.core.sla.ticket import RESOLVED
from msptui.store.breaches import current_breaches
from msptui.store.models import RecurringOccurrence, RecurringTask, Ticket, TicketEvent, saved_id


@dataclass(frozen=True, slots=True)
class RecurringInPeriod:
    due_on: date  # in the task's zone
    title: str
    ticket_id: int | None  # None: no ticket made (yet)
    resolved_on: date | None  # the ticket's last resolution, in the client's zone; None while open
    late: bool  # its ticket was made after its day


@dataclass(frozen=True, slots=True)
class BreachNotified:
    breach_id: int  # the breach's first record, as the register names it
    discovered_at: datetime  # UTC
    notified_at: datetime  # UTC
    notified_how: str
    description: str
    data_concerned: str
    notification_hours: int
    within_delay: bool


def recurring_in_period(
    s: Session, client_id: int, first_day: date, last_day: date, zone: ZoneInfo, now: datetime
) -> tuple[tuple[RecurringInPeriod, ...], tuple[RecurringInPeriod, ...]]:
    """(done, missed) occurrences of the client's tasks due from `first_day` to `last_day`, by day."""
    from msptui.store.recurring import _at, owed_after, schedule_of, task_zone

    done: list[RecurringInPeriod] = []
    missed: list[RecurringInPeriod] = []
    tasks = list(s.scalars(select(RecurringTask).where(col(RecurringTask.client_id) == client_id)))
    if not tasks:
        return (), ()
    made = {
        (o.task_id, o.due_on): o
        for o in s.scalars(
            select(RecurringOccurrence).where(col(RecurringOccurrence.task_id).in_([saved_id(t) for t in tasks]))
        )
    }
    tickets = {
        saved_id(t): t
        for t in s.scalars(select(Ticket).where(col(Ticket.id).in_([o.ticket_id for o in made.values()])))
    }
    for task in tasks:
        task_id, task_tz = saved_id(task), task_zone(s, task)
        registered = owed_after(task, None, task_tz)
        days = occurrences(schedule_of(task.schedule), task.first_on, first_day - timedelta(days=1), last_day)
        for day in days:
            occurrence = made.get((task_id, day))
            if occurrence is None:
                # Not made: missed if it was owed (after the task was registered), due by now,
                # and the task runs (a stopped task owes nothing).
                owed = registered is None or day > registered
                if owed and task.active and due_instant(day, _at(task), task_tz) <= now:
                    missed.append(RecurringInPeriod(day, task.title, None, None, True))
                continue
            ticket = tickets[occurrence.ticket_id]
            resolved = _resolved_on(s, saved_id(ticket), zone) if ticket.status in RESOLVED else None
            line = RecurringInPeriod(day, task.title, saved_id(ticket), resolved, occurrence.late)
            (done if resolved is not None else missed).append(line)
    order = lambda r: (r.due_on, r.title)  # noqa: E731
    return tuple(sorted(done, key=order)), tuple(sorted(missed, key=order))


def _resolved_on(s: Session, ticket_id: int, zone: ZoneInfo) -> date | None:
    at = s.scalar(
        select(col(TicketEvent.at))
        .where(col(TicketEvent.ticket_id) == ticket_id, col(TicketEvent.status) == "resolved")
        .order_by(col(TicketEvent.at).desc(), col(TicketEvent.id).desc())
        .limit(1)
    )
    return at.astimezone(zone).date() if at is not None else None


def breaches_notified(s: Session, client_id: int, start: datetime, end: datetime) -> tuple[BreachNotified, ...]:
    """The client's breaches whose notification falls in [start, end), oldest notification first."""
    out = []
    for b in current_breaches(s, client_id):
        if b.notified_at is None or not start <= b.notified_at < end:
            continue
        due = notification_due(b.discovered_at, b.notification_hours)
        out.append(
            BreachNotified(
                breach_id=b.first_id,
                discovered_at=b.discovered_at,
                notified_at=b.notified_at,
                notified_how=b.notified_how,
                description=b.description,
                data_concerned=b.data_concerned,
                notification_hours=b.notification_hours,
                within_delay=b.notified_at <= due,
            )
        )
    return tuple(sorted(out, key=lambda b: (b.notified_at, b.breach_id)))
