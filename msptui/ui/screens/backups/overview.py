"""Backups: every copy of the database, newest first, and a key to take one now.

Restoring replaces the file the app has open, so it is done from the command line
after quitting (`msptui restore PATH`); the screen shows that command for the row
under the cursor.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table


class BackupsScreen(MsptuiScreen):
    DEFAULT_CSS = """
    BackupsScreen #backups { height: 1fr; }
    BackupsScreen #backup-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("b", "backup_now", N_("Back up now"), id="backups.now"),
        Binding("r", "refresh", N_("Refresh"), id="backups.refresh"),
        Binding("escape", "app.pop_screen", N_("Back"), id="backups.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sub_title = _("Backups")
        self.backups: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="status-line", markup=False)
        table = Table(id="backups", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Taken (local time)"), _("Size"), _("Kind"), _("File"))
        yield table
        yield Static("", id="backup-hint", markup=False)
        yield Footer()

    def load(self) -> None:
        from msptui.store.files.backups import list_backups

        paths = self.msptui.paths
        self.call_store(lambda _engine: list_backups(paths), done=self._listed, group="backups", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#status-line", Static).update(message)

    def _listed(self, backups: list[Any]) -> None:
        from msptui.store.files.backups import human_size

        self.backups = backups
        table = self.query_one("#backups", DataTable)
        table.clear()
        for b in backups:
            table.add_row(
                Text(b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")),
                Text(human_size(b.size), justify="right"),
                Text(b.kind_words),
                Text(b.path.name),
                key=str(b.path),
            )
        folder = self.msptui.paths.backups
        if backups:
            count = ngettext("{count} backup in {folder}", "{count} backups in {folder}", len(backups))
        else:
            count = _("No backups yet in {folder}")
        self.query_one("#status-line", Static).update(count.format(count=len(backups), folder=folder))
        self._show_hint()

    @on(DataTable.RowHighlighted, "#backups")
    def _show_hint(self) -> None:
        table = self.query_one("#backups", DataTable)
        hint = self.query_one("#backup-hint", Static)
        if not self.backups:
            hint.update(_("Press b to take a backup now. msptui also takes one automatically each day it starts."))
            return
        chosen = self.backups[min(table.cursor_row, len(self.backups) - 1)]
        command = restore_command(self.msptui.paths, chosen.path)
        hint.update(_("To restore this one: quit msptui, then run\n  {command}").format(command=command))

    def action_refresh(self) -> None:
        self.load()

    def action_backup_now(self) -> None:
        from msptui.store.files.backups import backup

        paths, now = self.msptui.paths, self.msptui.clock.now()
        self.call_store(lambda _engine: backup(paths, now=now), done=self._backed_up, group="backups")

    def _backed_up(self, path: Any) -> None:
        self.msptui.notify(_("Backed up to {path}").format(path=path), title=_("Backup"), markup=False)
        self.load()


def restore_command(paths, backup) -> str:  # noqa: ANN001
    """The exact command for the data folder in use: without --data-dir, a restore
    would go into the default folder, not this one."""
    import shlex

    return f"msptui restore --data-dir {shlex.quote(str(paths.data))} {shlex.quote(str(backup))}"
