"""The `?` screen: every key of the screen beneath, grouped, with what it does.

The footer keeps only what fits (see `msptui.ui.widgets.footer`); this screen
and the command palette are where every other key is found. It lists the keys
the code declares, not only those active now: a key that does not apply at
this moment (to this ticket, in this state) is listed dimmed, "not now".
Descriptions and tooltips are translated here, as the footer does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from msptui.core.i18n import N_, _
from msptui.ui.widgets.footer import KeysFooter, said

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen


@dataclass
class KeyRow:
    keys: str  # as the footer shows them: "N / ^n"
    description: str
    detail: str = ""  # the binding's tooltip, when it says more
    available: bool = True  # False: the key does nothing here at this moment


@dataclass
class KeySection:
    title: str
    rows: list[KeyRow] = field(default_factory=list)


# Textual's own widgets' keys (moving in a table, editing a field) in a few words:
# listing each of their twenty bindings would bury the screen's own. The keys are
# named as Textual names them everywhere else (footer, palette): not translated.
MOVING = [
    KeyRow("tab / shift+tab", N_("Next / previous field or list")),  # i18n: not shown (the key names)
    KeyRow("↑ ↓ pgup pgdn", N_("Move in a list, scroll a page")),  # i18n: not shown (the key names)
    KeyRow("home / end", N_("First / last line of a list")),  # i18n: not shown (the key names)
]
NOT_NOW = N_(" · not now")


def key_sections(screen: Screen[Any], title: str) -> list[KeySection]:
    """Every key of `screen` (called `title`): its own, those of msptui's widgets on it,
    then the app's. Read at the moment of the call: which keys apply depends on the
    selected row, and which widget has the focus."""
    app = screen.app
    sections = [KeySection(title, _rows(screen, screen))]
    focused = {type(node) for node in screen.focused.ancestors_with_self} if screen.focused else set()
    seen: set[type] = set()
    for node in screen.walk_children():
        if type(node) in seen or not _ours(type(node)):
            continue
        seen.add(type(node))
        rows = _rows(screen, node)
        if rows:
            name = said(node.BINDING_GROUP_TITLE) or words(type(node).__name__)
            if type(node) not in focused:
                name = _("{keys} (when it has the focus)").format(keys=name)
            sections.append(KeySection(name, rows))
    everywhere = _rows(screen, app)
    palette = next((b for _k, b in app._bindings if b.action == "command_palette"), None)
    if palette is not None:
        everywhere.append(KeyRow(app.get_key_display(palette), _("Command palette: every action by name")))
    sections.append(KeySection(_("Everywhere"), everywhere))
    moving = [KeyRow(row.keys, _(row.description)) for row in MOVING]
    sections.append(KeySection(_("Moving around"), moving))
    return [section for section in sections if section.rows]


def words(class_name: str) -> str:
    """BoardScreen -> "Board"; EngagementDetailScreen -> "Engagement detail"."""
    parts = re.findall(r"[A-Z][a-z0-9]*", class_name.removesuffix("Screen")) or [class_name]
    return " ".join([parts[0], *(w.lower() for w in parts[1:])])


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("msptui.")


def _declared(cls: type) -> set[tuple[str, str]]:
    """(key, action) of the bindings msptui's own classes declare, not Textual's."""
    declared: set[tuple[str, str]] = set()
    for base in cls.__mro__:
        if _ours(base):
            for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
                declared.add((binding.key, binding.action))
    return declared


def _rows(screen: Screen[Any], node: DOMNode) -> list[KeyRow]:
    app = screen.app
    declared = _declared(type(node))
    keymap = app._keymap
    per_action: dict[str, tuple[Binding, list[str]]] = {}
    for key, binding in node._bindings:
        if (key, binding.action) not in declared or binding.system:
            continue
        if binding.id and binding.id in keymap:  # remapped by the user: show the keys in force
            shown = [app.get_key_display(Binding(k, binding.action)) for k in keymap[binding.id].split(",")]
        else:
            shown = [app.get_key_display(binding)]
        _first, keys = per_action.setdefault(binding.action, (binding, []))
        keys.extend(k for k in shown if k not in keys)
    rows = []
    for action, (binding, keys) in per_action.items():
        state = app._check_action_state(action, node)  # None: shown dimmed, False: hidden
        description = said(binding.description) or said(binding.tooltip) or action
        detail = said(binding.tooltip) if binding.tooltip and said(binding.tooltip) != description else ""
        rows.append(KeyRow(" / ".join(keys), description, detail, available=bool(state)))
    return rows


def _table(sections: list[KeySection]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", max_width=16)
    table.add_column()
    for index, section in enumerate(sections):
        if index:
            table.add_row("", "")
        table.add_row("", Text(section.title, style="bold underline"))
        for row in section.rows:
            text = Text(row.description, style="" if row.available else "dim")
            if row.detail:
                text.append(f" — {row.detail}", style="dim")
            if not row.available:
                text.append(_(NOT_NOW), style="dim italic")
            table.add_row(Text(row.keys, style="bold" if row.available else "bold dim"), text)
    return table


class KeysScreen(ModalScreen[None]):
    """The keys of the screen beneath; Esc, `?` or q closes."""

    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > #keys-box {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    KeysScreen #keys-list { height: auto; max-height: 1fr; }
    KeysScreen #keys-table { width: 100%; height: auto; }
    """
    BINDINGS = [
        Binding("escape,question_mark,q", "close", N_("Close"), id="keys.close"),
    ]

    def __init__(self, title: str, sections: list[KeySection]) -> None:
        super().__init__()
        self.keys_title = title
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="keys-box") as box:
            box.border_title = _("Keys — {screen}").format(screen=self.keys_title)
            box.border_subtitle = _("↑ ↓ to scroll · esc to close")
            with VerticalScroll(id="keys-list"):
                yield Static(_table(self.sections), id="keys-table")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#keys-list").focus()  # so that the arrows scroll at once

    def action_close(self) -> None:
        self.dismiss(None)

    def plain_text(self) -> str:
        """The list as plain text, one key per line (tests and screen readers read it)."""
        lines = []
        for section in self.sections:
            lines.append(section.title)
            for row in section.rows:
                lines.append(f"  {row.keys}  {row.description}{'' if row.available else _(NOT_NOW)}")
        return "\n".join(lines)
