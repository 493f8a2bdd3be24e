"""The registers (conflicts of interest, data breaches, recurring tasks, renewals) and a
client's secrets, in French, at 80x24.

What a French technician reads: the titles, columns and keys in French; nothing cut in
French that the English shows whole (the footer's keys, the table's columns, every word
of the title and detail lines); and a refusal in French under the field it concerns.
Each layout is drawn twice, English then French, from the same data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from msptui.core import i18n
from msptui.ui.app import MsptuiApp
from tests.browser_helpers import settle_browser
from tests.coming_due_fixtures import some_items
from tests.pilot_helpers import settle
from tests.test_secrets_reveal import into_secrets_of

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@dataclass
class Drawn:
    """One screen as drawn: its text, the keys its footer shows, the columns shown whole."""

    text: str
    keys: list[str]
    columns: list[str]
    cut_words: list[str]  # words of the title and detail lines that are not on the screen
    said: dict[str, str]  # the text of each of those lines, by selector


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def whole_columns(table: DataTable) -> list[str]:
    """The columns whose every cell is within the table's width (the rest is scrolled away)."""
    room, shown = table.scrollable_content_region.width, []
    for column in table.ordered_columns:
        room -= column.get_render_width(table)
        if room < 0:
            break
        shown.append(str(column.label))
    return shown


def plain(widget: Static) -> str:
    """The words a Static holds, without styles."""
    rendered = widget.render()
    return getattr(rendered, "plain", None) or str(rendered)


def words_not_shown(app, *selectors: str) -> list[str]:
    """Words of these widgets' text that the screen does not show (cut, or scrolled away)."""
    on_screen = " ".join(screen_text(app).split())
    missing = []
    for selector in selectors:
        missing += [word for word in plain(app.screen.query_one(selector, Static)).split() if word not in on_screen]
    return missing


async def draw(
    language: str,
    paths,
    clock,
    open_it: Callable[[MsptuiApp, object], Awaitable[None]],
    table: str | None,
    lines: tuple[str, ...],
) -> Drawn:
    i18n.set_interface_language(language)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_it(app, pilot)
        return Drawn(
            screen_text(app),
            [key.key for key in app.screen.query(FooterKey) if key.display],
            whole_columns(app.screen.query_one(table, DataTable)) if table else [],
            words_not_shown(app, *lines),
            {selector: " ".join(plain(app.screen.query_one(selector, Static)).split()) for selector in lines},
        )


async def both(paths, clock, open_it, table: str | None, *lines: str) -> tuple[Drawn, Drawn]:
    """The screen in English, then in French (the `french` fixture puts English back after)."""
    english = await draw("en", paths, clock, open_it, table, lines)
    french = await draw("fr", paths, clock, open_it, table, lines)
    return english, french


def assert_nothing_more_cut(english: Drawn, french: Drawn) -> None:
    assert french.keys == english.keys, "the French footer must show the keys the English one shows"
    assert len(french.columns) >= len(english.columns), (english.columns, french.columns)
    assert len(french.cut_words) <= len(english.cut_words), (english.cut_words, french.cut_words)


def opening(screen_of: Callable[[], object]) -> Callable[[MsptuiApp, object], Awaitable[None]]:
    async def open_it(app, pilot) -> None:
        await settle(pilot)
        app.push_screen(screen_of())
        await settle(pilot)

    return open_it


# --- conflicts of interest --------------------------------------------------------------------------


async def open_conflicts(app, pilot) -> None:
    await settle(pilot)
    app.action_section("Conflicts of interest")
    await settle(pilot)


async def test_the_conflicts_register_reads_in_french_and_keeps_its_keys_at_80x24(french, paths, clock, sample):
    english, fr = await both(paths, clock, open_conflicts, "#conflicts", "#conflicts-title", "#conflict-detail")

    assert "Conflits d'intérêts — tous les clients" in fr.text  # the header
    assert "Conflits d'intérêts · tous les clients · 5 au registre · 1 pas encore déclaré" in " ".join(fr.text.split())
    assert fr.columns[:3] == ["Statut", "Attente", "Client"]
    assert "NON DÉCLARÉ" in fr.text and "Attente réponse" in fr.text
    assert "non déclaré depuis 3 j" in " ".join(fr.text.split())  # the detail of the highlighted conflict
    assert "n Noter un conflit" in fr.text and "d Déclarer" in fr.text and "s Un client" in fr.text
    assert "Conflicts of interest" in english.text and "NOT DISCLOSED" in english.text
    assert_nothing_more_cut(english, fr)


async def test_the_conflicts_forms_and_messages_are_in_french(french, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_conflicts(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert form.form_title == "Déclarer à Transports Schmitt & Fils"
        assert plain(form.query_one("#form-intro", Static)).startswith("Avantage fournisseur\u00a0: ")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")  # the highlighted conflict's client only
        await settle(pilot)
        assert app.screen.sub_title == "Transports Schmitt & Fils"
        assert "s Tous " in screen_text(app)  # the footer offers every client's conflicts again


# --- data breaches, recurring tasks, renewals -----------------------------------------------------


async def test_the_breach_register_reads_in_french_at_80x24(french, engine, paths, clock, sample):
    from msptui.ui.screens.breaches.register import BreachesScreen

    items = some_items(engine, clock, sample)
    open_it = opening(lambda: BreachesScreen(sample["DENT"], select=items["breach"]))
    english, fr = await both(paths, clock, open_it, "#register", "#register-title", "#register-detail")

    text = " ".join(fr.text.split())
    assert "Violations de données · Cabinet Dentaire Lefèvre · 1 au registre · 1 pas encore notifiée" in text
    assert "Violation 1 · à notifier sous 24 h, avant le 2026-11-23 13:00 (Europe/Paris)" in text
    assert fr.columns[:3] == ["#", "Découverte", "Notification"]
    assert "n Noter une violation" in fr.text and "t Client notifié" in fr.text
    assert_nothing_more_cut(english, fr)


async def test_the_recurring_tasks_read_in_french_at_80x24(french, engine, paths, clock, sample):
    from msptui.ui.screens.recurring.register import RecurringTasksScreen

    some_items(engine, clock, sample)
    open_it = opening(lambda: RecurringTasksScreen(sample["BOUL"]))
    english, fr = await both(paths, clock, open_it, "#register", "#register-title", "#register-detail")

    text = " ".join(fr.text.split())
    assert "Tâches récurrentes · Boulangerie Martin · 1 · chaque occurrence devient un ticket le jour dit" in text
    assert "À partir du 2026-11-23" in text and "à 16:00" in text
    assert fr.columns[:2] == ["Titre", "Planification"]
    assert "n Créer" in fr.text and "s Arrêter / reprendre" in fr.text
    # The screen's own keys stay; Board and Clients (F1, F2, in every footer) give way first.
    assert [k for k in fr.keys if k not in ("f1", "f2")] == [k for k in english.keys if k not in ("f1", "f2")]
    assert len(fr.columns) >= len(english.columns) and fr.cut_words == []


async def test_the_renewals_read_in_french_at_80x24_with_money_as_french_writes_it(
    french, engine, paths, clock, sample
):
    from datetime import date

    from msptui.ui.screens.renewals.register import RenewalsScreen
    from tests.coming_due_fixtures import add_renewal

    add_renewal(engine, clock, sample["BOUL"], date(2027, 3, 1), provider="Microsoft", cost="1234.50")
    open_it = opening(lambda: RenewalsScreen(sample["BOUL"]))
    english, fr = await both(paths, clock, open_it, "#register", "#register-title", "#register-detail")

    assert "Renouvellements · Boulangerie Martin · 1 · d une fois renouvelé ou abandonné" in fr.text
    assert fr.columns[:4] == ["Type", "Fournisseur", "Référence", "Expire le"]
    assert "n Nouvelle échéance" in fr.text and "d Fait" in fr.text and "h Voir faits" in fr.text
    assert_nothing_more_cut(english, fr)


async def test_a_renewals_cost_is_written_as_each_language_writes_money(french, engine, paths, clock, sample):
    from datetime import date

    from msptui.ui.screens.renewals.register import RenewalsScreen
    from tests.coming_due_fixtures import add_renewal

    renewal = add_renewal(engine, clock, sample["BOUL"], date(2027, 3, 1), provider="Microsoft", cost="1234.50")
    costs = {}
    for language in ("en", "fr"):
        i18n.set_interface_language(language)
        app = MsptuiApp(paths, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await opening(lambda: RenewalsScreen(sample["BOUL"]))(app, pilot)
            costs[language] = app.screen.query_one("#register", DataTable).get_cell(str(renewal), "cost").plain
    assert costs == {"en": "€1,234.50", "fr": "1\u202f234,50\u00a0€"}


async def test_a_refusal_reaches_the_technician_in_french_under_its_field(french, engine, paths, clock, sample):
    from msptui.ui.screens.recurring.register import RecurringTasksScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await opening(lambda: RecurringTasksScreen(sample["BOUL"]))(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.form_title == "Nouvelle tâche récurrente"
        form.query_one("#field-title").value = "Revue des correctifs"
        form.query_one("#field-kind").value = "weeks"
        form.query_one("#field-weekdays").value = "lun., jedi"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(form.query_one("#error-weekdays").render())
        assert "«\u00a0jedi\u00a0» n'est pas un jour de la semaine\u00a0: tapez des jours comme lun., jeu." in error
        assert app.screen is form  # nothing saved; the form stays open with what was typed


def test_weekdays_are_read_in_english_or_french():
    from msptui.ui.screens.recurring.forms import weekdays

    assert weekdays("Mon, Thu") == [0, 3]
    assert weekdays("lun., jeudi") == [0, 3]
    assert weekdays("mardi mercredi samedi dimanche") == [1, 2, 5, 6]
    with pytest.raises(ValueError, match="not a weekday"):
        weekdays("Mon, Funday")


# --- a client's secrets -----------------------------------------------------------------------------


async def open_secrets(app, pilot) -> None:
    await into_secrets_of(app, pilot, "boul")


async def test_the_secrets_panel_reads_in_french_and_says_the_value_stays_in_the_keyring(
    french, engine, paths, clock, sample
):
    from msptui.store.secrets import SecretCreate, add_secret

    add_secret(engine, sample["BOUL"], SecretCreate(label="NAS root", username="admin"), "fake-nas-pass", clock.now())
    english, fr = await both(
        paths, clock, open_secrets, "#secrets-table", "#secrets-title", "#secrets-keyring", "#secret-value-keys"
    )

    assert fr.said["#secrets-title"] == "Secrets (1)"
    assert fr.said["#secrets-keyring"].startswith("Les valeurs restent dans le trousseau du système")
    assert fr.said["#secrets-keyring"].endswith("jamais dans la base de données.")
    assert fr.columns == ["Libellé", "Identifiant", "URL ou hôte"]
    assert (
        fr.said["#secret-value-keys"] == "Mot de passe de NAS root (dans le trousseau) : v afficher · p copier"
    )  # spaces as read (a no-break one too)
    assert len(fr.columns) >= len(english.columns) and fr.cut_words == []


async def test_a_secrets_refusal_is_in_french(french, engine, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_secrets(app, pilot)
        await pilot.press("p")  # copy, with no secret stored for this client
        await settle_browser(pilot)
        said = [(n.title, n.message) for n in app._notifications]
        assert (
            "Secrets des clients",
            "Sélectionnez d'abord un secret (ou appuyez sur s pour en ajouter un).",
        ) in said


async def test_the_keyring_settings_read_in_french_with_every_key_at_80x24(french, paths, clock):
    from msptui.ui.screens.secrets.keyring_setup import KeyringSetupScreen

    english, fr = await both(
        paths, clock, opening(KeyringSetupScreen), None, "#keyring-title", "#keyring-message", "#keyring-move-note"
    )

    assert fr.said["#keyring-title"] == "Où sont gardés les secrets des clients"
    for button in ("Fichier chiffré (e)", "Trousseau système (s)", "Désactiver (d)"):
        assert button in fr.text  # whole, inside its button
    assert "e Fichier chiffré" in fr.text and "esc Plus tard" in fr.text  # the modal's footer, in French
    assert_nothing_more_cut(english, fr)
