"""The billing forms: a contract's rates, and a block of prepaid hours.

What is typed is validated by the store's input models (`store/schemas/billing.py`);
a bad value is said under its field, the form keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from msptui.core.i18n import N_, _
from msptui.core.rules.time_entries import TimeCategory
from msptui.ui.widgets.form import FieldSpec, FormErrors, FormScreen

# The rate field of each kind of work (any other kind: "<its label> rate").
RATE_LABELS = {"remote": N_("Remote rate"), "on_site": N_("On site rate"), "travel": N_("Travel rate")}


def _rate_label(category: TimeCategory) -> str:
    label = RATE_LABELS.get(category.value)
    return _(label) if label else _("{kind} rate").format(kind=category.label)


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def rates_form(detail: Any) -> FormScreen:
    """Hourly rate, a rate per category (blank: the hourly rate), VAT % and currency."""
    fields = [
        FieldSpec(
            "hourly_rate", _("Hourly rate"), value=detail.hourly_rate or "", placeholder=_("85.00 (blank: none)")
        ),
        *[
            FieldSpec(
                f"rate_{c.value}",
                _rate_label(c),
                value=detail.category_rates.get(c.value, ""),
                placeholder=_("blank: the hourly rate"),
            )
            for c in TimeCategory
        ],
        FieldSpec("vat_pct", _("VAT %"), value=detail.vat_pct, placeholder="20"),
        FieldSpec("currency", _("Currency"), value=detail.currency, placeholder="EUR"),
    ]
    contract_id = detail.contract_id

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from pydantic import ValidationError

        from msptui.store.billing import set_rates
        from msptui.store.schemas import field_errors
        from msptui.store.schemas.billing import RatesInput

        per_category = {c.value: values[f"rate_{c.value}"] for c in TimeCategory if _blank(values[f"rate_{c.value}"])}
        try:
            data = RatesInput(
                hourly_rate=_blank(values["hourly_rate"]),
                category_rates=per_category,
                vat_pct=_blank(values["vat_pct"]) or "20",
                currency=values["currency"] or "EUR",
            )
        except ValidationError as exc:
            errors = {}
            for err in exc.errors():  # a category's rate is under its own field
                loc = err["loc"]
                if len(loc) == 2 and loc[0] == "category_rates":
                    errors[f"rate_{loc[1]}"] = str((err.get("ctx") or {}).get("error") or err["msg"])
            raise FormErrors({**field_errors(exc), **errors}) from None
        set_rates(engine, contract_id, data)
        return contract_id

    return FormScreen(
        _("Rates of {contract}").format(contract=detail.reference),
        fields,
        submit,
        intro=_("Amounts excluding VAT, per hour. The out-of-hours surcharge is the contract's (edit the contract)."),
    )


def prepaid_form(contract_id: int, now: Callable[[], datetime]) -> FormScreen:
    """Hours bought in advance: how many, when, until when, and the client's reference."""
    today = now().date().isoformat()
    fields = [
        FieldSpec("hours", _("Hours bought"), placeholder=_("10 or 7.5")),
        FieldSpec("purchased_on", _("Purchase date"), value=today, placeholder=_("YYYY-MM-DD")),
        FieldSpec("expires_on", _("Expiry date"), placeholder=_("YYYY-MM-DD (blank: never)")),
        FieldSpec("reference", _("Reference"), placeholder=_("order or invoice number")),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.billing import add_prepaid_block
        from msptui.store.schemas.billing import PrepaidBlockCreate

        if not _blank(values["hours"]):
            raise FormErrors({"hours": _("Type how many hours were bought, such as 10.")})
        data = PrepaidBlockCreate(
            contract_id=contract_id,
            hours=values["hours"],
            purchased_on=_blank(values["purchased_on"]),
            expires_on=_blank(values["expires_on"]),
            reference=values["reference"],
        )
        return add_prepaid_block(engine, data, now())

    return FormScreen(_("Prepaid hours"), fields, submit, intro=_("Included work takes the oldest valid block first."))
