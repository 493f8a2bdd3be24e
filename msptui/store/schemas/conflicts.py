"""Input model for a gift or offer recorded in the conflict-of-interest register.

What was offered, by whom, when, and what the technician did: refused (the
default) or declared and accepted under the client's written policy, named.
Whether the combination is allowed is the rules' business
(`msptui.core.rules.conflicts.validate_gift`), applied by the store.
"""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import AfterValidator

from msptui.core.i18n import _
from msptui.core.rules.conflicts import GiftAction
from msptui.store.schemas.common import Input, Line, Text
from msptui.store.schemas.engagements import OptionalInstant


def _required_offered(value: str) -> str:
    if not value:
        raise ValueError(_("is required: the object, service or invitation, and its value if known"))
    return value


class GiftCreate(Input):
    client_id: int
    engagement_id: Optional[int] = None
    offered: Annotated[Text, AfterValidator(_required_offered)]
    offered_by: Line = ""
    offered_at: OptionalInstant = None  # None: now
    action: GiftAction = GiftAction.refused
    policy: Line = ""
