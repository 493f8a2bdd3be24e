"""The statement of activity: what a client reads for a month, and what closing it freezes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from msptui.store.clients import RefusedError
from msptui.store.files.statement import CSV_HEADER, statement_csv, write_statement_files
from msptui.store.reads.statement import close_statement, prepaid_line, statement
from tests.billing_fixtures import MONTH, october_work, paris, prepaid, set_rate
from tests.delivery_fixtures import provide


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


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
    return october_work(engine, sample, clock)


def test_each_entry_is_split_at_the_contracts_hours_and_priced_from_its_rates(engine, october, clock):
    set_rate(engine, october["contract"], "80.00")
    s = statement(engine, october["client"], MONTH, clock.now())
    evening, morning = s.lines
    assert (evening.in_hours, evening.out_of_hours) == (timedelta(hours=1, minutes=30), timedelta(hours=1))
    # P1 out of hours is sold at +25 %: 1 h at 80.00 plus 20.00 of surcharge, VAT 20 %.
    assert (evening.amounts.net, evening.amounts.surcharge, evening.amounts.vat) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("20.00"),
    )
    assert morning.amounts.net == Decimal("0.00")  # in hours, within scope: included
    assert s.totals.total == sum(line.amounts.total for line in s.lines) == Decimal("120.00")
    assert s.status == "open" and s.period == "October 2026"


def test_prepaid_hours_are_consumed_and_what_is_over_is_billed_and_shown(engine, october, clock):
    set_rate(engine, october["contract"], "80.00")
    prepaid(engine, october["contract"], "2", clock)
    s = statement(engine, october["client"], MONTH, clock.now())
    assert [line.over_prepaid for line in s.lines] == [timedelta(0), timedelta(minutes=30)]
    assert s.lines[1].amounts.net == Decimal("40.00")  # half an hour beyond the block, at the rate
    (balance,) = s.prepaid
    assert balance.over == timedelta(minutes=30) and balance.percent_used == 100
    assert prepaid_line(engine, october["contract"], clock.now()) == "Prepaid: over by 30 min (2 h bought)"


def test_closing_is_refused_without_a_rate_and_nothing_is_written(engine, october, clock):
    with pytest.raises(RefusedError, match="Set an hourly rate on contract MSP-2026-001"):
        close_statement(engine, october["client"], MONTH, clock.now())
    assert statement(engine, october["client"], MONTH, clock.now()).status == "open"


def test_a_closed_statement_keeps_its_amounts_when_the_rates_change(engine, october, clock):
    set_rate(engine, october["contract"], "80.00")
    number = close_statement(engine, october["client"], MONTH, clock.now())
    assert number == "RA-2026-0001"
    set_rate(engine, october["contract"], "95.00")
    s = statement(engine, october["client"], MONTH, clock.now())
    assert s.status == "closed RA-2026-0001"
    assert s.totals.total == Decimal("120.00")


def test_a_correction_after_the_close_bills_only_the_difference_next_month(engine, october, clock):
    from msptui.store.schemas.time import TimeEntryCreate
    from msptui.store.time_entries import correct_entry

    set_rate(engine, october["contract"], "80.00")
    close_statement(engine, october["client"], MONTH, clock.now())
    # The evening really ended at 20:00: half an hour more out of hours.
    correct_entry(
        engine,
        october["evening"],
        TimeEntryCreate(
            ticket_id=october["ticket"],
            started_at=paris(2026, 10, 5, 17, 0),
            ended_at=paris(2026, 10, 5, 20, 0),
            description="Remplacement du disque de la caisse",
            category="on_site",
        ),
        clock.now(),
    )
    (line,) = statement(engine, october["client"], "2026-11", clock.now()).lines
    assert line.out_of_hours == timedelta(minutes=30) and line.in_hours == timedelta(0)
    assert line.amounts.net == Decimal("50.00")  # 0.5 h at 80.00 + 25 %
    assert line.corrects == "corrects the entry of 2026-10-05 (RA-2026-0001)"


def test_the_pdf_carries_the_provider_client_period_every_line_and_the_totals(engine, october, clock, paths):
    set_rate(engine, october["contract"], "80.00")
    s = statement(engine, october["client"], MONTH, clock.now())
    files = write_statement_files(paths.exports, s)
    text = " ".join(pdf_text(files.pdf).split())
    for expected in ("Boulangerie Martin", "October 2026", "Draft", "Total including VAT: €120.00"):
        assert expected in text
    assert "October 2026 (1 Oct 2026 to 31 Oct 2026)" in text
    assert " ".join(s.provider_lines[0].split()) in text
    for line in s.lines:
        assert f"{line.day.day} Oct 2026" in text and line.reference in text
    assert "€80.00" in text and "€20.00" in text  # the rate and the evening's surcharge, in every line's cells
    assert "Réinstallation du pilote" in text or "Reinstallation du pilote" in text
    assert files.pdf.stat().st_mode & 0o777 == 0o600


def test_the_csv_opens_with_accents_intact_and_one_column_per_field(engine, october, clock, paths):
    set_rate(engine, october["contract"], "80.00")
    s = statement(engine, october["client"], MONTH, clock.now())
    files = write_statement_files(paths.exports, s)
    raw = files.csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark a spreadsheet needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == CSV_HEADER
    assert rows[2][CSV_HEADER.index("Description")] == (
        "Réinstallation du pilote d'imprimante à tickets, vérifié avec Mme Lefèvre"
    )
    nets = [Decimal(r[CSV_HEADER.index("Net")]) for r in rows[1:]]
    assert sum(nets) == s.totals.net


def test_the_markdown_keeps_client_text_literal(engine, october, clock, paths):
    s = statement(engine, october["client"], MONTH, clock.now())
    text = write_statement_files(paths.exports, s).markdown.read_text(encoding="utf-8")
    assert "# Statement of activity" in text and "rate missing" in text
    assert "Totals incomplete: Set an hourly rate" in text


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.integers(1, 24 * 60),
            st.integers(0, 24 * 60),
            st.decimals(min_value=0, max_value=500, places=2),
        ),
        min_size=1,
        max_size=8,
    ),
    vat=st.sampled_from([Decimal("20"), Decimal("5.5"), Decimal("0")]),
)
def test_the_csv_lines_add_up_to_the_totals_to_the_cent(lines, vat):
    from datetime import date

    from msptui.core.rules.billing import EntryBilling, Rates, line_amounts, statement_totals
    from msptui.store.reads.statement import Statement, StatementLine

    rows = []
    for n, (billable, surcharged, rate) in enumerate(lines):
        b = EntryBilling(
            timedelta(0), timedelta(minutes=billable), timedelta(minutes=min(surcharged, billable)), timedelta(0), ""
        )
        amounts = line_amounts(b, "remote", Rates(hourly=rate, surcharge_pct=50, vat_pct=vat))
        rows.append(
            StatementLine(
                n,
                date(2026, 10, 1),
                f"#{n}",
                "t",
                "",
                "remote",
                "K",
                b.billable,
                timedelta(0),
                b,
                timedelta(0),
                amounts,
            )
        )
    s = Statement(
        None,
        1,
        "Client é",
        "C",
        "",
        "2026-10",
        date(2026, 10, 1),
        date(2026, 10, 31),
        "EUR",
        tuple(rows),
        statement_totals(r.amounts for r in rows),
        (),
        None,
        None,
    )
    parsed = list(csv.reader(io.StringIO(statement_csv(s).decode("utf-8-sig")), delimiter=";"))[1:]
    for column, total in (("Net", s.totals.net), ("VAT", s.totals.vat), ("Total", s.totals.total)):
        assert sum(Decimal(r[CSV_HEADER.index(column)]) for r in parsed) == total


def test_lines_priced_in_two_currencies_are_never_added_into_one_total(engine, october, clock):
    """A client with an EUR contract and a CHF one: the statement says so and does not close."""
    from msptui.store import db
    from msptui.store.models import Contract
    from msptui.store.schemas.time import TimeEntryCreate
    from msptui.store.tickets import TicketCreate, open_ticket
    from msptui.store.time_entries import add_entry

    set_rate(engine, october["contract"], "80.00")
    with db.write(engine) as s:
        eur = s.get(Contract, october["contract"])
        chf = Contract.model_validate(eur.model_dump(exclude={"id", "reference"}) | {"reference": "GEN-CH-1"})
        chf.currency = "CHF"
        s.add(chf)
        s.flush()
        chf_id = chf.id
    ticket = open_ticket(
        engine,
        TicketCreate(client_id=october["client"], contract_id=chf_id, title="Succursale de Genève", priority="P3"),
        paris(2026, 10, 7, 9, 0),
    )
    add_entry(
        engine,
        TimeEntryCreate(ticket_id=ticket, started_at=paris(2026, 10, 7, 10, 0), duration="1h", description="Genève"),
        clock.now(),
    )
    said = statement(engine, october["client"], MONTH, clock.now()).missing_rates
    assert any("priced in CHF and EUR" in reason for reason in said)
    with pytest.raises(RefusedError, match="priced in CHF and EUR"):
        close_statement(engine, october["client"], MONTH, clock.now())
