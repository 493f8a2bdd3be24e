"""Contract view: the five notions at a glance (parties, scope, hours and targets, GDPR, staff)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.core.vocabulary import Priority, ServiceLine, ThirdPartyKind, asset_count
from msptui.ui.screens.base import MsptuiScreen


def _label(enum: Any, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def minutes(m: int | None) -> str:
    """120 -> '2h', 90 -> '1h30' ('1 h 30' in French), 2880 -> '48h', None -> '—' (business time: never days)."""
    from datetime import timedelta

    from msptui.core.formats import hours

    return "—" if m is None else hours(timedelta(minutes=m))


WIDE_FROM = 110  # columns from which the notions stand two by two


class ContractScreen(MsptuiScreen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]
    DEFAULT_CSS = """
    ContractScreen #notions { grid-size: 1; grid-gutter: 0 1; height: auto; }
    ContractScreen.-wide #notions { grid-size: 2; }
    ContractScreen .notion { border: round $primary-background; border-title-color: $accent; padding: 0 1; height: auto; }
    ContractScreen #contract-head { padding: 0 1; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="contract.back"),
        Binding("e", "edit", N_("Edit"), id="contract.edit"),
        Binding("s", "targets", N_("SLA targets"), id="contract.targets"),
        Binding("t", "third_party", N_("Add third party"), id="contract.third_party"),
        Binding("g", "processing", N_("Add GDPR processing"), id="contract.gdpr"),
        Binding("x", "asset", N_("Add assets"), id="contract.asset"),
        Binding("b", "billing", N_("Rates and prepaid"), id="contract.billing"),
        Binding("a", "toggle_archive", N_("Archive"), id="contract.archive"),
        Binding("delete", "delete", N_("Delete"), id="contract.delete"),
    ]

    def __init__(self, contract_id: int) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.detail: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(_("Loading the contract…"), id="contract-head")
            with Grid(id="notions"):
                for key, title in NOTIONS:
                    panel = Static("", id=f"notion-{key}", classes="notion")
                    panel.border_title = _(title)
                    yield panel
        yield Footer()

    def on_resize(self) -> None:
        """One column reads 1 to 5 in order; two columns put parties beside hours."""
        grid = self.query_one("#notions", Grid)
        wide = self.size.width >= WIDE_FROM  # the breakpoint's class may not be set yet
        order = WIDE_ORDER if wide else [key for key, _title in NOTIONS]
        current = [child.id for child in grid.children]
        wanted = [f"notion-{key}" for key in order]
        if current != wanted:
            for key in reversed(order):
                grid.move_child(self.query_one(f"#notion-{key}"), before=0)

    def load(self) -> None:
        from msptui.store.contracts import contract_detail

        self.call_store(contract_detail, self.contract_id, done=self._show, group="contract", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#contract-head", Static).update(message)

    def _show(self, detail: Any) -> None:
        self.detail = detail
        if detail is None:
            self.query_one("#contract-head", Static).update(_("This contract no longer exists."))
            return
        k, client = detail.contract, detail.client
        head = Text()
        head.append(f"{k.reference}  ", style="bold")
        head.append(k.title, style="bold")
        head.append(f"  ·  {client.name}\n")
        from msptui.ui.screens.clients.detail import status_word

        ends = str(k.end_date) if k.end_date else _("open-ended")
        head.append(f"{k.start_date} → {ends}  ·  ")
        head.append(_("status {status}").format(status=status_word(k.status)))
        if k.archived_at:
            head.append("  ·  " + _("ARCHIVED"), style="bold yellow")
        self.query_one("#contract-head", Static).update(head)
        for key, _title in NOTIONS:
            self.query_one(f"#notion-{key}", Static).update(RENDER[key](detail))

    # --- actions -------------------------------------------------------------------

    def _form(self, form: Any) -> None:
        self.app.push_screen(form, callback=lambda r: r is not None and (self.notify(_("Saved.")), self.load()))

    def action_edit(self) -> None:
        if self.detail:
            from msptui.ui.screens.clients.forms import contract_form

            self._form(contract_form(self.detail.client, self.detail.contract, self.msptui.clock.now))

    def action_targets(self) -> None:
        if self.detail:
            from msptui.ui.screens.clients.forms import targets_form

            self._form(targets_form(self.contract_id, self.detail.targets, self.detail.contract))

    def action_third_party(self) -> None:
        from msptui.ui.screens.clients.forms import third_party_form

        self._form(third_party_form(self.contract_id))

    def action_processing(self) -> None:
        from msptui.ui.screens.clients.forms import processing_form

        self._form(processing_form(self.contract_id))

    def action_asset(self) -> None:
        from msptui.ui.screens.clients.forms import asset_form

        self._form(asset_form(self.contract_id))

    def action_billing(self) -> None:
        """The contract's rates and prepaid hour blocks, with the balance."""
        from msptui.ui.screens.billing.contract import ContractBillingScreen

        self.app.push_screen(ContractBillingScreen(self.contract_id), callback=lambda _r: self.load())

    def action_toggle_archive(self) -> None:
        if not self.detail:
            return
        from msptui.store.contracts import set_archived

        archived = self.detail.contract.archived_at is None
        self.call_store(
            set_archived,
            self.contract_id,
            archived,
            self.msptui.clock.now(),
            done=lambda _r: (
                self.notify(_("Contract archived.") if archived else _("Contract brought back.")),
                self.load(),
            ),
        )

    def action_delete(self) -> None:
        from msptui.ui.widgets.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                from msptui.store.contracts import delete_contract

                self.call_store(delete_contract, self.contract_id, done=lambda _r: self.dismiss(None))

        self.app.push_screen(
            ConfirmScreen(_("Delete this contract for good? Archiving keeps it readable.")), callback=confirmed
        )


# --- the five notions, each rendered from a ContractDetail ------------------------------


def _grid(*columns: str) -> Table:
    """A borderless table; on a narrow panel a heading of several words (French ones are longer)
    wraps under itself, and one word is never cut: Rich would shorten every wide column."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=False, header_style="bold")
    for i, c in enumerate(columns):
        table.add_column(c, no_wrap=i == 0 or " " not in c)
    return table


def _line(*parts: tuple[str, str]) -> Text:
    """One line of the panel; too long is cut with an ellipsis, never wrapped into a wall of text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for content, style in parts:
        text.append(content, style=style)
    return text


def render_parties(d: Any) -> Group:
    lines = [_line((_("Client") + "  ", "dim"), (d.client.name, "bold"))]
    if not d.third_parties:
        lines.append(_line((_("No third party recorded (t to add)."), "italic")))
    else:
        lines.append(_line((_("Third parties (the provider is their intermediary):"), "dim")))
    for t in d.third_parties:
        lines.append(
            _line(
                ("• ", ""),
                (t.name, "bold"),
                (f"  {_label(ThirdPartyKind, t.kind).lower()}", "cyan"),
                (f"  {t.provides}", ""),
            )
        )
        if t.responsibility:
            lines.append(_line(("    ", ""), (t.responsibility, "dim")))
    return Group(*lines)


def render_scope(d: Any) -> Group:
    k = d.contract
    services = ", ".join(_label(ServiceLine, s).lower() for s in k.service_lines) or _("none listed")
    assets = ", ".join(asset_count(a.kind, a.count) for a in d.assets) or _("none listed")
    labels = [_("Services"), _("Assets"), _("Excluded")]
    width = max(len(label) for label in labels) + 2  # the values start in one column
    out = Text()
    out.append(labels[0].ljust(width), style="dim")
    out.append(services + "\n")
    out.append(labels[1].ljust(width), style="dim")
    out.append(assets + "\n")
    out.append(labels[2].ljust(width), style="dim")
    out.append(k.exclusions or _("nothing stated"), style="" if k.exclusions else "italic")
    return Group(out)


def weekly_hours(hours: dict[str, list[list[str]]]) -> str:
    """Group identical days: 'Mon–Fri 09:00-12:30, 13:30-18:00 · Sat–Sun closed'."""
    groups: list[tuple[int, int, str]] = []
    for i in range(7):
        spans = hours.get(str(i), [])
        text = ", ".join(f"{s}-{e}" for s, e in spans) if spans else _("closed")
        if groups and groups[-1][2] == text and groups[-1][1] == i - 1:
            groups[-1] = (groups[-1][0], i, text)
        else:
            groups.append((i, i, text))
    from datetime import date

    from msptui.core.formats import weekday_abbr

    names = [weekday_abbr(date(2024, 1, 1 + i)) for i in range(7)]  # 1 January 2024 was a Monday
    return " · ".join(f"{names[a]}{'–' + names[b] if b > a else ''} {text}" for a, b, text in groups)


def render_hours(d: Any) -> Group:
    k = d.contract
    out = Text()
    out.append(weekly_hours(k.business_hours) + "\n")
    holidays = k.holiday_country + (f"-{k.holiday_subdivision}" if k.holiday_subdivision else "")
    calendar = (
        _("{zone} · holidays {holidays} · Whit Monday worked")
        if k.whit_monday_worked
        else _("{zone} · holidays {holidays} · Whit Monday closed")
    )
    out.append(calendar.format(zone=k.timezone, holidays=holidays), style="dim")
    if k.extra_closed_dates:
        out.append(" · " + _("closed {dates}").format(dates=", ".join(k.extra_closed_dates)), style="dim")
    table = _grid("", _("Response"), _("Intervention"), _("Resolution"), _("Clock"))
    for p in Priority:
        t = d.target_for(p.value)
        if t is None:
            table.add_row(p.value, "—", "—", "—", _("no target"))
            continue
        table.add_row(
            p.value,
            minutes(t.response_minutes),
            minutes(t.intervention_minutes),
            minutes(t.resolution_minutes),
            Text(_("24/7"), style="bold") if t.round_the_clock else _("business"),
        )
    pauses = (
        _("Clocks pause while waiting on client or third party.")
        if k.pause_on_third_party
        else _("Clocks pause while waiting on client.")
    )
    tail = Text()
    tail.append(pauses + "\n", style="dim")
    if k.out_of_hours_available:
        covered = ", ".join(k.out_of_hours_priorities or ["P1"])
        offer = _("Out of hours: available for {priorities}, +{percent} % surcharge.").format(
            priorities=covered, percent=k.out_of_hours_surcharge_pct
        )
        tail.append(offer + " ", style="bold")
        tail.append(k.out_of_hours_terms)
        tail.append("\n" + _("Out-of-hours work on other priorities is flagged outside the contract."), style="dim")
    else:
        tail.append(_("Out of hours: not available; out-of-hours work is flagged outside the contract."))
    return Group(out, table, tail)


def render_gdpr(d: Any) -> Group:
    k = d.contract
    from rich.markup import escape

    notified = _("Breach notified to the client within {hours} h").format(hours=k.breach_notification_hours)
    lines = [_line((notified, "bold"))]
    if not d.processing:
        lines.append(_line((_("No processing of personal data recorded (g to add)."), "italic")))
    for p in d.processing:
        lines.append(_line(("• ", ""), (p.purpose, "bold"), (f"  {p.data_categories}", "")))
        kept = _line(("    ", "dim"))
        kept.append_text(
            Text.from_markup(
                _("[dim]kept [/dim]{retention}[dim] · at [/dim]{destination}").format(
                    retention=escape(p.retention or "?"), destination=escape(p.destination or "?")
                )
            )
        )
        lines.append(kept)
        if p.security_measures:
            lines.append(_line(("    ", ""), (p.security_measures, "dim")))
    return Group(*lines)


def render_staff(d: Any) -> Group:
    k = d.contract
    out = Text()
    months = k.non_solicitation_months
    if months and k.non_solicitation_indemnity:
        out.append(
            ngettext(
                "Non-solicitation {count} month, indemnity {indemnity}",
                "Non-solicitation {count} months, indemnity {indemnity}",
                months,
            ).format(count=months, indemnity=k.non_solicitation_indemnity)
        )
    elif months:
        out.append(
            ngettext("Non-solicitation {count} month", "Non-solicitation {count} months", months).format(count=months)
        )
    else:
        out.append(_("No non-solicitation clause."))
    terms = [
        ngettext("Payment {count} day", "Payment {count} days", k.payment_terms_days),
        ngettext("warranty {count} month", "warranty {count} months", k.warranty_months),
        ngettext("lead time {count} day", "lead time {count} days", k.lead_time_days),
    ]
    counts = (k.payment_terms_days, k.warranty_months, k.lead_time_days)
    out.append("\n" + " · ".join(term.format(count=n) for term, n in zip(terms, counts, strict=True)))
    out.append(
        "\n"
        + (
            _("IP: the client owns what was produced")
            if k.client_owns_ip
            else _("IP: kept by the provider, licensed to the client")
        )
    )
    if k.ip_notes:
        out.append(f" — {k.ip_notes}")
    return Group(out)


# In the order of their numbers; a wide screen puts the two busiest notions
# (parties, hours) side by side at the top (WIDE_ORDER).
NOTIONS = [
    ("parties", N_("1 Parties")),
    ("scope", N_("2 Scope")),
    ("hours", N_("3 Hours and SLA targets")),
    ("gdpr", N_("4 Personal data (GDPR art. 28)")),
    ("staff", N_("5 Staff and terms")),
]
WIDE_ORDER = ["parties", "hours", "scope", "gdpr", "staff"]
RENDER = {
    "parties": render_parties,
    "scope": render_scope,
    "hours": render_hours,
    "gdpr": render_gdpr,
    "staff": render_staff,
}
