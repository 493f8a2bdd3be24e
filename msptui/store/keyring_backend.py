"""Which keyring holds client secrets, and talking to it in plain words.

The choice is saved in the config file (`msptui.config`, key "keyring_backend"):

- "system": the operating system's keyring (Secret Service, KWallet, macOS
  Keychain, Windows Credential Locker).
- "encrypted_file": a keyrings.cryptfile file (Argon2id + AES-GCM) in the data
  folder; its passphrase comes from the interface, once per session.
- "disabled": every secret operation is refused in plain words.

With nothing chosen yet, the system keyring is used when there is one; when
there is none the interface must ask (`status(...).state == NO_KEYRING`).

keyring's own auto-detection is never run: with keyrings.cryptfile installed it
picks the encrypted file and asks its passphrase with `getpass` on the raw
terminal, fighting Textual for the screen. Every backend here is built
explicitly and installed with `keyring.set_keyring`; calls go to the installed
backend only. Keyring calls are slow (about 0.5 s each for the encrypted file):
call this module from a worker thread, never from the UI thread.
"""

from __future__ import annotations

import configparser
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import keyring.core
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringLocked, NoKeyringError, PasswordDeleteError, PasswordSetError

from msptui import config
from msptui.core.i18n import _
from msptui.paths import Paths
from msptui.store.clients import RefusedError
from msptui.store.schemas import FieldError

if TYPE_CHECKING:
    # keyrings.cryptfile ships no type information: these are the parts of it msptui uses.
    class CryptFileKeyring(KeyringBackend):
        file_path: str
        _keyring_key: str | None

        def _check_file(self) -> bool: ...
        def _init_file(self) -> None: ...

    def escape_for_ini(value: str) -> str: ...

else:
    from keyrings.cryptfile.cryptfile import CryptFileKeyring
    from keyrings.cryptfile.escape import escape as escape_for_ini

SERVICE = "msptui"
ENCRYPTED_FILE_NAME = "secrets.cryptfile.cfg"
MIN_PASSPHRASE = 8

READY = "ready"  # secrets can be stored and read
DISABLED = "disabled"  # the user chose to keep no secret values
LOCKED = "locked"  # the encrypted file is chosen; its passphrase is needed (once per session)
NO_KEYRING = "no_keyring"  # no system keyring and nothing else chosen: ask the user


# --- errors, in words the technician can act on ----------------------------------


class KeyringProblem(RefusedError):
    """The keyring cannot do what was asked; the message says why and what to do."""


class NoKeyring(KeyringProblem):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "No keyring is available on this machine (no Secret Service is running), so client secrets"
                " cannot be stored or read. Open the keyring settings (Ctrl+K in a client's secrets, or"
                " 'Keyring settings' in the command palette) to use an encrypted file instead."
            )
        )


class LockedKeyring(KeyringProblem):
    pass


class WrongPassphrase(KeyringProblem):
    def __init__(self) -> None:
        super().__init__(_("Wrong passphrase for the encrypted secrets file. Try again (it is case-sensitive)."))


class SecretsDisabled(KeyringProblem):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Client secrets are disabled: values cannot be stored or read. Open the keyring settings"
                " (Ctrl+K in a client's secrets, or 'Keyring settings' in the command palette) to choose a keyring."
            )
        )


# --- the backends msptui builds itself ----------------------------------------------


class _Explicit:
    """Mixin for msptui's own backends: never viable for keyring's auto-detection."""

    def __init__(self) -> None:
        # keyring's KeyringBackend.__init__ is unannotated: this typed one passes on to it (next in the MRO).
        super().__init__()

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("msptui builds this keyring explicitly; it is never chosen automatically")  # i18n: not shown


class EncryptedFileKeyring(_Explicit, CryptFileKeyring):
    """keyrings.cryptfile's file, unlocked by `unlock`/`create` and never by `getpass`.

    Writes go through a temporary file and a rename (upstream rewrites the file
    in place, so a crash could lose every secret). Calls are serialised: two
    workers must not read-modify-write the file at the same time.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.file_path = str(path)
        self._io = threading.RLock()

    @property
    def keyring_key(self) -> str:
        if self._keyring_key is None:
            raise KeyringLocked("the encrypted secrets file is locked")  # i18n: not shown
        return self._keyring_key

    @property
    def unlocked(self) -> bool:
        return self._keyring_key is not None

    @property
    def path(self) -> Path:
        return Path(self.file_path)

    def _get_new_password(self) -> str:  # upstream asks on the terminal
        raise KeyringLocked("the encrypted secrets file needs a passphrase from the interface")  # i18n: not shown

    def _unlock(self) -> None:  # upstream asks on the terminal
        raise KeyringLocked("the encrypted secrets file is locked")  # i18n: not shown

    def unlock(self, passphrase: str) -> None:
        """Check `passphrase` against the existing file; `WrongPassphrase` if it does not open it."""
        with self._io:
            try:
                if not self._check_file():
                    raise KeyringProblem(
                        _("The encrypted secrets file {path} is missing or not a keyring file.").format(path=self.path)
                    )
            except ValueError as exc:  # another encryption scheme
                raise KeyringProblem(
                    _("The file {path} is not in a format msptui can open ({error}).").format(path=self.path, error=exc)
                ) from exc
            self._keyring_key = passphrase
            try:
                ok = self.get_password("keyring-setting", "password reference") == "password reference value"
            except ValueError:  # the authentication tag does not match: wrong passphrase
                ok = False
            if not ok:
                self._keyring_key = None
                raise WrongPassphrase()

    def create(self, passphrase: str) -> None:
        """Create a new file protected by `passphrase`; refused if the file already exists."""
        with self._io:
            if self.path.exists():
                raise KeyringProblem(
                    _("The encrypted secrets file {path} already exists: unlock it instead.").format(path=self.path)
                )
            self._keyring_key = passphrase
            try:
                self._init_file()
            except BaseException:
                self._keyring_key = None
                self.path.unlink(missing_ok=True)
                raise

    def get_password(self, service: str, username: str) -> str | None:
        with self._io:
            return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._io:
            super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        with self._io:
            self.keyring_key  # noqa: B018 (a locked file is not edited either)
            parser = self._read()
            try:
                removed = parser.remove_option(escape_for_ini(service), escape_for_ini(username))
            except configparser.NoSectionError:
                removed = False
            if not removed:
                raise PasswordDeleteError("Password not found")  # i18n: not shown
            self._save(parser)

    def _write_config_value(self, service: str, key: str, value: str) -> None:
        parser = self._read()
        section = escape_for_ini(service)
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, escape_for_ini(key), value)
        self._save(parser)

    def _read(self) -> configparser.RawConfigParser:
        parser = configparser.RawConfigParser()
        if os.path.exists(self.file_path):
            parser.read(self.file_path)
        return parser

    def _save(self, parser: configparser.RawConfigParser) -> None:
        config.write_private_file(self.path, parser.write)


class DisabledKeyring(_Explicit, KeyringBackend):
    """Installed when the user chose to keep no secrets: every call is refused in words."""

    def get_password(self, service: str, username: str) -> str | None:
        raise SecretsDisabled()

    def set_password(self, service: str, username: str, password: str) -> None:
        raise SecretsDisabled()

    def delete_password(self, service: str, username: str) -> None:
        raise SecretsDisabled()


class UnavailableKeyring(_Explicit, KeyringBackend):
    """Installed while no keyring is usable, so a stray call fails instead of auto-detecting."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__()
        self.message = message

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyring(self.message)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyring(self.message)

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyring(self.message)


_OURS = (EncryptedFileKeyring, DisabledKeyring, UnavailableKeyring)


# --- finding the system keyring without auto-detection ----------------------------------


def installed() -> KeyringBackend | None:
    """The backend installed with `keyring.set_keyring`, or None; never triggers auto-detection.

    keyring has no public way to ask this: `keyring.get_keyring()` runs the
    auto-detection (which would pick keyrings.cryptfile) when nothing is set.
    """
    return getattr(keyring.core, "_keyring_backend", None)


def is_system_keyring(backend: KeyringBackend) -> bool:
    """True for a keyring of the operating system (or any recommended non-file backend).

    Excluded: msptui's own backends, keyring's fail/null/chainer backends (the
    chainer would reach the encrypted file through its links) and file backends
    (keyrings.cryptfile, keyrings.alt), which are never chosen silently.
    """
    cls = type(backend)
    module = cls.__module__
    if isinstance(backend, _OURS):
        return False
    if module.startswith(("keyrings.cryptfile", "keyrings.alt", "keyring.backends.fail", "keyring.backends.null")):
        return False
    if module.startswith("keyring.backends.chainer"):
        return False
    try:
        return cls.priority >= 1
    except Exception:  # a backend that is not viable here says so by raising
        return False


def pick_system_keyring(candidates: list[KeyringBackend]) -> KeyringBackend | None:
    """The best system keyring among `candidates` (highest priority), or None."""
    usable = [b for b in candidates if is_system_keyring(b)]
    return max(usable, key=lambda b: type(b).priority, default=None)


@cache
def _detected() -> KeyringBackend | None:
    from keyring.backend import get_all_keyring

    # get_all_keyring only builds the backends (no call on them, so no getpass).
    return pick_system_keyring(get_all_keyring())


_replaced: KeyringBackend | None = None  # a backend set by someone else before msptui installed its own
_lock = threading.RLock()


def _system_candidate() -> KeyringBackend | None:
    current = installed()
    if current is not None and not isinstance(current, _OURS):
        # Chosen for this process by someone else (a test, a host program) or by our own detection:
        # honour it, usable or not, rather than guessing another one.
        return current if is_system_keyring(current) else None
    if _replaced is not None:
        return _replaced if is_system_keyring(_replaced) else None
    return _detected()


def _install(backend: KeyringBackend) -> None:
    global _replaced
    current = installed()
    if current is not None and current is not backend and not isinstance(current, _OURS):
        _replaced = current
    keyring.set_keyring(backend)


# --- what the interface asks -----------------------------------------------------------


def encrypted_file_path(paths: Paths) -> Path:
    return paths.data / ENCRYPTED_FILE_NAME


@dataclass(frozen=True)
class KeyringStatus:
    state: str  # READY, DISABLED, LOCKED or NO_KEYRING
    choice: str | None  # the saved choice, None when the user has not chosen yet
    backend: str  # what holds the secrets, in words ("" when nothing does)
    message: str  # one or two sentences for the interface
    system_available: bool
    encrypted_file: Path
    encrypted_file_exists: bool


def status(paths: Paths) -> KeyringStatus:
    """Install the backend the saved choice asks for (when it needs no passphrase) and say where things stand.

    Never prompts. With "encrypted_file" chosen and not yet unlocked in this
    session, the state is LOCKED and `unlock_encrypted_file` is needed.
    """
    with _lock:
        choice = config.keyring_choice(paths)
        file = encrypted_file_path(paths)
        system = _system_candidate()
        current = installed()

        def result(state: str, backend: str, message: str) -> KeyringStatus:
            return KeyringStatus(state, choice, backend, message, system is not None, file, file.exists())

        if choice == "disabled":
            if not isinstance(current, DisabledKeyring):
                _install(DisabledKeyring())
            return result(DISABLED, "", _("Client secrets are disabled: only labels are kept, no values."))
        if choice == "encrypted_file":
            where = _("the encrypted file {path}").format(path=file)
            if isinstance(current, EncryptedFileKeyring) and current.path == file and current.unlocked:
                return result(READY, where, _("Secrets are kept in the encrypted file {path}.").format(path=file))
            if not isinstance(current, EncryptedFileKeyring) or current.path != file:
                _install(EncryptedFileKeyring(file))
            if not file.exists():
                return result(
                    LOCKED,
                    where,
                    _(
                        "The encrypted secrets file {path} is missing: create a new one "
                        "(values kept in a lost file cannot be read back)."
                    ).format(path=file),
                )
            return result(
                LOCKED, where, _("The encrypted secrets file is locked: enter its passphrase (once per session).")
            )
        if system is not None:
            if current is not system:
                _install(system)
            name = _name(system)
            return result(
                READY,
                _("the system keyring ({name})").format(name=name),
                _("Secrets are kept in the system keyring ({name}).").format(name=name),
            )
        if current is None or isinstance(current, _OURS):
            _install(UnavailableKeyring())
        if choice == "system":
            message = _(
                "The system keyring was chosen but none is available now (no Secret Service is running). "
                "Choose an encrypted file or disable secrets."
            )
        else:
            message = _(
                "No system keyring was found on this machine (no Secret Service is running, as on a server "
                "or over SSH). msptui never keeps secret values in its database nor in plain text: choose "
                "an encrypted file protected by a passphrase, or disable secrets."
            )
        return result(NO_KEYRING, "", message)


def choose_system(paths: Paths) -> KeyringStatus:
    """Use the system keyring from now on (saved); `NoKeyring` when there is none."""
    with _lock:
        system = _system_candidate()
        if system is None:
            raise NoKeyring(_("No system keyring was found on this machine (no Secret Service is running)."))
        config.set_keyring_choice(paths, "system")
        _install(system)
        return status(paths)


def check_new_passphrase(passphrase: str, again: str) -> None:
    """The passphrase of a new encrypted file: long enough and typed twice the same."""
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise FieldError(
            "passphrase",
            _("must be at least {count} characters (a few words are best)").format(count=MIN_PASSPHRASE),
        )
    if passphrase != again:
        raise FieldError("again", _("does not match the passphrase typed above"))


def create_encrypted_file(paths: Paths, passphrase: str, again: str) -> KeyringStatus:
    """Create the encrypted file with this passphrase, choose it (saved) and keep it unlocked for the session."""
    check_new_passphrase(passphrase, again)
    with _lock:
        backend = EncryptedFileKeyring(encrypted_file_path(paths))
        with _plain_words():
            backend.create(passphrase)
        config.set_keyring_choice(paths, "encrypted_file")
        _install(backend)
        return status(paths)


def unlock_encrypted_file(paths: Paths, passphrase: str) -> KeyringStatus:
    """Open the existing encrypted file for this session and choose it (saved); `WrongPassphrase` otherwise."""
    if not passphrase:
        raise FieldError("passphrase", _("is required"))
    with _lock:
        backend = EncryptedFileKeyring(encrypted_file_path(paths))
        with _plain_words():
            backend.unlock(passphrase)
        if config.keyring_choice(paths) != "encrypted_file":
            config.set_keyring_choice(paths, "encrypted_file")
        _install(backend)
        return status(paths)


def disable_secrets(paths: Paths) -> KeyringStatus:
    """Keep no secret values from now on (saved); labels already stored stay."""
    with _lock:
        config.set_keyring_choice(paths, "disabled")
        _install(DisabledKeyring())
        return status(paths)


def _name(backend: KeyringBackend) -> str:
    # Not str(backend): it reads `priority`, which raises for non-viable backends.
    return getattr(type(backend), "name", type(backend).__name__)


# --- reading and writing values ----------------------------------------------------------


def _backend() -> KeyringBackend:
    backend = installed()
    if backend is None:
        # Never fall back to keyring.get_keyring(): it would auto-detect the encrypted file.
        raise NoKeyring(
            _(
                "The keyring is not set up yet. Open the keyring settings (Ctrl+K in a client's secrets,"
                " or 'Keyring settings' in the command palette)."
            )
        )
    return backend


@contextmanager
def _plain_words() -> Iterator[None]:
    """Turn whatever a keyring backend raises into a `KeyringProblem` the interface can show."""
    try:
        yield
    except KeyringProblem:
        raise
    except KeyringLocked as exc:
        if isinstance(installed(), EncryptedFileKeyring):
            raise LockedKeyring(
                _(
                    "The encrypted secrets file is locked: enter its passphrase. Open the keyring settings"
                    " (Ctrl+K in a client's secrets, or 'Keyring settings' in the command palette)."
                )
            ) from exc
        raise LockedKeyring(
            _("The system keyring is locked: unlock it (log in to your desktop session) and try again.")
        ) from exc
    except NoKeyringError as exc:
        raise NoKeyring() from exc
    except PasswordSetError as exc:
        raise KeyringProblem(_("The keyring refused to store the value ({error}).").format(error=exc)) from exc
    except OSError as exc:
        raise KeyringProblem(_("The keyring file cannot be used: {error}.").format(error=exc.strerror or exc)) from exc
    except Exception as exc:  # a third-party backend may raise anything; it is not a bug of ours
        raise KeyringProblem(_("The keyring failed: {error}.").format(error=exc or type(exc).__name__)) from exc


def read_value(key: str) -> str | None:
    """The value stored under `key` (service "msptui"), or None when the keyring has none."""
    backend = _backend()
    with _plain_words():
        return backend.get_password(SERVICE, key)


def store_value(key: str, value: str) -> None:
    """Store (or overwrite) the value under `key`."""
    backend = _backend()
    with _plain_words():
        backend.set_password(SERVICE, key, value)


def remove_value(key: str) -> bool:
    """Remove the value under `key`; False when it was already gone, `KeyringProblem` when refused."""
    backend = _backend()
    with _plain_words():
        try:
            backend.delete_password(SERVICE, key)
            return True
        except PasswordDeleteError:
            # Backends say "not found" and "refused" with the same error: look before deciding.
            if backend.get_password(SERVICE, key) is None:
                return False
            raise KeyringProblem(_("The keyring refused to delete the value.")) from None
