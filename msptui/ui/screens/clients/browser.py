"""Client browser: find a client by a few letters; its contacts and contracts beside it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table

# A screenful and some; typing narrows the rest. Every shown row is rebuilt at
# each keystroke (a DataTable of 10,000 rows would take seconds to build).
SHOWN_ROWS = 50


class ClientBrowser(MsptuiScreen):
    DEFAULT_CSS = """
    ClientBrowser #browser { height: 1fr; }
    ClientBrowser #list-pane { width: 2fr; min-width: 30; }
    ClientBrowser #detail-pane { width: 3fr; border-left: solid $primary-background; padding: 0 1; }
    ClientBrowser #filter { margin: 0 0 0 0; }
    ClientBrowser #clients { height: 1fr; }
    ClientBrowser #match-count { color: $text-muted; height: 1; width: 1fr; padding: 0 1; }
    ClientBrowser #contracts { height: auto; max-height: 10; }
    ClientBrowser #contacts { height: auto; max-height: 8; }
    ClientBrowser #client-extras { height: auto; }
    """
    BINDINGS = [
        Binding("slash", "focus_filter", "Find", id="clients.find"),
        Binding("enter", "open_contract", "Open contract", id="clients.open_contract"),
        Binding("n", "new_client", "New client", id="clients.new"),
        Binding("ctrl+n", "new_client", "New client", id="clients.new_anywhere", show=False),
        Binding("e", "edit_client", "Edit", id="clients.edit"),
        Binding("c", "new_contact", "Add contact", id="clients.contact"),
        Binding("k", "new_contract", "New contract", id="clients.contract"),
        Binding("p", "engagements", "Projects", id="clients.engagements"),
        Binding("i", "conflicts", "Conflicts", id="clients.conflicts"),
        Binding("a", "toggle_archive", "Archive", id="clients.archive"),
        Binding("h", "toggle_archived_shown", "Show archived", id="clients.show_archived"),
        Binding("delete", "delete_client", "Delete", id="clients.delete"),
        Binding("escape", "back", "Back", id="clients.back", show=False),
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
        self.contacts: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="browser"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="Type a few letters: name, code, city or contact", id="filter")
                yield Static("Opening the database…", id="match-count")
                table = Table(id="clients", cursor_type="row", zebra_stripes=True)
                # Fixed widths: the table then has no cell to measure when it is refilled.
                table.add_column("Client", width=28)
                table.add_column("Code", width=6)
                table.add_column("City", width=14)
                yield table
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="client-card")
                yield Static("Contracts", classes="section-title")
                contracts = Table(id="contracts", cursor_type="row")
                contracts.add_column("Reference")
                contracts.add_column("Title", width=24)
                contracts.add_columns("Status", "Ends")
                yield contracts
                yield Static("Contacts", classes="section-title")
                contacts = Table(id="contacts", cursor_type="row", show_cursor=False)
                contacts.add_column("Name", width=18)
                contacts.add_column("Role", width=12)
                contacts.add_columns("Phone", "Email")
                yield contacts
                yield Vertical(id="client-extras")
        yield Footer()

    # --- loading --------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.clients import load_client_index

        self.call_store(load_client_index, done=self._index_loaded, group="client-index", exclusive=True)

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
        rows, total = self.index.filter(query, include_archived=self.show_archived, limit=SHOWN_ROWS)
        table = self.query_one("#clients", DataTable)
        previous = self.wanted_id or (self.client.id if self.client is not None else None)
        table.clear()
        for row in rows:
            name = Text(row.name, style="dim" if row.archived else "")
            table.add_row(name, Text(row.code), Text(row.city), key=str(row.id))
        shown = f"{len(rows)} of {total}" if total > len(rows) else f"{total}"
        what = "client" if total == 1 else "clients"
        # layout=False: the line has a fixed size, and a layout pass per keystroke costs ~40 ms.
        self.query_one("#match-count", Static).update(
            f"{shown} {what}"
            + (" (archived shown)" if self.show_archived else "")
            + ("  ↓/Enter: to the list" if total else " — ctrl+n adds a client"),
            layout=False,
        )
        keys = [str(r.id) for r in rows]
        if previous is not None and str(previous) in keys:
            table.move_cursor(row=keys.index(str(previous)))
            self.wanted_id = None
        if rows:
            self.requested_id = None  # force the detail pane to follow the cursor
            self._follow_cursor(typing)
        else:
            self._show_client(None)

    @on(DataTable.RowHighlighted, "#clients")
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
        table = self.query_one("#clients", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
            self._select(int(key.value))

    def _select(self, client_id: int) -> None:
        if self.requested_id == client_id:
            return
        self.requested_id = client_id
        self.call_store(_client_bundle, client_id, done=self._show_bundle, group="client-detail", exclusive=True)

    def _show_bundle(self, bundle: tuple[Any, list[Any], list[Any]] | None) -> None:
        if bundle is not None and bundle[0].id != self.requested_id:
            return  # an answer for a client the cursor has already left
        if bundle is None:
            self._show_client(None)
            return
        client, contacts, contracts = bundle
        self.contacts, self.contracts = contacts, contracts
        self._show_client(client)

    def _show_client(self, client: Any) -> None:
        self.client = client
        card = self.query_one("#client-card", Static)
        contracts = self.query_one("#contracts", DataTable)
        contacts = self.query_one("#contacts", DataTable)
        contracts.clear()
        contacts.clear()
        if client is None:
            card.update("")
            return
        card.update(_client_card(client))
        for k in self.contracts:
            style = "dim" if k.archived_at else ""
            contracts.add_row(
                Text(k.reference, style=style),
                Text(k.title, style=style),
                Text(k.status),
                Text(str(k.end_date or "open")),
                key=str(k.id),
            )
        if not self.contracts:
            contracts.add_row(Text("No contract: press k to add one", style="italic"), "", "", "")
        for p in self.contacts:
            contacts.add_row(Text(p.name), Text(p.role), Text(p.phone), Text(p.email))
        self.client_changed(client)

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
        self.query_one("#clients", DataTable).focus()

    def key_down(self) -> None:
        # Down from the filter goes to the list, as in any search box.
        if self.focused is self.query_one("#filter", Input):
            self.query_one("#clients", DataTable).focus()

    def action_open_contract(self) -> None:
        table = self.query_one("#contracts", DataTable)
        if not self.contracts:
            return
        focused = self.focused
        index = table.cursor_row if focused is table else 0
        self.open_contract(self.contracts[min(index, len(self.contracts) - 1)].id)

    @on(DataTable.RowSelected, "#contracts")
    def _contract_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_contract(int(event.row_key.value))

    @on(DataTable.RowSelected, "#clients")
    def _client_chosen(self) -> None:
        if self.contracts:
            self.query_one("#contracts", DataTable).focus()

    def open_contract(self, contract_id: int) -> None:
        from msptui.ui.screens.contracts.view import ContractScreen

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
        self.notify("Client saved.")

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
                self.reload()
                self.open_contract(contract_id)

        self.app.push_screen(contract_form(self.client, None, self.msptui.clock.now), callback=opened)

    def action_engagements(self) -> None:
        """The client's engagements (projects) and their competence checks."""
        if self.client is not None:
            from msptui.ui.screens.engagements.overview import EngagementsScreen

            self.app.push_screen(EngagementsScreen(client_id=self.client.id))

    def action_conflicts(self) -> None:
        """The conflict-of-interest register, for this client."""
        if self.client is not None:
            from msptui.ui.screens.conflicts.register import ConflictsScreen

            self.app.push_screen(ConflictsScreen(client_id=self.client.id))

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
            done=lambda _r: (self.notify(f"{name} {'archived' if archived else 'brought back'}."), self.reload()),
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
            self.notify(refusal, title="Not deleted", severity="error", timeout=10)
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            from msptui.store.clients import delete_client

            self.call_store(delete_client, client.id, done=lambda _r: self._deleted(client.name))

        self.app.push_screen(
            ConfirmScreen(f"Delete {client.name} for good? This cannot be undone.\n(Archiving keeps the history.)"),
            callback=confirmed,
        )

    def _deleted(self, name: str) -> None:
        self.notify(f"{name} deleted.")
        self.client = None
        self.reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _client_bundle(engine, client_id: int):  # noqa: ANN001, ANN202
    from msptui.store.clients import client_contacts, get_client
    from msptui.store.contracts import client_contracts

    client = get_client(engine, client_id)
    if client is None:
        return None
    return client, client_contacts(engine, client_id), client_contracts(engine, client_id)


def _client_card(client: Any) -> Text:
    text = Text()
    text.append(client.name, style="bold")
    text.append(f"  {client.code}", style="dim")
    status = client.status + (", archived" if client.archived_at else "")
    text.append(f"  [{status}]\n", style="italic")
    address = ", ".join(p for p in (client.address, f"{client.postcode} {client.city}".strip(), client.country) if p)
    text.append(address + "\n")
    holidays = client.country + (f"-{client.subdivision}" if client.subdivision else "")
    text.append(f"Time zone {client.timezone} · holidays {holidays}\n", style="dim")
    if client.notes:
        text.append(client.notes + "\n", style="italic")
    return text
