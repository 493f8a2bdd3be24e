"""The service report's words for issue 18's part of a month: the preventive maintenance
due (done, or missed) and the data breaches the client was notified of. The Markdown, the
PDF, the CSV and the Reports screen all print these lines."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from msptui.store.reads.service_report import ServiceReport


def maintenance_lines(r: ServiceReport) -> list[str]:
    """Each recurring task due this month: done (when), or missed (its ticket still open, or none made)."""
    if not r.recurring_done and not r.recurring_missed:
        return ["No preventive maintenance was due this month."]
    out = []
    for task in r.recurring_done:
        late = " (its ticket was made late)" if task.late else ""
        done = f"done {task.resolved_on.isoformat()}" if task.resolved_on else "done"
        out.append(f"{task.due_on.isoformat()}: {task.title}: {done}, ticket #{task.ticket_id}{late}.")
    for task in r.recurring_missed:
        where = f"ticket #{task.ticket_id} still open" if task.ticket_id else "no ticket was made"
        out.append(f"{task.due_on.isoformat()}: {task.title}: NOT DONE ({where}).")
    return out


def breach_notice_lines(r: ServiceReport) -> list[str]:
    """Each personal-data breach notified this month, with its delay kept or missed: never left out."""
    if not r.breaches_notified:
        return ["No data breach was notified this month."]
    zone = ZoneInfo(r.timezone)
    out = []
    for b in r.breaches_notified:
        kept = "within" if b.within_delay else "AFTER"
        out.append(
            f"Breach {b.breach_id}, discovered {b.discovered_at.astimezone(zone):%Y-%m-%d %H:%M}: {b.description} "
            f"(data: {b.data_concerned or 'not stated'}); you were notified "
            f"{b.notified_at.astimezone(zone):%Y-%m-%d %H:%M} ({b.notified_how or 'how not stated'}), "
            f"{kept} the contract's {b.notification_hours} h."
        )
    return out
