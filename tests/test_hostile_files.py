"""Hostile files and folders (issue 13): what the command line or an import is given
may not destroy data, crash msptui or leave anything behind.

The attacks go through the real command line in a subprocess, on a real data folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.pilot_helpers import settle

CLI = [sys.executable, "-m", "msptui"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSPTUI_")}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file below `folder` with a hash of its bytes; SQLite's shared-memory
    index and an empty write-ahead log are left out: any reader of a WAL database
    makes them, and they hold no data."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


def one_plain_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("msptui: "), result.stderr
    for word in words:
        assert word in lines[0]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "demo"
    assert run("demo", "--data-dir", str(folder)).returncode == 0
    return folder


@pytest.fixture
def demo(demo_folder, tmp_path) -> Path:
    """A fresh copy of the demo folder for each test (the sample data is slow to make)."""
    import shutil

    copy = tmp_path / "demo"
    shutil.copytree(demo_folder, copy)
    return copy


# --- 1. export never writes over what it must keep -----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("target", ["msptui.sqlite3", "msptui.sqlite3-wal", "backups/old.json"])
def test_export_refuses_the_database_its_companions_and_the_backups(demo, target):
    (demo / "backups").mkdir(exist_ok=True)
    before = fingerprint(demo)
    result = run("export", "--data-dir", str(demo), "--output", str(demo / target), "--force")
    one_plain_line(result, "never")
    assert fingerprint(demo) == before


@pytest.mark.slow
def test_export_refuses_a_device_even_with_force(demo):
    one_plain_line(run("export", "--data-dir", str(demo), "--output", "/dev/null", "--force"), "not a regular file")


@pytest.mark.slow
def test_export_refuses_an_existing_file_unless_forced_and_leaves_no_partial_file(demo, tmp_path):
    out = tmp_path / "out" / "export.json"
    assert run("export", "--data-dir", str(demo), "--output", str(out)).returncode == 0
    first = out.read_bytes()
    out.write_text("my own notes")
    one_plain_line(run("export", "--data-dir", str(demo), "--output", str(out)), "already exists", "--force")
    assert out.read_text() == "my own notes"
    assert run("export", "--data-dir", str(demo), "--output", str(out), "--force").returncode == 0
    assert json.loads(out.read_bytes())["tables"] == json.loads(first)["tables"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.json"]


# --- 5. files that are not what they claim: one plain line, exit 1 ---------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("command", ["export", "import", "demo"])
def test_a_database_of_random_bytes_is_named_not_a_traceback(tmp_path, command):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "msptui.sqlite3").write_bytes(os.urandom(8192))
    export = tmp_path / "e.json"
    export.write_text('{"format": "msptui-export", "format_version": 1, "tables": {}}')
    args = {"export": ["export"], "import": ["import", str(export)], "demo": ["demo"]}[command]
    before = fingerprint(folder)
    one_plain_line(run(*args, "--data-dir", str(folder)), "not an msptui database")
    assert fingerprint(folder) == before


@pytest.mark.slow
def test_a_database_from_a_newer_msptui_is_named_and_no_copy_is_made_per_attempt(demo):
    import sqlite3

    con = sqlite3.connect(demo / "msptui.sqlite3")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = fingerprint(demo)
    for _ in range(2):
        one_plain_line(run("export", "--data-dir", str(demo)), "newer msptui", "9999")
    assert fingerprint(demo) == before


@pytest.mark.slow
@pytest.mark.parametrize(
    "content, words",
    [
        (
            '{"format": "msptui-export", "format_version": 1, "tables": {"client": [{"name": '
            + "[" * 100_000
            + "]" * 100_000
            + "}]}}",
            "too deeply",
        ),
        (None, "too large"),  # an id of 10**30, filled in below
    ],
    ids=["deep-nesting", "huge-id"],
)
def test_a_hostile_import_is_refused_and_leaves_no_folder_behind(demo, tmp_path, content, words):
    if content is None:
        out = tmp_path / "e.json"
        assert run("export", "--data-dir", str(demo), "--output", str(out)).returncode == 0
        data = json.loads(out.read_text())
        data["tables"]["client"][0]["id"] = 10**30
        content = json.dumps(data)
    hostile = tmp_path / "hostile.json"
    hostile.write_text(content)
    target = tmp_path / "new-folder"
    one_plain_line(run("import", "--data-dir", str(target), str(hostile)), words)
    assert not target.exists()


def test_an_endless_file_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    from msptui import cli

    monkeypatch.setattr(cli, "IMPORT_LIMIT", 1024)  # /dev/zero would be read up to the real limit
    target = tmp_path / "new-folder"
    assert cli.main(["import", "--data-dir", str(target), "/dev/zero"]) == 1
    assert not target.exists()


# --- 8. two backups in the same second ---------------------------------------------------------------


def test_two_backups_in_the_same_second_both_land(paths, store, sample, clock):
    from msptui.store.files.backups import backup, list_backups

    made, errors = [], []

    def take() -> None:
        try:
            made.append(backup(paths, now=clock.now()))
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(made)) == 4 and {b.path for b in list_backups(paths)} >= set(made)
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in made)
    assert not [p for p in paths.backups.iterdir() if p.name.endswith(".partial")]


@pytest.mark.slow
def test_a_backup_into_a_missing_folder_is_refused(demo, tmp_path):
    result = run("backup", "--data-dir", str(demo), str(tmp_path / "nowhere" / "x.sqlite3"))
    one_plain_line(result, "no folder")
    assert not (tmp_path / "nowhere").exists()


# --- 9. the lock file ------------------------------------------------------------------------------------


def test_a_folder_named_like_the_lock_is_explained_not_a_crash(paths, store, sample):
    from msptui.store.files.in_use import LOCK_NAME, FolderBusy, hold_in_use

    (paths.data / LOCK_NAME).mkdir()
    with pytest.raises(FolderBusy, match="is a folder"):
        hold_in_use(paths)


async def test_the_app_says_so_when_the_lock_is_a_folder(paths, clock):
    from msptui.store.files.in_use import LOCK_NAME
    from msptui.ui.app import MsptuiApp

    paths.ensure()
    (paths.data / LOCK_NAME).mkdir()
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.store is None
        assert "is a folder" in (app.store_error or "")


def test_an_app_started_during_a_restore_refuses_rather_than_read_the_file(paths, store, sample):
    from msptui.store.files.backups import _sole_user
    from msptui.store.files.in_use import FolderBusy, hold_in_use

    store.dispose()
    with _sole_user(paths):  # what a restore holds while it replaces the file
        with pytest.raises(FolderBusy, match="A restore is running"):
            hold_in_use(paths, wait=0)
    hold_in_use(paths, wait=0).release()  # once it has finished, the app opens


# --- 10. a new secret value and a failed commit ---------------------------------------------------------


def test_when_the_commit_fails_after_the_keyring_took_the_new_value_the_old_one_is_put_back(
    engine, sample, clock, memory_keyring
):
    from datetime import timedelta

    from msptui.store.keyring_backend import SERVICE
    from msptui.store.secrets import SecretCreate, add_secret, replace_secret_value

    secret_id = add_secret(engine, sample["BOUL"], SecretCreate(label="Wi-Fi admin"), "old value", clock.now())
    # A real failure at COMMIT: a deferred foreign key that only SQLite's commit checks.
    with engine.begin() as conn:
        conn.execute(
            text("CREATE TABLE audit_probe (client_id INTEGER REFERENCES client(id) DEFERRABLE INITIALLY DEFERRED)")
        )
        conn.execute(text("CREATE TRIGGER probe AFTER UPDATE ON secret BEGIN INSERT INTO audit_probe VALUES (-1); END"))
    with pytest.raises(Exception, match="FOREIGN KEY"):
        replace_secret_value(engine, secret_id, "new value", clock.now() + timedelta(hours=1))
    assert [v for (service, _), v in memory_keyring.values.items() if service == SERVICE] == ["old value"]


# --- 11. a time zone setting that names no zone ------------------------------------------------------------


async def test_a_bad_msptui_tz_is_said_once_and_the_board_still_shows(paths, clock, sample, monkeypatch):
    from msptui.ui.app import MsptuiApp

    monkeypatch.setenv("MSPTUI_TZ", "Mars/Olympus")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if "MSPTUI_TZ" in n.message]
        assert len(said) == 1 and "'Mars/Olympus' is not a time zone" in said[0]
        assert app.screen.table.row_count > 0


def test_a_restore_refuses_a_look_alike_database(paths, store, sample, clock, tmp_path):
    import sqlite3

    from msptui.store.files.backups import BackupError, backup, restore

    copy = backup(paths, tmp_path / "look-alike.sqlite3", now=clock.now())
    con = sqlite3.connect(copy)
    con.execute("ALTER TABLE client RENAME COLUMN name TO nom")
    con.commit()
    con.close()
    store.dispose()
    before = fingerprint(paths.data)
    with pytest.raises(BackupError, match="table client lacks name"):
        restore(paths, copy, now=clock.now())
    assert fingerprint(paths.data) == before


# --- 3. a crash never shows a secret ------------------------------------------------------------------------


async def test_a_crash_while_adding_a_secret_shows_and_keeps_no_value_and_exits_non_zero(paths, clock, sample, engine):
    from textual.worker import WorkerFailed

    from msptui.ui.app import MsptuiApp
    from tests.test_secrets import open_panel

    canary = "c4nary-Pa55-" + "z" * 8
    # An unexpected failure: the database aborts the insert (not a refusal the app knows).
    with engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER boom BEFORE INSERT ON secret BEGIN SELECT RAISE(FAIL, 'boom'); END"))
    app = MsptuiApp(paths, clock)
    with pytest.raises(WorkerFailed):
        async with app.run_test(size=(120, 40)) as pilot:
            await open_panel(app, pilot, sample["DENT"])
            await pilot.press("s")
            await settle(pilot)
            await pilot.press(*"Imaging server", "enter", "enter", "enter", "tab", *canary, "enter")
            await settle(pilot)
            shown = "\n".join(str(r) for r in app._exit_renderables)
    assert app.return_code == 1
    assert canary not in shown
    assert "unexpected error" in shown and "crash" in shown
    (report,) = (paths.data / "crash").iterdir()
    assert canary not in report.read_text() and "secrets.py" in report.read_text()
    assert oct(report.stat().st_mode & 0o777) == "0o600"


# --- 2 and 4. rows the interface would refuse ---------------------------------------------------------------


def _mutated_export(engine, clock, table: str, change: dict) -> str:
    from msptui.store.files.transfer import export_data

    data = export_data(engine, clock.now())
    data["tables"][table][0].update(change)
    return json.dumps(data)


@pytest.mark.parametrize(
    "table, change, words",
    [
        ("contract", {"timezone": "Mars/Olympus"}, "contract row 1"),
        ("contract", {"business_hours": {"0": [["25:99", "18:00"]]}}, "business_hours"),
        ("client", {"code": "../../../../../tmp/x/PACK"}, "client row 1"),
        ("client", {"name": ""}, "name"),
    ],
    ids=["time-zone", "hours", "code-path", "empty-name"],
)
def test_an_import_refuses_what_the_interface_would_refuse_and_writes_nothing(
    engine, sample, clock, tmp_path, table, change, words
):
    from msptui.paths import resolve
    from msptui.store.clients import RefusedError
    from msptui.store.files.transfer import import_data
    from msptui.store.open import open_store

    text_ = _mutated_export(engine, clock, table, change)
    target = open_store(resolve(tmp_path / "target").ensure())
    try:
        with pytest.raises(RefusedError, match="the interface would refuse") as refused:
            import_data(target.engine, text_)
        assert words in str(refused.value) and "Nothing was imported" in str(refused.value)
        with target.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM client")).scalar() == 0
    finally:
        target.dispose()


def test_an_import_with_a_note_number_that_is_a_path_is_refused(engine, sample, clock, tmp_path):
    from msptui.store.clients import RefusedError
    from msptui.store.files.import_checks import check_rows

    with pytest.raises(RefusedError, match="delivery_note row 1"):
        check_rows({"delivery_note": [{"id": 1, "number": "../../../../../tmp/x/NOTE"}]})
    check_rows({"delivery_note": [{"id": 1, "number": "BL-2026-0001"}]})  # a real number goes through


# --- 2. a row that is invalid anyway: the app survives and lets the user fix it ----------------------------


async def test_a_contract_calendar_that_is_invalid_in_the_file_is_marked_on_the_board_and_can_be_fixed(
    paths, clock, sample, engine
):
    from sqlalchemy import select
    from textual.widgets import Input

    from msptui.store import db
    from msptui.store.models import Contract, Ticket
    from msptui.ui.app import MsptuiApp
    from msptui.ui.screens.contracts.view import ContractScreen

    with db.read(engine) as s:
        ticket = s.scalars(select(Ticket).where(Ticket.contract_id.is_not(None))).first()
        contract_id = ticket.contract_id
        others = s.scalars(select(Ticket.id).where(Ticket.contract_id != contract_id)).all()
    with engine.begin() as conn:  # as an edited restore would leave it
        conn.execute(text("UPDATE contract SET timezone = 'Mars/Olympus' WHERE id = :id"), {"id": contract_id})
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = app.screen
        assert board.table.get_cell(str(ticket.id), "response").plain == "calendar?"
        assert any(board.table.get_cell(str(t), "resolution").plain not in ("calendar?",) for t in others)
        board.table.move_cursor(row=board.table.get_row_index(str(ticket.id)))
        await pilot.pause()
        assert "contract calendar invalid: unknown time zone 'Mars/Olympus'" in str(
            board.query_one("#board-detail").render()
        )
        app.push_screen(ContractScreen(contract_id))
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-timezone", Input).value = "Europe/Paris"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractScreen)
    with db.read(engine) as s:
        assert s.get(Contract, contract_id).timezone == "Europe/Paris"


# --- 7. Markdown exports keep user text as text --------------------------------------------------------------


HOSTILE_TEXT = "Bureau <img src=x onerror=alert(1)> [site](javascript:alert(1)) \u202egnp.exe\x00 fin"


def test_the_conflicts_register_keeps_html_links_and_hidden_characters_from_running(engine, paths, sample, clock):
    from msptui.store.conflicts import register_conflict
    from msptui.store.files.engagement_exports import export_conflicts
    from msptui.store.schemas.engagements import ConflictCreate

    conflict_id = register_conflict(
        engine, ConflictCreate(client_id=sample["BOUL"], kind="other", description="x"), clock.now()
    )
    with (
        engine.begin() as conn
    ):  # as an older file or an edited restore may hold it: the form refuses control characters
        conn.execute(
            text("UPDATE conflict_disclosure SET description = :d WHERE id = :id"),
            {"d": HOSTILE_TEXT, "id": conflict_id},
        )
    md_path, _csv = export_conflicts(engine, paths.exports, clock.now())
    markdown = md_path.read_text(encoding="utf-8")
    import re

    assert not re.search(r"(?<!\\)<img", markdown) and not re.search(r"(?<!\\)\]\(javascript", markdown)
    assert "\\<img src=x onerror=alert(1)\\>" in markdown and "\\[site\\](javascript:alert(1))" in markdown
    assert "\x00" not in markdown and "\u202e" not in markdown and "gnp.exe fin" in markdown


# --- 4 and 6. names built from data, and the modes of what is written -----------------------------------------


def test_a_note_number_or_client_code_that_is_a_path_writes_inside_the_exports_folder_only(
    engine, paths, sample, clock, tmp_path
):
    from msptui.store.files.delivery_note import note_files
    from msptui.store.files.handover import write_handover_pack

    for path in note_files(paths.exports, "../../../../../tmp/x/NOTE"):
        assert (
            path.parent == paths.exports / "delivery-notes" and "/" not in path.name and not path.name.startswith(".")
        )
    with engine.begin() as conn:  # as an older import or an edited restore could leave it
        conn.execute(
            text("UPDATE client SET code = :c WHERE id = :id"),
            {"c": f"../../../../..{tmp_path}/PACK", "id": sample["BOUL"]},
        )
    pack = write_handover_pack(engine, paths.exports, sample["BOUL"], clock.now())
    assert pack.folder.parent == paths.exports / "handover" and pack.zip.parent == paths.exports / "handover"
    assert not list(tmp_path.glob("PACK*"))


def test_handover_packs_and_delivery_notes_are_0600_in_0700_folders(engine, paths, sample, clock):
    from msptui.store import deliveries as d
    from msptui.store.files.delivery_note import export_note
    from msptui.store.files.handover import write_handover_pack
    from tests.delivery_fixtures import fill_checklist, make_engagement

    delivery = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())
    fill_checklist(engine, delivery, clock.now())
    export_note(engine, paths.exports, delivery)
    write_handover_pack(engine, paths.exports, sample["BOUL"], clock.now())
    written = [p for p in paths.exports.rglob("*")]
    assert written
    for p in written:
        assert oct(p.stat().st_mode & 0o777) == ("0o700" if p.is_dir() else "0o600"), p


def test_a_10000_character_item_from_an_older_file_still_prints_and_says_where_the_rest_is(
    engine, paths, sample, clock
):
    from pypdf import PdfReader

    from msptui.store import deliveries as d
    from msptui.store.files.delivery_note import export_note
    from msptui.store.schemas.deliveries import ItemCreate
    from tests.delivery_fixtures import fill_checklist, make_engagement

    with engine.begin() as conn:  # an English note (a French address gives a French one: test_documents_french.py)
        conn.execute(text("UPDATE client SET language = 'en' WHERE id = :id"), {"id": sample["BOUL"]})
    delivery = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())
    item = d.add_item(engine, delivery, ItemCreate(description="x"))
    with engine.begin() as conn:  # the form refuses it; an older import did not
        conn.execute(text("UPDATE delivery_item SET description = :d WHERE id = :id"), {"d": "A" * 10_000, "id": item})
    fill_checklist(engine, delivery, clock.now())
    files = export_note(engine, paths.exports, delivery)
    assert "A" * 10_000 in files.markdown.read_text(encoding="utf-8")
    pdf = " ".join("\n".join(p.extract_text() for p in PdfReader(files.pdf).pages).split())
    assert "more characters: see the Markdown note" in pdf


# --- 6. a mode the user chose is kept, and said ------------------------------------------------------------


async def test_a_database_shared_on_purpose_keeps_its_mode_and_the_app_says_so(paths, store, sample, clock):
    from msptui.ui.app import MsptuiApp

    store.dispose()
    paths.database.chmod(0o640)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if "can be read by other users" in n.message]
        assert len(said) == 1 and "chmod 600" in said[0]
    assert oct(paths.database.stat().st_mode & 0o777) == "0o640"


def test_the_holiday_cache_folder_of_an_older_version_is_made_private(paths):
    from msptui.store import calendars

    cache = paths.data / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o755)
    calendars.use_holiday_file(cache / "holidays.json")  # what the app does at start
    assert oct(cache.stat().st_mode & 0o777) == "0o700"


@pytest.mark.slow
def test_an_export_that_fills_the_disk_says_so_and_leaves_no_partial_file(demo, tmp_path):
    import resource
    import signal

    def small_disk() -> None:  # files of this process may not grow past 40 KiB: a full disk, for it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40 * 1024, 40 * 1024))

    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSPTUI_")}
    result = subprocess.run(
        [*CLI, "export", "--data-dir", str(demo), "--output", str(out / "e.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=small_disk,
    )
    one_plain_line(result, "e.json")
    assert list(out.iterdir()) == []
