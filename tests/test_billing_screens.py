"""The statement preview and the contract's billing, driven from the keyboard."""

from __future__ import annotations

from msptui.store.reads.statement import statement
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.billing.contract import ContractBillingScreen
from msptui.ui.screens.billing.statement import StatementScreen
from tests.billing_fixtures import MONTH, october_work, set_rate
from tests.delivery_fixtures import provide
from tests.pilot_helpers import settle


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_preview_shows_each_line_and_the_totals(paths, clock, sample, engine):
    provide(engine)
    ids = october_work(engine, sample, clock)
    set_rate(engine, ids["contract"], "80.00")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(StatementScreen(ids["client"], MONTH))
        await settle(pilot, until=lambda: getattr(app.screen, "statement", None) is not None)
        screen = app.screen
        table = screen.query_one("#statement-lines")
        assert table.row_count == 2
        assert "Net €100.00 · VAT €20.00 · Total €120.00" in shown(screen, "#statement-summary")
        assert "October 2026" in shown(screen, "#statement-head") and "open" in shown(screen, "#statement-head")
        await pilot.press("left_square_bracket")  # September: nothing recorded
        await settle(pilot)
        assert "September 2026" in shown(screen, "#statement-head")
        assert "No time recorded" in shown(screen, "#statement-summary")


async def test_close_is_refused_without_a_rate_then_closes_with_one(paths, clock, sample, engine):
    provide(engine)
    ids = october_work(engine, sample, clock)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(StatementScreen(ids["client"], MONTH))
        await settle(pilot, until=lambda: getattr(app.screen, "statement", None) is not None)
        await pilot.press("c")
        await settle(pilot)
        assert any("Set an hourly rate on contract MSP-2026-001" in n for n in notes(app))
        assert isinstance(app.screen, StatementScreen)  # refused before asking
        assert statement(engine, ids["client"], MONTH, clock.now()).status == "open"

        set_rate(engine, ids["contract"], "80.00")
        app.screen.load()
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert statement(engine, ids["client"], MONTH, clock.now()).status == "closed RA-2026-0001"
        assert "closed RA-2026-0001" in shown(app.screen, "#statement-head")
        written = sorted(p.name for p in (paths.exports / "statements").iterdir())
        assert written == [f"BOUL-2026-10-RA-2026-0001.{ext}" for ext in ("csv", "md", "pdf")]


async def test_the_prepaid_form_says_what_is_wrong_under_each_field(paths, clock, sample, engine):
    ids = october_work(engine, sample, clock)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContractBillingScreen(ids["contract"]))
        await settle(pilot, until=lambda: getattr(app.screen, "detail", None) is not None)
        assert "no prepaid hours" in shown(app.screen, "#billing-balance")
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+s")  # nothing typed
        await settle(pilot)
        assert "Type how many hours were bought" in shown(form, "#error-hours")
        form.query_one("#field-hours").value = "2,5"
        form.query_one("#field-expires_on").value = "2026-09-01"  # before the purchase
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "expiry must be on or after the purchase date" in shown(form, "#error-expires_on")
        form.query_one("#field-expires_on").value = ""
        form.query_one("#field-purchased_on").value = "2026-10-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractBillingScreen)
        # 2 h 30 bought, 2 h 30 of included work in October: exhausted, said once.
        assert "0 min left of 2 h 30 (100 % used)" in shown(app.screen, "#billing-balance")
        assert sum("exhausted" in n for n in notes(app)) == 1
        app.screen.load()
        await settle(pilot)
        assert sum("exhausted" in n for n in notes(app)) == 1


async def test_the_rates_form_refuses_a_bad_rate_and_saves_a_good_one(paths, clock, sample, engine):
    ids = october_work(engine, sample, clock)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContractBillingScreen(ids["contract"]))
        await settle(pilot, until=lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-hourly_rate").value = "quatre-vingts"
        form.query_one("#field-rate_travel").value = "-3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a price per hour" in shown(form, "#error-hourly_rate")
        assert "between" in shown(form, "#error-rate_travel")
        form.query_one("#field-hourly_rate").value = "85,50"
        form.query_one("#field-rate_travel").value = "40"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContractBillingScreen)
        rates = shown(app.screen, "#billing-rates")
        assert "Hourly rate  €85.50" in rates and "travel €40.00" in rates
