"""What the secrets panel, the keyring settings and the command palette share:
keyring work in threads, refusals in words, and "make sure the keyring is usable first".

Keyring calls take up to a second (the encrypted file derives its key on each
call), so every one runs in a thread; keyring and SQLAlchemy are imported only
there, never on the path to the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from msptui.core.i18n import _
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from textual.signal import Signal

    from msptui.store.keyring_backend import KeyringStatus
    from msptui.ui.app import MsptuiApp


def keyring_status(paths):  # noqa: ANN001, ANN202
    from msptui.store.keyring_backend import status

    return status(paths)


def reveal_value(engine, secret_id: int) -> str:  # noqa: ANN001
    from msptui.store.secrets import reveal_secret

    return reveal_secret(engine, secret_id)


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


def say(app: Any, exc: Exception | str, title: str | None = None) -> None:
    """A refusal in plain words (never parsed as markup: labels may hold a '['); titled "Client secrets"."""
    app.notify(str(exc), title=title or _("Client secrets"), severity="warning", timeout=10, markup=False)


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
            say(app, status.message + " " + _("Ctrl+K opens the keyring settings."))
        else:
            from msptui.ui.screens.secrets.keyring_setup import KeyringSetupScreen

            app.push_screen(KeyringSetupScreen(), lambda ready: then() if ready else None)

    run_in_thread(node, keyring_status, app.paths, done=checked, failed=lambda exc: say(app, exc))


def copy_secret(app: Any, secret_id: int, label: str, client_name: str = "") -> None:
    """Read a secret's value from the keyring (in a thread) and put it on the clipboard."""

    def copied(value: str) -> None:
        app.copy_to_clipboard(value)
        if client_name:
            words = _(
                "Copied the password of '{label}' ({client}). It stays on the clipboard until you copy something else."
            ).format(label=label, client=client_name)
        else:
            words = _(
                "Copied the password of '{label}'. It stays on the clipboard until you copy something else."
            ).format(label=label)
        app.notify(
            words,
            title=_("Copied"),
            timeout=6,
            markup=False,
        )

    with_keyring(app, lambda: app.call_store(reveal_value, secret_id, done=copied, failed=lambda exc: say(app, exc)))
