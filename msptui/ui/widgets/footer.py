"""A Footer that never runs past the terminal's right edge.

Textual's Footer lays every shown key on one scrollable line: at 80 columns
the board's keys ran past the edge, so the last ones (Bell, Quit, F1, F2) were
simply lost, and the compact footer's `margin-right: 1` on every key also
applied to the command palette key docked at the right, leaving one column
through which the hidden keys showed (`palette^`, `palettet`).

This footer shows, within the width it has: the keys that open help and quit
(always), the screen's essential keys (`essential_keys` on the screen), then
the other keys in the order the screen declares them, as long as they fit.
Every key, shown or not, stays in the `?` help screen and the command palette.

Descriptions and tooltips are written in English in the bindings (marked `N_()`)
and translated here, when drawn; the widths are those of the translated words.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from msptui.core.i18n import N_, key_words

# Kept whatever the width: how to find everything else, and how to leave.
ALWAYS_SHOWN = frozenset({"show_keys", "quit", "app.show_keys", "app.quit"})
# Textual's own palette key (App.__init__), for the catalogue.
TEXTUAL_PALETTE_WORDS = (N_("palette"), N_("Open the command palette"))


def said(words: str | None) -> str:
    """A binding's description or tooltip in the interface's language ("" for none)."""
    return key_words(words) if words else ""


@dataclass
class _Unit:
    """What the footer draws as one piece: one key, or a group of keys under one label."""

    entries: list[tuple[Binding, bool, str]]  # (first binding of an action, enabled, tooltip), one per action
    group: Binding.Group | None
    width: int
    node: object  # the screen, the app, or the focused widget whose keys these are

    @property
    def ids(self) -> set[str]:
        return {binding.id for binding, _e, _t in self.entries if binding.id}

    @property
    def actions(self) -> set[str]:
        return {binding.action for binding, _e, _t in self.entries}


class KeysFooter(Footer):
    """Textual's Footer, trimmed to its width (see the module docstring)."""

    DEFAULT_CSS = """
    KeysFooter.-compact FooterKey.-command-palette { margin-right: 0; }
    """

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True, **kwargs: object) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette, **kwargs)  # type: ignore[arg-type]
        self._fitted_width = 0
        self._drawn: tuple[object, ...] | None = None  # what the keys on screen show (see recompose)
        self.hidden_actions: set[str] = set()
        """Actions left out for lack of room at the last layout (tests read it)."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        width = self.size.width or self.screen.size.width or self.app.size.width
        self._fitted_width = width
        drawn, self.hidden_actions = self._plan(active, width)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        self._drawn = _signature(drawn, palette, self.compact)
        for unit in drawn:
            yield from self._draw(unit)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            if palette is not None:
                _node, binding, enabled, _tooltip = palette
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    said(binding.description),
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=said(binding.tooltip or binding.description),
                )

    async def recompose(self) -> None:
        """Mount the keys again only when what they show changes.

        Textual's Footer recomposes on every bindings update: a cursor move, a
        focus change, a store answer. Mounting and styling some twenty keys each
        time was a measurable part of the board's start (13 rebuilds before the
        client list was usable, issue 15); most of them drew the same keys.
        """
        if self._bindings_ready and self.is_attached and self._drawn is not None:
            active = self.screen.active_bindings
            width = self.size.width or self.screen.size.width or self.app.size.width
            drawn, hidden = self._plan(active, width)
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if width == self._fitted_width and _signature(drawn, palette, self.compact) == self._drawn:
                self.hidden_actions = hidden  # the same keys drawn; what is left out may differ
                return
        await super().recompose()

    def _plan(self, active: dict, width: int) -> tuple[list[_Unit], set[str]]:  # type: ignore[type-arg]
        """The units to draw, in order, and the actions left out for lack of room."""
        units = self._units(active)
        essential = getattr(self.screen, "essential_keys", ())
        # Compact keys count a right margin each: the last one may lie under the palette's border.
        room = width - self._palette_width(active) + (1 if self.compact else 0)
        kept = _fit(_blocks(units, self.screen, self.app), room, essential)
        hidden = {a for u in units if id(u) not in kept for a in u.actions}
        # Help and quit last, always in the same place, just left of the palette key.
        last = sorted((u for u in units if u.actions & ALWAYS_SHOWN), key=lambda u: "quit" in u.actions)
        drawn = [u for u in [*(u for u in units if not u.actions & ALWAYS_SHOWN), *last] if id(u) in kept]
        return drawn, hidden

    def _on_resize(self, event: Resize) -> None:
        # The keys that fit depend on the width: lay them out again when it changes.
        if self._bindings_ready and event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)

    def _units(self, active: dict) -> list[_Unit]:  # type: ignore[type-arg]
        """The footer's pieces, in the order Textual's Footer draws them."""
        per_action: dict[str, tuple[Binding, bool, str]] = {}
        nodes: dict[str, object] = {}
        for node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in per_action:
                per_action[binding.action] = (binding, enabled, tooltip)
                nodes[binding.action] = node
        units: list[_Unit] = []
        for group, entries_iter in groupby(per_action.values(), lambda entry: entry[0].group):
            entries = list(entries_iter)
            node = nodes[entries[0][0].action]
            if group is not None and len(entries) > 1:
                keys = sum(cell_len(self.app.get_key_display(b)) for b, _e, _t in entries)
                width = keys + len(entries) + 1 + cell_len(said(group.description)) + 1
                units.append(_Unit(entries, group, width, node))
            else:
                units.extend(
                    _Unit([entry], None, self._key_width(entry[0]), nodes[entry[0].action]) for entry in entries
                )
        return units

    def _key_width(self, binding: Binding) -> int:
        key = cell_len(self.app.get_key_display(binding))
        description = cell_len(said(binding.description))
        if self.compact:  # "k Desc" and a margin of one
            return key + (1 + description if description else 0) + 1
        return key + 2 + (description + 1 if description else 0)  # " k Desc "

    def _palette_width(self, active: dict) -> int:  # type: ignore[type-arg]
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return 0
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is None:
            return 0
        # The left border, the key, a space, the description, and a right padding unless compact.
        key = cell_len(self.app.get_key_display(palette.binding))
        return 1 + key + 1 + cell_len(said(palette.binding.description)) + (0 if self.compact else 1)

    def _draw(self, unit: _Unit) -> Iterator[FooterKey | KeyGroup | FooterLabel]:
        if unit.group is not None:
            with KeyGroup(classes="-compact" if unit.group.compact else ""):
                for binding, enabled, tooltip in unit.entries:
                    yield FooterKey(
                        binding.key,
                        self.app.get_key_display(binding),
                        "",
                        binding.action,
                        disabled=not enabled,
                        tooltip=said(tooltip or binding.description),
                        classes="-grouped",
                    ).data_bind(compact=Footer.compact)
            yield FooterLabel(said(unit.group.description))
            return
        binding, enabled, tooltip = unit.entries[0]
        yield FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            said(binding.description),
            binding.action,
            disabled=not enabled,
            tooltip=said(tooltip),
        ).data_bind(compact=Footer.compact)


def _blocks(units: list[_Unit], screen: object, app: object) -> list[list[_Unit]]:
    """Units that are shown together or not at all: the keys of one focused widget
    (the competence check's y/p/n: "Yes" and "Partly" without "No" would mislead);
    the screen's and the app's keys each stand alone."""
    blocks: list[list[_Unit]] = []
    for node, same_node in groupby(units, lambda unit: unit.node):
        if node is screen or node is app:
            blocks.extend([unit] for unit in same_node)
        else:
            blocks.append(list(same_node))
    return blocks


def _fit(blocks: list[list[_Unit]], room: int, essential: Sequence[str]) -> set[int]:
    """The units (by id()) that fit in `room` columns: help and quit, the essential
    keys in the order of `essential`, then the others in their order, stopping at the
    first that does not fit (a predictable prefix, not whichever small key squeezes in)."""
    kept: set[int] = set()

    def take(block: list[_Unit]) -> bool:
        nonlocal room
        width = sum(unit.width for unit in block)
        if width > room:
            return False
        room -= width
        kept.update(id(unit) for unit in block)
        return True

    def rank(block: list[_Unit]) -> int:
        ids = set().union(*(unit.ids for unit in block))
        return min((essential.index(i) for i in ids if i in essential), default=len(essential))

    always = [b for b in blocks if any(unit.actions & ALWAYS_SHOWN for unit in b)]
    wanted = sorted((b for b in blocks if b not in always and rank(b) < len(essential)), key=rank)
    others = [b for b in blocks if b not in always and b not in wanted]
    for block in always + wanted:
        take(block)
    for block in others:
        if not take(block):
            break
    return kept


def _signature(drawn: list[_Unit], palette: object, compact: bool) -> tuple[object, ...]:
    """What the drawn keys show: equal signatures draw the same footer."""
    keys = tuple(
        (
            said(unit.group.description) if unit.group else None,
            binding.key,
            said(binding.description),
            binding.action,
            enabled,
            tip,
        )
        for unit in drawn
        for binding, enabled, tip in unit.entries
    )
    shown_palette = None if palette is None else (palette.binding.key, palette.enabled)  # type: ignore[attr-defined]
    return (compact, keys, shown_palette)
