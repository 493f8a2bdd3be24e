"""What every rule shares: the enum base and the violation a rule reports.

Pure: standard library only, nothing else of the project (not even
`msptui.core.vocabulary`), so the rules can be tested and benchmarked alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class Word(StrEnum):
    """A str-Enum whose values are the snake_case words stored in the database.

    Same interface as `msptui.core.vocabulary.Vocab` (a `label` for people, `choices()`
    for a Select), repeated here because the rules import nothing of the project.
    """

    @property
    def label(self) -> str:
        """What a technician reads: the value in words, first letter capitalised."""
        return _LABELS.get(self.value) or self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(label, value) pairs, in declaration order, for a Select."""
        return [(m.label, m.value) for m in cls]


# Labels that the generic "snake_case to words" would get wrong or leave vague.
_LABELS = {
    "accept_with_partner": "Accept with a declared external partner",
    "accept_against_judgement": "Accept against my own judgement",
    "disclosed_awaiting_answer": "Disclosed, awaiting the client's answer",
    "accepted_by_client": "Accepted by the client",
    "waived_by_client": "Waived by the client",
    "refused_by_client": "Refused by the client",
    "bribe_refused": "Gift refused",  # the status's name stays for old records; the words match the table
    "gift_or_bribe": "Gift or bribe",
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


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 document', '2 documents': a count with its noun."""
    noun = singular if n == 1 else (plural_form or singular + "s")
    return f"{n} {noun}"


def as_utc(name: str, instant: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused with ValueError.

    Arithmetic and comparison between two datetimes of one zone are wall-clock
    (wrong by an hour across a DST change), so rules compute in UTC only.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got a naive one")
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
