"""What comes due beside the tickets, in one read: the board's "coming due" band.

- recurring tasks: each active task's next occurrence not yet made into a ticket
  (`store.recurring`), due at its local time of day, `lead_days` ahead;
- renewals not done (`store.renewals`), due at expiry minus their notice period;
- warranty ends of what was delivered: the delivery date plus the warranty of its
  delivery note (the contract's when no note says it), due WARRANTY_NOTICE_DAYS before;
- the technician's certifications (skills with an expiry), due CERTIFICATION_NOTICE_DAYS before;
- data breaches the client was not yet told of, due at the contract's notification
  delay after discovery (shown from their discovery on, whatever the horizon).

Due instants and states are the rule's (`core.rules.coming_due`). An item snoozed
until after `now` is left out (the newest snooze of an item is the one in force); a
snooze holds for the due instant it was made for only (`Snooze.due_at`), so neither a
reused id nor a certification's next expiry inherits it.
An item whose date cannot be counted with (OverflowError, ValueError: a date near the
year 1 or 9999 saved before dates were bounded, a damaged schedule) does not break the
read: it shows as overdue, titled "unreadable date: fix it in ...". Items are shown once their lead time opens (`opens_at <= now + horizon`); a warranty
end over WARRANTY_SHOWN_FOR ago is no longer shown (nothing is left to do about it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from msptui.core.i18n import N_, _
from msptui.core.rules.coming_due import (
    ComingDue,
    DueKind,
    breach_lead,
    by_due_instant,
    notification_due,
    renewal_due,
)
from msptui.core.rules.delivery import add_months  # the warranty end the delivery note prints
from msptui.core.rules.recurrence import due_instant, next_occurrence
from msptui.store import db
from msptui.store.breaches import current_breaches
from msptui.store.models import (
    Client,
    Contract,
    Delivery,
    DeliveryItem,
    DeliveryNote,
    DeliveryNoteVoid,
    Engagement,
    RecurringTask,
    Skill,
    Snooze,
    saved_id,
)
from msptui.store.recurring import schedule_of
from msptui.store.renewals import open_renewals
from msptui.store.schemas.renewals import RenewalWhat

RENEWAL_LEAD = timedelta(days=14)  # warning two weeks before the notice deadline
WARRANTY_NOTICE_DAYS = 30  # time to offer an extension before the warranty ends
WARRANTY_LEAD = timedelta(days=14)
WARRANTY_SHOWN_FOR = timedelta(days=30)
CERTIFICATION_NOTICE_DAYS = 60  # an exam takes booking and study
CERTIFICATION_LEAD = timedelta(days=30)
TECHNICIAN = N_("You")  # the client column of the technician's own certifications (translated where read)
TITLE_MAX = 80


def coming_due(
    engine: Engine,
    now: datetime,
    horizon: timedelta = timedelta(0),
    technician_tz: tzinfo | str = "UTC",
    snoozed_out: list[ComingDue] | None = None,
) -> list[ComingDue]:
    """Everything coming due whose lead time has opened by `now + horizon` (and every data
    breach not yet notified), minus what is snoozed at `now`; soonest due first.
    `technician_tz` is the zone of the technician's own certification dates. The items
    left out as snoozed (not those acknowledged for good) are added to `snoozed_out` when
    given: the band counts them, nothing is hidden silently."""
    shown_from = now + horizon
    with db.read(engine) as s:
        clients = _Clients(s)
        items = [
            *_recurring(s, clients, now, shown_from),
            *_renewals(s, clients, now, shown_from),
            *_warranties(s, clients, now, shown_from),
            *_certifications(s, technician_tz, now, shown_from),
            *_breaches(s, now),
        ]
        snoozed = snoozed_items(s, now)
    from msptui.store.coming_due import FOR_GOOD

    shown = []
    for item in items:
        until = snoozed.get((item.kind.value, item.ref_id, item.due_at))
        if until is None:
            shown.append(item)
        elif snoozed_out is not None and until < FOR_GOOD:
            snoozed_out.append(item)
    return by_due_instant(shown)


class _Clients:
    """The clients the items name, fetched as asked (the session keeps each once): reading
    every client each minute cost 200 MB and seconds at 100,000 clients."""

    def __init__(self, s: Session) -> None:
        self._s = s

    def __getitem__(self, client_id: int) -> Client:
        client = self._s.get(Client, client_id)
        if client is None:  # a foreign key says it exists; a row in the middle of a deletion
            raise KeyError(client_id)
        return client


def snoozed_items(s: Session, now: datetime) -> dict[tuple[str, int, datetime], datetime]:
    """(kind, ref_id, due instant) -> until, of the items whose newest snooze runs past `now`."""
    newest = select(func.max(col(Snooze.id))).group_by(col(Snooze.kind), col(Snooze.ref_id), col(Snooze.due_at))
    rows = s.execute(
        select(col(Snooze.kind), col(Snooze.ref_id), col(Snooze.due_at), col(Snooze.until)).where(
            col(Snooze.id).in_(newest), col(Snooze.due_at).is_not(None)
        )
    )
    return {(kind, ref_id, due_at): until for kind, ref_id, due_at, until in rows if until > now}


# Where to fix an item whose date cannot be read, by kind: one whole sentence each.
_UNREADABLE = {
    DueKind.recurring: N_("unreadable date: fix it in its recurring task"),
    DueKind.renewal: N_("unreadable date: fix it in the renewals"),
    DueKind.warranty: N_("unreadable date: fix it in the deliveries"),
    DueKind.certification: N_("unreadable date: fix it in the skills register"),
    DueKind.breach: N_("unreadable date: fix it in the breach register"),
}


def _unreadable(kind: DueKind, ref_id: int, client: str, client_id: int | None, now: datetime) -> ComingDue:
    """An item whose date cannot be counted with (near the year 1 or 9999, a damaged
    schedule): shown as overdue now, saying where to fix it, instead of breaking the read."""
    return ComingDue(kind, ref_id, _short(_(_UNREADABLE[kind])), client, now, timedelta(0), client_id)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 3] + "..."


# --- recurring tasks --------------------------------------------------------------------------------


def next_pending(s: Session, task: RecurringTask) -> date | None:
    """The task's first occurrence not yet made into a ticket (None: its schedule has ended)."""
    from msptui.store.recurring import _last_created, owed_after, task_zone

    last = _last_created(s, saved_id(task)).get(saved_id(task))
    return next_occurrence(schedule_of(task.schedule), task.first_on, owed_after(task, last, task_zone(s, task)))


def _recurring(s: Session, clients: _Clients, now: datetime, shown_from: datetime) -> list[ComingDue]:
    """Each active task's first occurrence not yet made into a ticket, once its lead time opens."""
    from msptui.store.recurring import _at, _last_created, owed_after, task_zone

    last = _last_created(s)
    out = []
    for task in s.scalars(select(RecurringTask).where(col(RecurringTask.active))):
        task_id, zone = saved_id(task), task_zone(s, task)
        try:
            after = owed_after(task, last.get(task_id), zone)
            # Look only as far as could show: up to `shown_from` plus the lead time (a day spare).
            start = max(task.first_on, after) if after is not None else task.first_on
            horizon = (shown_from.astimezone(zone).date() - start).days + task.lead_days + 1
            day = next_occurrence(schedule_of(task.schedule), task.first_on, after, max(horizon, 1))
            if day is None:  # none that could show yet, or its schedule has ended
                continue
            lead = timedelta(days=task.lead_days)
            due = due_instant(day, _at(task), zone)
        except (ValueError, OverflowError):
            client = clients[task.client_id]
            out.append(_unreadable(DueKind.recurring, task_id, client.name, client.id, now))
            continue
        if due - lead <= shown_from:
            out.append(
                ComingDue(
                    DueKind.recurring,
                    task_id,
                    _short(task.title),
                    clients[task.client_id].name,
                    due,
                    lead,
                    task.client_id,
                )
            )
    return out


# --- renewals, warranties, certifications -----------------------------------------------------------


def _renewals(s: Session, clients: _Clients, now: datetime, shown_from: datetime) -> list[ComingDue]:
    out = []
    for r in open_renewals(s):
        client = clients[r.client_id]
        try:
            due = renewal_due(r.expires_on, r.notice_days, client.timezone)
            shows_later = due - RENEWAL_LEAD > shown_from
        except (ValueError, OverflowError):
            out.append(_unreadable(DueKind.renewal, saved_id(r), client.name, r.client_id, now))
            continue
        if shows_later:
            continue
        try:
            what = RenewalWhat(r.what).label
        except ValueError:
            what = r.what
        named = " ".join(p for p in (r.provider, r.reference) if p)
        day = r.expires_on.isoformat()
        if named and r.auto_renew:
            title = _("{what}: {named}, expires {day} (auto-renews)").format(what=what, named=named, day=day)
        elif named:
            title = _("{what}: {named}, expires {day}").format(what=what, named=named, day=day)
        elif r.auto_renew:
            title = _("{what}, expires {day} (auto-renews)").format(what=what, day=day)
        else:
            title = _("{what}, expires {day}").format(what=what, day=day)
        out.append(ComingDue(DueKind.renewal, saved_id(r), _short(title), client.name, due, RENEWAL_LEAD, r.client_id))
    return out


def _warranties(s: Session, clients: _Clients, now: datetime, shown_from: datetime) -> list[ComingDue]:
    voided = select(col(DeliveryNoteVoid.note_id))
    notes: dict[int, int] = {}  # delivery -> warranty months of its note in force (the newest not voided)
    query = select(DeliveryNote).where(col(DeliveryNote.id).not_in(voided)).order_by(col(DeliveryNote.id))
    for note in s.scalars(query):
        notes[note.delivery_id] = note.warranty_months
    rows = s.execute(
        select(Delivery, Engagement, Contract)
        .join(Engagement, col(Engagement.id) == col(Delivery.engagement_id))
        .outerjoin(Contract, col(Contract.id) == col(Engagement.contract_id))
        .where(col(Delivery.delivered_at).is_not(None))
    ).all()
    items: dict[int, list[str]] = {}
    ids = [saved_id(d) for d, _engagement, _contract in rows]
    for did, text in s.execute(
        select(col(DeliveryItem.delivery_id), col(DeliveryItem.description))
        .where(col(DeliveryItem.delivery_id).in_(ids))
        .order_by(col(DeliveryItem.id))
    ):
        items.setdefault(did, []).append(text)
    out = []
    for delivery, engagement, contract in rows:
        did = saved_id(delivery)
        months = notes.get(did, contract.warranty_months if contract is not None else 0)
        if not months or delivery.delivered_at is None:
            continue
        client = clients[engagement.client_id]
        try:
            delivered = delivery.delivered_at.astimezone(ZoneInfo(client.timezone)).date()
            ends = add_months(delivered, months)
            due = renewal_due(ends, WARRANTY_NOTICE_DAYS, client.timezone)
            hidden = (
                due - WARRANTY_LEAD > shown_from or renewal_due(ends, 0, client.timezone) + WARRANTY_SHOWN_FOR < now
            )
        except (ValueError, OverflowError):
            out.append(_unreadable(DueKind.warranty, did, client.name, engagement.client_id, now))
            continue
        if hidden:
            continue
        what = ", ".join(items.get(did, [])) or engagement.title
        title = _("Warranty ends {day}: {what}").format(day=ends.isoformat(), what=what)
        out.append(
            ComingDue(DueKind.warranty, did, _short(title), client.name, due, WARRANTY_LEAD, engagement.client_id)
        )
    return out


def _certifications(s: Session, tz: tzinfo | str, now: datetime, shown_from: datetime) -> list[ComingDue]:
    out = []
    for skill in s.scalars(select(Skill).where(col(Skill.expires_on).is_not(None))):
        assert skill.expires_on is not None  # kept by the query
        try:
            due = renewal_due(skill.expires_on, CERTIFICATION_NOTICE_DAYS, tz)
            shows_later = due - CERTIFICATION_LEAD > shown_from
        except (ValueError, OverflowError):
            out.append(_unreadable(DueKind.certification, saved_id(skill), _(TECHNICIAN), None, now))
            continue
        if shows_later:
            continue
        title = _("{title} ({technology}) expires {day}").format(
            title=skill.title, technology=skill.technology, day=skill.expires_on.isoformat()
        )
        out.append(
            ComingDue(DueKind.certification, saved_id(skill), _short(title), _(TECHNICIAN), due, CERTIFICATION_LEAD)
        )
    return out


# --- data breaches -------------------------------------------------------------------------------------


def _breaches(s: Session, now: datetime) -> list[ComingDue]:
    out = []
    for b in current_breaches(s):
        if b.notified:
            continue
        try:
            due = notification_due(b.discovered_at, b.notification_hours)
        except (ValueError, OverflowError):
            out.append(_unreadable(DueKind.breach, b.first_id, b.client_name, b.client_id, now))
            continue
        title = _("Notify the client of the data breach: {description}").format(description=b.description)
        out.append(
            ComingDue(
                DueKind.breach,
                b.first_id,
                _short(title),
                b.client_name,
                due,
                breach_lead(b.notification_hours),
                b.client_id,
            )
        )
    return out
