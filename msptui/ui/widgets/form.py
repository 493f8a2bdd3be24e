"""A keyboard-first modal form: errors next to each field, nothing half-saved.

A form is a list of `FieldSpec` and a `submit(engine, values)` function that
builds the input model (validation) and calls the store in one transaction.
`submit` runs in a thread; a user error (validation, refusal, busy database)
keeps the form open with what was typed, the message under the field it
concerns, the first field in error focused and scrolled into view with its
message (at 80x24 a long form does not fit). Enter moves to the next field,
and saves from the last one; Ctrl+S saves from anywhere; Escape cancels.

A text field may offer completions from what was typed elsewhere (`suggest`,
a store query run when the form opens); right arrow takes the completion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from msptui.core.i18n import N_, _
from msptui.ui.widgets.footer import KeysFooter
from msptui.ui.workers import StoreCalls

FieldKind = Literal["text", "textarea", "select", "checkbox", "password"]


@dataclass
class FieldSpec:
    name: str
    label: str
    kind: FieldKind = "text"
    value: Any = ""
    choices: list[tuple[str, Any]] = field(default_factory=list)  # (label, value), for select
    placeholder: str = ""
    allow_blank: bool = False  # for select: a "none" choice
    # For text: a store query `fn(engine) -> list[str]` whose answers are offered as completions,
    # the most likely first; `each_item` completes the last item of a comma-separated list.
    suggest: Callable[[Any], list[str]] | None = None
    each_item: bool = False


class FormErrors(ValueError):
    """Several field errors at once, for forms that validate more than one input model."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class CompletionSuggester(Suggester):
    """Completes what is typed from known names, whatever its case and accents
    (`core.rules.skills.complete_last_item`); with `each_item`, only the last item
    of a comma-separated list, what was typed before it kept as it is."""

    def __init__(self, known: list[str], *, each_item: bool = False) -> None:
        # Case-sensitive as Textual sees it: the rule folds case itself and keeps what was typed.
        super().__init__(use_cache=True, case_sensitive=True)
        self.known = known
        self.each_item = each_item

    async def get_suggestion(self, value: str) -> str | None:
        from msptui.core.rules.skills import complete_last_item

        return complete_last_item(value, self.known, ",;" if self.each_item else "")


def bring_into_view(container: Widget, *widgets: Widget) -> None:
    """Scroll `container` so that `widgets` (a field, then its message) are on screen;
    when they do not all fit, the earlier ones in the list win.

    Done after the next refresh: a box just shown or a message just written has no
    place on screen before the layout that follows."""

    def scroll() -> None:
        # Each scroll is the smallest that shows its widget: the last one made wins.
        for widget in reversed(widgets):
            if widget.is_attached and widget.display:
                container.scroll_to_widget(widget, animate=False, immediate=True)

    container.call_after_refresh(scroll)


class FormScreen(StoreCalls, ModalScreen[Any]):
    """Dismisses with whatever `submit` returned, or None when cancelled."""

    # The cursor starts in the first field (not on the scrolling container).
    AUTO_FOCUS = ".field"

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormScreen #form-title { text-style: bold; }
    FormScreen #form-intro { color: $text-muted; padding-bottom: 1; }
    FormScreen #form-error { color: $error; height: auto; }
    FormScreen #form-error.-empty { display: none; }
    FormScreen VerticalScroll { height: auto; max-height: 1fr; }
    FormScreen .row { height: auto; }
    FormScreen .row > Label { width: 24; padding-right: 1; color: $text-muted; }
    FormScreen .row > .field { width: 1fr; }
    /* A compact TextArea has no border: without a background of its own, an empty one is invisible. */
    FormScreen .row > TextArea { height: 4; background: $boost; }
    FormScreen .field-error { color: $error; padding-left: 24; height: auto; }
    FormScreen .field-error.-empty { display: none; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FieldSpec],
        submit: Callable[[Any, dict[str, Any]], Any],
        *,
        intro: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.intro = intro
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, id="form-title", markup=False)
            if self.intro:
                yield Static(self.intro, id="form-intro", markup=False)
            yield Static("", id="form-error", classes="-empty", markup=False)
            with VerticalScroll():
                for spec in self.fields:
                    with Horizontal(classes="row"):
                        yield Label(spec.label, markup=False)
                        yield self._widget(spec)
                    yield Static("", id=f"error-{spec.name}", classes="field-error -empty", markup=False)
        yield KeysFooter()  # the keys in the interface's language, fitted to the width

    def _widget(self, spec: FieldSpec) -> Widget:
        wid = f"field-{spec.name}"
        if spec.kind == "textarea":
            return TextArea(
                _text(spec.value),
                id=wid,
                classes="field",
                compact=True,
                tab_behavior="focus",
                placeholder=spec.placeholder,
            )
        if spec.kind == "select":
            value = spec.value if any(v == spec.value for _l, v in spec.choices) else Select.NULL
            return Select(
                spec.choices,
                value=value,
                allow_blank=spec.allow_blank or value is Select.NULL,
                id=wid,
                classes="field",
                compact=True,
                prompt=spec.placeholder or _("Choose…"),
            )
        if spec.kind == "checkbox":
            return Checkbox("", bool(spec.value), id=wid, classes="field", compact=True)
        return Input(
            _text(spec.value),
            placeholder=spec.placeholder,
            suggester=CompletionSuggester([], each_item=spec.each_item) if spec.suggest else None,
            password=spec.kind == "password",
            id=wid,
            classes="field",
            compact=True,
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        for spec in self.fields:
            if spec.suggest is not None:
                self.call_store(spec.suggest, done=lambda known, name=spec.name: self._known(name, known))

    def _known(self, name: str, known: list[str]) -> None:
        suggester = self.query_one(f"#field-{name}", Input).suggester
        if isinstance(suggester, CompletionSuggester):
            suggester.known = known
            if suggester.cache is not None:
                suggester.cache.clear()

    # --- values ---------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Select):
                out[spec.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                out[spec.name] = widget.value
            else:
                out[spec.name] = widget.value
        return out

    # --- messages follow the state ----------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _clear_own_message(self, event) -> None:  # noqa: ANN001
        """A message under a field speaks of what was typed when saving: once the
        field changes, it no longer says the truth, so it goes."""
        widget = getattr(event, "input", None) or getattr(event, "text_area", None) or getattr(event, "control", None)
        wid = getattr(widget, "id", None) or ""
        if not wid.startswith("field-"):
            return
        try:
            label = self.query_one(f"#error-{wid.removeprefix('field-')}", Static)
        except Exception:  # noqa: BLE001 - a field without a message row
            return
        if not label.has_class("-empty"):
            label.update("")
            label.add_class("-empty")

    # --- saving -----------------------------------------------------------------------

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [w for w in self.query(".field") if w.focusable]
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.show_errors({}, "")
        self.call_store(self.submit, self.values(), done=self._saved, failed=self._failed, group="form")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _saved(self, result: Any) -> None:
        self.saving = False
        self.dismiss(result)

    def _failed(self, exc: Exception) -> None:
        from pydantic import ValidationError

        from msptui.store.schemas import FieldError, field_errors

        self.saving = False
        if isinstance(exc, ValidationError):
            self.show_errors(field_errors(exc))
        elif isinstance(exc, FieldError):
            self.show_errors({exc.field: exc.message})
        elif isinstance(exc, FormErrors):
            self.show_errors(exc.errors)
        else:
            self.show_errors({}, str(exc))

    def show_errors(self, errors: dict[str, str], general: str | None = None) -> None:
        """Put each message under its field; messages for unknown fields go to the top."""
        known = {spec.name: spec for spec in self.fields}
        leftovers = []
        for spec in self.fields:
            label = self.query_one(f"#error-{spec.name}", Static)
            message = errors.get(spec.name, "")
            # Validation fragments ("is required") read after the label; rule sentences stand alone.
            label.update(f"{spec.label} {message}" if message[:1].islower() else message)
            label.set_class(not message, "-empty")
        for name, message in errors.items():
            if name not in known:
                leftovers.append(f"{name.replace('_', ' ').capitalize()} {message}")
        if general:
            leftovers.insert(0, general)
        banner = self.query_one("#form-error", Static)
        banner.update("\n".join(leftovers))
        banner.set_class(not leftovers, "-empty")
        first = next((spec.name for spec in self.fields if spec.name in errors), None)
        if first:
            field_widget = self.query_one(f"#field-{first}")
            field_widget.focus(scroll_visible=False)
            row = field_widget.parent if isinstance(field_widget.parent, Widget) else field_widget
            bring_into_view(self.query_one(VerticalScroll), row, self.query_one(f"#error-{first}"))
