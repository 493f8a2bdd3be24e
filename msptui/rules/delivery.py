"""Delivery readiness and delivery note numbers.

Codes of conduct of the trade: test and validate what was delivered,
formalise it with a delivery note, hand over the technical documentation.
A delivery has three parts (tests, note, documentation); each is complete,
or waived with a written reason, before the delivery is ready.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from msptui.rules.words import Word, is_blank, plural

#: The ways a document can be handed over (the values of `msptui.vocab.GivenAs`).
GIVEN_AS = frozenset({"file", "link", "printed"})


class PartState(Word):
    pending = "pending"
    complete = "complete"
    waived = "waived"


class TestResult(Word):
    __test__ = False  # a domain word, not a pytest test class

    pending = "pending"
    passed = "passed"
    failed = "failed"


@dataclass(slots=True)
class TestLine:
    """One test run at delivery. A failed test counts as done only when
    waived with a non-blank reason."""

    __test__ = False  # a domain word, not a pytest test class

    description: str
    result: TestResult = TestResult.pending
    note: str = ""
    waived_reason: str | None = None

    def __post_init__(self) -> None:
        self.result = TestResult(self.result)

    @property
    def done(self) -> bool:
        """Passed, or failed and waived with a reason."""
        return self.result == TestResult.passed or (
            self.result == TestResult.failed and not is_blank(self.waived_reason)
        )


@dataclass(slots=True)
class DocumentLine:
    """One piece of documentation; given_as is "file", "link" or "printed"
    (anything else raises ValueError)."""

    title: str
    given_as: str = "file"
    confirmed: bool = False

    def __post_init__(self) -> None:
        if self.given_as not in GIVEN_AS:
            raise ValueError(
                f"given_as must be one of {', '.join(sorted(GIVEN_AS))}, got {self.given_as!r}"
            )


@dataclass(slots=True)
class DeliveryParts:
    """Everything the readiness rule looks at, read from the store by the caller."""

    tests: list[TestLine] = field(default_factory=list)
    tests_waived_reason: str | None = None
    note_issued: bool = False
    signatory: str | None = None
    items_count: int = 0
    note_waived_reason: str | None = None
    documents: list[DocumentLine] = field(default_factory=list)
    documents_waived_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Readiness:
    """Where a delivery stands.

    `ready` is true exactly when every part is complete or waived, which is
    exactly when `blockers` is empty and when progress reads total/total.
    `progress` is (done, total) items for a progress bar; total is never 0.
    """

    tests: PartState
    note: PartState
    documents: PartState
    ready: bool
    blockers: list[str]
    progress: tuple[int, int]


def delivery_readiness(parts: DeliveryParts) -> Readiness:
    """Each part's state, whether the delivery is ready, what blocks it, and progress.

    - Tests: complete with at least one line and every line passed, or failed
      and waived with a reason. A failed line without a reason blocks by name.
    - Note: complete when issued, with a named signatory and at least one item.
    - Documentation: complete with at least one document, all confirmed as
      handed over.
    - Any part with a non-blank waived reason is waived, whatever its lines say.

    Progress counts one item per test line, one for the note, one per
    document; an empty part counts as one item not done, and a waived part
    counts all its items as done (so waiving never shrinks the total).
    Raises ValueError for a negative items_count.
    """
    if parts.items_count < 0:
        raise ValueError(f"items_count cannot be negative, got {parts.items_count}")
    blockers: list[str] = []

    tests, tests_progress = _tests_part(parts, blockers)
    note, note_progress = _note_part(parts, blockers)
    documents, documents_progress = _documents_part(parts, blockers)

    done = tests_progress[0] + note_progress[0] + documents_progress[0]
    total = tests_progress[1] + note_progress[1] + documents_progress[1]
    return Readiness(
        tests=tests,
        note=note,
        documents=documents,
        ready=not blockers,
        blockers=blockers,
        progress=(done, total),
    )


def _tests_part(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    total = max(len(parts.tests), 1)
    if not is_blank(parts.tests_waived_reason):
        return PartState.waived, (total, total)
    if not parts.tests:
        blockers.append("No test recorded: add at least one test, or waive testing with a reason.")
        return PartState.pending, (0, 1)
    for line in parts.tests:
        if line.result == TestResult.failed and is_blank(line.waived_reason):
            blockers.append(f"Test '{line.description}' failed: fix it or waive it with a reason.")
    not_run = sum(1 for line in parts.tests if line.result == TestResult.pending)
    if not_run:
        blockers.append(f"{plural(not_run, 'test')} not run yet.")
    done = sum(1 for line in parts.tests if line.done)
    return (PartState.complete if done == total else PartState.pending), (done, total)


def _note_part(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    if not is_blank(parts.note_waived_reason):
        return PartState.waived, (1, 1)
    before = len(blockers)
    if not parts.note_issued:
        blockers.append("The delivery note is not issued yet.")
    if is_blank(parts.signatory):
        blockers.append("No signatory named on the delivery note.")
    if parts.items_count < 1:
        blockers.append("The delivery note lists no item.")
    if len(blockers) > before:
        return PartState.pending, (0, 1)
    return PartState.complete, (1, 1)


def _documents_part(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    total = max(len(parts.documents), 1)
    if not is_blank(parts.documents_waived_reason):
        return PartState.waived, (total, total)
    if not parts.documents:
        blockers.append(
            "No documentation listed: add what was handed over, or waive documentation with a reason."
        )
        return PartState.pending, (0, 1)
    unconfirmed = sum(1 for doc in parts.documents if not doc.confirmed)
    if unconfirmed:
        blockers.append(f"{plural(unconfirmed, 'document')} not confirmed as handed over.")
        return PartState.pending, (total - unconfirmed, total)
    return PartState.complete, (total, total)


# --- delivery note numbers -----------------------------------------------------

NOTE_PREFIX = "BL"
_NOTE_NUMBER = re.compile(r"BL-([1-9][0-9]{3})-([0-9]{4,})")


def format_note_number(year: int, seq: int) -> str:
    """The number printed on a delivery note: "BL-2026-0001".

    year has four digits (1000-9999); seq starts at 1 and is zero-padded to
    four digits, growing wider past 9999 ("BL-2026-10000") rather than wrapping.
    Raises ValueError otherwise.
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"A delivery note year has four digits, got {year!r}.")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"A delivery note sequence number starts at 1, got {seq!r}.")
    return f"{NOTE_PREFIX}-{year}-{seq:04d}"


def parse_note_number(text: str) -> tuple[int, int]:
    """(year, seq) from a delivery note number such as "BL-2026-0001".

    Surrounding whitespace is ignored; anything else must be exactly the form
    `format_note_number` writes (so "BL-2026-00001" or "bl-2026-0001" are
    refused), which makes parse and format exact inverses. Raises ValueError
    in plain words on malformed input.
    """
    candidate = text.strip() if isinstance(text, str) else text
    match = _NOTE_NUMBER.fullmatch(candidate) if isinstance(candidate, str) else None
    if match is not None:
        year, seq = int(match.group(1)), int(match.group(2))
        if seq >= 1 and format_note_number(year, seq) == candidate:
            return year, seq
    raise ValueError(f"A delivery note number looks like BL-2026-0001; got {text!r}.")
