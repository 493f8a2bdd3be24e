"""The skills register: certifications, training, projects and self-study, per technology.

It is the technician's own record, read back as evidence by the competence
self-check (see `engagements.propose_evidence`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules.skills import known_technologies, matches_any
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import Engagement, Skill, saved_id
from msptui.store.schemas.engagements import SkillCreate


def add_skill(engine: Engine, data: SkillCreate) -> int:
    with db.write(engine) as s:
        row = Skill(**data.model_dump())
        s.add(row)
        s.flush()
        return saved_id(row)


def update_skill(engine: Engine, skill_id: int, data: SkillCreate) -> None:
    with db.write(engine) as s:
        row = s.get(Skill, skill_id)
        if row is None:
            raise RefusedError(_("This skill entry no longer exists."))
        for key, value in data.model_dump().items():
            setattr(row, key, value)


def delete_skill(engine: Engine, skill_id: int) -> None:
    with db.write(engine) as s:
        row = s.get(Skill, skill_id)
        if row is not None:
            s.delete(row)


def list_skills(engine: Engine) -> list[Skill]:
    """Every entry, by technology (any case) then most recent first."""
    with db.read(engine) as s:
        return list(s.scalars(select(Skill).order_by(func.lower(Skill.technology), col(Skill.obtained_on).desc())))


def skills_for(engine: Engine, technologies: Iterable[str]) -> list[Skill]:
    """Entries whose technology matches one of `technologies`, most recent first.

    Matching is the rule's (`core.rules.skills.technologies_match`): on words, whatever
    their case and accents, so the skill "Ubiquiti UniFi" counts for "UniFi"."""
    with db.read(engine) as s:
        return matching_skills(s, technologies)


def matching_skills(s: Session, technologies: Iterable[str]) -> list[Skill]:
    """`skills_for` inside an open transaction."""
    wanted = list(technologies)
    rows = s.scalars(select(Skill).order_by(col(Skill.obtained_on).desc(), col(Skill.id).desc()))
    return [skill for skill in rows if matches_any(skill.technology, wanted)]


def technologies_in_use(engine: Engine) -> list[str]:
    """Every technology named by an engagement or a skills register entry, each once,
    the most used first: what a technologies field offers as completions."""
    with db.read(engine) as s:
        names = list(s.scalars(select(col(Skill.technology))))
        for technologies in s.scalars(select(col(Engagement.technologies))):
            names.extend(technologies)
    return known_technologies(names)
