"""The app starts on the board and offers sample data on an empty database."""

from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle


async def test_first_start_offers_sample_data_then_shows_the_board(paths, clock):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "WelcomeScreen"
        await pilot.press("s")
        await settle(pilot)
        assert type(app.screen).__name__ == "BoardScreen"
        board = app.screen
        nearest = min(board.rows.values(), key=lambda cd: cd.sort_key)
        # The cursor is on the nearest breach, the first row, not where it happened to be.
        assert board.table.cursor_row == 0
        assert board.selected().ticket.id == nearest.ticket.id
