"""The service report read from the store and written as Markdown, PDF and CSV.

October 2026 at the bakery (BOUL: Mon-Fri 08:30-18:30 in Paris; P1 response 30 min,
intervention 2 h, resolution 8 h; P2 1 h, 4 h, 16 h; P3 4 h, 16 h, 48 h), built
through the store as the technician would:

- A (P1) Mon 5, 16:50: answered in 5 min, worked on at 17:00, resolved Tue 6 at 11:00
  (4 h 10 of business time): all met. Its two time entries (tests/billing_fixtures):
  3 h 30 spent, 2 h 30 included, 1 h billable (out of hours, surcharged).
- B (P3) Tue 13, 09:00: answered at 14:00, late since 13:00, justified; then met.
- C (P2) Wed 21, 09:00: resolved Fri 23 at 17:00, late since Thu 22 at 15:00, not
  justified; reopened Mon 26 at 09:00 and resolved again at 10:00.
- D (P3) Tue 27, 09:00: answered at 09:10, raised to P1 at 09:15, worked on at 11:30:
  intervention late since 11:00 under P1, not justified; resolved at 15:00 (met, P1).
- E no contract, Wed 28: acknowledged, still open.
Hand counts: 5 opened, 4 resolved, 1 still open, 1 reopened; 9 clocks met, 3 missed: 75.0 %.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from msptui.store import tickets as t
from msptui.store.clients import RefusedError
from msptui.store.files.report_plots import BILLABLE_COLOUR, INCLUDED_COLOUR
from msptui.store.files.service_report import report_csv, report_markdown, write_report_files
from msptui.store.justifications import justify_breach
from msptui.store.reads.service_report import service_report
from msptui.store.schemas.engagements import ConflictCreate, DisclosureInput
from tests.billing_fixtures import MONTH, october_work, paris, prepaid
from tests.delivery_fixtures import fill_checklist, make_engagement, provide

FIBRE = "La fibre de l'opérateur était coupée dans tout le quartier."
H = timedelta(hours=1)


def opened(engine, client, contract, at, priority="P3", title="Poste de caisse lent"):
    return t.open_ticket(
        engine, t.TicketCreate(client_id=client, contract_id=contract, title=title, priority=priority), at
    )


def english(engine, client_id: int) -> None:
    """The client reads English documents (a French address gives French ones: tests/test_documents_french.py)."""
    from msptui.store import db
    from msptui.store.models import Client

    with db.write(engine) as s:
        s.get(Client, client_id).language = "en"


@pytest.fixture
def october(engine, sample, clock):
    provide(engine)
    english(engine, sample["BOUL"])
    ids = october_work(engine, sample, clock)
    client, contract, a = ids["client"], ids["contract"], ids["ticket"]
    t.acknowledge(engine, a, paris(2026, 10, 5, 16, 55))
    t.start_intervention(engine, a, "on_site", paris(2026, 10, 5, 17, 0))
    t.resolve(engine, a, paris(2026, 10, 6, 11, 0))
    t.close(engine, a, paris(2026, 10, 7, 9, 0))

    b = opened(engine, client, contract, paris(2026, 10, 13, 9, 0))
    t.acknowledge(engine, b, paris(2026, 10, 13, 14, 0))
    t.start_intervention(engine, b, "remote", paris(2026, 10, 13, 14, 30))
    t.resolve(engine, b, paris(2026, 10, 14, 10, 0))
    t.close(engine, b, paris(2026, 10, 15, 9, 0))
    justify_breach(engine, b, "response", FIBRE, paris(2026, 10, 15, 9, 5))

    c = opened(engine, client, contract, paris(2026, 10, 21, 9, 0), "P2", "Imprimante à tickets muette")
    t.acknowledge(engine, c, paris(2026, 10, 21, 9, 30))
    t.start_intervention(engine, c, "remote", paris(2026, 10, 21, 10, 0))
    t.resolve(engine, c, paris(2026, 10, 23, 17, 0))
    t.reopen(engine, c, paris(2026, 10, 26, 9, 0))
    t.resolve(engine, c, paris(2026, 10, 26, 10, 0))
    t.close(engine, c, paris(2026, 10, 27, 9, 0))

    d = opened(engine, client, contract, paris(2026, 10, 27, 9, 0), "P3", "Terminal de paiement")
    t.acknowledge(engine, d, paris(2026, 10, 27, 9, 10))
    t.change_priority(engine, d, "P1", paris(2026, 10, 27, 9, 15))
    t.start_intervention(engine, d, "on_site", paris(2026, 10, 27, 11, 30))
    t.resolve(engine, d, paris(2026, 10, 27, 15, 0))

    e = opened(engine, client, None, paris(2026, 10, 28, 10, 0), "P3", "Installer une imprimante")
    t.acknowledge(engine, e, paris(2026, 10, 28, 10, 30))

    prepaid(engine, contract, "10", clock)
    ids.update(a=a, b=b, c=c, d=d, e=e)
    return ids


def report(engine, october, clock):
    return service_report(engine, october["client"], MONTH, clock.now())


def test_the_tickets_of_the_month_are_counted_once_each(engine, october, clock):
    counts = report(engine, october, clock).tickets
    assert (counts.opened, counts.resolved, counts.still_open) == (5, 4, 1)
    assert (counts.reopened, counts.without_contract) == (1, 1)


def test_each_clock_and_priority_is_met_or_missed_as_counted_by_hand(engine, october, clock):
    sla = report(engine, october, clock).sla
    rows = {(r.clock, r.priority): (r.met, r.breached, r.pending) for r in sla.rows}
    assert rows == {
        ("response", "P1"): (1, 0, 0),  # A
        ("response", "P2"): (1, 0, 0),  # C
        ("response", "P3"): (1, 1, 0),  # D (answered before it was raised); B late
        ("intervention", "P1"): (1, 1, 0),  # A; D late under its new priority
        ("intervention", "P2"): (1, 0, 0),
        ("intervention", "P3"): (1, 0, 0),  # B
        ("resolution", "P1"): (2, 0, 0),  # A, D
        ("resolution", "P2"): (0, 1, 0),  # C: one clock, however often reopened
        ("resolution", "P3"): (1, 0, 0),  # B
    }
    assert (sla.overall.met, sla.overall.breached, sla.overall.rate) == (9, 3, Decimal("75.0"))
    assert [(b.ticket_id, b.clock, b.late_since, b.words) for b in sla.breaches] == [
        (october["b"], "response", paris(2026, 10, 13, 13, 0), FIBRE),
        (october["c"], "resolution", paris(2026, 10, 22, 15, 0), "not justified"),
        (october["d"], "intervention", paris(2026, 10, 27, 11, 0), "not justified"),
    ]


def test_the_report_agrees_with_the_board_and_the_explain_view_on_every_breach(engine, october, clock):
    from msptui.ui.screens.tickets.explain import explain_with_breaches

    now = clock.now()
    reported = {}
    for b in report(engine, october, clock).sla.breaches:
        reported.setdefault(b.ticket_id, {})[b.clock] = b.justification or ""
    for key in "abcde":
        tid = october[key]
        engine_says = {k for k, c in t.clocks_from_log(engine, tid, now).items() if c.status == "breached"}
        _lines, explained = explain_with_breaches(engine, tid, now, ZoneInfo("Europe/Paris"))
        assert set(reported.get(tid, {})) == engine_says == set(explained), key
        assert reported.get(tid, {}) == explained, key


def test_time_and_prepaid_hours_are_the_statements(engine, october, clock):
    from msptui.store.reads.statement import statement

    r = report(engine, october, clock)
    st = statement(engine, october["client"], MONTH, clock.now())
    assert (r.time.spent, r.time.included, r.time.billable) == (3.5 * H, 2.5 * H, H)
    assert r.time.surcharged == H
    assert r.prepaid == st.prepaid
    (block,) = r.prepaid
    assert (block.used_this_month, block.remaining) == (2.5 * H, 7.5 * H)
    october_point = r.series[-1]
    assert (october_point.month, october_point.hours, october_point.compliance) == (
        "2026-10",
        Decimal("3.50"),
        Decimal("75.0"),
    )
    assert len(r.series) == 12 and r.series[0].month == "2025-11"


def test_deliveries_made_and_conflicts_disclosed_in_the_month_are_listed(engine, october, clock):
    from msptui.store import conflicts
    from msptui.store import deliveries as dl

    client = october["client"]
    on = paris(2026, 10, 20, 10, 0)
    engagement = make_engagement(engine, client, on)
    delivery = dl.open_delivery(engine, engagement, on)
    fill_checklist(engine, delivery, on)
    dl.mark_delivered(engine, delivery, paris(2026, 10, 20, 16, 0))
    told = conflicts.register_conflict(
        engine,
        ConflictCreate(client_id=client, kind="vendor_incentive", description="Commission from the POS vendor"),
        paris(2026, 10, 8, 9, 0),
    )
    conflicts.disclose(
        engine,
        told,
        DisclosureInput(disclosed_at=paris(2026, 10, 9, 11, 0), to_whom="Sophie Martin", how="E-mail"),
        paris(2026, 10, 9, 11, 0),
    )
    conflicts.register_conflict(  # not told yet: counted for the technician, not printed
        engine, ConflictCreate(client_id=client, kind="other", description="My cousin works there"), clock.now()
    )
    r = report(engine, october, clock)
    (made,) = r.deliveries
    assert (made.day.isoformat(), made.engagement, made.signatory) == (
        "2026-10-20",
        "Serveur de fichiers NAS",
        "Sophie Martin",
    )
    assert made.note_number
    (conflict,) = r.conflicts
    assert (conflict.day.isoformat(), conflict.kind, conflict.disclosed_to) == (
        "2026-10-09",
        "Vendor incentive",
        "Sophie Martin",
    )
    assert r.undisclosed_conflicts == 1
    text = report_markdown(r)
    assert "Commission from the POS vendor" in text and "cousin" not in text
    assert f"delivery note {made.note_number}" in text


def test_satisfaction_says_not_recorded_yet_until_it_is(engine, october, clock):
    r = report(engine, october, clock)
    if importlib.util.find_spec("msptui.store.satisfaction") is None:
        assert r.satisfaction is None
    if r.satisfaction is None:
        assert "Satisfaction: not recorded yet." in report_markdown(r)


def test_a_month_not_begun_or_not_a_month_is_refused_in_words(engine, october, clock):
    with pytest.raises(RefusedError, match="has not begun yet"):
        service_report(engine, october["client"], "2027-01", clock.now())
    with pytest.raises(RefusedError, match="YYYY-MM"):
        service_report(engine, october["client"], "oct 2026", clock.now())
    with pytest.raises(RefusedError, match="no longer exists"):
        service_report(engine, 999_999, MONTH, clock.now())


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.slow  # matplotlib may run fontconfig's fc-list once, to build its font cache
def test_the_pdf_carries_the_figures_the_breaches_and_the_providers_identity(engine, october, clock, paths):
    files = write_report_files(paths.exports, report(engine, october, clock))
    assert [p.name for p in files.written] == [
        "BOUL-2026-10-service-report.md",
        "BOUL-2026-10-service-report.pdf",
        "BOUL-2026-10-service-report.csv",
    ]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files.written)
    text = " ".join(pdf_text(files.pdf).split())
    for expected in (
        "Service report, October 2026",
        "Durand Informatique",
        "FR44732829320",
        "Boulangerie Martin (BOUL)",
        "5 opened, 4 resolved, 1 still open",
        "75.0 % of the deadlines that fell this month were met (9 met, 3 missed",
        "2 of them not justified",
        "not justified",
        "Time spent: 3h30",
        "Billable: 1h",
        "Reopened after a resolution: 1",
        "7h30 left",
        "October 2026 (1 Oct 2026 to 31 Oct 2026)",
        "Figures as of Mon 23 Nov 2026, 10:00 (Europe/Paris)",
        "Tue 13 Oct 2026, 13:00",  # B late since, in the client's time
    ):
        assert expected in text, expected
    assert "fibre de l" in text  # the justification, as written (accents need the Unicode font)


def colours(page) -> list[tuple[str, tuple[float, ...]]]:
    ops = ContentStream(page.get_contents(), page.pdf).operations
    return [(op.decode(), tuple(round(float(x), 3) for x in args)) for args, op in ops if op in (b"rg", b"RG")]


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


@pytest.mark.slow  # matplotlib may run fontconfig's fc-list once, to build its font cache
def test_the_charts_are_vector_graphics_in_the_pdf_not_a_picture(engine, october, clock, paths):
    files = write_report_files(paths.exports, report(engine, october, clock), ["pdf"])
    reader = PdfReader(files.pdf)
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject")
        images = [
            x for x in (xobjects.get_object().values() if xobjects else []) if x.get_object()["/Subtype"] == "/Image"
        ]
        assert images == []
    first = reader.pages[0]
    fills = colours(first)
    # The bars of the hours chart are paths filled in the chart's colours, drawn on the page itself.
    assert ("rg", rgb(INCLUDED_COLOUR)) in fills
    ops = [op for _args, op in ContentStream(first.get_contents(), reader).operations]
    assert ops.count(b"l") > 50 and (b"f" in ops or b"f*" in ops)


def test_the_csv_has_every_figure_in_cells_a_spreadsheet_reads(engine, october, clock):
    rows = list(csv.reader(io.StringIO(report_csv(report(engine, october, clock)).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Client code", "Month", "Section", "Item"]
    cells = {(r[2], r[3], r[4], r[5]): r[6] for r in rows[1:]}
    assert cells[("tickets", "opened", "", "")] == "5"
    assert cells[("service levels", "compliance %", "all", "all")] == "75.0"
    assert cells[("service levels", "missed", "resolution", "P2")] == "1"
    assert cells[("hours", "billable", "", "")] == "1.00"
    justified = [r for r in rows if r[2] == "missed deadline"]
    assert [r[7] for r in justified] == [FIBRE, "not justified", "not justified"]


@pytest.mark.slow  # matplotlib may run fontconfig's fc-list once, to build its font cache
def test_the_charts_are_the_same_bytes_for_the_same_month(engine, october, clock):
    from msptui.store.files.report_plots import charts_svg

    r = report(engine, october, clock)
    assert charts_svg(r.series) == charts_svg(r.series)
    assert BILLABLE_COLOUR.lower().encode() in charts_svg(r.series).lower()


@pytest.mark.skipif(importlib.util.find_spec("msptui.store.satisfaction") is None, reason="satisfaction not built yet")
def test_satisfaction_recorded_in_the_month_is_in_the_report(engine, october, clock):
    from msptui.store.satisfaction import record_satisfaction
    from msptui.store.schemas.satisfaction import SatisfactionCreate

    record_satisfaction(
        engine,
        SatisfactionCreate(
            ticket_id=october["b"], score=4, comment="Rapide, et bien expliqué", asked_at=paris(2026, 10, 15, 9, 30)
        ),
        paris(2026, 10, 15, 9, 30),
    )
    r = report(engine, october, clock)
    assert r.satisfaction is not None and r.satisfaction_answers == 1
    assert r.satisfaction.avg_12m == Decimal("4.0")
    text = report_markdown(r)
    assert "Average over the last 12 months: 4.0 / 5 (1 answer)" in text and "Rapide, et bien expliqué" in text
