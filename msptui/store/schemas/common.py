"""The field rules every input model shares, and how their errors become words.

Input models (the Create/Update pattern, one module per area beside this one)
are the only validators of user input. Each error names the field and says
what is expected, in words a technician reads next to the field (in the
interface's language: a message starting lower case is read after the field's
label, "Name is required"). Table models are never used for this.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Annotated, Optional, ParamSpec, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from msptui.core.i18n import N_, _

_P = ParamSpec("_P")
_T = TypeVar("_T")

# --- reusable field rules ------------------------------------------------------


def _no_control(value: str, multiline: bool) -> str:
    allowed = {"\n", "\t"} if multiline else set()
    for ch in value:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            raise ValueError(_("contains a control character; remove it"))
    return value


# A rule, not a type: `Annotated[str, _line(40)]` keeps the alias a type mypy can read.
def _line(max_len: int, required: bool = False) -> AfterValidator:
    def check(value: str) -> str:
        value = _no_control(value.strip(), multiline=False)
        if required and not value:
            raise ValueError(_("is required"))
        if len(value) > max_len:
            raise ValueError(_too_long(len(value), max_len))
        return value

    return AfterValidator(check)


def _too_long(length: int, most: int) -> str:
    return _("is too long ({length} characters, at most {most})").format(length=length, most=most)


def _text(max_len: int = 5000) -> AfterValidator:
    def check(value: str) -> str:
        value = _no_control(value.strip(), multiline=True)
        if len(value) > max_len:
            raise ValueError(_too_long(len(value), max_len))
        return value

    return AfterValidator(check)


Name = Annotated[str, _line(120, required=True)]
Short = Annotated[str, _line(60)]
Line = Annotated[str, _line(200)]
Text = Annotated[str, _text()]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[+()0-9 .\-]{4,25}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,11}$")
HHMM_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _email(value: str) -> str:
    value = value.strip()
    if value and not EMAIL_RE.match(value):
        raise ValueError(_("is not an email address (expected name@domain.tld)"))
    if len(value) > 254:
        raise ValueError(_("is too long (at most 254 characters)"))
    return value


def _phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise ValueError(_("is not a phone number (digits, spaces, + . - ( ) only)"))
    return value


def _code(value: str) -> str:
    value = value.strip().upper()
    if not CODE_RE.match(value):
        raise ValueError(_("must be 2 to 12 letters, digits, - or _ (e.g. BOUL)"))
    return value


def _timezone(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(_("is required (an IANA name such as Europe/Paris)"))
    if not is_known_timezone(value):
        raise ValueError(_("'{zone}' is not a known time zone (expected e.g. Europe/Paris)").format(zone=value))
    return value


def _country(value: str) -> str:
    value = value.strip().upper()
    if value not in supported_subdivisions():
        raise ValueError(
            _("'{country}' is not a country code the holiday calendar knows (e.g. FR)").format(country=value)
        )
    return value


Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
Code = Annotated[str, AfterValidator(_code)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
Country = Annotated[str, AfterValidator(_country)]
Minutes = Annotated[int, Field(ge=1, le=60 * 24 * 365)]

DATE_YEARS = (1900, 2199)  # a date the app counts days from: far from year 1 and 9999, where date sums overflow


def _bounded_date(value: date) -> date:
    if not DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
        raise ValueError(_("must be between {low} and {high}").format(low=DATE_YEARS[0], high=DATE_YEARS[1]))
    return value


def _bounded_optional_date(value: Optional[date]) -> Optional[date]:
    return None if value is None else _bounded_date(value)


# A calendar date the app will add days to (an expiry, a first occurrence): 1900 to 2199.
BoundedDate = Annotated[date, AfterValidator(_bounded_date)]
OptionalBoundedDate = Annotated[Optional[date], AfterValidator(_bounded_optional_date)]


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
        if known:
            message = _(
                "'{subdivision}' is not a holiday subdivision of {country} (known for {country}: {sample}, ...)"
            )
        else:
            message = _("'{subdivision}' is not a holiday subdivision of {country} ({country} has none)")
        raise ValueError(message.format(subdivision=subdivision, country=country, sample=", ".join(sorted(known)[:6])))
    return subdivision


class Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=False, extra="forbid", validate_assignment=True)


# --- turning errors into words next to fields ----------------------------------


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _field_error(field: str, message: str) -> FieldError:
    return FieldError(field, message)


def _wrap(field: str, fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    try:
        return fn(*args, **kwargs)
    except FieldError:
        raise
    except ValueError as exc:
        raise FieldError(field, str(exc)) from exc


# Pydantic's own errors in our words (marked for the catalogue, translated in `field_errors`);
# any other kind keeps pydantic's English message.
_PYDANTIC_WORDS = {
    "int_parsing": N_("must be a whole number"),
    "date_from_datetime_parsing": N_("must be a date YYYY-MM-DD"),
    "date_parsing": N_("must be a date YYYY-MM-DD"),
    "enum": N_("is not one of the allowed choices"),
    "missing": N_("is required"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
    "bool_parsing": N_("must be yes or no"),
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
            msg = _(_PYDANTIC_WORDS[kind]).format(**(err.get("ctx") or {}))
        else:
            msg = err["msg"]
        out.setdefault(field, msg)
    return out
