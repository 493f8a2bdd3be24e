"""Create/edit forms for clients, contacts, contracts, third parties, SLA targets, GDPR and assets.

Each builder returns a `FormScreen`; its submit function turns the typed text
into an input model (the only validator) and calls the store in one transaction.
"""

from __future__ import annotations

from typing import Any

from msptui.core.vocabulary import (
    WEEKDAYS,
    AssetKind,
    ClientStatus,
    ContractStatus,
    Priority,
    ServiceLine,
    ThirdPartyKind,
)
from msptui.ui.widgets.form import FieldSpec, FormScreen


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


# --- clients -------------------------------------------------------------------------


def client_form(client: Any | None, now) -> FormScreen:  # noqa: ANN001
    """New client (creation time from `now`, the app's clock) or edit `client`."""
    c = client
    fields = [
        FieldSpec("name", "Name", value=c.name if c else "", placeholder="Boulangerie Martin"),
        FieldSpec("code", "Short code", value=c.code if c else "", placeholder="BOUL"),
        FieldSpec("status", "Status", "select", c.status if c else "active", ClientStatus.choices()),
        FieldSpec("address", "Address", value=c.address if c else ""),
        FieldSpec("postcode", "Postcode", value=c.postcode if c else ""),
        FieldSpec("city", "City", value=c.city if c else ""),
        FieldSpec("country", "Country (ISO)", value=c.country if c else "FR"),
        FieldSpec(
            "subdivision",
            "Holiday subdivision",
            value=(c.subdivision or "") if c else "",
            placeholder="57 or 6AE for Alsace-Moselle",
        ),
        FieldSpec("timezone", "Time zone", value=c.timezone if c else "Europe/Paris"),
        FieldSpec("notes", "Notes", "textarea", c.notes if c else ""),
    ]

    def submit(engine, values: dict[str, Any]) -> int:  # noqa: ANN001
        from msptui.store import clients
        from msptui.store.schemas import ClientCreate, ClientUpdate

        values["subdivision"] = _blank_none(values["subdivision"])
        if c is None:
            return clients.create_client(engine, ClientCreate(**values), now())
        clients.update_client(engine, c.id, ClientUpdate(**values))
        return c.id

    return FormScreen("Edit client" if c else "New client", fields, submit)


def contact_form(client_id: int, contact: Any | None = None) -> FormScreen:
    c = contact
    fields = [
        FieldSpec("name", "Name", value=c.name if c else ""),
        FieldSpec("role", "Role", value=c.role if c else ""),
        FieldSpec("email", "Email", value=c.email if c else ""),
        FieldSpec("phone", "Phone", value=c.phone if c else ""),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import clients
        from msptui.store.schemas import ContactCreate

        data = ContactCreate(**values)
        if c is None:
            return clients.add_contact(engine, client_id, data)
        clients.update_contact(engine, c.id, data)
        return c.id

    return FormScreen("Edit contact" if c else "New contact", fields, submit)


# --- contracts -------------------------------------------------------------------------


def contract_form(client: Any, contract: Any | None, now) -> FormScreen:  # noqa: ANN001
    from msptui.store.schemas import format_hours

    k = contract
    hours = k.business_hours if k else {str(d): [["09:00", "12:30"], ["13:30", "18:00"]] for d in range(5)}
    fields = [
        FieldSpec("reference", "Reference", value=k.reference if k else "", placeholder="MSP-2026-013"),
        FieldSpec("title", "Title", value=k.title if k else "Infogérance et support"),
        FieldSpec(
            "start_date", "Start date", value=str(k.start_date) if k else str(now().date()), placeholder="YYYY-MM-DD"
        ),
        FieldSpec(
            "end_date",
            "End date",
            value=str(k.end_date or "") if k else "",
            placeholder="YYYY-MM-DD (blank: open-ended)",
        ),
        FieldSpec("status", "Status", "select", k.status if k else "active", ContractStatus.choices()),
        FieldSpec(
            "service_lines",
            "Service lines",
            value=", ".join(k.service_lines) if k else "maintenance, helpdesk",
            placeholder=", ".join(s.value for s in ServiceLine),
        ),
        FieldSpec("exclusions", "Exclusions", "textarea", k.exclusions if k else ""),
        *[
            FieldSpec(
                f"hours_{d}",
                f"{WEEKDAYS[d]} hours",
                value=format_hours(hours.get(str(d), [])),
                placeholder="09:00-12:30, 13:30-18:00 or closed",
            )
            for d in range(7)
        ],
        FieldSpec("timezone", "Time zone", value=k.timezone if k else client.timezone),
        FieldSpec("holiday_country", "Holidays of (country)", value=k.holiday_country if k else client.country),
        FieldSpec(
            "holiday_subdivision",
            "Holiday subdivision",
            value=(k.holiday_subdivision or "") if k else (client.subdivision or ""),
        ),
        FieldSpec("whit_monday_worked", "Whit Monday worked", "checkbox", k.whit_monday_worked if k else False),
        FieldSpec(
            "extra_closed_dates",
            "Extra closed dates",
            value=", ".join(k.extra_closed_dates) if k else "",
            placeholder="2026-12-24, 2026-12-31",
        ),
        FieldSpec("pause_on_third_party", "Pause on 3rd party", "checkbox", k.pause_on_third_party if k else False),
        FieldSpec(
            "out_of_hours_available", "Out-of-hours service", "checkbox", k.out_of_hours_available if k else False
        ),
        FieldSpec("out_of_hours_surcharge_pct", "Surcharge (%)", value=str(k.out_of_hours_surcharge_pct) if k else "0"),
        FieldSpec(
            "out_of_hours_priorities",
            "Out-of-hours covers",
            value=", ".join(k.out_of_hours_priorities or ["P1"]) if k else "P1",
            placeholder="priorities, e.g. P1, P2 (only if out-of-hours service is ticked)",
        ),
        FieldSpec("out_of_hours_terms", "Out-of-hours terms", "textarea", k.out_of_hours_terms if k else ""),
        FieldSpec(
            "breach_notification_hours", "Breach notice (hours)", value=str(k.breach_notification_hours) if k else "48"
        ),
        FieldSpec(
            "non_solicitation_months", "Non-solicitation (months)", value=str(k.non_solicitation_months) if k else "12"
        ),
        FieldSpec("non_solicitation_indemnity", "Indemnity", value=k.non_solicitation_indemnity if k else ""),
        FieldSpec("payment_terms_days", "Payment terms (days)", value=str(k.payment_terms_days) if k else "30"),
        FieldSpec("warranty_months", "Warranty (months)", value=str(k.warranty_months) if k else "12"),
        FieldSpec("lead_time_days", "Lead time (days)", value=str(k.lead_time_days) if k else "10"),
        FieldSpec("client_owns_ip", "Client owns the IP", "checkbox", k.client_owns_ip if k else True),
        FieldSpec("ip_notes", "IP notes", "textarea", k.ip_notes if k else ""),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import ContractCreate, FieldError, parse_hours_text

        business_hours = {}
        for d in range(7):
            try:
                business_hours[str(d)] = parse_hours_text(values.pop(f"hours_{d}"))
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
        "Edit contract" if k else f"New contract for {client.name}",
        fields,
        submit,
        intro="SLA targets default to business hours for every priority; with out-of-hours service "
        "ticked, the priorities it covers default to round the clock and only their out-of-hours "
        "work is surcharged (other work out of hours is flagged outside the contract).",
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
                if message.startswith(name):
                    from msptui.store.schemas import FieldError

                    raise FieldError(f"hours_{d}", message.removeprefix(name).lstrip(": ")) from exc


def third_party_form(contract_id: int, third_party: Any | None = None) -> FormScreen:
    t = third_party
    fields = [
        FieldSpec("name", "Name", value=t.name if t else ""),
        FieldSpec("kind", "Kind", "select", t.kind if t else "software_vendor", ThirdPartyKind.choices()),
        FieldSpec("provides", "Provides", value=t.provides if t else ""),
        FieldSpec("responsibility", "Responsibility", "textarea", t.responsibility if t else ""),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import ThirdPartyCreate

        data = ThirdPartyCreate(**values)
        if t is None:
            return contracts.add_third_party(engine, contract_id, data)
        contracts.update_third_party(engine, t.id, data)
        return t.id

    return FormScreen("Edit third party" if t else "New third party", fields, submit)


CLOCKS = (
    ("response_minutes", "response"),
    ("intervention_minutes", "intervention"),
    ("resolution_minutes", "resolution"),
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
        return frozenset(), "No out-of-hours service on this contract: every priority defaults to business hours."
    covered = sorted(terms.covered)
    return frozenset(covered), (
        f"Out-of-hours service covers {', '.join(covered)}: "
        f"{'it defaults' if len(covered) == 1 else 'they default'} to round the clock, the others to business hours."
    )


def targets_form(contract_id: int, targets: list[Any], contract: Any) -> FormScreen:
    by_priority = {t.priority: t for t in targets}
    round_the_clock, defaults_line = round_the_clock_defaults(contract)
    fields = []
    for p in Priority:
        t = by_priority.get(p.value)
        for attr, word in CLOCKS:
            value = getattr(t, attr) if t else None
            fields.append(
                FieldSpec(
                    f"{p.value}_{attr}",
                    f"{p.value} {word} (min)",
                    value="" if value is None else str(value),
                    placeholder="blank: no target",
                )
            )
        fields.append(
            FieldSpec(
                f"{p.value}_round_the_clock",
                f"{p.value} round the clock",
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

    return FormScreen("SLA targets (minutes of business time, or round the clock)", fields, submit, intro=defaults_line)


def processing_form(contract_id: int) -> FormScreen:
    fields = [
        FieldSpec("purpose", "Purpose"),
        FieldSpec("data_categories", "Data categories"),
        FieldSpec("retention", "Retention"),
        FieldSpec("destination", "Destination"),
        FieldSpec("security_measures", "Security measures", "textarea"),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import GdprProcessingCreate

        return contracts.add_processing(engine, contract_id, GdprProcessingCreate(**values))

    return FormScreen("New GDPR processing (art. 28)", fields, submit)


def asset_form(contract_id: int) -> FormScreen:
    fields = [
        FieldSpec("kind", "Kind", "select", "fixed_terminal", AssetKind.choices()),
        FieldSpec("count", "Count", value="1"),
        FieldSpec("notes", "Notes"),
    ]

    def submit(engine, values):  # noqa: ANN001, ANN202
        from msptui.store import contracts
        from msptui.store.schemas import CoveredAssetCreate

        return contracts.add_asset(engine, contract_id, CoveredAssetCreate(**values))

    return FormScreen("New covered assets", fields, submit)


__all__ = [
    "asset_form",
    "client_form",
    "contact_form",
    "contract_form",
    "processing_form",
    "targets_form",
    "third_party_form",
]
