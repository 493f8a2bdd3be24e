"""What the coming-due band's keys do to its item: open its register (Enter), mark it
done (d) and snooze it (z). Each kind is done in its own way (`store.coming_due.mark_done`):

- a recurring task: its next occurrence becomes its ticket now (asked first);
- a renewal: renewed (asks the new expiry: a new entry points back at the old) or let go;
- a certification: its new expiry;
- a data breach: when and how the client was told (its countdown stops);
- a warranty end: acknowledged, with what was done about it.

A snooze asks until when and why; both are kept (`store.coming_due.snooze`), for the
item's due instant only; a breach's runs no further than its notification deadline.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import _
from msptui.ui.widgets.cells import day_time_words
from msptui.ui.widgets.form import FieldSpec, FormScreen

REGISTERS = {
    "recurring": "msptui.ui.screens.recurring.register:RecurringTasksScreen",
    "renewal": "msptui.ui.screens.renewals.register:RenewalsScreen",
    "breach": "msptui.ui.screens.breaches.register:BreachesScreen",
}


def _kind(item: Any) -> str:
    return str(getattr(item.kind, "value", item.kind))


# --- Enter: the item's own screen ---------------------------------------------------------------


def item_client(engine: Any, kind: str, ref_id: int) -> int | None:
    """(In a worker.) The client an item belongs to, for the band's items that do not say it."""
    if kind == "breach":
        from msptui.store.breaches import breach

        return breach(engine, ref_id).client_id
    return None


def open_item(band: Any, item: Any) -> None:
    """The item's register, on the item: a client's recurring tasks, renewals or breaches;
    the skills register for a certification, the deliveries for a warranty end."""
    kind = _kind(item)
    if kind == "certification":
        from msptui.ui.screens.skills.register import SkillsScreen

        band.app.push_screen(SkillsScreen())
        return
    if kind == "warranty":
        from msptui.ui.screens.deliveries.overview import DeliveriesScreen

        band.app.push_screen(DeliveriesScreen())
        return
    client_id = getattr(item, "client_id", None)
    if client_id is not None:
        _push_register(band, kind, client_id, item.ref_id)
        return

    def found(client: int | None) -> None:
        if client is None:
            key = "m" if kind == "recurring" else "r"
            band.app.notify(_("Open it from its client: F2, then {key}.").format(key=key), timeout=6)
        else:
            _push_register(band, kind, client, item.ref_id)

    band.call_store(item_client, kind, item.ref_id, done=found)


def _push_register(band: Any, kind: str, client_id: int, ref_id: int) -> None:
    from importlib import import_module

    module, name = REGISTERS[kind].split(":")
    band.app.push_screen(getattr(import_module(module), name)(client_id, select=ref_id))


# --- d: done ---------------------------------------------------------------------------------------


def mark_done(band: Any, item: Any) -> None:
    kind, clock = _kind(item), band.app.clock
    if kind == "recurring":
        from msptui.ui.widgets.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                shown = {"due_at": item.due_at}  # that occurrence, not the next one if it was made meanwhile
                band.call_store(_done, kind, item.ref_id, clock.now(), shown, done=lambda r: _said(band, item, r))

        day = day_time_words(item.due_at.astimezone(band.screen.zone), date_too=True)
        question = _("Open the ticket of “{title}”, due {when}, now? That occurrence is then not opened again.")
        band.app.push_screen(ConfirmScreen(question.format(title=item.title, when=day)), confirmed)
        return
    band.app.push_screen(done_form(item, clock, band.screen.zone.key), lambda r: r is not None and _said(band, item, r))


def _said(band: Any, item: Any, result: Any) -> None:
    band.acted(_("{title}: {words}").format(title=item.title[:60], words=result.words))
    if getattr(result, "kind", None) is not None and _kind(result) == "recurring":
        check = getattr(band.screen, "_check_version", None)
        if check is not None:
            check()  # its ticket on the board at once


def _done(engine: Any, kind: str, ref_id: int, now: Any, extra: dict[str, Any]) -> Any:
    from msptui.store.coming_due import mark_done as store_mark_done

    return store_mark_done(engine, kind, ref_id, now, **extra)


def done_form(item: Any, clock: Any, zone: str) -> FormScreen:
    """What marking `item` done asks, by kind; dismisses with the store's DoneResult, or None."""
    kind = _kind(item)
    if kind == "breach":
        from msptui.ui.screens.breaches.forms import INSTANT_HINT

        fields = [
            FieldSpec(
                "notified_at",
                _("Notified at ({zone})").format(zone=zone),
                value=_local_now(clock, zone),
                placeholder=_(INSTANT_HINT),
            ),
            FieldSpec("notified_how", _("How"), placeholder=_("E-mail to the DPO, phone call, letter…")),
            FieldSpec("measures", _("Measures taken"), placeholder=_("Blank: as recorded")),
        ]
        intro, title = _("The client was told: its countdown stops."), _("Breach notified")
    elif kind in ("renewal", "certification"):
        if kind == "renewal":
            hint = _("YYYY-MM-DD (blank: not renewed, let go)")
        else:
            hint = _("YYYY-MM-DD (blank: no longer followed)")
        fields = [FieldSpec("new_expiry", _("New expiry"), placeholder=hint)]
        intro = (
            _("Renewed: the new expiry makes a new entry that comes due in its turn; this one stays on record.")
            if kind == "renewal"
            else _("The certification's new expiry: it comes due again before then.")
        )
        title = _("Renewed") if kind == "renewal" else _("Certification renewed")
    else:
        fields = [FieldSpec("reason", _("What was done"), placeholder=_("Extension offered, client declined…"))]
        intro, title = _("Acknowledged for good, with what was done about it."), _("Warranty end handled")

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        extra: dict[str, Any] = {}
        if kind == "breach":
            from msptui.store.breaches import BreachNotification
            from msptui.ui.screens.coming_due.register import typed_instant

            notified = typed_instant(values.pop("notified_at"), zone, "notified_at")
            extra["notification"] = BreachNotification(notified_at=notified, **values)
        elif kind in ("renewal", "certification"):
            from msptui.store.schemas.renewals import RenewalDone

            # The date is read by the schema the renewals form uses (its sentence under the field).
            try:
                extra["new_expiry"] = RenewalDone(new_expires_on=values["new_expiry"] or None).new_expires_on
            except ValueError as exc:
                from msptui.ui.widgets.form import FormErrors

                raise FormErrors({"new_expiry": _first_message(exc)}) from None
        else:
            extra["reason"] = values["reason"]
            extra["due_at"] = item.due_at  # acknowledged for this warranty end only
        from msptui.store.schemas import FieldError

        try:
            return _done(engine, kind, item.ref_id, clock.now(), extra)
        except FieldError as exc:  # the renewals' own name for the field asked here
            field = "new_expiry" if exc.field == "new_expires_on" else exc.field
            raise FieldError(field, exc.message) from None

    form = FormScreen(f"{title} — {item.title}", fields, submit, intro=intro)
    form.AUTO_FOCUS = f"#field-{fields[0].name if kind != 'breach' else 'notified_how'}"
    return form


def _first_message(exc: ValueError) -> str:
    from pydantic import ValidationError

    from msptui.store.schemas import field_errors

    if isinstance(exc, ValidationError):
        return next(iter(field_errors(exc).values()), str(exc))
    return str(exc)


def _local_now(clock: Any, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return f"{clock.now().astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"


# --- z: snooze ------------------------------------------------------------------------------------


def snooze(band: Any, item: Any) -> None:
    band.app.push_screen(
        snooze_form(item, band.app.clock, band.screen.zone.key),
        lambda r: r is not None and band.acted(_("{title}: snoozed").format(title=item.title[:60])),
    )


def snooze_form(item: Any, clock: Any, zone: str) -> FormScreen:
    """Until when (the technician's time) and why; dismisses with the snooze's id, or None."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    local = ZoneInfo(zone)
    until = (clock.now().astimezone(local) + timedelta(days=1)).strftime("%Y-%m-%d 09:00")
    intro = _("It leaves the band until then (a year at most); the reason is kept.")
    if _kind(item) == "breach":
        deadline = f"{item.due_at.astimezone(local):%Y-%m-%d %H:%M}"
        until = min(until, deadline)  # same format: the earlier of the two
        intro = _("A breach cannot wait past its notification deadline ({deadline}): the client's legal clock.").format(
            deadline=deadline
        )
    fields = [
        FieldSpec("until", _("Until ({zone})").format(zone=zone), value=until, placeholder=_("YYYY-MM-DD HH:MM")),
        FieldSpec("reason", _("Why it can wait"), placeholder=_("Client on holiday until then, renewal ordered…")),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.coming_due import SnoozeCreate
        from msptui.store.coming_due import snooze as store_snooze
        from msptui.ui.screens.coming_due.register import typed_instant

        until = typed_instant(values["until"], zone, "until")
        data = SnoozeCreate(kind=_kind(item), ref_id=item.ref_id, until=until, reason=values["reason"])
        return store_snooze(engine, data, clock.now(), due_at=item.due_at)

    form = FormScreen(_("Snooze — {title}").format(title=item.title), fields, submit, intro=intro)
    form.AUTO_FOCUS = "#field-reason"
    return form
