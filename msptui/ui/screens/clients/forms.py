"""Create/edit forms for contracts, third parties, SLA targets, GDPR and assets (clients and
contacts: `client_forms`, re-exported here).

Each builder returns a `FormScreen`; its submit function turns the typed text
into an input model (the only validator) and calls the store in one transaction.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import N_, _, ngettext
from msptui.core.vocabulary import (
    WEEKDAYS,
    AssetKind,
    ContractStatus,
    Priority,
    ServiceLine,
    ThirdPartyKind,
    weekday_name,
)
from msptui.ui.screens.clients.client_forms import client_form, contact_form
from msptui.ui.widgets.form import FieldSpec, FormScreen


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _hours_text(spans: list[list[str]]) -> str:
    """A day's hours as the form shows them: "09:00-12:30, 13:30-18:00", or "closed" in the reader's words."""
    from msptui.store.schemas import format_hours

    return format_hours(spans) if spans else _("closed")


def _typed_hours(text: str) -> str:
    """What the store parses: the reader's word for a closed day becomes a blank (closed)."""
    return "" if text.strip().lower() in {"closed", _("closed").lower()} else text


# --- contracts -------------------------------------------------------------------------


def contract_form(client: Any, contract: Any | None, now) -> FormScreen:  # noqa: ANN001
    k = contract
    hours = k.business_hours if k else {str(d): [["09:00", "12:30"], ["13:30", "18:00"]] for d in range(5)}
    fields = [
        FieldSpec("reference", _("Reference"), value=k.reference if k else "", placeholder="MSP-2026-013"),
        # The default title is the French trade's name for the service (what the sample contracts say).
        FieldSpec("title", _("Title"), value=k.title if k else "Infogérance et support"),  # i18n: not shown
        FieldSpec(
            "start_date",
            _("Start date"),
            value=str(k.start_date) if k else str(now().date()),
            placeholder=_("YYYY-MM-DD"),
        ),
        FieldSpec(
            "end_date",
            _("End date"),
            value=str(k.end_date or "") if k else "",
            placeholder=_("YYYY-MM-DD (blank: open-ended)"),
        ),
        FieldSpec("status", _("Status"), "select", k.status if k else "active", ContractStatus.choices()),
        FieldSpec(
            "service_lines",
            _("Service lines"),
            value=", ".join(k.service_lines) if k else "maintenance, helpdesk",  # i18n: not shown (stored words)
            placeholder=", ".join(s.value for s in ServiceLine),
        ),
        FieldSpec("exclusions", _("Exclusions"), "textarea", k.exclusions if k else ""),
        *[
            FieldSpec(
                f"hours_{d}",
                _("{day} hours").format(day=weekday_name(d)),
                value=_hours_text(hours.get(str(d), [])),
                placeholder=_("09:00-12:30, 13:30-18:00 or {closed}").format(closed=_("closed")),
            )
            for d in range(7)
        ],
        FieldSpec("timezone", _("Time zone"), value=k.timezone if k else client.timezone),
        FieldSpec("holiday_country", _("Holidays of (country)"), value=k.holiday_country if k else client.country),
        FieldSpec(
            "holiday_subdivision",
            _("Holiday subdivision"),
            value=(k.holiday_subdivision or "") if k else (client.subdivision or ""),
        ),
        FieldSpec("whit_monday_worked", _("Whit Monday worked"), "checkbox", k.whit_monday_worked if k else False),
        FieldSpec(
            "extra_closed_dates",
            _("Extra closed dates"),
            value=", ".join(k.extra_closed_dates) if k else "",
            placeholder="2026-12-24, 2026-12-31",
        ),
        FieldSpec("pause_on_third_party", _("Pause on 3rd party"), "checkbox", k.pause_on_third_party if k else False),
        FieldSpec(
            "out_of_hours_available",
            _("Out-of-hours service"),
            "checkbox",
            k.out_of_hours_available if k else False,
        ),
        FieldSpec(
            "out_of_hours_surcharge_pct", _("Surcharge (%)"), value=str(k.out_of_hours_surcharge_pct) if k else "0"
        ),
        FieldSpec(
            "out_of_hours_priorities",
            _("Out-of-hours covers"),
            value=", ".join(k.out_of_hours_priorities or ["P1"]) if k else "P1",
            placeholder=_("priorities, e.g. P1, P2 (only if out-of-hours service is ticked)"),
        ),
        FieldSpec("out_of_hours_terms", _("Out-of-hours terms"), "textarea", k.out_of_hours_terms if k else ""),
        FieldSpec(
            "breach_notification_hours",
            _("Breach notice (hours)"),
            value=str(k.breach_notification_hours) if k else "48",
        ),
        FieldSpec(
            "non_solicitation_months",
            _("Non-solicitation (months)"),
            value=str(k.non_solicitation_months) if k else "12",
        ),
        FieldSpec("non_solicitation_indemnity", _("Indemnity"), value=k.non_solicitation_indemnity if k else ""),
        FieldSpec("payment_terms_days", _("Payment terms (days)"), value=str(k.payment_terms_days) if k else "30"),
        FieldSpec("warranty_months", _("Warranty (months)"), value=str(k.warranty_months) if k else "12"),
        FieldSpec("lead_time_days", _("Lead time (days)"), value=str(k.lead_time_days) if k else "10"),
        FieldSpec("client_owns_ip", _("Client owns the IP"), "checkbox", k.client_owns_ip if k else True),
        FieldSpec("ip_notes", _("IP notes"), "textarea", k.ip_notes if k else ""),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import ContractCreate, FieldError, parse_hours_text

        business_hours = {}
        for d in range(7):
            try:
                business_hours[str(d)] = parse_hours_text(_typed_hours(values.pop(f"hours_{d}")))
            except ValueError as exc:
                raise FieldError(f"hours_{d}", str(exc)) from exc
        values["business_hours"] = business_hours
        values["service_lines"] = _split(values["service_lines"])
        values["extra_closed_dates"] = _split(values["extra_closed_dates"])
        values["end_date"] = _blank_none(values["end_date"])
        values["holiday_subdivision"] = _blank_none(values["holiday_subdivision"])
        values["out_of_hours_priorities"] = [p.upper() for p in _split(values["out_of_hours_priorities"])]
        for key in (
            "out_of_hours_surcharge_pct",
            "breach_notification_hours",
            "non_solicitation_months",
            "payment_terms_days",
            "warranty_months",
            "lead_time_days",
        ):
            values[key] = (values[key] or "").strip() or 0
        try:
            data = ContractCreate(client_id=client.id, **values)
        except Exception as exc:
            _attach_hours_error(exc)
            raise
        if k is None:
            return contracts.create_contract(engine, data, now())
        contracts.update_contract(engine, k.id, data)
        return k.id

    return FormScreen(
        _("Edit contract") if k else _("New contract for {client}").format(client=client.name),
        fields,
        submit,
        intro=_(
            "SLA targets default to business hours for every priority; with out-of-hours service "
            "ticked, the priorities it covers default to round the clock and only their out-of-hours "
            "work is surcharged (other work out of hours is flagged outside the contract)."
        ),
    )


def _attach_hours_error(exc: Exception) -> None:
    """Point a weekly-hours error at the weekday's field rather than the whole table."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return
    for err in exc.errors():
        if err["loc"] and err["loc"][0] == "business_hours":
            message = str((err.get("ctx") or {}).get("error", err["msg"]))
            for d, name in enumerate(WEEKDAYS):
                # The store names the day in the interface's language (English for an import file's check).
                for said in (weekday_name(d), weekday_name(d).capitalize(), name):
                    if message.startswith(said):
                        from msptui.store.schemas import FieldError

                        raise FieldError(f"hours_{d}", message.removeprefix(said).lstrip(": ")) from exc


def third_party_form(contract_id: int, third_party: Any | None = None) -> FormScreen:
    t = third_party
    fields = [
        FieldSpec("name", _("Name"), value=t.name if t else ""),
        FieldSpec("kind", _("Kind"), "select", t.kind if t else "software_vendor", ThirdPartyKind.choices()),
        FieldSpec("provides", _("Provides"), value=t.provides if t else ""),
        FieldSpec("responsibility", _("Responsibility"), "textarea", t.responsibility if t else ""),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import ThirdPartyCreate

        data = ThirdPartyCreate(**values)
        if t is None:
            return contracts.add_third_party(engine, contract_id, data)
        contracts.update_third_party(engine, t.id, data)
        return t.id

    return FormScreen(_("Edit third party") if t else _("New third party"), fields, submit)


# Each clock's field, and its label in the targets form.
CLOCKS = (
    ("response_minutes", N_("{priority} response (min)")),
    ("intervention_minutes", N_("{priority} intervention (min)")),
    ("resolution_minutes", N_("{priority} resolution (min)")),
)


def round_the_clock_defaults(contract: Any) -> tuple[frozenset[str], str]:
    """The priorities whose SLA defaults to round the clock on `contract`, and a line saying so.

    Business hours for every priority, unless the contract offers out-of-hours
    service: then the priorities that service covers (rules.out_of_hours)."""
    from msptui.core.rules.out_of_hours import OutOfHoursTerms

    terms = OutOfHoursTerms.of(
        contract.out_of_hours_available, contract.out_of_hours_surcharge_pct, contract.out_of_hours_priorities
    )
    if not terms.offered:
        return frozenset(), _("No out-of-hours service on this contract: every priority defaults to business hours.")
    covered = sorted(terms.covered)
    line = ngettext(
        "Out-of-hours service covers {priorities}: it defaults to round the clock, the others to business hours.",
        "Out-of-hours service covers {priorities}: they default to round the clock, the others to business hours.",
        len(covered),
    )
    return frozenset(covered), line.format(priorities=", ".join(covered))


def targets_form(contract_id: int, targets: list[Any], contract: Any) -> FormScreen:
    by_priority = {t.priority: t for t in targets}
    round_the_clock, defaults_line = round_the_clock_defaults(contract)
    fields = []
    for p in Priority:
        t = by_priority.get(p.value)
        for attr, label in CLOCKS:
            value = getattr(t, attr) if t else None
            fields.append(
                FieldSpec(
                    f"{p.value}_{attr}",
                    _(label).format(priority=p.value),
                    value="" if value is None else str(value),
                    placeholder=_("blank: no target"),
                )
            )
        fields.append(
            FieldSpec(
                f"{p.value}_round_the_clock",
                _("{priority} round the clock").format(priority=p.value),
                "checkbox",
                t.round_the_clock if t else p.value in round_the_clock,
            )
        )

    def submit(engine, values):  # noqa: ANN001, ANN202
        from pydantic import ValidationError

        from msptui.store import contracts
        from msptui.store.schemas import SlaTargetInput, field_errors

        rows, errors = [], {}
        for p in Priority:
            raw = {attr: _blank_none(values[f"{p.value}_{attr}"]) for attr, _w in CLOCKS}
            try:
                rows.append(SlaTargetInput(priority=p, round_the_clock=values[f"{p.value}_round_the_clock"], **raw))
            except ValidationError as exc:
                errors.update({f"{p.value}_{k}": v for k, v in field_errors(exc).items()})
        if errors:
            from msptui.ui.widgets.form import FormErrors

            raise FormErrors(errors)
        contracts.set_targets(engine, contract_id, rows)
        return contract_id

    title = _("SLA targets (minutes of business time, or round the clock)")
    return FormScreen(title, fields, submit, intro=defaults_line)


def processing_form(contract_id: int) -> FormScreen:
    fields = [
        FieldSpec("purpose", _("Purpose")),
        FieldSpec("data_categories", _("Data categories")),
        FieldSpec("retention", _("Retention")),
        FieldSpec("destination", _("Destination")),
        FieldSpec("security_measures", _("Security measures"), "textarea"),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import GdprProcessingCreate

        return contracts.add_processing(engine, contract_id, GdprProcessingCreate(**values))

    return FormScreen(_("New GDPR processing (art. 28)"), fields, submit)


def asset_form(contract_id: int) -> FormScreen:
    fields = [
        FieldSpec("kind", _("Kind"), "select", "fixed_terminal", AssetKind.choices()),
        FieldSpec("count", _("Count"), value="1"),
        FieldSpec("notes", _("Notes")),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import CoveredAssetCreate

        return contracts.add_asset(engine, contract_id, CoveredAssetCreate(**values))

    return FormScreen(_("New covered assets"), fields, submit)


__all__ = [
    "asset_form",
    "client_form",
    "contact_form",
    "contract_form",
    "processing_form",
    "targets_form",
    "third_party_form",
]
