"""Evidence proposed for the three competence questions, from the technician's own records.

Read-only, inside the caller's transaction. Quoted evidence is cut short so
that proposals built on proposals do not snowball.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import CompoundSelect, Engine, Result, func, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules import Answer, Question
from msptui.core.rules.skills import matches_any
from msptui.core.vocabulary import EngagementStatus, SkillEvidence
from msptui.store import db
from msptui.store.models import Client, CompetenceCheck, Delivery, DeliveryTest, Engagement, saved_id
from msptui.store.skills import matching_skills

MAX_PROPOSALS = 6
QUOTED_EVIDENCE_CHARS = 120


@dataclass(frozen=True)
class EvidenceProposals:
    """Lines of evidence found in the database, per question (most relevant first)."""

    familiarity: tuple[str, ...] = ()
    prior_projects: tuple[str, ...] = ()
    know_how: tuple[str, ...] = ()

    def lines(self, question: Question | str) -> tuple[str, ...]:
        lines: tuple[str, ...] = getattr(self, Question(question).value)
        return lines

    def text(self, question: Question | str) -> str:
        """The proposal as one evidence text, ready to pre-fill a field ('' when nothing was found)."""
        return "; ".join(self.lines(question))


def _checks(s: Session, engagement_id: int) -> list[CompetenceCheck]:
    q = select(CompetenceCheck).where(col(CompetenceCheck.engagement_id) == engagement_id)
    return list(s.scalars(q.order_by(col(CompetenceCheck.id).desc())))


def propose_evidence(engine: Engine, engagement_id: int) -> EvidenceProposals:
    """Evidence for the three questions, from the technician's own records.

    I (familiarity): skills register entries on the engagement's technologies,
    and earlier checks on them. II (equivalent projects): delivered engagements
    sharing a technology, never one whose tests were waived (the whole tests
    part, or any one test), project entries of the skills register, earlier
    checks. III (know-how): certifications and training, earlier checks.
    Technologies match on words, whatever their case and accents (`core.rules.skills`):
    the skill "Ubiquiti UniFi" is evidence for an engagement on "UniFi".
    """
    from msptui.store.engagements import _get

    with db.read(engine) as s:
        return _proposals(s, _get(s, engagement_id))


def _proposals(s: Session, engagement: Engagement) -> EvidenceProposals:
    wanted = list(engagement.technologies)
    found: dict[Question, list[str]] = {q: [] for q in Question}

    # This engagement's own check in force comes first, as it was written.
    engagement_id = saved_id(engagement)
    own = _checks(s, engagement_id)
    if own:
        for q in Question:
            evidence = getattr(own[0], f"{q.value}_evidence")
            if evidence and getattr(own[0], q.value) != Answer.no:
                found[q].append(evidence)

    delivered = s.execute(
        select(Engagement, col(Client.name))
        .join(Client, col(Client.id) == Engagement.client_id)
        .where(
            col(Engagement.status) == EngagementStatus.delivered.value,
            col(Engagement.id) != engagement_id,
            ~col(Engagement.id).in_(_with_waived_tests()),
        )
        .order_by(col(Engagement.delivered_at).desc())
    )
    for other, client_name in delivered:
        shared = [t for t in other.technologies if matches_any(t, wanted)]
        if shared:
            when = other.delivered_at.date().isoformat() if other.delivered_at else _("date not recorded")
            found[Question.prior_projects].append(
                _("Delivered “{title}” for {client} ({when}; {technologies})").format(
                    title=other.title, client=client_name, when=when, technologies=", ".join(shared)
                )
            )

    for skill in matching_skills(s, wanted):
        line = _("{evidence} “{title}” ({technology}, {day})").format(
            evidence=SkillEvidence(skill.evidence).label,
            title=skill.title,
            technology=skill.technology,
            day=skill.obtained_on.isoformat(),
        )
        found[Question.familiarity].append(line)
        if skill.evidence == SkillEvidence.project:
            found[Question.prior_projects].append(line)
        if skill.evidence in (SkillEvidence.certification, SkillEvidence.training):
            found[Question.know_how].append(line)

    # Nor is an earlier check of such an engagement offered for question II: it would
    # bring the waived delivery back under another name.
    waived = set(s.scalars(_with_waived_tests()))
    for check, title in _latest_checks_elsewhere(s, engagement_id):
        if not any(matches_any(t, wanted) for t in check.technologies):
            continue
        for q in Question:
            if q is Question.prior_projects and check.engagement_id in waived:
                continue
            evidence = getattr(check, f"{q.value}_evidence")
            if evidence and getattr(check, q.value) != Answer.no:
                found[q].append(
                    _("Check of {day} on “{title}”, {numeral}: {answer} ({evidence})").format(
                        day=check.checked_at.date().isoformat(),
                        title=title,
                        numeral=q.numeral,
                        answer=Answer(getattr(check, q.value)).label.lower(),
                        evidence=_quote(evidence),
                    )
                )

    return EvidenceProposals(**{q.value: tuple(_dedupe(found[q]))[:MAX_PROPOSALS] for q in Question})


def _with_waived_tests() -> CompoundSelect[int]:
    # A delivery whose tests were waived proves nothing about an equivalent project.
    whole = select(col(Delivery.engagement_id)).where(col(Delivery.tests_waived_reason).is_not(None))
    one = (
        select(col(Delivery.engagement_id))
        .join(DeliveryTest, col(DeliveryTest.delivery_id) == Delivery.id)
        .where(col(DeliveryTest.waived_reason).is_not(None))
    )
    return whole.union(one)


def _latest_checks_elsewhere(s: Session, engagement_id: int) -> Result[CompetenceCheck, str]:
    latest = (
        select(func.max(CompetenceCheck.id))
        .where(col(CompetenceCheck.engagement_id) != engagement_id)
        .group_by(col(CompetenceCheck.engagement_id))
    )
    q = (
        select(CompetenceCheck, col(Engagement.title))
        .join(Engagement, col(Engagement.id) == CompetenceCheck.engagement_id)
        .where(col(CompetenceCheck.id).in_(latest))
        .order_by(col(CompetenceCheck.id).desc())
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
