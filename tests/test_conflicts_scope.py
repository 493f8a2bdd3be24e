"""The conflicts register says whose conflicts it shows (one client, or all) and s switches between the two."""

from __future__ import annotations

from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_engagement_screens import open_engagements


def title(app) -> str:
    return str(app.screen.query_one("#conflicts-title").render())


def footer_s(app) -> str:
    """What the footer offers on s (drawn in it, not only bound)."""
    from textual.widgets import Footer

    active = app.screen.active_bindings["s"]
    assert active.binding.show and active.enabled
    assert active.binding.action not in getattr(app.screen.query_one(Footer), "hidden_actions", set())
    return active.binding.description


def clients_listed(app) -> set[str]:
    return {r.client_name for r in app.screen.rows}


async def test_from_an_engagement_it_shows_that_client_and_s_shows_all_and_back(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_engagements(app, pilot, sample["SCHM"])
        await pilot.press("k")
        await settle(pilot)
        assert title(app).startswith("Conflicts of interest · Transports Schmitt & Fils · 1 recorded")
        assert app.screen.sub_title == "Transports Schmitt & Fils"
        assert clients_listed(app) == {"Transports Schmitt & Fils"}
        assert footer_s(app) == "All clients"

        await pilot.press("s")
        await settle(pilot)
        assert title(app).startswith("Conflicts of interest · all clients · 5 recorded")
        assert app.screen.sub_title == "all clients"
        assert len(clients_listed(app)) == 5
        assert footer_s(app) == "One client"
        # The cursor stayed on the conflict it was on, so s comes back to its client.
        assert app.screen.selected.client_name == "Transports Schmitt & Fils"

        await pilot.press("s")
        await settle(pilot)
        assert title(app).startswith("Conflicts of interest · Transports Schmitt & Fils")
        assert footer_s(app) == "All clients"


async def test_from_the_board_it_shows_all_clients_and_s_keeps_the_highlighted_conflicts_client(
    paths, clock, engine, sample
):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_section("Conflicts of interest")
        await settle(pilot)
        assert title(app).startswith("Conflicts of interest · all clients")
        assert footer_s(app) == "One client"
        table = app.screen.query_one("#conflicts")
        table.move_cursor(row=1)
        await pilot.pause()
        chosen = app.screen.selected.client_name

        await pilot.press("s")
        await settle(pilot)
        assert title(app).startswith(f"Conflicts of interest · {chosen} · 1 recorded")
        assert clients_listed(app) == {chosen}
        assert footer_s(app) == "All clients"
