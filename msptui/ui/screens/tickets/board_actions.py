"""The board's keys: what each does to the selected ticket, and when it is offered.

Every action is at most two keystrokes (a key, then a choice) except resolving,
which asks for the one-line resolution summary the reports print. A closed
ticket leaves the board (`O` reopens it); the client's score is asked then
(issue 17, msptui.ui.screens.satisfaction; Escape: later).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.binding import Binding

from msptui.core.i18n import N_, NC_, _
from msptui.core.rules.ticket_actions import allowed
from msptui.ui.widgets.cells import CHANNEL_WORDS, day_time_words
from msptui.ui.widgets.timer import timer_binding

_WAIT = Binding.Group(NC_("key", "Wait"))
BOARD_BINDINGS = [
    Binding("a", "acknowledge", N_("Ack"), id="board.acknowledge", tooltip=N_("Acknowledge: first response")),
    Binding(
        "i",
        "intervene",
        NC_("key", "Intervene"),
        id="board.intervene",
        tooltip=N_("Start the intervention, on site or remote"),
    ),
    Binding(
        "w",
        "wait_client",
        N_("Wait on client"),
        id="board.wait_client",
        group=_WAIT,
        tooltip=N_("Pause: waiting on the client"),
    ),
    Binding(
        "t",
        "wait_third_party",
        N_("Wait on third party"),
        id="board.wait_third_party",
        group=_WAIT,
        tooltip=N_("Waiting on a third party"),
    ),
    Binding("r", "resume", N_("Resume"), id="board.resume", tooltip=N_("End the wait")),
    Binding(
        "v",
        "resolve",
        NC_("key", "Resolve"),
        id="board.resolve",
        tooltip=N_("Resolved (asks a one-line summary): stops the clocks"),
    ),
    Binding("c", "close", N_("Close"), id="board.close", tooltip=N_("Close a resolved ticket (O reopens it)")),
    Binding("o", "reopen", N_("Reopen"), id="board.reopen", tooltip=N_("Reopen: the resolution clock resumes")),
    Binding(
        "O",
        "reopen_closed",
        N_("Reopen closed"),
        id="board.reopen_closed",
        tooltip=N_("Reopen a recently closed ticket"),
    ),
    Binding("p", "priority", N_("Priority"), id="board.priority", tooltip=N_("Change priority (then 1 to 4)")),
    Binding("n", "note", N_("Note"), id="board.note", tooltip=N_("Add a note to the ticket")),
    Binding("e", "explain", NC_("key", "Explain"), id="board.explain", tooltip=N_("Why each clock says what it says")),
    Binding("N,ctrl+n", "new_ticket", NC_("key", "New"), id="board.new_ticket", tooltip=N_("Open a new ticket")),
    Binding("b", "toggle_bell", N_("Bell"), id="board.bell", tooltip=N_("Ring the terminal bell on alerts (on/off)")),
    # Issue 16, time spent (msptui.ui.screens.time): the timer, and time typed afterwards.
    timer_binding("board.timer"),
    Binding("T", "time_entry", N_("Time spent"), id="board.time_entry", tooltip=N_("Record time spent on the ticket")),
    # Issue 18: the coming-due band under the tickets (its own keys: msptui.ui.screens.tickets.coming_due_band).
    Binding(
        "g", "coming_due", N_("Coming due"), id="board.coming_due", tooltip=N_("To the coming-due band (Esc: back)")
    ),
]
# board action -> the store's command name (for which statuses allow it)
_STORE_ACTION = {
    "acknowledge": "acknowledge",
    "intervene": "start_intervention",
    "wait_client": "wait_client",
    "wait_third_party": "wait_third_party",
    "resume": "resume",
    "resolve": "resolve",
    "close": "close",
    "reopen": "reopen",
    "priority": "change_priority",
    "note": "add_note",
}
_NEEDS_TICKET = frozenset({*_STORE_ACTION, "explain", "toggle_timer", "time_entry"})
# What each action says once done (`{number}` is the ticket's).
_DONE_WORDS = {
    "acknowledge": N_("#{number} acknowledged"),
    "wait_client": N_("#{number} waiting on the client (clocks paused)"),
    "wait_third_party": N_("#{number} waiting on a third party"),
    "resume": N_("#{number} resumed"),
    "resolve": N_("#{number} resolved"),
    "close": N_("#{number} closed — O reopens it"),
    "reopen": N_("#{number} reopened (resolution clock resumed)"),
    "note": N_("#{number} note added"),
    "intervene": N_("#{number} intervention started ({channel})"),
    "priority": N_("#{number} now {priority} (clocks re-targeted from the opening)"),
}


def _ticket_command(fn_name: str, engine: Any, *args: Any) -> Any:
    """(In the store's worker.) The ticket command `fn_name` of the store: imported there,
    so that a key pressed while the store opens never imports SQLAlchemy on the UI thread."""
    from msptui.store import tickets

    return getattr(tickets, fn_name)(engine, *args)


class BoardActions:
    """The board's actions, mixed into BoardScreen (which provides `selected`,
    `_fetch`, `zone`, `msptui` and the store calls)."""

    def check_action(self: Any, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "coming_due":  # issue 18
            return bool(self.band.rows) and not self.band.has_focus_within
        if action not in _NEEDS_TICKET:
            return True
        if self.band.has_focus_within:
            return False  # the band's keys are about its item, not the ticket left selected above
        cd = self.selected()
        if cd is None:
            return False  # hidden: nothing selected (also before the store is open)
        store_action = _STORE_ACTION.get(action)
        if store_action is None:
            return True
        # Shown from the first read, store open or not: a key pressed before it opens
        # waits for it (StoreCalls.call_store) and the command checks the status again.
        return allowed(store_action, cd.ticket.status)

    def _act(self: Any, fn_name: str, *args: Any, done: str, ticket_id: int | None = None, **words: str) -> None:
        """Run the store's `fn_name` on the ticket; then say `_DONE_WORDS[done]` (with `words`)."""
        cd = self.selected()
        if cd is None and ticket_id is None:
            return
        tid = ticket_id if ticket_id is not None else cd.ticket.id
        self.call_store(
            partial(_ticket_command, fn_name),
            tid,
            *args,
            self.msptui.clock.now(),
            done=lambda result: self._acted(result, done, select=ticket_id is not None, **words),
        )

    def _acted(self: Any, result: Any, done: str, select: bool = False, **words: str) -> None:
        message = _(_DONE_WORDS[done]).format(number=result.ticket_id, **words)
        if result.hours_class == "outside_contract":
            message = _("{message} — ☾ outside the contract: goodwill or billable extra, your call").format(
                message=message
            )
        elif result.out_of_hours:
            message = f"{message} — ☾ {result.hours_words}"
        self.app.notify(message, markup=False, timeout=4)
        if done == "close":  # issue 17: the offer to stop its timer, then the client's score
            from msptui.ui.screens.satisfaction.ask import after_close

            after_close(self, result.ticket_id)
        elif done == "resolve":  # issue 16: its timer may still run
            from msptui.ui.screens.time.timer_keys import offer_to_stop_timer

            offer_to_stop_timer(self, result.ticket_id)
        if select:  # a ticket that was off the board (reopened): the cursor goes to it
            self.select_ticket(result.ticket_id)
        else:
            self._fetch([result.ticket_id])

    def action_acknowledge(self) -> None:
        self._act("acknowledge", done="acknowledge")

    def action_wait_client(self) -> None:
        self._act("wait_on_client", done="wait_client")

    def action_wait_third_party(self) -> None:
        self._act("wait_on_third_party", done="wait_third_party")

    def action_resume(self) -> None:
        self._act("resume", done="resume")

    def action_resolve(self: Any) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import resolution_form

        self.app.push_screen(
            resolution_form(cd.ticket.id, cd.ticket.title, self.msptui.clock),
            lambda result: result and self._acted(result, "resolve"),
        )

    def action_close(self) -> None:
        self._act("close", done="close")

    def action_reopen(self) -> None:
        self._act("reopen", done="reopen")

    def action_reopen_closed(self: Any) -> None:
        from msptui.store.reads.board import recently_closed

        self.call_store(recently_closed, done=self._pick_closed, group="board-closed", exclusive=True)

    def _pick_closed(self: Any, closed: list[Any]) -> None:
        if not closed:
            self.app.notify(_("No closed ticket to reopen."), timeout=4)
            return
        from msptui.ui.screens.tickets.forms import ChoiceScreen

        line = _("#{number} {client} — {title} (closed {when})")
        choices = [
            (
                str(i),
                line.format(
                    number=t.id,
                    client=t.client_name,
                    title=t.title,
                    when=day_time_words(t.closed_at.astimezone(self.zone), date_too=True),
                ),
                t.id,
            )
            for i, t in enumerate(closed[:9], start=1)
        ]

        def chosen(ticket_id: int | None) -> None:
            if ticket_id is not None:
                self._act("reopen", done="reopen", ticket_id=ticket_id)

        self.app.push_screen(ChoiceScreen(_("Reopen a closed ticket (most recently closed first)"), choices), chosen)

    def action_intervene(self: Any) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import channel_picker

        def chosen(channel: str | None) -> None:
            if channel:
                shown = _(CHANNEL_WORDS[channel]) if channel in CHANNEL_WORDS else channel.replace("_", " ")
                self._act("start_intervention", channel, done="intervene", channel=shown)

        self.app.push_screen(channel_picker(cd.ticket.id), chosen)

    def action_priority(self: Any) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import priority_picker

        def chosen(priority: str | None) -> None:
            if priority and priority != cd.ticket.priority:
                self._act("change_priority", priority, done="priority", priority=priority)

        self.app.push_screen(priority_picker(cd.ticket.id, cd.ticket.priority), chosen)

    def action_note(self: Any) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import note_form

        self.app.push_screen(
            note_form(cd.ticket.id, self.msptui.clock), lambda result: result and self._acted(result, "note")
        )

    def action_new_ticket(self: Any) -> None:
        from msptui.ui.screens.tickets.forms import start_new_ticket

        start_new_ticket(self, self._opened)

    def _opened(self: Any, ticket_id: int | None) -> None:
        if ticket_id is None:
            return
        self.app.notify(_("Ticket #{number} opened").format(number=ticket_id), timeout=4)
        self.select_ticket(ticket_id)

    def action_explain(self: Any) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.explain import ExplainScreen

        self.app.push_screen(ExplainScreen(cd.ticket.id, self.zone))

    def action_coming_due(self: Any) -> None:
        self.band.focus_band()  # issue 18

    def action_toggle_bell(self: Any) -> None:
        self.bell = not self.bell
        said = _("Terminal bell on alerts: on") if self.bell else _("Terminal bell on alerts: off")
        self.app.notify(said, timeout=3)

    # --- time spent (issue 16): msptui.ui.screens.time ------------------------------------

    def action_toggle_timer(self: Any) -> None:
        cd = self.selected()
        if cd is not None:
            from msptui.ui.screens.time.timer_keys import toggle_timer

            toggle_timer(self, ticket_id=cd.ticket.id)

    def action_time_entry(self: Any) -> None:
        cd = self.selected()
        if cd is not None:
            from msptui.ui.screens.time.entry_form import open_time_entry_form

            open_time_entry_form(self, cd.ticket.id, self.zone)
