"""Engagements (projects proposed by or to a client) and their competence self-checks.

A check is append-only (a database trigger refuses UPDATE and DELETE): a new
check supersedes the previous one and the history stays readable. Deciding
goes through `msptui.rules.check_decision`, with the client's blocking
conflicts of interest counted here, so an engagement is never accepted while
the client has not been told of a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from msptui.rules import Answer, CompetenceAnswers, Decision, Question, check_decision
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.conflicts import BlockingConflicts, blocking_conflicts
from msptui.store.engagement_schemas import (
    CompetenceCheckInput,
    EngagementCreate,
    EngagementUpdate,
    tag_key,
    violations_error,
)
from msptui.store.models import Client, CompetenceCheck, Contract, Engagement
from msptui.store.schemas import FieldError
from msptui.store.skills import matching_skills
from msptui.vocab import EngagementStatus, SkillEvidence

S = EngagementStatus

# What a check's decision makes of the engagement. Accepting against one's own
# judgement is still an acceptance; the check row keeps the decision and the
# written risk statement.
STATUS_AFTER = {
    Decision.accept: S.accepted,
    Decision.accept_with_partner: S.accepted_with_partner,
    Decision.accept_against_judgement: S.accepted,
    Decision.decline: S.declined,
}
# A check is run before the work starts; once started, delivered or cancelled it is history.
CHECKABLE = frozenset({S.proposed, S.accepted, S.accepted_with_partner, S.declined})
# Status changes other than the check's own decision. Delivered is not among them:
# it is the delivery checklist's to set (tests validated, delivery note, documentation).
TRANSITIONS: dict[str, tuple[EngagementStatus, ...]] = {
    S.proposed: (S.cancelled,),
    S.accepted: (S.in_progress, S.cancelled),
    S.accepted_with_partner: (S.in_progress, S.cancelled),
    S.declined: (),
    S.in_progress: (S.cancelled,),
    S.delivered: (),
    S.cancelled: (),
}
MAX_PROPOSALS = 6
QUOTED_EVIDENCE_CHARS = 120


# --- what the screens read ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EngagementRow:
    engagement: Engagement
    client_name: str
    client_code: str
    last_decision: str | None
    last_checked_at: datetime | None


@dataclass(frozen=True)
class EvidenceProposals:
    """Lines of evidence found in the database, per question (most relevant first)."""

    familiarity: tuple[str, ...] = ()
    prior_projects: tuple[str, ...] = ()
    know_how: tuple[str, ...] = ()

    def lines(self, question: Question | str) -> tuple[str, ...]:
        return getattr(self, Question(question).value)

    def text(self, question: Question | str) -> str:
        """The proposal as one evidence text, ready to pre-fill a field ('' when nothing was found)."""
        return "; ".join(self.lines(question))


@dataclass
class EngagementDetail:
    engagement: Engagement
    client: Client
    contract_reference: str | None
    checks: list[CompetenceCheck] = field(default_factory=list)  # newest first
    blocking: BlockingConflicts = BlockingConflicts()

    @property
    def current_check(self) -> CompetenceCheck | None:
        return self.checks[0] if self.checks else None


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
        raise RefusedError("This engagement no longer exists.")
    return engagement


def _check_contract(s: Session, client_id: int, contract_id: int | None) -> None:
    if contract_id is None:
        return
    contract = s.get(Contract, contract_id)
    if contract is None or contract.client_id != client_id:
        raise FieldError("contract_id", "is not a contract of this client")


def create_engagement(engine: Engine, data: EngagementCreate, now: datetime) -> int:
    """Record a proposed engagement; returns its id. It is accepted only through a check."""
    with db.write(engine) as s:
        if s.get(Client, data.client_id) is None:
            raise RefusedError("This client no longer exists.")
        _check_contract(s, data.client_id, data.contract_id)
        engagement = Engagement(**data.model_dump(), status=S.proposed.value, proposed_at=now)
        s.add(engagement)
        s.flush()
        return engagement.id


def update_engagement(engine: Engine, engagement_id: int, data: EngagementUpdate) -> None:
    """Edit title, description, technologies, contract and dates (past checks keep their own technologies)."""
    with db.write(engine) as s:
        engagement = _get(s, engagement_id)
        _check_contract(s, engagement.client_id, data.contract_id)
        for key, value in data.model_dump().items():
            setattr(engagement, key, value)


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
            raise RefusedError("Accepting or declining is decided by a competence check: press c to run one.")
        if status is S.delivered:
            raise RefusedError(
                "An engagement is delivered from its delivery checklist (tests, delivery note,"
                " documentation): open it in Deliveries."
            )
        if status not in next_statuses(current):
            raise RefusedError(f"An engagement cannot go from “{current.label}” to “{status.label}”.")
        engagement.status = status.value
        if status is S.cancelled:
            engagement.cancelled_at = now


def list_engagements(engine: Engine, client_id: int | None = None) -> list[EngagementRow]:
    """Engagements with their client and latest check, newest proposal first."""
    latest = (
        select(CompetenceCheck.engagement_id, func.max(CompetenceCheck.id).label("check_id"))
        .group_by(CompetenceCheck.engagement_id)
        .subquery()
    )
    q = (
        select(Engagement, Client.name, Client.code, CompetenceCheck.decision, CompetenceCheck.checked_at)
        .join(Client, Client.id == Engagement.client_id)
        .outerjoin(latest, latest.c.engagement_id == Engagement.id)
        .outerjoin(CompetenceCheck, CompetenceCheck.id == latest.c.check_id)
    )
    if client_id is not None:
        q = q.where(Engagement.client_id == client_id)
    with db.read(engine) as s:
        return [EngagementRow(*row) for row in s.execute(q.order_by(Engagement.proposed_at.desc(), Engagement.id.desc()))]


def _checks(s: Session, engagement_id: int) -> list[CompetenceCheck]:
    q = select(CompetenceCheck).where(CompetenceCheck.engagement_id == engagement_id)
    return list(s.scalars(q.order_by(CompetenceCheck.id.desc())))


def engagement_detail(engine: Engine, engagement_id: int) -> EngagementDetail | None:
    with db.read(engine) as s:
        engagement = s.get(Engagement, engagement_id)
        if engagement is None:
            return None
        contract = s.get(Contract, engagement.contract_id) if engagement.contract_id else None
        return EngagementDetail(
            engagement=engagement,
            client=s.get(Client, engagement.client_id),
            contract_reference=contract.reference if contract else None,
            checks=_checks(s, engagement_id),
            blocking=blocking_conflicts(s, engagement.client_id),
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
            client=s.get(Client, engagement.client_id),
            proposals=_proposals(s, engagement),
            blocking=blocking_conflicts(s, engagement.client_id),
            previous=checks[0] if checks else None,
        )


def record_check(engine: Engine, engagement_id: int, data: CompetenceCheckInput, now: datetime) -> int:
    """Append a check and apply its decision to the engagement; returns the check's id.

    The decision must pass `rules.check_decision` with the client's blocking
    conflicts counted in the same transaction; otherwise a ValidationError
    names each field to fix ("conflicts" for conflicts of interest) and
    nothing is written. Only the details the decision needs are kept: the
    partner (disclosed now) for accept_with_partner, the risk statement for
    accept_against_judgement.
    """
    with db.write(engine) as s:
        engagement = _get(s, engagement_id)
        if engagement.status not in CHECKABLE:
            status = EngagementStatus(engagement.status).label.lower()
            raise RefusedError(f"This engagement is {status}: a competence check is run before the work starts.")
        answers = CompetenceAnswers(data.familiarity, data.prior_projects, data.know_how)
        blocking = blocking_conflicts(s, engagement.client_id)
        violations = check_decision(
            answers,
            data.decision,
            data.partner_name or None,
            data.partner_disclosed_to_client,
            data.risk_statement or None,
            blocking.undisclosed,
            unanswered_conflicts=blocking.unanswered,
            refused_conflicts=blocking.refused,
        )
        if violations:
            raise violations_error("Competence check", violations)
        with_partner = data.decision is Decision.accept_with_partner
        against = data.decision is Decision.accept_against_judgement
        check = CompetenceCheck(
            engagement_id=engagement.id,
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
            partner_disclosed_at=now if with_partner else None,
            risk_statement=data.risk_statement if against else None,
        )
        s.add(check)
        engagement.status = STATUS_AFTER[data.decision].value
        engagement.decided_at = now
        s.flush()
        return check.id


def propose_evidence(engine: Engine, engagement_id: int) -> EvidenceProposals:
    """Evidence for the three questions, from the technician's own records.

    I (familiarity): skills register entries on the engagement's technologies,
    and earlier checks on them. II (equivalent projects): delivered engagements
    sharing a technology, project entries of the skills register, earlier
    checks. III (know-how): certifications and training, earlier checks.
    Technologies match whatever their case and spacing.
    """
    with db.read(engine) as s:
        return _proposals(s, _get(s, engagement_id))


def _proposals(s: Session, engagement: Engagement) -> EvidenceProposals:
    keys = {tag_key(t) for t in engagement.technologies}
    found: dict[Question, list[str]] = {q: [] for q in Question}

    # This engagement's own check in force comes first, as it was written.
    own = _checks(s, engagement.id)
    if own:
        for q in Question:
            evidence = getattr(own[0], f"{q.value}_evidence")
            if evidence and getattr(own[0], q.value) != Answer.no:
                found[q].append(evidence)

    delivered = s.execute(
        select(Engagement, Client.name)
        .join(Client, Client.id == Engagement.client_id)
        .where(Engagement.status == S.delivered.value, Engagement.id != engagement.id)
        .order_by(Engagement.delivered_at.desc())
    )
    for other, client_name in delivered:
        shared = [t for t in other.technologies if tag_key(t) in keys]
        if shared:
            when = other.delivered_at.date().isoformat() if other.delivered_at else "date not recorded"
            found[Question.prior_projects].append(
                f"Delivered “{other.title}” for {client_name} ({when}; {', '.join(shared)})"
            )

    for skill in matching_skills(s, keys):
        line = f"{SkillEvidence(skill.evidence).label} “{skill.title}” ({skill.technology}, {skill.obtained_on.isoformat()})"
        found[Question.familiarity].append(line)
        if skill.evidence == SkillEvidence.project:
            found[Question.prior_projects].append(line)
        if skill.evidence in (SkillEvidence.certification, SkillEvidence.training):
            found[Question.know_how].append(line)

    for check, title in _latest_checks_elsewhere(s, engagement.id):
        if not keys & {tag_key(t) for t in check.technologies}:
            continue
        for q in Question:
            evidence = getattr(check, f"{q.value}_evidence")
            if evidence and getattr(check, q.value) != Answer.no:
                found[q].append(
                    f"Check of {check.checked_at.date().isoformat()} on “{title}”, {q.numeral}:"
                    f" {getattr(check, q.value)} ({_quote(evidence)})"
                )

    return EvidenceProposals(**{q.value: tuple(_dedupe(found[q]))[:MAX_PROPOSALS] for q in Question})


def _latest_checks_elsewhere(s: Session, engagement_id: int):  # noqa: ANN202
    latest = (
        select(func.max(CompetenceCheck.id))
        .where(CompetenceCheck.engagement_id != engagement_id)
        .group_by(CompetenceCheck.engagement_id)
    )
    q = (
        select(CompetenceCheck, Engagement.title)
        .join(Engagement, Engagement.id == CompetenceCheck.engagement_id)
        .where(CompetenceCheck.id.in_(latest))
        .order_by(CompetenceCheck.id.desc())
    )
    return s.execute(q)


def _quote(evidence: str) -> str:
    # Quoted evidence is cut short so proposals built on proposals do not snowball.
    flat = " ".join(evidence.split())
    if len(flat) <= QUOTED_EVIDENCE_CHARS:
        return flat
    return flat[: QUOTED_EVIDENCE_CHARS - 1].rstrip() + "…"


def _dedupe(lines: list[str]) -> list[str]:
    # A line already part of an earlier one (typically the check in force, which
    # accepted an earlier proposal) is not proposed twice.
    kept: list[str] = []
    for line in lines:
        if not any(line in earlier for earlier in kept):
            kept.append(line)
    return kept


# --- choices for forms ------------------------------------------------------------------------


def client_choices(engine: Engine) -> list[tuple[str, int]]:
    """(“Name (CODE)”, id) for every client not archived, by name."""
    with db.read(engine) as s:
        q = select(Client.name, Client.code, Client.id).where(Client.archived_at.is_(None)).order_by(func.lower(Client.name))
        return [(f"{name} ({code})", cid) for name, code, cid in s.execute(q)]


def contract_choices(engine: Engine, client_id: int | None = None) -> list[tuple[str, int]]:
    """(“REFERENCE · title”, id) for contracts not archived (of one client when given)."""
    with db.read(engine) as s:
        q = select(Contract.reference, Contract.title, Contract.id, Client.code).join(Client, Client.id == Contract.client_id)
        q = q.where(Contract.archived_at.is_(None))
        if client_id is not None:
            q = q.where(Contract.client_id == client_id)
        return [
            (f"{ref} · {title}" if client_id is not None else f"{ref} · {code} · {title}", kid)
            for ref, title, kid, code in s.execute(q.order_by(Contract.reference))
        ]


def engagement_choices(engine: Engine, client_id: int | None = None) -> list[tuple[str, int]]:
    """(“CODE · title”, id) for the engagements (of one client when given), newest first."""
    return [(f"{r.client_code} · {r.engagement.title}", r.engagement.id) for r in list_engagements(engine, client_id)]
