"""The command palette's entries.

- `system_commands`: the sections ("Go to …"), every key of the screen that applies
  now, the `?` help, then Textual's own entries (Theme, Quit, Screenshot…), each in
  the interface's language (binding descriptions are marked `N_()` and translated here).
- `SecretsCommands`: "Copy password for <client> — <label>", one per secret. Only
  labels are loaded (from the database, in a thread, when the palette opens); a value
  is read from the keyring only when its entry is chosen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider

from msptui.core.i18n import N_, _, key_words

if TYPE_CHECKING:
    from textual.screen import Screen

    from msptui.ui.app import MsptuiApp

# Textual's own entries (App.get_system_commands), marked for the catalogue.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def system_commands(app: MsptuiApp, screen: Screen[Any], textual: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """The palette's entries on `screen`; `textual` is what Textual's App would list."""
    from msptui.ui.app import SECTIONS

    for title, help_text, _path in SECTIONS:
        go = _("Go to {section}").format(section=_section_words(title))
        yield SystemCommand(go, _(help_text), partial(app.action_section, title))
    # Every key of the screen that applies now is also a palette entry, shown in the
    # footer or not (at 80 columns the footer keeps only the essential ones).
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or binding.action in seen or binding.system or not binding.description:
            continue
        if active.node is app or not type(active.node).__module__.startswith("msptui."):
            continue  # the app's keys have their own entries; Textual's widgets' are moves
        seen.add(binding.action)
        key = binding.key_display or app.get_key_display(binding)
        yield SystemCommand(
            key_words(binding.description),
            _(binding.tooltip) if binding.tooltip else _("Key: {key}").format(key=key),
            partial(active.node.run_action, binding.action),
        )
    yield SystemCommand(
        _("Keys"), _("Every key of this screen, grouped, with what it does (key: ?)"), app.action_show_keys
    )
    for command in textual:
        if command.title != "Keys":  # Textual's side panel: replaced by the entry above
            yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)


def _section_words(title: str) -> str:
    """A section's name inside "Go to …": lower case in English ("Go to clients and
    contracts"); a translated name keeps its capitals (acronyms, "SLA")."""
    shown = _(title)
    return title.lower() if shown == title else shown


def _load_hits(engine: Any) -> list[Any]:
    from msptui.store.secrets import list_all_secrets

    return list_all_secrets(engine)


def _copy(app: Any, secret_id: int, label: str, client_name: str) -> None:
    from msptui.ui.screens.secrets.panel import copy_secret

    copy_secret(app, secret_id, label, client_name)


class SecretsCommands(Provider):
    async def startup(self) -> None:
        self.secrets: list[Any] = []
        store = getattr(self.app, "store", None)
        if store is not None:
            self.secrets = await asyncio.to_thread(_load_hits, store.engine)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for secret in self.secrets:
            text = _("Copy password for {client} — {label}").format(client=secret.client_name, label=secret.label)
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(_copy, self.app, secret.id, secret.label, secret.client_name),
                    text=text,
                    help=_("Reads the value from the keyring and puts it on the clipboard"),
                )
