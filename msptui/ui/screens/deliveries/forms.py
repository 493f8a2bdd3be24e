"""The checklist's forms: tests, items, documents, and waivers with who decided them.

Each function returns a `FormScreen` whose submit builds the input model and
calls the store (one transaction); the checklist pushes it and reloads after.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import N_, _, ngettext

# Why a whole part is waived only with the client's consent, one sentence per part
# (marked for the catalogue; shown translated).
PART_CONSENT = {
    "tests": N_(
        "Testing is waived only with the client's consent: who agreed, when and how."
        " The reason and the consent are printed on the delivery note."
    ),
    "note": N_(
        "The delivery note is waived only with the client's consent: who agreed, when and how."
        " The reason and the consent are printed on the delivery note."
    ),
    "documents": N_(
        "Documentation is waived only with the client's consent: who agreed, when and how."
        " The reason and the consent are printed on the delivery note."
    ),
}


def test_form(delivery_id: int, test: Any) -> Any:
    """Add a test (test None) or edit one."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import TestLineCreate
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        data = TestLineCreate(**values)
        return store.update_test(engine, test.id, data) if test else store.add_test(engine, delivery_id, data)

    fields = [
        FieldSpec("description", _("What was tested"), value=test.description if test else ""),
        FieldSpec("note", _("Note"), value=test.note if test else "", placeholder=_("measure, observation (optional)")),
    ]
    return FormScreen(_("Edit the test") if test else _("Add a test"), fields, submit)


def item_form(delivery_id: int, item: Any) -> Any:
    """Add an item delivered (item None) or edit one."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import ItemCreate
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        data = ItemCreate(**values)
        return store.update_item(engine, item.id, data) if item else store.add_item(engine, delivery_id, data)

    fields = [
        FieldSpec("description", _("Item delivered"), value=item.description if item else ""),
        FieldSpec("quantity", _("Quantity"), value=item.quantity if item else 1),
        FieldSpec("serial", _("Serial or version"), value=item.serial if item else ""),
    ]
    return FormScreen(_("Edit the item") if item else _("Add an item delivered"), fields, submit)


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
        FieldSpec("title", _("Document"), value=doc.title if doc else ""),
        FieldSpec(
            "given_as", _("Given as"), "select", value=doc.given_as if doc else "file", choices=GivenAs.choices()
        ),
        FieldSpec(
            "location",
            _("Where"),
            value=doc.location if doc else "",
            placeholder=_("file path, link, or who received it"),
        ),
    ]
    return FormScreen(_("Edit the document") if doc else _("Add documentation handed over"), fields, submit)


def waiver_form(title: str, waive: Any, part: str | None) -> Any:
    """A waiver and who decided it. A whole part needs the client's consent, so it starts on "client"."""
    from msptui.core.rules.delivery import AgreedHow
    from msptui.store.schemas.deliveries import Waiver
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    decided = [
        (_("The client agreed (printed as accepted by the client)"), "client"),
        (_("I decide alone (printed as the provider's reservation)"), "technician"),
    ]
    if part is not None:
        intro = _(PART_CONSENT[part])
    else:
        intro = _(
            "Decided by you alone, the note prints it as the provider's reservation; with the client's "
            "consent recorded (who, when, how), as accepted by the client."
        )
    fields = [
        FieldSpec("reason", _("Reason"), placeholder=_("why, in words the client would accept")),
        FieldSpec("decided_by", _("Decided by"), "select", value="client" if part else "technician", choices=decided),
        FieldSpec("client_name", _("Client's name"), placeholder=_("who agreed for the client")),
        FieldSpec("agreed_on", _("Agreed on"), placeholder=_("YYYY-MM-DD")),
        FieldSpec(
            "how",
            _("How"),
            "select",
            value=None,
            choices=AgreedHow.choices(),
            allow_blank=True,
            placeholder=_("email, phone, on site, signed form"),
        ),
    ]
    return FormScreen(title, fields, lambda engine, values: waive(engine, Waiver(**values)), intro=intro)


def issue_form(view: Any, delivery_id: int, clock: Any) -> Any:
    """Issuing the note: the client's signatory, and what issuing means (number, freezing)."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import NoteIssue
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    count = len(view.items)
    sentences = [
        ngettext(
            "The note takes the next number of the year (BL-YYYY-NNNN), never reused, and lists {count} item;"
            " warranty and intellectual property come from the contract.",
            "The note takes the next number of the year (BL-YYYY-NNNN), never reused, and lists {count} items;"
            " warranty and intellectual property come from the contract.",
            count,
        ).format(count=count),
        _("Once issued it is frozen: tests, items, documents and signatory no longer change unless it is voided."),
    ]
    if view.voided:
        sentences.append(_("It replaces the voided {number}.").format(number=view.voided[-1][0].number))
    if view.readiness.documents.value == "pending":
        # The note lists the documentation as it stands now; finishing it afterwards means voiding the note.
        sentences.append(_("Documentation is not complete yet: the note will list it as it stands now."))
    return FormScreen(
        _("Issue the delivery note"),
        [FieldSpec("signatory", _("Client's signatory"), placeholder=_("name of the person who signs for the client"))],
        lambda engine, values: store.issue_note(
            engine, delivery_id, NoteIssue(signatory=values["signatory"]), clock.now()
        ),
        intro=" ".join(sentences),
    )


def void_form(note: Any, delivery_id: int, clock: Any) -> Any:
    """Voiding the note in force: a reason is required and kept."""
    from msptui.store import deliveries as store
    from msptui.store.schemas.deliveries import NoteVoid
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    return FormScreen(
        _("Void delivery note {number}").format(number=note.number),
        [FieldSpec("reason", _("Reason"), placeholder=_("what was wrong on the note"))],
        lambda engine, values: store.void_note(engine, delivery_id, NoteVoid(**values), clock.now()),
        intro=_(
            "{number} stays used forever and its Markdown and PDF are marked VOID. The checklist can then "
            "be corrected and a new note issued under the next number, referring to this one."
        ).format(number=note.number),
    )
