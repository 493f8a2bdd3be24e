"""The client's data breach register: each breach with its live notification countdown
(the contract's delay from discovery), when and how the client was told, the measures.

n records a breach, t records the client's notification, x exports the notice for the
client (Markdown and PDF, `store.files.breach_notice`). The register is append-only:
the store keeps every record, this screen shows each breach as it stands.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.coming_due.register import ClientRegister, client_name

COUNTDOWN_SECONDS = 5  # the countdown says minutes: a few seconds late at most


def _breaches(engine: Any, client_id: int) -> tuple[str, list[Any]]:
    from msptui.store.breaches import client_breaches

    return client_name(engine, client_id), client_breaches(engine, client_id)


def countdown(b: Any, now: Any) -> Text:
    """The breach's countdown in the rule's words, coloured as the board's clocks."""
    from msptui.core.rules.coming_due import breach_countdown_words, breach_lead, notification_due

    words = breach_countdown_words(b.discovered_at, b.notification_hours, now, b.timezone, b.notified_at)
    due = notification_due(b.discovered_at, b.notification_hours)
    if b.notified_at is not None:
        style = "bold red" if b.notified_at > due else "dim green"
    elif now >= due:
        style = "bold red"
    else:
        style = "bold yellow" if now >= due - breach_lead(b.notification_hours) else "green"
    return Text(words, style=style, no_wrap=True, overflow="ellipsis")


class BreachesScreen(ClientRegister):
    COLUMNS = (
        ("#", "id", 4),
        (N_("Discovered"), "discovered", 16),
        (N_("Notification"), "countdown", 42),
        (N_("Contract"), "contract", 14),
        (N_("What happened"), "description", None),
    )
    BINDINGS = [
        Binding("n", "new", N_("Record a breach"), id="breaches.new"),
        Binding(
            "t",
            "notified",
            N_("Client notified"),
            id="breaches.notified",
            tooltip=N_("When and how the client was told"),
        ),
        Binding(
            "x",
            "export",
            N_("Export notice"),
            id="breaches.export",
            tooltip=N_("The notice for the client: Markdown and PDF"),
        ),
        Binding("escape", "back", N_("Back"), id="breaches.back", show=False),
    ]

    def __init__(self, client_id: int, select: int | None = None) -> None:
        super().__init__(client_id, select)
        self.title = _("Data breaches")

    read = staticmethod(_breaches)

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(COUNTDOWN_SECONDS, self._tick)

    def key(self, b: Any) -> int:
        return int(b.first_id)  # the breach's name: stable across its corrections

    def cells(self, b: Any) -> list[Text]:
        local = b.discovered_at.astimezone(ZoneInfo(b.timezone))
        return [
            Text(str(b.first_id)),
            Text(f"{local:%Y-%m-%d %H:%M}"),
            countdown(b, self.msptui.clock.now()),
            Text(b.contract or "—"),
            Text(" ".join(b.description.split()), no_wrap=True, overflow="ellipsis"),
        ]

    def title_words(self, entries: list[Any]) -> Text:
        waiting = sum(1 for b in entries if not b.notified)
        n = len(entries)
        recorded = ngettext("{count} recorded", "{count} recorded", n).format(count=n)
        line = Text(" · ".join([_("Data breaches"), self.client_name, recorded]))
        if waiting:
            words = ngettext(
                "{count} not notified yet: press t once the client is told",
                "{count} not notified yet: press t once the client is told",
                waiting,
            ).format(count=waiting)
            line.append(f" · {words}", style="bold red")
        elif not entries:
            line.append(" · " + _("n records one the moment it is discovered"))
        return line

    def detail(self, b: Any) -> Text:
        from msptui.store.files.breach_notice import deadline, local

        out = Text(no_wrap=False)
        out.append(_("Breach {number}").format(number=b.first_id), style="bold")
        notify = _("notify within {hours} h, by {deadline}").format(
            hours=b.notification_hours, deadline=local(deadline(b), b.timezone)
        )
        out.append(f" · {notify}")
        if b.notified_at is not None:
            notified = _("Notified {instant} by {how}").format(
                instant=local(b.notified_at, b.timezone), how=b.notified_how
            )
            out.append(f"\n{notified}")
        if b.processing:
            out.append("\n" + _("Processing: {processing}").format(processing=b.processing))
        if b.data_concerned:
            out.append("\n" + _("Data: {data}").format(data=b.data_concerned))
        if b.measures:
            out.append("\n" + _("Measures: {measures}").format(measures=" ".join(b.measures.split())))
        if b.corrections:
            words = ngettext("{count} correction on file", "{count} corrections on file", b.corrections)
            out.append("\n" + words.format(count=b.corrections), style="dim")
        return out

    def _tick(self) -> None:
        if not self.entries:
            return
        table = self.query_one("#register", DataTable)
        now = self.msptui.clock.now()
        with self.app.batch_update():
            for b in self.entries:
                if b.notified_at is None:
                    table.update_cell(str(b.first_id), "countdown", countdown(b, now))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "notified":
            return self.selected is not None and not self.selected.notified
        if action == "export":
            return self.selected is not None
        return True

    def action_new(self) -> None:
        from msptui.ui.screens.breaches.forms import breach_choices, breach_form

        self.call_store(
            breach_choices,
            self.client_id,
            done=lambda choices: self.app.push_screen(
                breach_form(choices, self.msptui.clock), self.saved(_("Breach recorded: its countdown runs."))
            ),
        )

    def action_notified(self) -> None:
        b = self.selected
        if b is not None and not b.notified:
            from msptui.ui.screens.breaches.forms import notification_form

            form = notification_form(
                b.id, _("breach {number}").format(number=b.first_id), b.timezone, self.msptui.clock
            )
            self.app.push_screen(form, self.saved(_("Notification recorded."), keep_breach=True))

    def action_export(self) -> None:
        b = self.selected
        if b is not None:
            from msptui.store.files.breach_notice import export_breach

            self.call_store(
                export_breach,
                self.app.paths.exports,  # type: ignore[attr-defined]
                b.id,
                done=lambda files: self.notify(
                    f"{files.markdown}\n{files.pdf}",
                    title=_("Breach notice exported"),
                    timeout=10,
                    markup=False,
                ),
            )

    def saved(self, words: str, *, keep_breach: bool = False) -> Any:
        """As the register's; with `keep_breach` (a notification), the cursor stays on the breach."""
        done = super().saved(words)

        def on_breach(result: Any) -> None:
            # A notification is a new record: the cursor stays on its breach (named by its first record).
            if result is not None and keep_breach and self.selected is not None:
                result = self.selected.first_id
            done(result)

        return on_breach
