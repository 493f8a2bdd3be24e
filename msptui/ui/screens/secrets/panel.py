"""A client's secrets (labels in the database, values in the keyring) and the keyring settings.

`SecretsPanel(client_id)` is mounted in the client browser's detail pane.
`KeyringSetupScreen` explains where secrets go and asks for the encrypted
file's passphrase in a password field (never on the terminal itself).

Keyring calls take up to a second (the encrypted file derives its key on each
call), so every one runs in a thread; keyring and SQLAlchemy are imported only
there, never on the path to the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from msptui.ui.widgets.table import Table
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from textual.signal import Signal

    from msptui.store.keyring_backend import KeyringStatus
    from msptui.ui.app import MsptuiApp

REVEAL_SECONDS = 20
MASK = "••••••••"


# --- work done in threads (heavy imports stay here) ------------------------------------


def _keyring_status(paths):  # noqa: ANN001, ANN202
    from msptui.store.keyring_backend import status

    return status(paths)


def _reveal(engine, secret_id: int) -> str:  # noqa: ANN001
    from msptui.store.secrets import reveal_secret

    return reveal_secret(engine, secret_id)


def _list(engine, client_id: int):  # noqa: ANN001, ANN202
    from msptui.store.secrets import list_secrets

    return list_secrets(engine, client_id)


def _delete(engine, secret_id: int) -> None:  # noqa: ANN001
    from msptui.store.secrets import delete_secret

    delete_secret(engine, secret_id)


def run_in_thread(
    node: StoreCalls,
    fn: Callable[..., Any],
    *args: Any,
    done: Callable[[Any], None],
    failed: Callable[[Exception], None],
) -> None:
    """`fn(*args)` in a thread, a worker of `node`; `done(result)` or, for an error a user can
    act on, `failed(exc)` on the UI thread, only while `node` is still open."""
    node.run_in_thread(partial(fn, *args), done=done, failed=failed, group="keyring", name=fn.__name__)


def keyring_changed(app: Any) -> Signal[KeyringStatus]:
    """The app-wide signal published with the new status whenever the keyring settings screen closes."""
    return cast("MsptuiApp", app).keyring_changed


def say(app: Any, exc: Exception | str, title: str = "Client secrets") -> None:
    """A refusal in plain words (never parsed as markup: labels may hold a '[')."""
    app.notify(str(exc), title=title, severity="warning", timeout=10, markup=False)


def with_keyring(node: Any, then: Callable[[], None]) -> None:
    """Call `then()` once secrets can be stored and read, asking the user first when needed.

    With no system keyring, or the encrypted file still locked this session,
    the `KeyringSetupScreen` opens; `then` runs only if it ends ready.
    """
    app = node.app

    def checked(status: Any) -> None:
        if status.state == "ready":
            then()
        elif status.state == "disabled":
            say(app, status.message + " Ctrl+K opens the keyring settings.")
        else:
            app.push_screen(KeyringSetupScreen(), lambda ready: then() if ready else None)

    run_in_thread(node, _keyring_status, app.paths, done=checked, failed=lambda exc: say(app, exc))


def copy_secret(app: Any, secret_id: int, label: str, client_name: str = "") -> None:
    """Read a secret's value from the keyring (in a thread) and put it on the clipboard."""

    def copied(value: str) -> None:
        app.copy_to_clipboard(value)
        whose = f" ({client_name})" if client_name else ""
        app.notify(
            f"Copied the password of '{label}'{whose}. It stays on the clipboard until you copy something else.",
            title="Copied",
            timeout=6,
            markup=False,
        )

    with_keyring(app, lambda: app.call_store(_reveal, secret_id, done=copied, failed=lambda exc: say(app, exc)))


# --- the panel in the client's detail pane ----------------------------------------------


class SecretsPanel(StoreCalls, Vertical):
    """A client's secrets: labels, usernames and locations; values masked until asked for.

    Keys (while the focus is in the panel): s new, v reveal/hide, p copy,
    r replace the value, m edit the details, x delete, Ctrl+K keyring settings.
    A revealed value hides again after REVEAL_SECONDS (by the app's clock),
    or as soon as the focus leaves the panel.
    """

    DEFAULT_CSS = """
    SecretsPanel { height: auto; }
    SecretsPanel #secrets-title { text-style: bold; color: $accent; margin-top: 1; }
    SecretsPanel #secrets-keyring { color: $text-muted; height: auto; }
    SecretsPanel #secrets-keyring.-problem { color: $warning; }
    SecretsPanel #secrets-table { height: auto; max-height: 12; }
    SecretsPanel #secrets-empty { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("s", "add", "New secret", id="secrets.add"),
        Binding("v", "reveal", "Reveal", id="secrets.reveal"),
        Binding("p", "copy", "Copy password", id="secrets.copy"),
        Binding("r", "replace", "Replace value", id="secrets.replace"),
        Binding("m", "edit", "Edit secret", id="secrets.edit"),
        Binding("x", "delete", "Delete secret", id="secrets.delete"),
        Binding("ctrl+k", "keyring_settings", "Keyring", id="secrets.keyring"),
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
        yield Static("Secrets", id="secrets-title")
        yield Static("Checking the keyring…", id="secrets-keyring", markup=False)
        table = Table(id="secrets-table", cursor_type="row")
        table.add_column("Label", key="label")
        table.add_column("Username", key="username")
        table.add_column("URL or host", key="location")
        table.add_column("Password", key="value")
        yield table
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
            self.query_one("#secrets-empty", Static).update("Opening the database…")
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
            table.add_row(Text(row.label), Text(row.username), Text(row.location), Text(MASK), key=str(row.id))
        if selected is not None and any(r.id == selected.id for r in rows):
            table.move_cursor(row=table.get_row_index(str(selected.id)))
        self.query_one("#secrets-title", Static).update(f"Secrets ({len(rows)})" if rows else "Secrets")
        self.query_one("#secrets-empty", Static).update(
            "" if rows else "No secrets for this client yet: press s to add one (the value goes to the keyring)."
        )

    def check_keyring(self) -> None:
        run_in_thread(self, _keyring_status, self.msptui.paths, done=self._show_keyring, failed=self._keyring_failed)

    def _show_keyring(self, status: Any) -> None:
        if not self.is_attached:
            return
        self.keyring_state = status.state
        self.backend_words = status.backend
        line = self.query_one("#secrets-keyring", Static)
        if status.state == "ready":
            line.update(f"Values are kept in {status.backend}, never in the database.")
        elif status.state == "locked":
            line.update(status.message + " Press Ctrl+K.")
        elif status.state == "disabled":
            line.update(status.message + " Ctrl+K to change.")
        else:
            line.update(status.message + " Press Ctrl+K to choose.")
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
            say(self.app, "Select a secret first (or press s to add one).")
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
            if not self.is_attached:
                return
            self.hide_value()
            self._revealed = (secret.id, value, self.msptui.clock.now() + timedelta(seconds=REVEAL_SECONDS))
            self._set_value_cell(secret.id, Text(value, style="bold"))

        with_keyring(
            self, lambda: self.call_store(_reveal, secret.id, done=show, failed=lambda exc: say(self.app, exc))
        )

    def revealed_id(self) -> int | None:
        return self._revealed[0] if self._revealed else None

    def hide_value(self) -> None:
        """Mask the revealed value, if any, and forget it."""
        if self._revealed is None:
            return
        secret_id = self._revealed[0]
        self._revealed = None
        self._set_value_cell(secret_id, Text(MASK))

    def hide_if_expired(self) -> None:
        """Called every second: hide the value once its time is up (by the app's clock)."""
        if self._revealed is not None and self.msptui.clock.now() >= self._revealed[2]:
            self.hide_value()

    def _set_value_cell(self, secret_id: int, cell: Text) -> None:
        table = self.query_one("#secrets-table", DataTable)
        try:
            table.update_cell(str(secret_id), "value", cell, update_width=True)
        except Exception:  # the row is gone (reloaded): nothing left to show or hide
            pass

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
            FieldSpec("label", "Label", placeholder="Wi-Fi admin, NAS root, Microsoft 365 admin…"),
            FieldSpec("username", "Username"),
            FieldSpec("location", "URL or host", placeholder="https://… or 192.168.1.10"),
            FieldSpec("notes", "Notes", "textarea"),
            FieldSpec("value", "Password or token", "password"),
        ]
        intro = f"The value goes to {self.backend_words or 'the keyring'}; the database keeps only the label."
        self._open_form(FormScreen("New secret", fields, submit, intro=intro))

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

        fields = [FieldSpec("value", "New password or token", "password")]
        title = f"Replace the value of '{secret.label}'"
        self._open_form(FormScreen(title, fields, submit, intro="The old value is overwritten in the keyring."))

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
            FieldSpec("label", "Label", value=secret.label),
            FieldSpec("username", "Username", value=secret.username),
            FieldSpec("location", "URL or host", value=secret.location),
            FieldSpec("notes", "Notes", "textarea", secret.notes),
        ]
        self._open_form(FormScreen("Edit secret", fields, submit, intro="The value is not changed here."))

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

        question = (
            f"Delete the secret '{secret.label}'? Its value is removed from the keyring too. This cannot be undone."
        )

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


# --- where secrets are kept ----------------------------------------------------------------


def _choose_system(paths):  # noqa: ANN001, ANN202
    from msptui.store.keyring_backend import choose_system

    return choose_system(paths)


def _disable(paths):  # noqa: ANN001, ANN202
    from msptui.store.keyring_backend import disable_secrets

    return disable_secrets(paths)


def _create_file(paths, passphrase: str, again: str):  # noqa: ANN001, ANN202
    from msptui.store.keyring_backend import create_encrypted_file

    return create_encrypted_file(paths, passphrase, again)


def _unlock_file(paths, passphrase: str):  # noqa: ANN001, ANN202
    from msptui.store.keyring_backend import unlock_encrypted_file

    return unlock_encrypted_file(paths, passphrase)


class KeyringSetupScreen(StoreCalls, ModalScreen[bool]):
    """Where client secrets are kept: the system keyring, an encrypted file, or nowhere.

    Dismisses with True when secrets can be used (ready), False otherwise.
    Opens on the passphrase when the encrypted file is chosen but still locked
    in this session; asks a new passphrase twice when creating the file.
    """

    DEFAULT_CSS = """
    KeyringSetupScreen { align: center middle; }
    KeyringSetupScreen > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    KeyringSetupScreen #keyring-title { text-style: bold; padding-bottom: 1; }
    KeyringSetupScreen #keyring-message { height: auto; padding-bottom: 1; }
    KeyringSetupScreen #keyring-choices, KeyringSetupScreen #keyring-passphrase { height: auto; }
    KeyringSetupScreen .choice { height: auto; margin-bottom: 1; }
    KeyringSetupScreen .choice > Button { width: 24; margin-right: 1; }
    KeyringSetupScreen .choice > Static { width: 1fr; color: $text-muted; }
    KeyringSetupScreen .row { height: auto; }
    KeyringSetupScreen .row > Label { width: 20; color: $text-muted; }
    KeyringSetupScreen .row > Input { width: 1fr; }
    KeyringSetupScreen #keyring-move-note { color: $text-muted; height: auto; }
    KeyringSetupScreen #passphrase-intro { height: auto; padding-bottom: 1; }
    KeyringSetupScreen #passphrase-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("e", "choose('file')", "Encrypted file", id="keyring.file"),
        Binding("s", "choose('system')", "System keyring", id="keyring.system"),
        Binding("d", "choose('disabled')", "Disable secrets", id="keyring.disable"),
        Binding("ctrl+b", "back", "Other choices", id="keyring.back"),
        Binding("escape", "cancel", "Not now", id="keyring.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: Any = None
        self.mode = "loading"  # loading, choices, create, unlock
        self.busy = False

    @property
    def msptui(self) -> MsptuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Where client secrets are kept", id="keyring-title")
            yield Static("Checking the keyring…", id="keyring-message", markup=False)
            with Vertical(id="keyring-choices"):
                with Horizontal(classes="choice"):
                    yield Button("Encrypted file (e)", id="choose-file", variant="primary")
                    yield Static("", id="file-words", markup=False)
                with Horizontal(classes="choice", id="system-choice"):
                    yield Button("System keyring (s)", id="choose-system")
                    yield Static("The operating system's keyring (Secret Service, Keychain, Credential Locker).")
                with Horizontal(classes="choice"):
                    yield Button("Disable secrets (d)", id="choose-disabled")
                    yield Static("Keep labels only; no value can be stored or revealed. You can change this later.")
                yield Static(
                    "Changing does not move values already stored: they stay where they are, "
                    "and are there again if you change back.",
                    id="keyring-move-note",
                )
            with Vertical(id="keyring-passphrase"):
                yield Static("", id="passphrase-intro", markup=False)
                with Horizontal(classes="row"):
                    yield Label("Passphrase")
                    yield Input(password=True, id="passphrase", compact=True)
                with Horizontal(classes="row", id="again-row"):
                    yield Label("Passphrase again")
                    yield Input(password=True, id="again", compact=True)
                yield Static("", id="passphrase-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._set_mode("loading")
        run_in_thread(self, _keyring_status, self.msptui.paths, done=self._show_status, failed=self._failed)

    # --- views ---------------------------------------------------------------------------

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self.query_one("#keyring-choices").display = mode == "choices"
        self.query_one("#keyring-passphrase").display = mode in ("create", "unlock")
        self.query_one("#again-row").display = mode == "create"
        self.refresh_bindings()

    def _show_status(self, status: Any) -> None:
        self.status = status
        self.busy = False
        self.query_one("#keyring-message", Static).update(status.message)
        self.query_one("#system-choice").display = status.system_available
        self.query_one("#keyring-move-note").display = status.choice is not None or status.state == "ready"
        self.query_one("#file-words", Static).update(
            f"Values encrypted in {status.encrypted_file}, opened by a passphrase you type once per session. "
            "If you lose the passphrase, the values are lost."
        )
        if status.state == "locked":
            self._ask_passphrase()
        else:
            self._set_mode("choices")
            self.query_one("#choose-file", Button).focus()

    def _ask_passphrase(self) -> None:
        exists = self.status.encrypted_file_exists
        self._set_mode("unlock" if exists else "create")
        intro = self.query_one("#passphrase-intro", Static)
        if exists:
            intro.update(f"Passphrase of the encrypted secrets file {self.status.encrypted_file}.")
        else:
            intro.update(
                f"A new encrypted file will be created at {self.status.encrypted_file}. Choose a passphrase "
                "(at least 8 characters; a few words are best) and type it twice. Nobody can recover it for you."
            )
        self.query_one("#passphrase-error", Static).update("")
        for field in self.query(Input):
            field.value = ""
        self.query_one("#passphrase", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            if self.mode != "choices":
                return False
            if parameters and parameters[0] == "system":
                return bool(self.status and self.status.system_available)
        if action == "back":
            return self.mode in ("create", "unlock")
        return True

    # --- choices -------------------------------------------------------------------------

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = {"choose-file": "file", "choose-system": "system", "choose-disabled": "disabled"}.get(event.button.id)
        if choice:
            self.action_choose(choice)

    def action_choose(self, choice: str) -> None:
        if self.busy or self.status is None:
            return
        paths = self.msptui.paths
        if choice == "file":
            self._ask_passphrase()
        elif choice == "system":
            self.busy = True
            run_in_thread(self, _choose_system, paths, done=self._finished, failed=self._failed)
        elif choice == "disabled":
            self.busy = True
            run_in_thread(self, _disable, paths, done=self._finished, failed=self._failed)

    def action_back(self) -> None:
        self._set_mode("choices")
        self.query_one("#choose-file", Button).focus()

    def action_cancel(self) -> None:
        self._forget_typed()
        self.dismiss(bool(self.status and self.status.state == "ready"))

    # --- the passphrase ------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.mode == "create" and event.input.id == "passphrase":
            self.query_one("#again", Input).focus()
            return
        self._submit_passphrase()

    def _submit_passphrase(self) -> None:
        if self.busy:
            return
        passphrase = self.query_one("#passphrase", Input).value
        paths = self.msptui.paths
        self._set_busy(True)
        self.query_one("#passphrase-error", Static).update(
            "Creating the encrypted file…" if self.mode == "create" else "Opening the encrypted file…"
        )
        if self.mode == "create":
            again = self.query_one("#again", Input).value
            run_in_thread(self, _create_file, paths, passphrase, again, done=self._finished, failed=self._failed)
        else:
            run_in_thread(self, _unlock_file, paths, passphrase, done=self._finished, failed=self._failed)

    def _set_busy(self, busy: bool) -> None:
        # Nothing typed while the file is opened (about a second) would be kept: refuse typing meanwhile.
        self.busy = busy
        for field in self.query(Input):
            field.disabled = busy

    def _finished(self, status: Any) -> None:
        self._set_busy(False)
        self._forget_typed()
        keyring_changed(self.app).publish(status)
        if status.state == "disabled":
            self.app.notify(status.message, title="Client secrets", timeout=6, markup=False)
        elif status.state == "ready":
            self.app.notify(f"Client secrets are kept in {status.backend}.", title="Keyring", timeout=6, markup=False)
        self.dismiss(status.state == "ready")

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        from msptui.store.schemas import FieldError

        if self.mode in ("create", "unlock"):
            error = self.query_one("#passphrase-error", Static)
            if isinstance(exc, FieldError):
                label = "Passphrase again" if exc.field == "again" else "Passphrase"
                error.update(f"{label} {exc.message}")
                self.query_one(f"#{exc.field}", Input).focus()
            else:
                error.update(str(exc))
                self.query_one("#passphrase", Input).value = ""
                self.query_one("#passphrase", Input).focus()
        else:
            self.query_one("#keyring-message", Static).update(str(exc))
            if self.mode == "loading":
                self._set_mode("choices")

    def _forget_typed(self) -> None:
        for field in self.query(Input):
            field.value = ""
