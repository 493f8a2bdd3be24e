"""Pure rules of the trade: competence self-check, conflicts of interest, delivery.

Standard library and `msptui.core.i18n` / `msptui.core.formats` only (the words a
technician reads are in the current language); nothing else of the project (no
Textual, no store), so screens, store and tests can all rely on the same definitions.
Enum values are the snake_case words stored in the database.

- `competence`: the three questions, the decisions they allow, `check_decision`,
                whether a check is current.
- `changes`:    change requests to an accepted engagement's scope, price, deadline.
- `conflicts`:  a conflict's status, whether it blocks acceptance, its age.
- `delivery`:   readiness of a delivery, delivery note numbers.

The names below are loaded on first use (PEP 562): importing one rule module
(the board's `ticket_actions` before the first frame) does not load them all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from msptui.core.rules.changes import ChangedTerm, TermChange, changed_terms, check_change_agreement
    from msptui.core.rules.competence import (
        MIN_RISK_STATEMENT_CHARS,
        Answer,
        ClientDisclosure,
        CompetenceAnswers,
        CompetenceOutcome,
        Decision,
        DisclosureMeans,
        Question,
        check_client_disclosure,
        check_decision,
        check_in_force_problem,
        check_is_current,
        competence_outcome,
        risk_statement_length,
        technology_key,
    )
    from msptui.core.rules.conflicts import (
        FUTURE_TOLERANCE,
        ClientAnswer,
        ConflictKind,
        ConflictStatus,
        blocks_acceptance,
        conflict_status,
        format_age,
        undisclosed_for,
        validate_disclosure,
    )
    from msptui.core.rules.delivery import (
        GIVEN_AS,
        DeliveryParts,
        DocumentLine,
        PartState,
        Readiness,
        TestLine,
        TestResult,
        delivery_readiness,
        format_note_number,
        parse_note_number,
    )
    from msptui.core.rules.words import RuleViolation, Word

# name -> the module that defines it
_WHERE = {
    "ChangedTerm": "msptui.core.rules.changes",
    "TermChange": "msptui.core.rules.changes",
    "changed_terms": "msptui.core.rules.changes",
    "check_change_agreement": "msptui.core.rules.changes",
    "MIN_RISK_STATEMENT_CHARS": "msptui.core.rules.competence",
    "Answer": "msptui.core.rules.competence",
    "ClientDisclosure": "msptui.core.rules.competence",
    "CompetenceAnswers": "msptui.core.rules.competence",
    "CompetenceOutcome": "msptui.core.rules.competence",
    "Decision": "msptui.core.rules.competence",
    "DisclosureMeans": "msptui.core.rules.competence",
    "Question": "msptui.core.rules.competence",
    "check_client_disclosure": "msptui.core.rules.competence",
    "check_decision": "msptui.core.rules.competence",
    "check_in_force_problem": "msptui.core.rules.competence",
    "check_is_current": "msptui.core.rules.competence",
    "competence_outcome": "msptui.core.rules.competence",
    "risk_statement_length": "msptui.core.rules.competence",
    "technology_key": "msptui.core.rules.competence",
    "FUTURE_TOLERANCE": "msptui.core.rules.conflicts",
    "ClientAnswer": "msptui.core.rules.conflicts",
    "ConflictKind": "msptui.core.rules.conflicts",
    "ConflictStatus": "msptui.core.rules.conflicts",
    "blocks_acceptance": "msptui.core.rules.conflicts",
    "conflict_status": "msptui.core.rules.conflicts",
    "format_age": "msptui.core.rules.conflicts",
    "undisclosed_for": "msptui.core.rules.conflicts",
    "validate_disclosure": "msptui.core.rules.conflicts",
    "GIVEN_AS": "msptui.core.rules.delivery",
    "DeliveryParts": "msptui.core.rules.delivery",
    "DocumentLine": "msptui.core.rules.delivery",
    "PartState": "msptui.core.rules.delivery",
    "Readiness": "msptui.core.rules.delivery",
    "TestLine": "msptui.core.rules.delivery",
    "TestResult": "msptui.core.rules.delivery",
    "delivery_readiness": "msptui.core.rules.delivery",
    "format_note_number": "msptui.core.rules.delivery",
    "parse_note_number": "msptui.core.rules.delivery",
    "RuleViolation": "msptui.core.rules.words",
    "Word": "msptui.core.rules.words",
}

__all__ = [
    "FUTURE_TOLERANCE",
    "GIVEN_AS",
    "MIN_RISK_STATEMENT_CHARS",
    "Answer",
    "ChangedTerm",
    "ClientAnswer",
    "ClientDisclosure",
    "CompetenceAnswers",
    "CompetenceOutcome",
    "ConflictKind",
    "ConflictStatus",
    "Decision",
    "DisclosureMeans",
    "DeliveryParts",
    "DocumentLine",
    "PartState",
    "Question",
    "Readiness",
    "TermChange",
    "RuleViolation",
    "TestLine",
    "TestResult",
    "Word",
    "blocks_acceptance",
    "changed_terms",
    "check_change_agreement",
    "check_client_disclosure",
    "check_decision",
    "check_in_force_problem",
    "check_is_current",
    "competence_outcome",
    "conflict_status",
    "delivery_readiness",
    "format_age",
    "format_note_number",
    "parse_note_number",
    "risk_statement_length",
    "technology_key",
    "undisclosed_for",
    "validate_disclosure",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value  # once: the next look-up is a plain global
    return value
