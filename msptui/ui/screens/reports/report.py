"""A client's service report for a month, with its two plots, in the terminal.

The figures are those of the report's files (`msptui.store.reads.service_report`,
worded by `msptui.store.files.service_report`): tickets, the SLA clocks by clock
and priority, every breach with its justification or "not justified", time,
prepaid hours, satisfaction, deliveries, conflicts disclosed. Beside them, SLA
compliance and time spent per month over the last twelve months, drawn with
textual-plotext (imported here only, when the screen is composed: it costs the
start nothing). At 80 columns the plots take the whole body: p switches
between figures and plots. [ and ] move to the previous or next month; w
writes the Markdown, PDF and CSV into the exports folder.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen

# Below this width the figures and the plots take turns (p); above, they sit side by side.
SIDE_BY_SIDE = 110


class ReportScreen(MsptuiScreen):
    """The service report of `client_id` for `month` ("YYYY-MM"; None: the month now in the client's calendar)."""

    essential_keys = ("report.plots", "report.write", "report.previous", "report.next")
    DEFAULT_CSS = """
    ReportScreen #report-head { padding: 0 1; height: auto; }
    ReportScreen #report-body { height: 1fr; }
    ReportScreen #report-figures { width: 64; padding: 0 1; }
    ReportScreen.-narrow #report-figures { width: 1fr; }
    ReportScreen #report-plots { width: 1fr; }
    ReportScreen #report-plots PlotextPlot { height: 1fr; }
    ReportScreen.-narrow #report-plots { display: none; }
    ReportScreen.-narrow.-plots #report-plots { display: block; }
    ReportScreen.-narrow.-plots #report-figures { display: none; }
    """
    BINDINGS = [
        Binding(
            "p",
            "toggle_plots",
            N_("Plots"),
            id="report.plots",
            tooltip=N_("Show the plots or the figures (80 columns)"),
        ),
        Binding(
            "w", "write", N_("Write files"), id="report.write", tooltip=N_("Write the report as Markdown, PDF and CSV")
        ),
        Binding("left_square_bracket", "month(-1)", N_("Previous month"), id="report.previous", key_display="["),
        Binding("right_square_bracket", "month(1)", N_("Next month"), id="report.next", key_display="]"),
        Binding("escape", "back", N_("Back"), id="report.back"),
    ]

    def __init__(self, client_id: int, month: str | None = None) -> None:
        super().__init__()
        self.title = _("Service report")
        self.client_id = client_id
        self.month = month
        self.report: Any = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Header()
        yield Static(_("Reading the report…"), id="report-head")
        with Horizontal(id="report-body"):
            with VerticalScroll(id="report-figures"):
                yield Static("", id="report-text")
            with Vertical(id="report-plots"):
                yield PlotextPlot(id="plot-compliance")
                yield PlotextPlot(id="plot-hours")
        yield Footer()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < SIDE_BY_SIDE, "-narrow")

    # --- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.reads.service_report import service_report

        now = self.msptui.clock.now()
        if self.month is None:
            from msptui.store.reads.statement import previous_month, shift_month

            self.call_store(
                lambda engine: shift_month(previous_month(engine, self.client_id, now), 1),
                done=self._month_known,
                group="report",
            )
            return
        self.call_store(
            service_report,
            self.client_id,
            self.month,
            now,
            done=self._show,
            failed=self._refused,
            group="report",
            exclusive=True,
        )

    def _month_known(self, month: str) -> None:
        self.month = month
        self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#report-head", Static).update(message)

    def _refused(self, error: Exception) -> None:
        self.report = None
        self.query_one("#report-head", Static).update(Text(str(error), style="bold"))
        self.query_one("#report-text", Static).update("")

    def _show(self, report: Any) -> None:
        self.report = report
        self.query_one("#report-head", Static).update(head(report))
        self.query_one("#report-text", Static).update(figures(report))
        self._draw_plots(report)

    def _draw_plots(self, report: Any) -> None:
        from textual_plotext import PlotextPlot

        points = report.series
        labels = [month_label(p.month) for p in points]
        xs = list(range(1, len(points) + 1))
        first, last = (month_short(points[0].month), month_short(points[-1].month)) if points else ("", "")

        compliance = self.query_one("#plot-compliance", PlotextPlot)
        plt = compliance.plt
        plt.clear_data()
        plt.clear_figure()
        measured = [(x, float(p.compliance)) for x, p in zip(xs, points) if p.compliance is not None]
        # A line joins only months next to each other: a month with no deadline is a gap, not a slope.
        run: list[tuple[int, float]] = []
        for x, y in [*measured, (0, 0.0)]:
            if run and x != run[-1][0] + 1:
                months, rates = [a for a, _b in run], [b for _a, b in run]
                plt.plot(months, rates, marker="braille", color="cyan")
                plt.scatter(months, rates, marker="dot", color="cyan")
                run = []
            run.append((x, y))
        plt.xticks(xs, labels)
        plt.xlim(0.5, len(xs) + 0.5)
        plt.ylim(0, 100)
        if measured:
            plt.title(_("SLA compliance % per month, {first} to {last}").format(first=first, last=last))
        else:
            plt.title(
                _("SLA compliance % per month, {first} to {last} (no deadline fell)").format(first=first, last=last)
            )
        compliance.refresh()

        hours = self.query_one("#plot-hours", PlotextPlot)
        plt = hours.plt
        plt.clear_data()
        plt.clear_figure()
        included = [float(p.included) for p in points]
        billable = [float(p.billable) for p in points]
        plt.stacked_bar(labels, [included, billable], labels=[_("included"), _("billable")])
        plt.title(_("Hours spent per month, {first} to {last}").format(first=first, last=last))
        hours.refresh()

    # --- actions ------------------------------------------------------------------------------

    def action_toggle_plots(self) -> None:
        self.toggle_class("-plots")

    def action_month(self, by: int) -> None:
        if self.month is None:
            return
        from msptui.store.reads.statement import shift_month

        self.month = shift_month(self.month, by)
        self.query_one("#report-head", Static).update(_("Reading the report…"))
        self.load()

    def action_write(self) -> None:
        if self.report is None or self.month is None:
            return
        from msptui.store.files.service_report import export_service_report

        self.call_store(
            export_service_report,
            self.msptui.paths.exports,
            self.client_id,
            self.month,
            self.msptui.clock.now(),
            done=self._written,
            group="report-files",
        )

    def _written(self, files: Any) -> None:
        where = files.markdown or (files.written[0] if files.written else None)
        self.notify(_("{file}\n.pdf and .csv beside it").format(file=where), title=_("Report written"), timeout=15)

    def action_back(self) -> None:
        self.dismiss(None)


def month_label(month: str) -> str:
    """ "2026-11" -> "Nov" / "nov." (the plots' ticks)."""
    from datetime import date

    from msptui.core.formats import month_abbr

    return month_abbr(date(int(month[:4]), int(month[5:7]), 1))


def month_short(month: str) -> str:
    return f"{month_label(month)} {month[:4]}"


def head(r: Any) -> Text:
    from msptui.store.files.service_report import when

    out = Text()
    out.append(
        _("Service report · {client} ({code}) · {period}").format(
            client=r.client_name, code=r.client_code, period=r.period
        ),
        style="bold",
    )
    out.append("\n" + _("as of {when} ({zone})").format(when=when(r, r.as_of), zone=r.timezone), style="dim")
    if r.statement_number:
        out.append(" · " + _("statement {number}").format(number=r.statement_number), style="dim")
    if r.undisclosed_conflicts:
        n = r.undisclosed_conflicts
        out.append(
            " · "
            + ngettext("{count} conflict not disclosed yet", "{count} conflicts not disclosed yet", n).format(count=n),
            style="bold red",
        )
    return out


def figures(r: Any) -> Group:
    """The report's figures, in the words of its files (`store.files.service_report`)."""
    from msptui.store.files import report_coming_due as coming_due_words
    from msptui.store.files import service_report as words

    parts: list[Any] = [Text("\n".join(words.summary_lines(r)))]

    def section(title: str, lines: list[str]) -> None:
        parts.append(Text(f"\n{title}", style="bold underline"))
        parts.append(Text("\n".join(lines)))

    section(_("Tickets"), words.ticket_lines(r))
    parts.append(Text("\n" + _("Service levels"), style="bold underline"))
    rows = words.sla_table(r)
    if rows:
        table = RichTable(box=None, pad_edge=False, show_edge=False, header_style="bold")
        # The files' columns (words.SLA_HEADER), with headers short enough for half a terminal.
        headers = (_("Clock"), _("Prio."), _("Target"), _("Met"), _("Missed"), _("Running"), _("Rate"))
        for i, name in enumerate(headers):
            table.add_column(name, justify="right" if i >= 3 else "left", overflow="fold")
        # The rows after the per-priority ones are each clock's "all priorities" total.
        for i, cells in enumerate(rows):
            table.add_row(*cells, style="bold" if i >= len(r.sla.rows) else "")
        parts.append(table)
    else:
        parts.append(Text(_("No SLA clock this month."), style="italic"))
    if r.sla.breaches:
        parts.append(
            Text(
                "\n" + _("Missed deadlines ({count} not justified)").format(count=r.sla.not_justified),
                style="bold underline",
            )
        )
        for breach, (ticket, deadline, since, resolved, why) in zip(r.sla.breaches, words.breach_cells(r), strict=True):
            line = Text(
                _("{ticket} · {deadline} · late since {since} · ").format(ticket=ticket, deadline=deadline, since=since)
            )
            line.append(_("resolved {when}").format(when=resolved) if breach.stopped_at else _("still late"))
            line.append("\n  ")
            line.append(why, style="italic" if breach.justification else "bold red")
            parts.append(line)
    for line in words.unmeasured_lines(r):
        parts.append(Text(line, style="yellow"))
    section(_("Time"), words.time_lines(r))
    if r.prepaid:
        section(_("Prepaid hours"), words.prepaid_lines(r))
    section(_("Satisfaction"), words.satisfaction_lines(r))
    section(_("Deliveries"), words.delivery_lines(r))
    section(_("Conflicts of interest disclosed"), words.conflict_lines(r))
    section(_("Preventive maintenance"), coming_due_words.maintenance_lines(r))
    section(_("Data breaches notified"), coming_due_words.breach_notice_lines(r))
    return Group(*parts)
