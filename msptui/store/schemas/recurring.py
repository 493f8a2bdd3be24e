"""Input model of the recurring area: preventive work a contract promises, on a schedule.

The schedule is checked by the rule that expands it (`core.rules.recurrence`): a
schedule it refuses is refused here with its sentence, before anything is saved.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from msptui.core.i18n import _
from msptui.core.rules.recurrence import ScheduleKind
from msptui.core.vocabulary import Priority
from msptui.store.schemas.common import HHMM_RE, BoundedDate, FieldError, Input, Line, Name, _line

STEPS_MAX = 20  # with 200 characters each, the checklist fits a ticket's description
LEAD_DAYS_MAX = 365


def _steps(value: object) -> object:
    """Form text (one step a line) to a list; blank lines dropped."""
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return value


def _at(value: str) -> str:
    value = value.strip()
    if not HHMM_RE.match(value) or value == "24:00":
        raise ValueError(_("must be a time of day HH:MM, such as 09:00"))
    return value


class ScheduleInput(Input):
    """What the schedule form says (`core.rules.recurrence.Schedule` decides what it means)."""

    kind: ScheduleKind
    interval: int = Field(default=1, ge=1, le=366)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = []  # Monday = 0, for "weeks"
    day_of_month: Optional[int] = Field(default=None, ge=1, le=31)  # for "months"
    rrule: Annotated[str, _line(500)] = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "interval": self.interval,
            "weekdays": sorted(set(self.weekdays)),
            "day_of_month": self.day_of_month,
            "rrule": self.rrule or None,
        }


class RecurringTaskCreate(Input):
    """A recurring task of a client (and a contract, whose calendar and SLA its tickets get):
    the checklist of steps, the schedule from `first_on` (a local date), the local time of
    day each occurrence is due, the priority of its tickets and how many days ahead it shows."""

    client_id: int
    contract_id: Optional[int] = None
    title: Name
    steps: Annotated[list[Line], BeforeValidator(_steps), Field(max_length=STEPS_MAX)] = []
    schedule: ScheduleInput
    first_on: BoundedDate
    at_time: Annotated[str, AfterValidator(_at)] = "09:00"
    priority: Priority = Priority.P3
    lead_days: int = Field(default=0, ge=0, le=LEAD_DAYS_MAX)

    @model_validator(mode="after")
    def _expandable(self) -> RecurringTaskCreate:
        from msptui.core.rules.recurrence import Schedule

        try:
            Schedule.from_json(self.schedule.as_json())
        except ValueError as exc:
            raise FieldError("schedule", str(exc)) from None
        return self
