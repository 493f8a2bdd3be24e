"""The monthly review and the service report screen, driven from the keyboard."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from msptui.ui.app import MsptuiApp
from msptui.ui.screens.reports.monthly_review import MonthlyReviewScreen
from msptui.ui.screens.reports.report import ReportScreen
from tests.billing_fixtures import october_work
from tests.pilot_helpers import settle
from tests.report_screen_fixtures import two_months, undisclosed_conflict

MONTH = "2026-11"


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def shown(screen, selector: str) -> str:
    """What a Static shows, as plain text (Text, or a Group of Text and tables)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(screen.query_one(selector).content)
    return console.export_text()


def column(table, key: str) -> list[str]:
    return [str(cell) for cell in table.get_column(key)]


def row_of(table, client_id: int) -> dict[str, str]:
    cells = table.get_row(str(client_id))
    return {str(c.key.value): str(cell) for c, cell in zip(table.ordered_columns, cells)}


async def open_review(app, pilot) -> MonthlyReviewScreen:
    await settle(pilot)
    app.push_screen(MonthlyReviewScreen(MONTH))
    await settle(pilot, until=lambda: getattr(app.screen, "review", None) is not None)
    return app.screen


async def test_the_review_shows_each_clients_month_and_the_bakery_slipping(paths, clock, sample, engine):
    ids = two_months(engine, sample)
    october_work(engine, sample, clock)
    undisclosed_conflict(engine, sample, clock)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        table = screen.query_one("#review")
        assert table.row_count == len(sample)
        assert "Monthly review · November 2026" in shown(screen, "#review-head")
        bakery = row_of(table, ids["client"])
        # November, counted by hand: the P2 ticket's three clocks and the P1's resolution met (4);
        # the P1's response (justified) and intervention, the P3's three clocks late (5): 4 / 9.
        assert bakery["compliance"] == "44.4"
        assert bakery["trend"] == "↓"  # October was better, whatever October's own count
        assert bakery["unjustified"] == "4/5"
        assert bakery["unbilled"] == "1 h"  # October's evening out of hours: the rest is included
        dentist = row_of(table, sample["DENT"])
        assert dentist["conflicts"] == "1"


async def test_sorting_by_a_column_puts_the_worst_first_and_r_reverses(paths, clock, sample, engine):
    ids = two_months(engine, sample)
    undisclosed_conflict(engine, sample, clock)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        table = screen.query_one("#review")
        await pilot.press("4")  # breaches not justified, most first
        await settle(pilot)
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == str(ids["client"])
        assert "sorted by breaches not justified" in shown(screen, "#review-head")
        await pilot.press("8")  # conflicts not disclosed
        await settle(pilot)
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == str(sample["DENT"])
        await pilot.press("r")
        await settle(pilot)
        last = table.row_count - 1
        assert table.coordinate_to_cell_key((last, 0)).row_key.value == str(sample["DENT"])
        assert "(reversed)" in shown(screen, "#review-head")
        await pilot.press("1")  # by name
        await settle(pilot)
        names = column(table, "client")
        assert names == sorted(names, key=str.lower)


async def test_enter_opens_the_clients_report_with_its_breaches_and_plots(paths, clock, sample, engine):
    ids = two_months(engine, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        table = screen.query_one("#review")
        table.move_cursor(row=table.get_row_index(str(ids["client"])))
        await pilot.press("enter")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert "Boulangerie Martin (BOUL) · November 2026" in shown(report, "#report-head")
        text = shown(report, "#report-text")
        assert "Missed deadlines (4 not justified)" in text
        assert "Panne générale de l'opérateur" in text and "not justified" in text
        # The plots: twelve months, from December 2025 to November 2026.
        plot = report.query_one("#plot-compliance")
        assert "Dec 2025 to Nov 2026" in str(plot.render())
        await pilot.press("left_square_bracket")
        await settle(pilot, until=lambda: "October 2026" in shown(report, "#report-head"))
        assert "Missed deadlines" not in shown(report, "#report-text")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MonthlyReviewScreen)


async def test_the_report_is_written_as_markdown_pdf_and_csv(paths, clock, sample, engine):
    ids = two_months(engine, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ReportScreen(ids["client"], MONTH))
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        await pilot.press("w")
        await settle(pilot)
        written = sorted(p.name for p in (paths.exports / "reports").iterdir())
        assert written == [f"BOUL-2026-11-service-report.{ext}" for ext in ("csv", "md", "pdf")]


async def test_at_80_columns_p_switches_between_figures_and_plots(paths, clock, sample, engine):
    ids = two_months(engine, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ReportScreen(ids["client"], MONTH))
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        screen = app.screen
        figures, plots = screen.query_one("#report-figures"), screen.query_one("#report-plots")
        assert figures.display and not plots.display
        await pilot.press("p")
        await settle(pilot)
        assert plots.display and not figures.display


async def test_a_month_not_begun_is_refused_in_words(paths, clock, sample, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ReportScreen(sample["BOUL"], "2027-01"))
        await settle(pilot)
        assert "has not begun yet" in shown(app.screen, "#report-head")


async def test_past_the_table_limit_the_worst_clients_are_shown_and_the_head_says_so(
    paths, clock, sample, engine, monkeypatch
):
    from msptui.ui.screens.reports import monthly_review

    monkeypatch.setattr(monthly_review, "SHOWN", 5)
    undisclosed_conflict(engine, sample, clock)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        table = screen.query_one("#review")
        assert table.row_count == 5
        assert "the first 5 shown" in shown(screen, "#review-head")
        await pilot.press("8")  # conflicts not disclosed, most first: the dentist comes into view
        await settle(pilot)
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == str(sample["DENT"])


def test_the_review_agrees_with_each_clients_report(clock, sample, engine):
    """One rule, two readers: the review's compliance, previous month and breaches are the
    service report's own figures, for every sample client."""
    from msptui.store.reads.monthly_review import monthly_review
    from msptui.store.reads.service_report import service_report

    two_months(engine, sample)
    october_work(engine, sample, clock)
    review = monthly_review(engine, MONTH, clock.now())
    assert {r.client_id for r in review.rows} == set(sample.values())
    for row in review.rows:
        report = service_report(engine, row.client_id, MONTH, clock.now())
        earlier = service_report(engine, row.client_id, "2026-10", clock.now())
        assert row.compliance == report.sla.overall.rate, row.name
        assert row.previous == earlier.sla.overall.rate, row.name
        assert (row.breaches, row.unjustified) == (len(report.sla.breaches), report.sla.not_justified), row.name
