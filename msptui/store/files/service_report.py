"""A client's service report as files: Markdown and PDF for the client, CSV of the figures.

All three are written from one read model (`msptui.store.reads.service_report`),
so they carry the same figures. They go to exports/reports/, named after the
client's code and the month ("BOUL-2026-11-service-report.pdf"), rewritten whole
on every export, each 0600 and complete or absent (`store/files/private.py`).

The PDF carries the provider's identity and the two charts of the last twelve
months as vector graphics (`files/report_plots.py`); it uses the delivery
note's fonts (see `files/delivery_note.py`). Every breach is listed with its
justification or "not justified": a report never hides one. The CSV is as the
statement's: UTF-8 with a byte-order mark, ";" between cells, a client's text
that a spreadsheet would run as a formula made plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from msptui.core.markdown_text import md_cell, md_literal
from msptui.core.rules.reports import Compliance
from msptui.core.rules.time_entries import format_duration
from msptui.core.sla.durations import format_business_time

if TYPE_CHECKING:
    from fpdf import FPDF
    from sqlalchemy import Engine

from msptui.store.files.delivery_note import _heading, _paragraphs  # the house's PDF headings and paragraphs
from msptui.store.files.report_coming_due import breach_notice_lines, maintenance_lines
from msptui.store.reads.service_report import ServiceReport

FOLDER = "reports"
FORMATS = ("md", "pdf", "csv")
CSV_ENCODING = "utf-8-sig"
CSV_SEPARATOR = ";"
NO_SATISFACTION = "Satisfaction: not recorded yet."
CLOCK_WORDS = {"response": "Response", "intervention": "Intervention", "resolution": "Resolution", "all": "All clocks"}


@dataclass(frozen=True)
class ReportFiles:
    markdown: Path | None = None
    pdf: Path | None = None
    csv: Path | None = None

    @property
    def written(self) -> list[Path]:
        return [p for p in (self.markdown, self.pdf, self.csv) if p is not None]


# --- what the report says (shared by every format) ------------------------------------------------


def title(r: ServiceReport) -> str:
    return f"Service report, {r.period}"


def percent(rate: Decimal | None) -> str:
    return "-" if rate is None else f"{rate} %"


def when(r: ServiceReport, at: datetime) -> str:
    return at.astimezone(ZoneInfo(r.timezone)).strftime("%Y-%m-%d %H:%M")


def head_rows(r: ServiceReport) -> list[tuple[str, str]]:
    return [
        ("Client", f"{r.client_name} ({r.client_code})"),
        ("Address", r.client_address or "-"),
        ("Period", f"{r.period} ({r.first_day.isoformat()} to {r.last_day.isoformat()})"),
        ("Figures as of", f"{when(r, r.as_of)} ({r.timezone})"),
    ]


def summary_lines(r: ServiceReport) -> list[str]:
    """The month in a few sentences: the first thing the client reads."""
    o, t = r.sla.overall, r.tickets
    out = [
        f"Tickets: {t.opened} opened, {t.resolved} resolved, {t.still_open} still open at the end of the month.",
    ]
    if o.met + o.breached:
        out.append(
            f"Service levels: {percent(o.rate)} of the deadlines that fell this month were met "
            f"({o.met} met, {o.breached} missed, {o.pending} still running at the end of the month)."
        )
    else:
        out.append(f"Service levels: no deadline fell this month ({o.pending} still running at its end).")
    if r.sla.breaches:
        out.append(f"Missed deadlines: {len(r.sla.breaches)}, {r.sla.not_justified} of them not justified.")
    out.append(
        f"Time spent: {format_duration(r.time.spent)}, of which {format_duration(r.time.included)} included "
        f"in the contract and {format_duration(r.time.billable)} billable."
    )
    return out


def ticket_lines(r: ServiceReport) -> list[str]:
    t = r.tickets
    out = [f"Opened: {t.opened}"]
    if t.without_contract:
        out.append(f"Opened without a contract (no service levels, billable): {t.without_contract}")
    out += [f"Resolved: {t.resolved}", f"Still open at the end of the month: {t.still_open}"]
    out.append(f"Reopened after a resolution: {t.reopened} (each counted once above)")
    return out


SLA_HEADER = ["Clock", "Priority", "Target (business time)", "Met", "Missed", "Running", "Compliance"]


def sla_cells(c: Compliance) -> list[str]:
    targets = " / ".join(format_business_time(t) for t in c.targets)
    return [
        CLOCK_WORDS.get(c.clock, c.clock),
        c.priority,
        targets,
        str(c.met),
        str(c.breached),
        str(c.pending),
        percent(c.rate),
    ]


def sla_table(r: ServiceReport) -> list[list[str]]:
    rows = [sla_cells(c) for c in r.sla.rows]
    rows += [sla_cells(c) for c in r.sla.clocks if c.count]
    return rows


BREACH_HEADER = ["Ticket", "Deadline", "Late since", "Resolved late on", "Why"]


def breach_cells(r: ServiceReport) -> list[list[str]]:
    return [
        [
            f"#{b.ticket_id} {b.title}",
            f"{CLOCK_WORDS.get(b.clock, b.clock)} {b.priority}",
            when(r, b.late_since),
            when(r, b.stopped_at) if b.stopped_at else "still late",
            b.words,
        ]
        for b in r.sla.breaches
    ]


def unmeasured_lines(r: ServiceReport) -> list[str]:
    return [f"#{tid}: service levels not measured: {why}." for tid, why in r.sla.unmeasured]


def time_lines(r: ServiceReport) -> list[str]:
    t = r.time
    out = [
        f"Time spent: {format_duration(t.spent)}",
        f"Included in the contract: {format_duration(t.included)}",
        f"Billable: {format_duration(t.billable)}",
    ]
    if t.surcharged:
        out.append(f"of which out of hours with the contract's surcharge: {format_duration(t.surcharged)}")
    if t.outside_contract:
        out.append(f"of which out of hours outside the contract: {format_duration(t.outside_contract)}")
    source = f"statement {r.statement_number}" if r.statement_number else "the statement of activity (month open)"
    out.append(f"As on {source}.")
    return out


def prepaid_lines(r: ServiceReport) -> list[str]:
    from msptui.store.files.statement import prepaid_lines as statement_prepaid_lines

    return [line for p in r.prepaid for line in statement_prepaid_lines(p)]


def satisfaction_lines(r: ServiceReport) -> list[str]:
    """The client's satisfaction (`core.rules.satisfaction`'s summary), or that it is not recorded yet."""
    s = r.satisfaction
    if s is None:
        return [NO_SATISFACTION]

    def score(avg: Any, count: Any) -> str:
        return "no answer" if avg is None else f"{avg} / 5 ({count} answer{'' if count == 1 else 's'})"

    out = [
        f"Answers this month: {r.satisfaction_answers}",
        f"Average over the last 3 months: {score(getattr(s, 'avg_3m', None), getattr(s, 'count_3m', 0))}",
        f"Average over the last 12 months: {score(getattr(s, 'avg_12m', None), getattr(s, 'count_12m', 0))}",
    ]
    rate = getattr(s, "response_rate_12m", None)
    if rate is not None:
        out.append(f"Answered when asked (12 months): {Decimal(rate) * 100:.0f} %")  # the rule gives 0 to 1
    trend = getattr(s, "trend", None)
    if trend:
        out.append(f"Trend: {trend}")
    for item in getattr(s, "last_comments", None) or []:
        day, value, comment = item
        out.append(f"{day}: {value} / 5, “{comment}”")
    return out


def delivery_lines(r: ServiceReport) -> list[str]:
    if not r.deliveries:
        return ["No delivery this month."]
    return [
        f"{d.day.isoformat()}: {d.engagement}"
        + (f", delivery note {d.note_number}" if d.note_number else "")
        + (f", signed by {d.signatory}" if d.signatory else "")
        for d in r.deliveries
    ]


def conflict_lines(r: ServiceReport) -> list[str]:
    if not r.conflicts:
        return ["No conflict of interest was disclosed this month."]
    out = []
    for c in r.conflicts:
        told = ", ".join(part for part in (c.disclosed_to, c.disclosed_how) if part)
        answer = f"; your answer: {c.answer.lower()}" if c.answer else "; your answer is awaited"
        out.append(f"{c.day.isoformat()}: {c.kind}: {c.description} (told to {told or 'you'}{answer}).")
    return out


SERIES_HEADER = ["Month", "Compliance", "Met", "Missed", "Hours", "Included", "Billable"]


def series_cells(r: ServiceReport) -> list[list[str]]:
    return [
        [p.month, percent(p.compliance), str(p.met), str(p.breached), str(p.hours), str(p.included), str(p.billable)]
        for p in r.series
    ]


def _provider(r: ServiceReport) -> list[str]:
    return r.provider_lines or ["Provider's identity not set (settings): set it before sending this report."]


# --- Markdown ---------------------------------------------------------------------------------------


def _md_table(header: list[str], rows: Iterable[list[str]], align: list[str]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return out


def report_markdown(r: ServiceReport) -> str:
    out = [f"# {md_literal(title(r))}", ""]
    out += [f"{md_literal(line)}  " for line in _provider(r)]
    out += ["", "| | |", "| --- | --- |"]
    out += [f"| {label} | {md_cell(value)} |" for label, value in head_rows(r)]
    out += ["", "## The month at a glance", ""] + [f"- {md_literal(x)}" for x in summary_lines(r)]
    out += ["", "## Tickets", ""] + [f"- {md_literal(x)}" for x in ticket_lines(r)]
    out += ["", "## Service levels", ""]
    rows = sla_table(r)
    if rows:
        out += _md_table(SLA_HEADER, rows, ["---", "---", "---", "---:", "---:", "---:", "---:"])
    else:
        out.append("No ticket under a contract's service levels this month.")
    out += ["", "## Missed deadlines, and why", ""]
    if r.sla.breaches:
        out += _md_table(BREACH_HEADER, breach_cells(r), ["---"] * 5)
    else:
        out.append("No deadline was missed this month.")
    out += [f"- {md_literal(x)}" for x in unmeasured_lines(r)]
    out += ["", "## Time", ""] + [f"- {md_literal(x)}" for x in time_lines(r)]
    if r.prepaid:
        out += ["", "## Prepaid hours", ""] + [f"- {md_literal(x)}" for x in prepaid_lines(r)]
    out += ["", "## Satisfaction", ""] + [f"- {md_literal(x)}" for x in satisfaction_lines(r)]
    out += ["", "## Deliveries made", ""] + [f"- {md_literal(x)}" for x in delivery_lines(r)]
    out += ["", "## Conflicts of interest disclosed", ""] + [f"- {md_literal(x)}" for x in conflict_lines(r)]
    out += ["", "## Preventive maintenance", ""] + [f"- {md_literal(x)}" for x in maintenance_lines(r)]
    out += ["", "## Data breaches notified", ""] + [f"- {md_literal(x)}" for x in breach_notice_lines(r)]
    out += ["", "## The last twelve months", ""]
    out += _md_table(SERIES_HEADER, series_cells(r), ["---"] + ["---:"] * 6)
    return "\n".join(out) + "\n"


# --- CSV ----------------------------------------------------------------------------------------------

CSV_HEADER = ["Client code", "Month", "Section", "Item", "Clock", "Priority", "Value", "Detail"]


def csv_rows(r: ServiceReport) -> list[list[object]]:
    from msptui.store.files.engagement_exports import csv_cell

    def row(section: str, item: object, value: object, clock: str = "", priority: str = "", detail: str = "") -> None:
        rows.append([csv_cell(r.client_code), r.month, section, csv_cell(str(item)), clock, priority, value, detail])

    rows: list[list[object]] = []
    t = r.tickets
    for name, count in (
        ("opened", t.opened),
        ("resolved", t.resolved),
        ("still open", t.still_open),
        ("reopened", t.reopened),
        ("opened without contract", t.without_contract),
    ):
        row("tickets", name, count)
    for c in (*r.sla.rows, *r.sla.clocks, r.sla.overall):
        if not c.count:
            continue
        for name, value in (("met", c.met), ("missed", c.breached), ("running", c.pending)):
            row("service levels", name, value, c.clock, c.priority)
        row("service levels", "compliance %", c.rate if c.rate is not None else "", c.clock, c.priority)
    for b in r.sla.breaches:
        row(
            "missed deadline",
            f"#{b.ticket_id} {b.title}",
            when(r, b.late_since),
            b.clock,
            b.priority,
            str(csv_cell(b.words)),
        )
    for name, spent in (
        ("spent", r.time.spent),
        ("included", r.time.included),
        ("billable", r.time.billable),
        ("surcharged", r.time.surcharged),
        ("outside contract", r.time.outside_contract),
    ):
        row("hours", name, _hours(spent))
    for p in r.prepaid:
        row("prepaid hours", f"{p.contract} used this month", _hours(p.used_this_month))
        row("prepaid hours", f"{p.contract} left", _hours(p.remaining))
    for m in r.series:
        row("month", m.month, m.compliance if m.compliance is not None else "", detail=f"hours {m.hours}")
    row("deliveries", "made", len(r.deliveries))
    row("conflicts of interest", "disclosed", len(r.conflicts))
    row("preventive maintenance", "done", len(r.recurring_done))
    row("preventive maintenance", "missed", len(r.recurring_missed))
    row("data breaches", "notified", len(r.breaches_notified))
    return rows


def _hours(value: timedelta) -> Decimal:
    from msptui.core.rules.time_entries import hours_of

    return hours_of(value)


def report_csv(r: ServiceReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(r))
    return out.getvalue().encode(CSV_ENCODING)


# --- PDF ----------------------------------------------------------------------------------------------


def write_report_pdf(r: ServiceReport, path: Path, font: Path | None) -> Path | None:
    """Write the report as PDF to `path`, the charts as vector graphics; returns the embedded font or None."""
    from msptui.store.files.delivery_note import _cell, _new_pdf, printable
    from msptui.store.files.private import write_private
    from msptui.store.files.report_plots import charts_svg

    pdf, family, drawable, used = _new_pdf(font)

    def t(text: object) -> str:
        return printable(str(text), drawable)

    pdf.set_title(t(title(r)))
    pdf.set_creator("msptui")
    pdf.set_creation_date(r.as_of)
    pdf.add_page()
    pdf.set_font(family, "B", 18)
    pdf.cell(0, 10, t(title(r)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    _paragraphs(pdf, _provider(r), t)
    pdf.ln(2)
    pdf.set_font(family, "", 10)
    with pdf.table(col_widths=(34, 140), first_row_as_headings=False, text_align="LEFT") as table:
        for label, value in head_rows(r):
            row = table.row()
            row.cell(t(label))
            row.cell(t(_cell(value)))
    _heading(pdf, family, t("The month at a glance"))
    _paragraphs(pdf, summary_lines(r), t)
    pdf.ln(2)
    pdf.image(io.BytesIO(charts_svg(r.series)), w=pdf.epw)

    _heading(pdf, family, t("Tickets"))
    _paragraphs(pdf, ticket_lines(r), t)
    _heading(pdf, family, t("Service levels"))
    rows = sla_table(r)
    if rows:
        _table(pdf, family, SLA_HEADER, rows, (30, 18, 40, 18, 20, 20, 28), t, _cell)
    else:
        _paragraphs(pdf, ["No ticket under a contract's service levels this month."], t)
    _heading(pdf, family, t("Missed deadlines, and why"))
    if r.sla.breaches:
        _table(pdf, family, BREACH_HEADER, breach_cells(r), (44, 26, 26, 26, 52), t, _cell)
    else:
        _paragraphs(pdf, ["No deadline was missed this month."], t)
    _paragraphs(pdf, unmeasured_lines(r), t)
    _heading(pdf, family, t("Time"))
    _paragraphs(pdf, time_lines(r), t)
    if r.prepaid:
        _heading(pdf, family, t("Prepaid hours"))
        _paragraphs(pdf, prepaid_lines(r), t)
    _heading(pdf, family, t("Satisfaction"))
    _paragraphs(pdf, satisfaction_lines(r), t)
    _heading(pdf, family, t("Deliveries made"))
    _paragraphs(pdf, delivery_lines(r), t)
    _heading(pdf, family, t("Conflicts of interest disclosed"))
    _paragraphs(pdf, conflict_lines(r), t)
    _heading(pdf, family, t("Preventive maintenance"))
    _paragraphs(pdf, maintenance_lines(r), t)
    _heading(pdf, family, t("Data breaches notified"))
    _paragraphs(pdf, breach_notice_lines(r), t)
    _heading(pdf, family, t("The last twelve months"))
    _table(pdf, family, SERIES_HEADER, series_cells(r), (26, 28, 20, 20, 28, 26, 26), t, _cell)
    write_private(path, bytes(pdf.output()), replace=True)
    return used


def _table(
    pdf: FPDF,
    family: str,
    header: list[str],
    rows: list[list[str]],
    widths: tuple[int, ...],
    t: Callable[[str], str],
    cell: Callable[[object], str],
) -> None:
    pdf.set_font(family, "", 8)
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        head = table.row()
        for h in header:
            head.cell(t(h))
        for values in rows:
            line = table.row()
            for value in values:
                line.cell(t(cell(value)))
    pdf.set_font(family, "", 10)


# --- writing the files ----------------------------------------------------------------------------------


def report_stem(r: ServiceReport) -> str:
    """'BOUL-2026-11-service-report': one safe file-name component."""
    from msptui.store.files.private import safe_component

    return safe_component(f"{r.client_code}-{r.month}-service-report", fallback="service-report")


def write_report_files(exports: Path, r: ServiceReport, formats: Iterable[str] = FORMATS) -> ReportFiles:
    """Write the report in `formats` ("md", "pdf", "csv") into `exports`/reports (rewritten whole)."""
    from msptui.store.files.delivery_note import find_unicode_font
    from msptui.store.files.private import inside, write_private

    wanted = set(formats)
    if unknown := wanted - set(FORMATS):
        raise ValueError(f"A report is written as md, pdf or csv, not {', '.join(sorted(unknown))}.")
    folder = exports / FOLDER
    stem = report_stem(r)
    markdown = pdf = table = None
    if "md" in wanted:
        markdown = write_private(inside(folder, f"{stem}.md"), report_markdown(r).encode("utf-8"), replace=True)
    if "csv" in wanted:
        table = write_private(inside(folder, f"{stem}.csv"), report_csv(r), replace=True)
    if "pdf" in wanted:
        pdf = inside(folder, f"{stem}.pdf")
        write_report_pdf(r, pdf, find_unicode_font())
    return ReportFiles(markdown=markdown, pdf=pdf, csv=table)


def export_service_report(
    engine: Engine, exports: Path, client_id: int, month: str, now: datetime, formats: Iterable[str] = FORMATS
) -> ReportFiles:
    """Read the client's service report for `month` and write it; returns where."""
    from msptui.store.reads.service_report import service_report

    return write_report_files(exports, service_report(engine, client_id, month, now), formats)
