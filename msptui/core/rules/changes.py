"""Change requests: an accepted engagement's scope, price or deadline changes only by common agreement.

The providers' charter: a change to what was agreed is made "d'un commun
accord". Once an engagement is accepted, a new scope, price or deadline is a
change request: what changed (old and new value), why, and the client's
agreement (who, on which day, how). Pure: standard library, `msptui.core.i18n` and `msptui.core.formats` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from msptui.core.formats import join_words
from msptui.core.i18n import _, ngettext
from msptui.core.rules.competence import DisclosureMeans
from msptui.core.rules.words import RuleViolation, Word, is_blank


class ChangedTerm(Word):
    """What a change request changes."""

    scope = "scope"
    price = "price"
    deadline = "deadline"


@dataclass(frozen=True, slots=True)
class TermChange:
    """One term, before and after, as text for the history and the delivery note."""

    what: ChangedTerm
    old_value: str
    new_value: str


def changed_terms(before: dict[str, str], after: dict[str, str]) -> list[TermChange]:
    """The terms (keys "scope", "price", "deadline", values as text) whose value differs, in that order.

    Leading and trailing spaces do not count as a change.
    """
    out = []
    for term in ChangedTerm:
        old, new = before.get(term.value, "").strip(), after.get(term.value, "").strip()
        if old != new:
            out.append(TermChange(term, old, new))
    return out


def check_change_agreement(
    changes: list[TermChange],
    reason: str | None,
    agreed_by: str | None,
    agreed_on: date | None,
    agreed_how: str | None,
    today: date | None,
) -> list[RuleViolation]:
    """Why these changes to an accepted engagement may not be recorded; empty means they may.

    Fields "change_reason", "agreed_by", "agreed_on", "agreed_how". No change
    needs nothing. With nothing at all given, one sentence on "change_reason"
    says what a change request is; otherwise each missing part is named. The
    day of the agreement may not be after `today` (None skips that test).
    """
    if not changes:
        return []
    if is_blank(reason) and is_blank(agreed_by) and agreed_on is None and is_blank(agreed_how):
        what = join_words([c.what.label.lower() for c in changes])
        return [
            RuleViolation(
                "change_reason",
                ngettext(
                    "Since this engagement was accepted, its {terms} changes only by a change request."
                    " Say why, and record the client's agreement (who, when, how).",
                    "Since this engagement was accepted, its {terms} change only by a change request."
                    " Say why, and record the client's agreement (who, when, how).",
                    len(changes),
                ).format(terms=what),
            )
        ]
    violations = []
    if is_blank(reason):
        violations.append(RuleViolation("change_reason", _("Say why it changes.")))
    if is_blank(agreed_by):
        violations.append(RuleViolation("agreed_by", _("Name the person at the client who agreed to the change.")))
    if agreed_on is None:
        violations.append(RuleViolation("agreed_on", _("Give the day the client agreed (YYYY-MM-DD).")))
    elif today is not None and agreed_on > today:
        violations.append(
            RuleViolation(
                "agreed_on",
                _("The client cannot have agreed on {day}: that day is still to come.").format(
                    day=agreed_on.isoformat()
                ),
            )
        )
    if is_blank(agreed_how):
        violations.append(
            RuleViolation("agreed_how", _("Say how the client agreed: e-mail, phone, meeting or letter."))
        )
    else:
        DisclosureMeans(str(agreed_how))  # ValueError in words for a means that does not exist
    return violations
