"""Input models for deliveries: test lines, items, documents, waivers, the note's signatory.

Each error names the field and what is expected (see `msptui.store.schemas`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

from pydantic import AfterValidator, Field, field_validator, model_validator

from msptui.core.i18n import _
from msptui.core.rules.delivery import AgreedHow, DecidedBy, WaiverRecord
from msptui.core.vocabulary import GivenAs
from msptui.store.schemas.common import FieldError, Input, Line, Name, Text


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError(_("is required: say in a few words why"))
    return value


#: A written reason (for a waiver): free text, never blank.
Reason = Annotated[Text, AfterValidator(_required)]


class TestLineCreate(Input):
    """A test run at delivery, e.g. "Restore of last night's backup"."""

    __test__ = False  # an input model, not a pytest test class

    description: Name
    note: Text = ""


class ItemCreate(Input):
    """One thing delivered, as printed on the delivery note."""

    description: Name
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    serial: Line = ""  # serial number or software version


class DocumentCreate(Input):
    """A piece of technical documentation and how it was handed over."""

    title: Name
    given_as: GivenAs = GivenAs.file
    location: Line = ""  # file path, URL, or who received the printed copy


class Waiver(Input):
    """A waiver and who decided it: the technician alone (a reason), or the client,
    whose name, the date and how it was agreed are then all required."""

    reason: Reason
    decided_by: DecidedBy = DecidedBy.technician
    client_name: Line = ""
    agreed_on: Optional[date] = None
    how: Optional[AgreedHow] = None

    @field_validator("agreed_on", "how", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _client_consent_is_complete(self) -> Waiver:
        if self.decided_by == DecidedBy.client:
            if not self.client_name:
                raise FieldError("client_name", _("is required: the name of the person who agreed for the client"))
            if self.agreed_on is None:
                raise FieldError("agreed_on", _("is required: the date the client agreed (YYYY-MM-DD)"))
            if self.how is None:
                raise FieldError("how", _("is required: how the client agreed"))
        elif self.client_name or self.agreed_on or self.how:
            # The technician alone: leftover client fields would print as a consent that was not given.
            object.__setattr__(self, "client_name", "")
            object.__setattr__(self, "agreed_on", None)
            object.__setattr__(self, "how", None)
        return self

    def record(self) -> WaiverRecord:
        return WaiverRecord(
            reason=self.reason,
            decided_by=DecidedBy(self.decided_by),
            client_name=self.client_name,
            agreed_on=self.agreed_on,
            how=self.how.value if self.how else "",
        )


class NoteVoid(Input):
    """Voiding an issued note needs a written reason, kept in the log."""

    reason: Reason


class NoteIssue(Input):
    """Issuing the delivery note needs the name of the client's signatory."""

    signatory: Name
