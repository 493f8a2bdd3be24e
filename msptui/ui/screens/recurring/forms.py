"""The recurring task form: what, for which contract, its checklist, its schedule, its lead time.

The schedule's fields follow its kind: an interval for every N days, weeks or months,
weekdays for weekly ones, a day of the month for monthly ones, or an RRULE. The rule
(`core.rules.recurrence`) refuses what makes no sense, with its sentence under the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from msptui.core.i18n import N_, _
from msptui.ui.widgets.form import FieldSpec, FormErrors, FormScreen

# Labels translated where the form is drawn.
SCHEDULE_KINDS = [
    (N_("Every N days"), "days"),
    (N_("Every N weeks, on weekdays"), "weeks"),
    (N_("Every N months, on a day"), "months"),
    (N_("RRULE (advanced)"), "rrule"),
]
# A weekday is read from its first three letters, in English or French ("Thu", "jeudi", "jeu."),
# whatever the interface's language: the two sets share no word.
_WEEKDAYS = {
    name: i % 7
    for i, name in enumerate(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "lun", "mar", "mer", "jeu", "ven", "sam", "dim")
    )
}


@dataclass(frozen=True)
class TaskChoices:
    """What the form offers, read before it opens (worker side)."""

    client_id: int
    contracts: list[tuple[str, int]]
    today: str  # the first date proposed, ISO


def task_choices(engine: Any, client_id: int, today: str) -> TaskChoices:
    from msptui.store.contracts import client_contracts

    contracts = client_contracts(engine, client_id, include_archived=False)
    return TaskChoices(client_id, [(f"{c.reference} — {c.title}", c.id) for c in contracts], today)  # i18n: not shown


def weekdays(text: str) -> list[int]:
    """ "Mon, Thu" (or "mon thu", "monday", "lun., jeu.") to [0, 3]; ValueError with a sentence otherwise."""
    out = []
    for word in text.replace(",", " ").replace(";", " ").split():
        day = _WEEKDAYS.get(word.strip().lower()[:3])
        if day is None:
            raise ValueError(_("“{word}” is not a weekday: type days such as Mon, Thu.").format(word=word))
        out.append(day)
    return out


def task_form(choices: TaskChoices, clock: Any) -> FormScreen:
    """A new recurring task; dismisses with its id, or None."""
    from msptui.core.vocabulary import Priority

    fields = [
        FieldSpec("title", _("Title"), placeholder=_("Monthly restore test")),
        FieldSpec(
            "contract_id", _("Contract"), "select", None, choices.contracts, placeholder=_("None"), allow_blank=True
        ),
        FieldSpec(
            "steps", _("Steps (one a line)"), "textarea", placeholder=_("Restore a file from last night's backup")
        ),
        FieldSpec("kind", _("Repeats"), "select", "months", [(_(label), kind) for label, kind in SCHEDULE_KINDS]),
        FieldSpec("interval", _("Every (N)"), value="1", placeholder=_("1: every month; 3: every quarter")),
        FieldSpec("weekdays", _("On weekdays"), placeholder=_("Mon, Thu (weekly only)")),
        FieldSpec("day_of_month", _("On day of month"), placeholder=_("1-31; 31 = last day (monthly only)")),
        FieldSpec("rrule", "RRULE", placeholder=_("FREQ=MONTHLY;BYDAY=1MO (RRULE only)")),
        FieldSpec("first_on", _("First on"), value=choices.today, placeholder=_("YYYY-MM-DD")),
        FieldSpec("at_time", _("Due at"), value="09:00", placeholder=_("HH:MM, the contract's time")),
        FieldSpec("lead_days", _("Shown ahead (days)"), value="3", placeholder=_("How many days before it shows")),
        FieldSpec(
            "priority", _("Priority"), "select", Priority.P3.value, [(_(label), v) for label, v in Priority.choices()]
        ),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.recurring import RecurringTaskCreate, add_task

        kind = values.pop("kind") or "months"
        schedule: dict[str, Any] = {"kind": kind, "interval": values.pop("interval").strip() or 1}
        typed_days, day, rule = values.pop("weekdays"), values.pop("day_of_month").strip(), values.pop("rrule")
        if kind == "weeks" and typed_days.strip():
            try:
                schedule["weekdays"] = weekdays(typed_days)
            except ValueError as exc:
                raise FormErrors({"weekdays": str(exc)}) from None
        if kind == "months" and day:
            schedule["day_of_month"] = day
        if kind == "rrule":
            schedule.update(rrule=rule, interval=1)
        try:
            data = RecurringTaskCreate(client_id=choices.client_id, schedule=schedule, **values)
        except ValueError as exc:
            raise _schedule_errors(exc, kind) from None
        return add_task(engine, data, clock.now())

    return FormScreen(
        _("New recurring task"),
        fields,
        submit,
        intro=_(
            "Each occurrence becomes a ticket of the contract on its day, once (late ones say so). "
            "It shows on the board's coming-due band its lead days before."
        ),
    )


def _schedule_errors(exc: ValueError, kind: str) -> Exception:
    """The schedule's messages go under the field the technician typed ("schedule.interval" → Every)."""
    from pydantic import ValidationError

    from msptui.store.schemas import FieldError, field_errors

    schedule_field = {"rrule": "rrule", "weeks": "weekdays", "months": "day_of_month"}.get(kind, "interval")
    if isinstance(exc, FieldError):
        errors = {exc.field: exc.message}
    elif isinstance(exc, ValidationError):
        errors = field_errors(exc)
        # field_errors names the top field ("schedule"): the part inside says which of ours it was.
        inside = [str(e["loc"][1]) for e in exc.errors() if len(e["loc"]) > 1 and e["loc"][0] == "schedule"]
        if inside and inside[0] in ("interval", "weekdays", "day_of_month", "rrule"):
            schedule_field = inside[0]
    else:
        return exc
    moved: dict[str, str] = {}
    for name, message in errors.items():
        if name == "schedule":
            moved[schedule_field] = message
        else:
            moved[name] = message
    return FormErrors(moved)
