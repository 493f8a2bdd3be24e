"""A contract's billing: its rates and its prepaid hour blocks, with the balance never hidden.

Opened from the contract view (b). r sets the rates (hourly, per category,
VAT, currency); p records a block of prepaid hours. When the balance is shown,
the thresholds newly crossed (75, 90, 100 %) are said once each as notifications.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table


class ContractBillingScreen(MsptuiScreen):
    DEFAULT_CSS = """
    ContractBillingScreen #billing-head, ContractBillingScreen #billing-rates { padding: 0 1; height: auto; }
    ContractBillingScreen #billing-balance { padding: 0 1; height: auto; }
    ContractBillingScreen #billing-blocks { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="billing.back"),
        Binding("r", "rates", "Rates", id="billing.rates"),
        Binding("p", "add_block", "Add prepaid hours", id="billing.add_block"),
    ]

    def __init__(self, contract_id: int) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.detail: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the contract's billing…", id="billing-head")
        yield Static("", id="billing-rates")
        yield Static("", id="billing-balance")
        table = Table(id="billing-blocks", cursor_type="row")
        table.add_columns("Reference", "Hours", "Bought", "Expires", "Used", "Left")
        yield table
        yield Footer()

    def load(self) -> None:
        from msptui.store.reads.contract_billing import contract_billing

        now = self.msptui.clock.now()
        self.call_store(contract_billing, self.contract_id, now, done=self._show, group="billing", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#billing-head", Static).update(message)

    def _show(self, d: Any) -> None:
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
                Text(f"{block.hours} h", justify="right"),
                Text(block.purchased_on.isoformat()),
                Text(block.expires_on.isoformat() if block.expires_on else "never"),
                Text(format_duration(b.used) if b else "-", justify="right"),
                Text(format_duration(b.remaining) if b else "-", justify="right"),
                key=str(block.id),
            )
        if not d.blocks:
            table.add_row(Text("No prepaid hours: press p to record a block", style="italic"), "", "", "", "", "")
        if d.balance.consumption is not None:
            from msptui.store.billing import due_alerts

            self.call_store(due_alerts, self.contract_id, self.msptui.clock.now(), done=self._alerts, group="alerts")

    def _alerts(self, thresholds: list[int]) -> None:
        if not thresholds or self.detail is None:
            return
        d = self.detail
        for threshold in thresholds:
            what = "exhausted" if threshold >= 100 else f"{threshold} % used"
            self.notify(
                f"Prepaid hours of {d.reference} ({d.client_name}): {what}. {d.balance.words.capitalize()}.",
                title="Prepaid hours",
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
            self.notify("Saved.")
            self.load()


def rates_text(d: Any) -> Text:
    out = Text()
    out.append("Hourly rate  ", style="dim")
    if d.hourly_rate is None:
        out.append("not set (r to set it: billable time cannot be billed without it)", style="bold red")
    else:
        out.append(f"{d.hourly_rate} {d.currency}", style="bold")
    for category, rate in sorted(d.category_rates.items()):
        out.append(f"  ·  {category.replace('_', ' ')} {rate}")
    out.append("\nVAT  ", style="dim")
    out.append(f"{d.vat_pct} %")
    out.append("  ·  out-of-hours surcharge  ", style="dim")
    out.append(f"+{d.surcharge_pct} %" if d.surcharge_pct else "none (no out-of-hours service sold)")
    return out


def balance_text(balance: Any) -> Text:
    """The prepaid balance in words; over-consumption in red, never hidden."""
    c = balance.consumption
    out = Text("Prepaid  ", style="dim")
    if c is None:
        out.append("no prepaid hours: included work is covered by the contract")
        return out
    style = "bold red" if c.over or c.percent_used >= 90 else "bold yellow" if c.percent_used >= 75 else "bold"
    out.append(balance.words, style=style)
    return out
