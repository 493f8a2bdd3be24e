"""A new ticket straight from the client browser, for the client on the line.

The client is known (the browser's selection), so the board's client picker
is skipped: the client's active contracts are read, then the same ticket form
as the board's (`screens.tickets.forms.new_ticket_form`) opens. Once opened,
`b` goes to the board with the cursor on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from msptui.core.i18n import _

if TYPE_CHECKING:
    from msptui.ui.screens.base import MsptuiScreen


class NewTicketKeys:
    """The client browser's `N` (new ticket for the selected client) and `b` (see it on the board).

    Mixed into the browser, which has `client`, `new_ticket` and `_select_cursor`."""

    client: Any
    new_ticket: tuple[int, int] | None  # (ticket id, client id) last opened from here

    def action_new_ticket(self) -> None:
        """A ticket for the client on the line: its contracts offered, no client to look up."""
        if self.client is None:
            return
        client = self.client
        new_ticket_for(self, client, lambda ticket_id: self._ticket_opened(ticket_id, client))

    def _ticket_opened(self, ticket_id: int | None, client: Any) -> None:
        if ticket_id is None:
            return
        self.new_ticket = (ticket_id, client.id)
        self.notify(
            _("Ticket #{number} opened for {client}. Press b to see it on the board.").format(
                number=ticket_id, client=client.name
            ),
            markup=False,
        )
        self.requested_id = None  # re-read the detail: the ticket is listed there too
        self._select_cursor()
        self.refresh_bindings()

    def action_ticket_on_board(self) -> None:
        if self.new_ticket is not None:
            show_on_board(self.app, self.new_ticket[0])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ticket_on_board":
            # Only for the client whose ticket was just opened here.
            return self.new_ticket is not None and self.client is not None and self.client.id == self.new_ticket[1]
        if action == "new_ticket":
            return self.client is not None
        return True


def new_ticket_for(owner: MsptuiScreen, client: Any, done: Callable[[int | None], None]) -> None:
    """Read `client`'s active contracts (a worker of `owner`), then open the ticket
    form; `done(new ticket id, or None when cancelled)`."""
    from msptui.ui.screens.tickets.forms import active_contracts, new_ticket_form

    app = owner.msptui
    client_id, name = client.id, client.name
    owner.call_store(
        active_contracts,
        client_id,
        app.clock.now().date(),
        done=lambda contracts: app.push_screen(new_ticket_form(client_id, name, contracts, app.clock), done),
    )


def show_on_board(app: Any, ticket_id: int) -> None:
    """Go to the SLA board with its cursor on `ticket_id`."""
    app.action_section("SLA board")  # i18n: not shown (the section's key)
    board = app.screen
    if type(board).__name__ != "BoardScreen":
        return
    board.select_ticket(ticket_id)
