"""Recurring tasks: preventive work a contract promises, made into tickets on their days.

A task's schedule is expanded by `core.rules.recurrence` on local dates of the
contract's zone (the client's without a contract), each due at the task's local
time of day. `materialise_due` makes every occurrence whose instant has come into
a ticket of the contract, with the task's priority (so its SLA clocks) and its
checklist in the description: an occurrence of an earlier day (msptui was not
running then) is opened now and says "late: due on ..." in a note; one of today
is opened at its due instant when made within BACKDATE_AT_MOST of it, else now, late too.

Exactly once: each occurrence is one transaction holding its ticket and its
`recurring_occurrence` row, whose UNIQUE (task_id, due_on) refuses a second; a
write transaction takes the write lock first (`store.db`), so a second terminal
finds the row and skips it, and a crash leaves both or neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules.coming_due import occurrences_to_create
from msptui.core.rules.recurrence import Schedule, ScheduleKind, due_instant, occurrences
from msptui.core.vocabulary import Priority
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Contract, RecurringOccurrence, RecurringTask, saved_id
from msptui.store.schemas.common import FieldError
from msptui.store.schemas.recurring import RecurringTaskCreate, ScheduleInput
from msptui.store.tickets import TicketCreate, apply_action, open_in

__all__ = [
    "CreatedOccurrence",
    "RecurringTaskCreate",
    "ScheduleInput",
    "ScheduleKind",
    "add_task",
    "client_tasks",
    "materialise_due",
    "open_early",
    "schedule_of",
    "set_active",
    "task_zone",
]


@dataclass(frozen=True, slots=True)
class CreatedOccurrence:
    """An occurrence made into its ticket."""

    task_id: int
    title: str
    client_id: int
    due_on: date  # local date of the task's zone
    ticket_id: int
    late: bool


# --- the rule's side ---------------------------------------------------------------------------


def schedule_of(stored: dict[str, Any]) -> Schedule:
    """The rule's schedule for a task's stored schedule; ValueError with a sentence if refused."""
    return Schedule.from_json(stored)


def _at(task: RecurringTask) -> time:
    hours, minutes = task.at_time.split(":")
    return time(int(hours), int(minutes))


def due_at(task: RecurringTask, day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant an occurrence of `day` is due (a DST gap moves it forward)."""
    return due_instant(day, _at(task), zone)


def owed_after(task: RecurringTask, last_created: date | None, zone: ZoneInfo) -> date | None:
    """The day after which the task's occurrences are owed: its newest one made, and never
    before the day it was registered (a task typed today with a first day last year does
    not owe a year of tickets). None: from its first day."""
    registered = task.created_at.astimezone(zone).date() - timedelta(days=1)
    if task.first_on > registered:
        return last_created
    return registered if last_created is None else max(last_created, registered)


def due_days(task: RecurringTask, zone: ZoneInfo, after: date | None, until: date) -> list[date]:
    """The task's local dates after `after` (exclusive; from its first day when None) up to `until`."""
    return occurrences(schedule_of(task.schedule), task.first_on, after, until)


# --- commands -----------------------------------------------------------------------------------


def add_task(engine: Engine, data: RecurringTaskCreate, now: datetime) -> int:
    """Register a recurring task; returns its id. The contract, if given, must be the client's."""
    with db.write(engine) as s:
        client = s.get(Client, data.client_id)
        if client is None:
            raise FieldError("client_id", _("no longer exists: pick another client"))
        if data.contract_id is not None:
            contract = s.get(Contract, data.contract_id)
            if contract is None or contract.client_id != client.id:
                raise FieldError("contract_id", _("is not a contract of {client}").format(client=client.name))
        row = RecurringTask(
            client_id=data.client_id,
            contract_id=data.contract_id,
            title=data.title,
            steps=list(data.steps),
            schedule=schedule_of(data.schedule.as_json()).to_json(),  # the RRULE in its canonical spelling
            first_on=data.first_on,
            at_time=data.at_time,
            priority=data.priority.value,
            lead_days=data.lead_days,
            active=True,
            created_at=now,
        )
        s.add(row)
        s.flush()
        return saved_id(row)


def set_active(engine: Engine, task_id: int, active: bool) -> None:
    """Stop (or resume) a task. A resumed task's days missed meanwhile are created late, each once."""
    with db.write(engine) as s:
        task = s.get(RecurringTask, task_id)
        if task is None:
            raise RefusedError(_("This recurring task no longer exists."))
        task.active = active


def client_tasks(engine: Engine, client_id: int) -> list[RecurringTask]:
    with db.read(engine) as s:
        query = select(RecurringTask).where(col(RecurringTask.client_id) == client_id)
        return list(s.scalars(query.order_by(col(RecurringTask.title), col(RecurringTask.id))))


def materialise_due(engine: Engine, now: datetime, problems: list[str] | None = None) -> list[CreatedOccurrence]:
    """Make every occurrence of the active tasks whose instant has come into its ticket,
    each exactly once, oldest first; returns those this call created (none when another
    process got there first). Safe to call at every start and every minute.

    A task whose ticket cannot be opened (its contract archived or no longer active, a
    damaged schedule) is left for later, its days still owed, and the others go on; the
    reason, one sentence per task, is appended to `problems` when given."""
    plans: list[tuple[int, str, date, bool]] = []
    with db.read(engine) as s:
        last = _last_created(s)
        for task, zone in _active_tasks(s):
            task_id = saved_id(task)
            try:
                after = owed_after(task, last.get(task_id), zone)
                found = occurrences_to_create(schedule_of(task.schedule), task.first_on, _at(task), zone, after, now)
            except ValueError as exc:
                _say(problems, task.title, str(exc))
                continue
            plans += [(task_id, task.title, o.due_on, o.late) for o in found]
    created = []
    stuck: set[int] = set()
    for task_id, title, day, late in plans:
        if task_id in stuck:
            continue
        try:
            made = _create(engine, task_id, day, late, now)
        except FieldError as exc:
            stuck.add(task_id)  # its later days wait too: they are made in order, each once
            _say(problems, title, exc.message)
            continue
        if made is not None:
            created.append(made)
    return created


def _say(problems: list[str] | None, title: str, why: str) -> None:
    if problems is not None:
        problems.append(
            _("The recurring task “{title}” made no ticket: {reason}.").format(title=title, reason=why.rstrip("."))
        )


def open_early(engine: Engine, task_id: int, due_on: date, now: datetime) -> CreatedOccurrence:
    """Make a coming occurrence into its ticket now, ahead of its day (the work is done
    early); it is then never created again. Refused when it already exists."""
    with db.read(engine) as s:
        task = s.get(RecurringTask, task_id)
        if task is None:
            raise RefusedError(_("This recurring task no longer exists."))
    made = _create(engine, task_id, due_on, False, now, early=True)
    if made is None:
        raise RefusedError(_("The occurrence of {day} already has its ticket.").format(day=due_on.isoformat()))
    return made


# --- inside one transaction ---------------------------------------------------------------------


def task_zone(s: Session, task: RecurringTask) -> ZoneInfo:
    """The zone of the task's dates: its contract's, else its client's."""
    if task.contract_id is not None:
        return ZoneInfo(db.referenced(s, Contract, task.contract_id).timezone)
    return ZoneInfo(db.referenced(s, Client, task.client_id).timezone)


def _active_tasks(s: Session) -> list[tuple[RecurringTask, ZoneInfo]]:
    tasks = list(s.scalars(select(RecurringTask).where(col(RecurringTask.active)).order_by(col(RecurringTask.id))))
    return [(t, task_zone(s, t)) for t in tasks]


def _last_created(s: Session, task_id: int | None = None) -> dict[int, date]:
    """Each task's newest occurrence made (of one task when given)."""
    query = select(col(RecurringOccurrence.task_id), func.max(col(RecurringOccurrence.due_on))).group_by(
        col(RecurringOccurrence.task_id)
    )
    if task_id is not None:
        query = query.where(col(RecurringOccurrence.task_id) == task_id)
    return {task_id: day for task_id, day in s.execute(query)}


BACKDATE_AT_MOST = timedelta(minutes=2)


def _create(
    engine: Engine, task_id: int, day: date, late: bool, now: datetime, early: bool = False
) -> CreatedOccurrence | None:
    """One occurrence and its ticket, in one transaction; None when it already exists."""
    try:
        with db.write(engine) as s:
            taken = s.scalar(
                select(col(RecurringOccurrence.id)).where(
                    col(RecurringOccurrence.task_id) == task_id, col(RecurringOccurrence.due_on) == day
                )
            )
            if taken is not None:
                return None
            task = db.referenced(s, RecurringTask, task_id)
            zone = task_zone(s, task)
            due = due_at(task, day, zone)
            # Backdated to its due instant only within one materialise interval (the band
            # reads every minute): older, its SLA clocks would be breached before it exists,
            # so it opens now and says it is late.
            if not late and not early and now - due > BACKDATE_AT_MOST:
                late = True
            opened = due if not late and not early and due <= now else now
            ticket = open_in(
                s,
                TicketCreate(
                    client_id=task.client_id,
                    contract_id=task.contract_id,
                    title=task.title,
                    description=description(task, day, zone),
                    priority=Priority(task.priority),
                ),
                opened,
            )
            ticket_id = saved_id(ticket)
            s.add(RecurringOccurrence(task_id=task_id, due_on=day, ticket_id=ticket_id, created_at=now, late=late))
            if late:
                apply_action(s, ticket_id, "add_note", now, note=late_note(due, zone))
            s.flush()
            return CreatedOccurrence(task_id, task.title, task.client_id, day, ticket_id, late)
    except IntegrityError:
        # Another process made it between our check and our write (a server without
        # SQLite's up-front write lock): the UNIQUE kept it single, nothing of ours stays.
        return None


def description(task: RecurringTask, day: date, zone: ZoneInfo) -> str:
    """The ticket's description: what the task is, when it was due, and its checklist.

    Stored on the ticket (data, like a note typed by hand): it is not translated."""
    lines = [f"Recurring task, due on {day.isoformat()} at {task.at_time} ({zone.key})."]  # i18n: not shown
    if task.steps:
        lines += ["", "Steps:"] + [f"- [ ] {step}" for step in task.steps]  # i18n: not shown
    return "\n".join(lines)


def late_note(due: datetime, zone: ZoneInfo) -> str:
    """'late: due on Mon 2026-11-23 09:00 (Europe/Paris)': said on a ticket created after its day
    (a note stored on the ticket: not translated)."""
    return f"late: due on {due.astimezone(zone):%a %Y-%m-%d %H:%M} ({zone.key})"  # i18n: not shown
