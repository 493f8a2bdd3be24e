"""One ticket of the history: its clocks at a glance, then the explain view (calendar, pauses, log).

Reached from the Tickets history (Enter). A resolved or closed ticket can be
reopened here (`o`): its resolution clock resumes, it does not start again
(`msptui.store.tickets.reopen`). Closing the screen tells the history the
ticket's new status, so the list says it without reading every ticket again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from textual.binding import Binding

from msptui.core.i18n import N_, _
from msptui.ui.screens.tickets.explain import ExplainScreen, clock_words, explain_with_breaches

STATE_WORDS = {
    "running": N_("running"),
    "warning": N_("running, past the warning"),
    "paused": N_("paused"),
    "breached": N_("breached"),
    "met": N_("met"),
}


Lines = list[tuple[str, str]]


def history_report(
    engine: Any, ticket_id: int, now: datetime, viewer: ZoneInfo
) -> tuple[str, tuple[Lines, dict[str, str]]]:
    """(the ticket's status, (lines, breached clocks)): a line per clock, then the explain view's
    report and its breached clocks with their justification (worker side)."""
    from msptui.store.tickets import clocks_from_log, get_ticket

    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        return "", ([("bold red", _("Ticket #{number} no longer exists.").format(number=ticket_id))], {})
    report, breached = explain_with_breaches(engine, ticket_id, now, viewer)
    clocks = clocks_from_log(engine, ticket_id, now)
    from msptui.core.formats import weekday_abbr

    summary: list[tuple[str, str]] = []
    names = {name: clock_words(name).capitalize() for name in clocks}
    width = max([13, *(len(n) + 1 for n in names.values())])  # 13 in English: two spaces after the longest
    for name, state in clocks.items():
        status = str(state.status)
        words = _(STATE_WORDS[status]) if status in STATE_WORDS else status
        if status == "breached":
            style = "bold red"
        elif status == "met":
            style = "green"
        else:
            if state.due_at:
                due = state.due_at.astimezone(viewer)
                words = _("{state}, due {when}").format(state=words, when=f"{weekday_abbr(due)} {due:%Y-%m-%d %H:%M}")
            style = "yellow" if status == "warning" else ""
        summary.append((style, f"{names[name]:<{width}} {words}"))
    if summary:
        summary = [("bold", _("Clocks")), *summary, ("", "")]
    # The report's first three lines name the ticket; the clocks follow them.
    return ticket.status, (report[:3] + [("", ""), *summary] + report[3:], breached)


class TicketHistoryDetail(ExplainScreen):
    """A ticket from the history: clocks, explanation, log; `o` reopens a resolved or closed one.

    Dismissed with (ticket id, new status) after a reopening, else None.
    """

    BINDINGS = [
        Binding("o", "reopen", N_("Reopen"), id="history.reopen", tooltip=N_("Reopen: the resolution clock resumes")),
    ]
    essential_keys = ("history.reopen", "explain.back", "explain.reload")

    def __init__(self, ticket_id: int, viewer: ZoneInfo) -> None:
        super().__init__(ticket_id, viewer)
        self.status = ""
        self.changed: tuple[int, str] | None = None

    def load(self) -> None:
        now = self.msptui.clock.now()
        self.call_store(history_report, self.ticket_id, now, self.viewer, done=self._answered, group="explain")

    def _answered(self, answer: tuple[str, tuple[Lines, dict[str, str]]]) -> None:
        self.status, report = answer
        self._show(report)
        self.sub_title = _("Ticket #{number}").format(number=self.ticket_id)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reopen":
            return self.status in ("resolved", "closed")
        return super().check_action(action, parameters)

    def action_reopen(self) -> None:
        if self.status not in ("resolved", "closed"):
            return
        from msptui.store.tickets import reopen

        self.call_store(reopen, self.ticket_id, self.msptui.clock.now(), done=self._reopened)

    def _reopened(self, result: Any) -> None:
        self.changed = (result.ticket_id, str(result.status))
        self.notify(
            _("Ticket #{number} reopened: its resolution clock resumes ({hours}).").format(
                number=result.ticket_id, hours=result.hours_words
            )
        )
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.changed)
