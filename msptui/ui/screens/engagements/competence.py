"""The competence self-check as a quick keyboard form.

Three questions answered y / p / n, each with evidence pre-filled from the
technician's own records (kept, edited or cleared), then the decision: a
accept, w with a partner (named, with the competence it brings), j at the
client's request against my judgement (the risks in writing), d decline.
Both ways of accepting with a gap ask to whom, on which day and how the
client was told (e-mail, phone, meeting, letter). What the rules
say about the answers and the decision is shown next to the field as one
types (`msptui.core.rules`); the store checks it again, with the client's
conflicts of interest, when the check is saved. Nothing is saved until
Ctrl+S; a saved check supersedes the previous one, it never edits it.

The form is taller than 24 lines: a decision key, or a refused save, scrolls
what needs attention (the refusal, the partner, the risk statement, the first
field in error) into view with the cursor on it. Back from the conflicts
register the client's conflicts are read again, so no message speaks of a
conflict as it was. Layout: `competence_layout`; the rules' words:
`competence_reading`.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import ScreenResume
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static, TextArea

from msptui.core.i18n import N_, _, ngettext
from msptui.core.rules import Decision, Question
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.engagements.competence_layout import CSS, compose_body
from msptui.ui.screens.engagements.competence_reading import (
    DISCLOSURE_FIELDS,
    blocking_warning,
    message_lines,
    read_check,
)
from msptui.ui.screens.engagements.competence_widgets import (
    AnswerChoice,
    DecisionChoice,
    EvidenceArea,
    KeyChoice,
    MeansChoice,
)
from msptui.ui.widgets.form import bring_into_view

# Where each field's trouble is shown, in the order of the form: the first one in error gets the cursor.
FIELD_ORDER = (
    *(name for q in Question for name in (q.value, f"{q.value}_evidence")),
    "decision",
    "conflicts",
    "partner_name",
    "partner_competence",
    "risk_statement",
    *DISCLOSURE_FIELDS,
    "form",
)


class CompetenceCheckScreen(MsptuiScreen):
    """Run a new competence check on one engagement; dismisses with the new check's id, or None."""

    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save the check"), id="check.save", priority=True),
        Binding("ctrl+r", "use_proposal", N_("Use proposal"), id="check.use_proposal"),
        Binding("ctrl+o", "conflicts", N_("Conflicts register"), id="check.conflicts"),
        Binding("escape", "cancel", N_("Cancel"), id="check.cancel"),
    ]

    def __init__(self, engagement_id: int) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.context: Any = None
        self.saving = False
        self.save_errors: dict[str, str] = {}
        self.initial: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield from compose_body(self._chosen)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#partner-box").display = False
        self.query_one("#risk-box").display = False
        self.query_one("#disclosure-box").display = False
        super().on_mount()

    # --- loading ------------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.engagements import check_context

        if self.context is None:
            self.call_store(check_context, self.engagement_id, done=self._loaded, failed=self._load_failed)

    def show_store_error(self, message: str) -> None:
        self.query_one("#check-title", Static).update(message)

    def _load_failed(self, exc: Exception) -> None:
        self.query_one("#check-title", Static).update(str(exc))

    def _loaded(self, context: Any) -> None:
        from msptui.ui.screens.engagements.text import local_time

        self.context = context
        e, client, previous = context.engagement, context.client, context.previous
        self.query_one("#check-title", Static).update(
            _("Competence check: {engagement} · {client}").format(engagement=e.title, client=client.name)
        )
        facts = _("Technologies: {technologies}").format(technologies=", ".join(e.technologies))
        if previous is not None:
            in_force = _("Check in force: {decision} ({when}); saving supersedes it.").format(
                decision=Decision(previous.decision).label, when=local_time(previous.checked_at, client.timezone)
            )
            facts += "\n" + in_force
        self.query_one("#check-facts", Static).update(facts)
        for q in Question:
            proposal = context.proposals.text(q)
            self.query_one(f"#evidence-{q.value}", EvidenceArea).load_text(proposal)
            if previous is not None:
                self.query_one(f"#answer-{q.value}", AnswerChoice).value = getattr(previous, q.value)
            count = len(context.proposals.lines(q))
            hint = (
                ngettext(
                    "Pre-filled from your records ({count} item): keep, edit or clear; ctrl+r puts it back.",
                    "Pre-filled from your records ({count} items): keep, edit or clear; ctrl+r puts it back.",
                    count,
                ).format(count=count)
                if count
                else _("Nothing in your records for these technologies: say what you have.")
            )
            self._set_line(f"#hint-{q.value}", hint)
        if previous is not None and previous.partner_name:
            self.query_one("#partner_name", Input).value = previous.partner_name
        # The day it is for the client; the technician changes it when the telling was earlier.
        self.query_one("#disclosed_on", Input).value = self._client_today().isoformat()
        self.initial = self.values()
        self._set_line("#check-warning", blocking_warning(context.blocking))
        self.evaluate()
        self.query_one(f"#answer-{Question.familiarity.value}", AnswerChoice).focus()

    @on(ScreenResume)
    def _resumed(self) -> None:
        # Back from the conflicts register: a disclosure may have lifted the block.
        if self.context is None:
            return
        from msptui.store.conflicts import blocking_for_client

        self.call_store(blocking_for_client, self.context.client.id, done=self._blocking_loaded)

    def _blocking_loaded(self, blocking: Any) -> None:
        from dataclasses import replace

        self.context = replace(self.context, blocking=blocking)
        # A refusal on saving spoke of the conflicts as they were; the rules now speak of them as they are.
        self.save_errors.pop("conflicts", None)
        self._set_line("#check-warning", blocking_warning(blocking))
        self.evaluate()

    # --- values and the rules ------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in Question:
            answer = self.query_one(f"#answer-{q.value}", AnswerChoice).value
            if answer is not None:
                out[q.value] = answer
            out[f"{q.value}_evidence"] = self.query_one(f"#evidence-{q.value}", EvidenceArea).text
        decision = self.query_one("#decision", DecisionChoice).value
        if decision is not None:
            out["decision"] = decision
        out["partner_name"] = self.query_one("#partner_name", Input).value
        out["partner_competence"] = self.query_one("#partner_competence", Input).value
        out["risk_statement"] = self.query_one("#risk_statement", TextArea).text
        out["disclosed_to"] = self.query_one("#disclosed_to", Input).value
        out["disclosed_on"] = self.query_one("#disclosed_on", Input).value
        out["disclosed_how"] = self.query_one("#disclosed_how", MeansChoice).value or ""
        return out

    def _client_today(self) -> Any:
        from zoneinfo import ZoneInfo

        return self.msptui.clock.now().astimezone(ZoneInfo(self.context.client.timezone)).date()

    def evaluate(self) -> None:
        """Show what the rules say about the answers and the decision, next to the fields."""
        if self.context is None:
            return
        values = self.values()
        decision = values.get("decision")
        with_partner = decision == Decision.accept_with_partner
        at_request = decision == Decision.accept_against_judgement
        for box, shown in (
            ("#partner-box", with_partner),
            ("#risk-box", at_request),
            ("#disclosure-box", with_partner or at_request),
        ):
            widget = self.query_one(box)
            if widget.display != shown:
                widget.display = shown
        self._set_line(
            "#disclosure-title",
            _("The partner was disclosed to the client:")
            if with_partner
            else _("The risks in writing were given to the client:"),
        )
        reading = read_check(values, self.context.blocking, self._client_today())
        self._set_line("#outcome", reading.summary)
        self.query_one("#decision", DecisionChoice).set_recommended(reading.allowed)
        for wid, text in message_lines({**reading.messages, **self.save_errors}).items():
            self._set_line(f"#{wid}", text)

    def _set_line(self, selector: str, text: str) -> None:
        # Updating a Static re-lays the screen out: only touch what changed (this runs per keystroke).
        line = self.query_one(selector, Static)
        if getattr(line, "shown_text", None) == text:
            return
        line.shown_text = text
        line.update(text)
        line.set_class(not text, "-empty")

    # --- what needs attention is on screen ------------------------------------------------

    def _attend(self, name: str) -> None:
        """Put the cursor on the field `name` names and bring it on screen with its message.

        For the decision, the conflicts and the form's own message: the decision keys,
        the refusal under them and, when there is room, the answers' outcome above."""
        body = self.query_one("#check-body", VerticalScroll)
        if name in ("decision", "conflicts", "form"):
            field: Widget = self.query_one("#decision")
            shown = [self.query_one("#decision-row")]
            shown += [self.query_one(f"#error-{n}") for n in ("decision", "conflicts", "form")]
            shown.append(self.query_one("#outcome"))  # above the keys: shown too when there is room
        else:
            field = self._field(name)
            message = self.query_one(f"#error-{name.removesuffix('_evidence')}")
            shown = [field.parent if isinstance(field.parent, Widget) else field, message]
        field.focus(scroll_visible=False)
        bring_into_view(body, *shown)

    def _field(self, name: str) -> Widget:
        if name.endswith("_evidence"):
            return self.query_one(f"#evidence-{name.removesuffix('_evidence')}")
        if name in {q.value for q in Question}:
            return self.query_one(f"#answer-{name}")
        return self.query_one(f"#{name}")

    def _chosen(self, choice: KeyChoice) -> None:
        self._forget_errors((choice.id or "").removeprefix("answer-"))
        self.evaluate()
        if isinstance(choice, (AnswerChoice, MeansChoice)):
            choice.action_next()
        elif choice.value == Decision.accept_with_partner:
            self._attend("partner_name")
        elif choice.value == Decision.accept_against_judgement:
            self._attend("risk_statement")
        else:
            # Accepting or declining: a refusal shows under the keys, maybe below the bottom line.
            self._attend("decision")

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        control = getattr(event, "control", None)
        name = control.id.removeprefix("evidence-") + "_evidence" if control.id.startswith("evidence-") else control.id
        self._forget_errors(name)
        self.evaluate()

    @on(Input.Submitted)
    def _line_entered(self) -> None:
        self.focus_next()

    def _forget_errors(self, name: str) -> None:
        for key in (name, "decision", "conflicts", "form"):
            self.save_errors.pop(key, None)

    # --- actions ---------------------------------------------------------------------------

    def action_use_proposal(self) -> None:
        focused = self.focused
        if self.context is None or not isinstance(focused, EvidenceArea) or focused.id is None:
            self.notify(_("Move to an evidence field first."), severity="warning")
            return
        proposal = self.context.proposals.text(focused.id.removeprefix("evidence-"))
        if not proposal:
            self.notify(_("Nothing in your records for these technologies."), severity="warning")
            return
        focused.load_text(proposal)

    def action_conflicts(self) -> None:
        if self.context is None:
            return
        from msptui.ui.screens.conflicts.register import ConflictsScreen

        self.app.push_screen(ConflictsScreen(client_id=self.context.client.id))

    def action_save(self) -> None:
        if self.context is None or self.saving:
            return
        self.saving = True
        self.save_errors = {}
        self.call_store(
            _record,
            self.engagement_id,
            self.values(),
            self.msptui.clock.now(),
            done=self._saved,
            failed=self._failed,
            group="check",
        )

    def _saved(self, check_id: int) -> None:
        self.saving = False
        decision = Decision(self.query_one("#decision", DecisionChoice).value)
        self.notify(_("Check recorded: {decision}.").format(decision=decision.label.lower()))
        self.dismiss(check_id)

    def _failed(self, exc: Exception) -> None:
        from pydantic import ValidationError

        from msptui.store.schemas import FieldError, field_errors

        self.saving = False
        if isinstance(exc, ValidationError):
            self.save_errors = field_errors(exc)
        elif isinstance(exc, FieldError):
            self.save_errors = {exc.field: exc.message}
        else:
            self.save_errors = {"form": str(exc)}
        self.evaluate()
        self._focus_first_error()

    def _focus_first_error(self) -> None:
        first = next((name for name in FIELD_ORDER if name in self.save_errors), None)
        if first is None and self.save_errors:
            first = "form"
        if first is not None:
            self._attend(first)

    def action_cancel(self) -> None:
        if self.initial is None or self.values() == self.initial:
            self.dismiss(None)
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(_("Leave without saving this check? What you typed is lost.")),
            callback=lambda yes: yes and self.dismiss(None),
        )


def _record(engine: Any, engagement_id: int, values: dict[str, Any], now: Any) -> int:
    from msptui.store.engagements import record_check
    from msptui.store.schemas.engagements import CompetenceCheckInput

    return record_check(engine, engagement_id, CompetenceCheckInput(**values), now)
