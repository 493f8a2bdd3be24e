"""Time entries and the running timer.

At most one timer runs per technician, whatever process starts it: a running entry
has `running = 1` (NULL otherwise) under a UNIQUE (technician, running) constraint;
each technician sees, starts and stops only their own (`msptui.store.team.acting`,
'' before a name is set, the solo technician's). Every write takes
the write lock up front (`db.write`), so a second start in another terminal
sees the first and stops it. Starting a timer while another runs stops the
first and says so. An entry whose billing period is closed is frozen (a
trigger refuses to change it): a correction is a new entry pointing at it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from msptui.core.i18n import N_, _
from msptui.core.rules.time_entries import format_duration
from msptui.store import db, team
from msptui.store.clients import RefusedError
from msptui.store.models import BillingPeriod, Engagement, Ticket, TicketEvent, TimeEntry, saved_id
from msptui.store.schemas.time import TimeEntryCreate

#: A timer running longer than this is probably forgotten: the interface asks whether to keep it.
STALE_AFTER = timedelta(hours=12)

# Changes when a timer starts or stops, from any process: the newest entry and this technician's
# running one. Two index lookups, for the board's poll (see `timer_version`).
TIMER_VERSION_SQL = text(
    "SELECT (SELECT MAX(id) FROM time_entry),"
    " (SELECT id FROM time_entry WHERE running = 1 AND technician = :technician)"
)


@dataclass(frozen=True)
class StoppedTimer:
    """A timer that was stopped: which, and how long it ran (zero: it was dropped, nothing spent)."""

    entry_id: int
    label: str
    started_at: datetime
    ended_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at

    @property
    def words(self) -> str:
        """'Stopped the timer on #123 Printer down after 1 h 30.'"""
        return _("Stopped the timer on {subject} after {duration}.").format(
            subject=self.label, duration=format_duration(self.duration)
        )


@dataclass(frozen=True)
class RunningTimer:
    entry_id: int
    label: str  # "#123 Printer down", "Engagement: Mail migration"
    started_at: datetime
    ticket_id: int | None = None
    engagement_id: int | None = None

    def elapsed(self, now: datetime) -> timedelta:
        return max(now - self.started_at, timedelta(0))

    def over_12h(self, now: datetime) -> bool:
        """Running for more than 12 hours: ask whether to keep it."""
        return self.elapsed(now) > STALE_AFTER


@dataclass(frozen=True)
class TimerStart:
    entry_id: int
    stopped: StoppedTimer | None  # the timer this start stopped, to say so
    already_running: bool = False  # the timer already ran on this ticket or engagement: nothing changed


@dataclass(frozen=True)
class CorrectedEntry:
    """What a correction replaces: the entry as it was billed."""

    entry_id: int
    started_at: datetime
    ended_at: datetime
    category: str
    out_of_scope: bool
    period_number: str | None  # the statement it was billed on (None: not billed)


@dataclass(frozen=True)
class EntryRow:
    """One time entry as the interface and a statement read it.

    `reference` is "#123" (ticket) or "E12" (engagement); `priority` is the ticket's
    priority when the entry started (None for an engagement); `contract_id` the
    ticket's or engagement's contract (None: no contract, all billable).
    """

    entry_id: int
    ticket_id: int | None
    engagement_id: int | None
    reference: str
    title: str
    client_id: int
    contract_id: int | None
    priority: str | None
    started_at: datetime
    ended_at: datetime | None  # None while the timer runs
    description: str
    category: str
    out_of_scope: bool
    created_at: datetime
    period_id: int | None = None
    period_number: str | None = None
    corrects: CorrectedEntry | None = None
    corrected_by: int | None = None  # a later entry that replaces this one
    technician: str = ""  # who recorded it; "" before team mode

    @property
    def frozen(self) -> bool:
        """Its billing period is closed: it never changes, a correction is a new entry."""
        return self.period_id is not None

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.started_at

    @property
    def label(self) -> str:
        return f"{self.reference} {self.title}"


def _label(session: Session, entry: TimeEntry) -> str:
    if entry.ticket_id is not None:
        ticket = db.referenced(session, Ticket, entry.ticket_id)
        return f"#{entry.ticket_id} {ticket.title}"
    engagement = db.referenced(session, Engagement, _engagement_id(entry))
    return _("Engagement: {title}").format(title=engagement.title)


def _engagement_id(entry: TimeEntry) -> int:
    if entry.engagement_id is None:  # pragma: no cover - the CHECK constraint forbids it
        raise RuntimeError(f"time entry {entry.id} has neither a ticket nor an engagement")  # i18n: not shown
    return entry.engagement_id


# --- the timer -----------------------------------------------------------------------------


def _subject(session: Session, ticket_id: int | None, engagement_id: int | None) -> None:
    if (ticket_id is None) == (engagement_id is None):
        raise RefusedError(_("Choose a ticket or an engagement for the timer, one of the two."))
    if ticket_id is not None and session.get(Ticket, ticket_id) is None:
        raise RefusedError(_("There is no ticket #{number}.").format(number=ticket_id))
    if engagement_id is not None and session.get(Engagement, engagement_id) is None:
        raise RefusedError(_("There is no engagement {number}.").format(number=engagement_id))


def _running(session: Session) -> TimeEntry | None:
    """The acting technician's running timer (another technician's is theirs to stop)."""
    mine = col(TimeEntry.technician) == team.acting()
    return session.scalars(select(TimeEntry).where(col(TimeEntry.running) == 1, mine)).first()


def _stop(session: Session, entry: TimeEntry, at: datetime) -> StoppedTimer:
    label = _label(session, entry)
    end = max(at, entry.started_at)
    if end == entry.started_at:
        # Stopped the instant it started (or a clock behind another terminal's): nothing was spent.
        session.delete(entry)
    else:
        entry.ended_at, entry.running = end, None
        session.add(entry)
    session.flush()
    return StoppedTimer(saved_id(entry), label, entry.started_at, end)


def start_timer(
    engine: Engine, *, ticket_id: int | None = None, engagement_id: int | None = None, now: datetime
) -> TimerStart:
    """Start the timer on a ticket or an engagement at `now`. A timer already running
    elsewhere is stopped at `now` and returned in `stopped`; on the same ticket or
    engagement it keeps running (`already_running`)."""
    for attempt in (1, 2):
        try:
            with db.write(engine) as s:
                _subject(s, ticket_id, engagement_id)
                current = _running(s)
                if current is not None and (current.ticket_id, current.engagement_id) == (ticket_id, engagement_id):
                    return TimerStart(saved_id(current), None, already_running=True)
                stopped = _stop(s, current, now) if current is not None else None
                entry = TimeEntry(
                    ticket_id=ticket_id,
                    engagement_id=engagement_id,
                    started_at=now,
                    running=1,
                    created_at=now,
                    technician=team.acting(),  # as _running reads it, whatever the stamp does
                )
                s.add(entry)
                s.flush()
                return TimerStart(saved_id(entry), stopped)
        except IntegrityError:
            # Another writer (PostgreSQL has no BEGIN IMMEDIATE) started one between our read
            # and our insert: the UNIQUE index refused ours; once more stops theirs.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def stop_timer(engine: Engine, now: datetime, entry_id: int | None = None) -> StoppedTimer | None:
    """Stop the running timer at `now`; None when none runs. With `entry_id` (the timer the
    technician was shown), only that one: if the shell or another window has started
    another meanwhile, nothing is stopped (None) rather than the wrong work."""
    with db.write(engine) as s:
        current = _running(s)
        if current is None or (entry_id is not None and current.id != entry_id):
            return None
        return _stop(s, current, now)


def running_timer(engine: Engine) -> RunningTimer | None:
    """The acting technician's running timer, if any (one at most)."""
    with db.read(engine) as s:
        current = _running(s)
        if current is None:
            return None
        return RunningTimer(
            saved_id(current), _label(s, current), current.started_at, current.ticket_id, current.engagement_id
        )


def keep_or_stop_stale(
    engine: Engine, keep: bool, now: datetime, ended_at: datetime | None = None
) -> StoppedTimer | None:
    """The answer to "this timer has run for over 12 h: keep it?". Keep: it runs on
    (None). Stop: it ends at `ended_at` when the technician says when the work ended,
    else at `now`; returns what was stopped. An end before its start is refused."""
    if keep:
        return None
    with db.write(engine) as s:
        current = _running(s)
        if current is None:
            return None
        if ended_at is not None and not current.started_at < ended_at <= now:
            raise RefusedError(_("The timer ends after it started and no later than now: check the end time."))
        return _stop(s, current, ended_at or now)


def timer_version(engine: Engine) -> tuple[int, int]:
    """(newest entry id, this technician's running entry id): changes when any process starts
    or stops a timer."""
    with db.read(engine) as s:
        [(newest, running)] = s.execute(TIMER_VERSION_SQL, {"technician": team.acting()}).all()
        return newest or 0, running or 0


# --- entries -------------------------------------------------------------------------------


FROZEN = N_(
    "Entry {id} is on the closed statement {number}: it cannot change. Correct it instead (a new entry refers to it)."
)


def _check_subject(s: Session, data: TimeEntryCreate) -> None:
    _subject(s, data.ticket_id, data.engagement_id)


def _new_entry(data: TimeEntryCreate, now: datetime, corrects_id: int | None = None) -> TimeEntry:
    return TimeEntry(
        ticket_id=data.ticket_id,
        engagement_id=data.engagement_id,
        started_at=data.started_at,
        ended_at=data.end,
        description=data.description,
        category=data.category.value,
        out_of_scope=data.out_of_scope,
        corrects_id=corrects_id,
        created_at=now,
    )


def add_entry(engine: Engine, data: TimeEntryCreate, now: datetime) -> int:
    """Record time already spent; returns the entry's id. An entry ending in the future is refused."""
    data.check_not_future(now)
    with db.write(engine) as s:
        _check_subject(s, data)
        entry = _new_entry(data, now)
        s.add(entry)
        s.flush()
        return saved_id(entry)


def _editable(s: Session, entry_id: int) -> TimeEntry:
    entry = s.get(TimeEntry, entry_id)
    if entry is None:
        raise RefusedError(_("There is no time entry {number}.").format(number=entry_id))
    if entry.period_id is not None:
        number = db.referenced(s, BillingPeriod, entry.period_id).number
        raise RefusedError(_(FROZEN).format(id=entry_id, number=number))
    if entry.running is not None:
        raise RefusedError(_("Entry {number} is the running timer: stop it first.").format(number=entry_id))
    return entry


def edit_entry(engine: Engine, entry_id: int, data: TimeEntryCreate, now: datetime) -> None:
    """Change an entry not yet billed. A frozen entry (its period closed) is refused
    with a sentence: correct it instead (`correct_entry`)."""
    data.check_not_future(now)
    with db.write(engine) as s:
        entry = _editable(s, entry_id)
        _check_subject(s, data)
        fresh = _new_entry(data, now, entry.corrects_id)
        for field in (
            "ticket_id",
            "engagement_id",
            "started_at",
            "ended_at",
            "description",
            "category",
            "out_of_scope",
        ):
            setattr(entry, field, getattr(fresh, field))
        s.add(entry)


def delete_entry(engine: Engine, entry_id: int) -> None:
    """Remove an entry not yet billed (a frozen one is refused with a sentence)."""
    with db.write(engine) as s:
        s.delete(_editable(s, entry_id))


@dataclass(frozen=True)
class Correction:
    entry_id: int  # the entry that now holds the corrected time
    as_new_entry: bool  # True: the old entry was billed, the correction is a new entry referring to it


def correct_entry(engine: Engine, old_id: int, data: TimeEntryCreate, now: datetime) -> Correction:
    """Correct an entry. Not yet billed: it is edited in place. Billed (its period
    closed): a new entry, in the next open period, refers to it and replaces it
    there; the old one stays as it was billed. An entry is corrected once: a
    second correction corrects the correction."""
    data.check_not_future(now)
    with db.write(engine) as s:
        old = s.get(TimeEntry, old_id)
        if old is None:
            raise RefusedError(_("There is no time entry {number}.").format(number=old_id))
        if old.period_id is not None:
            later = s.scalars(select(col(TimeEntry.id)).where(col(TimeEntry.corrects_id) == old_id)).first()
            if later is not None:
                raise RefusedError(
                    _("Entry {number} was already corrected by entry {later}: correct that one.").format(
                        number=old_id, later=later
                    )
                )
            _check_subject(s, data)
            entry = _new_entry(data, now, corrects_id=old_id)
            s.add(entry)
            s.flush()
            return Correction(saved_id(entry), as_new_entry=True)
    # Not billed yet (and a period closing meanwhile is caught there): an edit.
    edit_entry(engine, old_id, data, now)
    return Correction(old_id, as_new_entry=False)


# --- reading -------------------------------------------------------------------------------


def _priorities(s: Session, ticket_ids: Iterable[int]) -> dict[int, tuple[list[datetime], list[str]]]:
    """Each ticket's priority changes in order: ([instants], [priorities])."""
    out: dict[int, tuple[list[datetime], list[str]]] = {}
    ids = sorted(set(ticket_ids))
    if not ids:
        return out
    rows = s.execute(
        select(col(TicketEvent.ticket_id), col(TicketEvent.at), col(TicketEvent.priority))
        .where(col(TicketEvent.ticket_id).in_(ids), col(TicketEvent.priority).is_not(None))
        .order_by(col(TicketEvent.ticket_id), col(TicketEvent.at), col(TicketEvent.id))
    ).all()
    for ticket_id, at, priority in rows:
        instants, values = out.setdefault(ticket_id, ([], []))
        instants.append(at)
        values.append(priority)
    return out


def _priority_at(changes: tuple[list[datetime], list[str]] | None, at: datetime, fallback: str) -> str:
    if not changes:
        return fallback
    instants, values = changes
    i = bisect.bisect_right(instants, at)
    return values[i - 1] if i else values[0]


def rows_for(s: Session, entries: Sequence[TimeEntry]) -> list[EntryRow]:
    """EntryRows for `entries` (in their order), read in the caller's transaction."""
    ticket_ids = {e.ticket_id for e in entries if e.ticket_id is not None}
    engagement_ids = {e.engagement_id for e in entries if e.engagement_id is not None}
    tickets = {t.id: t for t in s.scalars(select(Ticket).where(col(Ticket.id).in_(ticket_ids)))} if ticket_ids else {}
    engagements = (
        {g.id: g for g in s.scalars(select(Engagement).where(col(Engagement.id).in_(engagement_ids)))}
        if engagement_ids
        else {}
    )
    priorities = _priorities(s, ticket_ids)
    entry_ids = [saved_id(e) for e in entries]
    corrected_ids = {e.corrects_id for e in entries if e.corrects_id is not None}
    originals = (
        {o.id: o for o in s.scalars(select(TimeEntry).where(col(TimeEntry.id).in_(corrected_ids)))}
        if corrected_ids
        else {}
    )
    period_ids = {e.period_id for e in [*entries, *originals.values()] if e.period_id is not None}
    numbers = (
        {
            k: n
            for k, n in s.execute(
                select(col(BillingPeriod.id), col(BillingPeriod.number)).where(col(BillingPeriod.id).in_(period_ids))
            )
        }
        if period_ids
        else {}
    )
    corrected_by = (
        {
            old: new
            for old, new in s.execute(
                select(col(TimeEntry.corrects_id), col(TimeEntry.id)).where(col(TimeEntry.corrects_id).in_(entry_ids))
            )
        }
        if entry_ids
        else {}
    )
    rows = []
    for e in entries:
        subject: Any
        if e.ticket_id is not None:
            subject = tickets[e.ticket_id]
            reference = f"#{e.ticket_id}"
            priority: Optional[str] = _priority_at(priorities.get(e.ticket_id), e.started_at, subject.priority)
        else:
            subject = engagements[_engagement_id(e)]
            reference, priority = f"E{e.engagement_id}", None
        corrects = None
        if e.corrects_id is not None:
            o = originals[e.corrects_id]
            if o.ended_at is not None:
                corrects = CorrectedEntry(
                    saved_id(o), o.started_at, o.ended_at, o.category, o.out_of_scope, numbers.get(o.period_id)
                )
        rows.append(
            EntryRow(
                entry_id=saved_id(e),
                ticket_id=e.ticket_id,
                engagement_id=e.engagement_id,
                reference=reference,
                title=subject.title,
                client_id=subject.client_id,
                contract_id=subject.contract_id,
                priority=priority,
                started_at=e.started_at,
                ended_at=e.ended_at,
                description=e.description,
                category=e.category,
                out_of_scope=e.out_of_scope,
                created_at=e.created_at,
                period_id=e.period_id,
                period_number=numbers.get(e.period_id) if e.period_id is not None else None,
                corrects=corrects,
                corrected_by=corrected_by.get(saved_id(e)),
                technician=e.technician,
            )
        )
    return rows


def _ordered(query: Any) -> Any:
    return query.order_by(col(TimeEntry.started_at), col(TimeEntry.id))


def entries_for_ticket(engine: Engine, ticket_id: int) -> list[EntryRow]:
    """A ticket's entries, oldest first (the running timer included, `ended_at` None)."""
    with db.read(engine) as s:
        entries = list(s.scalars(_ordered(select(TimeEntry).where(col(TimeEntry.ticket_id) == ticket_id))))
        return rows_for(s, entries)


def entries_for_engagement(engine: Engine, engagement_id: int) -> list[EntryRow]:
    """An engagement's entries, oldest first (the running timer included, `ended_at` None)."""
    with db.read(engine) as s:
        query = _ordered(select(TimeEntry).where(col(TimeEntry.engagement_id) == engagement_id))
        entries = list(s.scalars(query))
        return rows_for(s, entries)


def entries_for_client_month(engine: Engine, client_id: int, month: str) -> list[EntryRow]:
    """The finished entries billed on a client's month ("YYYY-MM", the client's calendar),
    oldest first. A closed month: exactly the entries it froze. An open month: the
    unbilled entries of that month, plus those of closed months before it that
    land here (a correction, or time recorded after its month was closed: the next
    open period). See `msptui.store.billing.period_entries`."""
    from msptui.store.billing import period_entries

    with db.read(engine) as s:
        return rows_for(s, period_entries(s, client_id, month))
