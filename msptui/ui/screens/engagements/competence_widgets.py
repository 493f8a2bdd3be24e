"""The keyboard widgets of the competence check form: one value out of a few, chosen with a single key."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import TextArea

from msptui.core.i18n import N_, _
from msptui.core.rules import Answer, Decision, DisclosureMeans


class KeyChoice(Widget, can_focus=True):
    """One value out of a few, chosen with a single key; the choice moves focus on."""

    DEFAULT_CSS = """
    KeyChoice { height: 1; width: 1fr; }
    KeyChoice:focus { background: $boost; text-style: bold; }
    """
    OPTIONS: ClassVar[list[tuple[str, str, str]]] = []  # (key, value, label marked with N_)

    value: reactive[str | None] = reactive(None)

    def __init__(
        self,
        on_change: Callable[[KeyChoice], None] | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id, classes=classes)
        # Called at once, not through a message: the next key must find focus already moved.
        self.on_change = on_change
        self.recommended: frozenset[str] | None = None  # None: no advice yet

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, (key, value, marked) in enumerate(self.OPTIONS):
            label = self.label_of(value, marked)
            if n:
                text.append(" ")
            advised = self.recommended is None or value in self.recommended
            if value == self.value:
                text.append(f" {key} {label} ", style="reverse bold")
            else:
                text.append(f" {key}", style="bold" if advised else "dim")
                text.append(f" {label} ", style="" if advised else "dim")
        return text

    def label_of(self, value: str, label: str) -> str:
        """What the technician reads for `value`, in the interface's language at drawing time."""
        return _(label)

    def watch_value(self) -> None:
        self.refresh()

    def set_recommended(self, values: frozenset[str] | None) -> None:
        if values != self.recommended:
            self.recommended = values
            self.refresh()

    def action_choose(self, value: str) -> None:
        self.value = value
        if self.on_change is not None:
            self.on_change(self)

    def action_cycle(self, step: int) -> None:
        values = [v for _k, v, _l in self.OPTIONS]
        index = values.index(self.value) if self.value in values else -1
        self.action_choose(values[(index + step) % len(values)])

    def action_next(self) -> None:
        self.screen.focus_next()


# Shared by every KeyChoice: arrows move between the values, Enter moves on.
NAVIGATION = [
    Binding("right", "cycle(1)", N_("Next choice"), show=False),
    Binding("left", "cycle(-1)", N_("Previous choice"), show=False),
    Binding("enter", "next", N_("Next field"), show=False),
]


class AnswerChoice(KeyChoice):
    OPTIONS = [
        ("y", Answer.yes.value, N_("Yes")),
        ("p", Answer.partly.value, N_("Partly")),
        ("n", Answer.no.value, N_("No")),
    ]
    BINDINGS = [
        Binding("y", "choose('yes')", N_("Yes"), id="check.yes"),
        Binding("p", "choose('partly')", N_("Partly"), id="check.partly"),
        Binding("n", "choose('no')", N_("No"), id="check.no"),
        *NAVIGATION,
    ]


class DecisionChoice(KeyChoice):
    OPTIONS = [
        ("a", Decision.accept.value, N_("Accept")),
        ("w", Decision.accept_with_partner.value, N_("With partner")),
        ("j", Decision.accept_against_judgement.value, N_("Client's request")),
        ("d", Decision.decline.value, N_("Decline")),
    ]
    BINDINGS = [
        Binding("a", "choose('accept')", N_("Accept"), id="check.accept"),
        Binding("w", "choose('accept_with_partner')", N_("With partner"), id="check.with_partner"),
        Binding("j", "choose('accept_against_judgement')", N_("Client's request"), id="check.against_judgement"),
        Binding("d", "choose('decline')", N_("Decline"), id="check.decline"),
        *NAVIGATION,
    ]


class MeansChoice(KeyChoice):
    # The rules' own words for each means, read when drawn (never at import: the language may change).
    OPTIONS = [(k, m.value, m.value) for k, m in zip("epml", DisclosureMeans)]
    BINDINGS = [
        Binding("e", "choose('email')", N_("E-mail"), id="check.by_email"),
        Binding("p", "choose('phone')", N_("Phone"), id="check.by_phone"),
        Binding("m", "choose('meeting')", N_("Meeting"), id="check.by_meeting"),
        Binding("l", "choose('letter')", N_("Letter"), id="check.by_letter"),
        *NAVIGATION,
    ]

    def label_of(self, value: str, label: str) -> str:
        return DisclosureMeans(value).label


class EvidenceArea(TextArea):
    """Evidence text that wraps; Enter moves on (evidence rarely needs a line break)."""

    BINDINGS = [Binding("enter", "next", N_("Next question"), id="check.next", priority=True)]

    def action_next(self) -> None:
        self.screen.focus_next()
