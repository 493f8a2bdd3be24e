"""Deliveries: the on-site checklist (tests, delivery note, documentation) and its closing.

A delivery belongs to an engagement. Its three parts are each complete or
waived with a written reason before it can be marked delivered (the rule
lives in `msptui.core.rules.delivery`). Every function is one transaction; a
delivered delivery no longer changes. Once its delivery note is issued, what
the note lists (tests, items, documents, waivers) is frozen: a change is refused
until the note is voided (see `msptui.store.delivery_notes`, which issues and
voids notes; `issue_note` and `void_note` are re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.core.i18n import N_, _
from msptui.core.rules.delivery import (
    DecidedBy,
    DeliveryParts,
    DocumentLine,
    Readiness,
    TestLine,
    TestResult,
    WaiverRecord,
    delivery_readiness,
    frozen_refusal,
    part_waiver_refusal,
    unsettled_tests,
)
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import (
    Client,
    Contract,
    Delivery,
    DeliveryDocument,
    DeliveryItem,
    DeliveryNote,
    DeliveryNoteVoid,
    DeliveryTest,
    Engagement,
    saved_id,
)
from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, TestLineCreate, Waiver

if TYPE_CHECKING:
    from msptui.store.schemas.deliveries import NoteIssue, NoteVoid
from msptui.core.vocabulary import EngagementStatus

#: Engagements on which a delivery can be opened: the project was accepted.
DELIVERABLE = frozenset(
    {
        EngagementStatus.accepted,
        EngagementStatus.accepted_with_partner,
        EngagementStatus.accepted_at_client_request,
        EngagementStatus.in_progress,
    }
)
PARTS = ("tests", "note", "documents")
_NEXT_RESULT = {
    TestResult.pending: TestResult.passed,
    TestResult.passed: TestResult.failed,
    TestResult.failed: TestResult.pending,
}
# The checklist's lines: each belongs to a delivery by `delivery_id`.
_Line = TypeVar("_Line", DeliveryTest, DeliveryItem, DeliveryDocument)


@dataclass
class DeliveryView:
    """A delivery and everything its checklist shows, read in one transaction."""

    delivery: Delivery
    engagement: Engagement
    client: Client
    contract: Contract | None
    tests: list[DeliveryTest] = field(default_factory=list)
    items: list[DeliveryItem] = field(default_factory=list)
    documents: list[DeliveryDocument] = field(default_factory=list)
    note: DeliveryNote | None = None  # the note in force: issued and not voided
    voided: list[tuple[DeliveryNote, DeliveryNoteVoid]] = field(default_factory=list)  # oldest first
    readiness: Readiness | None = None
    tests_unsettled: str | None = None  # why the note cannot be issued yet because of the tests

    @property
    def delivered(self) -> bool:
        return self.delivery.delivered_at is not None


# --- opening and reading ------------------------------------------------------------


def open_delivery(engine: Engine, engagement_id: int, now: datetime) -> int:
    """The id of the engagement's delivery, opened now if it has none yet.

    Refused unless the engagement was accepted (accepted, with a partner, or
    in progress); an engagement already delivered keeps its one delivery.
    """
    with db.write(engine) as s:
        engagement = s.get(Engagement, engagement_id)
        if engagement is None:
            raise RefusedError(_("This engagement no longer exists."))
        existing = s.scalars(
            select(Delivery).where(col(Delivery.engagement_id) == engagement_id).order_by(col(Delivery.id).desc())
        ).first()
        if existing is not None:
            return saved_id(existing)
        if engagement.status not in DELIVERABLE:
            status = EngagementStatus(engagement.status).label.lower()
            raise RefusedError(
                _("The engagement '{title}' is {status}: only an accepted project is delivered.").format(
                    title=engagement.title, status=status
                )
            )
        delivery = Delivery(engagement_id=engagement_id, created_at=now)
        s.add(delivery)
        s.flush()
        return saved_id(delivery)


def get_delivery(engine: Engine, delivery_id: int) -> DeliveryView:
    """Everything the checklist shows, with its readiness; RefusedError if it is gone."""
    with db.read(engine) as s:
        return _view(s, delivery_id)


def readiness(engine: Engine, delivery_id: int) -> Readiness:
    with db.read(engine) as s:
        return _readiness(_view(s, delivery_id))


def _view(s: Session, delivery_id: int) -> DeliveryView:
    delivery = s.get(Delivery, delivery_id)
    if delivery is None:
        raise RefusedError(_("This delivery no longer exists."))
    engagement = db.referenced(s, Engagement, delivery.engagement_id)
    view = DeliveryView(
        delivery=delivery,
        engagement=engagement,
        client=db.referenced(s, Client, engagement.client_id),
        contract=s.get(Contract, engagement.contract_id) if engagement.contract_id else None,
        tests=_lines(s, DeliveryTest, delivery_id),
        items=_lines(s, DeliveryItem, delivery_id),
        documents=_lines(s, DeliveryDocument, delivery_id),
        note=_note_of(s, delivery_id),
        voided=_voided_of(s, delivery_id),
    )
    parts = _parts(view)
    view.readiness = delivery_readiness(parts)
    view.tests_unsettled = unsettled_tests(parts)
    return view


def _readiness(view: DeliveryView) -> Readiness:
    if view.readiness is None:  # `_view` always fills it in
        raise RuntimeError("a delivery view was read without its readiness")  # i18n: not shown
    return view.readiness


def _lines(s: Session, model: type[_Line], delivery_id: int) -> list[_Line]:
    return list(s.scalars(select(model).where(col(model.delivery_id) == delivery_id).order_by(col(model.id))))


def _note_of(s: Session, delivery_id: int) -> DeliveryNote | None:
    """The delivery's note in force: the latest issued one that was not voided."""
    voided = select(col(DeliveryNoteVoid.note_id))
    return s.scalars(
        select(DeliveryNote)
        .where(col(DeliveryNote.delivery_id) == delivery_id, col(DeliveryNote.id).not_in(voided))
        .order_by(col(DeliveryNote.id).desc())
    ).first()


def _voided_of(s: Session, delivery_id: int) -> list[tuple[DeliveryNote, DeliveryNoteVoid]]:
    stmt = (
        select(DeliveryNote, DeliveryNoteVoid)
        .join(DeliveryNoteVoid, col(DeliveryNoteVoid.note_id) == DeliveryNote.id)
        .where(col(DeliveryNote.delivery_id) == delivery_id)
        .order_by(col(DeliveryNote.id))
    )
    return [(note, void) for note, void in s.execute(stmt)]


def waiver_of_test(t: DeliveryTest) -> WaiverRecord | None:
    """A test line's waiver as recorded, or None."""
    if not t.waived_reason:
        return None
    return WaiverRecord(
        t.waived_reason, t.waived_by or DecidedBy.technician, t.waiver_client, t.waiver_agreed_on, t.waiver_how
    )


def part_waiver(delivery: Delivery, part: str) -> WaiverRecord | None:
    """The waiver of "tests" or "documents" as recorded, or None."""
    reason = getattr(delivery, f"{part}_waived_reason")
    if not reason:
        return None
    return WaiverRecord(
        reason,
        getattr(delivery, f"{part}_waived_by") or DecidedBy.technician,
        getattr(delivery, f"{part}_waiver_client"),
        getattr(delivery, f"{part}_waiver_agreed_on"),
        getattr(delivery, f"{part}_waiver_how"),
    )


def _parts(view: DeliveryView) -> DeliveryParts:
    d = view.delivery
    return DeliveryParts(
        tests=[TestLine(t.description, TestResult(t.result), t.note, t.waived_reason) for t in view.tests],
        tests_waived_reason=d.tests_waived_reason,
        note_issued=view.note is not None,
        signatory=view.note.signatory if view.note else d.signatory,
        items_count=len(view.items),
        # A note waiver from before the rule counts only for a delivery already closed with it:
        # an open delivery needs its note (the charter requires one).
        note_waived_reason=d.note_waived_reason if d.delivered_at is not None else None,
        documents=[DocumentLine(doc.title, doc.given_as, doc.confirmed_at is not None) for doc in view.documents],
        documents_waived_reason=d.documents_waived_reason,
        tests_waiver_consented=_consented(part_waiver(d, "tests")),
        documents_waiver_consented=_consented(part_waiver(d, "documents")),
    )


def _consented(waiver: WaiverRecord | None) -> bool:
    return waiver is None or waiver.client_consented


# --- guards -------------------------------------------------------------------------------


def _editable(s: Session, delivery_id: int) -> Delivery:
    """The delivery, if its checklist may still change; RefusedError otherwise."""
    delivery = s.get(Delivery, delivery_id)
    if delivery is None:
        raise RefusedError(_("This delivery no longer exists."))
    if delivery.delivered_at is not None:
        raise RefusedError(
            _("This delivery was marked delivered on {day}: it can no longer change.").format(
                day=delivery.delivered_at.date().isoformat()
            )
        )
    engagement = db.referenced(s, Engagement, delivery.engagement_id)
    if engagement.status == EngagementStatus.cancelled:
        raise RefusedError(_("This engagement was cancelled: its delivery can no longer change."))
    return delivery


_GONE = {
    "test": N_("This test no longer exists."),
    "item": N_("This item no longer exists."),
    "document": N_("This document no longer exists."),
}


def _line_of(s: Session, model: type[_Line], line_id: int, what: str) -> _Line:
    """`what` is "test", "item" or "document"."""
    row = s.get(model, line_id)
    if row is None:
        raise RefusedError(_(_GONE[what]))
    _editable(s, row.delivery_id)
    _unfrozen(s, row.delivery_id, f"its {what}s")  # i18n: not shown (frozen_refusal's key)
    return row


def _insert(s: Session, row: _Line) -> int:
    s.add(row)
    s.flush()
    return saved_id(row)


def _assign(row: _Line, data: BaseModel) -> None:
    for key, value in data.model_dump(mode="json").items():
        setattr(row, key, value)


def _unfrozen(s: Session, delivery_id: int, what: str) -> None:
    """Refuse a change to what the note in force lists ("its tests", "its items", ...)."""
    note = _note_of(s, delivery_id)
    if note is not None:
        raise RefusedError(frozen_refusal(note.number, what))


# --- tests ------------------------------------------------------------------------------


def add_test(engine: Engine, delivery_id: int, data: TestLineCreate) -> int:
    """A new test line, not run yet; returns its id."""
    with db.write(engine) as s:
        _editable(s, delivery_id)
        _unfrozen(s, delivery_id, "its tests")  # i18n: not shown (frozen_refusal's key)
        return _insert(s, DeliveryTest(delivery_id=delivery_id, **data.model_dump(mode="json")))


def update_test(engine: Engine, test_id: int, data: TestLineCreate) -> None:
    with db.write(engine) as s:
        _assign(_line_of(s, DeliveryTest, test_id, "test"), data)


def set_test_result(engine: Engine, test_id: int, result: str) -> None:
    """Record pending, passed or failed. A changed result drops the line's waiver:
    a waiver answers one failure, not the next."""
    result = TestResult(result)
    with db.write(engine) as s:
        row = _line_of(s, DeliveryTest, test_id, "test")
        if row.result != result:
            row.result = result.value
            _set_test_waiver(row, None)


def cycle_test(engine: Engine, test_id: int) -> str:
    """The on-site toggle: not run → passed → failed → not run. Returns the new result."""
    with db.write(engine) as s:
        row = _line_of(s, DeliveryTest, test_id, "test")
        row.result = _NEXT_RESULT[TestResult(row.result)].value
        _set_test_waiver(row, None)
        return row.result


def waive_test(engine: Engine, test_id: int, waiver: Waiver | None) -> None:
    """Accept a failed test with a written reason and who decided it (None withdraws the waiver).

    The technician alone may waive one failed test (the note prints it as the
    provider's reservation); with the client's consent it prints as accepted by the client.
    """
    with db.write(engine) as s:
        row = _line_of(s, DeliveryTest, test_id, "test")
        if waiver is not None and row.result != TestResult.failed:
            raise RefusedError(_("Only a failed test is waived: run it first, or waive the whole testing part."))
        _set_test_waiver(row, waiver.record() if waiver else None)


def _set_test_waiver(row: DeliveryTest, waiver: WaiverRecord | None) -> None:
    # A changed result drops the waiver with all it recorded: it answered one failure, not the next.
    row.waived_reason = waiver.reason if waiver else None
    row.waived_by = str(waiver.decided_by) if waiver else None
    row.waiver_client = waiver.client_name if waiver else ""
    row.waiver_agreed_on = waiver.agreed_on if waiver else None
    row.waiver_how = waiver.how if waiver else ""


def delete_test(engine: Engine, test_id: int) -> None:
    with db.write(engine) as s:
        s.delete(_line_of(s, DeliveryTest, test_id, "test"))


# --- items ------------------------------------------------------------------------------


def add_item(engine: Engine, delivery_id: int, data: ItemCreate) -> int:
    with db.write(engine) as s:
        _editable(s, delivery_id)
        _unfrozen(s, delivery_id, "its items")  # i18n: not shown (frozen_refusal's key)
        return _insert(s, DeliveryItem(delivery_id=delivery_id, **data.model_dump(mode="json")))


def update_item(engine: Engine, item_id: int, data: ItemCreate) -> None:
    with db.write(engine) as s:
        _assign(_line_of(s, DeliveryItem, item_id, "item"), data)


def delete_item(engine: Engine, item_id: int) -> None:
    with db.write(engine) as s:
        s.delete(_line_of(s, DeliveryItem, item_id, "item"))


# --- documentation ------------------------------------------------------------------------


def add_document(engine: Engine, delivery_id: int, data: DocumentCreate) -> int:
    """A document to hand over, not confirmed yet; returns its id."""
    with db.write(engine) as s:
        _editable(s, delivery_id)
        _unfrozen(s, delivery_id, "its documents")  # i18n: not shown (frozen_refusal's key)
        return _insert(s, DeliveryDocument(delivery_id=delivery_id, **data.model_dump(mode="json")))


def update_document(engine: Engine, document_id: int, data: DocumentCreate) -> None:
    with db.write(engine) as s:
        _assign(_line_of(s, DeliveryDocument, document_id, "document"), data)


def toggle_document(engine: Engine, document_id: int, now: datetime) -> bool:
    """Confirm the document was handed over now, or withdraw the confirmation. Returns confirmed."""
    with db.write(engine) as s:
        row = _line_of(s, DeliveryDocument, document_id, "document")
        row.confirmed_at = None if row.confirmed_at else now
        return row.confirmed_at is not None


def delete_document(engine: Engine, document_id: int) -> None:
    with db.write(engine) as s:
        s.delete(_line_of(s, DeliveryDocument, document_id, "document"))


# --- waiving a whole part -------------------------------------------------------------------


def waive_part(engine: Engine, delivery_id: int, part: str, waiver: Waiver | None) -> None:
    """Waive "tests" or "documents" with the client's consent recorded; None withdraws the waiver.

    The note is never waived (the charter requires one), and a part waived by
    the technician alone is refused: RefusedError, nothing written.
    """
    if part not in PARTS:
        raise ValueError(f"part is one of {', '.join(PARTS)}, got {part!r}")  # i18n: not shown
    with db.write(engine) as s:
        delivery = _editable(s, delivery_id)
        if part == "note":
            if waiver is not None:
                raise RefusedError(part_waiver_refusal(part, waiver.record()))
            delivery.note_waived_reason = None  # withdrawing an old note waiver stays possible
            return
        what = "its tests" if part == "tests" else "its documents"  # i18n: not shown (frozen_refusal's key)
        _unfrozen(s, delivery_id, what)
        record = waiver.record() if waiver else None
        refusal = part_waiver_refusal(part, record) if record else None
        if refusal:
            raise RefusedError(refusal)
        setattr(delivery, f"{part}_waived_reason", record.reason if record else None)
        setattr(delivery, f"{part}_waived_by", str(record.decided_by) if record else None)
        setattr(delivery, f"{part}_waiver_client", record.client_name if record else "")
        setattr(delivery, f"{part}_waiver_agreed_on", record.agreed_on if record else None)
        setattr(delivery, f"{part}_waiver_how", record.how if record else "")


# --- the delivery note (msptui.store.delivery_notes) --------------------------------------------


def issue_note(engine: Engine, delivery_id: int, data: NoteIssue, now: datetime) -> DeliveryNote:
    """See `msptui.store.delivery_notes.issue_note`."""
    from msptui.store.delivery_notes import issue_note as issue

    return issue(engine, delivery_id, data, now)


def void_note(engine: Engine, delivery_id: int, data: NoteVoid, now: datetime) -> DeliveryNoteVoid:
    """See `msptui.store.delivery_notes.void_note`."""
    from msptui.store.delivery_notes import void_note as void

    return void(engine, delivery_id, data, now)


def ip_statement(contract: Contract | None) -> str:
    """See `msptui.store.delivery_notes.ip_statement`."""
    from msptui.store.delivery_notes import ip_statement as statement

    return statement(contract)


# --- closing ---------------------------------------------------------------------------------


def mark_delivered(engine: Engine, delivery_id: int, now: datetime) -> None:
    """Close the delivery and move its engagement to delivered, both at `now`, in one transaction.

    Refused (RefusedError listing every blocker) unless each part is complete
    or waived with a reason.
    """
    with db.write(engine) as s:
        delivery = _editable(s, delivery_id)
        view = _view(s, delivery_id)
        ready = _readiness(view)
        if not ready.ready:
            raise RefusedError(_("Not ready to mark delivered:") + "\n- " + "\n- ".join(ready.blockers))
        from msptui.store.engagement_records import require_current_check

        # Never delivered on a stale check, a declining one, or one whose disclosure is not recorded.
        require_current_check(s, saved_id(view.engagement))
        delivery.delivered_at = now
        view.engagement.status = EngagementStatus.delivered.value
        view.engagement.delivered_at = now


# --- the list of deliveries (msptui.store.reads.deliveries, imported here for callers) ----------------

from msptui.store.reads.deliveries import STAGE_ORDER, DeliveryRow, deliveries_overview  # noqa: E402, F401
