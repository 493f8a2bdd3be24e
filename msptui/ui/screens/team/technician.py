"""The technician's short name on this machine: asked once at first start, changed in the settings.

Recorded on everything this machine's msptui records (msptui.store.team), saved in the
settings file (msptui.config.set_technician). The first-start form is pushed only once
the store is open and the board shown (MsptuiApp._maybe_welcome): it never delays the
first frame, and it is prefilled with the login name made valid, so Enter is enough.
"""

from __future__ import annotations

from typing import Any

from msptui.core.i18n import _
from msptui.paths import Paths


def technician_form(paths: Paths, current: str | None, *, first_start: bool = False) -> Any:
    """The form that sets this machine's technician name; dismisses with the name saved, or None."""
    from msptui import config
    from msptui.ui.widgets.form import FieldSpec, FormErrors, FormScreen

    def save(_engine: Any, values: dict[str, Any]) -> str:
        """(Store worker.) Save the name for this machine and act under it from now on."""
        from msptui.store import team

        try:
            name = config.set_technician(paths, str(values.get("name") or ""))
        except config.ConfigError:
            raise  # the settings file cannot be written: said at the top of the form
        except ValueError as exc:
            raise FormErrors({"name": str(exc)}) from None
        team.set_acting(name)
        return name

    if first_start:
        intro = _(
            "Who works on this machine? Your short name is recorded on every action, time entry, "
            "check and note, so that a colleague sharing the database knows who did what. "
            "Enter keeps the name proposed; the settings (F9, then t) change it later."
        )
    else:
        intro = _("Recorded on what you do from now on; what was recorded before keeps its name.")
    return FormScreen(
        _("Technician"),
        [
            FieldSpec(
                "name",
                _("Your short name"),
                value=current or config.proposed_technician(),
                placeholder=_("e.g. sophie or j.martin"),
            )
        ],
        save,
        intro=intro,
    )


def technician_words(name: str | None) -> str:
    """The settings screen's line about this machine's technician."""
    if not name:
        return _("Technician on this machine: not set yet. Press t to set your short name.")
    return _("Technician on this machine: {name}. Press t to change it.").format(name=name)
