"""What the competence check form says about what is typed, before anything is saved.

The rules (`msptui.core.rules`) judge the answers and the decision; the input
model reads the disclosure fields (the form never parses text itself). This
module words their verdicts for the lines under the fields; it touches no widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from msptui.core.i18n import N_, _
from msptui.core.rules import (
    ClientDisclosure,
    CompetenceAnswers,
    Decision,
    Question,
    check_decision,
    competence_outcome,
)
from msptui.ui.screens.engagements.competence_layout import ANSWER_ALL

# Field names as the rules and the input model name them.
DISCLOSURE_FIELDS = ("disclosed_to", "disclosed_on", "disclosed_how")
RULE_FIELDS = ("decision", "conflicts", "partner_name", "partner_competence", "risk_statement", *DISCLOSURE_FIELDS)
# The labels of the form's fields (marked for the catalogue; `worded` translates them).
LABELS = {
    **{q.value: N_("Answer") for q in Question},
    **{f"{q.value}_evidence": N_("Evidence") for q in Question},
    "decision": N_("Decision"),
    "partner_name": N_("Partner"),
    "partner_competence": N_("Competence"),
    "risk_statement": N_("Risk statement"),
    "disclosed_to": N_("To whom"),
    "disclosed_on": N_("On"),
    "disclosed_how": N_("How"),
}


@dataclass(frozen=True)
class Reading:
    """The rules' view of the form as it stands."""

    summary: str  # what the answers allow, or how to answer
    allowed: frozenset[str] | None  # the decisions the answers allow; None until all three are answered
    messages: dict[str, str]  # field name -> what the rules say about it


def blocking_warning(blocking: Any) -> str:
    """The client's conflicts that stop any acceptance, in the rules' words ('' when none)."""
    # Asking the rules about a plain accept gives their sentence.
    words = [
        v.message
        for v in check_decision(
            CompetenceAnswers("yes", "yes", "yes"),
            Decision.accept,
            undisclosed_conflicts=blocking.undisclosed,
            unanswered_conflicts=blocking.unanswered,
            refused_conflicts=blocking.refused,
        )
        if v.field == "conflicts"
    ]
    return _("⚠ {conflicts} Ctrl+O opens the register.").format(conflicts=" ".join(words)) if words else ""


def read_disclosure(values: dict[str, Any]) -> tuple[ClientDisclosure, dict[str, str]]:
    """What was typed about telling the client, read by the input model, and the
    model's own messages (a date that is not one)."""
    from pydantic import ValidationError

    from msptui.store.schemas import field_errors
    from msptui.store.schemas.engagements import CheckDisclosureInput

    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in DISCLOSURE_FIELDS:
        try:
            parsed[name] = getattr(CheckDisclosureInput(**{name: values[name]}), name)
        except ValidationError as exc:
            errors.update(field_errors(exc))
            parsed[name] = None
    return ClientDisclosure(parsed["disclosed_to"] or None, parsed["disclosed_on"], parsed["disclosed_how"]), errors


def read_check(values: dict[str, Any], blocking: Any, today: date) -> Reading:
    """The outcome of the answers and every message about the decision and its fields."""
    if not all(q.value in values for q in Question):
        return Reading(_(ANSWER_ALL), None, {})
    answers = CompetenceAnswers(*(values[q.value] for q in Question))
    outcome = competence_outcome(answers)
    messages: dict[str, str] = {}
    decision = values.get("decision")
    if decision is not None:
        disclosure, typed_wrong = read_disclosure(values)
        for v in check_decision(
            answers,
            decision,
            partner_name=values["partner_name"] or None,
            partner_competence=values["partner_competence"] or None,
            risk_statement=values["risk_statement"] or None,
            disclosure=disclosure,
            today=today,
            undisclosed_conflicts=blocking.undisclosed,
            unanswered_conflicts=blocking.unanswered,
            refused_conflicts=blocking.refused,
        ):
            messages[v.field] = f"{messages[v.field]} {v.message}" if v.field in messages else v.message
        if Decision(decision).needs_disclosure:
            messages.update(typed_wrong)
    return Reading(outcome.summary, frozenset(outcome.allowed), messages)


def worded(name: str, message: str) -> str:
    """A message as shown under its field."""
    # Validation messages are fragments ("is required"); rule messages are sentences.
    if message[:1].islower():
        label = _(LABELS[name]) if name in LABELS else name.replace("_", " ").capitalize()
        return f"{label} {message}"
    return message


def message_lines(messages: dict[str, str]) -> dict[str, str]:
    """The text of every message line of the form (by widget id), '' where there is nothing to say.

    A question's line speaks of its answer and its evidence; anything the form has
    no field for goes to the last line."""
    lines: dict[str, str] = {}
    for q in Question:
        parts = [worded(name, messages[name]) for name in (q.value, f"{q.value}_evidence") if name in messages]
        lines[f"error-{q.value}"] = " ".join(parts)
    for name in RULE_FIELDS:
        lines[f"error-{name}"] = worded(name, messages[name]) if name in messages else ""
    known = {*RULE_FIELDS, *LABELS}
    lines["error-form"] = " ".join(worded(k, m) for k, m in messages.items() if k not in known)
    return lines
