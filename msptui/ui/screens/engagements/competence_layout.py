"""How the competence check form is laid out: its widgets, in reading order, and their styles.

One scrolling column (at 80x24 the decision and what it asks for sit below the
questions); each field is followed by the line where the rules speak about it.
The refusal of a decision (`#error-decision`, `#error-conflicts`, `#error-form`)
sits right under the decision keys, where the technician is looking when
pressing one or saving.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from msptui.core.i18n import N_, _
from msptui.core.rules import Question
from msptui.ui.screens.engagements.competence_widgets import (
    AnswerChoice,
    DecisionChoice,
    EvidenceArea,
    KeyChoice,
    MeansChoice,
)

# Shown translated: `_(ANSWER_ALL)`.
ANSWER_ALL = N_("Answer the three questions: y yes, p partly, n no.")

CSS = """
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
CompetenceCheckScreen #partner-box, CompetenceCheckScreen #risk-box { height: auto; }
CompetenceCheckScreen #disclosure-box { height: auto; }
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


def _message(name: str) -> Static:
    # Where the rules speak about one field; empty (and hidden) until they have something to say.
    return Static("", id=f"error-{name}", classes="message -empty", markup=False)


def _line(label: str, field: Input | TextArea | KeyChoice, row_id: str | None = None) -> Horizontal:
    return Horizontal(Label(label), field, classes="row", id=row_id)


def compose_body(chosen: Callable[[KeyChoice], None]) -> ComposeResult:
    """The form, title to last message; `chosen` is called as soon as a key choice changes."""
    with VerticalScroll(id="check-body"):
        yield Static(_("Opening the engagement…"), id="check-title", markup=False)
        yield Static("", id="check-facts", markup=False)
        yield Static("", id="check-warning", markup=False)
        for q in Question:
            yield Static(f"{q.numeral}. {q.prompt}", classes="question", markup=False)
            yield _line(_("Answer"), AnswerChoice(chosen, id=f"answer-{q.value}", classes="field"), f"row-{q.value}")
            evidence = EvidenceArea(
                id=f"evidence-{q.value}",
                classes="field",
                compact=True,
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=_("What shows it: a project, a certification, training…"),
            )
            yield _line(_("Evidence"), evidence)
            yield Static("", id=f"hint-{q.value}", classes="hint -empty", markup=False)
            yield _message(q.value)
        yield Static(_(ANSWER_ALL), id="outcome", markup=False)
        yield _line(_("Decision"), DecisionChoice(chosen, id="decision", classes="field"), "decision-row")
        yield _message("decision")
        yield _message("conflicts")
        yield _message("form")  # a refusal the form has no field for: also where the keys are
        with Vertical(id="partner-box"):
            partner = Input(
                placeholder=_("Company bringing the missing competence"),
                id="partner_name",
                classes="field",
                compact=True,
            )
            yield _line(_("Partner"), partner)
            yield _message("partner_name")
            competence = Input(
                placeholder=_("What the partner brings that you lack"),
                id="partner_competence",
                classes="field",
                compact=True,
            )
            yield _line(_("Competence"), competence)
            yield _message("partner_competence")
        with Vertical(id="risk-box"):
            risks = TextArea(
                id="risk_statement",
                classes="field",
                compact=True,
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=_("What could go wrong, for the client and for the project, and what you do about it"),
            )
            yield _line(_("Risk statement"), risks)
            yield _message("risk_statement")
        with Vertical(id="disclosure-box"):
            yield Static("", id="disclosure-title", markup=False)
            yield _line(
                _("To whom"),
                Input(placeholder=_("Person at the client"), id="disclosed_to", classes="field", compact=True),
            )
            yield _message("disclosed_to")
            yield _line(_("On"), Input(placeholder=_("YYYY-MM-DD"), id="disclosed_on", classes="field", compact=True))
            yield _message("disclosed_on")
            yield _line(_("How"), MeansChoice(chosen, id="disclosed_how", classes="field"))
            yield _message("disclosed_how")
