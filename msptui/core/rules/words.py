"""What every rule shares: the enum base and the violation a rule reports.

Pure: standard library and `msptui.core.i18n` only, nothing else of the project (not even
`msptui.core.vocabulary`), so the rules can be tested and benchmarked alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from msptui.core.i18n import N_, _


class Word(StrEnum):
    """A str-Enum whose values are the snake_case words stored in the database.

    Same interface as `msptui.core.vocabulary.Vocab` (a `label` for people, `choices()`
    for a Select), repeated here because the rules import nothing of the project.
    """

    @property
    def label(self) -> str:
        """What a technician reads, in the current language (`_LABELS`); a word missing
        there reads as its value in words, first letter capitalised (untranslated)."""
        words = _LABELS.get((type(self).__name__, self.value))
        return _(words) if words else self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(label, value) pairs, in declaration order, for a Select."""
        return [(m.label, m.value) for m in cls]


# What a technician reads for each stored word of the rules' enums, by enum (the same word
# may read differently in two of them in French). Marked for the catalogue; `label` translates.
_LABELS: dict[tuple[str, str], str] = {
    # out_of_hours
    ("WorkKind", "opened"): N_("Opened"),
    ("WorkKind", "note"): N_("Note"),
    ("WorkKind", "priority"): N_("Priority"),
    ("WorkKind", "status"): N_("Status"),
    ("WorkKind", "time"): N_("Time"),
    ("HoursClass", "in_hours"): N_("In hours"),
    ("HoursClass", "surcharged"): N_("Surcharged"),
    ("HoursClass", "outside_contract"): N_("Outside contract"),
    # time_entries
    ("TimeCategory", "remote"): N_("Remote"),
    ("TimeCategory", "on_site"): N_("On site"),
    ("TimeCategory", "travel"): N_("Travel"),
    # competence
    ("Answer", "yes"): N_("Yes"),
    ("Answer", "partly"): N_("Partly"),
    ("Answer", "no"): N_("No"),
    ("Question", "familiarity"): N_("familiarity with the technology"),
    ("Question", "prior_projects"): N_("equivalent projects"),
    ("Question", "know_how"): N_("know-how for the business"),
    ("Decision", "accept"): N_("Accept"),
    ("Decision", "accept_with_partner"): N_("Accept with a declared external partner"),
    # The stored word predates the status it leads to ("accepted at the client's request").
    ("Decision", "accept_against_judgement"): N_("Accept at the client's request, against my own judgement"),
    ("Decision", "decline"): N_("Decline"),
    ("DisclosureMeans", "email"): N_("E-mail"),
    ("DisclosureMeans", "phone"): N_("Phone"),
    ("DisclosureMeans", "meeting"): N_("Meeting"),
    ("DisclosureMeans", "letter"): N_("Letter"),
    # changes
    ("ChangedTerm", "scope"): N_("Scope"),
    ("ChangedTerm", "price"): N_("Price"),
    ("ChangedTerm", "deadline"): N_("Deadline"),
    # recurrence
    ("ScheduleKind", "days"): N_("Days"),
    ("ScheduleKind", "weeks"): N_("Weeks"),
    ("ScheduleKind", "months"): N_("Months"),
    ("ScheduleKind", "rrule"): N_("Rrule"),
    # coming_due
    ("DueKind", "recurring"): N_("Recurring task"),
    ("DueKind", "renewal"): N_("Renewal"),
    ("DueKind", "warranty"): N_("Warranty end"),
    ("DueKind", "certification"): N_("Certification"),
    ("DueKind", "breach"): N_("Data breach"),
    ("DueState", "later"): N_("Later"),
    ("DueState", "warning"): N_("Warning"),
    ("DueState", "overdue"): N_("Overdue"),
    # conflicts
    ("ConflictKind", "financial_interest"): N_("Financial interest"),
    ("ConflictKind", "personal_relationship"): N_("Personal relationship"),
    ("ConflictKind", "competing_client"): N_("Competing client"),
    ("ConflictKind", "vendor_incentive"): N_("Vendor incentive"),
    ("ConflictKind", "gift_or_bribe"): N_("Gift or bribe"),
    ("ConflictKind", "other"): N_("Other"),
    ("ClientAnswer", "accepted"): N_("Accepted"),
    ("ClientAnswer", "waived"): N_("Waived"),
    ("ClientAnswer", "refused"): N_("Refused"),
    ("ConflictStatus", "undisclosed"): N_("Undisclosed"),
    ("ConflictStatus", "disclosed_awaiting_answer"): N_("Disclosed, awaiting the client's answer"),
    ("ConflictStatus", "accepted_by_client"): N_("Accepted by the client"),
    ("ConflictStatus", "waived_by_client"): N_("Waived by the client"),
    ("ConflictStatus", "refused_by_client"): N_("Refused by the client"),
    # The status's name stays for old records; the words match the table.
    ("ConflictStatus", "bribe_refused"): N_("Gift refused"),
    ("ConflictStatus", "gift_accepted_under_policy"): N_("Gift accepted under policy"),
    ("ConflictStatus", "closed"): N_("Closed"),
    ("GiftAction", "refused"): N_("Refused"),
    ("GiftAction", "accepted_under_policy"): N_("Declared and accepted under the client's written policy"),
    # delivery
    ("PartState", "pending"): N_("Pending"),
    ("PartState", "complete"): N_("Complete"),
    ("PartState", "waived"): N_("Waived"),
    ("TestResult", "pending"): N_("Pending"),
    ("TestResult", "passed"): N_("Passed"),
    ("TestResult", "failed"): N_("Failed"),
    ("DecidedBy", "technician"): N_("Technician"),
    ("DecidedBy", "client"): N_("Client"),
    ("AgreedHow", "email"): N_("Email"),
    ("AgreedHow", "phone"): N_("Phone"),
    ("AgreedHow", "on_site"): N_("On site"),
    ("AgreedHow", "signed_form"): N_("Signed form"),
    # msptui.store.justifications.BreachClock: the SLA clock a breach justification is about.
    ("BreachClock", "response"): N_("Response"),
    ("BreachClock", "intervention"): N_("Intervention"),
    ("BreachClock", "resolution"): N_("Resolution"),
}


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """One reason why an action is refused.

    `field` names what to fix (a form field such as "partner_name", or
    "decision" / "conflicts"); `message` says in plain words what to do.
    """

    field: str
    message: str


def is_blank(text: str | None) -> bool:
    """True for None, the empty string and whitespace only."""
    return text is None or not text.strip()


def as_utc(name: str, instant: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused with ValueError.

    Arithmetic and comparison between two datetimes of one zone are wall-clock
    (wrong by an hour across a DST change), so rules compute in UTC only.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got a naive one")  # i18n: not shown
    return instant.astimezone(UTC)


def folded(text: str) -> str:
    """`text` as compared by people rather than by code: case and accents do not matter
    ("Étude" and "etude" fold alike). Compatibility forms fold too (the ligature "ﬁ" is "fi")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    # One regular expression of the marks present removes them in C: the client index
    # folds 100,000 clients at once, where a loop per character cost about a second.
    marks = "".join(sorted(ch for ch in set(decomposed) if unicodedata.combining(ch)))
    return re.sub(f"[{re.escape(marks)}]+", "", decomposed) if marks else decomposed
