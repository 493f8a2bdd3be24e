"""At 80x24 the footer keeps each screen's essential keys on one line, ending with the
palette key; `?` lists every key of the screen; the palette reaches the others."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from msptui.ui.app import SECTIONS, MsptuiApp
from tests.pilot_helpers import settle


def bottom_line(app) -> str:
    """The terminal's last line as the user reads it (the footer's row)."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[-1])


def assert_footer_fits(app) -> None:
    """Nothing is cut: no key lies under the palette key, which touches the right edge."""
    footer = app.screen.query_one(Footer)
    palette = footer.query_one("FooterKey.-command-palette", FooterKey)
    keys = [key for key in footer.query(FooterKey) if key is not palette]
    assert palette.region.right == app.size.width, "a column is left at the right edge"
    assert all(key.region.right <= palette.region.x for key in keys), "a key runs under the palette key"
    assert footer.max_scroll_x == 0
    line = bottom_line(app)
    assert line.rstrip().endswith("^p palette"), line
    assert "? Keys" in line and "^q Quit" in line, line


async def test_the_board_footer_at_80_columns_keeps_the_on_call_keys_and_ends_clean(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = bottom_line(app)
        # The first row is a new, breached ticket: acknowledge, pause, resolve, and a new call.
        for shown in ("a Ack", "w t Wait", "v Resolve", "N New", "e Explain"):
            assert shown in line, line
        assert_footer_fits(app)
        assert "Bell" not in line  # no room: it is in the help screen and the palette


async def test_a_wider_terminal_shows_more_keys_and_narrowing_it_fits_them_again(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "p Priority" in bottom_line(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "p Priority" not in bottom_line(app)
        assert_footer_fits(app)


async def test_every_section_screen_keeps_help_and_quit_in_its_footer_at_80_columns(paths, clock, sample):
    from msptui.ui.screens.base import MsptuiScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for title, _help, _path in SECTIONS:
            app.action_section("SLA board")
            app.action_section(title)
            await settle(pilot)
            if not isinstance(app.screen, MsptuiScreen):
                continue  # the keyring settings: a dialog, with its own three keys
            app.screen.focus_next()  # off any filter field: its letters would go to the field
            await settle(pilot)
            assert_footer_fits(app)


async def test_question_mark_lists_every_key_of_the_board_even_those_the_footer_leaves_out(paths, clock, sample):
    from msptui.ui.screens.tickets.board import BoardScreen
    from msptui.ui.widgets.keys_help import KeysScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = bottom_line(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        listed = app.screen.plain_text()
        for hidden in ("Bell", "Priority", "Note"):
            assert hidden not in footer and hidden in listed
        assert "f1  Board" in listed and "f2  Clients" in listed and "^q  Quit" in listed
        # Keys that do not apply to the selected ticket are still listed, and say so.
        assert "r  Resume · not now" in listed
        assert "Keys — SLA board" in "\n".join(
            "".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_question_mark_typed_in_the_clients_filter_goes_into_the_filter(paths, clock, sample):
    from textual.widgets import Input

    from msptui.ui.screens.clients.browser import ClientBrowser

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_section("Clients and contracts")
        await settle(pilot)
        field = app.screen.focused
        assert isinstance(field, Input)  # the filter has the focus when the browser opens
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, ClientBrowser)
        assert field.value == "?"


async def test_the_palette_reaches_the_keys_the_footer_leaves_out(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Bell", "Priority", "Note", "Go to clients and contracts"} <= set(titles)
        assert titles.count("Keys") == 1  # ours, in place of Textual's side panel
