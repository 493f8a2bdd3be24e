"""The breach register's forms: a breach as discovered, and the client's notification.

Instants are typed in the client's wall-clock time ("2026-11-23 14:30"), as the
notice the client receives prints them; the store keeps them in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from msptui.core.i18n import N_, _
from msptui.ui.screens.coming_due.register import typed_instant
from msptui.ui.widgets.form import FieldSpec, FormScreen

INSTANT_HINT = N_("YYYY-MM-DD HH:MM, client's time")


@dataclass(frozen=True)
class BreachChoices:
    """What the new-breach form offers, read before it opens (worker side)."""

    client_id: int
    timezone: str
    contracts: list[tuple[str, int]]  # the active ones, each with its notification delay
    processing: list[tuple[str, int]]  # every processing entry of the client's contracts
    hours_without_contract: int  # the delay a breach gets when no contract is chosen


def breach_choices(engine: Any, client_id: int) -> BreachChoices:
    from msptui.store.breaches import breach_hours
    from msptui.store.clients import get_client
    from msptui.store.contracts import client_contracts, contract_detail

    client = get_client(engine, client_id)
    contracts = client_contracts(engine, client_id, include_archived=False)
    processing: list[tuple[str, int]] = []
    for contract in contracts:
        detail = contract_detail(engine, contract.id)
        if detail is not None:
            processing += [(f"{contract.reference} — {p.purpose}", p.id) for p in detail.processing]  # i18n: not shown
    return BreachChoices(
        client_id,
        client.timezone if client is not None else "UTC",
        [(f"{c.reference} — {c.title} ({c.breach_notification_hours} h)", c.id) for c in contracts],  # i18n: not shown
        processing,
        breach_hours(engine, client_id),
    )


def _delay_help(choices: BreachChoices) -> str:
    """What the countdown will be: the contract's delay, and without one, which."""
    n = len(choices.contracts)
    hours = choices.hours_without_contract
    if n == 0:
        return _(
            "No active contract: {hours} hours (GDPR art. 33's 72 hours to the authority for the controller)."
        ).format(hours=hours)
    if n == 1:
        return _("The client's contract is chosen; with none, {hours} hours.").format(hours=hours)
    return _(
        "The client has {count} active contracts: with none chosen, the shortest of their delays counts ({hours} hours)."
    ).format(count=n, hours=hours)


def breach_form(choices: BreachChoices, clock: Any) -> FormScreen:
    """Record a breach as discovered; dismisses with its id, or None."""
    from msptui.store.schemas.engagements import format_instant

    now = clock.now()
    fields = [
        FieldSpec(
            "discovered_at",
            _("Discovered at"),
            value=format_instant(now, choices.timezone),
            placeholder=_(INSTANT_HINT),
        ),
        FieldSpec(
            "contract_id",
            _("Contract"),
            "select",
            # One active contract: it is the breach's (its delay is the one the client signed).
            choices.contracts[0][1] if len(choices.contracts) == 1 else None,
            choices.contracts,
            placeholder=_("None"),
            allow_blank=True,
        ),
        FieldSpec("description", _("What happened"), "textarea"),
        FieldSpec("data_concerned", _("Data concerned"), placeholder=_("Whose data, which kinds, how many people")),
        FieldSpec(
            "processing_id",
            _("Processing"),
            "select",
            None,
            choices.processing,
            placeholder=_("None"),
            allow_blank=True,
        ),
        FieldSpec("measures", _("Measures taken"), "textarea"),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.breaches import DataBreachCreate, record_breach

        discovered = typed_instant(values.pop("discovered_at"), choices.timezone, "discovered_at")
        data = DataBreachCreate(client_id=choices.client_id, discovered_at=discovered, **values)
        return record_breach(engine, data, clock.now())

    return FormScreen(
        _("Record a data breach"),
        fields,
        submit,
        intro=_(
            "The notification countdown starts at its discovery: the contract's delay, kept with the "
            "record. {delay} The record never changes; a correction is a new record."
        ).format(delay=_delay_help(choices)),
    )


def notification_form(breach_id: int, title: str, timezone: str, clock: Any) -> FormScreen:
    """The client was told: when and how (its countdown stops); dismisses with the new record's id, or None."""
    from msptui.store.schemas.engagements import format_instant

    fields = [
        FieldSpec(
            "notified_at",
            _("Notified at"),
            value=format_instant(clock.now(), timezone),
            placeholder=_(INSTANT_HINT),
        ),
        FieldSpec("notified_how", _("How"), placeholder=_("E-mail to the DPO, phone call, letter…")),
        FieldSpec("measures", _("Measures taken"), "textarea", placeholder=_("Blank: as recorded")),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.breaches import BreachNotification, record_notification

        notified = typed_instant(values.pop("notified_at"), timezone, "notified_at")
        return record_notification(engine, breach_id, BreachNotification(notified_at=notified, **values), clock.now())

    form = FormScreen(_("Client notified — {breach}").format(breach=title), fields, submit)
    form.AUTO_FOCUS = "#field-notified_how"
    return form
