"""The checklist's keys on the delivery note and the delivery itself: issue, void, write again, deliver.

A mixin of `msptui.ui.screens.deliveries.checklist.DeliveryScreen`, kept apart
from the keys on the checklist's lines. An issued note is frozen: a change
means voiding it (reason kept, number never reused, VOID printed on its
files) and issuing the next number. A delivery is marked delivered only once
every part is complete or waived.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from msptui.core.i18n import _


class NoteActions:
    """i, v and m of the checklist, and writing the note's Markdown and PDF."""

    # Provided by the screen (a MsptuiScreen with the checklist's state).
    app: Any
    msptui: Any
    view: Any
    delivery_id: int | None
    call_store: Any
    query_one: Any
    reload: Any
    _say: Any
    _call: Any

    def action_issue(self) -> None:
        if self.view is None or self.delivery_id is None:
            return
        if self.view.note is not None:
            self.action_export()  # issued already: write its files again (a lost or damaged copy)
            return
        if self.view.tests_unsettled:
            self._say(self.view.tests_unsettled, _("Note not issued"))
            return
        from msptui.store.provider import provider_identity

        self.call_store(provider_identity, done=self._issue_with, group="delivery-provider")

    def _issue_with(self, provider: Any) -> None:
        """Open the issue form, or first the provider's identity when it is not set yet."""
        from msptui.store.delivery_notes import PROVIDER_MISSING
        from msptui.ui.screens.deliveries.forms import issue_form

        if provider is None:
            from msptui.ui.screens.settings.provider import ask_provider_then

            self._say(_(PROVIDER_MISSING), _("Provider identity"))
            ask_provider_then(self.app, _(PROVIDER_MISSING), self.action_issue)
            return
        self.app.push_screen(issue_form(self.view, self.delivery_id, self.msptui.clock), callback=self._issued)

    def _issued(self, note: Any) -> None:
        if note is None:
            return
        self.msptui.notify(_("Delivery note {number} issued.").format(number=note.number), title=_("Delivery note"))
        self.reload()
        self.action_export()

    def action_void(self) -> None:
        """Void the note in force, with a reason; its files are then written again with VOID."""
        from msptui.store.delivery_notes import NOTHING_TO_VOID

        if self.view is None or self.delivery_id is None:
            return
        note = self.view.note
        if note is None:
            self._say(_(NOTHING_TO_VOID), _("Nothing to void"))
            return
        from msptui.ui.screens.deliveries.forms import void_form

        form = void_form(note, self.delivery_id, self.msptui.clock)
        self.app.push_screen(form, callback=lambda void: void is not None and self._voided(note.number, void.note_id))

    def _voided(self, number: str, note_id: int) -> None:
        from msptui.store.files.delivery_note import export_note_by_id

        self.msptui.notify(_("Delivery note {number} is void.").format(number=number), title=_("Delivery note"))
        self.reload()
        self.call_store(export_note_by_id, self.msptui.paths.exports, note_id, done=self._exported, group="note-export")

    def action_export(self) -> None:
        from msptui.store.files.delivery_note import export_note

        if self.delivery_id is not None:
            self.call_store(
                export_note, self.msptui.paths.exports, self.delivery_id, done=self._exported, group="note-export"
            )

    def _exported(self, files: Any) -> None:
        if files.font:
            message = _("Note written: {markdown} and .pdf").format(markdown=files.markdown)
        else:
            message = _("Note written: {markdown} and .pdf (no Unicode font found: PDF uses the built-in font)").format(
                markdown=files.markdown
            )
        self.query_one("#delivery-status", Static).update(message)
        self.msptui.notify(message, title=_("Delivery note"), timeout=15)

    def action_mark_delivered(self) -> None:
        from msptui.store import deliveries as store
        from msptui.ui.widgets.confirm import ConfirmScreen

        if self.view is None or self.delivery_id is None:
            return
        readiness = self.view.readiness
        if not readiness.ready:
            self.msptui.notify(
                "\n".join(readiness.blockers), title=_("Not ready to mark delivered"), severity="warning", timeout=10
            )
            return
        delivery_id, clock = self.delivery_id, self.msptui.clock
        question = _(
            "Mark '{engagement}' delivered now?\n\n"
            "The engagement moves to delivered and the checklist can no longer change."
        ).format(engagement=self.view.engagement.title)
        self.app.push_screen(
            ConfirmScreen(question),
            callback=lambda yes: (
                yes and self._call(store.mark_delivered, delivery_id, clock.now(), done=self._delivered)
            ),
        )

    def _delivered(self, _result: Any) -> None:
        self.msptui.notify(
            _("'{engagement}' delivered.").format(engagement=self.view.engagement.title), title=_("Delivery")
        )
        self.reload()
        # Issue 17: the client's score for the delivery (Escape: later, nothing recorded).
        from msptui.ui.screens.satisfaction.ask import ask_satisfaction

        ask_satisfaction(self, delivery_id=self.delivery_id)
