"""The timer key, shared by the board and the engagement screens, and the offer to stop
the timer when its ticket is resolved or closed.

One timer runs at a time (the store enforces it across processes). The key
starts the timer on the selected ticket or engagement, stops it when it is
already running there, and says which timer a start stopped. A timer left
running over 12 hours is probably forgotten: before anything else, the key asks
whether to keep all that time or to say when the work really ended.

Every store call reads the database again (another terminal may have started or
stopped a timer since the header last looked) and runs in the owner screen's
worker; the store is imported in the worker, never on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from msptui.core.i18n import _
from msptui.ui.widgets.timer import TIMER_KEY, poll_badges, read_running_timer, timer_binding

__all__ = ["TIMER_KEY", "offer_to_stop_timer", "timer_binding", "toggle_timer"]


def format_duration(duration: Any) -> str:
    """rules.time_entries.format_duration, imported at first use: the board imports this
    module at start, and every millisecond before its first frame counts."""
    from msptui.core.rules.time_entries import format_duration as words

    return words(duration)


# --- worker side ---------------------------------------------------------------------------


def _start(engine: Any, ticket_id: int | None, engagement_id: int | None, now: datetime) -> Any:
    from msptui.store.time_entries import start_timer

    return start_timer(engine, ticket_id=ticket_id, engagement_id=engagement_id, now=now)


def _stop(engine: Any, now: datetime, entry_id: int) -> Any:
    from msptui.store.time_entries import stop_timer

    return stop_timer(engine, now, entry_id)


def _end_stale(engine: Any, now: datetime, ended_at: datetime) -> Any:
    from msptui.store.time_entries import keep_or_stop_stale

    return keep_or_stop_stale(engine, False, now, ended_at)


# --- the key -------------------------------------------------------------------------------


def toggle_timer(owner: Any, *, ticket_id: int | None = None, engagement_id: int | None = None, here: str = "") -> None:
    """Start the timer on the ticket or engagement, or stop it if it runs there.

    `owner` is the screen the key was pressed on (its workers, its app); `here` names the
    subject in the notification ("#12" by default for a ticket)."""
    subject = (ticket_id, engagement_id)
    here = here or (f"#{ticket_id}" if ticket_id is not None else _("this engagement"))
    owner.call_store(
        read_running_timer, done=lambda running: _decide(owner, subject, here, running), group="timer", exclusive=True
    )


def _decide(owner: Any, subject: tuple[int | None, int | None], here: str, running: Any) -> None:
    same = running is not None and (running.ticket_id, running.engagement_id) == subject
    then: Callable[[], None] = (
        (lambda: _stop_now(owner, running.entry_id)) if same else (lambda: _start_now(owner, subject, here))
    )
    if running is not None and running.over_12h(owner.app.clock.now()):
        _ask_about_stale(owner, running, then, stopping=same)
    else:
        then()


def _start_now(owner: Any, subject: tuple[int | None, int | None], here: str) -> None:
    ticket_id, engagement_id = subject
    owner.call_store(
        _start, ticket_id, engagement_id, owner.app.clock.now(), done=lambda result: _started(owner, here, result)
    )


def _started(owner: Any, here: str, result: Any) -> None:
    if result.already_running:
        message = _("The timer already runs on {subject}.").format(subject=here)
    elif result.stopped is not None:
        message = _("Stopped the timer on {stopped} — timing {subject} now.").format(
            stopped=_stopped_words(result.stopped), subject=here
        )
    else:
        message = _("Timing {subject} now: the same key stops it.").format(subject=here)
    owner.app.notify(message, title=_("Timer"), markup=False, timeout=6)
    poll_badges(owner.app)


def _stop_now(owner: Any, entry_id: int) -> None:
    """Stop the timer the technician was shown (entry `entry_id`), and no other."""
    owner.call_store(_stop, owner.app.clock.now(), entry_id, done=lambda stopped: _stopped(owner, stopped))


def _stopped(owner: Any, stopped: Any) -> None:
    if stopped is None:
        owner.app.notify(
            _(
                "That timer was no longer running (stopped or replaced from another window or the shell):"
                " nothing stopped."
            ),
            title=_("Timer"),
            timeout=6,
        )
    elif stopped.duration.total_seconds() <= 0:
        owner.app.notify(
            _("Stopped the timer on {subject}: no time spent, nothing recorded.").format(subject=stopped.label),
            markup=False,
        )
    else:
        owner.app.notify(
            _("Stopped the timer on {stopped}: recorded.").format(stopped=_stopped_words(stopped)),
            title=_("Timer"),
            markup=False,
        )
    poll_badges(owner.app)


def _stopped_words(stopped: Any) -> str:
    """'#12 Printer down (25 min)'."""
    return f"{stopped.label} ({format_duration(stopped.duration)})"


# --- a timer forgotten overnight -------------------------------------------------------------


def _ask_about_stale(owner: Any, running: Any, then: Callable[[], None], *, stopping: bool) -> None:
    """Keep all the time of a timer over 12 h (then do what the key asked), or say when
    the work ended (the timer stops then; a start then goes on)."""
    from msptui.ui.screens.time.entry_form import stale_end_form
    from msptui.ui.widgets.confirm import ConfirmScreen

    app = owner.app
    now = app.clock.now()
    zone = getattr(owner, "zone", None)
    from msptui.ui.screens.time.entries import day_and_time

    since = running.started_at.astimezone(zone) if zone is not None else running.started_at
    if stopping:
        question = _(
            "The timer on {subject} has run for {duration}, since {since}: probably forgotten.\n\n"
            "Keep all that time? y keeps it (the timer stops now); n asks when the work really ended."
        )
    else:
        question = _(
            "The timer on {subject} has run for {duration}, since {since}: probably forgotten.\n\n"
            "Keep all that time? y keeps it (it stops now, the new one starts); n asks when the work really ended."
        )
    question = question.format(
        subject=running.label, duration=format_duration(running.elapsed(now)), since=day_and_time(since)
    )

    def answered(keep: bool | None) -> None:
        if keep:
            then()
            return
        app.push_screen(stale_end_form(running, app.clock, zone), ended)

    def ended(stopped: Any) -> None:
        if stopped is None:  # Escape: nothing changed, the timer still runs
            app.notify(
                _("Nothing changed: the timer still runs on {subject}.").format(subject=running.label),
                markup=False,
                timeout=6,
            )
            return
        app.notify(
            _("Stopped the timer on {stopped}: recorded.").format(stopped=_stopped_words(stopped)),
            title=_("Timer"),
            markup=False,
        )
        poll_badges(app)
        if not stopping:  # the key was to start another one: it starts now
            then()

    app.push_screen(ConfirmScreen(question), answered)


# --- resolving or closing a ticket with its timer running -----------------------------------


def offer_to_stop_timer(owner: Any, ticket_id: int, then: Callable[[], object] | None = None) -> None:
    """If the timer runs on `ticket_id` (just resolved or closed), ask whether to stop it;
    then `then()` (the next question: one at a time), asked or not."""

    def read(running: Any) -> None:
        if running is None or running.ticket_id != ticket_id:
            if then is not None:
                then()
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        spent = format_duration(running.elapsed(owner.app.clock.now()))
        question = _("The timer still runs on {subject} ({duration} so far). Stop it now?").format(
            subject=running.label, duration=spent
        )

        def answered(yes: bool | None) -> None:
            if yes:
                _stop_now(owner, running.entry_id)
            if then is not None:
                then()

        owner.app.push_screen(ConfirmScreen(question), answered)

    owner.call_store(read_running_timer, done=read, group="timer", exclusive=True)
