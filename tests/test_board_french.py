"""The board in French (issue 19), as a technician reads it at 80x24: French columns and
keys, the `?` help and the palette in French, refusals said in French, and nothing cut
in French that is not cut in English."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from msptui.core import i18n
from msptui.store import tickets as T
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on

SMALL = (80, 24)
NB = "\u00a0"  # French puts a no-break space before ":" and "%"


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")
    monkeypatch.delenv("MSPTUI_BELL", raising=False)


def screen_lines(app) -> list[str]:
    """The terminal as the user reads it, line by line."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def _board_text(paths, clock, size, language: str) -> list[str]:
    i18n.set_interface_language(language)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        return screen_lines(app)


async def test_the_board_at_80x24_reads_in_french_with_its_on_call_keys(french, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        columns, footer = lines[2], lines[-1]
        for header in ("Client", "Titre", "Statut", "Échéance"):
            assert header in columns, columns
        assert "Tableau SLA · 13 tickets" in lines[0]
        assert "dépassés" in lines[1] and "en pause" in lines[1]
        # Acknowledge, the two waits, resolve, a new call and go on site, then help, quit and the palette.
        for key in ("a PEC", "i Interv.", "w t Att.", "v Réglé", "e Détail", "N Créer", "? Aide", "^q Quitter"):
            assert key in footer, footer
        assert footer.rstrip().endswith("^p palette"), footer
        assert "Resolve" not in footer and "Quit" not in footer.replace("Quitter", "")
        assert any("nouveau" in line and "PEC retard" in line for line in lines)  # status and clock cells


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_nothing_is_cut_in_french_that_is_not_cut_in_english(paths, clock, sample, size):
    english = await _board_text(paths, clock, size, "en")
    french = await _board_text(paths, clock, size, "fr")
    i18n.set_interface_language("en")
    # The same rows and columns: a cell cut in French (an ellipsis) is cut in English too.
    body = slice(2, -4)
    assert [line.count("…") for line in french[body]] == [line.count("…") for line in english[body]]
    # The header's counts keep their long wording, as in English ("1 undisclosed conflict").
    assert "undisclosed conflict" in english[1] and "conflit non déclaré" in french[1]
    # The selected ticket's lines (title, clocks, contract) are whole in both languages.
    for line in french[-4:-1]:
        assert not line.rstrip().endswith("…"), line


async def test_question_mark_lists_every_board_key_in_french(french, paths, clock, sample):
    from msptui.ui.widgets.keys_help import KeysScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        listed = app.screen.plain_text()
        for row in ("a  PEC", "v  Réglé", "b  Bip", "r  Reprendre · pas maintenant", "f1  Tableau", "^q  Quitter"):
            assert row in listed, listed
        assert "Partout" in listed and "Se déplacer" in listed
        assert "Touches — Tableau SLA" in "\n".join(screen_lines(app))
        assert "Resolve" not in listed and "not now" not in listed


async def test_the_palette_lists_the_sections_keys_and_textual_commands_in_french(french, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        commands = {command.title: command.help for command in app.get_system_commands(app.screen)}
        for title in (f"Aller à{NB}: Clients et contrats", "Priorité", "Note", "Thème", "Quitter", "Capture d'écran"):
            assert title in commands, list(commands)
        assert commands["Bip"] == "Faire sonner le terminal aux alertes (oui/non)"
        assert list(commands).count("Aide") == 1
        assert not {"Keys", "Theme", "Quit", "Screenshot", "Bell"} & set(commands)

        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one("CommandInput").placeholder == "Rechercher une commande…"


async def test_a_refusal_and_an_alert_reach_the_technician_in_french(french, paths, clock, engine):
    contract = make_contract(engine, code="ACME")
    ticket = open_on(engine, contract, clock.now(), priority="P2", title="Mail server down")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        board = app.screen
        clock.advance(timedelta(minutes=45))  # 75 % of the hour to take the ticket in charge
        board.tick()
        assert board.alerts == [f"#{ticket} Client ACME{NB}: 75{NB}% du délai de prise en charge écoulés"]

        await pilot.press("O")  # nothing closed to reopen
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == "Aucun ticket clos à rouvrir."

        # Acknowledged from another window: the key still shows here, and the store refuses.
        T.acknowledge(engine, ticket, clock.now())
        await pilot.press("a")
        await settle(pilot)
        refused = [n for n in app._notifications if n.severity == "error"][-1]
        assert refused.title == "Non enregistré" and f"#{ticket}" in refused.message
        assert "already" not in refused.message


@pytest.mark.slow
def test_the_board_s_french_dates_need_no_babel():
    """The board's first frame must not pay Babel's 0.1 s: its day and month names come from the catalogue."""
    code = (
        "import sys; from datetime import datetime, UTC; from zoneinfo import ZoneInfo\n"
        "from msptui.core import i18n; i18n.set_interface_language('fr')\n"
        "from msptui.ui.widgets.cells import day_time_words, due_words, wide_cell\n"
        "now = datetime(2026, 11, 23, 9, tzinfo=UTC); paris = ZoneInfo('Europe/Paris')\n"
        "print(due_words(now, now, paris), '|', due_words(now.replace(month=1), now, paris), '|', wide_cell())\n"
        "print(day_time_words(now.astimezone(paris), date_too=True, seconds=True))\n"
        "assert 'babel' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["lun. 10:00 | 23 janv. | 19", "lun. 23 nov. 10:00:00"]


async def test_a_screen_title_kept_in_a_class_attribute_shows_in_french(french, paths, clock):
    from textual.screen import Screen
    from textual.widgets import Header

    from msptui.core.i18n import N_

    class Titled(Screen):
        TITLE = N_("Backups")

        def compose(self):
            yield Header()

    app = MsptuiApp(paths, clock, open_store=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await app.push_screen(Titled())
        await pilot.pause()
        assert "msptui" not in screen_lines(app)[0] and "Sauvegardes" in screen_lines(app)[0]
