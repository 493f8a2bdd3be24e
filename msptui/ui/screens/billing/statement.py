"""Statement preview: a client's month, line by line, with its totals, prepaid hours and state.

Opened from the client browser (s). [ and ] move to the previous or next month;
w writes the Markdown, PDF and CSV into the exports folder; c closes the
period (asked first; refused in words when a rate is missing or the month is
not over). A closed statement reads as it was closed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table


def hours(d: Any) -> str:
    from msptui.core.rules.time_entries import format_duration

    return format_duration(d) if d else "-"


class StatementScreen(MsptuiScreen):
    DEFAULT_CSS = """
    StatementScreen #statement-head { padding: 0 1; height: auto; }
    StatementScreen #statement-lines { height: 1fr; }
    StatementScreen #statement-summary { padding: 0 1; height: auto; max-height: 8; }
    """
    BINDINGS = [
        # Declared in the order the footer keeps them at 80 columns.
        Binding("w", "write", N_("Write files"), id="statement.write"),
        Binding("c", "close_period", N_("Close period"), id="statement.close"),
        Binding("left_square_bracket", "month(-1)", N_("Previous month"), id="statement.previous", key_display="["),
        Binding("right_square_bracket", "month(1)", N_("Next month"), id="statement.next", key_display="]"),
        Binding("escape", "back", N_("Back"), id="statement.back"),
    ]

    def __init__(self, client_id: int, month: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.month = month
        self.statement: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading the statement…"), id="statement-head")
        table = Table(id="statement-lines", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Date"), _("Ticket"), _("In hours"), _("Out"), _("Net"), _("Total"))
        table.add_column(_("Work"), width=40)
        yield table
        yield Static("", id="statement-summary")
        yield Footer()

    def load(self) -> None:
        if self.month is None:
            from msptui.store.reads.statement import previous_month

            self.call_store(
                previous_month, self.client_id, self.msptui.clock.now(), done=self._month_known, group="statement"
            )
            return
        from msptui.store.reads.statement import statement

        now = self.msptui.clock.now()
        self.call_store(statement, self.client_id, self.month, now, done=self._show, group="statement", exclusive=True)

    def _month_known(self, month: str) -> None:
        self.month = month
        self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#statement-head", Static).update(message)

    def _show(self, st: Any) -> None:
        from msptui.core import formats

        self.statement = st
        head = Text()
        head.append(
            _("Statement of activity · {client} ({code}) · {period}").format(
                client=st.client_name, code=st.client_code, period=st.period
            )
            + "\n",
            style="bold",
        )
        if st.closed:
            head.append(_("closed {number}").format(number=st.number), style="bold green")
            head.append(" " + _("on {day}").format(day=formats.medium_date(st.closed_at.date())))
        else:
            head.append(_("open"), style="bold yellow")
            head.append(" · " + _("draft: lines can still change"))
        self.query_one("#statement-head", Static).update(head)
        table = self.query_one("#statement-lines", Table)
        table.clear()
        for line in st.lines:
            a = line.amounts
            work = line.title + (f" — {line.description}" if line.description else "")
            if line.corrects:
                work = f"{work} ({line.corrects})"
            table.add_row(
                Text(_("{month:02d}-{day:02d}").format(month=line.day.month, day=line.day.day)),
                Text(line.reference),
                Text(hours(line.in_hours), justify="right"),
                Text(hours(line.out_of_hours), justify="right"),
                Text(
                    formats.money(a.net, st.currency) if a else _("no rate"),
                    justify="right",
                    style="" if a else "bold red",
                ),
                Text(formats.money(a.total, st.currency) if a else "", justify="right"),
                Text(work),
                key=str(line.entry_id),
            )
        self.query_one("#statement-summary", Static).update(summary(st))

    # --- actions -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_month(self, by: int) -> None:
        if self.month is None:
            return
        from msptui.store.reads.statement import shift_month

        self.month = shift_month(self.month, by)
        self.load()

    def action_write(self) -> None:
        if self.month is None:
            return
        from msptui.store.files.statement import export_statement

        self.call_store(
            export_statement,
            self.msptui.paths.exports,
            self.client_id,
            self.month,
            self.msptui.clock.now(),
            done=self._written,
            group="statement-files",
        )

    def _written(self, files: Any) -> None:
        if files.font:
            message = _("{file}\n.pdf and .csv beside it")
        else:
            message = _("{file}\n.pdf and .csv beside it (no Unicode font found: PDF uses the built-in font)")
        self.notify(message.format(file=files.markdown), title=_("Statement written"), timeout=15)

    def action_close_period(self) -> None:
        st = self.statement
        if st is None or self.month is None:
            return
        if st.closed:
            self.notify(
                _("{period} is already closed (statement {number}).").format(period=st.period, number=st.number),
                title=_("Period closed"),
            )
            return
        if st.missing_rates:
            # Refuse first: never ask to confirm what will be refused.
            self.notify(st.missing_rates[0], title=_("Period not closed"), severity="error", timeout=10)
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        count = len(st.lines)
        question = ngettext(
            "Close {period} for {client}?\n\n"
            "Its {count} entry is frozen and the statement gets its number; "
            "a later correction goes on the next statement.",
            "Close {period} for {client}?\n\n"
            "Its {count} entries are frozen and the statement gets its number; "
            "a later correction goes on the next statement.",
            count,
        ).format(period=st.period, client=st.client_name, count=count)
        self.app.push_screen(ConfirmScreen(question), callback=lambda yes: yes and self._close_now())

    def _close_now(self) -> None:
        from msptui.store.reads.statement import close_statement

        self.call_store(
            close_statement,
            self.client_id,
            self.month,
            self.msptui.clock.now(),
            done=self._period_closed,
            failed=lambda exc: self.notify(str(exc), title=_("Period not closed"), severity="error", timeout=10),
            group="statement-close",
        )

    def _period_closed(self, number: str) -> None:
        self.notify(_("Statement {number}: the period is closed.").format(number=number), title=_("Period closed"))
        self.load()
        self.action_write()


def summary(st: Any) -> Text:
    """Totals, missing rates, prepaid hours and justifications, under the lines."""
    from msptui.core import formats
    from msptui.core.rules.time_entries import format_duration
    from msptui.ui.screens.tickets.explain import clock_words

    out = Text()
    t, cur = st.totals, st.currency
    out.append(
        _("Net {net} · VAT {vat} · ").format(net=formats.money(t.net, cur), vat=formats.money(t.vat, cur)),
        style="bold",
    )
    out.append(_("Total {total}").format(total=formats.money(t.total, cur)), style="bold")
    count = len(st.lines)
    out.append("  (" + ngettext("{count} line", "{count} lines", count).format(count=count) + ")")
    for missing in st.missing_rates:
        out.append(f"\n{missing}", style="bold red")
    for p in st.prepaid:
        out.append("\n" + _("Prepaid {contract}: ").format(contract=p.contract))
        if p.over:
            out.append(_("over by {duration}").format(duration=format_duration(p.over)), style="bold red")
            out.append(" " + _("({duration} bought)").format(duration=format_duration(p.bought)))
        else:
            out.append(
                _("{left} left of {bought} ({percent} % used)").format(
                    left=format_duration(p.remaining), bought=format_duration(p.bought), percent=p.percent_used
                )
            )
        out.append(", " + _("{duration} this month").format(duration=format_duration(p.used_this_month)), style="dim")
    for j in st.justifications:
        out.append(
            "\n"
            + _("#{number} {clock} late: {justification}").format(
                number=j.ticket_id, clock=clock_words(j.clock), justification=j.text
            ),
            style="italic",
        )
    if not st.lines:
        out.append("\n" + _("No time recorded for this month."), style="italic")
    return out
