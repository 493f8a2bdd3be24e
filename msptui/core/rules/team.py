"""A team on one database: the technician's short name, assignment and the board's filter.

- A technician is known by a short name set once per machine ("sophie", "j.martin"):
  1 to 20 characters, letters a-z or A-Z, digits, '.', '-' or '_'. It is printed in
  the log ("by sophie"), so no space, accent or symbol that a terminal or a file
  could show differently. `technician_problem` says what is wrong in a sentence.
- The name proposed at first start is the login name, made valid (`proposed_name`).
- The board's filter cycles All -> My tickets -> Unassigned (`next_filter`);
  `shows` says whether a ticket with that assignee is on the board under it.
- A ticket is assigned to one technician or to nobody; `assignment_problem` refuses
  what would change nothing or a closed ticket.

Pure: standard library and `msptui.core.i18n` only.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from msptui.core.i18n import N_, _

MAX_LENGTH = 20
_VALID = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_LENGTH}}}")
_UNWANTED = re.compile(r"[^A-Za-z0-9._-]+")
#: What a technician is called when the login name leaves nothing usable.
FALLBACK_NAME = "technician"  # i18n: not shown (a stored name, the same in every language)


def technician_problem(name: str) -> str | None:
    """None when `name` is a valid technician name, else what is wrong, in a sentence."""
    if not name:
        return _("The technician's name is required: a short name such as sophie.")
    if len(name) > MAX_LENGTH:
        return _("The technician's name is {count} characters long: keep it to {limit}.").format(
            count=len(name), limit=MAX_LENGTH
        )
    if not _VALID.fullmatch(name):
        return _(
            "The technician's name takes letters without accents, digits, '.', '-' or '_' "
            "(no space or other sign), e.g. sophie or j.martin."
        )
    return None


def valid_technician(name: str) -> str:
    """`name` without surrounding spaces when valid; ValueError with the sentence otherwise."""
    name = name.strip()
    problem = technician_problem(name)
    if problem is not None:
        raise ValueError(problem)
    return name


def proposed_name(login: str) -> str:
    """A valid name made from a login name: accents dropped, other signs removed, lower case,
    cut to the limit ("Hélène Dupont" -> "helene.dupont"); FALLBACK_NAME when nothing is left."""
    ascii_only = unicodedata.normalize("NFKD", login).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNWANTED.sub(".", ascii_only.strip().lower()).strip(".")[:MAX_LENGTH].strip(".")
    return cleaned if technician_problem(cleaned) is None else FALLBACK_NAME


class BoardFilter(StrEnum):
    """Which tickets the board shows: every one, mine, or those nobody has taken."""

    all = "all"
    mine = "mine"
    unassigned = "unassigned"

    @property
    def label(self) -> str:
        return _(_FILTER_WORDS[self])


_FILTER_WORDS = {
    BoardFilter.all: N_("all tickets"),
    BoardFilter.mine: N_("my tickets"),
    BoardFilter.unassigned: N_("unassigned"),
}


def next_filter(current: BoardFilter) -> BoardFilter:
    """The filter after `current` in the cycle All -> My tickets -> Unassigned -> All."""
    cycle = list(BoardFilter)
    return cycle[(cycle.index(current) + 1) % len(cycle)]


def shows(board_filter: BoardFilter, assignee: str | None, me: str) -> bool:
    """Whether a ticket assigned to `assignee` (None: nobody) is on the board under the filter.

    "My tickets" are those assigned to `me`; with no name set yet (me == "") none is."""
    if board_filter is BoardFilter.mine:
        return bool(me) and assignee == me
    if board_filter is BoardFilter.unassigned:
        return not assignee
    return True


def assignment_problem(status: str, current: str | None, assignee: str | None) -> str | None:
    """None when a ticket in `status`, assigned to `current`, may be assigned to `assignee`
    (None: unassigned); else why not. Any valid name may be assigned: a colleague who has not
    started msptui yet still takes calls."""
    if status == "closed":
        return _("A closed ticket is not assigned: reopen it first.")
    if assignee is not None and (problem := technician_problem(assignee)) is not None:
        return problem
    if (current or None) == assignee:
        if assignee is None:
            return _("The ticket is already unassigned.")
        return _("The ticket is already assigned to {name}.").format(name=assignee)
    return None
