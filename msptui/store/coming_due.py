"""Commands of the board's "coming due" band: snooze an item (with its reason, kept),
or mark it done, each kind in its own way:

- a recurring task: its next occurrence is made into its ticket now (`store.recurring.open_early`),
  the work being followed there;
- a renewal: done, renewed with a new expiry or let go (`store.renewals.mark_renewal_done`);
- a certification: the skill's new expiry (None: it is no longer followed);
- a data breach: the client's notification, when and how (`store.breaches.record_notification`);
- a warranty end: acknowledged for good (a snooze without end, its reason kept).

Snoozes are append-only; the newest of an item (for its due instant) is the one in
force. A snooze holds for the due instant it was made for: an item due again later (a
certification's next expiry, another item under a reused id) is not snoozed by it. A
snooze runs a year at most; a breach's, not past its notification deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import col

from msptui.core.i18n import _
from msptui.core.rules.coming_due import DueKind
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import DataBreach, Delivery, RecurringTask, Renewal, Skill, Snooze, saved_id
from msptui.store.schemas.breaches import BreachNotification
from msptui.store.schemas.coming_due import SnoozeCreate
from msptui.store.schemas.common import FieldError
from msptui.store.schemas.renewals import RenewalDone

__all__ = ["FOR_GOOD", "DoneResult", "SnoozeCreate", "mark_done", "snooze"]

#: The `until` of an acknowledgement: never shown again (for that due instant).
FOR_GOOD = datetime(9999, 12, 31, tzinfo=UTC)
#: How far ahead a snooze may run: further, an item is out of mind, not put off.
SNOOZE_MAX = timedelta(days=365)

_ROWS: dict[DueKind, type[Any]] = {
    DueKind.recurring: RecurringTask,
    DueKind.renewal: Renewal,
    DueKind.warranty: Delivery,
    DueKind.certification: Skill,
    DueKind.breach: DataBreach,
}


@dataclass(frozen=True, slots=True)
class DoneResult:
    """What marking done made: the ticket opened, the renewal's new entry, the breach's new record."""

    kind: DueKind
    ref_id: int
    new_id: int | None  # ticket id (recurring), new renewal id (renewed), new breach record id
    words: str  # for the interface to say


def snooze(engine: Engine, data: SnoozeCreate, now: datetime, *, due_at: datetime) -> int:
    """Put an item off until `data.until` (after `now`, at most SNOOZE_MAX ahead; a breach not
    past its notification deadline, the client's legal clock), its reason kept. `due_at` is
    the item's due instant (`ComingDue.due_at`): the snooze holds for that due only. Returns
    the snooze's id."""
    if data.until <= now:
        raise FieldError("until", _("must be later than now: say until when it can wait"))
    if data.until > now + SNOOZE_MAX:
        raise FieldError(
            "until",
            _("is more than a year ahead: it can wait until {day} at most").format(
                day=f"{(now + SNOOZE_MAX):%Y-%m-%d}"  # i18n: not shown
            ),
        )
    if data.kind == DueKind.breach.value:
        _within_notification_deadline(engine, data.ref_id, data.until)
    return _put_off(engine, data, now, due_at)


def _within_notification_deadline(engine: Engine, breach_id: int, until: datetime) -> None:
    from msptui.core.rules.coming_due import notification_due
    from msptui.store.breaches import breach

    b = breach(engine, breach_id)
    deadline = notification_due(b.discovered_at, b.notification_hours)
    if until > deadline:
        raise FieldError(
            "until",
            _("is after the client's notification deadline ({deadline} UTC): a breach cannot wait past it").format(
                deadline=f"{deadline:%Y-%m-%d %H:%M}"  # i18n: not shown
            ),
        )


def _put_off(engine: Engine, data: SnoozeCreate, now: datetime, due_at: datetime) -> int:
    with db.write(engine) as s:
        if s.get(_ROWS[DueKind(data.kind)], data.ref_id) is None:
            raise RefusedError(_("This item no longer exists."))
        row = Snooze(
            kind=data.kind, ref_id=data.ref_id, due_at=due_at, until=data.until, reason=data.reason, created_at=now
        )
        s.add(row)
        s.flush()
        return saved_id(row)


def mark_done(
    engine: Engine,
    kind: DueKind | str,
    ref_id: int,
    now: datetime,
    *,
    new_expiry: date | None = None,
    notification: BreachNotification | None = None,
    reason: str = "",
    due_at: datetime | None = None,
) -> DoneResult:
    """Mark a coming-due item done (see the module docstring for each kind). `new_expiry`
    for a renewal or a certification (None: let go / no longer followed); `notification`
    is required for a breach; `reason` and `due_at` (the item's due instant) for a warranty end."""
    kind = DueKind(kind)
    if kind is DueKind.recurring:
        return _recurring_done(engine, ref_id, now, due_at)
    if kind is DueKind.renewal:
        from msptui.store.renewals import mark_renewal_done

        new = mark_renewal_done(engine, ref_id, RenewalDone(new_expires_on=new_expiry), now)
        words = _("renewed until {day}").format(day=new_expiry.isoformat()) if new_expiry else _("done, not renewed")
        return DoneResult(kind, ref_id, new, words)
    if kind is DueKind.certification:
        with db.write(engine) as s:
            skill = s.get(Skill, ref_id)
            if skill is None:
                raise RefusedError(_("This certification no longer exists."))
            if new_expiry is not None and skill.expires_on is not None and new_expiry <= skill.expires_on:
                raise FieldError(
                    "new_expiry",
                    _("must be after the current expiry ({day})").format(day=skill.expires_on.isoformat()),
                )
            skill.expires_on = new_expiry
        words = _("valid until {day}").format(day=new_expiry.isoformat()) if new_expiry else _("no longer followed")
        return DoneResult(kind, ref_id, None, words)
    if kind is DueKind.breach:
        if notification is None:
            raise FieldError("notified_at", _("is required: say when and how the client was told"))
        from msptui.store.breaches import record_notification

        return DoneResult(kind, ref_id, record_notification(engine, ref_id, notification, now), _("client notified"))
    if due_at is None:
        raise ValueError("A warranty end is acknowledged for its due instant: give due_at.")  # i18n: not shown
    text = " ".join(reason.split())
    # The reason is stored: it stays in English whatever the interface's language.
    stored = f"done: {text or 'seen'}"  # i18n: not shown
    done = SnoozeCreate(kind=kind.value, ref_id=ref_id, until=FOR_GOOD, reason=stored)
    _put_off(engine, done, now, due_at)  # for good: past the year a snooze may run
    return DoneResult(kind, ref_id, None, _("acknowledged"))


def _recurring_done(engine: Engine, task_id: int, now: datetime, shown_due_at: datetime | None) -> DoneResult:
    """Open the occurrence the technician was shown (`shown_due_at`, its due instant on the
    band) now. If the minute's read made it into a ticket meanwhile, say which ticket: never
    open next month's occurrence instead."""
    from msptui.store.models import RecurringOccurrence
    from msptui.store.reads.coming_due import next_pending
    from msptui.store.recurring import open_early, task_zone

    with db.read(engine) as s:
        task = s.get(RecurringTask, task_id)
        if task is None:
            raise RefusedError(_("This recurring task no longer exists."))
        if shown_due_at is not None:
            day: date | None = shown_due_at.astimezone(task_zone(s, task)).date()
            existing = s.scalars(
                select(RecurringOccurrence).where(
                    col(RecurringOccurrence.task_id) == task_id, col(RecurringOccurrence.due_on) == day
                )
            ).first()
            if existing is not None:
                raise RefusedError(
                    _("The occurrence of {day} was already opened as ticket #{number}: see it on the board.").format(
                        day=day, number=existing.ticket_id
                    )
                )
        else:
            day = next_pending(s, task)
    if day is None:
        raise RefusedError(_("This recurring task has no occurrence left: its schedule has ended."))
    made = open_early(engine, task_id, day, now)
    words = _("ticket #{number} opened for {day}").format(number=made.ticket_id, day=day.isoformat())
    return DoneResult(DueKind.recurring, task_id, made.ticket_id, words)
