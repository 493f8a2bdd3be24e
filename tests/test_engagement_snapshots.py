"""What the competence check form, an engagement and the conflicts register look like at 120x40, clock frozen."""

from __future__ import annotations

from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_engagement_screens import open_check


def test_the_check_form_with_proposals_answers_and_a_partner(snap_compare, paths, clock, sample):
    async def run_before(pilot) -> None:
        await open_check(pilot.app, pilot, sample["HORI"])
        await pilot.press(
            "y", "enter", "p", "enter", "y", "enter", "w", *"Mobile Experts", "enter", *"Intune rollouts", "enter"
        )
        await pilot.press(*"Julie Morel", "enter", "enter", "e")
        await pilot.pause()

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(120, 40), run_before=run_before)


def test_the_conflicts_register(snap_compare, paths, clock, sample):
    async def run_before(pilot) -> None:
        from msptui.ui.screens.conflicts.register import ConflictsScreen

        app = pilot.app
        await settle(pilot)
        app.push_screen(ConflictsScreen())
        await settle(pilot)
        await pilot.pause()

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(120, 40), run_before=run_before)


def _detail(code: str):
    async def run_before(pilot) -> None:
        from tests.test_engagement_screens import open_engagements

        app = pilot.app
        await open_engagements(app, pilot, app.sample_ids[code])
        await pilot.press("o")
        await settle(pilot)
        await pilot.pause()

    return run_before


def test_an_engagement_with_its_partner_and_a_change_request(snap_compare, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    app.sample_ids = sample
    assert snap_compare(app, terminal_size=(120, 40), run_before=_detail("NOTW"))


def test_an_engagement_accepted_at_the_clients_request_with_the_disclosure_to_complete(
    snap_compare, paths, clock, sample
):
    app = MsptuiApp(paths, clock)
    app.sample_ids = sample
    assert snap_compare(app, terminal_size=(120, 40), run_before=_detail("BOUL"))
