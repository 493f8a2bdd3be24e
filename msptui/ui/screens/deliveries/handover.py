"""Offering the handover pack: one question, then the pack written by the asking screen's worker.

The deliveries list (h) and the status change of an engagement to cancelled
(the charter's duty on cancellation: hand over everything another provider
needs) ask the same question and write the same pack through
`msptui.store.files.handover.write_handover_pack`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msptui.core.i18n import _


def offer_handover(
    screen: Any,
    client_id: int,
    client_name: str,
    engagement_id: int | None = None,
    engagement_title: str = "",
    *,
    reason: str = "",
    written: Callable[[Any], object] | None = None,
) -> None:
    """Ask whether to write the handover pack of the client (for a cancelled engagement when
    `engagement_id` is given), then write it from `screen` (a `MsptuiScreen`).

    `reason` opens the question (a translated sentence: why it is offered now); `written(pack)` runs once it is
    written, after the notification that says where.
    """
    from msptui.ui.widgets.confirm import ConfirmScreen

    if engagement_id is not None:
        ask = _("Write a handover pack for the cancelled engagement '{engagement}' of {client}?").format(
            engagement=engagement_title, client=client_name
        )
    else:
        ask = _("Write a handover pack for {client}?").format(client=client_name)
    holds = _(
        "It holds the client, contracts, third parties, SLA targets, GDPR processing, open tickets"
        " with their history, deliveries and documentation, and the labels of its secrets"
        " (never their values), in {folder}."
    ).format(folder=screen.msptui.paths.exports / "handover")
    question = (f"{reason} " if reason else "") + f"{ask}\n\n{holds}"

    def answered(yes: bool | None) -> None:
        if yes:
            _write(screen, client_id, engagement_id, written)

    screen.app.push_screen(ConfirmScreen(question), callback=answered)


def _write(screen: Any, client_id: int, engagement_id: int | None, written: Callable[[Any], object] | None) -> None:
    from msptui.store.files.handover import write_handover_pack

    def done(pack: Any) -> None:
        screen.msptui.notify(
            _("Handover pack written:\n{folder}\n{zip}").format(folder=pack.folder, zip=pack.zip),
            title=_("Handover pack"),
            timeout=15,
        )
        if written is not None:
            written(pack)

    screen.call_store(
        write_handover_pack,
        screen.msptui.paths.exports,
        client_id,
        screen.msptui.clock.now(),
        engagement_id,
        done=done,
        group="handover",
    )
