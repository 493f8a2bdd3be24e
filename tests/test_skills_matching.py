"""Skills meet technologies on words, whatever the case and accents.

"UniFi" gets the evidence of the skill "Ubiquiti UniFi"; "Microsoft Azure"
gets nothing from "Microsoft 365". Technologies fields offer the names already
used as completions, so one technology keeps one spelling.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from msptui.core.rules.skills import (
    complete_last_item,
    known_technologies,
    technologies_match,
    technology_words,
)
from msptui.store import engagements
from msptui.store.schemas.engagements import EngagementCreate
from msptui.store.skills import skills_for, technologies_in_use
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_engagement_screens import line, open_check, open_engagements

# --- the rule -------------------------------------------------------------------------


def test_a_name_matches_a_longer_name_that_contains_all_its_words():
    assert technologies_match("UniFi", "Ubiquiti UniFi")
    assert technologies_match("Ubiquiti UniFi", "unifi")
    assert technologies_match("Microsoft 365", "microsoft  365")


def test_case_accents_and_hyphens_do_not_matter():
    assert technologies_match("Réseau Wi-Fi", "reseau wifi")
    assert technology_words("Ubiquiti  UniFi (UWNS)") == {"ubiquiti", "unifi", "uwns"}


def test_names_that_share_only_some_words_do_not_match():
    assert not technologies_match("Microsoft 365", "Microsoft Azure")
    assert not technologies_match("Windows Server", "SQL Server")
    assert not technologies_match("C++", "C#")


def test_a_name_without_words_matches_nothing():
    assert not technologies_match("", "")
    assert not technologies_match(" - ", "Intune")


# Latin letters with and without accents, digits, spaces and hyphens: what technology names are made of.
NAMES = st.text(alphabet="abcdeèéêfgiïloöuüAÉÈIOÖUZ0123 -", max_size=20)


def _unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


@given(NAMES, NAMES)
def test_matching_is_symmetric(a, b):
    assert technologies_match(a, b) == technologies_match(b, a)


@given(NAMES, NAMES)
def test_matching_ignores_case_and_accents(a, b):
    assert technologies_match(a, b) == technologies_match(a.upper(), _unaccented(b).lower())


@given(NAMES)
def test_a_name_with_a_word_matches_itself_and_any_longer_name(a):
    if technology_words(a):
        assert technologies_match(a, a)
        assert technologies_match(a, f"Vendor {a} Suite")


# --- completions ------------------------------------------------------------------------


def test_the_most_used_spelling_comes_first_once():
    used = ["Intune", "microsoft 365", "Microsoft 365", "Microsoft 365", "Ubiquiti UniFi", "intune", "Intune"]
    assert known_technologies(used) == ["Intune", "Microsoft 365", "Ubiquiti UniFi"]


def test_the_last_item_is_completed_and_what_was_typed_before_is_kept():
    known = ["Microsoft 365", "Intune", "Ubiquiti UniFi"]
    assert complete_last_item("intune, ubi", known) == "intune, Ubiquiti UniFi"
    assert complete_last_item("Intune; mic", known) == "Intune; Microsoft 365"
    assert complete_last_item("Intune, in", known) is None  # already in the list
    assert complete_last_item("Intune, ", known) is None  # nothing typed yet
    assert complete_last_item("ubiquiti unifi", known) is None  # typed in full


def test_a_single_name_field_completes_the_whole_text():
    assert complete_last_item("ubi", ["Ubiquiti UniFi"], separators="") == "Ubiquiti UniFi"
    assert complete_last_item("a, ubi", ["Ubiquiti UniFi"], separators="") is None


# --- the store asks the rule ----------------------------------------------------------------


def _unifi_engagement(engine, clock, sample) -> int:
    data = EngagementCreate(client_id=sample["HORI"], title="Bornes Wi-Fi de l'accueil", technologies="UniFi")
    return engagements.create_engagement(engine, data, clock.now())


def test_unifi_gets_the_evidence_of_the_skill_ubiquiti_unifi(engine, clock, sample):
    assert [k.title for k in skills_for(engine, ["UniFi"])] == ["UniFi Network Specialist (UWNS)"]
    proposals = engagements.propose_evidence(engine, _unifi_engagement(engine, clock, sample))
    assert "Training “UniFi Network Specialist (UWNS)” (Ubiquiti UniFi, 2025-06-20)" in proposals.text("familiarity")
    assert "UniFi Network Specialist (UWNS)" in proposals.text("know_how")


def test_technologies_in_use_come_from_engagements_and_skills(engine, sample):
    used = technologies_in_use(engine)
    assert {"Ubiquiti UniFi", "Microsoft 365", "Intune"} <= set(used)
    assert len({name.casefold() for name in used}) == len(used)


# --- at 80x24 -------------------------------------------------------------------------------


async def test_the_check_on_unifi_is_pre_filled_from_the_ubiquiti_unifi_training(paths, clock, engine, sample):
    _unifi_engagement(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_check(app, pilot, sample["HORI"])  # the newest engagement first: UniFi
        assert "Technologies: UniFi" in line(app, "#check-facts")
        evidence = app.screen.query_one("#evidence-familiarity").text
        assert "UniFi Network Specialist (UWNS)" in evidence


async def test_the_technologies_field_completes_the_last_name_from_those_already_used(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_engagements(app, pilot, sample["HORI"])
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Bornes", "enter", *"Wi-Fi, ubi")
        await settle(pilot)
        await pilot.press("right")  # takes the completion
        assert app.screen.query_one("#field-technologies", Input).value == "Wi-Fi, Ubiquiti UniFi"


async def test_a_new_skill_completes_its_technology_from_those_already_used(paths, clock, engine, sample):
    from msptui.ui.screens.skills.register import SkillsScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SkillsScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"microsoft")
        await settle(pilot)
        await pilot.press("right")
        assert app.screen.query_one("#field-technology", Input).value == "Microsoft 365"
