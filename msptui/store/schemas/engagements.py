"""Input models for engagements, competence checks, skills and conflicts of interest.

Same pattern as `msptui.store.schemas`: the only validators of user input,
each error naming the field and what is expected. Instants typed in a form
("YYYY-MM-DD HH:MM") come back naive here; the store reads them in the
client's time zone (`as_client_time`), because that is where the meeting,
call or e-mail happened.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Optional
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, ValidationError, model_validator

from msptui.core.i18n import _
from msptui.core.rules import (
    Answer,
    ClientAnswer,
    ConflictKind,
    Decision,
    DisclosureMeans,
    RuleViolation,
    technology_key,
)
from msptui.core.vocabulary import SkillEvidence
from msptui.store.schemas.common import FieldError, Input, Line, Name, Text, _bounded_optional_date, _line

MAX_TAGS = 12
TAG_CHARS = 40


# --- technology tags -------------------------------------------------------------


def tag_key(tag: str) -> str:
    """How two tags are compared: case and spacing do not matter ("microsoft  365" = "Microsoft 365")."""
    return technology_key(tag)


_Tag = Annotated[str, _line(TAG_CHARS)]


def _split_tags(value: object) -> object:
    # A form gives "Microsoft 365, Intune"; code gives a list.
    if isinstance(value, str):
        return [part for part in value.replace(";", ",").split(",")]
    return value


def _tags(values: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        tag = " ".join(value.split())
        if tag and tag_key(tag) not in seen:
            seen.add(tag_key(tag))
            out.append(tag)
    if not out:
        raise ValueError(_("needs at least one technology, comma-separated (e.g. Microsoft 365, Intune)"))
    if len(out) > MAX_TAGS:
        raise ValueError(_("has {count} technologies; at most {most}").format(count=len(out), most=MAX_TAGS))
    return out


Technologies = Annotated[list[_Tag], BeforeValidator(_split_tags), AfterValidator(_tags)]
Technology = Annotated[str, _line(TAG_CHARS, required=True), AfterValidator(lambda v: " ".join(v.split()))]


# --- dates and instants typed in a form ---------------------------------------------

INSTANT_FORMAT = "%Y-%m-%d %H:%M"


def _blank_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _instant(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().replace("T", " ")
        for fmt in (INSTANT_FORMAT, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(_("must be a date and time YYYY-MM-DD HH:MM (e.g. 2026-11-23 14:30)")) from None
    return value


OptionalDate = Annotated[Optional[date], BeforeValidator(_blank_none)]
OptionalBoundedDate = Annotated[Optional[date], BeforeValidator(_blank_none), AfterValidator(_bounded_optional_date)]
OptionalMeans = Annotated[Optional[DisclosureMeans], BeforeValidator(_blank_none)]

MAX_PRICE = Decimal("9999999999.99")


def _price_text(value: object) -> object:
    # "1 200,50" as typed in France, "1200.50" elsewhere; blank is no price.
    if isinstance(value, str):
        text = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        text = text.removesuffix("€").removesuffix("EUR")
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(_("must be an amount in euros, e.g. 1200 or 1200.50")) from None
    return value


def _price(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or value < 0:
        raise ValueError(_("must be an amount of zero or more, e.g. 1200.50"))
    if value > MAX_PRICE:
        raise ValueError(_("is too large: at most {most}").format(most=MAX_PRICE))
    cents = value.quantize(Decimal("0.01"))
    if value != cents:
        raise ValueError(_("has at most two decimals (cents)"))
    return cents


Price = Annotated[Optional[Decimal], BeforeValidator(_price_text), AfterValidator(_price)]


def format_price(value: Decimal | None) -> str:
    """'1200.50 EUR', or '' for no price."""
    return "" if value is None else f"{value:.2f} EUR"


# Before-validators run last-declared first: blank must become None before parsing.
OptionalInstant = Annotated[Optional[datetime], BeforeValidator(_instant), BeforeValidator(_blank_none)]


def as_client_time(value: datetime, zone: str) -> datetime:
    """An instant typed without a zone is read in the client's zone; an aware one is kept."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=ZoneInfo(zone))
    return value


def format_instant(value: datetime | None, zone: str) -> str:
    """'2026-11-23 10:00' in the client's zone; '' for None."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(INSTANT_FORMAT)


# --- engagements ----------------------------------------------------------------------


class EngagementUpdate(Input):
    title: Name
    description: Text = ""
    technologies: Technologies
    contract_id: Optional[int] = None
    start_date: OptionalDate = None
    end_date: OptionalDate = None  # the deadline
    price: Price = None

    @model_validator(mode="after")
    def _dates(self) -> EngagementUpdate:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise FieldError("end_date", _("must be on or after the start date"))
        return self


class EngagementCreate(EngagementUpdate):
    client_id: int


class ChangeAgreement(Input):
    """Why an accepted engagement's scope, price or deadline changes, and the client's agreement.

    Whether it is complete is the rules' business (`rules.check_change_agreement`),
    applied by the store only when something that needs it changed.
    """

    change_reason: Text = ""
    agreed_by: Line = ""
    agreed_on: OptionalDate = None
    agreed_how: OptionalMeans = None

    @property
    def is_blank(self) -> bool:
        return not (self.change_reason.strip() or self.agreed_by or self.agreed_on or self.agreed_how)


class CheckDisclosureInput(Input):
    """Telling the client of a check's partner or risks, recorded after the check."""

    disclosed_to: Line = ""
    disclosed_on: OptionalDate = None
    disclosed_how: OptionalMeans = None


class CompetenceCheckInput(Input):
    """The three answers with their evidence, and the decision with what it needs.

    A yes must say what shows it (a project, a certification, training): a bare
    yes is a claim, not a demonstration. Whether the decision is allowed is the
    rules' business (`msptui.core.rules.check_decision`), applied by the store.
    """

    familiarity: Answer
    familiarity_evidence: Text = ""
    prior_projects: Answer
    prior_projects_evidence: Text = ""
    know_how: Answer
    know_how_evidence: Text = ""
    decision: Decision
    partner_name: Line = ""
    partner_competence: Line = ""
    risk_statement: Text = ""
    # Telling the client of the partner, or giving it the risks in writing.
    disclosed_to: Line = ""
    disclosed_on: OptionalDate = None
    disclosed_how: OptionalMeans = None

    @model_validator(mode="after")
    def _evidence_for_yes(self) -> CompetenceCheckInput:
        missing = [
            RuleViolation(
                f"{q}_evidence", _("is required for a yes: say what shows it (project, certification, training)")
            )
            for q in ("familiarity", "prior_projects", "know_how")
            if getattr(self, q) is Answer.yes and not getattr(self, f"{q}_evidence")
        ]
        if missing:
            raise violations_error("Competence check", missing)  # i18n: not shown (pydantic's title)
        return self


# --- skills register --------------------------------------------------------------------


class SkillCreate(Input):
    technology: Technology
    evidence: SkillEvidence
    title: Name
    obtained_on: date
    notes: Text = ""
    # A certification's end of validity: it comes due on the board before it lapses (issue 18).
    expires_on: OptionalBoundedDate = None

    @model_validator(mode="after")
    def _expires_after_obtained(self) -> SkillCreate:
        if self.expires_on is not None and self.expires_on <= self.obtained_on:
            raise FieldError("expires_on", _("must be after the day it was obtained"))
        return self


# --- conflicts of interest -----------------------------------------------------------------


def _required_description(value: str) -> str:
    if not value:
        raise ValueError(_("is required: say what the conflict is, with whom, and what is at stake"))
    return value


class ConflictCreate(Input):
    client_id: int
    engagement_id: Optional[int] = None
    kind: ConflictKind
    description: Annotated[Text, AfterValidator(_required_description)]
    identified_at: OptionalInstant = None  # None: now


class DisclosureInput(Input):
    """When, to whom and how the client was told; the answer too when given on the spot."""

    disclosed_at: OptionalInstant = None
    to_whom: Line = ""
    how: Line = ""
    client_answer: Optional[ClientAnswer] = None


class ClientAnswerInput(Input):
    answer: ClientAnswer
    answered_at: OptionalInstant = None  # None: now


# --- rule violations as field errors ----------------------------------------------------------


def violations_error(title: str, violations: list[RuleViolation]) -> ValidationError:
    """One ValidationError carrying every violation under its field, as forms show them.

    Several violations on one field (e.g. two kinds of blocking conflicts) are joined.
    """
    by_field: dict[str, list[str]] = {}
    for v in violations:
        by_field.setdefault(v.field, []).append(v.message)
    return ValidationError.from_exception_data(
        title,
        [
            {"type": "value_error", "loc": (name,), "input": None, "ctx": {"error": FieldError(name, " ".join(msgs))}}
            for name, msgs in by_field.items()
        ],
    )
