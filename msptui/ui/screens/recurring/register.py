"""The client's recurring tasks: preventive work the contract promises, each occurrence
a ticket on its day (made by the board, `store.recurring.materialise_due`).

n adds a task, s stops or resumes the highlighted one (a resumed task's missed days
are created late, each once).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding

from msptui.core.i18n import N_, _
from msptui.ui.screens.coming_due.register import ClientRegister, client_name


def _tasks(engine: Any, client_id: int) -> tuple[str, list[Any]]:
    from msptui.store.recurring import client_tasks

    return client_name(engine, client_id), client_tasks(engine, client_id)


def schedule_words(task: Any) -> str:
    """The task's schedule in the rule's words ("every month on the 31st (or the last day)")."""
    from msptui.store.recurring import schedule_of

    try:
        return schedule_of(task.schedule).describe()
    except ValueError as exc:
        return _("schedule unreadable: {problem}").format(problem=exc)


class RecurringTasksScreen(ClientRegister):
    # Headers no wider than their column: the French keeps to these widths too.
    COLUMNS = (
        (N_("Title"), "title", None),
        (N_("Schedule"), "schedule", 34),
        (N_("Due at"), "at", 6),
        ("P", "priority", 2),
        (N_("Ahead"), "lead", 6),
        (N_("State"), "state", 8),
    )
    BINDINGS = [
        Binding("n", "new", N_("New task"), id="recurring.new"),
        Binding("s", "toggle_active", N_("Stop / resume"), id="recurring.toggle_active"),
        Binding("escape", "back", N_("Back"), id="recurring.back", show=False),
    ]

    def __init__(self, client_id: int, select: int | None = None) -> None:
        super().__init__(client_id, select)
        self.title = _("Recurring tasks")

    read = staticmethod(_tasks)

    def cells(self, t: Any) -> list[Text]:
        return [
            Text(t.title, no_wrap=True, overflow="ellipsis"),
            Text(schedule_words(t), no_wrap=True, overflow="ellipsis"),
            Text(t.at_time),
            Text(t.priority),
            Text(_("{days} d").format(days=t.lead_days), justify="right"),
            Text(_("active"), style="green") if t.active else Text(_("stopped"), style="dim"),
        ]

    def title_words(self, entries: list[Any]) -> str:
        hint = _("n adds one") if not entries else _("each occurrence becomes a ticket on its day")
        return " · ".join([_("Recurring tasks"), self.client_name, str(len(entries)), hint])

    def detail(self, t: Any) -> str:
        steps = "\n".join(f"  ☐ {step}" for step in t.steps) or "  " + _("(no steps)")
        when = _("From {first_on}, {schedule}, at {time}").format(
            first_on=t.first_on.isoformat(), schedule=schedule_words(t), time=t.at_time
        )
        return f"{when}\n{steps}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_active":
            return self.selected is not None
        return True

    def action_new(self) -> None:
        from msptui.ui.screens.recurring.forms import task_choices, task_form

        today = self.msptui.clock.now().date().isoformat()
        self.call_store(
            task_choices,
            self.client_id,
            today,
            done=lambda choices: self.app.push_screen(
                task_form(choices, self.msptui.clock), self.saved(_("Recurring task recorded."))
            ),
        )

    def action_toggle_active(self) -> None:
        t = self.selected
        if t is not None:
            from msptui.store.recurring import set_active

            if t.active:
                words = _("Task stopped.")
            else:
                words = _("Task resumed: missed days are created late, each once.")
            self.call_store(set_active, t.id, not t.active, done=lambda _r: self.saved(words)(t.id))
