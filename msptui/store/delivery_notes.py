"""Issuing and voiding delivery notes; what a note says, frozen at issue.

A note is issued only when the tests are settled and the provider's identity
is set. Issuing writes, in one transaction, the note's number and its whole
content as data (`note_content`): the Markdown and PDF are rendered from that
alone, so nothing changed afterwards (client, contract, checklist) alters a
note. The row is append-only (SQLite triggers). A correction is a void (its
own append-only row, reason kept) and a new note under the next number that
names the one it replaces; a voided number is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from msptui.core import formats
from msptui.core.i18n import N_, _, current_language, document_language, ngettext
from msptui.core.rules.delivery import add_months, format_note_number, unsettled_tests, waiver_text
from msptui.core.rules.provider import provider_lines
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.deliveries import (
    DeliveryView,
    _editable,
    _note_of,
    _parts,
    _view,
    part_waiver,
    waiver_of_test,
)
from msptui.store.models import Contract, DeliveryNote, DeliveryNoteVoid, NoteCounter, ProviderIdentityRow, saved_id
from msptui.store.provider import _identity
from msptui.store.schemas.deliveries import NoteIssue, NoteVoid

#: The version of the content's shape; a renderer reads every version it knows.
CONTENT_FORMAT = 1
# Marked for the catalogue, translated where used: `_(RESULT_WORDS[result])`, `_(PROVIDER_MISSING)`.
RESULT_WORDS = {"passed": N_("Passed"), "failed": N_("Failed"), "pending": N_("Not run")}
PROVIDER_MISSING = N_("Set the provider's identity first: it is printed on every delivery note.")
NOTHING_TO_VOID = N_("No delivery note is in force for this delivery: there is nothing to void.")


def ip_statement(contract: Contract | None) -> str:
    """The intellectual-property sentence printed on the note, from the contract's terms.

    Without a contract the providers' charter default applies: the client owns
    what was produced.
    """
    owns = contract.client_owns_ip if contract is not None else True
    text = (
        _("The client owns the intellectual property of what was produced for this delivery.")
        if owns
        else _(
            "Intellectual property is not ceded: the provider keeps the rights and grants the client a right of use."
        )
    )
    notes = contract.ip_notes.strip() if contract is not None else ""
    return f"{text} {notes}" if notes else text


# --- issuing -------------------------------------------------------------------------------------


def issue_note(engine: Engine, delivery_id: int, data: NoteIssue, now: datetime) -> DeliveryNote:
    """Number, freeze and issue the delivery note, in one transaction; returns the note.

    The number is the next of the note's year (the client's local year) from
    `NoteCounter`, taken under the write lock (BEGIN IMMEDIATE on SQLite,
    row lock elsewhere) in the same transaction as the note: a failed issue
    consumes no number, two terminals never share one, none is reused, and a
    voided note keeps its number. After a void, the new note names the one it
    replaces. Refused (RefusedError, nothing written) when a note is in force,
    the tests are not settled, no item is listed, or the provider's identity
    is not set.
    """
    for attempt in range(3):
        try:
            with db.write(engine) as s:
                return _issue(s, delivery_id, data, now)
        except IntegrityError:
            # Two database servers racing to create a year's counter row: retry on the winner's row.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # i18n: not shown


def _issue(s: Session, delivery_id: int, data: NoteIssue, now: datetime) -> DeliveryNote:
    _editable(s, delivery_id)
    existing = _note_of(s, delivery_id)
    if existing is not None:
        raise RefusedError(
            _("Delivery note {number} is already issued for this delivery.").format(number=existing.number)
        )
    view = _view(s, delivery_id)
    unsettled = unsettled_tests(_parts(view))
    if unsettled:
        raise RefusedError(unsettled)
    if not view.items:
        raise RefusedError(_("The delivery note lists no item: add what was delivered first."))
    provider = s.get(ProviderIdentityRow, 1)
    if provider is None:
        raise RefusedError(_(PROVIDER_MISSING))
    year = now.astimezone(ZoneInfo(view.client.timezone)).year

    counter = s.scalars(select(NoteCounter).where(col(NoteCounter.year) == year).with_for_update()).first()
    if counter is None:
        counter = NoteCounter(year=year, last_seq=0)
        s.add(counter)
    # A counter behind the notes (restored from an old backup, say) must not hand out a used number.
    highest = s.scalar(select(func.max(DeliveryNote.seq)).where(col(DeliveryNote.year) == year)) or 0
    seq = max(counter.last_seq, highest) + 1
    counter.last_seq = seq
    number = format_note_number(year, seq)
    replaced = view.voided[-1][0] if view.voided else None
    issued_on = now.astimezone(ZoneInfo(view.client.timezone)).date()
    warranty_months = view.contract.warranty_months if view.contract else 0
    # Frozen in the client's language (issue 19), whatever the technician's interface speaks.
    with document_language(view.client.language):
        ip = ip_statement(view.contract)
        content = note_content(
            view,
            number=number,
            issued_on=issued_on,
            signatory=data.signatory,
            provider=provider_lines(_identity(provider)),
            warranty_months=warranty_months,
            ip=ip,
            replaces=replaced.number if replaced else None,
            partners=_partners(s, saved_id(view.engagement)),
            changes=_changes(s, saved_id(view.engagement)),
        )
    note = DeliveryNote(
        delivery_id=delivery_id,
        number=number,
        year=year,
        seq=seq,
        issued_at=now,
        signatory=data.signatory,
        warranty_months=warranty_months,
        ip_statement=ip,
        replaces_note_id=replaced.id if replaced else None,
        content=content,
    )
    s.add(note)
    view.delivery.signatory = data.signatory
    s.flush()
    return note


def _partners(s: Session, engagement_id: int) -> list[dict[str, str]]:
    """The check in force's external partners, the competence each brings and how
    the client was told (the code of conduct: an external competence is disclosed)."""
    from msptui.store.engagement_records import engagement_partners

    return [
        {"name": p.name, "competence": p.competence or _("competence not recorded"), "disclosure": p.disclosure_text}
        for p in engagement_partners(s, engagement_id)
    ]


def _changes(s: Session, engagement_id: int) -> list[dict[str, str]]:
    """Every change agreed with the client (the charter: changes "d'un commun accord")."""
    from msptui.core.rules import ChangedTerm, DisclosureMeans
    from msptui.store.engagement_records import change_requests

    out = []
    for c in change_requests(s, engagement_id):
        before, after = c.old_value or _("not set"), c.new_value or _("not set")
        agreed = _("agreed by {person} on {day} by {means}").format(
            person=c.agreed_by, day=formats.medium_date(c.agreed_on), means=DisclosureMeans(c.agreed_how).label.lower()
        )
        out.append(
            {
                "what": _("{term}: {before} -> {after}").format(
                    term=ChangedTerm(c.what).label, before=before, after=after
                ),
                "why": c.reason,
                "agreed": agreed,
            }
        )
    return out


def note_content(
    view: DeliveryView,
    *,
    number: str,
    issued_on: date,
    signatory: str,
    provider: list[str] | None,
    warranty_months: int,
    ip: str,
    replaces: str | None,
    partners: list[dict[str, str]] | None = None,
    changes: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Everything the note says, as JSON-ready data: the one source of its Markdown and PDF.

    "partners" are the external partners of the engagement (name, the competence
    each brings, how the client was told); "change_requests" the changes agreed
    with the client (what, why, who agreed, when and how).
    """
    c = view.client
    town = " ".join(p for p in (c.postcode, c.city) if p)
    tests_waiver = part_waiver(view.delivery, "tests")
    documents_waiver = part_waiver(view.delivery, "documents")
    return {
        "format": CONTENT_FORMAT,
        # The language its sentences are written in (the renderer prints its labels in it too).
        "language": current_language(),
        "number": number,
        "issued_on": issued_on.isoformat(),
        "provider": provider,
        "client": {"name": c.name, "code": c.code, "address": ", ".join(p for p in (c.address, town) if p)},
        "contract": (
            f"{view.contract.reference} - {view.contract.title}"
            if view.contract
            else _("None (engagement outside a contract)")
        ),
        "project": view.engagement.title,
        "replaces": replaces,
        "items": [{"description": i.description, "quantity": i.quantity, "serial": i.serial} for i in view.items],
        "tests_waiver": waiver_text(tests_waiver) if tests_waiver else None,
        "tests": [
            {
                "description": t.description,
                "result": _(RESULT_WORDS[t.result]),
                "note": t.note,
                "waiver": waiver_text(w) if (w := waiver_of_test(t)) else None,
            }
            for t in view.tests
        ],
        "documents_waiver": waiver_text(documents_waiver) if documents_waiver else None,
        "documents": [
            {
                "title": d.title,
                "given_as": d.given_as,
                "location": d.location,
                "handed_over": d.confirmed_at is not None,
            }
            for d in view.documents
        ],
        "partners": partners or [],
        "change_requests": changes or [],
        "warranty": warranty_sentence(issued_on, warranty_months),
        "ip_statement": ip,
        "signatory": signatory,
    }


def warranty_sentence(start: date, months: int) -> str:
    if not months:
        return _("No contractual warranty on this delivery.")
    return ngettext(
        "{count} month from {start}, until {end}.", "{count} months from {start}, until {end}.", months
    ).format(count=months, start=formats.medium_date(start), end=formats.medium_date(add_months(start, months)))


# --- reading a note to print it ------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRecord:
    """A note as printed: its frozen content, and its void (date in the client's zone, reason) if voided."""

    id: int
    number: str
    content: dict[str, Any]
    void: dict[str, str] | None


def note_in_force(engine: Engine, delivery_id: int) -> NoteRecord:
    """The delivery's note in force; RefusedError when none is issued (or the last one was voided)."""
    with db.read(engine) as s:
        note = _note_of(s, delivery_id)
        if note is None:
            raise RefusedError(_("The delivery note is not issued yet: issue it first (with the client's signatory)."))
        return _record(s, note)


def read_note(engine: Engine, note_id: int) -> NoteRecord:
    with db.read(engine) as s:
        note = s.get(DeliveryNote, note_id)
        if note is None:
            raise RefusedError(_("This delivery note no longer exists."))
        return _record(s, note)


def _record(s: Session, note: DeliveryNote) -> NoteRecord:
    void = s.scalars(select(DeliveryNoteVoid).where(col(DeliveryNoteVoid.note_id) == note.id)).first()
    void_print = None
    if void is not None:
        view = _view(s, note.delivery_id)
        on = void.voided_at.astimezone(ZoneInfo(view.client.timezone)).date()
        void_print = {"voided_on": on.isoformat(), "reason": void.reason}
    if note.content is None:  # every note has one since revision 0002; a damaged row is a bug, said plainly
        raise RefusedError(
            _("Delivery note {number} has no frozen content: restore a backup.").format(number=note.number)
        )
    return NoteRecord(id=saved_id(note), number=note.number, content=note.content, void=void_print)


# --- voiding ---------------------------------------------------------------------------------------


def void_note(engine: Engine, delivery_id: int, data: NoteVoid, now: datetime) -> DeliveryNoteVoid:
    """Void the delivery's note in force, with the reason, in one transaction; returns the void.

    The note keeps its number (never reused) and its content; its files then
    print VOID. The checklist can change again, and the next note issued takes
    the next number and names the voided one. Refused when no note is in force
    or the delivery is closed.
    """
    with db.write(engine) as s:
        _editable(s, delivery_id)
        note = _note_of(s, delivery_id)
        if note is None:
            raise RefusedError(_(NOTHING_TO_VOID))
        void = DeliveryNoteVoid(note_id=saved_id(note), reason=data.reason, voided_at=now)
        s.add(void)
        s.flush()
        return void
