"""The command line as a technician meets it: the version, where the data is, and a demo
that never lands in the real data folder."""

from __future__ import annotations

import pytest

from msptui.cli import main


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("msptui ")


def test_where_prints_the_folders_in_use_and_creates_nothing(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["--where", "--data-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"database {folder / 'msptui.sqlite3'}" in out and f"backups  {folder / 'backups'}" in out
    assert not folder.exists()


def test_demo_without_a_data_folder_is_refused_and_touches_nothing(isolated_data, capsys):
    assert main(["demo"]) == 1
    assert "--data-dir" in capsys.readouterr().err
    assert not isolated_data.exists()


async def test_a_repeated_toast_replaces_the_one_on_screen_and_at_most_three_show(paths, clock):
    from msptui.ui.app import MsptuiApp

    app = MsptuiApp(paths, clock, open_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            app.notify("Note written")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Note written"]
        for word in ("one", "two", "three", "four"):
            app.notify(word)
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["two", "three", "four"]


async def test_a_new_ticket_on_an_empty_database_says_to_add_a_client_first(paths, clock):
    from textual.widgets import Static

    from msptui.ui.app import MsptuiApp
    from tests.pilot_helpers import settle

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # the welcome screen: start empty
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        hint = str(app.screen.query_one("#client-hint", Static).render())
        assert "No client yet: add one first" in hint and "No client matches" not in hint
