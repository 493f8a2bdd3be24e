"""The client browser, the contract view and the skills register in French (issue 19), the
language of a client's documents in the client form, and the interface language chosen in the
settings.

French screens are read at 80x24 (and 120x40 for the layouts): French words and keys, a refusal
said in French, and nothing cut in French that is not cut in English.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from msptui import config
from msptui.core import i18n
from msptui.store import clients as C
from msptui.store.contracts import client_contracts
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.contracts.view import ContractScreen
from msptui.ui.screens.settings.provider import ProviderIdentityScreen
from msptui.ui.screens.skills.register import SkillsScreen
from tests.browser_helpers import settle_browser

NARROW = (80, 24)
WIDE = (120, 40)
NBSP = "\u00a0"


def screen_lines(app) -> list[str]:
    """The terminal as the user reads it, line by line (no-break spaces as spaces)."""
    return [
        "".join(segment.text for segment in strip).replace(NBSP, " ")
        for strip in app.screen._compositor.render_strips()
    ]


def footer_keys(lines: list[str]) -> list[str]:
    """The keys the footer shows, left of the palette key ("/", "n", "N", "?", "^q")."""
    return [part.split()[0] for part in lines[-1].split("▏")[0].split("  ") if part.strip()]


def cut_marks(lines: list[str]) -> int:
    """How many texts the screen shows cut short (an ellipsis ends each)."""
    return sum(line.count("…") for line in lines)


async def browse(app, pilot, letters: str) -> None:
    """The client browser, `letters` typed in its filter, then down to the list."""
    await settle_browser(pilot)
    await pilot.press("f2")
    await settle_browser(pilot)
    await pilot.press(*letters, "down")
    await settle_browser(pilot)


async def show(app, pilot, screen) -> None:
    await settle_browser(pilot)
    app.push_screen(screen)
    await settle_browser(pilot)


async def in_both_languages(paths, clock, size, open_it) -> dict[str, list[str]]:
    """The same screen's lines in English, then in French."""
    seen = {}
    for language in ("en", "fr"):
        i18n.set_interface_language(language)
        app = MsptuiApp(paths, clock)
        async with app.run_test(size=size) as pilot:
            await open_it(app, pilot)
            seen[language] = screen_lines(app)
    return seen


def nothing_more_cut_in_french(seen: dict[str, list[str]], keys_only_global: frozenset[str] = frozenset()) -> None:
    """Every key the English footer shows is in the French one (except the app's own section keys
    listed, whose French labels are longer), and no more text is cut short in French."""
    english, french = footer_keys(seen["en"]), footer_keys(seen["fr"])
    assert [k for k in english if k not in keys_only_global] == [k for k in french if k not in keys_only_global], (
        seen["en"][-1],
        seen["fr"][-1],
    )
    assert cut_marks(seen["fr"]) <= cut_marks(seen["en"]), "\n".join(seen["fr"])


def till_contract(engine, sample) -> int:
    return client_contracts(engine, sample["TILL"])[0].id


# --- the client browser ---------------------------------------------------------------------


async def test_the_client_browser_at_80x24_reads_in_french(french, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await browse(app, pilot, "schm")
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "1 client  ↓ vers la liste" in text
        assert "Client" in lines[5] and "Code" in lines[5]  # the list's header
        for words in ("[actif]", "jours fériés FR-57", "documents en français", "Contrats", "Tickets", "dépassé"):
            assert words in text, text
        header = next(line for line in lines if "Référence" in line)
        assert "Statut" in header and "Fin" in header
        keys = lines[-1]
        for key in ("/ Filtrer", "n Nouveau client", "N Nouveau ticket", "? Aide", "^q Quitter"):
            assert key in keys, keys
        assert "Find" not in text and "New client" not in text


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_the_client_browser_cuts_nothing_in_french_that_english_does_not(paths, clock, sample, size):
    async def open_it(app, pilot):
        await browse(app, pilot, "till")

    seen = await in_both_languages(paths, clock, size, open_it)
    # e Edit and the section keys (f3, k, p...) come after the essential keys; French labels
    # are longer, so at a width where English shows them all French may leave the last out.
    english, french = footer_keys(seen["en"]), footer_keys(seen["fr"])
    assert english[:2] == french[:2] == ["/", "n"] and "N" in french and "N" in english
    assert set(french) <= set(english)
    assert cut_marks(seen["fr"]) <= cut_marks(seen["en"]), "\n".join(seen["fr"])


# --- the contract view ----------------------------------------------------------------------


async def test_the_contract_view_reads_in_french(french, paths, clock, sample, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await show(app, pilot, ContractScreen(till_contract(engine, sample)))
        screen = app.screen
        head = str(screen.query_one("#contract-head", Static).render())
        assert "statut actif" in head
        titles = [str(screen.query_one(f"#notion-{key}").border_title) for key in ("parties", "scope", "hours")]
        assert titles == ["1 Parties", "2 Périmètre", "3 Horaires et délais SLA"]
        from tests.test_browser import plain

        hours = plain(screen.query_one("#notion-hours", Static))
        assert "lun.–ven. 09:00-12:30, 13:30-18:00" in hours
        assert "P1  30 min" in hours and "ouvrées" in hours
        assert "Hors heures ouvrées : disponible pour P1, majoration de +50 %." in hours.replace(NBSP, " ")
        keys = screen_lines(app)[-1]
        assert "e Modif" in keys and "s Délais SLA" in keys and "esc Retour" in keys


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_the_contract_view_cuts_nothing_in_french_that_english_does_not(paths, clock, sample, engine, size):
    contract = till_contract(engine, sample)

    async def open_it(app, pilot):
        await show(app, pilot, ContractScreen(contract))
        app.screen.query_one("#notion-hours").scroll_visible(animate=False, top=True)  # its SLA table in sight
        await settle_browser(pilot)

    seen = await in_both_languages(paths, clock, size, open_it)
    nothing_more_cut_in_french(seen)
    # The SLA table keeps every priority whole (a long French heading wraps, it does not squeeze P1).
    for priority in ("P1", "P2", "P3", "P4"):
        assert any(line.strip("│ ").startswith(priority) or f"│  {priority}  " in line for line in seen["fr"])


# --- the skills register --------------------------------------------------------------------


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
async def test_the_skills_register_cuts_nothing_in_french_that_english_does_not(paths, clock, sample, size):
    async def open_it(app, pilot):
        await show(app, pilot, SkillsScreen())

    seen = await in_both_languages(paths, clock, size, open_it)
    # f1/f2 are the app's section keys, after the screen's own: their French labels are longer.
    nothing_more_cut_in_french(seen, keys_only_global=frozenset({"f1", "f2", "f3", "f4"}))
    assert seen["fr"][1].startswith(" Registre des compétences · 5 entrées ·")
    assert "Technologie" in seen["fr"][2] and "Preuve" in seen["fr"][2]


# --- refusals in French --------------------------------------------------------------------


async def test_a_client_form_refusal_is_said_in_french_under_its_field(french, paths, clock, sample, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await browse(app, pilot, "")
        await pilot.press("n")
        await settle_browser(pilot)
        form = app.screen
        assert str(form.query_one("#form-title").render()) == "Nouveau client"
        form.query_one("#field-code", Input).value = "BERG"
        form.query_one("#field-timezone", Input).value = "Europe/Berlinn"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert app.screen is form  # nothing saved
        said = {name: " ".join(str(form.query_one(f"#error-{name}").render()).split()) for name in ("name", "timezone")}
        assert said["name"] == "Nom est obligatoire"
        assert said["timezone"].replace(NBSP, " ") == (
            "« Europe/Berlinn » n'est pas un fuseau horaire connu (attendu p. ex. Europe/Paris)"
        )
    assert C.count_clients(engine) == len(sample)


async def test_a_contracts_hours_error_is_said_in_french_under_its_weekday(french, paths, clock, sample, engine):
    contract = client_contracts(engine, sample["BOUL"])[0]
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await show(app, pilot, ContractScreen(contract.id))
        await pilot.press("e")
        await settle_browser(pilot)
        form = app.screen
        labels = [str(label.render()) for label in form.query("Label")]
        assert "Horaires du mercredi" in labels and "Samedi" not in " ".join(labels)
        form.query_one("#field-hours_2", Input).value = "18:00-09:00"
        closed = form.query_one("#field-hours_6", Input).value  # Sunday, closed: the word the form shows
        assert closed == i18n._("closed") != "closed"
        form.query_one("#field-hours_6", Input).value = closed.upper()  # typed back, in capitals
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert app.screen is form
        said = " ".join(str(form.query_one("#error-hours_2").render()).split()).replace(NBSP, " ")
        assert said == "18:00-09:00 : la fin doit être après le début, le même jour"
        assert str(form.query_one("#error-hours_6").render()).strip() == ""
    assert client_contracts(engine, sample["BOUL"])[0].business_hours == contract.business_hours


async def test_deleting_a_client_with_a_contract_is_refused_in_french(french, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await browse(app, pilot, "boul")
        await pilot.press("delete")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"  # refused before any question
        (refusal,) = [n for n in app._notifications if n.severity == "error"]
        assert refusal.title == "Non supprimé"
        assert refusal.message.startswith("Suppression impossible") and "Archivez-le plutôt." in refusal.message


# --- the language of a client's documents -------------------------------------------------


async def test_a_german_client_gets_english_documents_and_the_technician_switches_it_to_french(
    paths, clock, sample, engine
):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await browse(app, pilot, "")
        await pilot.press("n")
        await settle_browser(pilot)
        form = app.screen
        language = form.query_one("#field-language", Select)
        assert language.value is Select.NULL  # "from the country" until the technician picks one
        for field, value in (
            ("name", "Studio Berg"),
            ("code", "BERG"),
            ("postcode", "10115"),
            ("city", "Berlin"),
            ("country", "DE"),
            ("timezone", "Europe/Berlin"),
        ):
            form.query_one(f"#field-{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"
        from tests.test_browser import card_text

        assert "documents in English" in card_text(app)
        client = app.screen.client
        assert C.get_client(engine, client.id).language == "en"

        await pilot.press("e")
        await settle_browser(pilot)
        form = app.screen
        assert form.query_one("#field-language", Select).value == "en"
        await pilot.click("#field-language")  # opens the choices
        await pilot.press("down", "enter")  # English -> Français
        await settle_browser(pilot)
        assert form.query_one("#field-language", Select).value == "fr"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"
        assert "documents in French" in card_text(app)
    assert C.get_client(engine, client.id).language == "fr"


# --- the interface language, in the settings --------------------------------------------------


async def test_the_interface_language_is_chosen_in_the_settings_and_used_from_the_next_start(paths, clock, sample):
    from msptui.cli import choose_language

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await show(app, pilot, ProviderIdentityScreen())
        assert "Language: follow the system" in "\n".join(screen_lines(app))
        await pilot.press("l")  # opens the choices: follow the system, English, Français
        await pilot.press("down", "down", "enter")
        await settle_browser(pilot)
        said = [n.message for n in app._notifications]
        assert said == ["Language saved: Français. It takes effect the next time you start msptui."]
        # This session keeps its words; the next start reads the setting.
        assert i18n.interface_language() == "en"
        assert "Provider identity" in screen_lines(app)[0]
    assert config.language(paths) == "fr"
    assert choose_language(["--data-dir", str(paths.data)]) == "fr"
    assert choose_language(["--data-dir", str(paths.data), "--lang", "en"]) == "en"  # --lang wins

    i18n.set_interface_language("fr")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await show(app, pilot, ProviderIdentityScreen())
        assert "Langue : Français" in "\n".join(screen_lines(app))
        await pilot.press("l")
        await pilot.press("up", "up", "enter")  # back to following the system
        await settle_browser(pilot)
        (said,) = [n.message.replace(NBSP, " ") for n in app._notifications]
        assert said.startswith("Langue enregistrée : suivre le système (English sur cette machine).")
        assert said.endswith("Elle s'appliquera au prochain démarrage de msptui.")
    assert config.language(paths) is None


async def test_a_settings_file_that_cannot_be_written_leaves_the_language_as_it_was(paths, clock, sample):
    paths.config_file.write_text("{ damaged", encoding="utf-8")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await show(app, pilot, ProviderIdentityScreen())
        await pilot.press("l", "down", "down", "enter")  # Français
        await settle_browser(pilot)
        # (The start said the file is damaged too, when it read the technician's name.)
        (refusal,) = [n for n in app._notifications if n.title == "Language not saved"]
        assert refusal.severity == "error"
        assert "is damaged" in refusal.message
        assert app.screen.query_one("#language", Select).value == "system"  # what is still in force
    assert paths.config_file.read_text(encoding="utf-8") == "{ damaged"
