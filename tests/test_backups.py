"""Backups: taken on demand and once a day, rotated, listed, restored (and refused when unsafe)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from msptui.store.files.backup import BackupError, parse_stamped_name
from msptui.store.files.backups import backup, daily_backup, hold_in_use, list_backups, restore
from tests.pilot_helpers import settle

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def client_names(database: Path) -> list[str]:
    con = sqlite3.connect(database)
    try:
        return [r[0] for r in con.execute("SELECT name FROM client ORDER BY name")]
    finally:
        con.close()


@pytest.fixture
def data(engine):
    """One client: enough for a database worth backing up (the full sample takes a second)."""
    from msptui.store.clients import create_client
    from msptui.store.schemas import ClientCreate

    client_id = create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL", city="Lyon"), NOW)
    return {"BOUL": client_id}


def rename_client(engine, client_id: int, name: str) -> None:  # noqa: ANN001
    from msptui.store import db
    from msptui.store.models import Client

    with db.write(engine) as s:
        s.get(Client, client_id).name = name


# --- taking a backup ----------------------------------------------------------------------


def test_a_backup_is_a_sound_private_copy_of_the_data(paths, data):
    made = backup(paths, now=NOW)

    assert made.parent == paths.backups
    assert made.name == "msptui-2026-11-23T090000Z-manual.sqlite3"
    assert "Boulangerie Martin" in client_names(made)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # A lone file: it can be copied anywhere without -wal/-shm companions.
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    con.close()


def test_a_backup_goes_to_the_file_or_folder_asked_and_never_overwrites(paths, data, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    into_folder = backup(paths, usb, now=NOW)
    assert into_folder.parent == usb
    exact = backup(paths, tmp_path / "before-upgrade.sqlite3", now=NOW)
    assert exact == tmp_path / "before-upgrade.sqlite3"

    with pytest.raises(BackupError, match="already exists"):
        backup(paths, exact, now=NOW)
    with pytest.raises(BackupError, match="live database"):
        backup(paths, paths.database, now=NOW)


def test_two_backups_in_the_same_second_both_survive(paths, data):
    first = backup(paths, now=NOW)
    second = backup(paths, now=NOW)
    assert first != second and first.exists() and second.exists()
    assert {b.kind for b in list_backups(paths)} == {"manual"}


def test_nothing_to_back_up_before_the_first_start(paths):
    with pytest.raises(BackupError, match="no database"):
        backup(paths, now=NOW)


def test_the_list_shows_newest_first_with_kind_and_size(paths, data):
    import os

    backup(paths, now=NOW - timedelta(days=2))
    daily_backup(paths, NOW)
    by_hand = paths.backups / "copied-by-hand.sqlite3"
    by_hand.write_bytes(paths.database.read_bytes())
    yesterday = (NOW - timedelta(days=1)).timestamp()
    os.utime(by_hand, (yesterday, yesterday))  # a file we did not name is dated by its mtime
    (paths.backups / "notes.txt").write_text("not a backup")

    found = list_backups(paths)

    assert [b.kind for b in found] == ["daily", "other", "manual"]
    assert [b.taken_at for b in found] == [NOW, NOW - timedelta(days=1), NOW - timedelta(days=2)]
    assert [b.kind_words for b in found] == ["daily (automatic)", "other", "taken by hand"]
    assert all(b.size == b.path.stat().st_size > 0 for b in found)


# --- the automatic daily backup and its rotation --------------------------------------------


def test_the_daily_backup_is_taken_once_a_day(paths, data):
    assert daily_backup(paths, NOW) is not None
    assert daily_backup(paths, NOW + timedelta(hours=8)) is None
    assert daily_backup(paths, NOW + timedelta(days=1)) is not None
    assert [b.taken_at.date() for b in list_backups(paths)] == [date(2026, 11, 24), date(2026, 11, 23)]


def test_an_empty_database_is_not_backed_up(paths, store):
    assert daily_backup(paths, NOW) is None
    assert list_backups(paths) == []


def test_rotation_keeps_seven_daily_and_four_weekly_and_never_touches_other_kinds(paths, data):
    backup(paths, now=NOW - timedelta(days=1))  # manual
    (paths.backups / "msptui-2026-01-01T000000Z-premigration.sqlite3").write_bytes(b"")
    # Sixty days of starts, from Monday 23 November 2026 to Thursday 21 January 2027.
    for day in range(60):
        daily_backup(paths, NOW + timedelta(days=day))

    found = list_backups(paths)
    dailies = sorted(b.taken_at.date() for b in found if b.kind == "daily")
    seven = [date(2027, 1, 15) + timedelta(days=d) for d in range(7)]
    # The newest copy of each of the 4 ISO weeks before them (2027-W02, W01, 2026-W53, W52).
    weekly = [date(2026, 12, 27), date(2027, 1, 3), date(2027, 1, 10), date(2027, 1, 14)]
    assert dailies == weekly + seven
    assert {b.kind for b in found} == {"daily", "manual", "premigration"}


async def test_the_app_takes_the_daily_backup_at_start_and_holds_the_folder(paths, store, data, clock):
    from msptui.ui.app import MsptuiApp

    store.dispose()  # only the app has the database open
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        daily = [b for b in list_backups(paths) if b.kind == "daily"]
        assert [b.taken_at for b in daily] == [clock.now()]
        # While the app runs, the data folder is in use: a restore is refused.
        with pytest.raises(BackupError, match="Quit it"):
            restore(paths, daily[0].path, now=clock.now())
    # Once it has quit, the same restore goes through.
    assert restore(paths, daily[0].path, now=clock.now()) is not None


# --- restore ---------------------------------------------------------------------------------


def test_restore_brings_the_data_back_and_keeps_the_replaced_file(paths, store, data):
    saved = backup(paths, now=NOW)
    rename_client(store.engine, data["BOUL"], "Boulangerie renamed by mistake")
    store.dispose()

    aside = restore(paths, saved, now=NOW + timedelta(hours=1))

    assert "Boulangerie Martin" in client_names(paths.database)
    assert "Boulangerie renamed by mistake" in client_names(aside)  # the WAL was folded in first
    assert parse_stamped_name(aside.name)[1] == "before-restore"
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600
    assert saved.exists()  # the backup itself is untouched
    # The replaced file is a backup like any other: the restore can be undone.
    restore(paths, aside, now=NOW + timedelta(hours=2))
    assert "Boulangerie renamed by mistake" in client_names(paths.database)


def test_the_restored_database_opens_and_migrates_like_any_other(paths, store, data):
    from msptui.store.clients import count_clients
    from msptui.store.open import open_store

    saved = backup(paths, now=NOW)
    store.dispose()
    restore(paths, saved, now=NOW)
    reopened = open_store(paths)
    try:
        assert count_clients(reopened.engine) == len(data)
    finally:
        reopened.dispose()


def _refused_and_unchanged(paths, source, match: str) -> None:  # noqa: ANN001
    before = client_names(paths.database)
    with pytest.raises(BackupError, match=match):
        restore(paths, source, now=NOW)
    assert client_names(paths.database) == before
    assert not any(b.kind == "before-restore" for b in list_backups(paths))


def test_restore_refuses_a_file_that_is_not_a_database(paths, store, data, tmp_path):
    store.dispose()
    garbage = tmp_path / "holiday-photo.sqlite3"
    garbage.write_bytes(b"\xff\xd8\xff\xe0 not a database at all" * 100)
    _refused_and_unchanged(paths, garbage, "not a readable SQLite database")
    _refused_and_unchanged(paths, tmp_path / "missing.sqlite3", "does not exist")


def test_restore_refuses_another_programs_database(paths, store, data, tmp_path):
    store.dispose()
    other = tmp_path / "firefox-places.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    con.commit()
    con.close()
    _refused_and_unchanged(paths, other, "not an msptui one")


def test_restore_refuses_a_damaged_backup(paths, store, data, tmp_path):
    saved = backup(paths, tmp_path / "damaged.sqlite3", now=NOW)
    store.dispose()
    data = bytearray(saved.read_bytes())
    page = 4096
    # Scribble over the middle of the second half of the file: table and index pages.
    for offset in range(len(data) // 2, len(data) - page, page):
        data[offset + 100 : offset + 400] = b"\x07" * 300
    saved.write_bytes(bytes(data))
    _refused_and_unchanged(paths, saved, "damaged|not a readable")


def test_restore_refuses_a_backup_from_a_newer_msptui(paths, store, data, tmp_path):
    saved = backup(paths, tmp_path / "future.sqlite3", now=NOW)
    store.dispose()
    con = sqlite3.connect(saved)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    _refused_and_unchanged(paths, saved, "newer msptui")


def test_restore_is_refused_while_msptui_holds_the_folder(paths, store, data):
    saved = backup(paths, now=NOW)
    store.dispose()
    handle = hold_in_use(paths)
    if handle is None:
        pytest.skip("no flock on this platform")
    try:
        _refused_and_unchanged(paths, saved, "msptui is open")
    finally:
        handle.release()
    restore(paths, saved, now=NOW)


def test_restore_is_refused_while_another_program_has_the_database_open(paths, store, data):
    saved = backup(paths, now=NOW)
    rename_client(store.engine, data["BOUL"], "Still open elsewhere")  # leaves a pooled connection open
    _refused_and_unchanged(paths, saved, "in use by another program")


# --- the command line -----------------------------------------------------------------------


def test_cli_backup_list_and_restore(paths, store, data, capsys):
    from msptui.cli import main

    store.dispose()
    assert main(["backup"]) == 0
    made = capsys.readouterr().out.strip().split(" to ")[-1]
    assert Path(made).exists()

    assert main(["backups", "--data-dir", str(paths.data)]) == 0
    listing = capsys.readouterr().out
    assert "taken by hand" in listing and made in listing

    assert main(["restore", made]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "before-restore" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["restore", "/nonexistent/backup.sqlite3"],
        ["backup", "/proc/forbidden/x.sqlite3"],
        ["restore", "/etc/hostname"],
    ],
)
def test_cli_errors_are_one_plain_line_and_a_failure_exit(paths, store, data, capsys, argv):
    from msptui.cli import main

    store.dispose()
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("msptui: ")
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_cli_backup_honours_the_data_dir_option(tmp_path, capsys):
    from msptui.cli import main

    other = tmp_path / "elsewhere"
    assert main(["demo", "--data-dir", str(other)]) == 0
    assert main(["--data-dir", str(other), "backup"]) == 0
    assert str(other / "backups") in capsys.readouterr().out


# --- the Backups screen ---------------------------------------------------------------------


async def test_the_backups_screen_lists_copies_and_takes_one_now(paths, data, clock):
    from textual.widgets import DataTable, Static

    from msptui.ui.app import MsptuiApp

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_section("Backups")
        await settle(pilot)
        table = app.screen.query_one("#backups", DataTable)
        assert table.row_count == 1  # today's automatic backup
        assert "daily (automatic)" in str(table.get_row_at(0)[2])

        await pilot.press("b")
        await settle(pilot)
        assert table.row_count == 2
        kinds = {str(table.get_row_at(i)[2]) for i in range(2)}
        assert kinds == {"daily (automatic)", "taken by hand"}
        hint = str(app.screen.query_one("#backup-hint", Static).render())
        # The exact command for the folder in use: run as shown, it restores here, not elsewhere.
        assert f"msptui restore --data-dir {paths.data} " in hint.replace("\n", " ")


def test_a_copy_left_half_written_by_a_quit_is_removed_at_the_next_daily_backup(paths, data):
    # Quitting does not wait for the day's backup (issue 15): its partial file stays behind.
    import os
    import time

    paths.backups.mkdir(parents=True, exist_ok=True)
    left = paths.backups / ".daily-2026-12-01.sqlite3.abc123.partial"
    left.write_bytes(b"SQLite format 3\x00 half of a client database")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(left, (two_hours_ago, two_hours_ago))
    being_written = paths.backups / ".manual-2026-12-02.sqlite3.def456.partial"  # another msptui, now
    being_written.write_bytes(b"SQLite format 3\x00")
    daily_backup(paths, NOW)
    assert not left.exists() and being_written.exists()
    assert [b.kind for b in list_backups(paths)] == ["daily"]
