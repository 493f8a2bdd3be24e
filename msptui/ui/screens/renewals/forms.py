"""The renewals' forms: a new entry, and marking one done (renewed with its new expiry, or let go)."""

from __future__ import annotations

from typing import Any

from msptui.ui.widgets.form import FieldSpec, FormScreen


def renewal_form(client_id: int, clock: Any) -> FormScreen:
    """Something of the client's that expires; dismisses with its id, or None."""
    from msptui.store.schemas.renewals import RenewalWhat

    fields = [
        FieldSpec("what", "What", "select", RenewalWhat.licence.value, [(w.label, w.value) for w in RenewalWhat]),
        FieldSpec("provider", "Provider", placeholder="Microsoft, OVHcloud, Dell…"),
        FieldSpec("reference", "Reference", placeholder="Licence key name, domain, serial number…"),
        FieldSpec("expires_on", "Expires on", placeholder="YYYY-MM-DD"),
        FieldSpec("notice_days", "Notice (days)", value="30", placeholder="How many days before it comes due"),
        FieldSpec("auto_renew", "Renews automatically", "checkbox", False),
        FieldSpec("cost", "Cost", placeholder="120.00 (optional)"),
        FieldSpec("currency", "Currency", value="EUR"),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.renewals import RenewalCreate, add_renewal

        return add_renewal(engine, RenewalCreate(client_id=client_id, **values), clock.now())

    return FormScreen(
        "New renewal",
        fields,
        submit,
        intro="It comes due on the board its notice period before the expiry date.",
    )


def renewed_form(renewal_id: int, what: str, clock: Any, cost: str = "") -> FormScreen:
    """Mark renewal `renewal_id` (`what`, in words) done: with a new expiry it was renewed
    (a new entry pointing back), blank it was let go. Dismisses with the new entry's id,
    True when let go, or None when cancelled."""
    fields = [
        FieldSpec("new_expires_on", "New expiry", placeholder="YYYY-MM-DD (blank: not renewed, let go)"),
        FieldSpec("cost", "New cost", placeholder=f"blank: unchanged{f' ({cost})' if cost else ''}"),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int | bool:
        from msptui.store.renewals import RenewalDone, mark_renewal_done

        data = RenewalDone(new_expires_on=values["new_expires_on"] or None, cost=values["cost"])
        new_id = mark_renewal_done(engine, renewal_id, data, clock.now())
        return new_id if new_id is not None else True

    form = FormScreen(
        f"Renewal done — {what}",
        fields,
        submit,
        intro="Renewed: its new expiry makes a new entry that comes due in its turn; this one stays on record.",
    )
    form.AUTO_FOCUS = "#field-new_expires_on"
    return form


def renewal_words(r: Any) -> str:
    """A renewal in a few words: "Domain OVHcloud boulangerie-martin.fr (expires 2026-12-15)"."""
    from msptui.store.schemas.renewals import RenewalWhat

    name = " ".join(w for w in (RenewalWhat(r.what).label, r.provider, r.reference) if w)
    return f"{name} (expires {r.expires_on.isoformat()})"
