"""The list of deliveries: open ones, engagements ready for one, delivered ones, handover candidates.

Enter opens an engagement's on-site checklist (`msptui.ui.screens.deliveries.checklist`);
h writes a handover pack for the client under the cursor.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table

STAGE_WORDS = {
    "in_progress": "In progress",
    "to_open": "To deliver",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
    "former": "Former client",
}

# --- the list ----------------------------------------------------------------------------------


class DeliveriesScreen(MsptuiScreen):
    """Open deliveries, engagements ready for one, delivered ones, and handover candidates."""

    TITLE = "Deliveries"

    DEFAULT_CSS = """
    DeliveriesScreen #deliveries { height: 1fr; }
    DeliveriesScreen #deliveries-help { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open checklist", id="deliveries.open", priority=True),
        Binding("h", "handover", "Handover pack", id="deliveries.handover"),
        Binding("escape", "back", "Back", id="deliveries.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        table = Table(id="deliveries", cursor_type="row", zebra_stripes=True)
        for key, label, width in (
            ("stage", "Stage", 13),
            ("client", "Client", 22),
            ("engagement", "Engagement", 22),
            ("where", "Where it stands", 15),
        ):
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("Opening the database…", id="deliveries-help", markup=False)
        yield Footer()

    def load(self) -> None:
        from msptui.store.deliveries import deliveries_overview

        self.call_store(deliveries_overview, done=self._show, group="deliveries", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#deliveries-help", Static).update(message)

    def _show(self, rows: list[Any]) -> None:
        table = self.query_one("#deliveries", DataTable)
        keep = table.cursor_row
        self.rows = rows
        # Client and engagement share what the fixed columns leave (cell padding and scrollbar included).
        flexible = max(self.size.width - 13 - 15 - 10, 30)
        table.columns["client"].width = flexible * 45 // 100  # type: ignore[index]
        table.columns["engagement"].width = flexible - flexible * 45 // 100  # type: ignore[index]
        table.clear()
        for n, row in enumerate(rows):
            table.add_row(
                Text(STAGE_WORDS[row.stage]),
                Text(row.client_name),
                Text(row.engagement_title or "-"),
                Text(_where_it_stands(row)),
                key=str(n),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self.query_one("#deliveries-help", Static).update(
            "Enter opens the on-site checklist of an engagement; h writes a handover pack for its client."
            if rows
            else "No accepted engagement to deliver yet: accept one in Engagements first."
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
            self.msptui.notify("A former client has no project to deliver: press h for its handover pack.")
            return
        from msptui.ui.screens.deliveries.checklist import DeliveryScreen

        self.app.push_screen(DeliveryScreen(row.engagement_id), callback=lambda _r: self.load())

    def action_handover(self) -> None:
        row = self._current()
        if row is None:
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        subject = f"the cancelled engagement '{row.engagement_title}' of " if row.stage == "cancelled" else ""
        question = (
            f"Write a handover pack for {subject}{row.client_name}?\n\n"
            "It holds the client, contracts, third parties, SLA targets, GDPR processing, open tickets "
            "with their history, deliveries and documentation, and the labels of its secrets "
            f"(never their values), in {self.msptui.paths.exports / 'handover'}."
        )
        engagement_id = row.engagement_id if row.stage == "cancelled" else None
        self.app.push_screen(
            ConfirmScreen(question), callback=lambda yes: yes and self._write_handover(row.client_id, engagement_id)
        )

    def _write_handover(self, client_id: int, engagement_id: int | None) -> None:
        from msptui.store.files.handover import write_handover_pack

        self.call_store(
            write_handover_pack,
            self.msptui.paths.exports,
            client_id,
            self.msptui.clock.now(),
            engagement_id,
            done=self._handover_written,
            group="handover",
        )

    def _handover_written(self, pack: Any) -> None:
        message = f"Handover pack written:\n{pack.folder}\n{pack.zip}"
        self.query_one("#deliveries-help", Static).update(message)
        self.msptui.notify(message, title="Handover pack", timeout=15)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _where_it_stands(row: Any) -> str:
    if row.stage == "in_progress":
        done, total = row.progress
        return f"{done}/{total} done"
    if row.stage == "delivered":
        return row.note_number or ("note waived" if row.delivery_id else "no checklist")
    if row.stage == "to_open":
        return "not started"
    return "handover: h"
