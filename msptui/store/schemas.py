"""Input models (the Create/Update pattern): the only validators of user input.

Each error names the field and says what is expected, in words a technician
reads next to the field. Table models are never used for this.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from msptui.vocab import (
    AssetKind,
    ClientStatus,
    ContractStatus,
    Priority,
    ServiceLine,
    ThirdPartyKind,
)

# --- reusable field rules ------------------------------------------------------


def _no_control(value: str, multiline: bool) -> str:
    allowed = {"\n", "\t"} if multiline else set()
    for ch in value:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            raise ValueError("contains a control character; remove it")
    return value


def _line(max_len: int, required: bool = False):
    def check(value: str) -> str:
        value = _no_control(value.strip(), multiline=False)
        if required and not value:
            raise ValueError("is required")
        if len(value) > max_len:
            raise ValueError(f"is too long ({len(value)} characters, at most {max_len})")
        return value

    return Annotated[str, AfterValidator(check)]


def _text(max_len: int = 5000):
    def check(value: str) -> str:
        value = _no_control(value.strip(), multiline=True)
        if len(value) > max_len:
            raise ValueError(f"is too long ({len(value)} characters, at most {max_len})")
        return value

    return Annotated[str, AfterValidator(check)]


Name = _line(120, required=True)
Short = _line(60)
Line = _line(200)
Text = _text()

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[+()0-9 .\-]{4,25}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,11}$")
HHMM_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _email(value: str) -> str:
    value = value.strip()
    if value and not EMAIL_RE.match(value):
        raise ValueError("is not an email address (expected name@domain.tld)")
    if len(value) > 254:
        raise ValueError("is too long (at most 254 characters)")
    return value


def _phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise ValueError("is not a phone number (digits, spaces, + . - ( ) only)")
    return value


def _code(value: str) -> str:
    value = value.strip().upper()
    if not CODE_RE.match(value):
        raise ValueError("must be 2 to 12 letters, digits, - or _ (e.g. BOUL)")
    return value


def _timezone(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("is required (an IANA name such as Europe/Paris)")
    if not is_known_timezone(value):
        raise ValueError(f"'{value}' is not a known time zone (expected e.g. Europe/Paris)")
    return value


def _country(value: str) -> str:
    value = value.strip().upper()
    if value not in supported_subdivisions():
        raise ValueError(f"'{value}' is not a country code the holiday calendar knows (e.g. FR)")
    return value


Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
Code = Annotated[str, AfterValidator(_code)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
Country = Annotated[str, AfterValidator(_country)]
Minutes = Annotated[int, Field(ge=1, le=60 * 24 * 365)]


@cache
def _all_timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in _all_timezones()


@cache
def supported_subdivisions() -> dict[str, frozenset[str]]:
    import holidays

    return {c: frozenset(s) for c, s in holidays.list_supported_countries().items()}


def _check_subdivision(country: str, subdivision: Optional[str]) -> Optional[str]:
    if not subdivision:
        return None
    subdivision = subdivision.strip().upper()
    known = supported_subdivisions().get(country, frozenset())
    if subdivision not in known:
        sample = ", ".join(sorted(known)[:6])
        hint = f" (known for {country}: {sample}, ...)" if known else f" ({country} has none)"
        raise ValueError(f"'{subdivision}' is not a holiday subdivision of {country}{hint}")
    return subdivision


class Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=False, extra="forbid", validate_assignment=True)


# --- clients -------------------------------------------------------------------


class ClientCreate(Input):
    name: Name
    code: Code
    status: ClientStatus = ClientStatus.active
    address: Line = ""
    postcode: _line(12) = ""
    city: Short = ""
    country: Country = "FR"
    subdivision: Optional[str] = None
    timezone: TimeZone = "Europe/Paris"
    notes: Text = ""

    @model_validator(mode="after")
    def _subdivision(self) -> "ClientCreate":
        object.__setattr__(self, "subdivision", _wrap("subdivision", _check_subdivision, self.country, self.subdivision))
        return self


class ClientUpdate(ClientCreate):
    pass


class ContactCreate(Input):
    name: Name
    role: Short = ""
    email: Email = ""
    phone: Phone = ""


# --- contracts -----------------------------------------------------------------


def _hours(value: dict) -> dict[str, list[list[str]]]:
    """Weekly hours: {"0".."6": [["HH:MM","HH:MM"], ...]} with no overlap, none crossing midnight."""
    out: dict[str, list[list[str]]] = {}
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    for key, intervals in value.items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            day = -1
        if not 0 <= day <= 6:
            raise ValueError(f"weekday {key!r} is not 0 (Monday) to 6 (Sunday)")
        if not isinstance(intervals, (list, tuple)):
            raise ValueError(f"{names[day]}: expected a list of intervals like 09:00-18:00")
        spans = []
        for interval in intervals:
            if not (isinstance(interval, (list, tuple)) and len(interval) == 2 and all(isinstance(t, str) for t in interval)):
                raise ValueError(f"{names[day]}: {interval!r} is not an interval like 09:00-18:00")
            start, end = interval
            for t in (start, end):
                if not HHMM_RE.match(t):
                    raise ValueError(f"{names[day]}: '{t}' is not a time HH:MM (00:00 to 24:00)")
            if start == "24:00" or end <= start:
                raise ValueError(f"{names[day]} {start}-{end}: the end must be after the start, same day")
            spans.append((start, end))
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                raise ValueError(f"{names[day]}: {s1}-{e1} overlaps {s2}-{e2}")
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
            raise ValueError(f"'{part.strip()}' is not an interval like 09:00-18:00")
        spans.append([bits[0].strip(), bits[1].strip()])
    return spans


def format_hours(spans: list[list[str]]) -> str:
    return ", ".join(f"{s}-{e}" for s, e in spans) if spans else "closed"


WORKWEEK_9_18 = {str(d): [["09:00", "18:00"]] for d in range(5)}


class ContractCreate(Input):
    reference: _line(40, required=True)
    client_id: int
    title: Name
    start_date: date
    end_date: Optional[date] = None
    status: ContractStatus = ContractStatus.active
    service_lines: list[ServiceLine] = Field(default_factory=list)
    exclusions: Text = ""
    business_hours: Annotated[dict, AfterValidator(_hours)] = Field(default_factory=lambda: dict(WORKWEEK_9_18))
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
    def _consistent(self) -> "ContractCreate":
        if self.end_date is not None and self.end_date < self.start_date:
            raise _field_error("end_date", "must be on or after the start date")
        object.__setattr__(
            self,
            "holiday_subdivision",
            _wrap("holiday_subdivision", _check_subdivision, self.holiday_country, self.holiday_subdivision),
        )
        object.__setattr__(self, "out_of_hours_priorities", _covered(self.out_of_hours_available, self.out_of_hours_priorities))
        return self


def _covered(offered: bool, priorities: Optional[list[Priority]]) -> list[Priority]:
    """The priorities the out-of-hours service covers: none unless it is offered."""
    from msptui.rules.out_of_hours import DEFAULT_COVERED

    if not offered:
        return []
    if priorities is None:
        return [Priority(p) for p in DEFAULT_COVERED]
    if not priorities:
        raise _field_error("out_of_hours_priorities", "Name at least one priority the service covers, e.g. P1.")
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
    def _ordered(self) -> "SlaTargetInput":
        r, i, z = self.response_minutes, self.intervention_minutes, self.resolution_minutes
        if r is not None and i is not None and i < r:
            raise _field_error("intervention_minutes", "must not be shorter than the response target")
        if i is not None and z is not None and z < i:
            raise _field_error("resolution_minutes", "must not be shorter than the intervention target")
        return self


class GdprProcessingCreate(Input):
    purpose: Name
    data_categories: Line = ""
    retention: Short = ""
    destination: Line = ""
    security_measures: Text = ""


# --- turning errors into words next to fields ----------------------------------


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _field_error(field: str, message: str) -> FieldError:
    return FieldError(field, message)


def _wrap(field, fn, *args):  # noqa: ANN001, ANN202
    try:
        return fn(*args)
    except FieldError:
        raise
    except ValueError as exc:
        raise FieldError(field, str(exc)) from exc


_PYDANTIC_WORDS = {
    "int_parsing": "must be a whole number",
    "date_from_datetime_parsing": "must be a date YYYY-MM-DD",
    "date_parsing": "must be a date YYYY-MM-DD",
    "enum": "is not one of the allowed choices",
    "missing": "is required",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "bool_parsing": "must be yes or no",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Map a ValidationError to {field name: plain message}; the first error per field wins."""
    out: dict[str, str] = {}
    for err in exc.errors():
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, FieldError):
            out.setdefault(ctx_error.field, ctx_error.message)
            continue
        field = str(err["loc"][0]) if err["loc"] else "form"
        kind = err["type"]
        if kind == "value_error":
            msg = str(ctx_error) if ctx_error else err["msg"]
        elif kind in _PYDANTIC_WORDS:
            msg = _PYDANTIC_WORDS[kind].format(**(err.get("ctx") or {}))
        else:
            msg = err["msg"]
        out.setdefault(field, msg)
    return out
