"""The competence self-check before accepting a project.

Codes of conduct of the trade: offer only what you are competent for; where a
competence is external, the client must be told; a decision taken against
one's own professional judgement carries a written explanation of its risks
and consequences, given to the client. Three questions decide what may be
chosen:

- I.   familiarity:    am I familiar with this technology, or a similar one?
- II.  prior_projects: have I done equivalent projects before?
- III. know_how:       can I demonstrate the know-how for this business or
                       these technical requirements?

A check is about the engagement as it was: it remembers the technologies it
was made on, and once they change it is stale (`check_is_current`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from msptui.core.formats import join_words
from msptui.core.i18n import N_, _, ngettext
from msptui.core.rules.words import RuleViolation, Word, is_blank

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
        """The question as the technician is asked it, in the current language."""
        return _(_PROMPTS[self.value])


_NUMERALS = {"familiarity": "I", "prior_projects": "II", "know_how": "III"}
_PROMPTS = {
    "familiarity": N_("Am I familiar with this technology, or have I worked with a similar one?"),
    "prior_projects": N_("Have I done equivalent projects before?"),
    "know_how": N_("Can I demonstrate the know-how for this business or these technical requirements?"),
}
# A question's `label` is the short name of what it is about ("equivalent projects"): see words._LABELS.


class Decision(Word):
    accept = "accept"
    accept_with_partner = "accept_with_partner"
    # The stored word predates the status it leads to ("accepted at the client's
    # request"); checks are append-only, so the word stays and the label says it.
    accept_against_judgement = "accept_against_judgement"
    decline = "decline"

    @property
    def needs_disclosure(self) -> bool:
        """True when the client must be told something and the telling recorded:
        the partner, or the written risks and consequences."""
        return self in (Decision.accept_with_partner, Decision.accept_against_judgement)

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
        answer: Answer = getattr(self, Question(question).value)
        return answer

    @property
    def gaps(self) -> tuple[Question, ...]:
        """The questions not answered with a clear yes, in the order I, II, III."""
        return tuple(q for q in Question if self.answer_to(q) is not Answer.yes)

    @property
    def all_no(self) -> bool:
        """No to all three: nothing of one's own to build on."""
        return all(self.answer_to(q) is Answer.no for q in Question)


class DisclosureMeans(Word):
    """How the client was told."""

    email = "email"
    phone = "phone"
    meeting = "meeting"
    letter = "letter"


@dataclass(frozen=True, slots=True)
class ClientDisclosure:
    """What was told to the client, as typed: to whom, on which day, how (None: not given)."""

    to_whom: str | None
    on: date | None
    how: str | None


def check_client_disclosure(disclosure: ClientDisclosure | None, today: date | None) -> list[RuleViolation]:
    """Why this record of telling the client is not complete; an empty list means it is.

    Fields "disclosed_to", "disclosed_on", "disclosed_how". The day may not be
    after `today` (the client's today); `today` None skips that test.
    Raises ValueError for a `how` that is not a `DisclosureMeans`.
    """
    d = disclosure or ClientDisclosure(None, None, None)
    violations = []
    if is_blank(d.to_whom):
        violations.append(RuleViolation("disclosed_to", _("Name the person at the client who was told.")))
    if d.on is None:
        violations.append(RuleViolation("disclosed_on", _("Give the day the client was told (YYYY-MM-DD).")))
    elif today is not None and d.on > today:
        violations.append(
            RuleViolation(
                "disclosed_on",
                _("The client cannot have been told on {day}: that day is still to come.").format(day=d.on.isoformat()),
            )
        )
    if is_blank(d.how):
        violations.append(
            RuleViolation("disclosed_how", _("Say how the client was told: e-mail, phone, meeting or letter."))
        )
    else:
        DisclosureMeans(str(d.how))  # ValueError in words for a means that does not exist
    return violations


@dataclass(frozen=True, slots=True)
class CompetenceOutcome:
    """What the answers allow.

    `allowed` always contains decline. With three yes it is {accept, decline}.
    With any gap it is {accept_with_partner, accept_against_judgement, decline},
    except with three no: {accept_with_partner, decline}. accept_with_partner
    needs a named partner and the competence it brings, disclosed to the client;
    accept_against_judgement (accepted at the client's request) needs a written
    statement of risks and consequences given to the client (see `check_decision`). `gaps` lists the questions that were
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
            summary=_("Yes to all three questions: you may accept, or decline."),
        )
    if answers.all_no:
        return CompetenceOutcome(
            allowed=frozenset({Decision.accept_with_partner, Decision.decline}),
            gaps=gaps,
            summary=_(
                "No to all three questions: decline, or accept only with a declared external"
                " partner who brings the competence."
            ),
        )
    return CompetenceOutcome(
        allowed=frozenset({Decision.accept_with_partner, Decision.accept_against_judgement, Decision.decline}),
        gaps=gaps,
        summary=_(
            "Not a clear yes on {gaps}: accept only with a declared"
            " external partner, or decline. Accepting at the client's request goes against your"
            " own judgement and needs the risks and consequences in writing, given to the client."
        ).format(gaps=_describe_gaps(answers, gaps)),
    )


def check_decision(
    answers: CompetenceAnswers,
    decision: Decision | str,
    *,
    partner_name: str | None = None,
    partner_competence: str | None = None,
    risk_statement: str | None = None,
    disclosure: ClientDisclosure | None = None,
    today: date | None = None,
    undisclosed_conflicts: int = 0,
    unanswered_conflicts: int = 0,
    refused_conflicts: int = 0,
) -> list[RuleViolation]:
    """Why `decision` may not be recorded; an empty list means it may.

    Violations come in the order a form shows the fields: "decision",
    "partner_name", "partner_competence", "risk_statement", "disclosed_to",
    "disclosed_on", "disclosed_how", "conflicts". Rules:

    - decline is always allowed, whatever else is true.
    - accept needs three clear yes.
    - accept_with_partner and accept_against_judgement are for when there is a
      gap; with three yes they are refused (nothing is missing, nothing is
      against your judgement: accept).
    - with three no, accept_against_judgement is refused too: only a partner
      who brings the competence, or declining.
    - accept_with_partner needs the partner's name and the competence it brings.
    - accept_against_judgement (accepted at the client's request) needs a risk
      statement of at least MIN_RISK_STATEMENT_CHARS non-blank characters.
    - both need the record of telling the client (`check_client_disclosure`,
      with `today` the client's today).
    - every accepting decision is refused while a conflict of interest with
      this client blocks acceptance (see `conflicts.blocks_acceptance`):
      `undisclosed_conflicts` counts the undisclosed ones;
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
            raise ValueError(f"{name} cannot be negative, got {count}")  # i18n: not shown
    if decision is Decision.decline:
        return []

    violations: list[RuleViolation] = []
    gaps = answers.gaps
    if decision is Decision.accept and gaps:
        violations.append(
            RuleViolation(
                "decision",
                _(
                    "You did not answer a clear yes on {gaps}: accept"
                    " with a declared external partner, accept at the client's request with the"
                    " risks in writing, or decline."
                ).format(gaps=_describe_gaps(answers, gaps)),
            )
        )
    elif decision is not Decision.accept and not gaps:
        violations.append(
            RuleViolation(
                "decision",
                _(
                    "You answered yes to all three questions: nothing is missing and nothing is"
                    " against your judgement, so accept, or decline."
                ),
            )
        )
    elif decision is Decision.accept_against_judgement and answers.all_no:
        violations.append(
            RuleViolation(
                "decision",
                _(
                    "You answered no to all three questions: accepting at the client's request is"
                    " not open. Accept with a declared external partner who brings the competence,"
                    " or decline."
                ),
            )
        )
    elif decision is Decision.accept_with_partner:
        if is_blank(partner_name):
            violations.append(
                RuleViolation("partner_name", _("Name the external partner who brings the missing competence."))
            )
        if is_blank(partner_competence):
            violations.append(RuleViolation("partner_competence", _("Say which competence the partner brings.")))
    elif decision is Decision.accept_against_judgement:
        if risk_statement_length(risk_statement) < MIN_RISK_STATEMENT_CHARS:
            violations.append(
                RuleViolation(
                    "risk_statement",
                    _(
                        "Explain in writing the risks and consequences of accepting against your"
                        " own judgement (at least {count} characters)."
                    ).format(count=MIN_RISK_STATEMENT_CHARS),
                )
            )
    if decision.needs_disclosure and not any(v.field == "decision" for v in violations):
        violations.extend(check_client_disclosure(disclosure, today))

    if undisclosed_conflicts:
        violations.append(
            RuleViolation(
                "conflicts",
                ngettext(
                    "{count} conflict of interest with this client is not disclosed yet: disclose it before accepting.",
                    "{count} conflicts of interest with this client are not disclosed yet:"
                    " disclose them before accepting.",
                    undisclosed_conflicts,
                ).format(count=undisclosed_conflicts),
            )
        )
    if unanswered_conflicts:
        violations.append(
            RuleViolation(
                "conflicts",
                ngettext(
                    "{count} disclosed conflict of interest with this client is still awaiting the"
                    " client's answer: record the answer before accepting.",
                    "{count} disclosed conflicts of interest with this client are still awaiting the"
                    " client's answer: record the answer before accepting.",
                    unanswered_conflicts,
                ).format(count=unanswered_conflicts),
            )
        )
    if refused_conflicts:
        violations.append(
            RuleViolation(
                "conflicts",
                ngettext(
                    "The client refused {count} disclosed conflict of interest: end it and close it"
                    " before accepting, or decline.",
                    "The client refused {count} disclosed conflicts of interest: end them and close them"
                    " before accepting, or decline.",
                    refused_conflicts,
                ).format(count=refused_conflicts),
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
    parts = [
        _("{numeral} ({question}: {answer})").format(
            numeral=q.numeral, question=q.label, answer=answers.answer_to(q).label.lower()
        )
        for q in gaps
    ]
    return join_words(parts)


# --- a check in force: current or stale -------------------------------------------------


def technology_key(tag: str) -> str:
    """How two technologies are compared: case and spacing do not matter ("microsoft  365" = "Microsoft 365")."""
    return " ".join(tag.casefold().split())


def check_is_current(check_technologies: Iterable[str], engagement_technologies: Iterable[str]) -> bool:
    """True when the check was made on the technologies the engagement has now
    (as a set: order, case and spacing do not matter). Otherwise it is stale."""
    return {technology_key(t) for t in check_technologies} == {technology_key(t) for t in engagement_technologies}


def check_in_force_problem(
    decision: Decision | str | None,
    check_technologies: Iterable[str],
    engagement_technologies: Iterable[str],
    disclosure_recorded: bool,
) -> str | None:
    """Why the check in force does not allow work on the engagement (starting it,
    delivering it), as the first half of a sentence; None when it does.

    `decision` None means no check was made. The caller ends the sentence with
    what is refused, e.g. "... before starting the work."
    """
    if decision is None:
        return _("No competence check has been made on this engagement: run one (c)")
    decision = Decision(decision)
    if not decision.is_accepting:
        return _("The check in force declines this engagement: run a new check (c)")
    check_technologies = list(check_technologies)
    engagement_technologies = list(engagement_technologies)
    if not check_is_current(check_technologies, engagement_technologies):
        return _(
            "The technologies changed since the check in force (made on {before}; now {now}): run a new check (c)"
        ).format(before=", ".join(check_technologies), now=", ".join(engagement_technologies))
    if decision.needs_disclosure and not disclosure_recorded:
        if decision is Decision.accept_with_partner:
            return _("Telling the client about the partner is not recorded: record it (g)")
        return _("Telling the client about the risks and consequences is not recorded: record it (g)")
    return None
