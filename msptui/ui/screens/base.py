"""Behaviour shared by msptui's screens: load when the store is ready, reload on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import Screen

from msptui.ui.messages import StoreFailed, StoreReady
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from msptui.ui.app import MsptuiApp


class MsptuiScreen(StoreCalls, Screen[Any]):
    """A screen that fills itself from the store once it is open (and again on `reload`).

    Its store calls (`self.call_store`) are its own workers: see `msptui.ui.workers`."""

    @property
    def msptui(self) -> MsptuiApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        if self.msptui.store is not None:
            self.load()
        elif self.msptui.store_error:
            self.show_store_error(self.msptui.store_error)

    @on(StoreReady)
    def _store_ready(self) -> None:
        self.load()

    @on(StoreFailed)
    def _store_failed(self, event: StoreFailed) -> None:
        self.show_store_error(event.message)

    def load(self) -> None:
        """Fetch this screen's data (through `self.call_store`)."""

    def show_store_error(self, message: str) -> None:
        """Say in the screen itself why there is nothing to show."""
