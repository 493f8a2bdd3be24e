"""Engagements, the competence check, the conflicts and skills registers, driven from the keyboard.

Each test is what a technician does: run a check with keys only, accept with
a partner, meet the refusal while a conflict is undisclosed, disclose it and
accept; record a bribe; add an engagement; move one along.
"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from msptui.app import MsptuiApp
from msptui.store import conflicts, engagements


async def settle(app, pilot, rounds: int = 3) -> None:
    """Let store calls and the callbacks they trigger (which may call the store again) finish."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


def engagement_of(engine, code):
    return next(r.engagement for r in engagements.list_engagements(engine) if r.client_code == code)


def line(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_engagements(app, pilot, client_id=None):
    from msptui.screens.engagements import EngagementsScreen

    await settle(app, pilot)
    app.push_screen(EngagementsScreen(client_id=client_id))
    await settle(app, pilot)


async def open_check(app, pilot, client_id):
    """The engagements of one client, then the check of the first (newest) one."""
    await open_engagements(app, pilot, client_id)
    await pilot.press("c")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "CompetenceCheckScreen"


async def test_a_check_run_with_the_keyboard_only_accepts_with_a_partner(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_check(app, pilot, sample["HORI"])
        # I yes (evidence proposed from the records, kept), II partly, III yes.
        await pilot.press("y", "enter", "p", "enter", "y", "enter")
        assert "Not a clear yes on II" in line(app, "#outcome")
        await pilot.press("w", *"Mobile Experts", "enter", "space", "ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"

    e = engagement_of(engine, "HORI")
    c = engagements.check_history(engine, e.id)[0]
    assert e.status == "accepted_with_partner"
    assert (c.familiarity, c.prior_projects, c.know_how) == ("yes", "partly", "yes")
    assert (c.decision, c.partner_name, c.partner_disclosed_at) == ("accept_with_partner", "Mobile Experts", clock.now())
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
        await pilot.press("y", "enter", "p", "enter", "y", "enter", "w", *"Reseaux Pro", "enter", "space", "ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert "1 conflict of interest with this client is not disclosed yet" in line(app, "#error-conflicts")
        assert engagements.check_history(engine, engagement_of(engine, "SCHM").id) == []

        # The register, from the check itself; the undisclosed conflict is first.
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press(*"Marc Schmitt", "enter", *"E-mail", "enter", "enter")  # disclosed now, as proposed
        await pilot.press("enter", "down", "enter")  # the client's answer: Accepted
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        await pilot.press("escape")
        await settle(app, pilot)

        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert line(app, "#check-warning") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"

    assert engagement_of(engine, "SCHM").status == "accepted_with_partner"
    row = next(r for r in conflicts.list_conflicts(engine, sample["SCHM"]))
    assert (row.status.value, row.conflict.disclosed_to, row.conflict.disclosed_how) == ("accepted_by_client", "Marc Schmitt", "E-mail")
    assert conflicts.count_undisclosed(engine) == 0


async def test_a_bribe_offered_is_recorded_refused(paths, clock, engine, sample):
    from msptui.screens.conflicts import ConflictsScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(ConflictsScreen(client_id=sample["BOUL"]))
        await settle(app, pilot)
        assert "No conflict of interest recorded" in line(app, "#conflict-detail")
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("tab", "enter", *["down"] * 5, "enter")  # kind: gift or bribe, the fifth
        await pilot.press("tab", *"Supplier offered a tablet [free]", "ctrl+s")
        await settle(app, pilot)
        table = app.screen.query_one("#conflicts", DataTable)
        assert str(table.get_row_at(0)[0]) == "Bribe refused"
        assert "Supplier offered a tablet [free]" in line(app, "#conflict-detail")
    assert conflicts.count_undisclosed(engine) == 1  # the sample's own, not the bribe


async def test_a_new_engagement_is_proposed_and_awaits_its_check(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["PHAC"])
        assert "none yet" in line(app, "#engagements-title")
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"Pharmacy backups", "enter", *"Veeam, OVHcloud", "ctrl+s")
        await settle(app, pilot)
        table = app.screen.query_one("#engagements", DataTable)
        assert [str(c) for c in table.get_row_at(0)][1:] == ["Pharmacy backups", "Proposed", "not checked", "Veeam, OVHcloud"]


async def test_the_detail_shows_the_check_in_force_and_the_superseded_one(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["NOTW"])
        await pilot.press("o")
        await settle(app, pilot)
        table = app.screen.query_one("#checks", DataTable)
        assert [str(table.get_row_at(i)[-1]) for i in range(2)] == ["in force", "superseded"]
        assert "Sauvegarde Experts SARL" in line(app, "#check-detail")
        await pilot.press("c")  # in progress: no new check
        await pilot.pause()
        assert type(app.screen).__name__ == "EngagementDetailScreen"


async def test_an_accepted_engagement_is_started_from_the_status_key(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_engagements(app, pilot, sample["BOUL"])
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        table = app.screen.query_one("#engagements", DataTable)
        assert str(table.get_row_at(0)[2]) == "In progress"
    assert engagement_of(engine, "BOUL").status == "in_progress"


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
    from msptui.screens.skills import SkillsScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(SkillsScreen())
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"wi-fi", "enter", "enter", "down", "enter", "tab")  # kind: the first, certification
        await pilot.press(*"CWNA", "enter", *"2025-02-03", "ctrl+s")
        await settle(app, pilot)
        assert "6 entries" in line(app, "#skills-title")
    proposals = engagements.propose_evidence(engine, engagement_of(engine, "SCHM").id)
    assert "Certification “CWNA” (wi-fi, 2025-02-03)" in proposals.text("know_how")


async def test_the_sections_are_in_the_command_palette():
    from msptui.app import SECTIONS

    titles = {title for title, _help, _path in SECTIONS}
    assert {"Engagements", "Conflicts of interest", "Skills register"} <= titles
