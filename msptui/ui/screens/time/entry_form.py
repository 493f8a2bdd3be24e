"""Time already spent, typed: the time entry form (and the end of a forgotten timer).

Date and times are typed as the technician's wall clock reads them (the
board's zone, shown in the labels) and stored in UTC. The length is a
duration ("1h30", "45m") or an end time, not both. The contract's exclusions
are shown above the form, so that marking the work out of scope (billable) is
a decision made with them in view. Nothing is saved while a field is wrong:
each message sits under its field, what was typed stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from msptui.core.i18n import N_, _
from msptui.ui.widgets.form import FieldSpec, FormErrors, FormScreen

__all__ = [
    "EntryContext",
    "entry_context",
    "local_instant",
    "open_time_entry_form",
    "stale_end_form",
    "time_entry_form",
]

_DATE_EXAMPLE = N_("Type the date as 2026-11-23 (or 23/11/2026).")
# The time asked for, as the messages name it (callers pass the English key).
_WHAT = {"start time": N_("the start time"), "end time": N_("the end time"), "time": N_("the time")}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_TIME = re.compile(r"(\d{1,2})(?:[:h](\d{2})?)?")


def parse_day(text: str, today: date) -> date:
    """A typed date: "2026-11-23", "23/11/2026", "23/11" (this year); blank is `today`."""
    typed = text.strip()
    if not typed:
        return today
    try:
        if found := _ISO_DATE.fullmatch(typed):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _FR_DATE.fullmatch(typed):
            return date(int(found[3] or today.year), int(found[2]), int(found[1]))
    except ValueError:
        raise ValueError(
            _("“{typed}” is not a day of the calendar. {example}").format(typed=typed, example=_(_DATE_EXAMPLE))
        ) from None
    raise ValueError(_(_DATE_EXAMPLE))


def parse_clock(text: str, what: str) -> time:
    """A typed wall-clock time: "14:30", "14h30", "14h", "9:05"; `what` ("start time", "end time",
    "time") names it in the refusal."""
    typed = "".join(text.split()).lower()
    found = _TIME.fullmatch(typed) if typed else None
    asked = _(_WHAT[what]) if what in _WHAT else _("the {thing}").format(thing=what)
    if found is None:
        raise ValueError(_("Type {what} as 14:30 (or 14h30).").format(what=asked))
    hour, minute = int(found[1]), int(found[2] or 0)
    if hour > 23 or minute > 59:
        raise ValueError(
            _("“{typed}” is not a time of day: type {what} as 14:30 (or 14h30).").format(typed=text.strip(), what=asked)
        )
    return time(hour, minute)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant the wall clock of `zone` reads `at` on `day` (aware, in that zone).

    In the hour repeated when clocks go back, the first of the two; in the hour
    skipped when they go forward, the time an hour later (what the clock read)."""
    return datetime.combine(day, at, tzinfo=zone)


# --- the form's context, read before it opens (worker side) ------------------------------------


@dataclass(frozen=True)
class EntryContext:
    """What the form shows about the ticket: its title and its contract's exclusions."""

    ticket_id: int
    title: str
    contract: str | None  # "MSP-2026-002 — Infogérance" or None: no contract (all billable)
    exclusions: str


def entry_context(engine: Any, ticket_id: int) -> EntryContext:
    from msptui.store.clients import RefusedError
    from msptui.store.contracts import contract_detail
    from msptui.store.tickets import get_ticket

    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        raise RefusedError(_("Ticket #{number} no longer exists.").format(number=ticket_id))
    detail = contract_detail(engine, ticket.contract_id) if ticket.contract_id is not None else None
    if detail is None:
        return EntryContext(ticket_id, ticket.title, None, "")
    contract = detail.contract
    return EntryContext(
        ticket_id, ticket.title, f"{contract.reference} — {contract.title}", contract.exclusions.strip()
    )


# --- the form -------------------------------------------------------------------------------


def _intro(context: EntryContext) -> str:
    if context.contract is None:
        return _("No contract: all of this time is billable. Type a duration (1h30, 45m) or an end time.")
    lines = [_("Contract {contract}. Type a duration (1h30, 45m) or an end time.").format(contract=context.contract)]
    if context.exclusions:
        lines.append(_("Excluded from the contract: {exclusions}").format(exclusions=context.exclusions))
        lines.append(_("Work on any of these is out of scope: tick the box, it is billed."))
    return "\n".join(lines)


def time_entry_form(context: EntryContext, clock: Any, zone: ZoneInfo) -> FormScreen:
    """Time spent on the ticket; dismisses with the new entry's id, or None."""
    from msptui.core.rules.time_entries import TimeCategory, parse_duration

    today = clock.now().astimezone(zone).date()

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.schemas.time import TimeEntryCreate
        from msptui.store.time_entries import add_entry

        errors: dict[str, str] = {}
        day = start = end = None
        try:
            day = parse_day(values["date"], today)
        except ValueError as exc:
            errors["date"] = str(exc)
        try:
            start = parse_clock(values["started_at"], "start time")
        except ValueError as exc:
            errors["started_at"] = str(exc)
        if values["ended_at"].strip():
            try:
                end = parse_clock(values["ended_at"], "end time")
            except ValueError as exc:
                errors["ended_at"] = str(exc)
        if values["duration"].strip():
            try:  # here too, so that every field's message shows at once (the schema reads it again)
                parse_duration(values["duration"])
            except ValueError as exc:
                errors["duration"] = str(exc)
        elif not values["ended_at"].strip():
            errors["duration"] = _("Type a duration such as 1h30 or 45m, or an end time below.")
        if errors:
            raise FormErrors(errors)
        assert day is not None and start is not None  # noqa: S101 - no error above means both were read
        data = TimeEntryCreate(
            ticket_id=context.ticket_id,
            started_at=local_instant(day, start, zone),
            ended_at=local_instant(day, end, zone) if end is not None else None,
            duration=values["duration"] or None,
            description=values["description"],
            category=values["category"] or TimeCategory.remote.value,
            out_of_scope=bool(values["out_of_scope"]),
        )
        return add_entry(engine, data, clock.now())

    fields = [
        FieldSpec(
            "date", _("Date ({zone})").format(zone=zone.key), value=f"{today:%Y-%m-%d}", placeholder="2026-11-23"
        ),
        FieldSpec("started_at", _("Start"), placeholder="14:30"),
        FieldSpec("duration", _("Duration"), placeholder=_("1h30, 45m…")),
        FieldSpec("ended_at", _("or end"), placeholder=_("16:00 (instead of a duration)")),
        FieldSpec("description", _("What was done"), placeholder=_("One line for the statement")),
        FieldSpec(
            "category", _("Kind of work"), "select", value=TimeCategory.remote.value, choices=TimeCategory.choices()
        ),
        FieldSpec("out_of_scope", _("Out of scope (billed)"), "checkbox", value=False),
    ]
    form = FormScreen(
        _("Time spent on #{number} — {title}").format(number=context.ticket_id, title=context.title),
        fields,
        submit,
        intro=_intro(context),
    )
    form.AUTO_FOCUS = "#field-started_at"  # the date is today's, most of the time
    return form


def stale_end_form(running: Any, clock: Any, zone: ZoneInfo | None) -> FormScreen:
    """When the work on a forgotten timer ended; the timer stops then. Dismisses with the
    store's StoppedTimer, or None (Escape: nothing changes)."""
    viewer = zone or ZoneInfo("UTC")
    started = running.started_at.astimezone(viewer)

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        from msptui.ui.screens.time.timer_keys import _end_stale

        errors: dict[str, str] = {}
        day = at = None
        try:
            day = parse_day(values["date"], started.date())
        except ValueError as exc:
            errors["date"] = str(exc)
        try:
            at = parse_clock(values["ended_at"], "end time")
        except ValueError as exc:
            errors["ended_at"] = str(exc)
        if errors:
            raise FormErrors(errors)
        assert day is not None and at is not None  # noqa: S101 - no error above means both were read
        return _end_stale(engine, clock.now(), local_instant(day, at, viewer))

    fields = [
        FieldSpec("date", _("Date ({zone})").format(zone=viewer.key), value=f"{started:%Y-%m-%d}"),
        FieldSpec("ended_at", _("The work ended at"), placeholder="18:30"),
    ]
    from msptui.ui.screens.time.entries import day_and_time

    form = FormScreen(
        _("When did the work on {subject} end?").format(subject=running.label),
        fields,
        submit,
        intro=_("The timer started {when}. It stops at the time you give; Escape changes nothing.").format(
            when=day_and_time(started)
        ),
    )
    form.AUTO_FOCUS = "#field-ended_at"
    return form


def open_time_entry_form(owner: Any, ticket_id: int, zone: ZoneInfo) -> None:
    """Read the ticket's contract, then open the form; says what was recorded."""
    app = owner.app

    def saved(entry_id: int | None) -> None:
        if entry_id is not None:
            app.notify(_("Time recorded on #{number}.").format(number=ticket_id), title=_("Time spent"), timeout=4)

    owner.call_store(
        entry_context, ticket_id, done=lambda context: app.push_screen(time_entry_form(context, app.clock, zone), saved)
    )
