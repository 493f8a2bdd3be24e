"""What an engagement's decision rests on, beyond the check itself: its partners,
the record of telling the client, its change requests, and whether the check in
force still allows work.

Every record here is append-only (database triggers refuse UPDATE and
DELETE): a disclosure recorded late is a new record pointing at the check,
never an edit of it. `engagement_partners` and `change_requests` are what the
delivery note prints; `require_current_check` is what delivering calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules import (
    ClientDisclosure,
    Decision,
    DisclosureMeans,
    check_client_disclosure,
    check_in_force_problem,
)
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import (
    ChangeRequest,
    CheckDisclosure,
    Client,
    CompetenceCheck,
    Engagement,
    EngagementPartner,
    saved_id,
)
from msptui.store.schemas.engagements import CheckDisclosureInput, CompetenceCheckInput, violations_error


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """An external partner of the engagement, as the delivery note prints it.

    `disclosed_on` None: telling the client is not recorded yet (a partner
    carried over from before it was asked); `competence` "" likewise.
    """

    name: str
    competence: str
    check_id: int
    disclosed_to: str | None
    disclosed_on: date | None
    disclosed_how: DisclosureMeans | None

    @property
    def disclosure_text(self) -> str:
        """'disclosed to Claire Weber on 2026-11-20 by e-mail', or 'disclosure to the client not recorded'."""
        if self.disclosed_on is None or self.disclosed_how is None:
            return _("disclosure to the client not recorded")
        return _("disclosed to {person} on {day} by {means}").format(
            person=self.disclosed_to, day=self.disclosed_on.isoformat(), means=self.disclosed_how.label.lower()
        )


@contextmanager
def _reading(source: Engine | Session) -> Iterator[Session]:
    # Callers inside a transaction (the delivery note, delivering) pass their session.
    if isinstance(source, Session):
        yield source
    else:
        with db.read(source) as s:
            yield s


def check_in_force(s: Session, engagement_id: int) -> CompetenceCheck | None:
    q = select(CompetenceCheck).where(col(CompetenceCheck.engagement_id) == engagement_id)
    return s.scalars(q.order_by(col(CompetenceCheck.id).desc()).limit(1)).first()


def disclosures(s: Session, check_ids: list[int]) -> dict[int, CheckDisclosure]:
    """The first record of telling the client, per check (later ones cannot be made: see `record_disclosure`)."""
    if not check_ids:
        return {}
    q = select(CheckDisclosure).where(col(CheckDisclosure.check_id).in_(check_ids)).order_by(col(CheckDisclosure.id))
    out: dict[int, CheckDisclosure] = {}
    for d in s.scalars(q):
        out.setdefault(d.check_id, d)
    return out


def engagement_partners(source: Engine | Session, engagement_id: int) -> list[PartnerRow]:
    """The external partners named by the check in force (a superseded check's partner no longer
    takes part), with the record of telling the client; [] when there is none."""
    with _reading(source) as s:
        check = check_in_force(s, engagement_id)
        if check is None:
            return []
        check_id = saved_id(check)
        told = disclosures(s, [check_id]).get(check_id)
        q = (
            select(EngagementPartner)
            .where(col(EngagementPartner.check_id) == check_id)
            .order_by(col(EngagementPartner.id))
        )
        return [
            PartnerRow(
                name=p.name,
                competence=p.competence,
                check_id=check_id,
                disclosed_to=told.disclosed_to if told else None,
                disclosed_on=told.disclosed_on if told else None,
                disclosed_how=DisclosureMeans(told.disclosed_how) if told else None,
            )
            for p in s.scalars(q)
        ]


def change_requests(source: Engine | Session, engagement_id: int) -> list[ChangeRequest]:
    """Every change request of the engagement, oldest first (the order they were agreed in)."""
    with _reading(source) as s:
        q = select(ChangeRequest).where(col(ChangeRequest.engagement_id) == engagement_id)
        return list(s.scalars(q.order_by(col(ChangeRequest.id))))


def check_problem(s: Session, engagement: Engagement) -> str | None:
    """Why the check in force does not allow work (see `rules.check_in_force_problem`); None when it does."""
    check = check_in_force(s, saved_id(engagement))
    if check is None:
        return check_in_force_problem(None, [], engagement.technologies, False)
    told = bool(disclosures(s, [saved_id(check)]))
    return check_in_force_problem(check.decision, check.technologies, engagement.technologies, told)


def require_current_check(session: Session, engagement_id: int) -> None:
    """Refuse (RefusedError, a plain sentence) delivering an engagement whose check in force is
    missing, declining, stale (the technologies changed since) or lacks the record of telling the client.

    Runs inside the caller's transaction (the delivery checklist's `mark_delivered`).
    """
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise RefusedError(_("This engagement no longer exists."))
    problem = check_problem(session, engagement)
    if problem:
        raise RefusedError(_("{problem} before delivering.").format(problem=problem))


def client_today(client: Client, now: datetime) -> date:
    """The day it is for the client: a disclosure or an agreement cannot be dated later."""
    return now.astimezone(ZoneInfo(client.timezone)).date()


def record_disclosure(engine: Engine, check_id: int, data: CheckDisclosureInput, now: datetime) -> int:
    """Record, after the check, that the client was told of its partner or given its risks in writing.

    Refused when the check needs nothing told, when it is recorded already (a
    record is never replaced), or when the check was superseded; a
    ValidationError names each missing field. Returns the new record's id.
    """
    with db.write(engine) as s:
        check = s.get(CompetenceCheck, check_id)
        if check is None:
            raise RefusedError(_("This check no longer exists."))
        if not Decision(check.decision).needs_disclosure:
            raise RefusedError(_("This check's decision needs nothing told to the client."))
        if disclosures(s, [saved_id(check)]):
            raise RefusedError(_("Telling the client is already recorded for this check: it stays as it was."))
        in_force = check_in_force(s, check.engagement_id)
        if in_force is None or in_force.id != check.id:
            raise RefusedError(
                _("This check was superseded by a newer one: record what the client was told on the check in force.")
            )
        engagement = db.referenced(s, Engagement, check.engagement_id)
        client = db.referenced(s, Client, engagement.client_id)
        told = ClientDisclosure(data.disclosed_to or None, data.disclosed_on, data.disclosed_how)
        violations = check_client_disclosure(told, client_today(client, now))
        if violations:
            raise violations_error("Disclosure to the client", violations)  # i18n: not shown
        record = add_disclosure(s, saved_id(check), data, now)
        return saved_id(record)


def add_disclosure(
    s: Session, check_id: int, data: CheckDisclosureInput | CompetenceCheckInput, now: datetime
) -> CheckDisclosure:
    """Append the record (already checked by the rules) in the caller's transaction."""
    if data.disclosed_on is None or data.disclosed_how is None:  # the rules refuse a disclosure without them
        raise RuntimeError("a disclosure passed the rules without its date or means")  # i18n: not shown
    record = CheckDisclosure(
        check_id=check_id,
        disclosed_to=data.disclosed_to,
        disclosed_on=data.disclosed_on,
        disclosed_how=DisclosureMeans(data.disclosed_how).value,
        recorded_at=now,
    )
    s.add(record)
    s.flush()
    return record
