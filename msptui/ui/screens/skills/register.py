"""The skills register: certifications, training, projects and self-study, per technology.

What is recorded here is proposed as evidence by the competence check.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table


class SkillsScreen(MsptuiScreen):
    DEFAULT_CSS = """
    SkillsScreen #skills-title { padding: 0 1; text-style: bold; }
    SkillsScreen #skills { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", N_("New entry"), id="skills.new"),
        Binding("e", "edit", N_("Edit"), id="skills.edit"),
        Binding("delete", "delete", N_("Delete"), id="skills.delete"),
        Binding("escape", "back", N_("Back"), id="skills.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.skills: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="skills-title", markup=False)
        table = Table(id="skills", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Technology"), _("Evidence"), _("Title"), _("Obtained"), _("Notes"))
        yield table
        yield Footer()

    def load(self) -> None:
        from msptui.store.skills import list_skills

        self.call_store(list_skills, done=self._loaded, group="skills", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#skills-title", Static).update(message)

    def _loaded(self, skills: list[Any]) -> None:
        from msptui.core.vocabulary import SkillEvidence

        keep = self.selected.id if self.selected is not None else None
        self.skills = skills
        table = self.query_one("#skills", DataTable)
        table.clear()
        for k in skills:
            table.add_row(
                Text(k.technology),
                Text(SkillEvidence(k.evidence).label),
                Text(k.title),
                Text(k.obtained_on.isoformat()),
                Text(" ".join(k.notes.split())),
                key=str(k.id),
            )
        ids = [k.id for k in skills]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        hint = (
            _("the competence check proposes them as evidence")
            if skills
            else _("none yet: press n to record a certification, training or project")
        )
        entries = ngettext("{count} entry", "{count} entries", len(skills)).format(count=len(skills))
        self.query_one("#skills-title", Static).update(" · ".join((_("Skills register"), entries, hint)))
        table.focus()

    @property
    def selected(self) -> Any:
        table = self.query_one("#skills", DataTable)
        if not self.skills or not 0 <= table.cursor_row < len(self.skills):
            return None
        return self.skills[table.cursor_row]

    def action_new(self) -> None:
        self.app.push_screen(skill_form(None), callback=self._saved)

    @on(DataTable.RowSelected, "#skills")
    def action_edit(self) -> None:
        if self.selected is not None:
            self.app.push_screen(skill_form(self.selected), callback=self._saved)

    def _saved(self, skill_id: int | None) -> None:
        if skill_id is not None:
            self.notify(_("Skill saved."))
            self.load()

    def action_delete(self) -> None:
        skill = self.selected
        if skill is None:
            return
        from msptui.ui.widgets.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                from msptui.store.skills import delete_skill

                self.call_store(delete_skill, skill.id, done=lambda _r: (self.notify(_("Entry deleted.")), self.load()))

        self.app.push_screen(
            ConfirmScreen(_("Delete “{title}” from the skills register?").format(title=skill.title)), callback=confirmed
        )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)


def skill_form(skill: Any | None) -> Any:
    from msptui.core.vocabulary import SkillEvidence
    from msptui.store.skills import technologies_in_use
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    k = skill
    fields = [
        FieldSpec(
            "technology",
            _("Technology"),
            value=k.technology if k else "",
            placeholder=_("Microsoft 365"),
            suggest=technologies_in_use,
        ),
        FieldSpec("evidence", _("Kind of evidence"), "select", k.evidence if k else None, SkillEvidence.choices()),
        FieldSpec("title", _("Title"), value=k.title if k else "", placeholder=_("MS-102 Microsoft 365 Administrator")),
        FieldSpec(
            "obtained_on", _("Obtained on"), value=k.obtained_on.isoformat() if k else "", placeholder=_("YYYY-MM-DD")
        ),
        FieldSpec(
            "expires_on",
            _("Expires on"),
            value=k.expires_on.isoformat() if k and k.expires_on else "",
            placeholder=_("YYYY-MM-DD, for a certification (comes due on the board)"),
        ),
        FieldSpec("notes", _("Notes"), "textarea", k.notes if k else ""),
    ]

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store import skills
        from msptui.store.schemas.engagements import SkillCreate

        data = SkillCreate(**{key: v for key, v in values.items() if v is not None})
        if k is None:
            return skills.add_skill(engine, data)
        skills.update_skill(engine, k.id, data)
        return k.id

    return FormScreen(_("Edit skill") if k else _("New skill"), fields, submit)
