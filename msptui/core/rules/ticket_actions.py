"""What a technician may do to a ticket in each status: the board's keys and the store's commands ask here.

Pure (the vocabulary only), so that the board can show which actions a ticket
allows from its first read, before the store (and SQLAlchemy) is loaded.
"""

from __future__ import annotations

from msptui.core.vocabulary import OPEN_TICKET_STATUSES, TicketStatus

S = TicketStatus
RESOLVED = frozenset({S.resolved, S.closed})

_WORKING = frozenset({S.new, S.acknowledged, S.in_progress})
_WAITING = frozenset({S.waiting_client, S.waiting_third_party})

# action -> the statuses it may be taken from
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "acknowledge": frozenset({S.new}),
    "start_intervention": frozenset({S.new, S.acknowledged} | _WAITING),
    "wait_client": frozenset(_WORKING | {S.waiting_third_party}),
    "wait_third_party": frozenset(_WORKING | {S.waiting_client}),
    "resume": _WAITING,
    "resolve": frozenset(OPEN_TICKET_STATUSES),
    "close": frozenset({S.resolved}),
    "reopen": RESOLVED,
    "change_priority": frozenset(OPEN_TICKET_STATUSES | {S.resolved}),
    "add_note": frozenset(S),
}

# Why an action is refused, in the rule's words: the store says it to the user in whole translated
# sentences (store/tickets.py `_REFUSED`), so these stay English.
REFUSALS = {
    "acknowledge": "is already acknowledged",
    "start_intervention": "cannot start an intervention",
    "wait_client": "cannot wait on the client",
    "wait_third_party": "cannot wait on a third party",
    "resume": "is not waiting: nothing to resume",  # i18n: not shown
    "resolve": "cannot be resolved",
    "close": "must be resolved before it is closed",
    "reopen": "is not resolved or closed: nothing to reopen",  # i18n: not shown
    "change_priority": "cannot change priority",
}

# The status an action leads to (resume and reopen: see store.tickets.apply_action; others keep the status).
STATUS_AFTER = {
    "acknowledge": S.acknowledged,
    "start_intervention": S.in_progress,
    "wait_client": S.waiting_client,
    "wait_third_party": S.waiting_third_party,
    "resolve": S.resolved,
    "close": S.closed,
}


def allowed(action: str, status: str) -> bool:
    """Whether `action` may be taken on a ticket in `status` (the board hides the others)."""
    return status in ALLOWED_FROM[action]
