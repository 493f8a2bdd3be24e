"""Pure rules of the trade: competence self-check, conflicts of interest, delivery.

Standard library only; imports nothing else of the project (no Textual, no
store), so screens, store and tests can all rely on the same definitions.
Enum values are the snake_case words stored in the database.

- `competence`: the three questions, the decisions they allow, `check_decision`,
                whether a check is current.
- `changes`:    change requests to an accepted engagement's scope, price, deadline.
- `conflicts`:  a conflict's status, whether it blocks acceptance, its age.
- `delivery`:   readiness of a delivery, delivery note numbers.
"""

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
