"""The renewals' forms: a new entry, and marking one done (renewed with its new expiry, or let go)."""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import _
from msptui.ui.widgets.form import FieldSpec, FormScreen


def renewal_form(client_id: int, clock: Any) -> FormScreen:
    """Something of the client's that expires; dismisses with its id, or None."""
    from msptui.store.schemas.renewals import RenewalWhat

    fields = [
        FieldSpec("what", _("What"), "select", RenewalWhat.licence.value, [(_(w.label), w.value) for w in RenewalWhat]),
        # The one who sells it: "provider" is the MSP itself (docs/glossary.md).
        FieldSpec("provider", _("Supplier"), placeholder=_("Microsoft, OVHcloud, Dell…")),
        FieldSpec("reference", _("Reference"), placeholder=_("Licence key name, domain, serial number…")),
        FieldSpec("expires_on", _("Expires on"), placeholder=_("YYYY-MM-DD")),
        FieldSpec("notice_days", _("Notice (days)"), value="30", placeholder=_("How many days before it comes due")),
        FieldSpec("auto_renew", _("Renews automatically"), "checkbox", False),
        FieldSpec("cost", _("Cost"), placeholder=_("120.00 (optional)")),
        FieldSpec("currency", _("Currency"), value="EUR"),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.renewals import RenewalCreate, add_renewal

        return add_renewal(engine, RenewalCreate(client_id=client_id, **values), clock.now())

    return FormScreen(
        _("New renewal"),
        fields,
        submit,
        intro=_("It comes due on the board its notice period before the expiry date."),
    )


def renewed_form(renewal_id: int, what: str, clock: Any, cost: str = "") -> FormScreen:
    """Mark renewal `renewal_id` (`what`, in words) done: with a new expiry it was renewed
    (a new entry pointing back), blank it was let go. Dismisses with the new entry's id,
    True when let go, or None when cancelled."""
    fields = [
        FieldSpec("new_expires_on", _("New expiry"), placeholder=_("YYYY-MM-DD (blank: not renewed, let go)")),
        FieldSpec(
            "cost",
            _("New cost"),
            placeholder=_("blank: unchanged ({cost})").format(cost=cost) if cost else _("blank: unchanged"),
        ),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int | bool:
        from msptui.store.renewals import RenewalDone, mark_renewal_done

        data = RenewalDone(new_expires_on=values["new_expires_on"] or None, cost=values["cost"])
        new_id = mark_renewal_done(engine, renewal_id, data, clock.now())
        return new_id if new_id is not None else True

    form = FormScreen(
        _("Renewal done — {what}").format(what=what),
        fields,
        submit,
        intro=_("Renewed: its new expiry makes a new entry that comes due in its turn; this one stays on record."),
    )
    form.AUTO_FOCUS = "#field-new_expires_on"
    return form


def renewal_words(r: Any) -> str:
    """A renewal in a few words: "Domain OVHcloud boulangerie-martin.fr (expires 2026-12-15)"."""
    from msptui.store.schemas.renewals import RenewalWhat

    name = " ".join(w for w in (_(RenewalWhat(r.what).label), r.provider, r.reference) if w)
    return _("{renewal} (expires {day})").format(renewal=name, day=r.expires_on.isoformat())


def cost_words(r: Any) -> str:
    """The renewal's cost as the interface's language writes money ("€120.00", "120,00 €"); "" when none."""
    from msptui.core.formats import money

    return money(r.cost, r.currency) if r.cost is not None else ""
