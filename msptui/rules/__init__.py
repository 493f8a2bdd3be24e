"""Pure rules of the trade: competence self-check, conflicts of interest, delivery.

Standard library only; imports nothing else of the project (no Textual, no
store), so screens, store and tests can all rely on the same definitions.
Enum values are the snake_case words stored in the database.

- `competence`: the three questions, the decisions they allow, `check_decision`.
- `conflicts`:  a conflict's status, whether it blocks acceptance, its age.
- `delivery`:   readiness of a delivery, delivery note numbers.
"""

from msptui.rules.competence import (
    MIN_RISK_STATEMENT_CHARS,
    Answer,
    CompetenceAnswers,
    CompetenceOutcome,
    Decision,
    Question,
    check_decision,
    competence_outcome,
    risk_statement_length,
)
from msptui.rules.conflicts import (
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
from msptui.rules.delivery import (
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
from msptui.rules.words import RuleViolation, Word

__all__ = [
    "FUTURE_TOLERANCE",
    "GIVEN_AS",
    "MIN_RISK_STATEMENT_CHARS",
    "Answer",
    "ClientAnswer",
    "CompetenceAnswers",
    "CompetenceOutcome",
    "ConflictKind",
    "ConflictStatus",
    "Decision",
    "DeliveryParts",
    "DocumentLine",
    "PartState",
    "Question",
    "Readiness",
    "RuleViolation",
    "TestLine",
    "TestResult",
    "Word",
    "blocks_acceptance",
    "check_decision",
    "competence_outcome",
    "conflict_status",
    "delivery_readiness",
    "format_age",
    "format_note_number",
    "parse_note_number",
    "risk_statement_length",
    "undisclosed_for",
    "validate_disclosure",
]
