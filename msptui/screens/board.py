"""The SLA board: the screen shown at start (placeholder until the board lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from msptui.screens.base import MsptuiScreen


class BoardScreen(MsptuiScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the database…", id="status-line")
        yield Footer()

    def load(self) -> None:
        self.query_one("#status-line", Static).update("No open tickets.")

    def show_store_error(self, message: str) -> None:
        self.query_one("#status-line", Static).update(message)
