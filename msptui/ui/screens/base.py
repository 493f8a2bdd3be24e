"""Behaviour shared by msptui's screens: load when the store is ready, reload on demand,
and a footer that keeps each screen's essential keys on one line at 80 columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from msptui.ui.messages import StoreFailed, StoreReady
from msptui.ui.widgets.footer import KeysFooter
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from msptui.ui.app import MsptuiApp

# Binding ids that stay in the footer at 80 columns, most important first, before the
# screen's other keys (which follow in their declared order while they fit; `?` and
# quit are always shown). A screen with none listed shows its keys in declared order.
# Every key, shown or not, is in the `?` help screen and the command palette.
ESSENTIAL_KEYS = tuple(
    [
        # The board at night (DESIGN: acknowledge, pause, resolve in two keystrokes), a new call.
        "board.acknowledge",
        "board.resolve",
        "board.wait_client",
        "board.wait_third_party",
        "board.resume",
        "board.new_ticket",
        "board.intervene",
        "board.explain",
        # A client on the phone: find them, read the contract, open a ticket.
        "clients.find",
        "clients.open_contract",
        "clients.new_ticket",
        "clients.new",
        # On site: tick, next line, issue the note, deliver.
        "delivery.toggle",
        "delivery.next",
        "delivery.issue",
        "delivery.delivered",
        # Before accepting a project.
        "engagements.open",
        "engagements.new",
        "engagements.check",
        "check.save",
        "check.cancel",
    ]
)


class MsptuiScreen(StoreCalls, Screen[Any]):
    """A screen that fills itself from the store once it is open (and again on `reload`).

    Its store calls (`self.call_store`) are its own workers: see `msptui.ui.workers`."""

    essential_keys: tuple[str, ...] = ESSENTIAL_KEYS
    """Binding ids the footer shows first (see `msptui.ui.widgets.footer`)."""

    @property
    def msptui(self) -> MsptuiApp:
        return self.app  # type: ignore[return-value]

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        # Screens yield Textual's Footer; each is swapped here for the one that fits its
        # width, so no screen module has to know (see msptui.ui.widgets.footer).
        widgets = [_fitting(widget) if type(widget) is Footer else widget for widget in widgets]
        await super().mount_composed_widgets(widgets)

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


def _fitting(footer: Footer) -> KeysFooter:
    return KeysFooter(
        compact=footer.compact,
        show_command_palette=footer.show_command_palette,
        id=footer.id,
        classes=" ".join(footer.classes),
    )
