"""The client's renewals: licences, certificates, domains, support contracts and
warranties, by expiry, each coming due its notice period before (on the board's band).

d marks the highlighted one done: renewed (its new expiry makes a new entry that
comes due in its turn, the old one kept and pointing at it) or let go.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.binding import Binding

from msptui.core.i18n import N_, _
from msptui.ui.screens.coming_due.register import ClientRegister, client_name


def _renewals(engine: Any, client_id: int, include_done: bool) -> tuple[str, list[Any]]:
    from msptui.store.renewals import client_renewals

    return client_name(engine, client_id), client_renewals(engine, client_id, include_done=include_done)


class RenewalsScreen(ClientRegister):
    # Headers no wider than their column: the French keeps to these widths too. The one who
    # sells the renewal is its supplier: "provider" is the MSP itself (docs/glossary.md).
    COLUMNS = (
        (N_("What"), "what", 12),
        (N_("Supplier"), "provider", 18),
        (N_("Reference"), "reference", 24),
        (N_("Expires"), "expires", 10),
        (N_("Notice"), "notice", 7),
        (N_("Auto"), "auto", 4),
        (N_("Cost"), "cost", 14),
        (N_("State"), "state", 14),
    )
    BINDINGS = [
        Binding("n", "new", N_("New renewal"), id="renewals.new"),
        Binding(
            "d",
            "done",
            N_("Done / renewed"),
            id="renewals.done",
            tooltip=N_("Renewed (asks the new expiry) or let go"),
        ),
        Binding("h", "toggle_done", N_("Show done"), id="renewals.toggle_done"),
        Binding("escape", "back", N_("Back"), id="renewals.back", show=False),
    ]

    def __init__(self, client_id: int, select: int | None = None) -> None:
        super().__init__(client_id, select)
        self.title = _("Renewals")
        self.include_done = select is not None  # opened on an entry: show it whatever its state

    @staticmethod
    def read(engine: Any, client_id: int) -> tuple[str, list[Any]]:
        return _renewals(engine, client_id, False)

    def load(self) -> None:
        self.call_store(
            _renewals, self.client_id, self.include_done, done=self._loaded, group="register", exclusive=True
        )

    def cells(self, r: Any) -> list[Text]:
        from msptui.store.schemas.renewals import RenewalWhat
        from msptui.ui.screens.renewals.forms import cost_words

        today = self.msptui.clock.now().date()
        state, style = _state(r, today)
        return [
            Text(_(RenewalWhat(r.what).label)),
            Text(r.provider),
            Text(r.reference),
            Text(r.expires_on.isoformat(), style="bold red" if r.expires_on <= today and not r.done_at else ""),
            Text(_("{days} d").format(days=r.notice_days), justify="right"),
            Text(_("yes") if r.auto_renew else _("no")),
            Text(cost_words(r), justify="right"),
            Text(_(state) if state else "", style=style),
        ]

    def title_words(self, entries: list[Any]) -> str:
        count = str(len(entries))
        if self.include_done:
            count = _("{count} (done shown)").format(count=count)
        hint = _("n records one") if not entries else _("d when renewed or let go")
        return " · ".join([_("Renewals"), self.client_name, count, hint])

    def detail(self, r: Any) -> str:
        if r.replaced_by_id is not None:
            return _("Renewed on {day}: the new expiry is entry {number}.").format(
                day=f"{r.done_at:%Y-%m-%d}", number=r.replaced_by_id
            )
        if r.done_at is not None:
            return _("Let go on {day} (not renewed).").format(day=f"{r.done_at:%Y-%m-%d}")
        return _("Comes due on the board {days} days before {day}.").format(
            days=r.notice_days, day=r.expires_on.isoformat()
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "done":
            return self.selected is not None and self.selected.done_at is None
        return True

    def action_new(self) -> None:
        from msptui.ui.screens.renewals.forms import renewal_form

        self.app.push_screen(renewal_form(self.client_id, self.msptui.clock), self.saved(_("Renewal recorded.")))

    def action_done(self) -> None:
        r = self.selected
        if r is not None and r.done_at is None:
            from msptui.ui.screens.renewals.forms import cost_words, renewal_words, renewed_form

            form = renewed_form(r.id, renewal_words(r), self.msptui.clock, cost_words(r))
            self.app.push_screen(form, self.saved(_("Renewal marked done.")))

    def action_toggle_done(self) -> None:
        self.include_done = not self.include_done
        self.load()


def _state(r: Any, today: date) -> tuple[str, str]:
    """The entry's state (marked for the catalogue, translated where drawn) and its style."""
    if r.replaced_by_id is not None:
        return N_("renewed"), "dim green"
    if r.done_at is not None:
        return N_("let go"), "dim"
    if r.expires_on < today:
        return N_("expired"), "bold red"
    if (r.expires_on - today).days <= r.notice_days:
        return N_("in notice"), "bold yellow"
    return "", ""
