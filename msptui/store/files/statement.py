"""A client's statement of activity as files: Markdown and PDF for the client, CSV for the accounts.

All three are written from one read model (`msptui.store.reads.statement`), so
they always list the same lines and the same totals. They go to
exports/statements/, named after the client's code and the month
("BOUL-2026-11-RA-2026-0001.md" once closed, "BOUL-2026-11-draft.md" while
the period is open: a draft says so at its top), rewritten whole on every
export, each 0600 and complete or absent (`store/files/private.py`).

The CSV is for an accounting tool or a spreadsheet: UTF-8 with a byte-order
mark and ";" between cells, so a French spreadsheet opens it with accents
intact and one column per field; amounts and hours are written as Decimal
writes them ("85.00", "-12.50"). The PDF uses the delivery note's fonts
(a Unicode font when found, else the built-in one: see `files/delivery_note.py`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from msptui.core.markdown_text import md_cell, md_literal
from msptui.core.rules.time_entries import format_duration, hours_of
from msptui.store.files.delivery_note import _heading, _paragraphs  # the house's PDF headings and paragraphs

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from msptui.store.reads.statement import PrepaidState, Statement, StatementLine

FOLDER = "statements"
# Excel only recognises UTF-8 with a byte-order mark; without it "Lefèvre" is garbled.
CSV_ENCODING = "utf-8-sig"
CSV_SEPARATOR = ";"
DRAFT = "Draft: this period is open, its lines can still change. Not a bill."
NO_RATE = "rate missing"


@dataclass(frozen=True)
class StatementFiles:
    markdown: Path
    pdf: Path
    csv: Path
    font: Path | None  # the embedded Unicode font, or None for the built-in fallback


# --- what the statement says (shared by every format) -------------------------------------------


def title(st: Statement) -> str:
    number = f" {st.number}" if st.number else ""
    return f"Statement of activity{number}"


def money(amount: Decimal | None, currency: str) -> str:
    return NO_RATE if amount is None else f"{amount} {currency}"


def what(line: StatementLine) -> str:
    """The ticket or engagement and its title, the description, and a correction's reference."""
    parts = [f"{line.reference} {line.title}".strip()]
    if line.description:
        parts.append(line.description)
    if line.corrects:
        parts.append(f"({line.corrects})")
    return " - ".join(parts)


def line_cells(line: StatementLine, currency: str) -> list[str]:
    """A line as the Markdown and PDF tables show it."""
    a = line.amounts
    return [
        line.day.isoformat(),
        what(line),
        format_duration(line.in_hours),
        format_duration(line.out_of_hours),
        money(a.rate, currency) if a else NO_RATE,
        money(a.surcharge, currency) if a else "",
        money(a.net, currency) if a else "",
        money(a.vat, currency) if a else "",
        money(a.total, currency) if a else "",
    ]


LINE_HEADER = ["Date", "Ticket or project", "In hours", "Out of hours", "Rate", "Surcharge", "Net", "VAT", "Total"]


def prepaid_lines(p: PrepaidState) -> list[str]:
    """A contract's prepaid hours in sentences: each block, this month's use, the balance."""
    out = [f"Contract {p.contract}: {format_duration(p.used_this_month)} taken from the prepaid hours this month."]
    for b in p.blocks:
        expires = f", valid until {b.expires.isoformat()}" if b.expires else ""
        lost = f", {format_duration(b.expired)} expired unused" if b.expired else ""
        ref = f"{b.reference}: " if b.reference else ""
        out.append(
            f"{ref}{b.hours} h bought on {b.purchased.isoformat()}{expires}; "
            f"{format_duration(b.used)} used, {format_duration(b.remaining)} left{lost}."
        )
    if p.over:
        out.append(f"Over the prepaid hours by {format_duration(p.over)}: billed at the hourly rate.")
    else:
        out.append(f"Left at the end of the month: {format_duration(p.remaining)} ({p.percent_used} % used).")
    return out


def totals_lines(st: Statement) -> list[str]:
    t = st.totals
    out = [
        f"Total excluding VAT: {money(t.net, st.currency)}",
        f"VAT: {money(t.vat, st.currency)}",
        f"Total including VAT: {money(t.total, st.currency)}",
    ]
    if st.missing_rates:
        out.append("Totals incomplete: " + " ".join(st.missing_rates))
    return out


def head_rows(st: Statement) -> list[tuple[str, str]]:
    rows = [
        ("Client", f"{st.client_name} ({st.client_code})"),
        ("Address", st.client_address or "-"),
        ("Period", f"{st.period} ({st.first_day.isoformat()} to {st.last_day.isoformat()})"),
    ]
    if st.closed and st.closed_at is not None:
        rows.append(("Statement", f"{st.number}, period closed on {st.closed_at.date().isoformat()}"))
    else:
        rows.append(("Statement", "draft (period open)"))
    return rows


def _provider(st: Statement) -> list[str]:
    return st.provider_lines or ["Provider's identity not set (settings): set it before sending this statement."]


# --- Markdown -----------------------------------------------------------------------------------------


def statement_markdown(st: Statement) -> str:
    out = [f"# {title(st)}", ""]
    if not st.closed:
        out += [f"**{DRAFT}**", ""]
    out += [f"{md_literal(line)}  " for line in _provider(st)]
    out += ["", "| | |", "| --- | --- |"]
    out += [f"| {label} | {md_cell(value)} |" for label, value in head_rows(st)]
    out += ["", "## Work done", ""]
    if st.lines:
        out.append("| " + " | ".join(LINE_HEADER) + " |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for line in st.lines:
            out.append("| " + " | ".join(md_cell(c) for c in line_cells(line, st.currency)) + " |")
            out.append(f"| | {md_cell(line.billing.reason)} | | | | | | | |")
    else:
        out.append("No time recorded this month.")
    out += ["", "## Totals", ""]
    out += [f"- {md_literal(line)}" for line in totals_lines(st)]
    if st.prepaid:
        out += ["", "## Prepaid hours", ""]
        for p in st.prepaid:
            out += [f"- {md_literal(line)}" for line in prepaid_lines(p)]
    if st.justifications:
        out += ["", "## Service levels missed, and why", ""]
        out += [f"- #{j.ticket_id} {j.clock}: {md_literal(j.text)}" for j in st.justifications]
    return "\n".join(out) + "\n"


# --- CSV ---------------------------------------------------------------------------------------------

CSV_HEADER = [
    "Statement",
    "Client code",
    "Client",
    "Month",
    "Date",
    "Reference",
    "Title",
    "Description",
    "Category",
    "Contract",
    "Hours in business hours",
    "Hours out of hours",
    "Hours included",
    "Hours from prepaid",
    "Hours billed",
    "Rate",
    "Surcharge",
    "Net",
    "VAT",
    "Total",
    "Currency",
    "Why",
    "Corrects",
]


def _csv_text(value: str) -> str:
    """Text a spreadsheet shows as text: one starting with = + - @ (a formula to
    Excel or LibreOffice, which a client's text could smuggle in) gets a leading quote."""
    from msptui.store.files.engagement_exports import csv_cell

    return str(csv_cell(value))


def csv_rows(st: Statement) -> list[list[object]]:
    rows: list[list[object]] = []
    for line in st.lines:
        a = line.amounts
        rows.append(
            [
                st.number or "draft",
                _csv_text(st.client_code),
                _csv_text(st.client_name),
                st.month,
                line.day.isoformat(),
                line.reference,
                _csv_text(line.title),
                _csv_text(line.description),
                line.category,
                _csv_text(line.contract),
                hours_of(line.in_hours),
                hours_of(line.out_of_hours),
                hours_of(line.billing.included),
                hours_of(line.prepaid),
                a.hours_billed if a else "",
                a.rate if a else NO_RATE,
                a.surcharge if a else "",
                a.net if a else "",
                a.vat if a else "",
                a.total if a else "",
                st.currency,
                _csv_text(line.billing.reason),
                line.corrects or "",
            ]
        )
    return rows


def statement_csv(st: Statement) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(st))
    return out.getvalue().encode(CSV_ENCODING)


# --- PDF -----------------------------------------------------------------------------------------------


def write_statement_pdf(st: Statement, path: Path, font: Path | None) -> Path | None:
    """Write the statement as PDF to `path`; returns the embedded font, or None for the built-in one."""
    from msptui.store.files.delivery_note import _cell, _new_pdf
    from msptui.store.files.private import write_private

    pdf, family, drawable, used = _new_pdf(font)

    def t(text: object) -> str:
        from msptui.store.files.delivery_note import printable

        return printable(str(text), drawable)

    pdf.set_title(t(title(st)))
    pdf.set_creator("msptui")
    issued = st.closed_at or datetime.combine(st.last_day, time(12), UTC)
    pdf.set_creation_date(issued)
    pdf.add_page()
    pdf.set_font(family, "B", 18)
    pdf.cell(0, 10, t(title(st)), new_x="LMARGIN", new_y="NEXT")
    if not st.closed:
        pdf.set_text_color(200, 0, 0)
        pdf.set_font(family, "B", 11)
        _paragraphs(pdf, [DRAFT], t)
        pdf.set_text_color(0, 0, 0)
    pdf.set_font(family, "", 9)
    _paragraphs(pdf, _provider(st), t)
    pdf.ln(3)
    pdf.set_font(family, "", 10)
    with pdf.table(col_widths=(30, 144), first_row_as_headings=False, text_align="LEFT") as table:
        for label, value in head_rows(st):
            row = table.row()
            row.cell(t(label))
            row.cell(t(_cell(value)))

    _heading(pdf, family, t("Work done"))
    if st.lines:
        pdf.set_font(family, "", 7)
        widths = (19, 49, 13, 13, 16, 15, 17, 15, 17)
        align = ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
        with pdf.table(col_widths=widths, text_align=align) as table:
            row = table.row()
            for heading in LINE_HEADER:
                row.cell(t(heading))
            for line in st.lines:
                row = table.row()
                cells = line_cells(line, st.currency)
                cells[1] = f"{cells[1]}\n{line.billing.reason}"
                for value in cells:
                    row.cell(t(_cell(value)))
        pdf.set_font(family, "", 10)
    else:
        _paragraphs(pdf, ["No time recorded this month."], t)

    _heading(pdf, family, t("Totals"))
    pdf.set_font(family, "B", 10)
    _paragraphs(pdf, totals_lines(st), t)
    pdf.set_font(family, "", 10)
    if st.prepaid:
        _heading(pdf, family, t("Prepaid hours"))
        for p in st.prepaid:
            _paragraphs(pdf, prepaid_lines(p), t)
    if st.justifications:
        _heading(pdf, family, t("Service levels missed, and why"))
        _paragraphs(pdf, [f"#{j.ticket_id} {j.clock}: {j.text}" for j in st.justifications], t)
    write_private(path, bytes(pdf.output()), replace=True)
    return used


# --- writing the three files ------------------------------------------------------------------------------


def statement_stem(st: Statement) -> str:
    """'BOUL-2026-11-RA-2026-0001' once closed, 'BOUL-2026-11-draft' while open: one safe file-name component."""
    from msptui.store.files.private import safe_component

    return safe_component(f"{st.client_code}-{st.month}-{st.number or 'draft'}", fallback="statement")


def write_statement_files(exports: Path, st: Statement) -> StatementFiles:
    """Write the statement as Markdown, PDF and CSV into `exports`/statements (rewritten whole)."""
    from msptui.store.files.delivery_note import find_unicode_font
    from msptui.store.files.private import inside, write_private

    folder = exports / FOLDER
    stem = statement_stem(st)
    markdown, pdf, table = (inside(folder, f"{stem}{ext}") for ext in (".md", ".pdf", ".csv"))
    write_private(markdown, statement_markdown(st).encode("utf-8"), replace=True)
    write_private(table, statement_csv(st), replace=True)
    font = write_statement_pdf(st, pdf, find_unicode_font())
    return StatementFiles(markdown=markdown, pdf=pdf, csv=table, font=font)


def export_statement(engine: Engine, exports: Path, client_id: int, month: str, now: datetime) -> StatementFiles:
    """Read the client's statement for `month` and write its three files; returns where."""
    from msptui.store.reads.statement import statement

    return write_statement_files(exports, statement(engine, client_id, month, now))
