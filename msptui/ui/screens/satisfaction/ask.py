"""When the client's score is asked: after a ticket is closed on the board (once the
offer to stop its timer is answered: one question at a time), and after a delivery
is marked delivered. Escape on the form is "later": nothing is recorded, and
nothing asks again.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import _

__all__ = ["after_close", "ask_satisfaction"]


def _occasion(engine: Any, ticket_id: int | None, delivery_id: int | None) -> Any:
    """(Worker side.) The store is imported here, off the UI thread."""
    from msptui.store.satisfaction import occasion

    return occasion(engine, ticket_id, delivery_id)


def ask_satisfaction(owner: Any, *, ticket_id: int | None = None, delivery_id: int | None = None) -> None:
    """Open the score form about a ticket just closed or a delivery just delivered;
    `owner` is the screen that asks (its workers, its app)."""
    from msptui.ui.screens.satisfaction.form import satisfaction_form

    app = owner.app

    def recorded(result: Any) -> None:
        if result is not None:
            app.notify(
                _("Satisfaction recorded: {answer}.").format(answer=result.words),
                title=_("Satisfaction"),
                markup=False,
                timeout=4,
            )

    owner.call_store(
        _occasion,
        ticket_id,
        delivery_id,
        done=lambda found: app.push_screen(satisfaction_form(found, app.clock), recorded),
        group="satisfaction",
        exclusive=True,
    )


def after_close(owner: Any, ticket_id: int) -> None:
    """A ticket was just closed: the offer to stop its timer first, if it runs, then the client's score."""
    from msptui.ui.screens.time.timer_keys import offer_to_stop_timer

    offer_to_stop_timer(owner, ticket_id, then=lambda: ask_satisfaction(owner, ticket_id=ticket_id))
