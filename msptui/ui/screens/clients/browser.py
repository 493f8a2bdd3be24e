"""Client browser: find a client by a few letters; its contracts, tickets, contacts and secrets beside it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.clients.client_list import ClientList, FilterInput, match_line
from msptui.ui.screens.clients.links import ClientLinks
from msptui.ui.screens.clients.tickets import NewTicketKeys
from msptui.ui.widgets.table import Table

# A screenful and some; typing narrows the rest. The search stops at the
# SHOWN_ROWS + 1st match ("50+ clients"): counting every match of a first
# letter over 100,000 clients cost more than the whole keystroke may.
SHOWN_ROWS = 50


class ClientBrowser(NewTicketKeys, ClientLinks, MsptuiScreen):
    DEFAULT_CSS = """
    ClientBrowser #browser { height: 1fr; }
    ClientBrowser #list-pane { width: 2fr; min-width: 30; }
    ClientBrowser #detail-pane { width: 3fr; border-left: solid $primary-background; padding: 0 1; }
    ClientBrowser #filter { margin: 0 0 0 0; }
    ClientBrowser #clients { height: 1fr; }
    ClientBrowser #match-count { color: $text-muted; height: 1; width: 1fr; padding: 0 1; }
    ClientBrowser #contracts { height: auto; max-height: 10; }
    ClientBrowser #contacts, ClientBrowser #client-tickets { height: auto; }
    ClientBrowser #client-extras { height: auto; }
    """
    BINDINGS = [
        Binding("slash", "focus_filter", N_("Find"), id="clients.find"),
        Binding("enter", "open_contract", N_("Open contract"), id="clients.open_contract"),
        Binding("n", "new_client", N_("New client"), id="clients.new"),
        Binding("ctrl+n", "new_client", N_("New client"), id="clients.new_anywhere", show=False),
        Binding("e", "edit_client", N_("Edit"), id="clients.edit"),
        Binding("c", "new_contact", N_("Add contact"), id="clients.contact"),
        Binding("k", "new_contract", N_("New contract"), id="clients.contract"),
        Binding(
            "N", "new_ticket", N_("New ticket"), id="clients.new_ticket", tooltip=N_("Open a ticket for this client")
        ),
        Binding("b", "ticket_on_board", N_("See on board"), id="clients.ticket_on_board"),
        Binding("p", "engagements", N_("Projects"), id="clients.engagements"),
        Binding("i", "conflicts", N_("Conflicts"), id="clients.conflicts"),
        Binding(
            "s", "statement", N_("Statement"), id="clients.statement", tooltip=N_("Statement of activity, by month")
        ),
        Binding("R", "report", N_("Report"), id="clients.report", tooltip=N_("Service report, by month")),
        # Issue 18, what comes due (msptui.ui.screens.recurring, renewals, breaches).
        Binding("m", "recurring", N_("Recurring"), id="clients.recurring", tooltip=N_("Recurring maintenance tasks")),
        Binding("r", "renewals", N_("Renewals"), id="clients.renewals", tooltip=N_("Licences, domains, warranties…")),
        Binding("d", "breaches", N_("Breaches"), id="clients.breaches", tooltip=N_("Data breach register")),
        Binding("a", "toggle_archive", N_("Archive"), id="clients.archive"),
        Binding("h", "toggle_archived_shown", N_("Show archived"), id="clients.show_archived"),
        Binding("delete", "delete_client", N_("Delete"), id="clients.delete"),
        Binding("escape", "back", N_("Back"), id="clients.back", show=False),
    ]

    # Seconds of pause in typing before the detail pane follows (see _follow_cursor).
    DETAIL_DELAY = 0.2

    def __init__(self) -> None:
        super().__init__()
        self._detail_timer: Any = None
        self.index: Any = None
        self.show_archived = False
        self.client: Any = None
        self.wanted_id: int | None = None  # select this client once the list is reloaded
        self.requested_id: int | None = None  # the client whose detail was last asked for
        self.contracts: list[Any] = []
        self.detail: Any = None  # the store's ClientDetail of the client shown
        self.wanted_contract_id: int | None = None  # put the contracts cursor here once shown
        self.new_ticket: tuple[int, int] | None = None  # (ticket, client) just opened here, for "See on board"
        self._keys_shown: tuple[bool, bool | None] | None = None  # what the footer's keys were refreshed for

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="browser"):
            with Vertical(id="list-pane"):
                yield FilterInput(placeholder=_("Type a few letters: name, code, city or contact"), id="filter")
                yield Static(_("Opening the database…"), id="match-count")
                yield ClientList(id="clients")
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="client-card")
                yield Static(_("Contracts"), classes="section-title")
                contracts = Table(id="contracts", cursor_type="row")
                # The title last: on a narrow pane it is what gets cut, not the status or the end date.
                contracts.add_columns(_("Reference"), _("Status"), _("Ends"))
                contracts.add_column(_("Title"), width=24)
                yield contracts
                yield Static(_("Tickets"), classes="section-title")
                yield Static("", id="client-tickets")
                yield Static(_("Contacts"), classes="section-title")
                yield Static("", id="contacts")
                yield Vertical(id="client-extras")
        yield Footer()

    # --- loading --------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.client_index import first_clients

        if self.index is None:
            # The first clients at once (one short query), then the whole index: at
            # 100,000 clients it takes a second or more to read and fold, and read
            # side by side the two slowed each other down.
            self.call_store(
                first_clients,
                SHOWN_ROWS,
                self.show_archived,
                done=self._first_loaded,
                group="client-first",
                exclusive=True,
            )
        else:
            self._load_index()

    def _load_index(self) -> None:
        from msptui.store.client_index import load_client_index

        self.call_store(load_client_index, done=self._index_loaded, group="client-index", exclusive=True)

    def _first_loaded(self, matches: Any) -> None:
        # Unless the index came first, or what is typed already filters (these rows would be wrong).
        if self.index is None and not self.query_one("#filter", Input).value.strip():
            self._show_matches(matches, typing=False, note=_("(loading the search…)"))
        self._load_index()

    def show_store_error(self, message: str) -> None:
        self.query_one("#match-count", Static).update(message)

    def on_mount(self) -> None:
        # Typing can start at once; the list catches up when the index arrives.
        # (Textual also runs MsptuiScreen.on_mount, which starts the loading.)
        self.query_one("#filter", Input).focus()

    def _index_loaded(self, index: Any) -> None:
        self.index = index
        self.refilter()

    @on(Input.Changed, "#filter")
    def _typed(self) -> None:
        self.refilter(typing=True)

    def refilter(self, typing: bool = False) -> None:
        """Show the clients matching what is typed (first SHOWN_ROWS of them)."""
        if self.index is None:
            return
        query = self.query_one("#filter", Input).value
        self._show_matches(self.index.search(query, include_archived=self.show_archived, limit=SHOWN_ROWS), typing)

    def _show_matches(self, matches: Any, typing: bool, note: str = "") -> None:
        rows = matches.rows
        table = self.query_one("#clients", ClientList)
        previous = self.wanted_id or (self.client.id if self.client is not None else None)
        keys = [r.id for r in rows]
        cursor = 0
        if previous is not None and previous in keys:
            cursor = keys.index(previous)
            self.wanted_id = None
        table.show(rows, cursor)
        # layout=False: the line has a fixed size, and a layout pass per keystroke costs ~40 ms.
        line = match_line(len(rows), more=matches.more, archived_shown=self.show_archived, note=note)
        self.query_one("#match-count", Static).update(line, layout=False)
        if rows:
            self.requested_id = None  # force the detail pane to follow the cursor
            self._follow_cursor(typing)
        else:
            self._show_client(None)

    @on(ClientList.Highlighted, "#clients")
    def _highlighted(self) -> None:
        self._follow_cursor(typing=self.focused is self.query_one("#filter", Input))

    def _follow_cursor(self, typing: bool) -> None:
        """Show the detail of the client under the cursor; while typing, once typing pauses.

        Redrawing the detail pane at every letter cost several times the filtering
        itself; a technician reads it when they stop typing.
        """
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if typing and self.DETAIL_DELAY > 0:
            self._detail_timer = self.set_timer(self.DETAIL_DELAY, self._select_cursor)
        else:
            self._select_cursor()

    def _select_cursor(self) -> None:
        # Highlight events can arrive after the list was refilled: follow the cursor, not the event.
        self._detail_timer = None
        row = self.query_one("#clients", ClientList).cursor_client
        if row is not None:
            self._select(row.id)

    def _select(self, client_id: int) -> None:
        if self.requested_id == client_id:
            return
        self.requested_id = client_id
        from msptui.ui.screens.clients.detail import load_detail

        now = self.msptui.clock.now()
        self.call_store(load_detail, client_id, now, done=self._show_detail, group="client-detail", exclusive=True)

    def _show_detail(self, detail: Any) -> None:
        if detail is not None and detail.client.id != self.requested_id:
            return  # an answer for a client the cursor has already left
        self.detail = detail
        self.contracts = detail.contracts if detail is not None else []
        self._show_client(detail.client if detail is not None else None)

    def _show_client(self, client: Any) -> None:
        from msptui.ui.screens.clients.detail import client_card, contact_lines, status_word, ticket_lines

        self.client = client
        card = self.query_one("#client-card", Static)
        contracts = self.query_one("#contracts", DataTable)
        contracts.clear()
        if client is None:
            card.update("")
            self.query_one("#contacts", Static).update("")
            self.query_one("#client-tickets", Static).update("")
            self._refresh_keys()
            return
        card.update(client_card(client, self.detail.satisfaction))  # issue 17: satisfaction
        for k in self.contracts:
            style = "dim" if k.archived_at else ""
            contracts.add_row(
                Text(k.reference, style=style),
                Text(status_word(k.status)),
                Text(str(k.end_date or _("open"))),
                Text(k.title, style=style),
                key=str(k.id),
            )
        if not self.contracts:
            contracts.add_row(Text(_("No contract: press k to add one"), style="italic"), "", "", "")
        elif self.wanted_contract_id in [k.id for k in self.contracts]:
            # Back from a contract (just created, or read): the cursor is on it, not on the first row.
            contracts.move_cursor(row=contracts.get_row_index(str(self.wanted_contract_id)))
            self.wanted_contract_id = None
        detail = self.detail
        self.query_one("#contacts", Static).update(contact_lines(detail.contacts))
        tickets = ticket_lines(detail.open_tickets, detail.closed_tickets, client.timezone)
        self.query_one("#client-tickets", Static).update(tickets)
        self.client_changed(client)
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Refresh the footer's keys when what they depend on (see check_action) changed.

        Each refresh recomposes the footer and lays the screen out again: once per
        client shown, it was most of the layout passes of opening the browser.
        """
        keys = (self.client is not None, self.check_action("ticket_on_board", ()))
        if keys != self._keys_shown:
            self._keys_shown = keys
            self.refresh_bindings()

    def client_changed(self, client: Any) -> None:
        """Point the panels that follow the selected client (secrets, ...) at it.

        Panels are mounted once and then switched in place: remounting one per
        highlighted client cost more than the rest of the keystroke.
        """
        from msptui.ui.screens.secrets.panel import SecretsPanel  # on first use: quick to load

        extras = self.query_one("#client-extras", Vertical)
        existing = next(iter(extras.query(SecretsPanel)), None)
        if existing is None:
            extras.mount(SecretsPanel(client.id))
        else:
            existing.show_client(client.id)

    # --- actions ----------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    @on(Input.Submitted, "#filter")
    def _filter_enter(self) -> None:
        self.query_one("#clients", ClientList).focus()

    def key_down(self) -> None:
        # Down from the filter goes to the list, as in any search box.
        if self.focused is self.query_one("#filter", Input):
            self.query_one("#clients", ClientList).focus()

    def action_open_contract(self) -> None:
        # The contract under the contracts cursor, focused or not: after a create it is the new one.
        table = self.query_one("#contracts", DataTable)
        if not self.contracts:
            return
        index = max(0, min(table.cursor_row, len(self.contracts) - 1))
        self.open_contract(self.contracts[index].id)

    @on(DataTable.RowSelected, "#contracts")
    def _contract_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_contract(int(event.row_key.value))

    @on(ClientList.Selected, "#clients")
    def _client_chosen(self) -> None:
        if self.contracts:
            self.query_one("#contracts", DataTable).focus()

    def open_contract(self, contract_id: int) -> None:
        from msptui.ui.screens.contracts.view import ContractScreen

        self.wanted_contract_id = contract_id
        self.app.push_screen(ContractScreen(contract_id), callback=lambda _r: self.reload())

    def reload(self, select: int | None = None) -> None:
        """Reload the list and the detail pane, keeping (or moving to) the selected client."""
        self.wanted_id = select or (self.client.id if self.client is not None else None)
        self.load()

    def action_new_client(self) -> None:
        from msptui.ui.screens.clients.forms import client_form

        self.app.push_screen(client_form(None, self.msptui.clock.now), callback=self._saved_client)

    def action_edit_client(self) -> None:
        if self.client is None:
            return
        from msptui.ui.screens.clients.forms import client_form

        self.app.push_screen(client_form(self.client, self.msptui.clock.now), callback=self._saved_client)

    def _saved_client(self, client_id: int | None) -> None:
        if client_id is None:
            return
        self.query_one("#filter", Input).value = ""
        self.reload(select=client_id)
        self.notify(_("Client saved."))

    def action_new_contact(self) -> None:
        if self.client is None:
            return
        from msptui.ui.screens.clients.forms import contact_form

        self.app.push_screen(contact_form(self.client.id), callback=lambda r: r is not None and self.reload())

    def action_new_contract(self) -> None:
        if self.client is None:
            return
        from msptui.ui.screens.clients.forms import contract_form

        def opened(contract_id: int | None) -> None:
            if contract_id is not None:
                self.wanted_contract_id = contract_id
                self.reload()
                self.open_contract(contract_id)

        self.app.push_screen(contract_form(self.client, None, self.msptui.clock.now), callback=opened)

    def action_toggle_archive(self) -> None:
        if self.client is None:
            return
        from msptui.store.clients import set_archived

        archived = self.client.archived_at is None
        name = self.client.name
        self.call_store(
            set_archived,
            self.client.id,
            archived,
            self.msptui.clock.now(),
            done=lambda _r: (
                self.notify(
                    (_("{name} archived.") if archived else _("{name} brought back.")).format(name=name), markup=False
                ),
                self.reload(),
            ),
        )

    def action_toggle_archived_shown(self) -> None:
        self.show_archived = not self.show_archived
        self.refilter()

    def action_delete_client(self) -> None:
        if self.client is None:
            return
        from msptui.store.clients import deletion_refusal

        client = self.client
        # Check first, refuse first: never ask to confirm what will be refused.
        self.call_store(deletion_refusal, client.id, done=lambda refusal: self._confirm_delete(client, refusal))

    def _confirm_delete(self, client: Any, refusal: str | None) -> None:
        if refusal:
            self.notify(refusal, title=_("Not deleted"), severity="error", timeout=10)
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            from msptui.store.clients import delete_client

            self.call_store(delete_client, client.id, done=lambda _r: self._deleted(client.name))

        self.app.push_screen(
            ConfirmScreen(
                _("Delete {name} for good? This cannot be undone.\n(Archiving keeps the history.)").format(
                    name=client.name
                )
            ),
            callback=confirmed,
        )

    def _deleted(self, name: str) -> None:
        self.notify(_("{name} deleted.").format(name=name), markup=False)
        self.client = None
        self.reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
