"""The conflict-of-interest register: record at once, disclose, the client's answer, close.

A conflict's status is never stored: it follows from its dates and answer
through `msptui.core.rules.conflict_status`, so the register, the board's count and
the refusal to accept an engagement can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.engine import ScalarResult
from sqlmodel import Session, col

from msptui.core.i18n import N_, _
from msptui.core.rules import (
    FUTURE_TOLERANCE,
    ConflictKind,
    ConflictStatus,
    RuleViolation,
    blocks_acceptance,
    conflict_status,
    undisclosed_for,
    validate_disclosure,
)
from msptui.core.rules.conflicts import ClientAnswer, GiftAction, validate_gift
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import Client, ConflictDisclosure, Engagement, saved_id
from msptui.store.schemas import FieldError
from msptui.store.schemas.conflicts import GiftCreate
from msptui.store.schemas.engagements import (
    ClientAnswerInput,
    ConflictCreate,
    DisclosureInput,
    as_client_time,
    format_instant,
    violations_error,
)


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """One line of the register, with its client and engagement named."""

    conflict: ConflictDisclosure
    client_name: str
    client_code: str
    timezone: str
    engagement_title: str | None
    status: ConflictStatus

    @property
    def id(self) -> int:
        return saved_id(self.conflict)

    @property
    def blocks(self) -> bool:
        return blocks_acceptance(self.status)

    def undisclosed_age(self, now: datetime) -> timedelta | None:
        """How long it has waited for disclosure; None once disclosed (or for a refused bribe)."""
        if self.status is not ConflictStatus.undisclosed:
            return None
        return undisclosed_for(self.conflict.identified_at, now)


@dataclass(frozen=True, slots=True)
class BlockingConflicts:
    """Counts of a client's conflicts that forbid accepting an engagement, by reason."""

    undisclosed: int = 0
    unanswered: int = 0
    refused: int = 0

    def __bool__(self) -> bool:
        return bool(self.undisclosed or self.unanswered or self.refused)


def status_of(c: ConflictDisclosure) -> ConflictStatus:
    return conflict_status(c.kind, c.disclosed_at, c.client_answer, c.closed_at, c.gift_action)


# --- recording -----------------------------------------------------------------------


def register_conflict(engine: Engine, data: ConflictCreate, now: datetime) -> int:
    """Record a conflict as soon as it is known; returns its id.

    `identified_at` defaults to `now`; typed without a zone it is read in the
    client's zone, and may not lie in the future. A gift or bribe offered is
    recorded as refused and closed at once: refusing is the whole duty (who
    offered it is then not recorded: `record_gift` keeps it).
    """
    with db.write(engine) as s:
        client = _client_of(s, data.client_id, data.engagement_id)
        identified = now if data.identified_at is None else as_client_time(data.identified_at, client.timezone)
        if identified > now + FUTURE_TOLERANCE:
            raise FieldError("identified_at", _("is in the future: record a conflict once it is known"))
        bribe = data.kind is ConflictKind.gift_or_bribe
        row = ConflictDisclosure(
            client_id=saved_id(client),
            engagement_id=data.engagement_id,
            kind=data.kind.value,
            description=data.description,
            identified_at=identified,
            closed_at=now if bribe else None,
            offered_at=identified if bribe else None,
            gift_action=GiftAction.refused.value if bribe else None,
        )
        s.add(row)
        s.flush()
        return saved_id(row)


def _client_of(s: Session, client_id: int, engagement_id: int | None) -> Client:
    """The client a new record is about; refused if gone, or if the engagement named is not theirs."""
    client = s.get(Client, client_id)
    if client is None:
        raise RefusedError(_("This client no longer exists."))
    if engagement_id is not None:
        engagement = s.get(Engagement, engagement_id)
        if engagement is None or engagement.client_id != client.id:
            raise FieldError("engagement_id", _("is not an engagement of this client"))
    return client


def record_gift(engine: Engine, data: GiftCreate, now: datetime) -> int:
    """Record a gift or offer: what, by whom, when, and what the technician did; returns its id.

    Refused (the default) or declared and accepted under the client's written
    policy, which must then be named (`rules.validate_gift`). `offered_at`
    defaults to `now`, typed without a zone it is read in the client's zone.
    The record is closed at once and never changes: nothing is left pending.
    """
    with db.write(engine) as s:
        client = _client_of(s, data.client_id, data.engagement_id)
        offered_at = now if data.offered_at is None else as_client_time(data.offered_at, client.timezone)
        violations = validate_gift(data.offered_by, offered_at, data.action, data.policy, now)
        if violations:
            raise violations_error("Gift", violations)  # i18n: not shown
        accepted = data.action is GiftAction.accepted_under_policy
        row = ConflictDisclosure(
            client_id=saved_id(client),
            engagement_id=data.engagement_id,
            kind=ConflictKind.gift_or_bribe.value,
            description=data.offered,
            identified_at=min(offered_at, now),
            closed_at=now,
            offered_by=data.offered_by,
            offered_at=offered_at,
            gift_action=data.action.value,
            gift_policy=data.policy if accepted else "",
        )
        s.add(row)
        s.flush()
        return saved_id(row)


def _conflict(s: Session, conflict_id: int) -> tuple[ConflictDisclosure, Client]:
    row = s.get(ConflictDisclosure, conflict_id)
    if row is None:
        raise RefusedError(_("This conflict of interest no longer exists."))
    return row, db.referenced(s, Client, row.client_id)


def disclose(engine: Engine, conflict_id: int, data: DisclosureInput, now: datetime) -> None:
    """Record that the client was told: when, to whom, how (and their answer if given then).

    Refused once already disclosed (the first disclosure is the record), and
    for a closed conflict. The disclosure must pass `rules.validate_disclosure`.
    A refused bribe may be disclosed (telling the client is good practice) but
    carries no client answer.
    """
    with db.write(engine) as s:
        row, client = _conflict(s, conflict_id)
        status = status_of(row)
        if row.disclosed_at is not None:
            when = format_instant(row.disclosed_at, client.timezone)
            raise RefusedError(
                _("Already disclosed on {when} to {person}; that record stays as it is.").format(
                    when=when, person=row.disclosed_to
                )
            )
        if status is ConflictStatus.closed:
            raise RefusedError(_("This conflict is closed; nothing is left to disclose."))
        disclosed_at = None if data.disclosed_at is None else as_client_time(data.disclosed_at, client.timezone)
        violations = validate_disclosure(row.identified_at, disclosed_at, data.to_whom, data.how, now)
        if data.client_answer is not None and status is ConflictStatus.bribe_refused:
            violations.append(
                RuleViolation("client_answer", _("A bribe is refused by you: there is no client answer to record."))
            )
        if data.client_answer is not None and status is ConflictStatus.gift_accepted_under_policy:
            violations.append(RuleViolation("client_answer", _(_UNDER_POLICY)))
        if violations:
            raise violations_error("Disclosure", violations)  # i18n: not shown
        row.disclosed_at = disclosed_at
        row.disclosed_to = data.to_whom
        row.disclosed_how = data.how
        if data.client_answer is not None:
            row.client_answer = data.client_answer.value
            row.answered_at = disclosed_at


_UNDER_POLICY = N_("This gift was accepted under the client's written policy: there is no client answer to record.")


def record_answer(engine: Engine, conflict_id: int, data: ClientAnswerInput, now: datetime) -> None:
    """Record the client's answer (accepted, waived, refused) to a disclosed conflict.

    Refused before the disclosure, after an answer is already on record, for a
    closed conflict and for a bribe. `answered_at` defaults to `now`, may not
    precede the disclosure nor lie in the future.
    """
    with db.write(engine) as s:
        row, client = _conflict(s, conflict_id)
        status = status_of(row)
        if status is ConflictStatus.bribe_refused:
            raise RefusedError(_("A bribe is refused by you: there is no client answer to record."))
        if status is ConflictStatus.gift_accepted_under_policy:
            raise RefusedError(_(_UNDER_POLICY))
        if status is ConflictStatus.closed:
            raise RefusedError(_("This conflict is closed."))
        if row.disclosed_at is None:
            raise RefusedError(_("Disclose the conflict first: the client cannot answer what they were not told."))
        if row.client_answer is not None:
            answer = ClientAnswer(row.client_answer).label.lower()
            raise RefusedError(_("The client's answer is already on record ({answer}).").format(answer=answer))
        answered = now if data.answered_at is None else as_client_time(data.answered_at, client.timezone)
        if answered < row.disclosed_at:
            raise FieldError("answered_at", _("is before the disclosure: the client answered after being told"))
        if answered > now + FUTURE_TOLERANCE:
            raise FieldError("answered_at", _("is in the future"))
        row.client_answer = data.answer.value
        row.answered_at = answered


def close_conflict(engine: Engine, conflict_id: int, now: datetime) -> None:
    """The conflict no longer exists (shares sold, relationship ended, client refused and it ended).

    An undisclosed conflict cannot be closed: the client is told first, so
    closing never hides one.
    """
    with db.write(engine) as s:
        row, _client = _conflict(s, conflict_id)
        status = status_of(row)
        if status is ConflictStatus.undisclosed:
            raise RefusedError(
                _("Disclose this conflict to the client first: a conflict is closed only once they were told.")
            )
        if row.closed_at is not None:
            raise RefusedError(_("This conflict is already closed."))
        row.closed_at = now


# --- reading ----------------------------------------------------------------------------


def list_conflicts(engine: Engine, client_id: int | None = None, *, include_closed: bool = True) -> list[ConflictRow]:
    """The register: undisclosed conflicts first (longest waiting first), then the rest, newest first."""
    with db.read(engine) as s:
        q = (
            select(ConflictDisclosure, col(Client.name), col(Client.code), col(Client.timezone), col(Engagement.title))
            .join(Client, col(Client.id) == ConflictDisclosure.client_id)
            .outerjoin(Engagement, col(Engagement.id) == ConflictDisclosure.engagement_id)
        )
        if client_id is not None:
            q = q.where(col(ConflictDisclosure.client_id) == client_id)
        rows = [
            ConflictRow(c, name, code, tz, title, status_of(c))
            for c, name, code, tz, title in s.execute(q.order_by(col(ConflictDisclosure.identified_at).desc()))
        ]
    if not include_closed:
        settled = (ConflictStatus.closed, ConflictStatus.bribe_refused, ConflictStatus.gift_accepted_under_policy)
        rows = [r for r in rows if r.status not in settled]
    undisclosed = [r for r in rows if r.status is ConflictStatus.undisclosed]
    undisclosed.reverse()
    return undisclosed + [r for r in rows if r.status is not ConflictStatus.undisclosed]


def get_conflict(engine: Engine, conflict_id: int) -> ConflictRow | None:
    with db.read(engine) as s:
        c = s.get(ConflictDisclosure, conflict_id)
        if c is None:
            return None
        client = db.referenced(s, Client, c.client_id)
        engagement = s.get(Engagement, c.engagement_id) if c.engagement_id else None
        return ConflictRow(
            c, client.name, client.code, client.timezone, engagement.title if engagement else None, status_of(c)
        )


def _open_candidates(
    s: Session, client_id: int | None, *, undisclosed_only: bool = False
) -> ScalarResult[ConflictDisclosure]:
    # Only rows not yet closed can be undisclosed or blocking; the rules decide the rest.
    q = select(ConflictDisclosure).where(col(ConflictDisclosure.closed_at).is_(None))
    if undisclosed_only:
        q = q.where(col(ConflictDisclosure.disclosed_at).is_(None))
    if client_id is not None:
        q = q.where(col(ConflictDisclosure.client_id) == client_id)
    return s.scalars(q)


def count_undisclosed(engine: Engine) -> int:
    """How many conflicts, across all clients, the clients have not been told of yet (for the board's header)."""
    with db.read(engine) as s:
        candidates = _open_candidates(s, None, undisclosed_only=True)
        return sum(1 for c in candidates if status_of(c) is ConflictStatus.undisclosed)


def blocking_conflicts(s: Session, client_id: int) -> BlockingConflicts:
    """The client's conflicts that forbid accepting an engagement, counted by reason (inside a transaction)."""
    counts = {
        ConflictStatus.undisclosed: 0,
        ConflictStatus.disclosed_awaiting_answer: 0,
        ConflictStatus.refused_by_client: 0,
    }
    for c in _open_candidates(s, client_id):
        status = status_of(c)
        if blocks_acceptance(status):
            counts[status] = counts.get(status, 0) + 1
    return BlockingConflicts(
        undisclosed=counts[ConflictStatus.undisclosed],
        unanswered=counts[ConflictStatus.disclosed_awaiting_answer],
        refused=counts[ConflictStatus.refused_by_client],
    )


def blocking_for_client(engine: Engine, client_id: int) -> BlockingConflicts:
    with db.read(engine) as s:
        return blocking_conflicts(s, client_id)
