"""A contract's billing: its rates and its prepaid hour blocks, with the balance never hidden.

Opened from the contract view (b). r sets the rates (hourly, per category,
VAT, currency); p records a block of prepaid hours. When the balance is shown,
the thresholds newly crossed (75, 90, 100 %) are said once each as notifications.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table


class ContractBillingScreen(MsptuiScreen):
    DEFAULT_CSS = """
    ContractBillingScreen #billing-head, ContractBillingScreen #billing-rates { padding: 0 1; height: auto; }
    ContractBillingScreen #billing-balance { padding: 0 1; height: auto; }
    ContractBillingScreen #billing-blocks { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="billing.back"),
        Binding("r", "rates", N_("Rates"), id="billing.rates"),
        Binding("p", "add_block", N_("Add prepaid hours"), id="billing.add_block"),
    ]

    def __init__(self, contract_id: int) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.detail: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading the contract's billing…"), id="billing-head")
        yield Static("", id="billing-rates")
        yield Static("", id="billing-balance")
        table = Table(id="billing-blocks", cursor_type="row")
        table.add_columns(_("Reference"), _("Hours"), _("Bought"), _("Expires"), _("Used"), _("Left"))
        yield table
        yield Footer()

    def load(self) -> None:
        from msptui.store.reads.contract_billing import contract_billing

        now = self.msptui.clock.now()
        self.call_store(contract_billing, self.contract_id, now, done=self._show, group="billing", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#billing-head", Static).update(message)

    def _show(self, d: Any) -> None:
        from msptui.core import formats
        from msptui.core.rules.time_entries import format_duration

        self.detail = d
        self.query_one("#billing-head", Static).update(
            Text.assemble((f"{d.reference}  {d.title}", "bold"), f"  ·  {d.client_name}")
        )
        self.query_one("#billing-rates", Static).update(rates_text(d))
        self.query_one("#billing-balance", Static).update(balance_text(d.balance))
        table = self.query_one("#billing-blocks", Table)
        table.clear()
        used = {}
        if d.balance.consumption is not None:
            used = {b.block.id: b for b in d.balance.consumption.blocks}
        for block in d.blocks:
            b = used.get(block.id)
            table.add_row(
                Text(block.reference or "-"),
                Text(_("{hours} h").format(hours=as_typed(block.hours)), justify="right"),
                Text(formats.medium_date(block.purchased_on)),
                Text(formats.medium_date(block.expires_on) if block.expires_on else _("never")),
                Text(format_duration(b.used) if b else "-", justify="right"),
                Text(format_duration(b.remaining) if b else "-", justify="right"),
                key=str(block.id),
            )
        if not d.blocks:
            table.add_row(Text(_("No prepaid hours: press p to record a block"), style="italic"), "", "", "", "", "")
        if d.balance.consumption is not None:
            from msptui.store.billing import due_alerts

            self.call_store(due_alerts, self.contract_id, self.msptui.clock.now(), done=self._alerts, group="alerts")

    def _alerts(self, thresholds: list[int]) -> None:
        if not thresholds or self.detail is None:
            return
        d = self.detail
        for threshold in thresholds:
            if threshold >= 100:
                message = _("Prepaid hours of {contract} ({client}): exhausted. {balance}.")
            else:
                message = _("Prepaid hours of {contract} ({client}): {percent} % used. {balance}.")
            self.notify(
                message.format(
                    contract=d.reference,
                    client=d.client_name,
                    percent=threshold,
                    balance=d.balance.words.capitalize(),
                ),
                title=_("Prepaid hours"),
                severity="error" if threshold >= 100 else "warning",
                timeout=15,
            )

    # --- actions ---------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_rates(self) -> None:
        if self.detail is not None:
            from msptui.ui.screens.billing.forms import rates_form

            self.app.push_screen(rates_form(self.detail), callback=self._saved)

    def action_add_block(self) -> None:
        from msptui.ui.screens.billing.forms import prepaid_form

        self.app.push_screen(prepaid_form(self.contract_id, self.msptui.clock.now), callback=self._saved)

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.notify(_("Saved."))
            self.load()


def rates_text(d: Any) -> Text:
    from msptui.core import formats

    out = Text()
    out.append(_("Hourly rate") + "  ", style="dim")
    if d.hourly_rate is None:
        out.append(_("not set (r to set it: billable time cannot be billed without it)"), style="bold red")
    else:
        out.append(formats.money(d.hourly_rate, d.currency), style="bold")
    for category, rate in sorted(d.category_rates.items()):
        out.append(f"  ·  {category_words(category)} {formats.money(Decimal(rate), d.currency)}")
    out.append("\n" + _("VAT") + "  ", style="dim")
    out.append(_("{percent} %").format(percent=as_typed(d.vat_pct)))
    out.append("  ·  " + _("out-of-hours surcharge") + "  ", style="dim")
    out.append(
        _("+{percent} %").format(percent=d.surcharge_pct)
        if d.surcharge_pct
        else _("none (no out-of-hours service sold)")
    )
    return out


def as_typed(value: Decimal) -> str:
    """A decimal with the places it was stored with ("2.50", "20"), as the language writes it."""
    from msptui.core import formats

    exponent = value.as_tuple().exponent
    return formats.number(value, places=-exponent if isinstance(exponent, int) and exponent < 0 else 0)


# How a kind of work reads in the rates line (lower case, after the hourly rate).
CATEGORY_WORDS = {"remote": N_("remote"), "on_site": N_("on site"), "travel": N_("travel")}


def category_words(category: str) -> str:
    words = CATEGORY_WORDS.get(category)
    return _(words) if words else category.replace("_", " ")


def balance_text(balance: Any) -> Text:
    """The prepaid balance in words; over-consumption in red, never hidden."""
    c = balance.consumption
    out = Text(_("Prepaid") + "  ", style="dim")
    if c is None:
        out.append(_("no prepaid hours: included work is covered by the contract"))
        return out
    style = "bold red" if c.over or c.percent_used >= 90 else "bold yellow" if c.percent_used >= 75 else "bold"
    out.append(balance.words, style=style)
    return out
