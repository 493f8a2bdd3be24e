"""Canary: a secret value, once typed into msptui, is found in no file msptui writes.

The value goes through every path a technician uses (typed in the form,
revealed, copied, replaced, exported, handed over, backed up) and then the
bytes of the database, its WAL, the logs, the exports (zip members read
inside), the backups, the settings, the encrypted keyring file and the
snapshot folder are searched for it.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import keyring
from keyring.backends import fail
from textual.widgets import Input

from msptui.store import keyring_backend as kb
from msptui.store.secrets import SecretCreate, add_secret, list_secrets, reveal_secret
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_secrets import open_panel, value_cell

SNAPSHOTS = Path(__file__).parent / "__snapshots__"


def canary() -> str:
    return f"canary-{uuid.uuid4().hex}"


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in sorted(folder.rglob("*")) if p.is_file()]


def holders_of(value: str, files: list[Path]) -> list[str]:
    """Every file (or zip member) whose bytes contain `value`, in UTF-8 or UTF-16."""
    needles = [value.encode("utf-8"), value.encode("utf-16-le")]
    found = []
    for path in files:
        data = path.read_bytes()
        if any(n in data for n in needles):
            found.append(str(path))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                found += [f"{path}!{m}" for m in z.namelist() if any(n in z.read(m) for n in needles)]
    return found


def run_every_export(engine, paths, clock, client_id: int) -> list[Path]:
    """Whatever exports msptui has: the JSON export, the conflicts register, a handover pack, a backup."""
    from msptui.store.files.backups import backup
    from msptui.store.files.engagement_exports import export_conflicts
    from msptui.store.files.handover import write_handover_pack
    from msptui.store.files.transfer import export_json

    written = [paths.exports / "export.json"]
    written[0].write_text(export_json(engine, clock.now()), encoding="utf-8")
    written += export_conflicts(engine, paths.exports, clock.now())
    written.append(write_handover_pack(engine, paths.exports, client_id, clock.now()).zip)
    written.append(backup(paths, now=clock.now()))
    return written


async def test_a_typed_secret_is_never_written_anywhere_in_clear(paths, clock, sample, engine):
    keyring.set_keyring(fail.Keyring())  # this machine: no Secret Service, so the encrypted file
    passphrase = canary()
    typed, replaced = canary(), canary()
    stored_directly = canary()
    kb.create_encrypted_file(paths, passphrase, passphrase)
    add_secret(
        engine, sample["DENT"], SecretCreate(label="Imaging server", username="radio"), stored_directly, clock.now()
    )

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"Caisse admin")
        app.screen.query_one("#field-value", Input).focus()
        await pilot.press(*typed, "enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert value_cell(app) == typed
        await pilot.press("v", "p")
        await settle(pilot)
        assert app.clipboard == typed
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*replaced, "enter")
        await settle(pilot)

    (secret,) = list_secrets(engine, sample["BOUL"])
    assert reveal_secret(engine, secret.id) == replaced  # the canaries really went through msptui

    exports = run_every_export(engine, paths, clock, sample["DENT"]) + run_every_export(
        engine, paths, clock, sample["BOUL"]
    )
    assert all(p.exists() for p in exports)
    assert paths.database.with_name(paths.database.name + "-wal").exists()

    everything = files_under(paths.data, paths.config, paths.logs, paths.exports, paths.backups, SNAPSHOTS)
    assert kb.encrypted_file_path(paths) in everything and paths.database in everything
    for value in (typed, replaced, stored_directly, passphrase):
        assert holders_of(value, everything) == []

    engine.dispose()  # the WAL folded into the database file: still nowhere
    for value in (typed, replaced, stored_directly, passphrase):
        assert holders_of(value, files_under(paths.data)) == []


def test_the_search_would_find_a_value_that_leaked(tmp_path):
    """The canary's own check: a value in a file or a zip member is found."""
    value = canary()
    (tmp_path / "plain.txt").write_text(f"x {value} y")
    with zipfile.ZipFile(tmp_path / "pack.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inside.json", value * 3)
    found = holders_of(value, files_under(tmp_path))
    assert found == [str(tmp_path / "pack.zip") + "!inside.json", str(tmp_path / "plain.txt")]
