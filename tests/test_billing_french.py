"""The billing and reports screens in French (issue 19), at 80x24: French words and keys, money
as a French accountant writes it ("1 234,50 €"), refusals in French, and nothing cut in French
that is not cut in English."""

from __future__ import annotations

import html
import re

import pytest

from msptui.core import i18n
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.billing.contract import ContractBillingScreen
from msptui.ui.screens.billing.statement import StatementScreen
from msptui.ui.screens.reports.monthly_review import MonthlyReviewScreen
from msptui.ui.screens.reports.report import ReportScreen
from tests.billing_fixtures import MONTH, october_work, prepaid, set_rate
from tests.delivery_fixtures import provide
from tests.pilot_helpers import settle
from tests.report_screen_fixtures import two_months, undisclosed_conflict

NARROW = (80, 24)
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line (from the app's own screenshot), no-break spaces as spaces."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for found in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(found[2]), []).append((float(found[1]), html.unescape(found[3])))
    return ["".join(t for _x, t in sorted(cells)).replace(NBSP, " ") for _y, cells in sorted(rows.items())]


def footer_keys(app) -> list[str]:
    """The keys the footer shows (its last line: "w Write files  c Close period  ...")."""
    return [part.split()[0] for part in screen_lines(app)[-1].split("▏")[0].split("  ") if part.strip()]


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector).render()).replace(NBSP, " ")


async def open_screen(app, pilot, screen, loaded: str):
    await settle(pilot)
    app.push_screen(screen)
    await settle(pilot, until=lambda: getattr(app.screen, loaded, None) is not None)
    app.clear_notifications()  # the board's prepaid alerts, said when the store opens
    await settle(pilot)
    return app.screen


async def in_both_languages(paths, clock, make_screen, loaded: str) -> dict[str, tuple[list[str], list[str]]]:
    """(screen lines, footer keys) of the same screen in English, then in French."""
    seen = {}
    for language in ("en", "fr"):
        i18n.set_interface_language(language)
        app = MsptuiApp(paths, clock)
        async with app.run_test(size=NARROW) as pilot:
            await open_screen(app, pilot, make_screen(), loaded)
            seen[language] = (screen_lines(app), footer_keys(app))
    return seen


@pytest.fixture
def october(engine, sample, clock) -> dict[str, int]:
    """The bakery's October: two entries, a rate of 80.00 EUR, a 2-hour block of prepaid hours."""
    provide(engine)
    ids = october_work(engine, sample, clock)
    set_rate(engine, ids["contract"], "80.00")
    prepaid(engine, ids["contract"], "2", clock)
    return ids


# --- the statement ------------------------------------------------------------------------------


async def test_the_statement_reads_in_french_with_french_money(french, paths, clock, october):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_screen(app, pilot, StatementScreen(october["client"], MONTH), "statement")
        head = shown(screen, "#statement-head")
        assert "Relevé d'activité · Boulangerie Martin (BOUL) · octobre 2026" in head
        assert "ouvert · brouillon : les lignes peuvent encore changer" in head
        # 1 h 30 in hours (included) and 1 h out of hours at 80,00 € + 25 %: 100,00 € net, 120,00 € with VAT.
        summary = shown(screen, "#statement-summary")
        assert "HT 140,00 € · TVA 28,00 € · Total TTC 168,00 €  (2 lignes)" in summary
        assert "€140" not in summary and "EUR" not in summary
        text = "\n".join(screen_lines(app))
        assert " 05/10 " in text and "100,00 €" in text and "120,00 €" in text
        assert "Travail" in text and "Total" in text
        assert "w Écrire" in text and "c Clôturer" in text


async def test_closing_without_a_rate_is_refused_in_french(french, paths, clock, engine, sample):
    provide(engine)
    ids = october_work(engine, sample, clock)  # no rate on the contract
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_screen(app, pilot, StatementScreen(ids["client"], MONTH), "statement")
        await pilot.press("c")
        await settle(pilot)
        (refusal,) = [n for n in app._notifications if n.severity == "error"]
        assert refusal.title == "Période non clôturée"
        assert refusal.message.startswith("Fixez un taux horaire sur le contrat MSP-2026-001")
        assert isinstance(app.screen, StatementScreen)  # refused before asking


async def test_the_statement_keeps_its_keys_in_french(paths, clock, october):
    seen = await in_both_languages(paths, clock, lambda: StatementScreen(october["client"], MONTH), "statement")
    assert seen["fr"][1] == seen["en"][1]  # the same keys fit the footer: w, c, [, ?, ^q
    english, french = seen["en"][0], seen["fr"][0]
    assert any("Prépayé MSP-2026-001 : dépassé de 30 min (2 h achetées), 2 h ce mois-ci" in line for line in french)
    assert len(french) == len(english)


# --- a contract's billing -----------------------------------------------------------------------


async def test_the_contracts_rates_and_prepaid_hours_read_in_french(french, paths, clock, october):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_screen(app, pilot, ContractBillingScreen(october["contract"]), "detail")
        rates = shown(screen, "#billing-rates")
        assert "Taux horaire  80,00 €" in rates
        assert "TVA  20,00 %  ·  majoration hors heures ouvrées  +25 %" in rates
        text = "\n".join(screen_lines(app))
        assert "Bloc 2026-A  2,00 h  1 oct. 2026  jamais" in text
        assert "p + heures prépayées" in text and "r Tarifs" in text and "esc Retour" in text


async def test_a_bad_prepaid_block_is_refused_in_french_under_its_field(french, paths, clock, october):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_screen(app, pilot, ContractBillingScreen(october["contract"]), "detail")
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+s")  # nothing typed
        await settle(pilot)
        assert "Saisissez le nombre d'heures achetées, par exemple 10." in shown(form, "#error-hours")
        assert form is app.screen  # nothing saved, the form stays


async def test_the_contracts_billing_keeps_its_keys_in_french(paths, clock, october):
    seen = await in_both_languages(paths, clock, lambda: ContractBillingScreen(october["contract"]), "detail")
    for key in ("esc", "r", "p"):  # the screen's own keys, all three in both languages
        assert key in seen["en"][1] and key in seen["fr"][1]


# --- the monthly review and the service report ---------------------------------------------------


@pytest.fixture
def two_bakery_months(engine, sample, clock) -> int:
    provide(engine)
    ids = two_months(engine, sample)
    october_work(engine, sample, clock)
    undisclosed_conflict(engine, sample, clock)
    return ids["client"]


async def test_the_monthly_review_reads_in_french(paths, clock, two_bakery_months):
    seen = await in_both_languages(paths, clock, lambda: MonthlyReviewScreen("2026-11"), "review")
    english, french = seen["en"][0], seen["fr"][0]
    assert "Revue mensuelle · novembre 2026 · 12 clients · tri : respect des délais, le" in french[1]
    header = french[3]
    for word in ("Client", "SLA %", "Injust", "À fact.", "Prépayé", "Satisf", "Confl.", "Livr."):
        assert word in header
    # Every column header is as short as the English: the header line is no longer, no client more cut.
    assert len(header.rstrip()) <= len(english[3].rstrip())
    assert sum(line.count("…") for line in french) == sum(line.count("…") for line in english)
    bakery = next(line for line in french if "Boulangerie" in line)
    assert "44,4 ↓" in bakery and "4/5" in bakery and " 1 h " in bakery  # 1 h out of hours unbilled
    assert seen["fr"][1][:3] == seen["en"][1][:3] == ["⏎", "o", "r"]
    assert len(seen["fr"][1]) == len(seen["en"][1])  # one month key each, as many keys in all


async def test_the_service_report_reads_in_french(french, paths, clock, two_bakery_months):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_screen(app, pilot, ReportScreen(two_bakery_months, "2026-11"), "report")
        assert screen.title == "Rapport de service"
        assert "Rapport de service · Boulangerie Martin (BOUL) · novembre 2026" in shown(screen, "#report-head")
        text = "\n".join(screen_lines(app))
        assert "Niveaux de service" in text and "p Graphiques" in text and "w Écrire" in text
        await pilot.press("p")
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "Respect des délais SLA en % par mois, de déc. 2025 à nov. 2026" in text
        assert "Heures passées par mois" in text


async def test_a_month_not_begun_is_refused_in_french(french, paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.push_screen(ReportScreen(sample["BOUL"], "2027-01"))
        await settle(pilot)
        assert "n'a pas encore commencé" in shown(app.screen, "#report-head")
