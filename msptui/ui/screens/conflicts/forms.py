"""Forms of the conflict-of-interest register: record a conflict, a gift or offer, a disclosure, an answer.

Each returns a `FormScreen` whose submit turns the typed text into an input
model (the only validator) and calls the store in one transaction.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import N_, _
from msptui.ui.screens.conflicts.detail import kind_label
from msptui.ui.screens.engagements.overview import short

INSTANT_HINT = N_("YYYY-MM-DD HH:MM, client's time")


def _empty_is_now() -> str:
    return _("empty: now; or {hint}").format(hint=_(INSTANT_HINT))


def _whose(client_id: int | None, clients: list[Any], engagements: list[Any]) -> list[Any]:
    """The fields saying whose record it is: the client (unless given) and the engagement."""
    from msptui.ui.widgets.form import FieldSpec

    fields = [] if client_id is not None else [FieldSpec("client_id", _("Client"), "select", None, clients)]
    fields.append(
        FieldSpec(
            "engagement_id", _("Engagement"), "select", None, engagements, placeholder=_("None"), allow_blank=True
        )
    )
    return fields


def register_form(client_id: int | None, clients: list[Any], engagements: list[Any], now: Any) -> Any:
    """Record a conflict (for `client_id`, or a client chosen in the form)."""
    from msptui.core.rules import ConflictKind
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    fields = _whose(client_id, clients, engagements)
    fields += [
        # A gift or offer has its own form (g): it records who offered it and what you did.
        FieldSpec(
            "kind",
            _("Kind"),
            "select",
            None,
            [(_(label), v) for label, v in ConflictKind.choices() if v != "gift_or_bribe"],
        ),
        FieldSpec("description", _("Description"), "textarea", placeholder=_("Who, what is at stake")),
        FieldSpec("identified_at", _("Identified at"), placeholder=_empty_is_now()),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.conflicts import register_conflict
        from msptui.store.schemas.engagements import ConflictCreate

        if client_id is not None:
            values["client_id"] = client_id
        return register_conflict(engine, ConflictCreate(**_present(values)), now())

    return FormScreen(
        _("Record a conflict of interest"),
        fields,
        submit,
        intro=_(
            "Record it as soon as it may arise, then disclose it to the client. "
            "A gift or offer: press g on the register instead."
        ),
    )


def gift_form(client_id: int | None, clients: list[Any], engagements: list[Any], now: Any) -> Any:
    """Record a gift or offer: what, by whom, when, and what you did (refused by default)."""
    from msptui.core.rules.conflicts import GiftAction
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    fields = _whose(client_id, clients, engagements)
    fields += [
        FieldSpec(
            "offered",
            _("What was offered"),
            "textarea",
            placeholder=_("Object, service, invitation; its value if known"),
        ),
        FieldSpec("offered_by", _("Offered by"), placeholder=_("Name and company")),
        FieldSpec("offered_at", _("Offered at"), placeholder=_empty_is_now()),
        FieldSpec(
            "action",
            _("What you did"),
            "select",
            GiftAction.refused.value,
            [(_(label), v) for label, v in GiftAction.choices()],
        ),
        FieldSpec("policy", _("Client's written policy"), placeholder=_("Only to accept: its title and date")),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.conflicts import record_gift
        from msptui.store.schemas.conflicts import GiftCreate

        if client_id is not None:
            values["client_id"] = client_id
        return record_gift(engine, GiftCreate(**_present(values)), now())

    return FormScreen(
        _("Record a gift or offer"),
        fields,
        submit,
        intro=_(
            "Refused is the default. Accept only when the client's written policy on gifts allows it, "
            "and name that policy. The record never changes afterwards."
        ),
    )


def disclose_form(row: Any, now: Any) -> Any:
    """When, to whom and how the client was told (and their answer, if given on the spot)."""
    from msptui.core.rules import ClientAnswer
    from msptui.store.schemas.engagements import format_instant
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    fields = [
        FieldSpec("to_whom", _("To whom"), placeholder=_("Name and role at the client")),
        FieldSpec("how", _("How"), placeholder=_("E-mail, letter, meeting, call…")),
        FieldSpec(
            "disclosed_at",
            _("Disclosed at"),
            value=format_instant(now(), row.timezone),
            placeholder=_(INSTANT_HINT),
        ),
        FieldSpec(
            "client_answer",
            _("Client's answer"),
            "select",
            None,
            [(_(label), v) for label, v in ClientAnswer.choices()],
            placeholder=_("Not yet"),
            allow_blank=True,
        ),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.conflicts import disclose
        from msptui.store.schemas.engagements import DisclosureInput

        disclose(engine, row.id, DisclosureInput(**values), now())
        return row.id

    return FormScreen(
        _("Disclose to {client}").format(client=row.client_name),
        fields,
        submit,
        intro=_about(row),
    )


def answer_form(row: Any, now: Any) -> Any:
    from msptui.core.rules import ClientAnswer
    from msptui.store.schemas.engagements import format_instant
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    fields = [
        FieldSpec(
            "answer", _("Client's answer"), "select", None, [(_(label), v) for label, v in ClientAnswer.choices()]
        ),
        FieldSpec(
            "answered_at",
            _("Answered at"),
            value=format_instant(now(), row.timezone),
            placeholder=_(INSTANT_HINT),
        ),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.conflicts import record_answer
        from msptui.store.schemas.engagements import ClientAnswerInput

        record_answer(engine, row.id, ClientAnswerInput(**_present(values)), now())
        return row.id

    return FormScreen(
        _("Answer of {client}").format(client=row.client_name),
        fields,
        submit,
        intro=_about(row),
    )


def _present(values: dict[str, Any]) -> dict[str, Any]:
    # An unchosen select is "missing" to the input model, which says "is required".
    return {k: v for k, v in values.items() if v is not None}


def _about(row: Any) -> str:
    """The conflict a form is about: its kind and what it is."""
    return _("{kind}: {description}").format(
        kind=kind_label(row.conflict.kind), description=short(row.conflict.description, 300)
    )
