"""The interface's language, chosen in the settings: follow the system, English or Français.

Saved in the settings file (`msptui.config.set_language`) and read once, at start
(`msptui.cli.choose_language`: --lang, then this setting, then the system's locale).
A change therefore takes effect at the next start, and the confirmation says so:
switching the words of screens already drawn would leave half of them in each language.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Select

from msptui.core.i18n import LANGUAGE_NAMES, _
from msptui.ui.workers import StoreCalls

SYSTEM = "system"  # i18n: not shown (the choice's value for "follow the system")


def language_choices() -> list[tuple[str, str]]:
    """(label, value) for the Select: follow the system, then each language by its own name."""
    return [(_("follow the system"), SYSTEM), *((name, code) for code, name in LANGUAGE_NAMES.items())]


def saved_sentence(choice: str, system: str) -> str:
    """The confirmation, in the interface's current language: what was saved, and from when."""
    if choice == SYSTEM:
        return _(
            "Language saved: follow the system ({language} on this machine). "
            "It takes effect the next time you start msptui."
        ).format(language=LANGUAGE_NAMES.get(system, system))
    return _("Language saved: {language}. It takes effect the next time you start msptui.").format(
        language=LANGUAGE_NAMES.get(choice, choice)
    )


class LanguageChoice(StoreCalls, Horizontal):
    """ "Language: [follow the system]": saved as soon as it is changed."""

    DEFAULT_CSS = """
    LanguageChoice { height: auto; padding: 1 2 0 2; }
    LanguageChoice > Label { padding-right: 1; }
    LanguageChoice > Select { width: 24; }
    LanguageChoice > #language-when { padding-left: 2; color: $text-muted; }
    """

    def __init__(self, chosen: str | None, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.saved = chosen or SYSTEM

    def compose(self) -> ComposeResult:
        yield Label(_("Language:"))
        yield Select(language_choices(), value=self.saved, allow_blank=False, compact=True, id="language")
        yield Label(_("takes effect at the next start"), id="language-when")

    def open(self) -> None:
        select = self.query_one("#language", Select)
        select.focus()
        select.action_show_overlay()

    @on(Select.Changed, "#language")
    def _chosen(self, event: Select.Changed) -> None:
        choice = str(event.value)
        if event.value is Select.NULL or choice == self.saved:
            return
        from msptui import config

        paths = self.app.paths  # type: ignore[attr-defined]  # the MsptuiApp's folders
        value = None if choice == SYSTEM else choice
        self.run_in_thread(
            partial(config.set_language, paths, value),
            done=lambda _r: self._saved(choice),
            failed=self._not_saved,
            group="language",
        )

    def _saved(self, choice: str) -> None:
        from msptui.core.i18n import system_language

        self.saved = choice
        self.app.notify(saved_sentence(choice, system_language()), title=_("Language"), timeout=10)

    def _not_saved(self, exc: Exception) -> None:
        # The settings file could not be written (its message says which and why): show what is in force.
        self.app.notify(str(exc), title=_("Language not saved"), severity="error", timeout=10)
        self.query_one("#language", Select).value = self.saved


def chosen_language(paths: Any) -> str | None:
    """The language chosen in the settings, or None (follow the system, or an unreadable file)."""
    from msptui import config

    try:
        return config.language(paths)
    except config.ConfigError:
        return None  # the file's damage is reported where the file matters (at start, the keyring)
