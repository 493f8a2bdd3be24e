"""Create/edit forms for a client and its contacts.

The client form offers the language of the client's documents. A new client's
starts blank, "from the country": the input model then applies the one rule
(`core.rules.clients.default_document_language`, French for France) to the
country saved, whatever was typed there; the technician may pick one instead.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import LANGUAGE_NAMES, _
from msptui.core.vocabulary import ClientStatus
from msptui.ui.widgets.form import FieldSpec, FormScreen


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def document_language_choices() -> list[tuple[str, str]]:
    """Each language by its own name ("English", "Français"): what a reader of it looks for."""
    return [(name, code) for code, name in LANGUAGE_NAMES.items()]


def client_form(client: Any | None, now) -> FormScreen:  # noqa: ANN001
    """New client (creation time from `now`, the app's clock) or edit `client`."""
    c = client
    fields = [
        FieldSpec("name", _("Name"), value=c.name if c else "", placeholder=_("Boulangerie Martin")),
        FieldSpec("code", _("Short code"), value=c.code if c else "", placeholder="BOUL"),
        FieldSpec("status", _("Status"), "select", c.status if c else "active", ClientStatus.choices()),
        FieldSpec("address", _("Address"), value=c.address if c else ""),
        FieldSpec("postcode", _("Postcode"), value=c.postcode if c else ""),
        FieldSpec("city", _("City"), value=c.city if c else ""),
        FieldSpec("country", _("Country (ISO)"), value=c.country if c else "FR"),
        FieldSpec(
            "subdivision",
            _("Holiday subdivision"),
            value=(c.subdivision or "") if c else "",
            placeholder=_("57 or 6AE for Alsace-Moselle"),
        ),
        FieldSpec("timezone", _("Time zone"), value=c.timezone if c else "Europe/Paris"),
        FieldSpec(
            "language",
            _("Documents in"),
            "select",
            c.language if c else None,
            document_language_choices(),
            placeholder=_("from the country (French for France)"),
            allow_blank=c is None,
        ),
        FieldSpec("notes", _("Notes"), "textarea", c.notes if c else ""),
    ]

    def submit(engine, values: dict[str, Any]) -> int:  # noqa: ANN001
        from msptui.store import clients
        from msptui.store.schemas import ClientCreate, ClientUpdate

        values["subdivision"] = _blank_none(values["subdivision"])
        if c is None:
            return clients.create_client(engine, ClientCreate(**values), now())
        clients.update_client(engine, c.id, ClientUpdate(**values))
        return c.id

    return FormScreen(_("Edit client") if c else _("New client"), fields, submit)


def contact_form(client_id: int, contact: Any | None = None) -> FormScreen:
    c = contact
    fields = [
        FieldSpec("name", _("Name"), value=c.name if c else ""),
        FieldSpec("role", _("Role"), value=c.role if c else ""),
        FieldSpec("email", _("Email"), value=c.email if c else ""),
        FieldSpec("phone", _("Phone"), value=c.phone if c else ""),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import clients
        from msptui.store.schemas import ContactCreate

        data = ContactCreate(**values)
        if c is None:
            return clients.add_contact(engine, client_id, data)
        clients.update_contact(engine, c.id, data)
        return c.id

    return FormScreen(_("Edit contact") if c else _("New contact"), fields, submit)
