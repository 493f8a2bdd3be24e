"""Where secrets go: the system keyring, an encrypted file (passphrase asked in the interface), or nowhere.

This machine has no Secret Service, like the on-call servers msptui is used
on; the fail backend stands for that case. The encrypted file is the real
keyrings.cryptfile format (Argon2id), so each of its calls takes about half a second.
"""

from __future__ import annotations

import getpass
import json
import stat

import keyring
import pytest
from keyring.backends import chainer, fail
from keyrings.cryptfile.cryptfile import CryptFileKeyring
from keyrings.cryptfile.file import PlaintextKeyring
from textual.widgets import Input, Static

from msptui import config
from msptui.store import keyring_backend as kb
from msptui.store.schemas import FieldError
from msptui.store.secrets import SecretCreate, add_secret, list_secrets, reveal_secret
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.secrets.panel import KeyringSetupScreen
from tests.conftest import MemoryKeyring
from tests.pilot_helpers import settle
from tests.test_secrets import open_panel, value_cell

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def no_terminal_prompt(monkeypatch):
    """Any passphrase prompt on the raw terminal fails the test (it would fight Textual for the screen)."""

    def refuse(*_a, **_k):
        raise AssertionError("getpass was called: a passphrase was asked on the raw terminal")

    monkeypatch.setattr(getpass, "getpass", refuse)


@pytest.fixture
def no_secret_service():
    """The headless case: keyring falls back to its fail backend."""
    keyring.set_keyring(fail.Keyring())


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the settings file ----------------------------------------------------------------------


def test_settings_are_written_atomically_private_and_keep_unknown_keys(paths):
    assert config.keyring_choice(paths) is None
    paths.config_file.write_text(json.dumps({"theme": "dark"}))
    config.set_keyring_choice(paths, "encrypted_file")
    assert json.loads(paths.config_file.read_text()) == {"keyring_backend": "encrypted_file", "theme": "dark"}
    assert mode(paths.config_file) == 0o600
    assert [p.name for p in paths.config.iterdir()] == ["config.json"]  # no temporary file left


def test_a_damaged_settings_file_is_explained(paths):
    paths.config_file.write_text("{not json")
    with pytest.raises(config.ConfigError, match="is damaged .*delete it to start over"):
        config.keyring_choice(paths)


# --- finding a system keyring without waking up the encrypted file ---------------------------------


def test_file_backends_and_fallbacks_are_never_taken_for_a_system_keyring():
    memory = MemoryKeyring()
    candidates = [CryptFileKeyring(), PlaintextKeyring(), fail.Keyring(), chainer.ChainerBackend(), memory]
    assert kb.pick_system_keyring(candidates) is memory
    assert kb.pick_system_keyring(candidates[:-1]) is None


def test_msptui_backends_are_never_chosen_by_keyrings_own_detection():
    assert not kb.EncryptedFileKeyring.viable
    assert not kb.DisabledKeyring.viable
    assert not kb.UnavailableKeyring.viable


def test_with_a_system_keyring_it_is_used_without_asking(paths, memory_keyring):
    status = kb.status(paths)
    assert status.state == kb.READY and status.choice is None
    assert "system keyring" in status.backend and status.system_available
    assert kb.installed() is memory_keyring


def test_without_a_secret_service_the_status_says_so_in_plain_words(paths, no_secret_service):
    status = kb.status(paths)
    assert status.state == kb.NO_KEYRING and not status.system_available
    assert "No system keyring was found on this machine" in status.message
    with pytest.raises(kb.NoKeyring, match="No keyring is available"):
        kb.read_value("client-1/secret-x")


def test_nothing_installed_is_refused_rather_than_auto_detected(monkeypatch):
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    with pytest.raises(kb.NoKeyring, match="not set up yet"):
        kb.store_value("client-1/secret-x", "v")
    assert keyring.core._keyring_backend is None


# --- the encrypted file ----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_encrypted_file_is_created_with_a_passphrase_given_by_the_program(paths, no_secret_service):
    status = kb.create_encrypted_file(paths, PASSPHRASE, PASSPHRASE)
    assert status.state == kb.READY and config.keyring_choice(paths) == "encrypted_file"
    file = kb.encrypted_file_path(paths)
    assert file.parent == paths.data and mode(file) == 0o600
    kb.store_value("client-1/secret-a", "pa55-in-file")
    assert kb.read_value("client-1/secret-a") == "pa55-in-file"
    assert b"pa55-in-file" not in file.read_bytes()


def test_a_new_passphrase_is_typed_twice_and_long_enough(paths):
    with pytest.raises(FieldError) as short:
        kb.create_encrypted_file(paths, "short", "short")
    assert short.value.field == "passphrase" and "at least 8 characters" in short.value.message
    with pytest.raises(FieldError) as mismatch:
        kb.create_encrypted_file(paths, PASSPHRASE, PASSPHRASE + "!")
    assert mismatch.value.field == "again"
    assert not kb.encrypted_file_path(paths).exists() and config.keyring_choice(paths) is None


@pytest.mark.slow
def test_next_session_the_file_is_locked_until_its_passphrase_is_given(paths, no_secret_service):
    kb.create_encrypted_file(paths, PASSPHRASE, PASSPHRASE)
    kb.store_value("client-1/secret-a", "kept across sessions")
    keyring.set_keyring(fail.Keyring())  # a new session: nothing unlocked

    status = kb.status(paths)
    assert status.state == kb.LOCKED and status.encrypted_file_exists
    with pytest.raises(kb.LockedKeyring, match="locked: enter its passphrase"):
        kb.read_value("client-1/secret-a")

    with pytest.raises(kb.WrongPassphrase, match="Wrong passphrase"):
        kb.unlock_encrypted_file(paths, "not the passphrase")
    assert kb.status(paths).state == kb.LOCKED

    assert kb.unlock_encrypted_file(paths, PASSPHRASE).state == kb.READY
    assert kb.read_value("client-1/secret-a") == "kept across sessions"
    assert kb.status(paths).state == kb.READY  # once per session


def test_a_missing_encrypted_file_is_explained(paths, no_secret_service):
    config.set_keyring_choice(paths, "encrypted_file")
    status = kb.status(paths)
    assert status.state == kb.LOCKED and not status.encrypted_file_exists
    assert "is missing: create a new one" in status.message


def test_disabled_is_remembered_and_refuses_in_words(paths):
    kb.disable_secrets(paths)
    keyring.set_keyring(MemoryKeyring())  # a new session
    assert kb.status(paths).state == kb.DISABLED
    with pytest.raises(kb.SecretsDisabled):
        kb.store_value("client-1/secret-a", "v")


@pytest.mark.slow
def test_back_to_the_system_keyring_after_trying_the_file(paths, memory_keyring):
    kb.create_encrypted_file(paths, PASSPHRASE, PASSPHRASE)
    status = kb.choose_system(paths)
    assert status.state == kb.READY and status.choice == "system"
    assert kb.installed() is memory_keyring


def test_choosing_the_system_keyring_where_there_is_none_is_refused(paths, no_secret_service):
    with pytest.raises(kb.NoKeyring, match="No system keyring was found"):
        kb.choose_system(paths)
    assert config.keyring_choice(paths) is None


# --- in the interface ------------------------------------------------------------------------------


def keyring_line(app) -> str:
    return str(app.screen.query_one("#secrets-keyring", Static).render())


async def test_fail_backend_the_panel_says_so_and_nothing_crashes(paths, clock, sample, engine, no_secret_service):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        assert "No system keyring was found on this machine" in keyring_line(app)
        for key in ("v", "p", "r", "x"):  # nothing selected: plain words, no crash
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, KeyringSetupScreen)
        message = str(app.screen.query_one("#keyring-message", Static).render())
        assert "No system keyring was found on this machine" in message
        assert not app.screen.query_one("#system-choice").display
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPane"
    assert list_secrets(engine, sample["BOUL"]) == []


async def test_headless_first_secret_via_the_encrypted_file(paths, clock, sample, engine, no_secret_service):
    """The tmux walk-through as a test: message, choose the file, passphrase twice, store, copy."""
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#again-row").display
        await pilot.press(*"short", "enter", *"short", "enter")
        await settle(pilot)
        assert "at least 8 characters" in str(app.screen.query_one("#passphrase-error").render())
        app.screen.query_one("#passphrase", Input).value = ""
        app.screen.query_one("#again", Input).value = ""
        app.screen.query_one("#passphrase", Input).focus()
        await pilot.press(*PASSPHRASE, "enter", *PASSPHRASE, "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"  # straight on to the secret
        await pilot.press(*"Caisse admin")
        app.screen.query_one("#field-value", Input).focus()
        await pilot.press(*"b0ul-caisse", "enter")
        await settle(pilot)
        assert "the encrypted file" in keyring_line(app)
        await pilot.press("p")
        await settle(pilot)
        assert app.clipboard == "b0ul-caisse"
    assert config.keyring_choice(paths) == "encrypted_file"
    (secret,) = list_secrets(engine, sample["BOUL"])
    assert reveal_secret(engine, secret.id) == "b0ul-caisse"


async def test_the_passphrase_is_asked_once_per_session(paths, clock, sample, engine, no_secret_service):
    kb.create_encrypted_file(paths, PASSPHRASE, PASSPHRASE)
    add_secret(engine, sample["BOUL"], SecretCreate(label="Caisse admin"), "b0ul-caisse", clock.now())
    keyring.set_keyring(fail.Keyring())  # a new session
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        assert "locked" in keyring_line(app)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, KeyringSetupScreen) and not app.screen.query_one("#again-row").display
        await pilot.press(*"wrong passphrase", "enter")
        await settle(pilot)
        assert "Wrong passphrase" in str(app.screen.query_one("#passphrase-error").render())
        assert app.screen.query_one("#passphrase", Input).value == ""
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert value_cell(app) == "b0ul-caisse"
        await pilot.press("v", "p")  # hide, then copy: no second question
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPane"
        assert app.clipboard == "b0ul-caisse"


async def test_disabling_secrets_from_the_settings(paths, clock, sample, engine, no_secret_service):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("ctrl+k")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Client secrets are disabled" in keyring_line(app)
        await pilot.press("s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPane"  # refused in a notification, no form
        assert any("disabled" in n.message for n in app._notifications)
    assert config.keyring_choice(paths) == "disabled"


async def test_keyring_settings_are_in_the_command_palette(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_section("Keyring settings")
        await settle(pilot)
        assert isinstance(app.screen, KeyringSetupScreen)
        assert "system keyring" in str(app.screen.query_one("#keyring-message", Static).render())


@pytest.mark.slow
def test_the_secrets_screens_and_palette_leave_keyring_and_the_database_for_later():
    import subprocess
    import sys

    code = "import sys, msptui.ui.screens.secrets.panel, msptui.ui.commands; print(' '.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert {m.split(".")[0] for m in loaded} & {"keyring", "keyrings", "sqlalchemy", "sqlmodel", "pydantic"} == set()
