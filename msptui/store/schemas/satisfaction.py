"""Input model of the satisfaction area: the client's score at a ticket's close or a
delivery, or "not asked" (score None), with the comment as the client gave it.

The occasion is one ticket or one delivery, never both; the client is the
occasion's own (the store finds it). A correction names the answer it
supersedes (`supersedes_id`) and is about the same occasion.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Optional

from pydantic import AfterValidator, BeforeValidator, model_validator

from msptui.core.i18n import _
from msptui.core.rules.satisfaction import COMMENT_MAX, check_score
from msptui.store.schemas.common import FieldError, Input, _line, _text

GIVEN_BY_MAX = 120


def _score(value: object) -> object:
    """Form text ("4", "", "n") to a score: blank or "n" is not asked."""
    if isinstance(value, str):
        typed = value.strip().lower()
        if typed in ("", "n", "not asked", "not_asked"):
            return None
        if typed.isdigit():
            return int(typed)
        raise ValueError(_("must be a whole number from 1 (very dissatisfied) to 5 (very satisfied), or not asked"))
    return value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("needs a time zone"))
    return value.astimezone(UTC)


class SatisfactionCreate(Input):
    """One answer: a score 1 to 5 (None: not asked), the comment as the client gave it (at
    most 1000 characters, new lines allowed), who gave it (free text, may be empty), and
    when it was asked (the store's `now` when left out)."""

    ticket_id: Optional[int] = None
    delivery_id: Optional[int] = None
    score: Annotated[Optional[int], BeforeValidator(_score), AfterValidator(check_score)] = None
    comment: Annotated[str, _text(COMMENT_MAX)] = ""
    given_by: Annotated[str, _line(GIVEN_BY_MAX)] = ""
    asked_at: Optional[Annotated[datetime, AfterValidator(_aware)]] = None
    supersedes_id: Optional[int] = None

    @model_validator(mode="after")
    def _whole(self) -> SatisfactionCreate:
        if (self.ticket_id is None) == (self.delivery_id is None):
            if self.ticket_id is not None:
                raise FieldError("ticket_id", _("An answer is about a ticket or a delivery, not both."))
            raise FieldError("ticket_id", _("Say which ticket or delivery the client was asked about."))
        if self.score is None and self.comment:
            raise FieldError(
                "comment",
                _(
                    "A comment goes with the client's score: choose the score 1 to 5, or empty the comment for "
                    "“not asked”."
                ),
            )
        return self
