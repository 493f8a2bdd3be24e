"""Settings: the provider's identity, printed on every document a client receives, the
interface's language (`settings.language`) and this machine's technician (`settings.technician`).

The screen shows the identity as it is printed (delivery notes, handover
packs, client letters) and e edits it in a form. `provider_form` is the same
form, offered by the delivery checklist when a note is issued before the
identity is set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.settings.language import LanguageChoice, chosen_language
from msptui.ui.screens.team.technician import technician_form, technician_words

NOT_SET = N_(
    "The provider's identity is not set yet. Press e to set it: trade name, address, company number "
    "(SIRET), VAT number and contact are printed on every delivery note and handover pack."
)


def provider_form(current: Any, *, intro: str = "") -> Any:
    """The form that sets the provider's identity; dismisses with the identity saved, or None."""
    from msptui.store.provider import set_provider_identity
    from msptui.store.schemas.provider import ProviderIdentityInput
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def value(name: str) -> str:
        return getattr(current, name) if current is not None else ""

    fields = [
        FieldSpec(
            "trade_name", _("Trade name"), value=value("trade_name"), placeholder=_("the name clients know you by")
        ),
        FieldSpec("address", _("Address"), value=value("address"), placeholder=_("street, postcode and town")),
        FieldSpec(
            "company_number",
            _("Company number"),
            value=value("company_number"),
            placeholder=_("SIRET (14 digits) or registration number"),
        ),
        FieldSpec(
            "vat_number",
            _("VAT number"),
            value=value("vat_number"),
            placeholder=_("e.g. FR44732829320 (blank if none)"),
        ),
        FieldSpec("contact", _("Contact"), value=value("contact"), placeholder=_("email and phone a client can reach")),
    ]
    return FormScreen(
        _("Provider identity"),
        fields,
        lambda engine, values: set_provider_identity(engine, ProviderIdentityInput(**values)),
        intro=intro
        or _(
            "Printed at the head of every delivery note and handover pack. "
            "Notes already issued keep the identity they were issued with."
        ),
    )


class ProviderIdentityScreen(MsptuiScreen):
    """The provider's identity as printed, a key to edit it, and the interface's language."""

    DEFAULT_CSS = """
    ProviderIdentityScreen #provider-lines { height: auto; padding: 1 2; }
    ProviderIdentityScreen #provider-help { height: auto; padding: 0 2; color: $text-muted; }
    ProviderIdentityScreen #technician-line { height: auto; padding: 1 2 0 2; }
    """
    BINDINGS = [
        Binding(
            "e",
            "edit",
            N_("Edit identity"),
            id="settings.provider.edit",
            tooltip=N_("Set the trade name, address, SIRET, VAT number and contact"),
        ),
        Binding(
            "l",
            "language",
            N_("Language"),
            id="settings.language",
            tooltip=N_("The interface's language: follow the system, English or Français"),
        ),
        Binding(
            "t",
            "technician",
            N_("Technician"),
            id="settings.technician",
            tooltip=N_("Your short name on this machine, recorded on what you do"),
        ),
        Binding("escape", "back", N_("Back"), id="settings.provider.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = _("Provider identity")
        self.identity: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="provider-lines", markup=False)
        yield Static("", id="provider-help", markup=False)
        yield LanguageChoice(chosen_language(self.msptui.paths), id="language-choice")
        yield Static(technician_words(self.msptui.technician), id="technician-line", markup=False)
        yield Footer()

    def load(self) -> None:
        from msptui.store.provider import provider_identity

        self.call_store(provider_identity, done=self._show, group="provider", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#provider-lines", Static).update(message)

    def _show(self, identity: Any) -> None:
        from msptui.core.rules.provider import provider_lines

        self.identity = identity
        lines = self.query_one("#provider-lines", Static)
        helper = self.query_one("#provider-help", Static)
        if identity is None:
            lines.update(_(NOT_SET))
            helper.update("")
            return
        lines.update("\n".join(provider_lines(identity)))
        helper.update(_("As printed on every delivery note and handover pack. Press e to change it."))

    def action_edit(self) -> None:
        self.app.push_screen(provider_form(self.identity), callback=self._saved)

    def _saved(self, identity: Any) -> None:
        if identity is not None:
            self.msptui.notify(_("Provider identity saved."), title=_("Provider identity"))
            self._show(identity)

    def action_language(self) -> None:
        self.query_one(LanguageChoice).open()

    def action_technician(self) -> None:
        form = technician_form(self.msptui.paths, self.msptui.technician)
        self.app.push_screen(form, callback=self._technician_saved)

    def _technician_saved(self, name: str | None) -> None:
        if name:
            self.msptui.technician_saved(name)
            self.query_one("#technician-line", Static).update(technician_words(name))
            self.msptui.notify(_("Technician saved: {name}.").format(name=name), title=_("Technician"))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def ask_provider_then(app: Any, message: str, then: Callable[[], None]) -> None:
    """Say why, open the provider form, and carry on with `then` once it is saved."""
    app.push_screen(provider_form(None, intro=message), callback=lambda identity: identity is not None and then())
