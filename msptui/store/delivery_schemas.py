"""Input models for deliveries: test lines, items, documents, waivers, the note's signatory.

Each error names the field and what is expected (see `msptui.store.schemas`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from msptui.store.schemas import Input, Line, Name, Text
from msptui.vocab import GivenAs


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError("is required: say in a few words why")
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
    reason: Reason


class NoteIssue(Input):
    """Issuing the delivery note needs the name of the client's signatory."""

    signatory: Name
