"""Deliveries: the on-site checklist (tests, delivery note, documentation) and its closing.

A delivery belongs to an engagement. Its three parts are each complete or
waived with a written reason before it can be marked delivered (the rule
lives in `msptui.rules.delivery`). Every function is one transaction; a
delivered delivery no longer changes, and a delivery note, once issued, is
never renumbered nor deleted, so its items and signatory are frozen with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from msptui.rules.delivery import (
    DeliveryParts,
    DocumentLine,
    Readiness,
    TestLine,
    TestResult,
    delivery_readiness,
    format_note_number,
)
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.delivery_schemas import DocumentCreate, ItemCreate, NoteIssue, TestLineCreate, Waiver
from msptui.store.models import (
    Client,
    Contract,
    Delivery,
    DeliveryDocument,
    DeliveryItem,
    DeliveryNote,
    DeliveryTest,
    Engagement,
    NoteCounter,
)
from msptui.vocab import EngagementStatus

#: Engagements on which a delivery can be opened: the project was accepted.
DELIVERABLE = frozenset(
    {EngagementStatus.accepted, EngagementStatus.accepted_with_partner, EngagementStatus.in_progress}
)
PARTS = ("tests", "note", "documents")
_NEXT_RESULT = {TestResult.pending: TestResult.passed, TestResult.passed: TestResult.failed, TestResult.failed: TestResult.pending}


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
    note: DeliveryNote | None = None
    readiness: Readiness | None = None

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
            raise RefusedError("This engagement no longer exists.")
        existing = s.scalars(
            select(Delivery).where(Delivery.engagement_id == engagement_id).order_by(Delivery.id.desc())
        ).first()
        if existing is not None:
            return existing.id
        if engagement.status not in DELIVERABLE:
            status = EngagementStatus(engagement.status).label.lower()
            raise RefusedError(
                f"The engagement '{engagement.title}' is {status}: only an accepted project is delivered."
            )
        delivery = Delivery(engagement_id=engagement_id, created_at=now)
        s.add(delivery)
        s.flush()
        return delivery.id


def get_delivery(engine: Engine, delivery_id: int) -> DeliveryView:
    """Everything the checklist shows, with its readiness; RefusedError if it is gone."""
    with db.read(engine) as s:
        return _view(s, delivery_id)


def readiness(engine: Engine, delivery_id: int) -> Readiness:
    with db.read(engine) as s:
        return _view(s, delivery_id).readiness  # type: ignore[return-value]


def _view(s: Session, delivery_id: int) -> DeliveryView:
    delivery = s.get(Delivery, delivery_id)
    if delivery is None:
        raise RefusedError("This delivery no longer exists.")
    engagement = s.get(Engagement, delivery.engagement_id)
    view = DeliveryView(
        delivery=delivery,
        engagement=engagement,
        client=s.get(Client, engagement.client_id),
        contract=s.get(Contract, engagement.contract_id) if engagement.contract_id else None,
        tests=_lines(s, DeliveryTest, delivery_id),
        items=_lines(s, DeliveryItem, delivery_id),
        documents=_lines(s, DeliveryDocument, delivery_id),
        note=_note_of(s, delivery_id),
    )
    view.readiness = delivery_readiness(_parts(view))
    return view


def _lines(s: Session, model, delivery_id: int) -> list:  # noqa: ANN001
    return list(s.scalars(select(model).where(model.delivery_id == delivery_id).order_by(model.id)))


def _note_of(s: Session, delivery_id: int) -> DeliveryNote | None:
    return s.scalars(
        select(DeliveryNote).where(DeliveryNote.delivery_id == delivery_id).order_by(DeliveryNote.id.desc())
    ).first()


def _parts(view: DeliveryView) -> DeliveryParts:
    d = view.delivery
    return DeliveryParts(
        tests=[TestLine(t.description, t.result, t.note, t.waived_reason) for t in view.tests],
        tests_waived_reason=d.tests_waived_reason,
        note_issued=view.note is not None,
        signatory=view.note.signatory if view.note else d.signatory,
        items_count=len(view.items),
        note_waived_reason=d.note_waived_reason,
        documents=[DocumentLine(doc.title, doc.given_as, doc.confirmed_at is not None) for doc in view.documents],
        documents_waived_reason=d.documents_waived_reason,
    )


# --- guards -------------------------------------------------------------------------------


def _editable(s: Session, delivery_id: int) -> Delivery:
    """The delivery, if its checklist may still change; RefusedError otherwise."""
    delivery = s.get(Delivery, delivery_id)
    if delivery is None:
        raise RefusedError("This delivery no longer exists.")
    if delivery.delivered_at is not None:
        raise RefusedError(
            f"This delivery was marked delivered on {delivery.delivered_at:%Y-%m-%d}: it can no longer change."
        )
    engagement = s.get(Engagement, delivery.engagement_id)
    if engagement.status == EngagementStatus.cancelled:
        raise RefusedError("This engagement was cancelled: its delivery can no longer change.")
    return delivery


def _line_of(s: Session, model, line_id: int, what: str):  # noqa: ANN001, ANN202
    row = s.get(model, line_id)
    if row is None:
        raise RefusedError(f"This {what} no longer exists.")
    _editable(s, row.delivery_id)
    return row


def _insert(s: Session, row) -> int:  # noqa: ANN001
    s.add(row)
    s.flush()
    return row.id


def _assign(row, data) -> None:  # noqa: ANN001
    for key, value in data.model_dump(mode="json").items():
        setattr(row, key, value)


def _items_unlocked(s: Session, delivery_id: int) -> None:
    note = _note_of(s, delivery_id)
    if note is not None:
        raise RefusedError(f"Delivery note {note.number} is issued: the items it lists can no longer change.")


# --- tests ------------------------------------------------------------------------------


def add_test(engine: Engine, delivery_id: int, data: TestLineCreate) -> int:
    """A new test line, not run yet; returns its id."""
    with db.write(engine) as s:
        _editable(s, delivery_id)
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
            row.waived_reason = None


def cycle_test(engine: Engine, test_id: int) -> str:
    """The on-site toggle: not run → passed → failed → not run. Returns the new result."""
    with db.write(engine) as s:
        row = _line_of(s, DeliveryTest, test_id, "test")
        row.result = _NEXT_RESULT[TestResult(row.result)].value
        row.waived_reason = None
        return row.result


def waive_test(engine: Engine, test_id: int, waiver: Waiver | None) -> None:
    """Accept a failed test with a written reason (None withdraws the waiver)."""
    with db.write(engine) as s:
        row = _line_of(s, DeliveryTest, test_id, "test")
        if waiver is not None and row.result != TestResult.failed:
            raise RefusedError("Only a failed test is waived: run it first, or waive the whole testing part.")
        row.waived_reason = waiver.reason if waiver else None


def delete_test(engine: Engine, test_id: int) -> None:
    with db.write(engine) as s:
        s.delete(_line_of(s, DeliveryTest, test_id, "test"))


# --- items ------------------------------------------------------------------------------


def add_item(engine: Engine, delivery_id: int, data: ItemCreate) -> int:
    with db.write(engine) as s:
        _editable(s, delivery_id)
        _items_unlocked(s, delivery_id)
        return _insert(s, DeliveryItem(delivery_id=delivery_id, **data.model_dump(mode="json")))


def update_item(engine: Engine, item_id: int, data: ItemCreate) -> None:
    with db.write(engine) as s:
        row = _line_of(s, DeliveryItem, item_id, "item")
        _items_unlocked(s, row.delivery_id)
        _assign(row, data)


def delete_item(engine: Engine, item_id: int) -> None:
    with db.write(engine) as s:
        row = _line_of(s, DeliveryItem, item_id, "item")
        _items_unlocked(s, row.delivery_id)
        s.delete(row)


# --- documentation ------------------------------------------------------------------------


def add_document(engine: Engine, delivery_id: int, data: DocumentCreate) -> int:
    """A document to hand over, not confirmed yet; returns its id."""
    with db.write(engine) as s:
        _editable(s, delivery_id)
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
    """Waive "tests", "note" or "documents" with a written reason; None withdraws the waiver."""
    if part not in PARTS:
        raise ValueError(f"part is one of {', '.join(PARTS)}, got {part!r}")
    with db.write(engine) as s:
        delivery = _editable(s, delivery_id)
        if part == "note" and waiver is not None and _note_of(s, delivery_id) is not None:
            raise RefusedError("The delivery note is already issued: there is nothing to waive.")
        setattr(delivery, f"{part}_waived_reason", waiver.reason if waiver else None)


# --- the delivery note ------------------------------------------------------------------------


def ip_statement(contract: Contract | None) -> str:
    """The intellectual-property sentence printed on the note, from the contract's terms.

    Without a contract the providers' charter default applies: the client owns
    what was produced.
    """
    owns = contract.client_owns_ip if contract is not None else True
    text = (
        "The client owns the intellectual property of what was produced for this delivery."
        if owns
        else "Intellectual property is not ceded: the provider keeps the rights and grants the client a right of use."
    )
    notes = contract.ip_notes.strip() if contract is not None else ""
    return f"{text} {notes}" if notes else text


def issue_note(engine: Engine, delivery_id: int, data: NoteIssue, now: datetime) -> DeliveryNote:
    """Number and issue the delivery note, in one transaction; returns the note.

    The number is the next of the note's year (the client's local year) from
    `NoteCounter`, taken under the write lock (BEGIN IMMEDIATE on SQLite,
    row lock elsewhere) in the same transaction as the note: a failed issue
    consumes no number, two terminals never share one, and none is reused.
    Warranty and the IP statement are copied from the contract now, so a later
    change of contract does not rewrite a signed note. Refused without items,
    or when a note is already issued.
    """
    for attempt in range(3):
        try:
            with db.write(engine) as s:
                return _issue(s, delivery_id, data, now)
        except IntegrityError:
            # Two databases servers racing to create a year's counter row: retry on the winner's row.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _issue(s: Session, delivery_id: int, data: NoteIssue, now: datetime) -> DeliveryNote:
    delivery = _editable(s, delivery_id)
    existing = _note_of(s, delivery_id)
    if existing is not None:
        raise RefusedError(f"Delivery note {existing.number} is already issued for this delivery.")
    if delivery.note_waived_reason:
        raise RefusedError("The delivery note is waived for this delivery: withdraw the waiver first.")
    items = s.scalar(select(func.count()).select_from(DeliveryItem).where(DeliveryItem.delivery_id == delivery_id))
    if not items:
        raise RefusedError("The delivery note lists no item: add what was delivered first.")
    engagement = s.get(Engagement, delivery.engagement_id)
    client = s.get(Client, engagement.client_id)
    contract = s.get(Contract, engagement.contract_id) if engagement.contract_id else None
    year = now.astimezone(ZoneInfo(client.timezone)).year

    counter = s.scalars(select(NoteCounter).where(NoteCounter.year == year).with_for_update()).first()
    if counter is None:
        counter = NoteCounter(year=year, last_seq=0)
        s.add(counter)
    # A counter behind the notes (restored from an old backup, say) must not hand out a used number.
    highest = s.scalar(select(func.max(DeliveryNote.seq)).where(DeliveryNote.year == year)) or 0
    seq = max(counter.last_seq, highest) + 1
    counter.last_seq = seq
    note = DeliveryNote(
        delivery_id=delivery_id,
        number=format_note_number(year, seq),
        year=year,
        seq=seq,
        issued_at=now,
        signatory=data.signatory,
        warranty_months=contract.warranty_months if contract else 0,
        ip_statement=ip_statement(contract),
    )
    s.add(note)
    delivery.signatory = data.signatory
    s.flush()
    return note


# --- closing ---------------------------------------------------------------------------------


def mark_delivered(engine: Engine, delivery_id: int, now: datetime) -> None:
    """Close the delivery and move its engagement to delivered, both at `now`, in one transaction.

    Refused (RefusedError listing every blocker) unless each part is complete
    or waived with a reason.
    """
    with db.write(engine) as s:
        delivery = _editable(s, delivery_id)
        view = _view(s, delivery_id)
        if not view.readiness.ready:
            raise RefusedError("Not ready to mark delivered:\n- " + "\n- ".join(view.readiness.blockers))
        delivery.delivered_at = now
        view.engagement.status = EngagementStatus.delivered.value
        view.engagement.delivered_at = now


# --- the list of deliveries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One line of the deliveries list.

    stage: "in_progress" (a delivery is open), "to_open" (an accepted engagement
    without delivery), "delivered", "cancelled" (an engagement), or "former"
    (a former client, for its handover pack; engagement fields are then None).
    """

    stage: str
    client_id: int
    client_name: str
    engagement_id: int | None = None
    engagement_title: str = ""
    delivery_id: int | None = None
    progress: tuple[int, int] | None = None
    note_number: str | None = None
    when: datetime | None = None


STAGE_ORDER = {"in_progress": 0, "to_open": 1, "delivered": 2, "cancelled": 3, "former": 4}


def deliveries_overview(engine: Engine, delivered_limit: int = 50) -> list[DeliveryRow]:
    """Open deliveries, accepted engagements ready for one, the latest delivered ones,
    cancelled engagements and former clients (the last two for handover packs)."""
    rows: list[DeliveryRow] = []
    with db.read(engine) as s:
        latest = {
            e_id: d_id
            for e_id, d_id in s.execute(select(Delivery.engagement_id, func.max(Delivery.id)).group_by(Delivery.engagement_id))
        }
        stmt = (
            select(Engagement, Client)
            .join(Client, Client.id == Engagement.client_id)
            .where(
                Engagement.status.in_([*DELIVERABLE, EngagementStatus.delivered, EngagementStatus.cancelled])
            )
        )
        delivered = 0
        for engagement, client in s.execute(stmt.order_by(Engagement.delivered_at.desc(), Engagement.id)):
            delivery_id = latest.get(engagement.id)
            base = dict(client_id=client.id, client_name=client.name, engagement_id=engagement.id,
                        engagement_title=engagement.title, delivery_id=delivery_id)
            if engagement.status == EngagementStatus.cancelled:
                rows.append(DeliveryRow("cancelled", when=engagement.cancelled_at, **base))
            elif engagement.status == EngagementStatus.delivered:
                delivered += 1
                if delivered <= delivered_limit:
                    note = _note_of(s, delivery_id) if delivery_id else None
                    rows.append(DeliveryRow("delivered", note_number=note.number if note else None,
                                            when=engagement.delivered_at, **base))
            elif delivery_id is None:
                rows.append(DeliveryRow("to_open", **base))
            else:
                view = _view(s, delivery_id)
                rows.append(DeliveryRow("in_progress", progress=view.readiness.progress,
                                        note_number=view.note.number if view.note else None,
                                        when=view.delivery.created_at, **base))
        for client in s.scalars(select(Client).where(Client.status == "former").order_by(Client.name)):
            rows.append(DeliveryRow("former", client_id=client.id, client_name=client.name))
    rows.sort(key=lambda r: (STAGE_ORDER[r.stage], r.client_name.lower(), r.engagement_title.lower()))
    return rows
