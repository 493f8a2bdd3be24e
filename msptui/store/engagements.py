"""Engagements (projects proposed by or to a client) and their competence self-checks.

A check is append-only (a database trigger refuses UPDATE and DELETE): a new
check supersedes the previous one and the history stays readable. Deciding
goes through `msptui.core.rules.check_decision`, with the client's blocking
conflicts of interest counted here, so an engagement is never accepted while
the client has not been told of a conflict. Partners, the record of telling
the client and change requests live in `engagement_records`; evidence
proposals in `evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules import (
    ClientDisclosure,
    CompetenceAnswers,
    Decision,
    changed_terms,
    check_change_agreement,
    check_decision,
)
from msptui.core.vocabulary import EngagementStatus
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.conflicts import BlockingConflicts, blocking_conflicts
from msptui.store.engagement_records import (
    PartnerRow,
    add_disclosure,
    change_requests,
    check_problem,
    client_today,
    disclosures,
    engagement_partners,
)
from msptui.store.models import (
    ChangeRequest,
    CheckDisclosure,
    Client,
    CompetenceCheck,
    Contract,
    Engagement,
    EngagementPartner,
    saved_id,
)
from msptui.store.reads.evidence import EvidenceProposals, _checks, _proposals, propose_evidence
from msptui.store.schemas import FieldError
from msptui.store.schemas.engagements import (
    ChangeAgreement,
    CompetenceCheckInput,
    EngagementCreate,
    EngagementUpdate,
    format_price,
    violations_error,
)

__all__ = ["EvidenceProposals", "propose_evidence"]  # re-exported: screens and tests know them from here

S = EngagementStatus

# What a check's decision makes of the engagement. Accepting against one's own
# judgement is its own status: the client asked, and was given the risks in writing.
STATUS_AFTER = {
    Decision.accept: S.accepted,
    Decision.accept_with_partner: S.accepted_with_partner,
    Decision.accept_against_judgement: S.accepted_at_client_request,
    Decision.decline: S.declined,
}
ACCEPTED = frozenset({S.accepted, S.accepted_with_partner, S.accepted_at_client_request})
# A check is run before the work starts, and again during the work when the
# technologies changed (the check in force is stale); once delivered or cancelled it is history.
CHECKABLE = frozenset({S.proposed, *ACCEPTED, S.declined, S.in_progress})
# Scope, price and deadline change only by a change request from acceptance on.
AGREED = frozenset({*ACCEPTED, S.in_progress, S.delivered})
# Status changes other than the check's own decision. Delivered is not among them:
# it is the delivery checklist's to set (tests validated, delivery note, documentation).
TRANSITIONS: dict[str, tuple[EngagementStatus, ...]] = {
    S.proposed: (S.cancelled,),
    S.accepted: (S.in_progress, S.cancelled),
    S.accepted_with_partner: (S.in_progress, S.cancelled),
    S.accepted_at_client_request: (S.in_progress, S.cancelled),
    S.declined: (),
    S.in_progress: (S.cancelled,),
    S.delivered: (),
    S.cancelled: (),
}


# --- what the screens read ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EngagementRow:
    engagement: Engagement
    client_name: str
    client_code: str
    last_decision: str | None
    last_checked_at: datetime | None


@dataclass
class EngagementDetail:
    engagement: Engagement
    client: Client
    contract_reference: str | None
    checks: list[CompetenceCheck] = field(default_factory=list)  # newest first
    blocking: BlockingConflicts = BlockingConflicts()
    partners: list[PartnerRow] = field(default_factory=list)  # of the check in force
    disclosures: dict[int, CheckDisclosure] = field(default_factory=dict)  # by check id
    changes: list[ChangeRequest] = field(default_factory=list)  # oldest first
    problem: str | None = None  # why the check in force does not allow work, or None

    @property
    def current_check(self) -> CompetenceCheck | None:
        return self.checks[0] if self.checks else None

    @property
    def disclosure_missing(self) -> bool:
        """The check in force needs the client told, and that is not recorded: something to complete (g)."""
        c = self.current_check
        return c is not None and Decision(c.decision).needs_disclosure and c.id not in self.disclosures


@dataclass
class CheckContext:
    """Everything the check form needs, read in one transaction."""

    engagement: Engagement
    client: Client
    proposals: EvidenceProposals
    blocking: BlockingConflicts
    previous: CompetenceCheck | None


# --- engagements -------------------------------------------------------------------------


def _get(s: Session, engagement_id: int) -> Engagement:
    engagement = s.get(Engagement, engagement_id)
    if engagement is None:
        raise RefusedError(_("This engagement no longer exists."))
    return engagement


def _check_contract(s: Session, client_id: int, contract_id: int | None) -> None:
    if contract_id is None:
        return
    contract = s.get(Contract, contract_id)
    if contract is None or contract.client_id != client_id:
        raise FieldError("contract_id", _("is not a contract of this client"))


def create_engagement(engine: Engine, data: EngagementCreate, now: datetime) -> int:
    """Record a proposed engagement; returns its id. It is accepted only through a check."""
    with db.write(engine) as s:
        if s.get(Client, data.client_id) is None:
            raise RefusedError(_("This client no longer exists."))
        _check_contract(s, data.client_id, data.contract_id)
        engagement = Engagement(**data.model_dump(), status=S.proposed.value, proposed_at=now)
        s.add(engagement)
        s.flush()
        return saved_id(engagement)


def _terms(description: str, price: Decimal | None, end_date: date | None) -> dict[str, str]:
    # The agreed terms as text: the scope is what the description says the work is.
    return {
        "scope": description,
        "price": format_price(price),
        "deadline": end_date.isoformat() if end_date else "",
    }


def update_engagement(
    engine: Engine, engagement_id: int, data: EngagementUpdate, now: datetime, agreement: ChangeAgreement | None = None
) -> list[int]:
    """Edit title, description (the scope), technologies, contract, dates and price.

    Once accepted (and during the work, and after delivery), a new scope,
    price or deadline (the end date) is a change request: `agreement` must say
    why and who agreed, when and how (`rules.check_change_agreement`), else a
    ValidationError names each missing field and nothing is written. One
    append-only ChangeRequest per changed term is kept; returns their ids.
    New technologies make the check in force stale (it keeps its own).
    """
    with db.write(engine) as s:
        engagement = _get(s, engagement_id)
        _check_contract(s, engagement.client_id, data.contract_id)
        changes = []
        if engagement.status in AGREED:
            changes = changed_terms(
                _terms(engagement.description, engagement.price, engagement.end_date),
                _terms(data.description, data.price, data.end_date),
            )
        agreement = agreement or ChangeAgreement()
        client = db.referenced(s, Client, engagement.client_id)
        violations = check_change_agreement(
            changes,
            agreement.change_reason,
            agreement.agreed_by,
            agreement.agreed_on,
            agreement.agreed_how,
            client_today(client, now),
        )
        if violations:
            raise violations_error("Change request", violations)  # i18n: not shown
        for key, value in data.model_dump().items():
            setattr(engagement, key, value)
        if not changes:
            return []
        if agreement.agreed_on is None:  # `check_change_agreement` refuses a change without its date
            raise RuntimeError("a change request passed the rules without the date it was agreed on")  # i18n: not shown
        records = [
            ChangeRequest(
                engagement_id=saved_id(engagement),
                what=c.what.value,
                old_value=c.old_value,
                new_value=c.new_value,
                reason=agreement.change_reason,
                agreed_by=agreement.agreed_by,
                agreed_on=agreement.agreed_on,
                agreed_how=agreement.agreed_how.value if agreement.agreed_how else "",
                recorded_at=now,
            )
            for c in changes
        ]
        s.add_all(records)
        s.flush()
        return [saved_id(r) for r in records]


def next_statuses(status: str) -> tuple[EngagementStatus, ...]:
    """The statuses an engagement may be moved to by hand (acceptance goes through a check)."""
    return TRANSITIONS.get(status, ())


def set_status(engine: Engine, engagement_id: int, status: EngagementStatus | str, now: datetime) -> None:
    """Move an engagement along: start the work, or cancel it.

    Accepting and declining are a check's decision, and delivering is the
    delivery checklist's (see `store.deliveries`), never a bare status change.
    """
    status = EngagementStatus(status)
    with db.write(engine) as s:
        engagement = _get(s, engagement_id)
        current = EngagementStatus(engagement.status)
        if status in STATUS_AFTER.values():
            raise RefusedError(_("Accepting or declining is decided by a competence check: press c to run one."))
        if status is S.delivered:
            raise RefusedError(
                _(
                    "An engagement is delivered from its delivery checklist (tests, delivery note,"
                    " documentation): open it in Deliveries."
                )
            )
        if status not in next_statuses(current):
            raise RefusedError(
                _("An engagement cannot go from “{before}” to “{after}”.").format(
                    before=current.label, after=status.label
                )
            )
        if status is S.in_progress:
            problem = check_problem(s, engagement)
            if problem:
                raise RefusedError(_("{problem} before starting the work.").format(problem=problem))
        engagement.status = status.value
        if status is S.cancelled:
            engagement.cancelled_at = now


def list_engagements(engine: Engine, client_id: int | None = None) -> list[EngagementRow]:
    """Engagements with their client and latest check, newest proposal first."""
    latest = (
        select(col(CompetenceCheck.engagement_id), func.max(col(CompetenceCheck.id)).label("check_id"))
        .group_by(col(CompetenceCheck.engagement_id))
        .subquery()
    )
    q = (
        select(
            Engagement,
            col(Client.name),
            col(Client.code),
            col(CompetenceCheck.decision),
            col(CompetenceCheck.checked_at),
        )
        .join(Client, col(Client.id) == Engagement.client_id)
        .outerjoin(latest, latest.c.engagement_id == Engagement.id)
        .outerjoin(CompetenceCheck, col(CompetenceCheck.id) == latest.c.check_id)
    )
    if client_id is not None:
        q = q.where(col(Engagement.client_id) == client_id)
    with db.read(engine) as s:
        return [
            EngagementRow(*row)
            for row in s.execute(q.order_by(col(Engagement.proposed_at).desc(), col(Engagement.id).desc()))
        ]


def engagement_detail(engine: Engine, engagement_id: int) -> EngagementDetail | None:
    with db.read(engine) as s:
        engagement = s.get(Engagement, engagement_id)
        if engagement is None:
            return None
        contract = s.get(Contract, engagement.contract_id) if engagement.contract_id else None
        checks = _checks(s, engagement_id)
        return EngagementDetail(
            engagement=engagement,
            client=db.referenced(s, Client, engagement.client_id),
            contract_reference=contract.reference if contract else None,
            checks=checks,
            blocking=blocking_conflicts(s, engagement.client_id),
            partners=engagement_partners(s, engagement_id),
            disclosures=disclosures(s, [saved_id(c) for c in checks]),
            changes=change_requests(s, engagement_id),
            problem=check_problem(s, engagement) if engagement.status in (*ACCEPTED, S.in_progress) else None,
        )


def check_history(engine: Engine, engagement_id: int) -> list[CompetenceCheck]:
    """Every check of the engagement, newest (the one in force) first."""
    with db.read(engine) as s:
        return _checks(s, engagement_id)


# --- the competence self-check ------------------------------------------------------------


def check_context(engine: Engine, engagement_id: int) -> CheckContext:
    """The engagement, its client, evidence proposals, blocking conflicts and the check in force."""
    with db.read(engine) as s:
        engagement = _get(s, engagement_id)
        checks = _checks(s, engagement_id)
        return CheckContext(
            engagement=engagement,
            client=db.referenced(s, Client, engagement.client_id),
            proposals=_proposals(s, engagement),
            blocking=blocking_conflicts(s, engagement.client_id),
            previous=checks[0] if checks else None,
        )


def record_check(engine: Engine, engagement_id: int, data: CompetenceCheckInput, now: datetime) -> int:
    """Append a check and apply its decision to the engagement; returns the check's id.

    The decision must pass `rules.check_decision` with the client's blocking
    conflicts counted and the client's today, in the same transaction;
    otherwise a ValidationError names each field to fix ("conflicts" for
    conflicts of interest) and nothing is written. Only the details the
    decision needs are kept: the partner (a third party of the engagement,
    with its competence) for accept_with_partner, the risk statement for
    accept_against_judgement, and for both the record of telling the client.
    During the work a check confirms it (the engagement stays in progress);
    declining then is refused: cancelling is the way to stop.
    """
    with db.write(engine) as s:
        engagement = _get(s, engagement_id)
        if engagement.status not in CHECKABLE:
            status = EngagementStatus(engagement.status).label.lower()
            raise RefusedError(
                _("This engagement is {status}: a competence check is run before the work starts.").format(
                    status=status
                )
            )
        started = engagement.status == S.in_progress
        if started and data.decision is Decision.decline:
            raise RefusedError(
                _(
                    "The work has started: a new check can confirm it, not decline it. To stop, cancel the engagement (t)."
                )
            )
        answers = CompetenceAnswers(data.familiarity, data.prior_projects, data.know_how)
        client = db.referenced(s, Client, engagement.client_id)
        blocking = blocking_conflicts(s, engagement.client_id)
        violations = check_decision(
            answers,
            data.decision,
            partner_name=data.partner_name or None,
            partner_competence=data.partner_competence or None,
            risk_statement=data.risk_statement or None,
            disclosure=ClientDisclosure(data.disclosed_to or None, data.disclosed_on, data.disclosed_how),
            today=client_today(client, now),
            undisclosed_conflicts=blocking.undisclosed,
            unanswered_conflicts=blocking.unanswered,
            refused_conflicts=blocking.refused,
        )
        if violations:
            raise violations_error("Competence check", violations)  # i18n: not shown
        with_partner = data.decision is Decision.accept_with_partner
        against = data.decision is Decision.accept_against_judgement
        check = CompetenceCheck(
            engagement_id=saved_id(engagement),
            checked_at=now,
            technologies=list(engagement.technologies),
            familiarity=data.familiarity.value,
            familiarity_evidence=data.familiarity_evidence,
            prior_projects=data.prior_projects.value,
            prior_projects_evidence=data.prior_projects_evidence,
            know_how=data.know_how.value,
            know_how_evidence=data.know_how_evidence,
            decision=data.decision.value,
            partner_name=data.partner_name if with_partner else None,
            risk_statement=data.risk_statement if against else None,
        )
        s.add(check)
        s.flush()
        if with_partner:
            s.add(
                EngagementPartner(
                    engagement_id=saved_id(engagement),
                    check_id=saved_id(check),
                    name=data.partner_name,
                    competence=data.partner_competence,
                    recorded_at=now,
                )
            )
        if data.decision.needs_disclosure:
            add_disclosure(s, saved_id(check), data, now)
        if not started:
            engagement.status = STATUS_AFTER[data.decision].value
            engagement.decided_at = now
        return saved_id(check)


# --- choices for forms ------------------------------------------------------------------------


def client_choices(engine: Engine) -> list[tuple[str, int]]:
    """(“Name (CODE)”, id) for every client not archived, by name."""
    with db.read(engine) as s:
        q = (
            select(col(Client.name), col(Client.code), col(Client.id))
            .where(col(Client.archived_at).is_(None))
            .order_by(func.lower(Client.name))
        )
        return [(f"{name} ({code})", cid) for name, code, cid in s.execute(q)]


def contract_choices(engine: Engine, client_id: int | None = None) -> list[tuple[str, int]]:
    """(“REFERENCE · title”, id) for contracts not archived (of one client when given)."""
    with db.read(engine) as s:
        q = select(col(Contract.reference), col(Contract.title), col(Contract.id), col(Client.code)).join(
            Client, col(Client.id) == Contract.client_id
        )
        q = q.where(col(Contract.archived_at).is_(None))
        if client_id is not None:
            q = q.where(col(Contract.client_id) == client_id)
        return [
            (f"{ref} · {title}" if client_id is not None else f"{ref} · {code} · {title}", kid)
            for ref, title, kid, code in s.execute(q.order_by(col(Contract.reference)))
        ]


def engagement_choices(engine: Engine, client_id: int | None = None) -> list[tuple[str, int]]:
    """(“CODE · title”, id) for the engagements (of one client when given), newest first."""
    return [
        (f"{r.client_code} · {r.engagement.title}", saved_id(r.engagement)) for r in list_engagements(engine, client_id)
    ]
