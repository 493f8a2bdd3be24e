"""The conflict-of-interest register: record at once, disclose, the client's answer, close.

Undisclosed conflicts come first and show how long they have waited; the
time keeps counting while the screen is open. Opened from an engagement or a
client it shows that client's conflicts, from the board every client's: the
title says which, and s switches between the two.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.conflicts.detail import detail_text, kind_label
from msptui.ui.screens.engagements.overview import short
from msptui.ui.widgets.table import Table

# Short words for a table cell; the rules' labels are used in the detail and exports.
# Translated where drawn; each at most 15 characters (the column's width in FIXED_COLUMNS).
STATUS_CELL = {
    "undisclosed": (N_("NOT DISCLOSED"), "bold $error"),  # i18n: not shown (a style)
    "disclosed_awaiting_answer": (N_("Awaiting answer"), "$warning"),
    "accepted_by_client": (N_("Accepted"), ""),
    "waived_by_client": (N_("Waived"), ""),
    "refused_by_client": (N_("Refused"), "bold $warning"),  # i18n: not shown (a style)
    "bribe_refused": (N_("Gift refused"), "dim"),
    "gift_accepted_under_policy": (N_("Gift accepted"), "dim"),
    "closed": (N_("Closed"), "dim"),
}
CLIENT_CELL = 24
KIND_CELL = 21  # the longest English kind; a longer translation is shortened, not the table widened
# Status, waiting, client, kind, identified (date): the description takes what the terminal has left.
FIXED_COLUMNS = 15 + 7 + CLIENT_CELL + KIND_CELL + 10
MIN_DESCRIPTION_CELL = 20
AGE_REFRESH_SECONDS = 60


class ConflictsScreen(MsptuiScreen):
    """The register, of every client or of one (`client_id`); s switches between the two."""

    # The footer keeps these at 80 columns (msptui.ui.widgets.footer): recording and disclosing at
    # once is the duty; s says whose conflicts these are and switches (one client or all).
    essential_keys = (
        "conflicts.new",
        "conflicts.disclose",
        "conflicts.scope_all",
        "conflicts.scope_one",
        "conflicts.answer",
    )

    DEFAULT_CSS = """
    ConflictsScreen #conflicts-title { padding: 0 1; text-style: bold; height: auto; }
    ConflictsScreen #conflicts { height: 1fr; }
    ConflictsScreen #conflict-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $primary-background; }
    """
    BINDINGS = [
        Binding("n", "new", N_("Record a conflict"), id="conflicts.new"),
        Binding(
            "g",
            "gift",
            N_("Gift or offer"),
            id="conflicts.gift",
            tooltip=N_("Record a gift or offer: what, by whom, when, and what you did (refused by default)"),
        ),
        Binding("d", "disclose", N_("Disclose"), id="conflicts.disclose"),
        Binding("a", "answer", N_("Client's answer"), id="conflicts.answer"),
        Binding("c", "close", N_("Close"), id="conflicts.close"),
        Binding("h", "toggle_closed", N_("Hide closed"), id="conflicts.toggle_closed"),
        Binding("x", "export", N_("Export"), id="conflicts.export"),
        # One key, two labels: the footer names the scope s switches to (see check_action).
        Binding(
            "s", "scope_all", N_("All clients"), id="conflicts.scope_all", tooltip=N_("Show every client's conflicts")
        ),
        Binding(
            "s",
            "scope_one",
            N_("One client"),
            id="conflicts.scope_one",
            tooltip=N_("Show only the conflicts of the highlighted conflict's client"),
        ),
        Binding("escape", "back", N_("Back"), id="conflicts.back", show=False),
    ]

    def __init__(self, client_id: int | None = None) -> None:
        super().__init__()
        self.title = _("Conflicts of interest")
        self.client_id = client_id  # the scope shown: one client, or None for all
        self.opened_for = client_id  # the client it was opened for: s comes back to it
        self.client_name: str | None = None
        self.rows: list[Any] = []
        self.include_closed = True
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="conflicts-title", markup=False)
        table = Table(id="conflicts", cursor_type="row", zebra_stripes=True)
        table.add_column(_("Status"), key="status")
        table.add_column(_("Waiting"), key="age")
        table.add_column(_("Client"), key="client")
        table.add_column(_("Kind"), key="kind")
        table.add_column(_("Identified"), key="identified")
        table.add_column(_("Description"), key="description")
        yield table
        yield Static("", id="conflict-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(AGE_REFRESH_SECONDS, self._refresh_ages)

    # --- loading ------------------------------------------------------------------------

    def load(self) -> None:
        self.call_store(
            _register, self.client_id, self.include_closed, done=self._loaded, group="conflicts", exclusive=True
        )

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.loaded:
            self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#conflicts-title", Static).update(message)

    def _loaded(self, result: tuple[list[Any], str | None]) -> None:
        from msptui.store.schemas.engagements import format_instant

        self.rows, self.client_name = result
        self.loaded = True
        table = self.query_one("#conflicts", DataTable)
        keep = self.selected.id if self.selected is not None else None
        table.clear()
        now = self.msptui.clock.now()
        # Two cells of padding per column, and room for a vertical scrollbar.
        description_width = max(MIN_DESCRIPTION_CELL, self.app.size.width - FIXED_COLUMNS - 2 * 6 - 3)
        for r in self.rows:
            word, style = STATUS_CELL[r.status.value]
            table.add_row(
                Text(_(word), style=self._style(style)),
                Text(self._age(r, now), style=self._style("bold $error")),
                Text(short(r.client_name, CLIENT_CELL)),
                Text(short(kind_label(r.conflict.kind), KIND_CELL)),
                Text(format_instant(r.conflict.identified_at, r.timezone)[:10]),
                Text(short(r.conflict.description, description_width)),
                key=str(r.id),
            )
        keys = [r.id for r in self.rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep))
        self._update_title()
        self._show_detail()
        table.focus()

    def _style(self, style: str) -> str:
        # Rich styles do not know theme variables: resolve "$error" against the current theme.
        variables = self.app.get_css_variables()
        return " ".join(variables.get(part[1:], part) if part.startswith("$") else part for part in style.split())

    @staticmethod
    def _age(row: Any, now: Any) -> str:
        from msptui.core.rules import format_age

        age = row.undisclosed_age(now)
        return "" if age is None else format_age(age)

    def _update_title(self) -> None:
        undisclosed = sum(1 for r in self.rows if r.status.value == "undisclosed")
        # Opened from an engagement it shows one client, from the board all: the header and title say which.
        self.sub_title = self.client_name or _("all clients")
        n = len(self.rows)
        if self.include_closed:
            counts = ngettext("{count} recorded", "{count} recorded", n).format(count=n)
        else:
            counts = ngettext("{count} recorded (closed hidden)", "{count} recorded (closed hidden)", n).format(count=n)
        parts = [_("Conflicts of interest"), self.sub_title, counts]
        if undisclosed:
            parts.append(
                ngettext(
                    "{count} not disclosed yet: press d to record the disclosure",
                    "{count} not disclosed yet: press d to record the disclosure",
                    undisclosed,
                ).format(count=undisclosed)
            )
        self.query_one("#conflicts-title", Static).update(" · ".join(parts))

    def _refresh_ages(self) -> None:
        table = self.query_one("#conflicts", DataTable)
        now = self.msptui.clock.now()
        with self.app.batch_update():
            for r in self.rows:
                if r.status.value == "undisclosed":
                    table.update_cell(str(r.id), "age", Text(self._age(r, now), style=self._style("bold $error")))
        self._show_detail()

    # --- the highlighted conflict ------------------------------------------------------------

    @property
    def selected(self) -> Any:
        table = self.query_one("#conflicts", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#conflicts")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#conflict-detail", Static)
        r = self.selected
        if r is None:
            detail.update(
                _("No conflict of interest recorded. Press n as soon as one may arise.") if self.loaded else ""
            )
            return
        detail.update(detail_text(r, self.msptui.clock.now()))

    # --- actions --------------------------------------------------------------------------

    def action_new(self) -> None:
        self.call_store(_form_choices, self.client_id, done=self._open_new_form)

    def _open_new_form(self, choices: tuple[list[Any], list[Any]]) -> None:
        from msptui.ui.screens.conflicts.forms import register_form

        clients, engagements = choices
        self.app.push_screen(
            register_form(self.client_id, clients, engagements, self.msptui.clock.now),
            callback=lambda cid: (
                cid is not None and self.notify(_("Conflict recorded: disclose it to the client (d)."))
            ),
        )

    def action_gift(self) -> None:
        self.call_store(_form_choices, self.client_id, done=self._open_gift_form)

    def _open_gift_form(self, choices: tuple[list[Any], list[Any]]) -> None:
        from msptui.ui.screens.conflicts.forms import gift_form

        clients, engagements = choices
        self.app.push_screen(
            gift_form(self.client_id, clients, engagements, self.msptui.clock.now),
            callback=lambda cid: cid is not None and (self.notify(_("Gift or offer recorded.")), self.load()),
        )

    def _needs_selection(self) -> Any:
        r = self.selected
        if r is None:
            self.notify(_("No conflict selected."), severity="warning")
        return r

    def action_disclose(self) -> None:
        r = self._needs_selection()
        if r is None:
            return
        from msptui.ui.screens.conflicts.forms import disclose_form

        self.app.push_screen(
            disclose_form(r, self.msptui.clock.now),
            callback=lambda ok: ok is not None and self.notify(_("Disclosure recorded.")),
        )

    def action_answer(self) -> None:
        r = self._needs_selection()
        if r is None:
            return
        from msptui.ui.screens.conflicts.forms import answer_form

        self.app.push_screen(
            answer_form(r, self.msptui.clock.now),
            callback=lambda ok: ok is not None and self.notify(_("Client's answer recorded.")),
        )

    def action_close(self) -> None:
        r = self._needs_selection()
        if r is None:
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                from msptui.store.conflicts import close_conflict

                self.call_store(
                    close_conflict,
                    r.id,
                    self.msptui.clock.now(),
                    done=lambda _r: (self.notify(_("Conflict closed.")), self.load()),
                )

        self.app.push_screen(
            ConfirmScreen(
                _("Close this conflict with {client}? Do it once it no longer exists; the record stays.").format(
                    client=r.client_name
                )
            ),
            callback=confirmed,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scope_all":
            return self.client_id is not None
        if action == "scope_one":
            return self.client_id is None
        return super().check_action(action, parameters)

    def action_scope_all(self) -> None:
        self._scope(None)

    def action_scope_one(self) -> None:
        """The highlighted conflict's client; on an empty list, the client it was opened for."""
        r = self.selected
        client_id = r.conflict.client_id if r is not None else self.opened_for
        if client_id is None:
            self.notify(_("No conflict selected: move to one of the client to show."), severity="warning")
            return
        self._scope(client_id)

    def _scope(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.refresh_bindings()
        self.load()

    def action_toggle_closed(self) -> None:
        self.include_closed = not self.include_closed
        self.load()

    def action_export(self) -> None:
        from msptui.store.files.engagement_exports import export_conflicts

        self.call_store(
            export_conflicts,
            self.app.paths.exports,
            self.msptui.clock.now(),
            self.client_id,
            done=lambda paths: self.notify(f"{paths[0]}\n{paths[1]}", title=_("Register exported"), timeout=10),
        )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)


def _register(engine: Any, client_id: int | None, include_closed: bool) -> tuple[list[Any], str | None]:
    from msptui.store.clients import get_client
    from msptui.store.conflicts import list_conflicts

    rows = list_conflicts(engine, client_id, include_closed=include_closed)
    name = None
    if client_id is not None:
        client = get_client(engine, client_id)
        name = client.name if client else None
    return rows, name


def _form_choices(engine: Any, client_id: int | None) -> tuple[list[Any], list[Any]]:
    from msptui.store.engagements import client_choices, engagement_choices

    return client_choices(engine), engagement_choices(engine, client_id)
