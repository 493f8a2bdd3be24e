"""Input models of the contracts area: contracts, their hours, targets, assets, third parties, GDPR processing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, Field, model_validator

from msptui.core.i18n import _
from msptui.core.vocabulary import (
    AssetKind,
    ContractStatus,
    Priority,
    ServiceLine,
    ThirdPartyKind,
    weekday_name,
)
from msptui.store.schemas.common import (
    HHMM_RE,
    Country,
    Input,
    Line,
    Minutes,
    Name,
    Short,
    Text,
    TimeZone,
    _check_subdivision,
    _field_error,
    _line,
    _wrap,
)

# --- contracts -----------------------------------------------------------------


# Any: the hours come from a form or an import file; they are checked by hand here so that
# each message names the weekday, which pydantic's own errors for a typed dict would not.
def _hours(value: dict[Any, Any]) -> dict[str, list[list[str]]]:
    """Weekly hours: {"0".."6": [["HH:MM","HH:MM"], ...]} with no overlap, none crossing midnight."""
    out: dict[str, list[list[str]]] = {}
    for key, intervals in value.items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            day = -1
        if not 0 <= day <= 6:
            raise ValueError(_("weekday {key} is not 0 (Monday) to 6 (Sunday)").format(key=repr(key)))
        # Each message starts with the day's name (the form points it at that day's field).
        name = weekday_name(day)
        if not isinstance(intervals, (list, tuple)):
            raise ValueError(_("{day}: expected a list of intervals like 09:00-18:00").format(day=name))
        spans = []
        for interval in intervals:
            if not (
                isinstance(interval, (list, tuple)) and len(interval) == 2 and all(isinstance(t, str) for t in interval)
            ):
                raise ValueError(
                    _("{day}: {interval} is not an interval like 09:00-18:00").format(day=name, interval=repr(interval))
                )
            start, end = interval
            for t in (start, end):
                if not HHMM_RE.match(t):
                    raise ValueError(_("{day}: '{time}' is not a time HH:MM (00:00 to 24:00)").format(day=name, time=t))
            if start == "24:00" or end <= start:
                raise ValueError(
                    _("{day} {start}-{end}: the end must be after the start, same day").format(
                        day=name, start=start, end=end
                    )
                )
            spans.append((start, end))
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                raise ValueError(
                    _("{day}: {first} overlaps {second}").format(day=name, first=f"{s1}-{e1}", second=f"{s2}-{e2}")
                )
        if spans:
            out[str(day)] = [list(s) for s in spans]
    return out


def parse_hours_text(text: str) -> list[list[str]]:
    """'09:00-12:30, 13:30-18:00' -> [["09:00","12:30"],["13:30","18:00"]]; '' or 'closed' -> []."""
    text = text.strip()
    if not text or text.lower() == "closed":
        return []
    spans = []
    for part in text.split(","):
        bits = part.strip().split("-")
        if len(bits) != 2:
            raise ValueError(_("'{text}' is not an interval like 09:00-18:00").format(text=part.strip()))
        spans.append([bits[0].strip(), bits[1].strip()])
    return spans


def format_hours(spans: list[list[str]]) -> str:
    return (
        ", ".join(f"{s}-{e}" for s, e in spans) if spans else "closed"
    )  # i18n: not shown (the form says its own word)


WORKWEEK_9_18 = {str(d): [["09:00", "18:00"]] for d in range(5)}


class ContractCreate(Input):
    reference: Annotated[str, _line(40, required=True)]
    client_id: int
    title: Name
    start_date: date
    end_date: Optional[date] = None
    status: ContractStatus = ContractStatus.active
    service_lines: list[ServiceLine] = Field(default_factory=list)
    exclusions: Text = ""
    # Bare `dict` kept as it was: tests/test_input_fuzz.py draws the keys from this annotation
    # and `dict[Any, Any]` would make it draw unhashable ones; validation is the same either way.
    business_hours: Annotated[dict, AfterValidator(_hours)] = Field(  # type: ignore[type-arg]
        default_factory=lambda: dict(WORKWEEK_9_18)
    )
    timezone: TimeZone = "Europe/Paris"
    holiday_country: Country = "FR"
    holiday_subdivision: Optional[str] = None
    whit_monday_worked: bool = False
    extra_closed_dates: list[date] = Field(default_factory=list)
    pause_on_third_party: bool = False
    out_of_hours_available: bool = False
    out_of_hours_surcharge_pct: Annotated[int, Field(ge=0, le=500)] = 0
    out_of_hours_terms: Text = ""
    # None: the default of rules.out_of_hours (P1) when the service is offered.
    out_of_hours_priorities: Optional[list[Priority]] = None
    breach_notification_hours: Annotated[int, Field(ge=1, le=720)] = 48
    non_solicitation_months: Annotated[int, Field(ge=0, le=60)] = 0
    non_solicitation_indemnity: Line = ""
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    warranty_months: Annotated[int, Field(ge=0, le=240)] = 0
    lead_time_days: Annotated[int, Field(ge=0, le=3650)] = 0
    client_owns_ip: bool = True
    ip_notes: Text = ""

    @model_validator(mode="after")
    def _consistent(self) -> ContractCreate:
        if self.end_date is not None and self.end_date < self.start_date:
            raise _field_error("end_date", _("must be on or after the start date"))
        object.__setattr__(
            self,
            "holiday_subdivision",
            _wrap("holiday_subdivision", _check_subdivision, self.holiday_country, self.holiday_subdivision),
        )
        object.__setattr__(
            self, "out_of_hours_priorities", _covered(self.out_of_hours_available, self.out_of_hours_priorities)
        )
        return self


def _covered(offered: bool, priorities: Optional[list[Priority]]) -> list[Priority]:
    """The priorities the out-of-hours service covers: none unless it is offered."""
    from msptui.core.rules.out_of_hours import DEFAULT_COVERED

    if not offered:
        return []
    if priorities is None:
        return [Priority(p) for p in DEFAULT_COVERED]
    if not priorities:
        raise _field_error("out_of_hours_priorities", _("Name at least one priority the service covers, e.g. P1."))
    return sorted(set(priorities))


class ContractUpdate(ContractCreate):
    pass


class CoveredAssetCreate(Input):
    kind: AssetKind
    count: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    notes: Line = ""


class ThirdPartyCreate(Input):
    name: Name
    kind: ThirdPartyKind
    provides: Line = ""
    responsibility: Text = ""


class SlaTargetInput(Input):
    priority: Priority
    response_minutes: Optional[Minutes] = None
    intervention_minutes: Optional[Minutes] = None
    resolution_minutes: Optional[Minutes] = None
    round_the_clock: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> SlaTargetInput:
        r, i, z = self.response_minutes, self.intervention_minutes, self.resolution_minutes
        if r is not None and i is not None and i < r:
            raise _field_error("intervention_minutes", _("must not be shorter than the response target"))
        if i is not None and z is not None and z < i:
            raise _field_error("resolution_minutes", _("must not be shorter than the intervention target"))
        return self


class GdprProcessingCreate(Input):
    purpose: Name
    data_categories: Line = ""
    retention: Short = ""
    destination: Line = ""
    security_measures: Text = ""
