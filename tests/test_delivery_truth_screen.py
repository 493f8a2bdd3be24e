"""The refusals of issue 11 (section 2) as a technician meets them on the checklist, keyboard only.

Each test drives the screen and reads the words the user sees: the status
line under the checklist (also shown as a notification), or a form's message.
"""

from __future__ import annotations

from sqlalchemy import select

from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.models import Delivery, DeliveryNote
from msptui.store.provider import provider_identity
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.deliveries.checklist import DeliveryScreen
from msptui.ui.screens.settings.provider import ProviderIdentityScreen
from msptui.ui.widgets.form import FormScreen
from tests.delivery_fixtures import make_engagement, provide
from tests.pilot_helpers import settle
from tests.test_delivery_screen import checklist_lines, sample_delivery, type_text


def status(app) -> str:
    """The status line of the checklist, even under a form."""
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, DeliveryScreen))
    return " ".join(str(screen.query_one("#delivery-status").render()).split())


def form_banner(app) -> str:
    return " ".join(str(app.screen.query_one("#form-error").render()).split())


async def open_checklist(pilot, engagement_id: int) -> DeliveryScreen:
    await settle(pilot)
    pilot.app.push_screen(DeliveryScreen(engagement_id))
    await settle(pilot)
    return pilot.app.screen


async def move_to(pilot, screen: DeliveryScreen, key: str) -> None:
    screen.query_one("#checklist").move_cursor(row=screen.keys.index(key))
    await pilot.pause()


async def test_issuing_before_the_tests_are_settled_says_why(paths, clock, sample, engine):
    provide(engine)
    row = sample_delivery(engine)  # one test not run yet
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        await open_checklist(pilot, row.engagement_id)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeliveryScreen)  # no form opened
        assert status(pilot.app) == "The tests are not settled, so the note cannot be issued yet. 1 test not run yet."
    assert d.get_delivery(engine, row.delivery_id).note is None


async def test_issuing_without_the_providers_identity_asks_for_it_then_issues(paths, clock, sample, engine):
    row = sample_delivery(engine)
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, row.engagement_id)
        await pilot.press("n", "space")  # the test not run yet: passed
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert status(pilot.app) == "Set the provider's identity first: it is printed on every delivery note."
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Provider identity"
        for text in (
            "Durand Informatique",
            "4 rue des Tanneurs, 67000 Strasbourg",
            "732 829 320 00075",
            "",
            "contact@durand-info.fr",
        ):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        # A mistyped SIRET is caught by its check digit, next to the field; nothing saved.
        message = " ".join(str(form.query_one("#error-company_number").render()).split())
        assert message == "Company number is not a valid SIRET: its check digit does not match (look for a typo)"
        assert provider_identity(engine) is None
        await pilot.press("backspace", "4", "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen.form_title == "Issue the delivery note"  # carried on to the note
        await type_text(pilot, "Claire Weber")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
    assert provider_identity(engine).company_number == "732 829 320 00074"
    assert d.get_delivery(engine, row.delivery_id).note.content["provider"][0] == "Durand Informatique"


async def test_the_note_section_cannot_be_waived(paths, clock, sample, engine):
    row = sample_delivery(engine)
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, row.engagement_id)
        await move_to(pilot, screen, "part:note")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeliveryScreen)
        assert (
            status(pilot.app)
            == "The delivery note cannot be waived: the providers' charter requires one for every delivery."
        )
    with db.read(engine) as s:
        assert s.get(Delivery, row.delivery_id).note_waived_reason is None


async def test_waiving_testing_without_the_clients_consent_is_refused_in_the_form(paths, clock, sample, engine):
    row = sample_delivery(engine)
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, row.engagement_id)
        await move_to(pilot, screen, "part:tests")
        await pilot.press("w")
        await settle(pilot)
        form = pilot.app.screen
        assert form.form_title == "Waive the whole tests part"
        await type_text(pilot, "Tests faits par le client")
        form.query_one("#field-decided_by").value = "technician"  # "I decide alone"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            form_banner(pilot.app)
            == "Testing can be waived only with the client's consent: record who agreed, when and how."
        )
        assert pilot.app.screen is form  # still open, with what was typed

        form.query_one("#field-decided_by").value = "client"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert " ".join(str(form.query_one("#error-client_name").render()).split()) == (
            "Client's name is required: the name of the person who agreed for the client"
        )
        form.query_one("#field-client_name").value = "Claire Weber"
        form.query_one("#field-agreed_on").value = "2026-11-20"
        form.query_one("#field-how").value = "email"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert any("client agreed: Tests faits par le client" in line for line in checklist_lines(screen))
    with db.read(engine) as s:
        delivery = s.get(Delivery, row.delivery_id)
    assert (delivery.tests_waived_by, delivery.tests_waiver_client, delivery.tests_waiver_how) == (
        "client",
        "Claire Weber",
        "email",
    )


async def issued_delivery(engine, sample, clock) -> int:
    """An engagement with one passed test, one item, its note issued; returns the engagement."""
    from msptui.store.schemas.deliveries import ItemCreate, NoteIssue
    from tests.delivery_fixtures import passed_test

    provide(engine)
    engagement = make_engagement(engine, sample["BOUL"], clock.now(), title="Réseau")
    delivery = d.open_delivery(engine, engagement, clock.now())
    passed_test(engine, delivery, "Ping de la passerelle")
    d.add_item(engine, delivery, ItemCreate(description="Switch 24 ports"))
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    return engagement


async def test_a_change_after_issue_is_refused_in_words_and_voiding_opens_the_next_number(paths, clock, sample, engine):
    engagement = await issued_delivery(engine, sample, clock)
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, engagement)
        test_key = next(k for k in screen.keys if k.startswith("test:"))
        await move_to(pilot, screen, test_key)
        await pilot.press("space")
        await settle(pilot)
        assert status(pilot.app) == (
            "Delivery note BL-2026-0001 is issued, so its tests can no longer change. Void the note first to correct it."
        )
        item_key = next(k for k in screen.keys if k.startswith("item:"))
        await move_to(pilot, screen, item_key)
        await pilot.press("d", "y")
        await settle(pilot)
        assert status(pilot.app) == (
            "Delivery note BL-2026-0001 is issued, so its items can no longer change. Void the note first to correct it."
        )

        await pilot.press("v")
        await settle(pilot)
        form = pilot.app.screen
        assert form.form_title == "Void delivery note BL-2026-0001"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            " ".join(str(form.query_one("#error-reason").render()).split())
            == "Reason is required: say in a few words why"
        )
        await type_text(pilot, "Mauvais signataire")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert any("BL-2026-0001 void" in line and "Mauvais signataire" in line for line in checklist_lines(screen))
        note = (paths.exports / "delivery-notes" / "BL-2026-0001.md").read_text(encoding="utf-8")
        assert note.startswith("# ANNULÉ\n")  # VOID, on the French note of a client with a French address

        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "Paul Martin")
        await pilot.press("enter")
        await settle(pilot)
        assert any("BL-2026-0002 issued" in line for line in checklist_lines(screen))
    with db.read(engine) as s:
        # This delivery's notes: the sample's delivered engagement has its own, from an earlier year.
        delivery_id = s.scalars(select(DeliveryNote.delivery_id).where(DeliveryNote.number == "BL-2026-0001")).one()
        numbers = list(
            s.scalars(
                select(DeliveryNote.number).where(DeliveryNote.delivery_id == delivery_id).order_by(DeliveryNote.id)
            )
        )
    assert numbers == ["BL-2026-0001", "BL-2026-0002"]


async def test_voiding_without_an_issued_note_says_there_is_nothing_to_void(paths, clock, sample, engine):
    row = sample_delivery(engine)
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        await open_checklist(pilot, row.engagement_id)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeliveryScreen)
        assert status(pilot.app) == "No delivery note is in force for this delivery: there is nothing to void."


async def test_the_providers_identity_is_set_from_the_command_palette(paths, clock, sample, engine):
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "provider identity")
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ProviderIdentityScreen)
        assert str(screen.query_one("#provider-lines").render()).startswith("The provider's identity is not set yet.")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = pilot.app.screen
        assert " ".join(str(form.query_one("#error-trade_name").render()).split()) == "Trade name is required"
        for text in (
            "Durand Informatique",
            "4 rue des Tanneurs, 67000 Strasbourg",
            "732 829 320 00074",
            "FR44732829320",
            "contact@durand-info.fr",
        ):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert str(screen.query_one("#provider-lines").render()).splitlines() == [
            "Durand Informatique",
            "4 rue des Tanneurs, 67000 Strasbourg",
            "SIRET 732 829 320 00074",
            "VAT FR44732829320",
            "contact@durand-info.fr",
        ]
    assert provider_identity(engine).vat_number == "FR44732829320"


async def test_on_an_issued_note_adding_or_waiving_says_so_before_any_form(paths, clock, sample, engine):
    engagement = await issued_delivery(engine, sample, clock)
    async with MsptuiApp(paths, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(pilot, engagement)
        for key, press, what in (
            ("part:tests", "a", "its tests"),
            ("part:documents", "w", "its documents"),
            (next(k for k in screen.keys if k.startswith("item:")), "e", "its items"),
        ):
            await move_to(pilot, screen, key)
            await pilot.press(press)
            await settle(pilot)
            assert pilot.app.screen is screen  # no form to fill in vain
            assert status(pilot.app) == (
                f"Delivery note BL-2026-0001 is issued, so {what} can no longer change. Void the note first to correct it."
            )
