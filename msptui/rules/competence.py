"""The competence self-check before accepting a project.

Codes of conduct of the trade: offer only what you are competent for; where a
competence is external, the client must be told; a decision taken against
one's own professional judgement carries a written explanation of its risks
and consequences. Three questions decide what may be chosen:

- I.   familiarity:    am I familiar with this technology, or a similar one?
- II.  prior_projects: have I done equivalent projects before?
- III. know_how:       can I demonstrate the know-how for this business or
                       these technical requirements?
"""

from __future__ import annotations

from dataclasses import dataclass

from msptui.rules.words import RuleViolation, Word, is_blank, plural

#: A risk statement shorter than this (counting non-blank characters) is not an explanation.
MIN_RISK_STATEMENT_CHARS = 30


class Answer(Word):
    yes = "yes"
    partly = "partly"
    no = "no"


class Question(Word):
    familiarity = "familiarity"
    prior_projects = "prior_projects"
    know_how = "know_how"

    @property
    def numeral(self) -> str:
        """'I', 'II' or 'III', as the codes of conduct number them."""
        return _NUMERALS[self.value]

    @property
    def prompt(self) -> str:
        """The question as the technician is asked it."""
        return _PROMPTS[self.value]

    @property
    def label(self) -> str:
        """Short name of what the question is about, e.g. 'equivalent projects'."""
        return _SHORT[self.value]


_NUMERALS = {"familiarity": "I", "prior_projects": "II", "know_how": "III"}
_PROMPTS = {
    "familiarity": "Am I familiar with this technology, or have I worked with a similar one?",
    "prior_projects": "Have I done equivalent projects before?",
    "know_how": "Can I demonstrate the know-how for this business or these technical requirements?",
}
_SHORT = {
    "familiarity": "familiarity with the technology",
    "prior_projects": "equivalent projects",
    "know_how": "know-how for the business",
}


class Decision(Word):
    accept = "accept"
    accept_with_partner = "accept_with_partner"
    accept_against_judgement = "accept_against_judgement"
    decline = "decline"

    @property
    def is_accepting(self) -> bool:
        """True for every decision except decline: the project goes ahead."""
        return self is not Decision.decline


@dataclass(frozen=True, slots=True)
class CompetenceAnswers:
    """The three answers. Plain strings from the database are accepted and
    turned into `Answer`; anything but yes/partly/no raises ValueError."""

    familiarity: Answer
    prior_projects: Answer
    know_how: Answer

    def __post_init__(self) -> None:
        for question in Question:
            object.__setattr__(self, question.value, Answer(getattr(self, question.value)))

    def answer_to(self, question: Question | str) -> Answer:
        """The answer given to one question."""
        return getattr(self, Question(question).value)

    @property
    def gaps(self) -> tuple[Question, ...]:
        """The questions not answered with a clear yes, in the order I, II, III."""
        return tuple(q for q in Question if self.answer_to(q) is not Answer.yes)


@dataclass(frozen=True, slots=True)
class CompetenceOutcome:
    """What the answers allow.

    `allowed` always contains decline. With three yes it is {accept, decline}.
    With any gap it is {accept_with_partner, accept_against_judgement, decline}:
    accept_with_partner needs a named partner disclosed to the client, and
    accept_against_judgement needs a written statement of risks and
    consequences (see `check_decision`). `gaps` lists the questions that were
    not a clear yes; `summary` says all this in one or two plain sentences.
    """

    allowed: frozenset[Decision]
    gaps: tuple[Question, ...]
    summary: str


def competence_outcome(answers: CompetenceAnswers) -> CompetenceOutcome:
    """The decisions the three answers allow, the gaps, and a plain summary."""
    gaps = answers.gaps
    if not gaps:
        return CompetenceOutcome(
            allowed=frozenset({Decision.accept, Decision.decline}),
            gaps=(),
            summary="Yes to all three questions: you may accept, or decline.",
        )
    return CompetenceOutcome(
        allowed=frozenset(
            {Decision.accept_with_partner, Decision.accept_against_judgement, Decision.decline}
        ),
        gaps=gaps,
        summary=(
            f"Not a clear yes on {_describe_gaps(answers, gaps)}: accept only with a declared"
            " external partner, or decline. Accepting anyway goes against your own judgement"
            " and needs a written statement of the risks and consequences."
        ),
    )


def check_decision(
    answers: CompetenceAnswers,
    decision: Decision | str,
    partner_name: str | None,
    partner_disclosed_to_client: bool,
    risk_statement: str | None,
    undisclosed_conflicts: int,
    *,
    unanswered_conflicts: int = 0,
    refused_conflicts: int = 0,
) -> list[RuleViolation]:
    """Why `decision` may not be recorded; an empty list means it may.

    Violations come in the order a form shows the fields: "decision",
    "partner_name", "partner_disclosed_to_client", "risk_statement",
    "conflicts". Rules:

    - decline is always allowed, whatever else is true.
    - accept needs three clear yes.
    - accept_with_partner and accept_against_judgement are for when there is a
      gap; with three yes they are refused (nothing is missing, nothing is
      against your judgement: accept).
    - accept_with_partner needs a non-blank partner name and the partner
      disclosed to the client.
    - accept_against_judgement needs a risk statement of at least
      MIN_RISK_STATEMENT_CHARS non-blank (non-whitespace) characters.
    - every accepting decision is refused while a conflict of interest with
      this client blocks acceptance (see `conflicts.blocks_acceptance`):
      `undisclosed_conflicts` counts the undisclosed ones; the optional
      `unanswered_conflicts` and `refused_conflicts` count those disclosed and
      still awaiting the client's answer, and those the client refused.

    Details that do not apply to the decision (a partner name on a decline)
    are ignored, so a form may keep them while the technician hesitates.
    Raises ValueError for an unknown decision or a negative count.
    """
    decision = Decision(decision)
    for name, count in (
        ("undisclosed_conflicts", undisclosed_conflicts),
        ("unanswered_conflicts", unanswered_conflicts),
        ("refused_conflicts", refused_conflicts),
    ):
        if count < 0:
            raise ValueError(f"{name} cannot be negative, got {count}")
    if decision is Decision.decline:
        return []

    violations: list[RuleViolation] = []
    gaps = answers.gaps
    if decision is Decision.accept and gaps:
        violations.append(
            RuleViolation(
                "decision",
                f"You did not answer a clear yes on {_describe_gaps(answers, gaps)}: accept"
                " with a declared external partner, accept against your own judgement with a"
                " written statement of the risks, or decline.",
            )
        )
    elif decision is not Decision.accept and not gaps:
        violations.append(
            RuleViolation(
                "decision",
                "You answered yes to all three questions: nothing is missing and nothing is"
                " against your judgement, so accept, or decline.",
            )
        )
    elif decision is Decision.accept_with_partner:
        if is_blank(partner_name):
            violations.append(
                RuleViolation(
                    "partner_name", "Name the external partner who brings the missing competence."
                )
            )
        if not partner_disclosed_to_client:
            violations.append(
                RuleViolation(
                    "partner_disclosed_to_client",
                    "The partner must be disclosed to the client before accepting.",
                )
            )
    elif decision is Decision.accept_against_judgement:
        if risk_statement_length(risk_statement) < MIN_RISK_STATEMENT_CHARS:
            violations.append(
                RuleViolation(
                    "risk_statement",
                    "Explain in writing the risks and consequences of accepting against your"
                    f" own judgement (at least {MIN_RISK_STATEMENT_CHARS} characters).",
                )
            )

    if undisclosed_conflicts:
        verb = "is" if undisclosed_conflicts == 1 else "are"
        pronoun = "it" if undisclosed_conflicts == 1 else "them"
        violations.append(
            RuleViolation(
                "conflicts",
                f"{plural(undisclosed_conflicts, 'conflict', 'conflicts')} of interest with this"
                f" client {verb} not disclosed yet: disclose {pronoun} before accepting.",
            )
        )
    if unanswered_conflicts:
        verb = "is" if unanswered_conflicts == 1 else "are"
        violations.append(
            RuleViolation(
                "conflicts",
                f"{plural(unanswered_conflicts, 'disclosed conflict')} of interest with this"
                f" client {verb} still awaiting the client's answer: record the answer before"
                " accepting.",
            )
        )
    if refused_conflicts:
        pronoun = "it" if refused_conflicts == 1 else "them"
        violations.append(
            RuleViolation(
                "conflicts",
                f"The client refused {plural(refused_conflicts, 'disclosed conflict')} of"
                f" interest: end {pronoun} and close {pronoun} before accepting, or decline.",
            )
        )
    return violations


def risk_statement_length(statement: str | None) -> int:
    """How many non-blank (non-whitespace) characters the statement has; 0 for None."""
    if statement is None:
        return 0
    return sum(1 for ch in statement if not ch.isspace())


def _describe_gaps(answers: CompetenceAnswers, gaps: tuple[Question, ...]) -> str:
    # e.g. "I (familiarity with the technology: partly) and III (know-how for the business: no)"
    parts = [f"{q.numeral} ({q.label}: {answers.answer_to(q).value})" for q in gaps]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
