"""Engagements, the competence check, the conflicts and skills registers, driven from the keyboard.

Each test is what a technician does: run a check with keys only, accept with
a partner, meet the refusal while a conflict is undisclosed, disclose it and
accept; record a bribe; add an engagement; move one along.
"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from msptui.store import conflicts, engagements
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle


def engagement_of(engine, code):
    return next(r.engagement for r in engagements.list_engagements(engine) if r.client_code == code)


def line(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_engagements(app, pilot, client_id=None):
    from msptui.ui.screens.engagements.overview import EngagementsScreen

    await settle(pilot)
    app.push_screen(EngagementsScreen(client_id=client_id))
    await settle(pilot)


async def open_check(app, pilot, client_id):
    """The engagements of one client, then the check of the first (newest) one."""
    await open_engagements(app, pilot, client_id)
    await pilot.press("c")
    await settle(pilot)
    assert type(app.screen).__name__ == "CompetenceCheckScreen"


async def test_a_check_run_with_the_keyboard_only_accepts_with_a_partner(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_check(app, pilot, sample["HORI"])
        # I yes (evidence proposed from the records, kept), II partly, III yes.
        await pilot.press("y", "enter", "p", "enter", "y", "enter")
        assert "Not a clear yes on II" in line(app, "#outcome")
        # The partner, what it brings, and telling the client: to whom, on (today, proposed), by e-mail.
        await pilot.press("w", *"Mobile Experts", "enter", *"Intune rollouts", "enter")
        await pilot.press(*"Julie Morel", "enter", "enter", "e", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"

    e = engagement_of(engine, "HORI")
    c = engagements.check_history(engine, e.id)[0]
    assert e.status == "accepted_with_partner"
    assert (c.familiarity, c.prior_projects, c.know_how) == ("yes", "partly", "yes")
    assert (c.decision, c.partner_name) == ("accept_with_partner", "Mobile Experts")
    [partner] = engagements.engagement_detail(engine, e.id).partners
    assert (partner.name, partner.competence) == ("Mobile Experts", "Intune rollouts")
    assert partner.disclosure_text == "disclosed to Julie Morel on 2026-11-23 by e-mail"
    assert "MS-102" in c.familiarity_evidence  # the proposal from the skills register, accepted as it was
    assert "Delivered “Migration de la messagerie vers Microsoft 365”" in c.prior_projects_evidence


async def test_the_rules_speak_next_to_the_field_before_saving(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await pilot.press("y", "enter", "n", "enter", "y", "enter", "a")
        assert "You did not answer a clear yes on II" in line(app, "#error-decision")
        await pilot.press("j")
        assert app.screen.focused.id == "risk_statement"
        assert "at least 30 characters" in line(app, "#error-risk_statement")
        await pilot.press(*"Never done: the rollout could stall for weeks.")
        assert line(app, "#error-risk_statement") == ""


async def test_accepting_is_refused_until_the_conflict_is_disclosed_then_accepted(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_check(app, pilot, sample["SCHM"])
        assert "not disclosed yet" in line(app, "#check-warning")
        await pilot.press(
            "y", "enter", "p", "enter", "y", "enter", "w", *"Reseaux Pro", "enter", *"Site surveys", "enter"
        )
        await pilot.press(*"Marc Schmitt", "enter", "enter", "m", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert "1 conflict of interest with this client is not disclosed yet" in line(app, "#error-conflicts")
        assert engagements.check_history(engine, engagement_of(engine, "SCHM").id) == []

        # The register, from the check itself; the undisclosed conflict is first.
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"Marc Schmitt", "enter", *"E-mail", "enter", "enter")  # disclosed now, as proposed
        await pilot.press("enter", "down", "enter")  # the client's answer: Accepted
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        await pilot.press("escape")
        await settle(pilot)

        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert line(app, "#check-warning") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"

    assert engagement_of(engine, "SCHM").status == "accepted_with_partner"
    row = next(r for r in conflicts.list_conflicts(engine, sample["SCHM"]))
    assert (row.status.value, row.conflict.disclosed_to, row.conflict.disclosed_how) == (
        "accepted_by_client",
        "Marc Schmitt",
        "E-mail",
    )
    assert conflicts.count_undisclosed(engine) == 0


async def test_a_new_engagement_is_proposed_and_awaits_its_check(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["PHAC"])
        assert "none yet" in line(app, "#engagements-title")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Pharmacy backups", "enter", *"Veeam, OVHcloud", "ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#engagements", DataTable)
        assert [str(c) for c in table.get_row_at(0)][1:] == [
            "Pharmacy backups",
            "Proposed",
            "not checked",
            "Veeam, OVHcloud",
        ]


async def test_the_detail_shows_the_check_in_force_and_the_superseded_one(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["NOTW"])
        await pilot.press("o")
        await settle(pilot)
        table = app.screen.query_one("#checks", DataTable)
        assert [str(table.get_row_at(i)[-1]) for i in range(2)] == ["in force", "superseded"]
        assert "Sauvegarde Experts SARL" in line(app, "#check-detail")
        assert "Told to the client: Claire Weber on 2 Nov 2026 by meeting" in line(app, "#check-detail")
        history = line(app, "#engagement-history")
        assert "Partner: Sauvegarde Experts SARL; brings Copie externalisée chiffrée" in history
        assert "disclosed to Claire Weber on 2 Nov 2026 by meeting" in history
        assert "15 Nov 2026 Price: 2900.00 EUR → 3400.00 EUR" in history
        assert "agreed by Claire Weber on 15 Nov 2026 by e-mail" in history


async def test_work_starts_once_the_risks_given_to_the_client_are_recorded(paths, clock, engine, sample):
    # The sample's till project was accepted at the client's request before the disclosure was asked.
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["BOUL"])
        table = app.screen.query_one("#engagements", DataTable)
        assert [str(c) for c in table.get_row_at(0)][2:4] == ["Accepted at the client's request", "Client's request"]
        await pilot.press("o")
        await settle(pilot)
        assert line(app, "#engagement-warning") == (
            "⚠ Telling the client about the risks and consequences is not recorded: record it (g)"
            " before starting the work or delivering."
        )
        assert "Told to the client: not recorded (g records it)" in line(app, "#check-detail")
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert line(app, "#form-error") == (
            "Telling the client about the risks and consequences is not recorded: record it (g) before starting the work."
        )
        await pilot.press("escape")
        await settle(pilot)
        assert engagement_of(engine, "BOUL").status == "accepted_at_client_request"

        await pilot.press("g")
        await settle(pilot)
        await pilot.press(*"Paul Boulanger", "enter", *"2026-11-24", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"  # tomorrow, and how is missing
        assert (
            line(app, "#error-disclosed_on")
            == "The client cannot have been told on 2026-11-24: that day is still to come."
        )
        assert line(app, "#error-disclosed_how") == "Say how the client was told: e-mail, phone, meeting or letter."
        field = app.screen.query_one("#field-disclosed_on")
        field.value = "2026-11-14"
        app.screen.query_one("#field-disclosed_how").value = "letter"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "EngagementDetailScreen"
        assert not app.screen.query_one("#engagement-warning").display
        assert "Told to the client: Paul Boulanger on 14 Nov 2026 by letter" in line(app, "#check-detail")

        await pilot.press("t")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert engagement_of(engine, "BOUL").status == "in_progress"


async def test_new_technologies_make_the_check_stale_and_starting_is_refused(paths, clock, engine, sample):
    from msptui.store.schemas.engagements import EngagementUpdate

    e = engagement_of(engine, "BOUL")
    engagements.update_engagement(
        engine,
        e.id,
        EngagementUpdate(title=e.title, technologies="Windows 11, Caisse enregistreuse, Linux", price=e.price),
        clock.now(),
    )
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["BOUL"])
        await pilot.press("o")
        await settle(pilot)
        assert line(app, "#engagement-warning") == (
            "⚠ The technologies changed since the check in force (made on Windows 11, Caisse enregistreuse;"
            " now Windows 11, Caisse enregistreuse, Linux): run a new check (c) before starting the work or delivering."
        )
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert line(app, "#form-error").startswith("The technologies changed since the check in force")
        assert line(app, "#form-error").endswith("run a new check (c) before starting the work.")
    assert engagement_of(engine, "BOUL").status == "accepted_at_client_request"


async def test_a_new_price_on_work_in_progress_asks_for_the_clients_agreement(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["NOTW"])
        await pilot.press("e")
        await settle(pilot)
        assert "a new scope, price or deadline is a change request" in line(app, "#form-intro")
        app.screen.query_one("#field-price").value = "3900"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert line(app, "#error-change_reason") == (
            "Since this engagement was accepted, its price changes only by a change request."
            " Say why, and record the client's agreement (who, when, how)."
        )
        assert str(engagement_of(engine, "NOTW").price) == "3400.00"

        app.screen.query_one("#field-change_reason").load_text("Third copy for the archives")
        app.screen.query_one("#field-agreed_by").value = "Claire Weber"
        app.screen.query_one("#field-agreed_on").value = "2026-11-22"
        app.screen.query_one("#field-agreed_how").value = "phone"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"
    e = engagement_of(engine, "NOTW")
    assert str(e.price) == "3900.00"
    last = engagements.engagement_detail(engine, e.id).changes[-1]
    assert (last.what, last.old_value, last.new_value, last.agreed_by, last.agreed_how) == (
        "price",
        "3400.00 EUR",
        "3900.00 EUR",
        "Claire Weber",
        "phone",
    )


async def test_three_no_cannot_be_accepted_at_the_clients_request(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await pilot.press("n", "enter", "n", "enter", "n", "enter")
        assert line(app, "#outcome") == (
            "No to all three questions: decline, or accept only with a declared external partner who brings the competence."
        )
        await pilot.press("j", *"Never done it: the phones could be wiped by mistake.", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert line(app, "#error-decision") == (
            "You answered no to all three questions: accepting at the client's request is not open."
            " Accept with a declared external partner who brings the competence, or decline."
        )
    assert engagements.check_history(engine, engagement_of(engine, "HORI").id) == []


async def test_the_risk_letter_needs_the_providers_identity_then_is_written(paths, clock, engine, sample):
    from tests.delivery_fixtures import provide

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["BOUL"])
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == (
            "Set the provider's identity first (Settings): the letter carries it at the top."
        )
        provide(engine)
        await pilot.press("l")
        await settle(pilot)
        assert "risk-letter-engagement-" in [n.message for n in app._notifications][-1]
    assert list((paths.exports / "letters").glob("*.pdf"))


async def test_leaving_a_check_with_answers_asks_first(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await pilot.press("y", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "CompetenceCheckScreen"


async def test_a_skill_recorded_is_proposed_in_the_next_check(paths, clock, engine, sample):
    from msptui.ui.screens.skills.register import SkillsScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(SkillsScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"wi-fi", "enter", "enter", "down", "enter", "tab")  # kind: the first, certification
        await pilot.press(*"CWNA", "enter", *"2025-02-03", "ctrl+s")
        await settle(pilot)
        assert "6 entries" in line(app, "#skills-title")
    proposals = engagements.propose_evidence(engine, engagement_of(engine, "SCHM").id)
    assert "Certification “CWNA” (wi-fi, 2025-02-03)" in proposals.text("know_how")


async def test_the_sections_are_in_the_command_palette():
    from msptui.ui.app import SECTIONS

    titles = {title for title, _help, _path in SECTIONS}
    assert {"Engagements", "Conflicts of interest", "Skills register"} <= titles


async def test_after_creating_an_engagement_the_cursor_is_on_it(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["BOUL"])
        before = len(app.screen.rows)
        assert before >= 1
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Caisse: nouveau terminal", "enter", *"Ingenico", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert len(screen.rows) == before + 1
        # The toast says "run the competence check (c)": c must open this one's check.
        assert screen.current_engagement().title == "Caisse: nouveau terminal"


async def test_the_detail_offers_g_first_only_while_telling_the_client_is_to_record(paths, clock, engine, sample):
    from msptui.ui.screens.engagements.overview import EngagementDetailScreen
    from tests.test_help_keys import bottom_line

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(EngagementDetailScreen(engagement_of(engine, "BOUL").id))
        await settle(pilot)
        assert "g Record telling the client" in bottom_line(app)
        await pilot.press("g", *"Paul Boulanger")
        app.screen.query_one("#field-disclosed_on").value = "2026-11-14"
        app.screen.query_one("#field-disclosed_how").value = "letter"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Told to the client: Paul Boulanger on 14 Nov 2026 by letter" in line(app, "#check-detail")
        assert "Record telling the client" not in bottom_line(app)
        app.push_screen(EngagementDetailScreen(engagement_of(engine, "NOTW").id))
        await settle(pilot)
        assert "Record telling the client" not in bottom_line(app)
