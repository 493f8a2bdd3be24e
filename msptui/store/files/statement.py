"""A client's statement of activity as files: Markdown and PDF for the client, CSV for the accounts.

All three are written from one read model (`msptui.store.reads.statement`), so
they always list the same lines and the same totals. They go to
exports/statements/, named after the client's code and the month
("BOUL-2026-11-RA-2026-0001.md" once closed, "BOUL-2026-11-draft.md" while
the period is open: a draft says so at its top), rewritten whole on every
export, each 0600 and complete or absent (`store/files/private.py`). All three are in the
client's language (`Statement.language`: a closed month's is the one it was closed in),
dates, amounts and hours as that language writes them (`core.formats`).

The CSV is for an accounting tool or a spreadsheet: UTF-8 with a byte-order
mark and ";" between cells, so a French spreadsheet opens it with accents
intact and one column per field; amounts and hours are written as Decimal
writes them ("85.00", "-12.50"). The PDF uses the delivery note's fonts
(a Unicode font when found, else the built-in one: see `files/delivery_note.py`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from msptui.core import formats
from msptui.core.i18n import N_, _, document_language
from msptui.core.markdown_text import md_cell
from msptui.core.rules.time_entries import hours_of
from msptui.store.files.delivery_note import (  # the house's PDF headings and paragraphs
    _heading,
    _paragraphs,
    md_text,  # md_literal keeping French no-break spaces
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from msptui.store.reads.statement import PrepaidState, Statement, StatementLine

T = TypeVar("T")
FOLDER = "statements"
# Excel only recognises UTF-8 with a byte-order mark; without it "Lefèvre" is garbled.
CSV_ENCODING = "utf-8-sig"
CSV_SEPARATOR = ";"
DRAFT = N_("Draft: this period is open, its lines can still change. Not a bill.")
NO_RATE = N_("rate missing")
NOT_JUSTIFIED = N_("not justified")
CLOCKS = {"response": N_("response"), "intervention": N_("intervention"), "resolution": N_("resolution")}


@dataclass(frozen=True)
class StatementFiles:
    markdown: Path
    pdf: Path
    csv: Path
    font: Path | None  # the embedded Unicode font, or None for the built-in fallback


def client_language(engine: Engine, client_id: int) -> str:
    """The language the client's documents are written in ("en" for a client that no longer
    exists: the read that follows refuses it in words)."""
    from msptui.store.clients import get_client

    client = get_client(engine, client_id)
    return client.language if client is not None else "en"


def read_in(language: str, read: Callable[[], T]) -> T:
    """`read()` in the client's `language`, so the sentences a read model writes are the
    client's; a refusal is raised again from a read in the technician's language, since the
    technician is the one who reads it."""
    try:
        with document_language(language):
            return read()
    except Exception:
        return read()


# --- what the statement says (shared by every format) -------------------------------------------


def title(st: Statement) -> str:
    if st.number:
        return _("Statement of activity {number}").format(number=st.number)
    return _("Statement of activity")


def money(amount: Decimal | None, currency: str) -> str:
    """ "€1,234.50" / "1 234,50 €"; "rate missing" for a line without a rate."""
    return _(NO_RATE) if amount is None else formats.money(amount, currency)


def percent(value: Decimal | int) -> str:
    """ "62 %" (the house's English) / "62 %" (a narrow no-break space in French)."""
    return _("{number} %").format(number=formats.number(value))


def hours(duration: timedelta) -> str:
    return formats.hours(duration)


def day(value: date) -> str:
    """A day in a table or a sentence: "5 Oct 2026" / "5 oct. 2026"."""
    return formats.medium_date(value)


def clock_word(clock: str) -> str:
    """ "response" / "prise en charge"; an unknown clock as stored."""
    return _(CLOCKS[clock]) if clock in CLOCKS else clock


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
        day(line.day),
        what(line),
        hours(line.in_hours),
        hours(line.out_of_hours),
        money(a.rate, currency) if a else _(NO_RATE),
        money(a.surcharge, currency) if a else "",
        money(a.net, currency) if a else "",
        money(a.vat, currency) if a else "",
        money(a.total, currency) if a else "",
    ]


LINE_HEADER = [
    N_("Date"),
    N_("Ticket or project"),
    N_("In hours"),
    N_("Out of hours"),
    N_("Rate"),
    N_("Surcharge"),
    N_("Net"),
    N_("VAT"),
    N_("Total"),
]


def prepaid_lines(p: PrepaidState) -> list[str]:
    """A contract's prepaid hours in sentences: each block, this month's use, the balance."""
    out = [
        _("Contract {contract}: {duration} taken from the prepaid hours this month.").format(
            contract=p.contract, duration=hours(p.used_this_month)
        )
    ]
    for b in p.blocks:
        words = {
            "hours": hours(timedelta(hours=float(b.hours))),
            "day": day(b.purchased),
            "used": hours(b.used),
            "left": hours(b.remaining),
        }
        if b.reference:
            sentences = [
                _("{reference}: {hours} bought on {day}; {used} used, {left} left.").format(
                    reference=b.reference, **words
                )
            ]
        else:
            sentences = [_("{hours} bought on {day}; {used} used, {left} left.").format(**words)]
        if b.expires:
            sentences.append(_("Valid until {day}.").format(day=day(b.expires)))
        if b.expired:
            sentences.append(_("{duration} expired unused.").format(duration=hours(b.expired)))
        out.append(" ".join(sentences))
    if p.over:
        out.append(_("Over the prepaid hours by {duration}: billed at the hourly rate.").format(duration=hours(p.over)))
    else:
        out.append(
            _("Left at the end of the month: {duration} ({percent} used).").format(
                duration=hours(p.remaining), percent=percent(p.percent_used)
            )
        )
    return out


def totals_lines(st: Statement) -> list[str]:
    t = st.totals
    out = [
        _("Total excluding VAT: {amount}").format(amount=money(t.net, st.currency)),
        _("VAT: {amount}").format(amount=money(t.vat, st.currency)),
        _("Total including VAT: {amount}").format(amount=money(t.total, st.currency)),
    ]
    if st.missing_rates:
        out.append(_("Totals incomplete: {reasons}").format(reasons=" ".join(st.missing_rates)))
    return out


def head_rows(st: Statement) -> list[tuple[str, str]]:
    rows = [
        (_("Client"), f"{st.client_name} ({st.client_code})"),
        (_("Address"), st.client_address or "-"),
        (
            _("Period"),
            _("{month} ({first} to {last})").format(month=st.period, first=day(st.first_day), last=day(st.last_day)),
        ),
    ]
    if st.closed and st.closed_at is not None:
        closed = _("{number}, period closed on {day}").format(
            number=st.number, day=formats.long_date(st.closed_at.date())
        )
        rows.append((_("Statement"), closed))
    else:
        rows.append((_("Statement"), _("draft (period open)")))
    return rows


def justification_lines(st: Statement, literal: Callable[[str], str] = str) -> list[str]:
    """Each missed service level of the month's tickets, with why (or "not justified");
    `literal` makes the written justification safe for the format (Markdown)."""
    return [
        _("#{ticket} {clock}: {why}").format(
            ticket=j.ticket_id, clock=clock_word(j.clock), why=literal(j.text) if j.justified else _(NOT_JUSTIFIED)
        )
        for j in st.justifications
    ]


def _provider(st: Statement) -> list[str]:
    return st.provider_lines or [_("Provider's identity not set (settings): set it before sending this statement.")]


# --- Markdown -----------------------------------------------------------------------------------------


def statement_markdown(st: Statement) -> str:
    """The statement as Markdown, in the client's language (`st.language`)."""
    with document_language(st.language):
        return _statement_markdown(st)


def _statement_markdown(st: Statement) -> str:
    out = [f"# {title(st)}", ""]
    if not st.closed:
        out += ["**" + _(DRAFT) + "**", ""]
    out += [f"{md_text(line)}  " for line in _provider(st)]
    out += ["", "| | |", "| --- | --- |"]
    out += [f"| {label} | {md_cell(value)} |" for label, value in head_rows(st)]
    out += ["", "## " + _("Work done"), ""]
    if st.lines:
        out.append("| " + " | ".join(_(h) for h in LINE_HEADER) + " |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for line in st.lines:
            out.append("| " + " | ".join(md_cell(c) for c in line_cells(line, st.currency)) + " |")
            out.append(f"| | {md_cell(line.billing.reason)} | | | | | | | |")
    else:
        out.append(_("No time recorded this month."))
    out += ["", "## " + _("Totals"), ""]
    out += [f"- {md_text(line)}" for line in totals_lines(st)]
    if st.prepaid:
        out += ["", "## " + _("Prepaid hours"), ""]
        for p in st.prepaid:
            out += [f"- {md_text(line)}" for line in prepaid_lines(p)]
    if st.justifications:
        out += ["", "## " + _("Service levels missed, and why"), ""]
        out += [f"- {line}" for line in justification_lines(st, md_text)]
    return "\n".join(out) + "\n"


# --- CSV ---------------------------------------------------------------------------------------------

CSV_HEADER = [
    N_("Statement"),
    N_("Client code"),
    N_("Client"),
    N_("Month"),
    N_("Date"),
    N_("Reference"),
    N_("Title"),
    N_("Description"),
    N_("Category"),
    N_("Contract"),
    N_("Hours in business hours"),
    N_("Hours out of hours"),
    N_("Hours included"),
    N_("Hours from prepaid"),
    N_("Hours billed"),
    N_("Rate"),
    N_("Surcharge"),
    N_("Net"),
    N_("VAT"),
    N_("Total"),
    N_("Currency"),
    N_("Why"),
    N_("Corrects"),
]


def csv_header() -> list[str]:
    """The CSV's column names in the current language (`CSV_HEADER` is the English)."""
    return [_(name) for name in CSV_HEADER]


def csv_number(value: Decimal) -> str:
    """A number as a spreadsheet of the language reads it: "85.00" / "85,00" (no thousands
    separator, which a spreadsheet would take for text)."""
    from babel.numbers import get_decimal_symbol

    text = str(value)
    symbol = str(get_decimal_symbol(formats.babel_locale()))
    return text.replace(".", symbol) if symbol != "." else text


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
                st.number or _("draft"),
                _csv_text(st.client_code),
                _csv_text(st.client_name),
                st.month,
                line.day.isoformat(),
                line.reference,
                _csv_text(line.title),
                _csv_text(line.description),
                line.category,  # the stored code: an accounting tool sorts on it in any language
                _csv_text(line.contract),
                csv_number(hours_of(line.in_hours)),
                csv_number(hours_of(line.out_of_hours)),
                csv_number(hours_of(line.billing.included)),
                csv_number(hours_of(line.prepaid)),
                csv_number(a.hours_billed) if a else "",
                csv_number(a.rate) if a else _(NO_RATE),
                csv_number(a.surcharge) if a else "",
                csv_number(a.net) if a else "",
                csv_number(a.vat) if a else "",
                csv_number(a.total) if a else "",
                st.currency,
                _csv_text(line.billing.reason),
                line.corrects or "",
            ]
        )
    return rows


def statement_csv(st: Statement) -> bytes:
    """The statement's lines as CSV, headers and numbers in the client's language (`st.language`)."""
    with document_language(st.language):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(csv_header())
        writer.writerows(csv_rows(st))
        return out.getvalue().encode(CSV_ENCODING)


# --- PDF -----------------------------------------------------------------------------------------------


def write_statement_pdf(st: Statement, path: Path, font: Path | None) -> Path | None:
    """Write the statement as PDF to `path`, in the client's language; returns the embedded font, or None."""
    with document_language(st.language):
        return _write_statement_pdf(st, path, font)


def _write_statement_pdf(st: Statement, path: Path, font: Path | None) -> Path | None:
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
        _paragraphs(pdf, [_(DRAFT)], t)
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

    _heading(pdf, family, t(_("Work done")))
    if st.lines:
        pdf.set_font(family, "", 7)
        widths = (18, 39, 14, 14, 17, 19, 17, 17, 19)  # French headers and amounts fit their column
        align = ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
        with pdf.table(col_widths=widths, text_align=align) as table:
            row = table.row()
            for heading in LINE_HEADER:
                row.cell(t(_(heading)))
            for line in st.lines:
                row = table.row()
                cells = line_cells(line, st.currency)
                cells[1] = f"{cells[1]}\n{line.billing.reason}"
                for value in cells:
                    row.cell(t(_cell(value)))
        pdf.set_font(family, "", 10)
    else:
        _paragraphs(pdf, [_("No time recorded this month.")], t)

    _heading(pdf, family, t(_("Totals")))
    pdf.set_font(family, "B", 10)
    _paragraphs(pdf, totals_lines(st), t)
    pdf.set_font(family, "", 10)
    if st.prepaid:
        _heading(pdf, family, t(_("Prepaid hours")))
        for p in st.prepaid:
            _paragraphs(pdf, prepaid_lines(p), t)
    if st.justifications:
        _heading(pdf, family, t(_("Service levels missed, and why")))
        _paragraphs(pdf, justification_lines(st), t)
    write_private(path, bytes(pdf.output()), replace=True)
    return used


# --- writing the three files ------------------------------------------------------------------------------


def statement_stem(st: Statement) -> str:
    """'BOUL-2026-11-RA-2026-0001' once closed, 'BOUL-2026-11-draft' while open: one safe file-name component."""
    from msptui.store.files.private import safe_component

    # The file's name stays English whatever the client's language: the technician files it.
    return safe_component(f"{st.client_code}-{st.month}-{st.number or 'draft'}", fallback="statement")


def write_statement_files(exports: Path, st: Statement) -> StatementFiles:
    """Write the statement as Markdown, PDF and CSV into `exports`/statements (rewritten whole),
    each in the client's language (`st.language`), whatever the interface speaks."""
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
    """Read the client's statement for `month` and write its three files; returns where.

    Read in the client's language, so the sentences the read writes (why a line is billed
    or included) are in the client's language too, not the interface's."""
    from msptui.store.reads.statement import statement

    st = read_in(client_language(engine, client_id), lambda: statement(engine, client_id, month, now))
    return write_statement_files(exports, st)
