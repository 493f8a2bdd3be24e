"""A register of one client (recurring tasks, renewals, data breaches): a table, a title
that counts, a detail line for the highlighted entry, read again on return.

Each register names its columns and says how an entry reads; this base fills the
table from a worker, keeps the cursor on the same entry across reads and puts it
on the entry it was opened for (from the board's coming-due band).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.events import ScreenResume
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table


class ClientRegister(MsptuiScreen):
    """Subclasses set COLUMNS, and define `read(engine, client_id)`, `cells(entry)`,
    `title_words(entries)` and `detail(entry)`."""

    DEFAULT_CSS = """
    ClientRegister #register-title { padding: 0 1; text-style: bold; height: auto; }
    ClientRegister #register { height: 1fr; }
    ClientRegister #register-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $primary-background; }
    """
    # (label marked with N_(), key, width or None: auto); the label is translated when shown.
    COLUMNS: tuple[tuple[str, str, int | None], ...] = ()

    def __init__(self, client_id: int, select: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.wanted = select  # put the cursor on this entry once read
        self.entries: list[Any] = []
        self.client_name = ""
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="register-title", markup=False)
        table = Table(id="register", cursor_type="row", zebra_stripes=True)
        for label, key, width in self.COLUMNS:
            table.add_column(_(label), key=key, width=width)
        yield table
        yield Static("", id="register-detail", markup=False)
        yield Footer()

    # --- reading ---------------------------------------------------------------------------

    @staticmethod
    def read(engine: Any, client_id: int) -> tuple[str, list[Any]]:
        """(In a worker.) The client's name and its entries."""
        raise NotImplementedError

    def load(self) -> None:
        self.call_store(type(self).read, self.client_id, done=self._loaded, group="register", exclusive=True)

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.loaded:
            self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#register-title", Static).update(message)

    def _loaded(self, found: tuple[str, list[Any]]) -> None:
        self.client_name, self.entries = found
        self.loaded = True
        self.sub_title = self.client_name
        table = self.query_one("#register", Table)
        keep = str(self.wanted) if self.wanted is not None else table.cursor_key()
        self.wanted = None
        table.clear()
        for entry in self.entries:
            table.add_row(*self.cells(entry), key=str(self.key(entry)))
        table.keep_cursor_on(keep)
        self.query_one("#register-title", Static).update(self.title_words(self.entries))
        self._show_detail()
        table.focus()

    def key(self, entry: Any) -> int:
        return int(entry.id)

    def cells(self, entry: Any) -> list[Text]:
        raise NotImplementedError

    def title_words(self, entries: list[Any]) -> Text | str:
        raise NotImplementedError

    def detail(self, entry: Any) -> Text | str:
        return ""

    # --- the highlighted entry ----------------------------------------------------------------

    @property
    def selected(self) -> Any:
        table = self.query_one("#register", Table)
        key = table.cursor_key()
        return next((e for e in self.entries if str(self.key(e)) == key), None)

    @on(DataTable.RowHighlighted, "#register")
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        entry = self.selected
        self.query_one("#register-detail", Static).update(self.detail(entry) if entry is not None else "")

    def saved(self, words: str) -> Any:
        """A form's callback: say `words` and read again (None: cancelled, nothing said)."""

        def done(result: Any) -> None:
            if result is not None:
                self.notify(words, timeout=4, markup=False)
                self.wanted = result if isinstance(result, int) else None
                self.load()

        return done

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)


def client_name(engine: Any, client_id: int) -> str:
    """(In a worker.) The client's name for a title ("" when it is gone)."""
    from msptui.store.clients import get_client

    client = get_client(engine, client_id)
    return client.name if client is not None else ""


def typed_instant(text: str, zone: str, field: str) -> datetime:
    """(In a form's submit.) A wall-clock instant typed as "2026-11-23 14:30" in `zone`,
    aware; a sentence under `field` when it cannot be read (the schema checks the rest)."""
    from zoneinfo import ZoneInfo

    from msptui.ui.screens.time.entry_form import local_instant, parse_clock, parse_day
    from msptui.ui.widgets.form import FormErrors

    day_text, _space, time_text = text.strip().partition(" ")
    if not day_text:
        raise FormErrors({field: _("is required: type it as 2026-11-23 14:30")})
    try:
        day = parse_day(day_text, date.today())
        at = parse_clock(time_text or "00:00", "time")
    except ValueError as exc:
        raise FormErrors({field: _("{error} Type it as 2026-11-23 14:30.").format(error=exc)}) from None
    return local_instant(day, at, ZoneInfo(zone))
