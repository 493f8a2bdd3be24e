"""The service report's words for issue 18's part of a month: the preventive maintenance
due (done, or missed) and the data breaches the client was notified of. The Markdown, the
PDF, the CSV and the Reports screen all print these lines, in the current language (the
client's inside `document_language`)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from msptui.core import formats
from msptui.core.i18n import _
from msptui.store.reads.service_report import ServiceReport


def maintenance_lines(r: ServiceReport) -> list[str]:
    """Each recurring task due this month: done (when), or missed (its ticket still open, or none made)."""
    if not r.recurring_done and not r.recurring_missed:
        return [_("No preventive maintenance was due this month.")]
    out = []
    for task in r.recurring_done:
        words = {"due": formats.medium_date(task.due_on), "task": task.title, "ticket": task.ticket_id}
        if task.resolved_on and task.late:
            line = _("{due}: {task}: done {day}, ticket #{ticket} (its ticket was made late).")
        elif task.resolved_on:
            line = _("{due}: {task}: done {day}, ticket #{ticket}.")
        elif task.late:
            line = _("{due}: {task}: done, ticket #{ticket} (its ticket was made late).")
        else:
            line = _("{due}: {task}: done, ticket #{ticket}.")
        day = formats.medium_date(task.resolved_on) if task.resolved_on else ""
        out.append(line.format(day=day, **words))
    for task in r.recurring_missed:
        due = formats.medium_date(task.due_on)
        if task.ticket_id:
            line = _("{due}: {task}: NOT DONE (ticket #{ticket} still open).").format(
                due=due, task=task.title, ticket=task.ticket_id
            )
        else:
            line = _("{due}: {task}: NOT DONE (no ticket was made).").format(due=due, task=task.title)
        out.append(line)
    return out


def breach_notice_lines(r: ServiceReport) -> list[str]:
    """Each personal-data breach notified this month, with its delay kept or missed: never left out."""
    if not r.breaches_notified:
        return [_("No data breach was notified this month.")]
    zone = ZoneInfo(r.timezone)
    out = []
    for b in r.breaches_notified:
        words = {
            "number": b.breach_id,
            "discovered": formats.date_time(b.discovered_at.astimezone(zone)),
            "description": b.description,
            "data": b.data_concerned or _("not stated"),
            "notified": formats.date_time(b.notified_at.astimezone(zone)),
            "how": b.notified_how or _("how not stated"),
            "delay": formats.hours(timedelta(hours=b.notification_hours)),
        }
        if b.within_delay:
            line = _(
                "Breach {number}, discovered {discovered}: {description} (data: {data}); "
                "you were notified {notified} ({how}), within the contract's {delay}."
            )
        else:
            line = _(
                "Breach {number}, discovered {discovered}: {description} (data: {data}); "
                "you were notified {notified} ({how}), AFTER the contract's {delay}."
            )
        out.append(line.format(**words))
    return out
