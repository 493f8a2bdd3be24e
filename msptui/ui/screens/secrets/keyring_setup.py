"""Where client secrets are kept: the system keyring, an encrypted file, or nowhere.

`KeyringSetupScreen` explains where secrets go and asks for the encrypted
file's passphrase in a password field (never on the terminal itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.secrets.common import keyring_changed, keyring_status, run_in_thread
from msptui.ui.widgets.footer import KeysFooter
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from msptui.ui.app import MsptuiApp


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
        Binding("e", "choose('file')", N_("Encrypted file"), id="keyring.file"),
        Binding("s", "choose('system')", N_("System keyring"), id="keyring.system"),
        Binding("d", "choose('disabled')", N_("Disable secrets"), id="keyring.disable"),
        Binding("ctrl+b", "back", N_("Other choices"), id="keyring.back"),
        Binding("escape", "cancel", N_("Not now"), id="keyring.cancel"),
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
            yield Static(_("Where client secrets are kept"), id="keyring-title")
            yield Static(_("Checking the keyring…"), id="keyring-message", markup=False)
            with Vertical(id="keyring-choices"):
                with Horizontal(classes="choice"):
                    yield Button(_("Encrypted file (e)"), id="choose-file", variant="primary")
                    yield Static("", id="file-words", markup=False)
                with Horizontal(classes="choice", id="system-choice"):
                    yield Button(_("System keyring (s)"), id="choose-system")
                    yield Static(_("The operating system's keyring (Secret Service, Keychain, Credential Locker)."))
                with Horizontal(classes="choice"):
                    yield Button(_("Disable secrets (d)"), id="choose-disabled")
                    yield Static(_("Keep labels only; no value can be stored or revealed. You can change this later."))
                yield Static(
                    _(
                        "Changing does not move values already stored: they stay where they are, "
                        "and are there again if you change back."
                    ),
                    id="keyring-move-note",
                )
            with Vertical(id="keyring-passphrase"):
                yield Static("", id="passphrase-intro", markup=False)
                with Horizontal(classes="row"):
                    yield Label(_("Passphrase"))
                    yield Input(password=True, id="passphrase", compact=True)
                with Horizontal(classes="row", id="again-row"):
                    yield Label(_("Passphrase again"))
                    yield Input(password=True, id="again", compact=True)
                yield Static("", id="passphrase-error", markup=False)
        # The footer that translates its keys and fits them to the width (a modal is no MsptuiScreen).
        yield KeysFooter()

    def on_mount(self) -> None:
        self._set_mode("loading")
        run_in_thread(self, keyring_status, self.msptui.paths, done=self._show_status, failed=self._failed)

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
            _(
                "Values encrypted in {file}, opened by a passphrase you type once per session. "
                "If you lose the passphrase, the values are lost."
            ).format(file=status.encrypted_file)
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
            intro.update(_("Passphrase of the encrypted secrets file {file}.").format(file=self.status.encrypted_file))
        else:
            intro.update(
                _(
                    "A new encrypted file will be created at {file}. Choose a passphrase "
                    "(at least 8 characters; a few words are best) and type it twice. Nobody can recover it for you."
                ).format(file=self.status.encrypted_file)
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
            _("Creating the encrypted file…") if self.mode == "create" else _("Opening the encrypted file…")
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
            self.app.notify(status.message, title=_("Client secrets"), timeout=6, markup=False)
        elif status.state == "ready":
            self.app.notify(
                _("Client secrets are kept in {backend}.").format(backend=status.backend),
                title=_("Keyring"),
                timeout=6,
                markup=False,
            )
        self.dismiss(status.state == "ready")

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        from msptui.store.schemas import FieldError

        if self.mode in ("create", "unlock"):
            error = self.query_one("#passphrase-error", Static)
            if isinstance(exc, FieldError):
                label = _("Passphrase again") if exc.field == "again" else _("Passphrase")
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
