"""How an engagement reads on screen: its card, the history its decision rests on, and one check."""

from __future__ import annotations

from typing import Any

from rich.text import Text


def _status_label(status: str) -> str:
    from msptui.core.vocabulary import EngagementStatus

    return EngagementStatus(status).label


# The table has room for a word or two; the detail shows the rules' full labels.
SHORT_DECISION = {
    "accept": "Accept",
    "accept_with_partner": "With a partner",
    "accept_against_judgement": "Client's request",
    "decline": "Decline",
}


def short(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut with an ellipsis: for a table cell."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _decision_label(decision: str | None) -> str:
    from msptui.core.rules import Decision

    return "not checked" if decision is None else Decision(decision).label


def card(detail: Any) -> Text:
    from msptui.store.schemas.engagements import format_instant, format_price

    e, client = detail.engagement, detail.client
    text = Text()
    text.append(e.title, style="bold")
    text.append(f"  {_status_label(e.status)}\n", style="italic")
    text.append(f"{client.name} ({client.code})")
    if detail.contract_reference:
        text.append(f" · contract {detail.contract_reference}")
    text.append("\n")
    text.append(f"Technologies: {', '.join(e.technologies)}\n")
    terms = []
    if e.price is not None:
        terms.append(f"price {format_price(e.price)} excl. tax")
    if e.start_date:
        terms.append(f"start {e.start_date}")
    if e.end_date:
        terms.append(f"deadline {e.end_date}")
    if terms:
        line = " · ".join(terms)
        text.append(line[:1].upper() + line[1:] + "\n")
    dates = [f"proposed {format_instant(e.proposed_at, client.timezone)}"]
    if e.decided_at:
        dates.append(f"decided {format_instant(e.decided_at, client.timezone)}")
    if e.delivered_at:
        dates.append(f"delivered {format_instant(e.delivered_at, client.timezone)}")
    if e.cancelled_at:
        dates.append(f"cancelled {format_instant(e.cancelled_at, client.timezone)}")
    text.append(" · ".join(dates) + "\n", style="dim")
    if e.description:
        text.append(e.description + "\n", style="italic")
    text.rstrip()
    return text


def _told(record: Any) -> str:
    from msptui.core.rules import DisclosureMeans

    return f"{record.disclosed_to} on {record.disclosed_on} by {DisclosureMeans(record.disclosed_how).label.lower()}"


def history_text(detail: Any) -> Text:
    """The partners of the check in force and the change requests, oldest first."""
    from msptui.core.rules import ChangedTerm, DisclosureMeans

    text = Text()
    for p in detail.partners:
        text.append("Partner: ", style="bold")
        brings = f"brings {p.competence.rstrip('. ')}" if p.competence else "its competence not recorded"
        text.append(f"{p.name}; {brings}; {p.disclosure_text}\n")
    if detail.changes:
        text.append("Change requests (agreed with the client)\n", style="bold")
    for c in detail.changes:
        agreed = f"{c.agreed_by} on {c.agreed_on} by {DisclosureMeans(c.agreed_how).label.lower()}"
        text.append(
            f"{c.agreed_on} {ChangedTerm(c.what).label}: {short(c.old_value, 30) or '(none)'} → {short(c.new_value, 30) or '(none)'}"
        )
        text.append(f"; {short(c.reason, 60)}; agreed by {agreed}\n", style="")
    text.rstrip()
    return text


def check_text(c: Any, zone: str, told: Any = None) -> Text:
    from msptui.core.rules import Decision, Question
    from msptui.store.schemas.engagements import format_instant

    text = Text()
    text.append(f"Check of {format_instant(c.checked_at, zone)} on {', '.join(c.technologies)}\n", style="bold")
    for q in Question:
        text.append(f"{q.numeral}. {q.prompt} ", style="dim")
        text.append(f"{getattr(c, q.value)}\n", style="bold")
        evidence = getattr(c, f"{q.value}_evidence")
        text.append(f"   {evidence}\n" if evidence else "   (no evidence given)\n", style="" if evidence else "dim")
    text.append(f"Decision: {_decision_label(c.decision)}\n", style="bold")
    if c.partner_name:
        text.append(f"Partner: {c.partner_name}\n")
    if c.risk_statement:
        text.append("Risks and consequences, in writing:\n", style="dim")
        text.append(c.risk_statement + "\n")
    if Decision(c.decision).needs_disclosure:
        if told is not None:
            text.append(f"Told to the client: {_told(told)}\n")
        else:
            text.append("Told to the client: not recorded (g records it)\n", style="bold")
    return text
