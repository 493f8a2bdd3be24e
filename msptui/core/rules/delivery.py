"""Delivery readiness and delivery note numbers.

Codes of conduct of the trade: test and validate what was delivered,
formalise it with a delivery note, hand over the technical documentation.
A delivery has three parts (tests, note, documentation); each is complete,
or waived with a written reason, before the delivery is ready.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from msptui.core.formats import medium_date
from msptui.core.i18n import N_, _, ngettext
from msptui.core.rules.words import Word, is_blank

#: The ways a document can be handed over (the values of `msptui.core.vocabulary.GivenAs`).
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
            raise ValueError(  # i18n: not shown (the form offers only these)
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
    # False when a part's waiver is the technician's alone (recorded before the client's
    # consent was asked for): such a waiver does not count, and blocks in words.
    tests_waiver_consented: bool = True
    documents_waiver_consented: bool = True


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
        raise ValueError(f"items_count cannot be negative, got {parts.items_count}")  # i18n: not shown
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
    return _waivable_part(
        "tests",
        parts.tests_waived_reason,
        parts.tests_waiver_consented,
        len(parts.tests),
        _tests_lines,
        parts,
        blockers,
    )


def _waivable_part(
    part: str,
    waived_reason: str | None,
    consented: bool,
    lines: int,
    by_lines: Callable[[DeliveryParts, list[str]], tuple[PartState, tuple[int, int]]],
    parts: DeliveryParts,
    blockers: list[str],
) -> tuple[PartState, tuple[int, int]]:
    """Tests or documentation: waived only with the client's consent; otherwise the lines decide."""
    total = max(lines, 1)
    if not is_blank(waived_reason):
        if consented:
            return PartState.waived, (total, total)
        # The technician's own waiver does not count: the lines decide, and a block says why.
        before = len(blockers)
        state, progress = by_lines(parts, blockers)
        if state is not PartState.complete:
            blockers.insert(before, _(UNCONSENTED_PART[part]))
        return state, progress
    return by_lines(parts, blockers)


def _tests_lines(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    total = max(len(parts.tests), 1)
    if not parts.tests:
        blockers.append(_("No test recorded: add at least one test, or waive testing with a reason."))
        return PartState.pending, (0, 1)
    for line in parts.tests:
        if line.result == TestResult.failed and is_blank(line.waived_reason):
            blockers.append(_("Test '{test}' failed: fix it or waive it with a reason.").format(test=line.description))
    not_run = sum(1 for line in parts.tests if line.result == TestResult.pending)
    if not_run:
        blockers.append(
            ngettext("{count} test not run yet.", "{count} tests not run yet.", not_run).format(count=not_run)
        )
    done = sum(1 for line in parts.tests if line.done)
    return (PartState.complete if done == total else PartState.pending), (done, total)


def _note_part(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    if not is_blank(parts.note_waived_reason):
        return PartState.waived, (1, 1)
    before = len(blockers)
    if not parts.note_issued:
        blockers.append(_("The delivery note is not issued yet."))
    if is_blank(parts.signatory):
        blockers.append(_("No signatory named on the delivery note."))
    if parts.items_count < 1:
        blockers.append(_("The delivery note lists no item."))
    if len(blockers) > before:
        return PartState.pending, (0, 1)
    return PartState.complete, (1, 1)


def _documents_part(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    return _waivable_part(
        "documents",
        parts.documents_waived_reason,
        parts.documents_waiver_consented,
        len(parts.documents),
        _documents_lines,
        parts,
        blockers,
    )


def _documents_lines(parts: DeliveryParts, blockers: list[str]) -> tuple[PartState, tuple[int, int]]:
    total = max(len(parts.documents), 1)
    if not parts.documents:
        blockers.append(_("No documentation listed: add what was handed over, or waive documentation with a reason."))
        return PartState.pending, (0, 1)
    unconfirmed = sum(1 for doc in parts.documents if not doc.confirmed)
    if unconfirmed:
        blockers.append(
            ngettext(
                "{count} document not confirmed as handed over.",
                "{count} documents not confirmed as handed over.",
                unconfirmed,
            ).format(count=unconfirmed)
        )
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
        raise ValueError(_("A delivery note year has four digits, got {year}.").format(year=repr(year)))
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(_("A delivery note sequence number starts at 1, got {seq}.").format(seq=repr(seq)))
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
    raise ValueError(_("A delivery note number looks like BL-2026-0001; got {text}.").format(text=repr(text)))


# --- waivers: who decided, and what the note prints --------------------------------------------


class DecidedBy(Word):
    technician = "technician"
    client = "client"


class AgreedHow(Word):
    """How the client agreed to a waiver."""

    email = "email"
    phone = "phone"
    on_site = "on_site"
    signed_form = "signed_form"


@dataclass(frozen=True, slots=True)
class WaiverRecord:
    """A waiver as recorded: the reason, and who decided it.

    decided_by "technician": the technician alone, printed as the provider's
    reservation. decided_by "client": the client's name, the date and how it
    was agreed; printed as accepted by the client only when all three are there.
    """

    reason: str
    decided_by: str = DecidedBy.technician
    client_name: str = ""
    agreed_on: date | None = None
    how: str = ""

    @property
    def client_consented(self) -> bool:
        return (
            self.decided_by == DecidedBy.client
            and not is_blank(self.client_name)
            and self.agreed_on is not None
            and not is_blank(self.how)
        )


def waiver_text(waiver: WaiverRecord) -> str:
    """The waiver as the note prints it, in the current language (the client's, inside
    `document_language`).

    "Accepted by the client (Claire Weber, 2026-12-01, by email): <reason>" when the
    client's consent is recorded; otherwise "Provider's reservation: <reason>".
    """
    reason = " ".join(waiver.reason.split())
    if waiver.client_consented:
        assert waiver.agreed_on is not None  # client_consented says so
        how = AgreedHow(waiver.how).label.lower() if waiver.how in AgreedHow._value2member_map_ else waiver.how
        return _("Accepted by the client ({name}, {day}, {how}): {reason}").format(
            name=waiver.client_name.strip(), day=medium_date(waiver.agreed_on), how=how, reason=reason
        )
    return _("Provider's reservation: {reason}").format(reason=reason)


# Marked for the catalogue; shown translated: `_(PART_NAMES[part])`.
PART_NAMES = {"tests": N_("Testing"), "note": N_("The delivery note"), "documents": N_("Documentation")}
# Shown translated: `_(NOTE_NOT_WAIVABLE)`.
NOTE_NOT_WAIVABLE = N_("The delivery note cannot be waived: the providers' charter requires one for every delivery.")
UNCONSENTED_PART = {
    "tests": N_("Testing was waived by the technician alone: record the client's consent, or withdraw the waiver."),
    "documents": N_(
        "Documentation was waived by the technician alone: record the client's consent, or withdraw the waiver."
    ),
}
_CONSENT_NEEDED = {
    "tests": N_("Testing can be waived only with the client's consent: record who agreed, when and how."),
    "documents": N_("Documentation can be waived only with the client's consent: record who agreed, when and how."),
}
# What an issued note freezes, by the words callers name it with ("its tests"...): one sentence each.
_FROZEN = {
    "its tests": N_(
        "Delivery note {number} is issued, so its tests can no longer change. Void the note first to correct it."
    ),
    "its items": N_(
        "Delivery note {number} is issued, so its items can no longer change. Void the note first to correct it."
    ),
    "its documents": N_(
        "Delivery note {number} is issued, so its documents can no longer change. Void the note first to correct it."
    ),
}


def part_waiver_refusal(part: str, waiver: WaiverRecord) -> str | None:
    """Why a whole part cannot be waived this way, or None when it can.

    The note is never waived; testing and documentation only with the client's
    consent recorded (name, date, how). Raises ValueError for an unknown part.
    """
    if part not in PART_NAMES:
        raise ValueError(f"part is one of {', '.join(PART_NAMES)}, got {part!r}")  # i18n: not shown
    if part == "note":
        return _(NOTE_NOT_WAIVABLE)
    if not waiver.client_consented:
        return _(_CONSENT_NEEDED[part])
    return None


def unsettled_tests(parts: DeliveryParts) -> str | None:
    """Why the note cannot be issued yet because of the tests, or None when they are settled.

    Settled: at least one test and every test passed, or failed and waived with
    a reason; or the whole testing part waived with the client's consent.
    """
    blockers: list[str] = []
    state, _progress = _tests_part(parts, blockers)
    if state in (PartState.complete, PartState.waived):
        return None
    return _("The tests are not settled, so the note cannot be issued yet. {blockers}").format(
        blockers=" ".join(blockers)
    )


def frozen_refusal(number: str, what: str) -> str:
    """The refusal of any change to what an issued note lists ("its items", "its tests", "its documents")."""
    sentence = _FROZEN.get(what)
    if sentence is None:
        raise ValueError(f"what is one of {', '.join(_FROZEN)}, got {what!r}")  # i18n: not shown
    return _(sentence).format(number=number)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
