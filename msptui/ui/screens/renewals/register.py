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

from msptui.ui.screens.coming_due.register import ClientRegister, client_name


def _renewals(engine: Any, client_id: int, include_done: bool) -> tuple[str, list[Any]]:
    from msptui.store.renewals import client_renewals

    return client_name(engine, client_id), client_renewals(engine, client_id, include_done=include_done)


class RenewalsScreen(ClientRegister):
    TITLE = "Renewals"
    COLUMNS = (
        ("What", "what", 12),
        ("Provider", "provider", 18),
        ("Reference", "reference", 24),
        ("Expires", "expires", 10),
        ("Notice", "notice", 7),
        ("Auto", "auto", 4),
        ("Cost", "cost", 14),
        ("State", "state", 14),
    )
    BINDINGS = [
        Binding("n", "new", "New renewal", id="renewals.new"),
        Binding("d", "done", "Done / renewed", id="renewals.done", tooltip="Renewed (asks the new expiry) or let go"),
        Binding("h", "toggle_done", "Show done", id="renewals.toggle_done"),
        Binding("escape", "back", "Back", id="renewals.back", show=False),
    ]

    def __init__(self, client_id: int, select: int | None = None) -> None:
        super().__init__(client_id, select)
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

        today = self.msptui.clock.now().date()
        cost = f"{r.cost} {r.currency}" if r.cost is not None else ""
        return [
            Text(RenewalWhat(r.what).label),
            Text(r.provider),
            Text(r.reference),
            Text(r.expires_on.isoformat(), style="bold red" if r.expires_on <= today and not r.done_at else ""),
            Text(f"{r.notice_days} d", justify="right"),
            Text("yes" if r.auto_renew else "no"),
            Text(cost, justify="right"),
            Text(*_state(r, today)),
        ]

    def title_words(self, entries: list[Any]) -> str:
        shown = "" if not self.include_done else " (done shown)"
        hint = " · n records one" if not entries else " · d when renewed or let go"
        return f"Renewals · {self.client_name} · {len(entries)}{shown}{hint}"

    def detail(self, r: Any) -> str:
        if r.replaced_by_id is not None:
            return f"Renewed on {r.done_at:%Y-%m-%d}: the new expiry is entry {r.replaced_by_id}."
        if r.done_at is not None:
            return f"Let go on {r.done_at:%Y-%m-%d} (not renewed)."
        return f"Comes due on the board {r.notice_days} days before {r.expires_on.isoformat()}."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "done":
            return self.selected is not None and self.selected.done_at is None
        return True

    def action_new(self) -> None:
        from msptui.ui.screens.renewals.forms import renewal_form

        self.app.push_screen(renewal_form(self.client_id, self.msptui.clock), self.saved("Renewal recorded."))

    def action_done(self) -> None:
        r = self.selected
        if r is not None and r.done_at is None:
            from msptui.ui.screens.renewals.forms import renewal_words, renewed_form

            cost = f"{r.cost} {r.currency}" if r.cost is not None else ""
            form = renewed_form(r.id, renewal_words(r), self.msptui.clock, cost)
            self.app.push_screen(form, self.saved("Renewal marked done."))

    def action_toggle_done(self) -> None:
        self.include_done = not self.include_done
        self.load()


def _state(r: Any, today: date) -> tuple[str, str]:
    if r.replaced_by_id is not None:
        return "renewed", "dim green"
    if r.done_at is not None:
        return "let go", "dim"
    if r.expires_on < today:
        return "expired", "bold red"
    if (r.expires_on - today).days <= r.notice_days:
        return "in notice", "bold yellow"
    return "", ""
