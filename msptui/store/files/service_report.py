"""A client's service report as files: Markdown and PDF for the client, CSV of the figures.

All three are written from one read model (`msptui.store.reads.service_report`),
so they carry the same figures. They go to exports/reports/, named after the
client's code and the month ("BOUL-2026-11-service-report.pdf"), rewritten whole
on every export, each 0600 and complete or absent (`store/files/private.py`).

The PDF carries the provider's identity and the two charts of the last twelve
months as vector graphics (`files/report_plots.py`); it uses the delivery
note's fonts (see `files/delivery_note.py`). Every breach is listed with its
justification or "not justified": a report never hides one. Every file is in the
client's language (`ServiceReport.language`), the Reports screen in the interface's. The CSV is as the
statement's: UTF-8 with a byte-order mark, ";" between cells, a client's text
that a spreadsheet would run as a formula made plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from msptui.core import formats
from msptui.core.i18n import N_, _, document_language, ngettext
from msptui.core.markdown_text import md_cell
from msptui.core.rules.reports import Compliance

if TYPE_CHECKING:
    from fpdf import FPDF
    from sqlalchemy import Engine

from msptui.store.files.delivery_note import (  # the house's PDF headings and paragraphs
    _heading,
    _paragraphs,
    md_text,  # md_literal keeping French no-break spaces
)
from msptui.store.files.report_coming_due import breach_notice_lines, maintenance_lines
from msptui.store.reads.service_report import ServiceReport

FOLDER = "reports"
FORMATS = ("md", "pdf", "csv")
CSV_ENCODING = "utf-8-sig"
CSV_SEPARATOR = ";"
NO_SATISFACTION = N_("Satisfaction: not recorded yet.")
NOT_JUSTIFIED = N_("not justified")
STILL_LATE = N_("still late")
ALL = N_("all")  # the priority of a clock's overall row
CLOCK_WORDS = {
    "response": N_("Response"),
    "intervention": N_("Intervention"),
    "resolution": N_("Resolution"),
    "all": N_("All clocks"),
}
# The CSV's clock column: the stored words in English, a spreadsheet's words in French.
CSV_CLOCKS = {
    "response": N_("response"),
    "intervention": N_("intervention"),
    "resolution": N_("resolution"),
    "all": ALL,
}
TRENDS = {"up": N_("Trend: up"), "down": N_("Trend: down"), "flat": N_("Trend: flat")}


@dataclass(frozen=True)
class ReportFiles:
    markdown: Path | None = None
    pdf: Path | None = None
    csv: Path | None = None

    @property
    def written(self) -> list[Path]:
        return [p for p in (self.markdown, self.pdf, self.csv) if p is not None]


# --- what the report says (shared by every format and the Reports screen) ------------------------


def title(r: ServiceReport) -> str:
    return _("Service report, {month}").format(month=r.period)


def percent(rate: Decimal | None) -> str:
    """ "75.0 %" / "75,0 %"; "-" when nothing was decided."""
    return "-" if rate is None else _("{number} %").format(number=formats.number(rate, places=1))


def when(r: ServiceReport, at: datetime) -> str:
    """ "2026-11-23 10:00" in the client's zone: the Reports screen's compact form."""
    return at.astimezone(ZoneInfo(r.timezone)).strftime("%Y-%m-%d %H:%M")


def moment(r: ServiceReport, at: datetime) -> str:
    """ "Mon 23 Nov 2026, 10:00" / "lun. 23 nov. 2026, 10:00" in the client's zone: as a client reads it."""
    return formats.date_time(at.astimezone(ZoneInfo(r.timezone)))


def clock_word(clock: str) -> str:
    words = CLOCK_WORDS.get(clock)
    return _(words) if words else clock


def priority_word(priority: str) -> str:
    return _(ALL) if priority == "all" else priority


def head_rows(r: ServiceReport) -> list[tuple[str, str]]:
    first, last = formats.medium_date(r.first_day), formats.medium_date(r.last_day)
    return [
        (_("Client"), f"{r.client_name} ({r.client_code})"),
        (_("Address"), r.client_address or "-"),
        (_("Period"), _("{month} ({first} to {last})").format(month=r.period, first=first, last=last)),
        (_("Figures as of"), f"{moment(r, r.as_of)} ({r.timezone})"),
    ]


def summary_lines(r: ServiceReport) -> list[str]:
    """The month in a few sentences: the first thing the client reads."""
    o, t = r.sla.overall, r.tickets
    out = [
        _("Tickets: {opened} opened, {resolved} resolved, {still_open} still open at the end of the month.").format(
            opened=t.opened, resolved=t.resolved, still_open=t.still_open
        ),
    ]
    if o.met + o.breached:
        out.append(
            _(
                "Service levels: {rate} of the deadlines that fell this month were met "
                "({met} met, {missed} missed, {running} still running at the end of the month)."
            ).format(rate=percent(o.rate), met=o.met, missed=o.breached, running=o.pending)
        )
    else:
        out.append(
            _("Service levels: no deadline fell this month ({running} still running at its end).").format(
                running=o.pending
            )
        )
    if r.sla.breaches:
        out.append(
            _("Missed deadlines: {count}, {not_justified} of them not justified.").format(
                count=len(r.sla.breaches), not_justified=r.sla.not_justified
            )
        )
    out.append(
        _("Time spent: {spent}, of which {included} included in the contract and {billable} billable.").format(
            spent=formats.hours(r.time.spent),
            included=formats.hours(r.time.included),
            billable=formats.hours(r.time.billable),
        )
    )
    return out


def ticket_lines(r: ServiceReport) -> list[str]:
    t = r.tickets
    out = [_("Opened: {count}").format(count=t.opened)]
    if t.without_contract:
        out.append(
            _("Opened without a contract (no service levels, billable): {count}").format(count=t.without_contract)
        )
    out += [
        _("Resolved: {count}").format(count=t.resolved),
        _("Still open at the end of the month: {count}").format(count=t.still_open),
        _("Reopened after a resolution: {count} (each counted once above)").format(count=t.reopened),
    ]
    return out


SLA_HEADER = [
    N_("SLA clock"),
    N_("Priority"),
    N_("Target (business time)"),
    N_("Met"),
    N_("Missed"),
    N_("Running"),
    N_("Compliance"),
]


def sla_cells(c: Compliance) -> list[str]:
    targets = " / ".join(formats.hours(t) for t in c.targets)
    return [
        clock_word(c.clock),
        priority_word(c.priority),
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


BREACH_HEADER = [N_("Ticket"), N_("Missed target"), N_("Late since"), N_("Resolved late on"), N_("Why")]


def breach_cells(r: ServiceReport) -> list[list[str]]:
    return [
        [
            f"#{b.ticket_id} {b.title}",
            f"{clock_word(b.clock)} {b.priority}",
            moment(r, b.late_since),
            moment(r, b.stopped_at) if b.stopped_at else _(STILL_LATE),
            b.justification or _(NOT_JUSTIFIED),
        ]
        for b in r.sla.breaches
    ]


def unmeasured_lines(r: ServiceReport) -> list[str]:
    return [
        _("#{ticket}: service levels not measured: {why}.").format(ticket=tid, why=why) for tid, why in r.sla.unmeasured
    ]


def time_lines(r: ServiceReport) -> list[str]:
    t = r.time
    out = [
        _("Time spent: {duration}").format(duration=formats.hours(t.spent)),
        _("Included in the contract: {duration}").format(duration=formats.hours(t.included)),
        _("Billable: {duration}").format(duration=formats.hours(t.billable)),
    ]
    if t.surcharged:
        out.append(
            _("of which out of hours with the contract's surcharge: {duration}").format(
                duration=formats.hours(t.surcharged)
            )
        )
    if t.outside_contract:
        out.append(
            _("of which out of hours outside the contract: {duration}").format(
                duration=formats.hours(t.outside_contract)
            )
        )
    if r.statement_number:
        out.append(_("As on statement {number}.").format(number=r.statement_number))
    else:
        out.append(_("As on the statement of activity (month open)."))
    return out


def prepaid_lines(r: ServiceReport) -> list[str]:
    from msptui.store.files.statement import prepaid_lines as statement_prepaid_lines

    return [line for p in r.prepaid for line in statement_prepaid_lines(p)]


def satisfaction_lines(r: ServiceReport) -> list[str]:
    """The client's satisfaction (`core.rules.satisfaction`'s summary), or that it is not recorded yet."""
    s = r.satisfaction
    if s is None:
        return [_(NO_SATISFACTION)]

    def score(avg: Any, count: Any) -> str:
        if avg is None:
            return _("no answer")
        return ngettext("{average} / 5 ({count} answer)", "{average} / 5 ({count} answers)", int(count)).format(
            average=formats.number(Decimal(avg), places=1), count=count
        )

    out = [
        _("Answers this month: {count}").format(count=r.satisfaction_answers),
        _("Average over the last 3 months: {score}").format(
            score=score(getattr(s, "avg_3m", None), getattr(s, "count_3m", 0))
        ),
        _("Average over the last 12 months: {score}").format(
            score=score(getattr(s, "avg_12m", None), getattr(s, "count_12m", 0))
        ),
    ]
    rate = getattr(s, "response_rate_12m", None)
    if rate is not None:  # the rule gives 0 to 1
        answered = _("{number} %").format(number=formats.number(Decimal(rate) * 100, places=0))
        out.append(_("Answered when asked (12 months): {percent}").format(percent=answered))
    trend = getattr(s, "trend", None)
    if trend:
        out.append(_(TRENDS[trend]) if trend in TRENDS else str(trend))
    for item in getattr(s, "last_comments", None) or []:
        day, value, comment = item
        said = formats.medium_date(day) if isinstance(day, date) else str(day)
        out.append(_("{day}: {score} / 5, “{comment}”").format(day=said, score=value, comment=comment))
    return out


def delivery_lines(r: ServiceReport) -> list[str]:
    if not r.deliveries:
        return [_("No delivery this month.")]
    out = []
    for d in r.deliveries:
        words = {"day": formats.medium_date(d.day), "engagement": d.engagement}
        if d.note_number and d.signatory:
            line = _("{day}: {engagement}, delivery note {number}, signed by {signatory}").format(
                number=d.note_number, signatory=d.signatory, **words
            )
        elif d.note_number:
            line = _("{day}: {engagement}, delivery note {number}").format(number=d.note_number, **words)
        elif d.signatory:
            line = _("{day}: {engagement}, signed by {signatory}").format(signatory=d.signatory, **words)
        else:
            line = _("{day}: {engagement}").format(**words)
        out.append(line)
    return out


def conflict_lines(r: ServiceReport) -> list[str]:
    if not r.conflicts:
        return [_("No conflict of interest was disclosed this month.")]
    out = []
    for c in r.conflicts:
        told = ", ".join(part for part in (c.disclosed_to, c.disclosed_how) if part) or _("you")
        words = {"day": formats.medium_date(c.day), "kind": c.kind, "description": c.description, "told": told}
        if c.answer:
            line = _("{day}: {kind}: {description} (told to {told}; your answer: {answer}).").format(
                answer=c.answer.lower(), **words
            )
        else:
            line = _("{day}: {kind}: {description} (told to {told}; your answer is awaited).").format(**words)
        out.append(line)
    return out


SERIES_HEADER = [
    N_("Month"),
    N_("Compliance"),
    N_("Met"),
    N_("Missed"),
    N_("Hours"),
    N_("Included"),
    N_("Billable"),
]


def series_cells(r: ServiceReport) -> list[list[str]]:
    def month(value: str) -> str:
        return formats.month_year(date(int(value[:4]), int(value[5:7]), 1))

    def number(value: Decimal) -> str:
        return formats.number(value, places=2)

    return [
        [
            month(p.month),
            percent(p.compliance),
            str(p.met),
            str(p.breached),
            number(p.hours),
            number(p.included),
            number(p.billable),
        ]
        for p in r.series
    ]


def _provider(r: ServiceReport) -> list[str]:
    return r.provider_lines or [_("Provider's identity not set (settings): set it before sending this report.")]


# --- Markdown ---------------------------------------------------------------------------------------


def _md_table(header: list[str], rows: Iterable[list[str]], align: list[str]) -> list[str]:
    out = ["| " + " | ".join(_(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return out


def report_markdown(r: ServiceReport) -> str:
    """The report as Markdown, in the client's language (`r.language`)."""
    with document_language(r.language):
        return _report_markdown(r)


def _report_markdown(r: ServiceReport) -> str:
    def section(heading: str, lines: list[str]) -> list[str]:
        return ["", f"## {heading}", ""] + [f"- {md_text(x)}" for x in lines]

    out = [f"# {md_text(title(r))}", ""]
    out += [f"{md_text(line)}  " for line in _provider(r)]
    out += ["", "| | |", "| --- | --- |"]
    out += [f"| {label} | {md_cell(value)} |" for label, value in head_rows(r)]
    out += section(_("The month at a glance"), summary_lines(r))
    out += section(_("Tickets"), ticket_lines(r))
    out += ["", "## " + _("Service levels"), ""]
    rows = sla_table(r)
    if rows:
        out += _md_table(SLA_HEADER, rows, ["---", "---", "---", "---:", "---:", "---:", "---:"])
    else:
        out.append(_("No ticket under a contract's service levels this month."))
    out += ["", "## " + _("Missed deadlines, and why"), ""]
    if r.sla.breaches:
        out += _md_table(BREACH_HEADER, breach_cells(r), ["---"] * 5)
    else:
        out.append(_("No deadline was missed this month."))
    out += [f"- {md_text(x)}" for x in unmeasured_lines(r)]
    out += section(_("Time"), time_lines(r))
    if r.prepaid:
        out += section(_("Prepaid hours"), prepaid_lines(r))
    out += section(_("Satisfaction"), satisfaction_lines(r))
    out += section(_("Deliveries made"), delivery_lines(r))
    out += section(_("Conflicts of interest disclosed"), conflict_lines(r))
    out += section(_("Preventive maintenance"), maintenance_lines(r))
    out += section(_("Data breaches notified"), breach_notice_lines(r))
    out += ["", "## " + _("The last twelve months"), ""]
    out += _md_table(SERIES_HEADER, series_cells(r), ["---"] + ["---:"] * 6)
    return "\n".join(out) + "\n"


# --- CSV ----------------------------------------------------------------------------------------------

CSV_HEADER = [
    N_("Client code"),
    N_("Month"),
    N_("Section"),
    N_("Item"),
    N_("SLA clock"),
    N_("Priority"),
    N_("Value"),
    N_("Detail"),
]


def csv_rows(r: ServiceReport) -> list[list[object]]:
    from msptui.store.files.engagement_exports import csv_cell
    from msptui.store.files.statement import csv_number

    def row(section: str, item: object, value: object, clock: str = "", priority: str = "", detail: str = "") -> None:
        cells = [csv_cell(r.client_code), r.month, _(section), csv_cell(str(item))]
        clock_cell = _(CSV_CLOCKS[clock]) if clock in CSV_CLOCKS else clock
        value_cell = csv_number(value) if isinstance(value, Decimal) else value
        rows.append([*cells, clock_cell, priority_word(priority) if priority else "", value_cell, detail])

    rows: list[list[object]] = []
    t = r.tickets
    for name, count in (
        (N_("opened"), t.opened),
        (N_("resolved"), t.resolved),
        (N_("still open"), t.still_open),
        (N_("reopened"), t.reopened),
        (N_("opened without contract"), t.without_contract),
    ):
        row(N_("tickets"), _(name), count)
    for c in (*r.sla.rows, *r.sla.clocks, r.sla.overall):
        if not c.count:
            continue
        for name, value in ((N_("met"), c.met), (N_("missed"), c.breached), (N_("running"), c.pending)):
            row(N_("service levels"), _(name), value, c.clock, c.priority)
        rate = c.rate if c.rate is not None else ""
        row(N_("service levels"), _("compliance %"), rate, c.clock, c.priority)
    for b in r.sla.breaches:
        row(
            N_("missed deadline"),
            f"#{b.ticket_id} {b.title}",
            when(r, b.late_since),  # a spreadsheet reads "2026-10-13 13:00" as a date in any language
            b.clock,
            b.priority,
            str(csv_cell(b.justification or _(NOT_JUSTIFIED))),
        )
    for name, spent in (
        (N_("spent"), r.time.spent),
        (N_("included"), r.time.included),
        (N_("billable"), r.time.billable),
        (N_("surcharged"), r.time.surcharged),
        (N_("outside contract"), r.time.outside_contract),
    ):
        row(N_("hours"), _(name), _hours(spent))
    for p in r.prepaid:
        row(N_("prepaid hours"), _("{contract} used this month").format(contract=p.contract), _hours(p.used_this_month))
        row(N_("prepaid hours"), _("{contract} left").format(contract=p.contract), _hours(p.remaining))
    for m in r.series:
        compliance = m.compliance if m.compliance is not None else ""
        row(N_("month"), m.month, compliance, detail=_("hours {hours}").format(hours=csv_number(m.hours)))
    row(N_("deliveries"), _("made"), len(r.deliveries))
    row(N_("conflicts of interest"), _("disclosed"), len(r.conflicts))
    row(N_("preventive maintenance"), _("done"), len(r.recurring_done))
    row(N_("preventive maintenance"), _("missed"), len(r.recurring_missed))
    row(N_("data breaches"), _("notified"), len(r.breaches_notified))
    return rows


def _hours(value: timedelta) -> Decimal:
    from msptui.core.rules.time_entries import hours_of

    return hours_of(value)


def report_csv(r: ServiceReport) -> bytes:
    """The report's figures as CSV, words and numbers in the client's language (`r.language`)."""
    with document_language(r.language):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([_(name) for name in CSV_HEADER])
        writer.writerows(csv_rows(r))
        return out.getvalue().encode(CSV_ENCODING)


# --- PDF ----------------------------------------------------------------------------------------------


def write_report_pdf(r: ServiceReport, path: Path, font: Path | None) -> Path | None:
    """Write the report as PDF to `path` in the client's language, the charts as vector graphics;
    returns the embedded font or None."""
    with document_language(r.language):
        return _write_report_pdf(r, path, font)


def _write_report_pdf(r: ServiceReport, path: Path, font: Path | None) -> Path | None:
    from msptui.store.files.delivery_note import _cell, _new_pdf, printable
    from msptui.store.files.private import write_private
    from msptui.store.files.report_plots import charts_svg

    pdf, family, drawable, used = _new_pdf(font)

    def t(text: object) -> str:
        return printable(str(text), drawable)

    def section(heading: str, lines: list[str]) -> None:
        _heading(pdf, family, t(heading))
        _paragraphs(pdf, lines, t)

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
    section(_("The month at a glance"), summary_lines(r))
    pdf.ln(2)
    pdf.image(io.BytesIO(charts_svg(r.series)), w=pdf.epw)

    section(_("Tickets"), ticket_lines(r))
    _heading(pdf, family, t(_("Service levels")))
    rows = sla_table(r)
    if rows:
        _table(pdf, family, SLA_HEADER, rows, (30, 18, 40, 18, 20, 20, 28), t, _cell)
    else:
        _paragraphs(pdf, [_("No ticket under a contract's service levels this month.")], t)
    _heading(pdf, family, t(_("Missed deadlines, and why")))
    if r.sla.breaches:
        _table(pdf, family, BREACH_HEADER, breach_cells(r), (44, 26, 26, 26, 52), t, _cell)
    else:
        _paragraphs(pdf, [_("No deadline was missed this month.")], t)
    _paragraphs(pdf, unmeasured_lines(r), t)
    section(_("Time"), time_lines(r))
    if r.prepaid:
        section(_("Prepaid hours"), prepaid_lines(r))
    section(_("Satisfaction"), satisfaction_lines(r))
    section(_("Deliveries made"), delivery_lines(r))
    section(_("Conflicts of interest disclosed"), conflict_lines(r))
    section(_("Preventive maintenance"), maintenance_lines(r))
    section(_("Data breaches notified"), breach_notice_lines(r))
    _heading(pdf, family, t(_("The last twelve months")))
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
            head.cell(t(_(h)))
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
    """Write the report in `formats` ("md", "pdf", "csv") into `exports`/reports (rewritten whole),
    each in the client's language (`r.language`), whatever the interface speaks."""
    from msptui.store.files.delivery_note import find_unicode_font
    from msptui.store.files.private import inside, write_private

    wanted = set(formats)
    if unknown := wanted - set(FORMATS):
        raise ValueError(
            _("A report is written as md, pdf or csv, not {formats}.").format(formats=", ".join(sorted(unknown)))
        )
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
    """Read the client's service report for `month` and write it; returns where.

    Read in the client's language, so the words the read writes (a conflict's kind, why a
    contract's clocks were not measured) are in the client's language too."""
    from msptui.store.files.statement import client_language, read_in
    from msptui.store.reads.service_report import service_report

    report = read_in(client_language(engine, client_id), lambda: service_report(engine, client_id, month, now))
    return write_report_files(exports, report, formats)
