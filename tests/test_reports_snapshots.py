"""Snapshots of the service report and the monthly review: sample data, a frozen clock (Monday
23 November 2026), two months of the bakery's tickets; at 120x40, and usable at 80x24."""

from __future__ import annotations

import pytest

from msptui.ui.app import MsptuiApp
from msptui.ui.screens.reports.monthly_review import MonthlyReviewScreen
from msptui.ui.screens.reports.report import ReportScreen
from tests.billing_fixtures import october_work, prepaid, set_rate
from tests.delivery_fixtures import provide
from tests.pilot_helpers import settle
from tests.report_screen_fixtures import satisfaction_falling, two_months, undisclosed_conflict

MONTH = "2026-11"


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def bakery_months(engine, sample, clock) -> int:
    provide(engine)
    ids = two_months(engine, sample)
    work = october_work(engine, sample, clock)
    set_rate(engine, work["contract"], "80.00")
    prepaid(engine, work["contract"], "2", clock)
    undisclosed_conflict(engine, sample, clock)
    satisfaction_falling(engine, ids, clock)
    return ids["client"]


async def shown_alone(pilot, until) -> None:
    """Wait for the screen's read, then clear the toasts: the prepaid alerts said when the store
    opens (75, 90, 100 % of the bakery's block) belong to the board, not to these screens."""
    await settle(pilot, until=until)
    pilot.app.clear_notifications()
    await settle(pilot)


def report_at(size, paths, clock, sample, engine, snap_compare):
    client = bakery_months(engine, sample, clock)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(ReportScreen(client, MONTH))
        await shown_alone(pilot, lambda: getattr(pilot.app.screen, "report", None) is not None)

    return snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=run_before)


def review_at(size, paths, clock, sample, engine, snap_compare):
    bakery_months(engine, sample, clock)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(MonthlyReviewScreen(MONTH))
        await shown_alone(pilot, lambda: getattr(pilot.app.screen, "review", None) is not None)

    return snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=run_before)


def test_service_report_at_120x40(snap_compare, paths, clock, sample, engine):
    assert report_at((120, 40), paths, clock, sample, engine, snap_compare)


def test_service_report_at_80x24(snap_compare, paths, clock, sample, engine):
    assert report_at((80, 24), paths, clock, sample, engine, snap_compare)


def test_service_report_plots_at_80x24(snap_compare, paths, clock, sample, engine):
    client = bakery_months(engine, sample, clock)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(ReportScreen(client, MONTH))
        await shown_alone(pilot, lambda: getattr(pilot.app.screen, "report", None) is not None)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)


def test_monthly_review_at_120x40(snap_compare, paths, clock, sample, engine):
    assert review_at((120, 40), paths, clock, sample, engine, snap_compare)


def test_monthly_review_at_80x24(snap_compare, paths, clock, sample, engine):
    assert review_at((80, 24), paths, clock, sample, engine, snap_compare)
