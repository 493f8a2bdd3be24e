"""The client's score, asked at a ticket's close and at a delivery.

A small form: 1 to 5 picks the score (the client's words as said can follow in
the comment), Enter saves from any field, `n` records "not asked", Escape is
"later": nothing is recorded and nothing asks again. The comment is checked
by the schema (`store.schemas.satisfaction`); a wrong one keeps the form open
with its message under the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.binding import Binding
from textual.widgets import Input, Select

from msptui.core.i18n import N_, _
from msptui.ui.widgets.form import FieldSpec, FormErrors, FormScreen

__all__ = ["Recorded", "SatisfactionForm", "satisfaction_form"]

NOT_ASKED = "n"  # i18n: not shown (the select's value)
_CHOOSE = N_("Press 1 to 5 for the client's score, or n if you did not ask.")


def _score_choices() -> list[tuple[str, str]]:
    from msptui.core.rules.satisfaction import SCORE_WORDS, SCORES

    return [(f"{n} — {_(SCORE_WORDS[n])}", str(n)) for n in reversed(SCORES)] + [(_("not asked"), NOT_ASKED)]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the form saved: the answer's id and its score (None: not asked)."""

    answer_id: int
    score: int | None

    @property
    def words(self) -> str:
        from msptui.core.rules.satisfaction import SCORE_WORDS

        if self.score is None:
            return _("not asked")
        return _("{score}/5 ({words})").format(score=self.score, words=_(SCORE_WORDS[self.score]))


class SatisfactionForm(FormScreen):
    """Dismisses with `Recorded`, or None (Escape: later)."""

    BINDINGS = [
        Binding("1", "score(1)", N_("Score"), key_display="1-5", id="satisfaction.score"),
        Binding("2", "score(2)", N_("Score 2"), show=False),
        Binding("3", "score(3)", N_("Score 3"), show=False),
        Binding("4", "score(4)", N_("Score 4"), show=False),
        Binding("5", "score(5)", N_("Score 5"), show=False),
        Binding("n", "not_asked", N_("Not asked"), id="satisfaction.not_asked"),
        Binding("escape", "cancel", N_("Later"), id="satisfaction.later"),
    ]

    def action_score(self, score: int) -> None:
        """Pick the score; the cursor goes to the comment (Enter there saves)."""
        self.query_one("#field-score", Select).value = str(score)
        self.query_one("#field-comment", Input).focus()

    def action_not_asked(self) -> None:
        self.query_one("#field-score", Select).value = NOT_ASKED
        self.action_save()

    @on(Input.Submitted)
    def _enter_saves(self, event: Input.Submitted) -> None:
        """Enter saves from any field (the form's usual Enter moves to the next one): a score
        with no comment is two keys, 4 then Enter."""
        event.stop()
        event.prevent_default()
        self.action_save()


def satisfaction_form(occasion: Any, clock: Any) -> SatisfactionForm:
    """The form for one `store.satisfaction.Occasion`."""
    contacts = list(occasion.contacts)

    def submit(engine: Any, values: dict[str, Any]) -> Recorded:
        from msptui.store.satisfaction import SatisfactionCreate, record_satisfaction

        if values["score"] is None:
            raise FormErrors({"score": _(_CHOOSE)})
        data = SatisfactionCreate(
            ticket_id=occasion.ticket_id,
            delivery_id=occasion.delivery_id,
            score=values["score"],
            comment=values["comment"],
            given_by=values["given_by"],
        )
        return Recorded(record_satisfaction(engine, data, clock.now()), data.score)

    fields = [
        FieldSpec("score", _("Score"), "select", None, _score_choices(), placeholder=_("press 1 to 5")),
        FieldSpec("comment", _("Comment"), placeholder=_("as the client said it (may stay empty)")),
        FieldSpec(
            "given_by",
            _("Given by"),
            placeholder=_("who answered (may stay empty)"),
            suggest=lambda _engine: contacts,
        ),
    ]
    ask = _("Ask: from 1 (very dissatisfied) to 5 (very satisfied)? n: not asked · Esc: later (nothing recorded)")
    intro = f"{occasion.label} — {occasion.client_name}\n{ask}"
    return SatisfactionForm(_("Client satisfaction"), fields, submit, intro=intro)
