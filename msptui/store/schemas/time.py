"""Input models of the time area: a time entry, typed with start and end or start and a duration.

Instants are aware and stored in UTC. Whether an entry lies in the future needs
the clock, which a validator does not have: the store calls `check_not_future`
with its `now` before saving.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Optional

from pydantic import AfterValidator, BeforeValidator, model_validator

from msptui.core.i18n import _
from msptui.core.rules.time_entries import MAX_ENTRY, TimeCategory, format_duration, parse_duration
from msptui.store.schemas.common import FieldError, Input, _line

#: How far ahead of the clock an entry may end (two machines' clocks, a slow form).
FUTURE_SLACK = timedelta(minutes=1)
DESCRIPTION_MAX = 500


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("needs a time zone: give the time as it reads on the wall clock of a known zone"))
    return value.astimezone(UTC)


Instant = Annotated[datetime, AfterValidator(_aware)]


def _category(value: object) -> object:
    if isinstance(value, str) and value not in TimeCategory.__members__:
        choices = ", ".join(c.label.lower() for c in TimeCategory)
        raise ValueError(_("is not a kind of work msptui knows ({choices})").format(choices=choices))
    return value


class TimeEntryCreate(Input):
    """Time spent on one ticket or one engagement: from `started_at` to `ended_at`, or
    from `started_at` for a typed `duration` ("1h30", "45m"; see rules.time_entries)."""

    ticket_id: Optional[int] = None
    engagement_id: Optional[int] = None
    started_at: Instant
    ended_at: Optional[Instant] = None
    duration: Optional[str] = None
    description: Annotated[str, _line(DESCRIPTION_MAX)] = ""
    category: Annotated[TimeCategory, BeforeValidator(_category)] = TimeCategory.remote
    out_of_scope: bool = False

    @model_validator(mode="after")
    def _whole(self) -> TimeEntryCreate:
        if (self.ticket_id is None) == (self.engagement_id is None):
            if self.ticket_id is not None:
                raise FieldError("ticket_id", _("Choose a ticket or an engagement, not both."))
            raise FieldError("ticket_id", _("Choose the ticket or the engagement the time was spent on."))
        if self.duration is not None and self.duration.strip():
            if self.ended_at is not None:
                raise FieldError("duration", _("Give either an end time or a duration, not both."))
            try:
                length = parse_duration(self.duration)
            except ValueError as exc:
                raise FieldError("duration", str(exc)) from None
            # validate_assignment would run this validator again: set the field without it.
            object.__setattr__(self, "ended_at", self.started_at + length)
            object.__setattr__(self, "duration", None)
        if self.ended_at is None:
            raise FieldError("ended_at", _("Give the end time or a duration such as 1h30."))
        if self.ended_at <= self.started_at:
            raise FieldError("ended_at", _("The end must be after the start."))
        if self.ended_at - self.started_at > MAX_ENTRY:
            length_words = format_duration(self.ended_at - self.started_at)
            raise FieldError(
                "ended_at",
                _("{duration} is more than a day: record one entry per day (24 h at most).").format(
                    duration=length_words
                ),
            )
        return self

    @property
    def end(self) -> datetime:
        """The end, once validated (always set: from `ended_at` or the duration)."""
        if self.ended_at is None:  # pragma: no cover - the validator refuses it
            raise RuntimeError("a validated time entry has an end")  # i18n: not shown
        return self.ended_at

    def check_not_future(self, now: datetime) -> None:
        """Refuse, with a sentence, an entry that ends after `now` (give or take a minute)."""
        if self.started_at > now + FUTURE_SLACK:
            raise FieldError("started_at", _("The start is in the future: record time once it is spent."))
        if self.end > now + FUTURE_SLACK:
            raise FieldError("ended_at", _("The end is in the future: record time once it is spent."))
