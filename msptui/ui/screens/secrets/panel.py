"""A client's secrets (labels in the database, values in the keyring), in the client browser's detail pane.

`SecretsPanel(client_id)` lists the labels; a revealed value shows in full in
a field of its own under the list (a table column was off-screen at 80
columns and cut at 120), with the copy key beside it.

The keyring settings (`KeyringSetupScreen`) and the shared keyring helpers
live in `keyring_setup.py` and `common.py`; they are importable from here too
(the app's sections and the command palette name this module).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.secrets.common import (
    copy_secret,
    keyring_changed,
    keyring_status,
    reveal_value,
    run_in_thread,
    say,
    with_keyring,
)
from msptui.ui.screens.secrets.keyring_setup import KeyringSetupScreen
from msptui.ui.widgets.table import Table
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from msptui.ui.app import MsptuiApp

__all__ = ["MASK", "REVEAL_SECONDS", "KeyringSetupScreen", "SecretsPanel", "copy_secret"]

REVEAL_SECONDS = 20
MASK = "••••••••"  # i18n: not shown (dots, in every language)


def _list(engine, client_id: int):  # noqa: ANN001, ANN202
    from msptui.store.secrets import list_secrets

    return list_secrets(engine, client_id)


def _delete(engine, secret_id: int) -> None:  # noqa: ANN001
    from msptui.store.secrets import delete_secret

    delete_secret(engine, secret_id)


class SecretsPanel(StoreCalls, Vertical):
    """A client's secrets: labels, usernames and locations; values masked until asked for.

    Keys (while the focus is in the panel): s new, v reveal/hide, p copy,
    r replace the value, m edit the details, x delete, Ctrl+K keyring settings.
    The selected secret's value is in the field under the list (`#secret-value`),
    masked; revealed, it shows there in full, wrapped if long, and hides again
    after REVEAL_SECONDS (by the app's clock), when the cursor moves to another
    secret, or as soon as the focus leaves the panel.
    """

    DEFAULT_CSS = """
    SecretsPanel { height: auto; }
    SecretsPanel #secrets-title { text-style: bold; color: $accent; margin-top: 1; }
    SecretsPanel #secrets-keyring { color: $text-muted; height: auto; }
    SecretsPanel #secrets-keyring.-problem { color: $warning; }
    SecretsPanel #secrets-table { height: auto; max-height: 12; }
    SecretsPanel #secrets-empty { color: $text-muted; height: auto; }
    SecretsPanel #secret-value-row { height: auto; }
    SecretsPanel #secret-value-keys { height: auto; color: $text-muted; }
    SecretsPanel #secret-value { height: auto; padding-left: 2; }
    """
    BINDINGS = [
        Binding("s", "add", N_("New secret"), id="secrets.add"),
        Binding("v", "reveal", N_("Reveal"), id="secrets.reveal"),
        Binding("p", "copy", N_("Copy password"), id="secrets.copy"),
        Binding("r", "replace", N_("Replace value"), id="secrets.replace"),
        Binding("m", "edit", N_("Edit secret"), id="secrets.edit"),
        Binding("x", "delete", N_("Delete secret"), id="secrets.delete"),
        Binding("ctrl+k", "keyring_settings", N_("Keyring"), id="secrets.keyring"),
    ]

    def __init__(self, client_id: int, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.client_id = client_id
        self.rows: list[Any] = []
        self.keyring_state: str | None = None
        self.backend_words = ""
        self._revealed: tuple[int, str, Any] | None = None  # (secret id, value, hide at)

    @property
    def msptui(self) -> MsptuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(_("Secrets"), id="secrets-title")
        yield Static(_("Checking the keyring…"), id="secrets-keyring", markup=False)
        table = Table(id="secrets-table", cursor_type="row")
        table.add_column(_("Label"), key="label")
        table.add_column(_("Username"), key="username")
        table.add_column(_("URL or host"), key="location")
        yield table
        # The value in a field of its own, the whole pane wide: a table column was
        # off-screen at 80 columns. Its keys on the line just above it.
        with Vertical(id="secret-value-row"):
            yield Static("", id="secret-value-keys", markup=False)
            yield Static(MASK, id="secret-value")
        yield Static("", id="secrets-empty", markup=False)

    def on_mount(self) -> None:
        self.reload()
        self.check_keyring()
        self.set_interval(1.0, self.hide_if_expired)
        keyring_changed(self.app).subscribe(self, self._show_keyring)

    def show_client(self, client_id: int) -> None:
        """Show another client's secrets in the same panel."""
        self.hide_value()
        self.client_id = client_id
        self.reload()

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        if self.msptui.store is None:
            self.query_one("#secrets-empty", Static).update(_("Opening the database…"))
            return
        self.call_store(_list, self.client_id, done=self._show_rows, failed=lambda exc: say(self.app, exc))

    def _show_rows(self, rows: list[Any]) -> None:
        if not self.is_attached:
            return
        self.hide_value()
        table = self.query_one("#secrets-table", DataTable)
        selected = self.selected()
        table.clear()
        self.rows = rows
        for row in rows:
            table.add_row(Text(row.label), Text(row.username), Text(row.location), key=str(row.id))
        if selected is not None and any(r.id == selected.id for r in rows):
            table.move_cursor(row=table.get_row_index(str(selected.id)))
        self._show_value()
        self.query_one("#secrets-title", Static).update(
            _("Secrets ({count})").format(count=len(rows)) if rows else _("Secrets")
        )
        self.query_one("#secrets-empty", Static).update(
            "" if rows else _("No secrets for this client yet: press s to add one (the value goes to the keyring).")
        )

    def check_keyring(self) -> None:
        run_in_thread(self, keyring_status, self.msptui.paths, done=self._show_keyring, failed=self._keyring_failed)

    def _show_keyring(self, status: Any) -> None:
        if not self.is_attached:
            return
        self.keyring_state = status.state
        self.backend_words = status.backend
        line = self.query_one("#secrets-keyring", Static)
        if status.state == "ready" and os.environ.get("MSPTUI_DATABASE_URL"):
            # A team: the labels are shared, the values are not (issue 20, "Secrets in a team").
            line.update(
                _(
                    "Values are kept in {backend} on this machine; the shared database holds only the labels, "
                    "so a colleague's values are in their own keyring."
                ).format(backend=status.backend)
            )
        elif status.state == "ready":
            line.update(_("Values are kept in {backend}, never in the database.").format(backend=status.backend))
        elif status.state == "locked":
            line.update(status.message + " " + _("Press Ctrl+K."))
        elif status.state == "disabled":
            line.update(status.message + " " + _("Ctrl+K to change."))
        else:
            line.update(status.message + " " + _("Press Ctrl+K to choose."))
        line.set_class(status.state != "ready", "-problem")

    def _keyring_failed(self, exc: Exception) -> None:
        if self.is_attached:
            line = self.query_one("#secrets-keyring", Static)
            line.update(str(exc))
            line.add_class("-problem")

    def selected(self) -> Any | None:
        table = self.query_one("#secrets-table", DataTable)
        if not self.rows or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _need_selected(self) -> Any | None:
        secret = self.selected()
        if secret is None:
            say(self.app, _("Select a secret first (or press s to add one)."))
        return secret

    # --- revealing -----------------------------------------------------------------------

    def action_reveal(self) -> None:
        secret = self._need_selected()
        if secret is None:
            return
        if self._revealed is not None and self._revealed[0] == secret.id:
            self.hide_value()
            return

        def show(value: str) -> None:
            selected = self.selected()
            if not self.is_attached or selected is None or selected.id != secret.id:
                return  # the cursor moved on meanwhile: never show a value under another label
            self._revealed = (secret.id, value, self.msptui.clock.now() + timedelta(seconds=REVEAL_SECONDS))
            self._show_value()

        with_keyring(
            self, lambda: self.call_store(reveal_value, secret.id, done=show, failed=lambda exc: say(self.app, exc))
        )

    def revealed_id(self) -> int | None:
        return self._revealed[0] if self._revealed else None

    def hide_value(self) -> None:
        """Mask the revealed value, if any, and forget it."""
        if self._revealed is None:
            return
        self._revealed = None
        self._show_value()

    def hide_if_expired(self) -> None:
        """Called every second: hide the value once its time is up (by the app's clock)."""
        if self._revealed is not None and self.msptui.clock.now() >= self._revealed[2]:
            self.hide_value()

    def _show_value(self) -> None:
        """The value field: the selected secret's value revealed in full, or the mask, with its keys."""
        if not self.is_attached:
            return
        secret = self.selected()
        self.query_one("#secret-value-row").display = secret is not None
        if secret is None:
            return
        field = self.query_one("#secret-value", Static)
        keys = self.query_one("#secret-value-keys", Static)
        if self._revealed is not None:
            # Folded, not cut: a long token wraps inside the field and every character shows.
            field.update(Text(self._revealed[1], style="bold", overflow="fold"))
            keys.update(
                _("Password of {label}: p copy · v hide (hides after {seconds} s)").format(
                    label=secret.label, seconds=REVEAL_SECONDS
                )
            )
            field.call_after_refresh(field.scroll_visible, animate=False)
        else:
            field.update(Text(MASK, style="dim"))
            keys.update(_("Password of {label}: v reveal · p copy").format(label=secret.label))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The field shows the selected secret: another row selected, the revealed value goes.
        if self._revealed is not None and event.row_key.value != str(self._revealed[0]):
            self.hide_value()
        else:
            self._show_value()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._hide_if_focus_left)

    def _hide_if_focus_left(self) -> None:
        focused = self.app.focused
        if focused is None or self not in focused.ancestors_with_self:
            self.hide_value()

    def on_hide(self) -> None:
        self.hide_value()

    def on_unmount(self) -> None:
        self._revealed = None

    # --- copying, adding, replacing, deleting --------------------------------------------

    def action_copy(self) -> None:
        secret = self._need_selected()
        if secret is not None:
            copy_secret(self.app, secret.id, secret.label)

    def action_add(self) -> None:
        with_keyring(self, self._open_add_form)

    def _open_add_form(self) -> None:
        from msptui.ui.widgets.form import FieldSpec, FormScreen

        client_id, app = self.client_id, self.msptui

        def submit(engine, values):  # noqa: ANN001, ANN202
            from msptui.store.secrets import SecretCreate, add_secret, check_value

            value = values.pop("value")
            data = SecretCreate(**values)
            check_value(value)
            return add_secret(engine, client_id, data, value, app.clock.now())

        fields = [
            FieldSpec("label", _("Label"), placeholder=_("Wi-Fi admin, NAS root, Microsoft 365 admin…")),
            FieldSpec("username", _("Username")),
            FieldSpec("location", _("URL or host"), placeholder=_("https://… or 192.168.1.10")),
            FieldSpec("notes", _("Notes"), "textarea"),
            FieldSpec("value", _("Password or token"), "password"),
        ]
        if self.backend_words:
            intro = _("The value goes to {backend}; the database keeps only the label.").format(
                backend=self.backend_words
            )
        else:
            intro = _("The value goes to the keyring; the database keeps only the label.")
        self._open_form(FormScreen(_("New secret"), fields, submit, intro=intro))

    def action_replace(self) -> None:
        secret = self._need_selected()
        if secret is not None:
            with_keyring(self, lambda: self._open_replace_form(secret))

    def _open_replace_form(self, secret: Any) -> None:
        from msptui.ui.widgets.form import FieldSpec, FormScreen

        app = self.msptui

        def submit(engine, values):  # noqa: ANN001, ANN202
            from msptui.store.secrets import replace_secret_value

            replace_secret_value(engine, secret.id, values["value"], app.clock.now())
            return True

        fields = [FieldSpec("value", _("New password or token"), "password")]
        title = _("Replace the value of '{label}'").format(label=secret.label)
        intro = _("The old value is overwritten in the keyring.")
        self._open_form(FormScreen(title, fields, submit, intro=intro))

    def action_edit(self) -> None:
        secret = self._need_selected()
        if secret is None:
            return
        from msptui.ui.widgets.form import FieldSpec, FormScreen

        app = self.msptui

        def submit(engine, values):  # noqa: ANN001, ANN202
            from msptui.store.secrets import SecretUpdate, update_secret

            update_secret(engine, secret.id, SecretUpdate(**values), app.clock.now())
            return True

        fields = [
            FieldSpec("label", _("Label"), value=secret.label),
            FieldSpec("username", _("Username"), value=secret.username),
            FieldSpec("location", _("URL or host"), value=secret.location),
            FieldSpec("notes", _("Notes"), "textarea", secret.notes),
        ]
        intro = _("The value is not changed here.")
        self._open_form(FormScreen(_("Edit secret"), fields, submit, intro=intro))

    def _open_form(self, form: Any) -> None:
        self.app.push_screen(form, self._saved)
        # Start typing in the first field (the form's scroll area would take the focus otherwise).
        first = f"#field-{form.fields[0].name}"
        form.call_after_refresh(lambda: form.query_one(first).focus())

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.reload()

    def action_delete(self) -> None:
        secret = self._need_selected()
        if secret is None:
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        question = _(
            "Delete the secret '{label}'? Its value is removed from the keyring too. This cannot be undone."
        ).format(label=secret.label)

        def answered(yes: bool | None) -> None:
            if yes:
                with_keyring(
                    self,
                    lambda: self.call_store(
                        _delete, secret.id, done=lambda _r: self.reload(), failed=lambda exc: say(self.app, exc)
                    ),
                )

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_keyring_settings(self) -> None:
        self.app.push_screen(KeyringSetupScreen())
