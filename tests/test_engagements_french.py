"""The competence check and the on-site delivery checklist in French (issue 19).

What a French technician sees on site: the questions' labels, the decision keys and
the footer in French, the delivery note called a « bon de livraison », dates written
the French way, refusals in French; and at 80x24 and 120x40 nothing cut in French
that is not cut in English (the checklist's cells, the decision keys, the table of checks).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from msptui.core import i18n
from msptui.store import deliveries as d
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.deliveries.checklist import DeliveryScreen
from msptui.ui.screens.engagements.competence_widgets import KeyChoice
from tests.pilot_helpers import settle
from tests.test_engagement_screens import open_check, open_engagements

NARROW = (80, 24)
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line, no-break spaces read as spaces."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip).replace(NBSP, " ") for strip in strips]


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render()).replace(NBSP, " ")


def said(app) -> list[str]:
    return [n.message.replace(NBSP, " ") for n in app._notifications]


def sample_delivery(engine):
    return next(r for r in d.deliveries_overview(engine) if r.stage == "in_progress")


async def open_checklist(app, pilot, engagement_id: int) -> None:
    await settle(pilot)
    app.push_screen(DeliveryScreen(engagement_id))
    await settle(pilot, until=lambda: getattr(app.screen, "view", None) is not None)
    app.clear_notifications()  # what the board said when the store opened
    await settle(pilot)


# --- the competence check ----------------------------------------------------------------------


async def test_the_competence_check_asks_its_questions_in_french(paths, clock, sample, french):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_check(app, pilot, sample["HORI"])
        assert shown(app, "#check-title").startswith("Vérification des compétences : Gestion des mobiles avec Intune")
        assert shown(app, "#check-facts") == "Technologies : Microsoft 365, Intune"
        assert shown(app, "#outcome") == "Répondez aux trois questions : y oui, p en partie, n non."
        assert shown(app, "#hint-familiarity").startswith("Prérempli d'après vos dossiers (3 éléments) : gardez")
        labels = [str(label.render()) for label in app.screen.query(".row > Label").results(Label)]
        assert labels[0] == "Réponse" and "Décision" in labels and "Risques écrits" in labels
        bottom = screen_lines(app)[-1]
        assert "^s Enregistrer" in bottom and "esc Annuler" in bottom

        await pilot.press("y", "enter", "p", "enter", "y", "enter")
        await settle(pilot)
        assert shown(app, "#outcome").startswith("Pas de oui franc sur II (projets équivalents : en partie)")
        decision = app.screen.query_one("#decision", KeyChoice)
        assert str(decision.render()).split() == [
            *("a", "Accepter", "w", "Partenaire", "j", "Demande", "client", "d", "Décliner"),
        ]
        await pilot.press("w")
        await settle(pilot)
        assert shown(app, "#disclosure-title") == "Le partenaire a été déclaré au client :"


async def test_a_decision_the_answers_do_not_allow_is_refused_in_french(paths, clock, sample, french):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await pilot.press("y", "enter", "n", "enter", "n", "enter", "a")
        await settle(pilot)
        assert shown(app, "#error-decision").startswith("Vous n'avez pas répondu un oui franc sur II")
        # Ctrl+R away from an evidence field: the check says what to do, in French.
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert said(app)[-1] == "Placez-vous d'abord sur un champ de preuves."


async def test_the_engagements_list_keeps_the_competence_check_key_at_80_columns(paths, clock, sample, french):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_engagements(app, pilot, sample["NOTW"])
        table = app.screen.query_one("#engagements", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][1:4] == [
            "Sauvegarde Veeam vers OVHcl…",
            "En cours",
            "Partenaire",
        ]
        bottom = screen_lines(app)[-1]
        assert "c Vérification des compétences" in bottom and "o Ouvrir" in bottom


async def test_an_engagement_reads_its_check_and_dates_in_french(paths, clock, sample, french):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["NOTW"])
        await pilot.press("o")
        await settle(pilot)
        card = shown(app, "#engagement-card")
        assert "échéance le 13 déc. 2026" in card and "proposé le sam. 24 oct. 2026, 11:00" in card
        history = shown(app, "#engagement-history")
        assert "déclaré à Claire Weber, le 2 nov. 2026 (réunion)" in history
        assert "15 nov. 2026 Prix : 2900.00 EUR → 3400.00 EUR ;" in history
        table = app.screen.query_one("#checks", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][2:] == [
            "oui",
            "en partie",
            "oui",
            "Partenaire",
            "en vigueur",
        ]
        detail = shown(app, "#check-detail")
        assert detail.startswith("Vérification du mar. 3 nov. 2026, 10:00 sur Veeam, OVHcloud")
        assert "Information du client : Claire Weber, le 2 nov. 2026 (réunion)" in detail


# --- the delivery checklist --------------------------------------------------------------------


async def test_the_delivery_checklist_reads_in_french_with_its_keys(paths, clock, sample, engine, french):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_checklist(app, pilot, sample_delivery(engine).engagement_id)
        lines = screen_lines(app)
        assert "Check-list de livraison" in lines[0]
        assert shown(app, "#progress-state") == "à faire"
        text = "\n".join(lines)
        for words in ("TESTS  3/4  en attente", "BON DE LIVRAISON  en attente", "DOCUMENTATION  1/2  en attente"):
            assert words in text
        assert "Pas encore émis : appuyez sur i" in text and "fichier · " in text
        assert shown(app, "#delivery-status").startswith("Reste à faire : 1 test pas encore exécuté.")
        # The footer keeps the keys of the site visit: tick, next, the delivery note, deliver.
        bottom = lines[-1]
        for key in ("t Fait", "a Ajout", "n Suiv", "e Modif", "d Suppr", "i BL", "m Livrer"):
            assert key in bottom


async def test_the_checklist_refuses_in_french(paths, clock, sample, engine, french):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_checklist(app, pilot, sample_delivery(engine).engagement_id)
        await pilot.press("m")  # not ready: what is missing, in French
        await settle(pilot)
        [refusal] = [n for n in app._notifications if n.severity == "warning"]
        assert refusal.title.replace(NBSP, " ") == "Pas encore prêt à être marqué livré"
        assert "Le bon de livraison n'est pas encore émis." in refusal.message.replace(NBSP, " ")

        # The delivery note's own line: it cannot be waived, the charter requires it.
        table = app.screen.query_one("#checklist", DataTable)
        table.move_cursor(row=app.screen.keys.index("note"))
        await pilot.press("w")
        await settle(pilot)
        assert shown(app, "#delivery-status").startswith("Il n'est pas possible de renoncer au bon de livraison")


# --- nothing cut in French that English shows whole -------------------------------------------


def _cut_cells(app) -> set[tuple[str, str]]:
    """(row key, column) of the checklist cells longer than their column."""
    table = app.screen.query_one("#checklist", DataTable)
    cut = set()
    for n, key in enumerate(app.screen.keys):
        for column, cell in zip(("mark", "what", "detail"), table.get_row_at(n)):
            if cell_len(str(cell)) > table.columns[column].width:  # type: ignore[index]
                cut.add((key, column))
    return cut


def _status_fits(app) -> bool:
    status = app.screen.query_one("#delivery-status", Static)
    return status.virtual_size.height <= status.content_region.height


async def _checklist(paths, clock, engagement_id: int, size, language: str):
    i18n.set_interface_language(language)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=size) as pilot:
        await open_checklist(app, pilot, engagement_id)
        return _cut_cells(app), _status_fits(app)


@SIZES
async def test_the_checklist_cuts_nothing_in_french_that_english_shows_whole(paths, clock, sample, engine, size):
    engagement_id = sample_delivery(engine).engagement_id
    english_cut, english_fits = await _checklist(paths, clock, engagement_id, size, "en")
    french_cut, french_fits = await _checklist(paths, clock, engagement_id, size, "fr")
    assert french_cut <= english_cut
    assert english_fits and french_fits  # what is left to do is read whole


def _displayed(widget) -> bool:
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def _check_form_fits(app) -> list[str]:
    """The labels and key choices shown on the check form that do not fit their width."""
    too_long = []
    for label in app.screen.query(".row > Label").results(Label):
        if _displayed(label) and cell_len(str(label.render())) > label.content_region.width:
            too_long.append(str(label.render()))
    for choice in app.screen.query(KeyChoice):
        if _displayed(choice) and cell_len(choice.render().plain) > choice.content_region.width:
            too_long.append(choice.render().plain)
    return too_long


async def _check_form(paths, clock, client_id: int, size, language: str) -> list[str]:
    i18n.set_interface_language(language)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=size) as pilot:
        await open_check(app, pilot, client_id)
        await pilot.press("y", "enter", "p", "enter", "y", "enter", "w")  # the partner and the telling shown
        await settle(pilot)
        return _check_form_fits(app)


@SIZES
async def test_the_check_form_cuts_nothing_in_french(paths, clock, sample, size):
    assert await _check_form(paths, clock, sample["HORI"], size, "en") == []
    assert await _check_form(paths, clock, sample["HORI"], size, "fr") == []


async def _checks_table_fits(paths, clock, client_id: int, language: str) -> bool:
    i18n.set_interface_language(language)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_engagements(app, pilot, client_id)
        await pilot.press("o")
        await settle(pilot)
        table = app.screen.query_one("#checks", DataTable)
        return table.virtual_size.width <= table.scrollable_content_region.width


async def test_the_table_of_checks_fits_80_columns_in_french_as_in_english(paths, clock, sample):
    assert await _checks_table_fits(paths, clock, sample["NOTW"], "en")
    assert await _checks_table_fits(paths, clock, sample["NOTW"], "fr")
