"""The board in a team (issue 20): assign the selected ticket, and show all, mine or unassigned.

`m` assigns the selected ticket: a one-line form prefilled with this machine's technician
(Enter: to me), completing the names already seen in the database; a blank name
unassigns it. `f` cycles the filter All -> My tickets -> Unassigned (the rule is
`core.rules.team.shows`); a filter in force is in the header's title, and an empty
board under it says so, so the technician always knows rows are hidden.

Mixed into BoardScreen, which provides `selected`, `_fetch`, `select_ticket`, `band`,
`msptui` and the store calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.binding import Binding

from msptui.core.i18n import N_, _
from msptui.core.rules.team import BoardFilter, next_filter, shows

TEAM_BINDINGS = [
    Binding(
        "m",
        "assign",
        N_("Assign"),
        id="board.assign",
        tooltip=N_("Assign the ticket: to me (Enter), to a colleague, or to nobody (blank)"),
    ),
    Binding(
        "f",
        "cycle_filter",
        N_("Filter"),
        id="board.filter",
        tooltip=N_("Show all tickets, then my tickets, then the unassigned ones"),
    ),
]


def _known_names(engine: Any) -> list[str]:
    """(Store worker.) The names offered when assigning."""
    from msptui.store.team import known_technicians

    return known_technicians(engine)


class BoardTeam:
    """The board's team keys, mixed into BoardScreen."""

    board_filter = BoardFilter.all

    def check_action(self: Any, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "assign":
            if self.band.has_focus_within:
                return False
            cd = self.selected()
            return cd is not None and cd.ticket.status != "closed"
        if action == "cycle_filter":
            return not self.band.has_focus_within
        return super().check_action(action, parameters)  # type: ignore[misc,no-any-return]

    def visible(self: Any, countdowns: Iterable[Any]) -> list[Any]:
        """The rows the filter in force shows."""
        me = self.msptui.technician or ""
        return [cd for cd in countdowns if shows(self.board_filter, getattr(cd.ticket, "assignee", None), me)]

    def filter_words(self: Any) -> str:
        """'' under All, else the filter in words for the header's title."""
        if self.board_filter is BoardFilter.all:
            return ""
        return _("filter: {name} (f)").format(name=self.board_filter.label)

    def empty_words(self: Any) -> str:
        if self.board_filter is BoardFilter.all:
            return _("No open tickets — press N to open one")
        return _("No ticket under the filter “{name}” — f shows all").format(name=self.board_filter.label)

    def action_cycle_filter(self: Any) -> None:
        self.board_filter = next_filter(self.board_filter)
        if self.board_filter is BoardFilter.mine and not self.msptui.technician:
            self.notify(_("No technician name is set on this machine yet: F9, then t."), severity="warning")
        self.query_one("#board-empty").update(self.empty_words())
        self._fetch(None)  # the rows the filter hid come back from the store

    def technician_changed(self: Any) -> None:
        """(MsptuiApp.technician_saved) "My tickets" now means another name."""
        if self.board_filter is BoardFilter.mine:
            self._fetch(None)

    def action_assign(self: Any) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.widgets.form import FieldSpec, FormScreen

        ticket_id = cd.ticket.id
        clock = self.msptui.clock

        def submit(engine: Any, values: dict[str, Any]) -> Any:
            from msptui.store.team import assign

            name = str(values.get("assignee") or "").strip()
            return assign(engine, ticket_id, name or None, clock.now())

        current = getattr(cd.ticket, "assignee", None)
        intro = (
            _("Assigned to {name} now. A blank name unassigns it.").format(name=current)
            if current
            else _("Nobody has it yet. A blank name leaves it unassigned.")
        )
        form = FormScreen(
            _("Assign #{number} {title}").format(number=ticket_id, title=cd.ticket.title),
            [
                FieldSpec(
                    "assignee",
                    _("Technician"),
                    value=self.msptui.technician or "",
                    placeholder=_("a short name; blank: nobody"),
                    suggest=_known_names,
                )
            ],
            submit,
            intro=intro,
        )
        self.app.push_screen(form, callback=self._assigned)

    def _assigned(self: Any, done: Any) -> None:
        if done is None:
            return
        if done.assignee is None:
            said = _("#{number} unassigned").format(number=done.ticket_id)
        else:
            said = _("#{number} assigned to {name}").format(number=done.ticket_id, name=done.assignee)
        self.notify(said, markup=False)
        self._fetch([done.ticket_id])
