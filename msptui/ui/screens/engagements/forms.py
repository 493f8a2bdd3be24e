"""The forms of the engagement screens: the engagement itself (with a change
request once accepted), a status change, and the record of telling the client.

Each builds its input models in `submit` (validation) and calls one store
function (one transaction); the form keeps what was typed on any refusal.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import _

AGREEMENT_FIELDS = ("change_reason", "agreed_by", "agreed_on", "agreed_how")


def _status_label(status: str) -> str:
    from msptui.core.vocabulary import EngagementStatus

    return EngagementStatus(status).label


def _means() -> list[tuple[str, str]]:
    from msptui.core.rules import DisclosureMeans

    return DisclosureMeans.choices()


def _validated(*builders: Any) -> list[Any]:
    """Build every input model; all their field errors at once, or the models."""
    from pydantic import ValidationError

    from msptui.store.schemas import field_errors
    from msptui.ui.widgets.form import FormErrors

    built, errors = [], {}
    for build in builders:
        try:
            built.append(build())
        except ValidationError as exc:
            errors.update(field_errors(exc))
    if errors:
        raise FormErrors(errors)
    return built


def engagement_form(engagement: Any, client_id: int | None, clients: list[Any], contracts: list[Any], now: Any) -> Any:
    """New engagement (for `client_id`, or a client chosen in the form), or edit `engagement`.

    Once the engagement is accepted, the form also asks for the change request:
    a new scope, price or deadline is recorded only with why and the client's agreement.
    """
    from msptui.store.schemas.engagements import format_price
    from msptui.store.skills import technologies_in_use
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    e = engagement
    fields = []
    if e is None and client_id is None:
        fields.append(FieldSpec("client_id", _("Client"), "select", None, clients))
    fields += [
        FieldSpec("title", _("Title"), value=e.title if e else "", placeholder=_("Wi-Fi for the warehouse")),
        FieldSpec(
            "technologies",
            _("Technologies"),
            value=", ".join(e.technologies) if e else "",
            placeholder=_("Comma-separated: Microsoft 365, Intune"),
            suggest=technologies_in_use,
            each_item=True,
        ),
        FieldSpec("description", _("Scope"), "textarea", e.description if e else ""),
        FieldSpec(
            "price",
            _("Price (EUR, excl. tax)"),
            value=format_price(e.price).removesuffix(" EUR") if e else "",
            placeholder=_("e.g. 1200.50 (optional)"),
        ),
        FieldSpec(
            "contract_id",
            _("Contract"),
            "select",
            e.contract_id if e else None,
            contracts,
            placeholder=_("None"),
            allow_blank=True,
        ),
        FieldSpec(
            "start_date",
            _("Start date"),
            value=str(e.start_date or "") if e else "",
            placeholder=_("YYYY-MM-DD (optional)"),
        ),
        FieldSpec(
            "end_date", _("Deadline"), value=str(e.end_date or "") if e else "", placeholder=_("YYYY-MM-DD (optional)")
        ),
    ]
    agreed = e is not None and _needs_change_request(e.status)
    if agreed:
        fields += [
            FieldSpec("change_reason", _("Why it changes"), "textarea", ""),
            FieldSpec("agreed_by", _("Agreed by (client)"), placeholder=_("Person at the client who agreed")),
            FieldSpec("agreed_on", _("Agreed on"), placeholder=_("YYYY-MM-DD")),
            FieldSpec(
                "agreed_how",
                _("How"),
                "select",
                None,
                _means(),
                placeholder=_("E-mail, phone, meeting, letter"),
                allow_blank=True,
            ),
        ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store import engagements
        from msptui.store.schemas.engagements import ChangeAgreement, EngagementCreate, EngagementUpdate

        terms = {k: v for k, v in values.items() if k not in AGREEMENT_FIELDS}
        if e is not None:
            agreement_values = {k: values[k] for k in AGREEMENT_FIELDS if k in values}
            update, agreement = _validated(
                lambda: EngagementUpdate(**terms), lambda: ChangeAgreement(**agreement_values)
            )
            engagements.update_engagement(engine, e.id, update, now(), agreement)
            return e.id
        if client_id is not None:
            terms["client_id"] = client_id
        terms = {k: v for k, v in terms.items() if not (k == "client_id" and v is None)}
        return engagements.create_engagement(engine, EngagementCreate(**terms), now())

    intro = ""
    if agreed:
        intro = _(
            "{status}: a new scope, price or deadline is a change request, kept in the"
            " engagement's history and listed on the delivery note. Say why, and who at the client agreed, when and how."
        ).format(status=_status_label(e.status))
    return FormScreen(_("Edit engagement") if e else _("New engagement"), fields, submit, intro=intro)


def _needs_change_request(status: str) -> bool:
    from msptui.store.engagements import AGREED

    return status in AGREED


def status_form(engagement: Any, targets: Any, now: Any) -> Any:
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    fields = [FieldSpec("status", _("Move to"), "select", targets[0].value, [(t.label, t.value) for t in targets])]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.engagements import set_status
        from msptui.store.schemas import FieldError

        if values["status"] is None:
            raise FieldError("status", _("is required"))
        set_status(engine, engagement.id, values["status"], now())
        return engagement.id

    return FormScreen(
        _("Status of {title}").format(title=engagement.title),
        fields,
        submit,
        intro=_(
            "Now {status}. Accepting or declining is a competence check's decision (c);"
            " delivering is done from the delivery checklist (Deliveries)."
        ).format(status=_status_label(engagement.status).lower()),
    )


def disclosure_form(check: Any, now: Any) -> Any:
    """Record, after the check, that the client was told of its partner or given its risks in writing."""
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    partner = check.decision == "accept_with_partner"
    fields = [
        FieldSpec("disclosed_to", _("To whom"), placeholder=_("Person at the client")),
        FieldSpec("disclosed_on", _("On"), placeholder=_("YYYY-MM-DD")),
        FieldSpec(
            "disclosed_how",
            _("How"),
            "select",
            None,
            _means(),
            placeholder=_("E-mail, phone, meeting, letter"),
            allow_blank=True,
        ),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.engagement_records import record_disclosure
        from msptui.store.schemas.engagements import CheckDisclosureInput

        [data] = _validated(lambda: CheckDisclosureInput(**values))
        return record_disclosure(engine, check.id, data, now())

    if partner:
        intro = _(
            "Record to whom, on which day and how the client was told of the partner {partner}."
            " It is kept as it is: it cannot be edited later."
        ).format(partner=check.partner_name)
    else:
        intro = _(
            "Record to whom, on which day and how the client was told of the written risks and consequences."
            " It is kept as it is: it cannot be edited later."
        )
    return FormScreen(_("Telling the client"), fields, submit, intro=intro)


def form_choices(engine: Any, client_id: int | None) -> tuple[list[Any], list[Any]]:
    from msptui.store.engagements import client_choices, contract_choices

    return client_choices(engine), contract_choices(engine, client_id)
