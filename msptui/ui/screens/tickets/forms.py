"""Ticket dialogs: new ticket (client found by a few letters), note, resolution, priority, channel.

Each is a modal the board opens; every choice is one keystroke (so any board
action takes at most two), and typing is only for what must be typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from msptui.core.i18n import N_, _
from msptui.ui.widgets.form import FieldSpec, FormScreen
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from msptui.core.clock import Clock
    from msptui.ui.screens.base import MsptuiScreen

NO_CONTRACT = 0  # the contract choice meaning "no contract: billable, no SLA"

# i18n: not shown (CSS)
_MODAL_CSS = """
{cls} {{ align: center middle; }}
{cls} > Vertical {{
    width: 64; max-width: 100%; height: auto; max-height: 100%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{cls} .title {{ text-style: bold; padding-bottom: 1; }}
{cls} .hint {{ color: $text-muted; }}
{cls} OptionList {{ height: auto; max-height: 12; }}
"""


class ChoiceScreen(ModalScreen[Any]):
    """Pick one of a few choices by its key (or arrows and Enter); Escape cancels."""

    DEFAULT_CSS = _MODAL_CSS.format(cls="ChoiceScreen")
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="choice.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str, Any]], current: Any = None) -> None:
        super().__init__()
        self.choice_title = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.choice_title, classes="title", markup=False)
            current = "  " + _("(current)")
            options = [
                Option(f"{key}  {label}{current if value == self.current else ''}", id=str(i))
                for i, (key, label, value) in enumerate(self.choices)
            ]
            yield OptionList(*options)
            yield Static(_("Press a key, or Enter on a line; Escape cancels."), classes="hint")
        yield Footer(compact=True)

    def on_key(self, event: Key) -> None:
        for key, _label, value in self.choices:
            if event.character == key or event.key == key:
                event.stop()
                self.dismiss(value)
                return

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id)][2])

    def action_cancel(self) -> None:
        self.dismiss(None)


def priority_picker(ticket_id: int, current: str) -> ChoiceScreen:
    from msptui.core.vocabulary import Priority

    choices = [(p.value[1], p.label, p.value) for p in Priority]
    return ChoiceScreen(_("Priority of ticket #{number}").format(number=ticket_id), choices, current)


def channel_picker(ticket_id: int) -> ChoiceScreen:
    return ChoiceScreen(
        _("Start the intervention on ticket #{number}").format(number=ticket_id),
        [("s", _("On site"), "on_site"), ("r", _("Remote"), "remote")],
    )


def note_form(ticket_id: int, clock: Clock) -> FormScreen:
    """A note on a ticket; dismisses with the store's ActionResult, or None."""

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        from msptui.store.tickets import NoteCreate, add_note

        return add_note(engine, ticket_id, NoteCreate(note=values["note"]), clock.now())

    form = FormScreen(
        _("Note on ticket #{number}").format(number=ticket_id),
        [FieldSpec("note", _("Note"), "textarea", placeholder=_("What was done or said"))],
        submit,
        intro=_("Ctrl+S saves the note to the ticket's log (notes never change a clock)."),
    )
    form.AUTO_FOCUS = "#field-note"  # type at once, not after a Tab
    return form


def resolution_form(ticket_id: int, title: str, clock: Clock) -> FormScreen:
    """The one-line resolution summary, then the ticket is resolved with it (kept in
    its log, printed in reports); dismisses with the store's ActionResult, or None."""

    def submit(engine: Any, values: dict[str, Any]) -> Any:
        from msptui.store.tickets import ResolutionCreate, resolve

        data = ResolutionCreate(summary=values["summary"])
        return resolve(engine, ticket_id, clock.now(), note=data.summary)

    form = FormScreen(
        _("Resolve ticket #{number} — {title}").format(number=ticket_id, title=title),
        [FieldSpec("summary", _("Resolution"), placeholder=_("What fixed it, in one line"))],
        submit,
        intro=_("Enter resolves: every clock stops. The ticket's log keeps the summary (e shows it)."),
    )
    form.AUTO_FOCUS = "#field-summary"
    return form


# --- new ticket ----------------------------------------------------------------------------


class ClientPicker(StoreCalls, ModalScreen[Any]):
    """Find a client by typing a few letters of its name, code, city or a contact."""

    DEFAULT_CSS = _MODAL_CSS.format(cls="ClientPicker")
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="client_picker.cancel"),
        Binding("down", "move(1)", N_("Next"), show=False),
        Binding("up", "move(-1)", N_("Previous"), show=False),
    ]
    LIMIT = 8

    def __init__(self) -> None:
        super().__init__()
        self.index = None
        self.matches: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("New ticket: which client?"), classes="title")
            yield Input(placeholder=_("a few letters of the name, code, city or a contact"), id="client-query")
            yield OptionList(id="client-matches")
            yield Static(_("Loading the clients…"), id="client-hint", classes="hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from msptui.store.client_index import load_client_index

        self.query_one("#client-query", Input).focus()
        self.call_store(load_client_index, done=self._indexed)

    def _indexed(self, index: Any) -> None:
        self.index = index
        self._filter(self.query_one("#client-query", Input).value)

    @on(Input.Changed, "#client-query")
    def _changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        if self.index is None:
            return
        rows, total = self.index.filter(query, limit=self.LIMIT)
        rows = [r for r in rows if r.status != "former"] or rows
        self.matches = rows
        options = self.query_one("#client-matches", OptionList)
        options.clear_options()
        options.add_options(
            [Option(f"{r.name}  ({r.code}{', ' + r.city if r.city else ''})", id=str(r.id)) for r in rows]
        )
        if rows:
            options.highlighted = 0
        if rows and total > len(rows):
            hint = _("Enter picks the highlighted client; {count} more, type more letters").format(
                count=total - len(rows)
            )
        elif rows:
            hint = _("Enter picks the highlighted client")
        elif not total and not query.strip():  # nothing typed and no client at all: say so, not "no match"
            hint = _("No client yet: add one first (F2, then ctrl+n), then open its ticket")
        else:
            hint = _("No client matches these letters")
        self.query_one("#client-hint", Static).update(hint)

    def action_move(self, step: int) -> None:
        options = self.query_one("#client-matches", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#client-query")
    def _submitted(self) -> None:
        options = self.query_one("#client-matches", OptionList)
        if options.highlighted is not None and self.matches:
            self._pick(self.matches[options.highlighted])

    @on(OptionList.OptionSelected, "#client-matches")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self._pick(self.matches[event.option_index])

    def _pick(self, row: Any) -> None:
        self.dismiss((row.id, row.name))

    def action_cancel(self) -> None:
        self.dismiss(None)


def active_contracts(engine: Any, client_id: int, today: date) -> list[tuple[int, str]]:
    """(id, "reference — title") of the client's contracts a ticket can be opened on."""
    from msptui.store.contracts import client_contracts

    return [
        (c.id, f"{c.reference} — {c.title}")
        for c in client_contracts(engine, client_id, include_archived=False)
        if c.status == "active" and (c.end_date is None or c.end_date >= today)
    ]


def new_ticket_form(client_id: int, client_name: str, contracts: list[tuple[int, str]], clock: Clock) -> FormScreen:
    """The ticket form, the contract defaulted when the client has only one active
    contract; dismisses with the new ticket's id, or None."""
    from msptui.core.vocabulary import Priority

    contract_choices = [(label, cid) for cid, label in contracts] + [(_("No contract (billable, no SLA)"), NO_CONTRACT)]
    default = contracts[0][0] if len(contracts) == 1 else NO_CONTRACT if not contracts else None

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.schemas import FieldError
        from msptui.store.tickets import TicketCreate, open_ticket

        contract = values["contract_id"]
        if contract is None:
            raise FieldError("contract_id", _("choose one of the client's contracts, or No contract"))
        data = TicketCreate(
            client_id=client_id,
            contract_id=None if contract == NO_CONTRACT else contract,
            title=values["title"],
            description=values["description"],
            priority=values["priority"] or "",
        )
        return open_ticket(engine, data, clock.now())

    fields = [
        FieldSpec("title", _("Title"), placeholder=_("What is wrong, in a few words")),
        FieldSpec("priority", _("Priority"), "select", value=Priority.P3.value, choices=Priority.choices()),
        FieldSpec("contract_id", _("Contract"), "select", value=default, choices=contract_choices),
        FieldSpec("description", _("Description"), "textarea"),
    ]
    several = len(contracts) > 1
    if several:
        intro = _("{client}: several active contracts, choose one.")
    elif contracts:
        intro = _("{client}: its only active contract is chosen.")
    else:
        intro = _("{client}: no active contract: the ticket is billable.")
    form = FormScreen(
        _("New ticket — {client}").format(client=client_name), fields, submit, intro=intro.format(client=client_name)
    )
    form.AUTO_FOCUS = "#field-title"
    return form


def start_new_ticket(owner: MsptuiScreen, done: Callable[[int | None], None]) -> None:
    """Client picker, then the ticket form; `done(ticket id or None)`.

    `owner` (the screen that opens them) reads the client's contracts between the two."""
    app = owner.msptui

    def picked(choice: tuple[int, str] | None) -> None:
        if choice is None:
            return done(None)
        client_id, name = choice
        today = app.clock.now().date()
        owner.call_store(
            active_contracts,
            client_id,
            today,
            done=lambda contracts: app.push_screen(new_ticket_form(client_id, name, contracts, app.clock), done),
        )

    app.push_screen(ClientPicker(), picked)
