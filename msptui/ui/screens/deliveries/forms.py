"""The checklist's forms: tests, items, documents, and waivers with who decided them.

Each function returns a `FormScreen` whose submit builds the input model and
calls the store (one transaction); the checklist pushes it and reloads after.
"""

from __future__ import annotations

from typing import Any


def test_form(delivery_id: int, test: Any) -> Any:
    """Add a test (test None) or edit one."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import TestLineCreate
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        data = TestLineCreate(**values)
        return store.update_test(engine, test.id, data) if test else store.add_test(engine, delivery_id, data)

    fields = [
        FieldSpec("description", "What was tested", value=test.description if test else ""),
        FieldSpec("note", "Note", value=test.note if test else "", placeholder="measure, observation (optional)"),
    ]
    return FormScreen("Edit the test" if test else "Add a test", fields, submit)


def item_form(delivery_id: int, item: Any) -> Any:
    """Add an item delivered (item None) or edit one."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import ItemCreate
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        data = ItemCreate(**values)
        return store.update_item(engine, item.id, data) if item else store.add_item(engine, delivery_id, data)

    fields = [
        FieldSpec("description", "Item delivered", value=item.description if item else ""),
        FieldSpec("quantity", "Quantity", value=item.quantity if item else 1),
        FieldSpec("serial", "Serial or version", value=item.serial if item else ""),
    ]
    return FormScreen("Edit the item" if item else "Add an item delivered", fields, submit)


def document_form(delivery_id: int, doc: Any) -> Any:
    """Add documentation handed over (doc None) or edit it."""
    from msptui.core.vocabulary import GivenAs
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import DocumentCreate
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        data = DocumentCreate(**values)
        return store.update_document(engine, doc.id, data) if doc else store.add_document(engine, delivery_id, data)

    fields = [
        FieldSpec("title", "Document", value=doc.title if doc else ""),
        FieldSpec("given_as", "Given as", "select", value=doc.given_as if doc else "file", choices=GivenAs.choices()),
        FieldSpec(
            "location", "Where", value=doc.location if doc else "", placeholder="file path, link, or who received it"
        ),
    ]
    return FormScreen("Edit the document" if doc else "Add documentation handed over", fields, submit)


def waiver_form(title: str, waive: Any, part: str | None) -> Any:
    """A waiver and who decided it. A whole part needs the client's consent, so it starts on "client"."""
    from msptui.core.rules.delivery import PART_NAMES, AgreedHow
    from msptui.store.schemas.deliveries import Waiver
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    decided = [
        ("The client agreed (printed as accepted by the client)", "client"),
        ("I decide alone (printed as the provider's reservation)", "technician"),
    ]
    if part is not None:
        intro = (
            f"{PART_NAMES[part]} is waived only with the client's consent: who agreed, when and how. "
            "The reason and the consent are printed on the delivery note."
        )
    else:
        intro = (
            "Decided by you alone, the note prints it as the provider's reservation; with the client's "
            "consent recorded (who, when, how), as accepted by the client."
        )
    fields = [
        FieldSpec("reason", "Reason", placeholder="why, in words the client would accept"),
        FieldSpec("decided_by", "Decided by", "select", value="client" if part else "technician", choices=decided),
        FieldSpec("client_name", "Client's name", placeholder="who agreed for the client"),
        FieldSpec("agreed_on", "Agreed on", placeholder="YYYY-MM-DD"),
        FieldSpec(
            "how",
            "How",
            "select",
            value=None,
            choices=AgreedHow.choices(),
            allow_blank=True,
            placeholder="email, phone, on site, signed form",
        ),
    ]
    return FormScreen(title, fields, lambda engine, values: waive(engine, Waiver(**values)), intro=intro)


def issue_form(view: Any, delivery_id: int, clock: Any) -> Any:
    """Issuing the note: the client's signatory, and what issuing means (number, freezing)."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import NoteIssue
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    replaces = f" It replaces the voided {view.voided[-1][0].number}." if view.voided else ""
    if view.readiness.documents.value == "pending":
        # The note lists the documentation as it stands now; finishing it afterwards means voiding the note.
        replaces += " Documentation is not complete yet: the note will list it as it stands now."
    intro = (
        "The note takes the next number of the year (BL-YYYY-NNNN), never reused, and lists "
        f"{len(view.items)} item(s); warranty and intellectual property come from the contract. "
        f"Once issued it is frozen: tests, items, documents and signatory no longer change unless it is voided.{replaces}"
    )
    return FormScreen(
        "Issue the delivery note",
        [FieldSpec("signatory", "Client's signatory", placeholder="name of the person who signs for the client")],
        lambda engine, values: store.issue_note(
            engine, delivery_id, NoteIssue(signatory=values["signatory"]), clock.now()
        ),
        intro=intro,
    )


def void_form(note: Any, delivery_id: int, clock: Any) -> Any:
    """Voiding the note in force: a reason is required and kept."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import NoteVoid
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    return FormScreen(
        f"Void delivery note {note.number}",
        [FieldSpec("reason", "Reason", placeholder="what was wrong on the note")],
        lambda engine, values: store.void_note(engine, delivery_id, NoteVoid(**values), clock.now()),
        intro=(
            f"{note.number} stays used forever and its Markdown and PDF are marked VOID. The checklist can then "
            "be corrected and a new note issued under the next number, referring to this one."
        ),
    )
