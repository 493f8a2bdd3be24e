"""The pure SLA engine: business calendars, clocks, ticket timelines.

Imports only the standard library (and `holidays`, lazily, when a country
calendar first needs a year): no Textual, no database, nothing else of
msptui. See DESIGN.md "SLA semantics".
"""

from .business_calendar import BusinessCalendar
from .clock import ClockState, ClockStatus, evaluate
from .durations import format_duration
from .explain import (
    CalendarSummary,
    ClosedDate,
    CountedInterval,
    Explanation,
    PauseSpan,
    TicketExplanation,
    explain,
    explain_ticket,
)
from .ticket import (
    ClockInputs,
    PriorityChange,
    SlaPolicy,
    TicketEvent,
    TicketTimeline,
    ticket_clocks,
    ticket_timeline,
)

__all__ = [
    "BusinessCalendar",
    "CalendarSummary",
    "ClockInputs",
    "ClockState",
    "ClockStatus",
    "ClosedDate",
    "CountedInterval",
    "Explanation",
    "PauseSpan",
    "PriorityChange",
    "SlaPolicy",
    "TicketEvent",
    "TicketExplanation",
    "TicketTimeline",
    "evaluate",
    "explain",
    "explain_ticket",
    "format_duration",
    "ticket_clocks",
    "ticket_timeline",
]
