"""The list of deliveries: open ones, engagements ready for one, delivered ones, handover candidates.

Enter opens an engagement's on-site checklist (`msptui.ui.screens.deliveries.checklist`);
h writes a handover pack for the client under the cursor
(`msptui.ui.screens.deliveries.handover`). The list is read again each time it
comes back to the front, and the cursor stays on the same engagement.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table

# Marked for the catalogue; shown translated: `_(STAGE_WORDS[stage])`.
STAGE_WORDS = {
    "in_progress": N_("In progress"),
    "to_open": N_("To deliver"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
    "former": N_("Former client"),
}

# --- the list ----------------------------------------------------------------------------------


class DeliveriesScreen(MsptuiScreen):
    """Open deliveries, engagements ready for one, delivered ones, and handover candidates."""

    DEFAULT_CSS = """
    DeliveriesScreen #deliveries { height: 1fr; }
    DeliveriesScreen #deliveries-help { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", N_("Open checklist"), id="deliveries.open", priority=True),
        Binding("h", "handover", N_("Handover pack"), id="deliveries.handover"),
        Binding("escape", "back", N_("Back"), id="deliveries.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _("Deliveries")
        self.rows: list[Any] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        table = Table(id="deliveries", cursor_type="row", zebra_stripes=True)
        for key, label, width in (
            ("stage", _("Stage"), 13),
            ("client", _("Client"), 22),
            ("engagement", _("Engagement"), 22),
            ("where", _("Where it stands"), 15),
        ):
            table.add_column(label, key=key, width=width)
        yield table
        yield Static(_("Opening the database…"), id="deliveries-help", markup=False)
        yield Footer()

    def load(self) -> None:
        from msptui.store.deliveries import deliveries_overview

        self.call_store(deliveries_overview, done=self._show, group="deliveries", exclusive=True)

    @on(ScreenResume)
    def _resumed(self) -> None:
        # Back from a checklist, or reached again from the palette after changes elsewhere
        # (an engagement cancelled, accepted): read the list again.
        if self.loaded:
            self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#deliveries-help", Static).update(message)

    def _show(self, rows: list[Any]) -> None:
        table = self.query_one("#deliveries", Table)
        # Back from a checklist the list is re-read and its order may have changed (an engagement
        # just delivered moves down): the cursor follows the engagement, not the row number.
        keep_key, keep_row = table.cursor_key(), table.cursor_row
        self.rows, self.loaded = rows, True
        # Client and engagement share what the fixed columns leave (cell padding and scrollbar included).
        flexible = max(self.size.width - 13 - 15 - 10, 30)
        table.columns["client"].width = flexible * 45 // 100  # type: ignore[index]
        table.columns["engagement"].width = flexible - flexible * 45 // 100  # type: ignore[index]
        table.clear()
        for row in rows:
            table.add_row(
                Text(_(STAGE_WORDS[row.stage])),
                Text(row.client_name),
                Text(row.engagement_title or "-"),
                Text(_where_it_stands(row)),
                key=row_key(row),
            )
        if rows and not table.keep_cursor_on(keep_key):
            table.move_cursor(row=min(max(keep_row, 0), len(rows) - 1))
        self.query_one("#deliveries-help", Static).update(
            _("Enter opens the on-site checklist of an engagement; h writes a handover pack for its client.")
            if rows
            else _("No accepted engagement to deliver yet: accept one in Engagements first.")
        )
        table.focus()

    def _current(self) -> Any:
        table = self.query_one("#deliveries", DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def action_open(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.engagement_id is None:
            self.msptui.notify(_("A former client has no project to deliver: press h for its handover pack."))
            return
        from msptui.ui.screens.deliveries.checklist import DeliveryScreen

        self.app.push_screen(DeliveryScreen(row.engagement_id))  # read again on resume

    def action_handover(self) -> None:
        row = self._current()
        if row is None:
            return
        from msptui.ui.screens.deliveries.handover import offer_handover

        cancelled = row.stage == "cancelled"
        offer_handover(
            self,
            row.client_id,
            row.client_name,
            row.engagement_id if cancelled else None,
            row.engagement_title if cancelled else "",
            written=self._handover_written,
        )

    def _handover_written(self, pack: Any) -> None:
        self.query_one("#deliveries-help", Static).update(
            _("Handover pack written:\n{folder}\n{zip}").format(folder=pack.folder, zip=pack.zip)
        )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def row_key(row: Any) -> str:
    """What a row of the list is: its engagement, or a former client (who has none)."""
    return f"engagement:{row.engagement_id}" if row.engagement_id is not None else f"client:{row.client_id}"


def _where_it_stands(row: Any) -> str:
    if row.stage == "in_progress":
        done, total = row.progress
        return _("{done}/{total} done").format(done=done, total=total)
    if row.stage == "delivered":
        return row.note_number or (_("note waived") if row.delivery_id else _("no checklist"))
    if row.stage == "to_open":
        return _("not started")
    return _("handover: h")
