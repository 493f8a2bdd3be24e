"""First start on an empty database: sample data, or an empty start."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from msptui.core.i18n import N_, _
from msptui.ui.workers import StoreCalls


class WelcomeScreen(StoreCalls, ModalScreen[bool]):
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    #welcome { width: 72; max-width: 100%; height: auto; border: thick $accent; padding: 1 2; background: $surface; }
    #welcome Horizontal { height: auto; margin-top: 1; }
    #welcome Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("s", "sample", N_("Load sample data"), id="welcome.sample"),
        Binding("e,escape", "empty", N_("Start empty"), id="welcome.empty"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static(_("[b]Welcome to msptui[/b]"))
            said = _(
                "Your data folder is empty:\n{folder}\n\n"
                "Load a dozen sample clients (French MSP contracts, calendars and SLA targets) "
                "to try things out, or start with an empty register."
            )
            yield Static(said.format(folder=self.app.paths.data), markup=False)
            with Horizontal():
                yield Button(_("Load sample data (s)"), id="sample", variant="primary")
                yield Button(_("Start empty (e)"), id="empty")

    @on(Button.Pressed, "#sample")
    def action_sample(self) -> None:
        from msptui.store.sample import load_sample

        self.call_store(load_sample, self.app.clock.now(), done=lambda _ids: self._loaded())

    def _loaded(self) -> None:
        self.app.notify(_("Sample data loaded."))
        self.dismiss(True)
        from msptui.ui.messages import StoreReady

        for screen in self.app.screen_stack:
            screen.post_message(StoreReady())

    @on(Button.Pressed, "#empty")
    def action_empty(self) -> None:
        self.dismiss(False)
