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
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import ScreenResume
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Static, TextArea

from msptui.core.rules import (
    ClientDisclosure,
    CompetenceAnswers,
    Decision,
    Question,
    check_decision,
    competence_outcome,
)
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.engagements.competence_widgets import (
    AnswerChoice,
    DecisionChoice,
    EvidenceArea,
    KeyChoice,
    MeansChoice,
)

ANSWER_ALL = "Answer the three questions: y yes, p partly, n no."
# Field names as the rules and the input model name them.
DISCLOSURE_FIELDS = ("disclosed_to", "disclosed_on", "disclosed_how")
RULE_FIELDS = ("decision", "partner_name", "partner_competence", "risk_statement", *DISCLOSURE_FIELDS, "conflicts")
LABELS = {
    **{q.value: "Answer" for q in Question},
    **{f"{q.value}_evidence": "Evidence" for q in Question},
    "decision": "Decision",
    "partner_name": "Partner",
    "partner_competence": "Competence",
    "risk_statement": "Risk statement",
    "disclosed_to": "To whom",
    "disclosed_on": "On",
    "disclosed_how": "How",
}


class CompetenceCheckScreen(MsptuiScreen):
    """Run a new competence check on one engagement; dismisses with the new check's id, or None."""

    DEFAULT_CSS = """
    CompetenceCheckScreen #check-body { padding: 0 1; }
    CompetenceCheckScreen #check-title { text-style: bold; }
    CompetenceCheckScreen #check-facts { color: $text-muted; }
    CompetenceCheckScreen #check-warning { color: $warning; height: auto; }
    CompetenceCheckScreen #check-warning.-empty { display: none; }
    CompetenceCheckScreen .question { text-style: bold; margin-top: 1; }
    CompetenceCheckScreen .row { height: auto; }
    CompetenceCheckScreen .row > Label { width: 15; color: $text-muted; }
    CompetenceCheckScreen .row > .field { width: 1fr; }
    CompetenceCheckScreen EvidenceArea { height: 3; }
    CompetenceCheckScreen #disclosure-title { color: $text-muted; margin-top: 1; }
    CompetenceCheckScreen #risk_statement { height: 4; }
    CompetenceCheckScreen .hint { color: $text-muted; padding-left: 16; height: auto; }
    CompetenceCheckScreen .message { color: $warning; padding-left: 16; height: auto; }
    CompetenceCheckScreen .message.-empty, CompetenceCheckScreen .hint.-empty { display: none; }
    CompetenceCheckScreen #outcome { margin-top: 1; height: auto; }
    CompetenceCheckScreen #decision-row { margin-top: 1; }
    CompetenceCheckScreen #error-conflicts { color: $error; padding-left: 0; }
    CompetenceCheckScreen #error-form { color: $error; padding-left: 0; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save the check", id="check.save", priority=True),
        Binding("ctrl+r", "use_proposal", "Use proposal", id="check.use_proposal"),
        Binding("ctrl+o", "conflicts", "Conflicts register", id="check.conflicts"),
        Binding("escape", "cancel", "Cancel", id="check.cancel"),
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
        with VerticalScroll(id="check-body"):
            yield Static("Opening the engagement…", id="check-title", markup=False)
            yield Static("", id="check-facts", markup=False)
            yield Static("", id="check-warning", markup=False)
            for q in Question:
                yield Static(f"{q.numeral}. {q.prompt}", classes="question", markup=False)
                with Horizontal(classes="row"):
                    yield Label("Answer")
                    yield AnswerChoice(self._chosen, id=f"answer-{q.value}", classes="field")
                with Horizontal(classes="row"):
                    yield Label("Evidence")
                    yield EvidenceArea(
                        id=f"evidence-{q.value}",
                        classes="field",
                        compact=True,
                        soft_wrap=True,
                        tab_behavior="focus",
                        placeholder="What shows it: a project, a certification, training…",
                    )
                yield Static("", id=f"hint-{q.value}", classes="hint -empty", markup=False)
                yield Static("", id=f"error-{q.value}", classes="message -empty", markup=False)
            yield Static(ANSWER_ALL, id="outcome", markup=False)
            with Horizontal(classes="row", id="decision-row"):
                yield Label("Decision")
                yield DecisionChoice(self._chosen, id="decision", classes="field")
            yield Static("", id="error-decision", classes="message -empty", markup=False)
            with Vertical(id="partner-box"):
                with Horizontal(classes="row"):
                    yield Label("Partner")
                    yield Input(
                        placeholder="Company bringing the missing competence",
                        id="partner_name",
                        classes="field",
                        compact=True,
                    )
                yield Static("", id="error-partner_name", classes="message -empty", markup=False)
                with Horizontal(classes="row"):
                    yield Label("Competence")
                    yield Input(
                        placeholder="What the partner brings that you lack",
                        id="partner_competence",
                        classes="field",
                        compact=True,
                    )
                yield Static("", id="error-partner_competence", classes="message -empty", markup=False)
            with Vertical(id="risk-box"):
                with Horizontal(classes="row"):
                    yield Label("Risk statement")
                    yield TextArea(
                        id="risk_statement",
                        classes="field",
                        compact=True,
                        soft_wrap=True,
                        tab_behavior="focus",
                        placeholder="What could go wrong, for the client and for the project, and what you do about it",
                    )
                yield Static("", id="error-risk_statement", classes="message -empty", markup=False)
            with Vertical(id="disclosure-box"):
                yield Static("", id="disclosure-title", markup=False)
                with Horizontal(classes="row"):
                    yield Label("To whom")
                    yield Input(placeholder="Person at the client", id="disclosed_to", classes="field", compact=True)
                yield Static("", id="error-disclosed_to", classes="message -empty", markup=False)
                with Horizontal(classes="row"):
                    yield Label("On")
                    yield Input(placeholder="YYYY-MM-DD", id="disclosed_on", classes="field", compact=True)
                yield Static("", id="error-disclosed_on", classes="message -empty", markup=False)
                with Horizontal(classes="row"):
                    yield Label("How")
                    yield MeansChoice(self._chosen, id="disclosed_how", classes="field")
                yield Static("", id="error-disclosed_how", classes="message -empty", markup=False)
            yield Static("", id="error-conflicts", classes="message -empty", markup=False)
            yield Static("", id="error-form", classes="message -empty", markup=False)
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
        from msptui.store.schemas.engagements import format_instant

        self.context = context
        e, client, previous = context.engagement, context.client, context.previous
        self.query_one("#check-title", Static).update(f"Competence check: {e.title} · {client.name}")
        facts = f"Technologies: {', '.join(e.technologies)}"
        if previous is not None:
            when = format_instant(previous.checked_at, client.timezone)
            facts += f"\nCheck in force: {Decision(previous.decision).label} ({when}); saving supersedes it."
        self.query_one("#check-facts", Static).update(facts)
        for q in Question:
            proposal = context.proposals.text(q)
            self.query_one(f"#evidence-{q.value}", EvidenceArea).load_text(proposal)
            if previous is not None:
                self.query_one(f"#answer-{q.value}", AnswerChoice).value = getattr(previous, q.value)
            count = len(context.proposals.lines(q))
            hint = (
                f"Pre-filled from your records ({count} item{'s' if count > 1 else ''}): keep, edit or clear; ctrl+r puts it back."
                if count
                else "Nothing in your records for these technologies: say what you have."
            )
            self._set_line(f"#hint-{q.value}", hint)
        if previous is not None and previous.partner_name:
            self.query_one("#partner_name", Input).value = previous.partner_name
        # The day it is for the client; the technician changes it when the telling was earlier.
        self.query_one("#disclosed_on", Input).value = self._client_today().isoformat()
        self.initial = self.values()
        self._show_blocking()
        self.evaluate()
        self.query_one(f"#answer-{Question.familiarity.value}", AnswerChoice).focus()

    def _show_blocking(self) -> None:
        b = self.context.blocking
        # The rules word the refusal; asking them about a plain accept gives their sentence.
        words = [
            v.message
            for v in check_decision(
                CompetenceAnswers("yes", "yes", "yes"),
                Decision.accept,
                undisclosed_conflicts=b.undisclosed,
                unanswered_conflicts=b.unanswered,
                refused_conflicts=b.refused,
            )
            if v.field == "conflicts"
        ]
        text = " ".join(words) + " Ctrl+O opens the register." if words else ""
        self._set_line("#check-warning", text and "⚠ " + text)

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
        self._show_blocking()
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

    def _disclosure(self, values: dict[str, Any]) -> tuple[ClientDisclosure, dict[str, str]]:
        """What was typed about telling the client, read by the input model (the form never
        parses text itself), and the model's own messages (a date that is not one)."""
        from pydantic import ValidationError

        from msptui.store.schemas import field_errors
        from msptui.store.schemas.engagements import CheckDisclosureInput

        parsed: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name in DISCLOSURE_FIELDS:
            try:
                parsed[name] = getattr(CheckDisclosureInput(**{name: values[name]}), name)
            except ValidationError as exc:
                errors.update(field_errors(exc))
                parsed[name] = None
        return ClientDisclosure(parsed["disclosed_to"] or None, parsed["disclosed_on"], parsed["disclosed_how"]), errors

    def evaluate(self) -> None:
        """Show what the rules say about the answers and the decision, next to the fields."""
        if self.context is None:
            return
        values = self.values()
        decision = values.get("decision")
        with_partner, at_request = (
            decision == Decision.accept_with_partner,
            decision == Decision.accept_against_judgement,
        )
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
            "The partner was disclosed to the client:"
            if with_partner
            else "The risks in writing were given to the client:",
        )
        messages: dict[str, str] = {}
        if all(q.value in values for q in Question):
            answers = CompetenceAnswers(*(values[q.value] for q in Question))
            outcome = competence_outcome(answers)
            self._set_line("#outcome", outcome.summary)
            self.query_one("#decision", DecisionChoice).set_recommended(frozenset(outcome.allowed))
            if decision is not None:
                b = self.context.blocking
                disclosure, typed_wrong = self._disclosure(values)
                for v in check_decision(
                    answers,
                    decision,
                    partner_name=values["partner_name"] or None,
                    partner_competence=values["partner_competence"] or None,
                    risk_statement=values["risk_statement"] or None,
                    disclosure=disclosure,
                    today=self._client_today(),
                    undisclosed_conflicts=b.undisclosed,
                    unanswered_conflicts=b.unanswered,
                    refused_conflicts=b.refused,
                ):
                    messages[v.field] = f"{messages[v.field]} {v.message}" if v.field in messages else v.message
                if Decision(decision).needs_disclosure:
                    messages.update(typed_wrong)
        else:
            self._set_line("#outcome", ANSWER_ALL)
            self.query_one("#decision", DecisionChoice).set_recommended(None)
        self._show_messages({**messages, **self.save_errors})

    def _show_messages(self, messages: dict[str, str]) -> None:
        for q in Question:
            parts = [
                self._worded(name, messages[name]) for name in (q.value, f"{q.value}_evidence") if name in messages
            ]
            self._set_line(f"#error-{q.value}", " ".join(parts))
        for name in RULE_FIELDS:
            self._set_line(f"#error-{name}", self._worded(name, messages[name]) if name in messages else "")
        known = {*RULE_FIELDS, *LABELS}
        self._set_line("#error-form", " ".join(self._worded(k, m) for k, m in messages.items() if k not in known))

    @staticmethod
    def _worded(name: str, message: str) -> str:
        # Validation messages are fragments ("is required"); rule messages are sentences.
        if message[:1].islower():
            return f"{LABELS.get(name, name.replace('_', ' ').capitalize())} {message}"
        return message

    def _set_line(self, selector: str, text: str) -> None:
        # Updating a Static re-lays the screen out: only touch what changed (this runs per keystroke).
        line = self.query_one(selector, Static)
        if getattr(line, "shown_text", None) == text:
            return
        line.shown_text = text
        line.update(text)
        line.set_class(not text, "-empty")

    def _chosen(self, choice: KeyChoice) -> None:
        self._forget_errors((choice.id or "").removeprefix("answer-"))
        self.evaluate()
        if isinstance(choice, (AnswerChoice, MeansChoice)):
            choice.action_next()
        elif choice.value == Decision.accept_with_partner:
            self.query_one("#partner_name", Input).focus()
        elif choice.value == Decision.accept_against_judgement:
            self.query_one("#risk_statement", TextArea).focus()

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
            self.notify("Move to an evidence field first.", severity="warning")
            return
        proposal = self.context.proposals.text(focused.id.removeprefix("evidence-"))
        if not proposal:
            self.notify("Nothing in your records for these technologies.", severity="warning")
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
        self.notify(f"Check recorded: {decision.label.lower()}.")
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
        for q in Question:
            if q.value in self.save_errors:
                self.query_one(f"#answer-{q.value}").focus()
                return
            if f"{q.value}_evidence" in self.save_errors:
                self.query_one(f"#evidence-{q.value}").focus()
                return
        for name in ("decision", "partner_name", "partner_competence", "risk_statement", *DISCLOSURE_FIELDS):
            if name in self.save_errors:
                self.query_one(f"#{name}").focus()
                return
        if "conflicts" in self.save_errors:
            self.query_one("#error-conflicts").scroll_visible()

    def action_cancel(self) -> None:
        if self.initial is None or self.values() == self.initial:
            self.dismiss(None)
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen("Leave without saving this check? What you typed is lost."),
            callback=lambda yes: yes and self.dismiss(None),
        )


def _record(engine: Any, engagement_id: int, values: dict[str, Any], now: Any) -> int:
    from msptui.store.engagements import record_check
    from msptui.store.schemas.engagements import CompetenceCheckInput

    return record_check(engine, engagement_id, CompetenceCheckInput(**values), now)
