"""How an engagement reads on screen: its card, the history its decision rests on, and one check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.text import Text

from msptui.core.i18n import N_, _, ngettext


def _status_label(status: str) -> str:
    from msptui.core.vocabulary import EngagementStatus

    return EngagementStatus(status).label


# The table has room for a word or two; the detail shows the rules' full labels.
SHORT_DECISION = {
    "accept": N_("Accept"),
    "accept_with_partner": N_("With a partner"),
    "accept_against_judgement": N_("Client's request"),
    "decline": N_("Decline"),
}


def short_decision(decision: str | None) -> str:
    """A check's decision in a word or two, for a table cell ("not checked" when there is none)."""
    return _(SHORT_DECISION[decision]) if decision in SHORT_DECISION else _("not checked")


def short(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut with an ellipsis: for a table cell."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def local_time(instant: datetime, zone: str) -> str:
    """An instant in prose, in the client's zone, as the interface's language writes it."""
    from zoneinfo import ZoneInfo

    from msptui.core.formats import date_time

    return date_time(instant.astimezone(ZoneInfo(zone)))


def day(value: date) -> str:
    """A day in prose, as the interface's language writes it ("23 Nov 2026")."""
    from msptui.core.formats import medium_date

    return medium_date(value)


def answer_word(answer: str) -> str:
    """A stored answer ("partly") as the technician reads it in a sentence."""
    from msptui.core.rules import Answer

    return Answer(answer).label.lower()


def _decision_label(decision: str | None) -> str:
    from msptui.core.rules import Decision

    return _("not checked") if decision is None else Decision(decision).label


def card(detail: Any) -> Text:
    from msptui.store.schemas.engagements import format_price

    e, client = detail.engagement, detail.client
    zone = client.timezone
    text = Text()
    text.append(e.title, style="bold")
    text.append(f"  {_status_label(e.status)}\n", style="italic")
    text.append(f"{client.name} ({client.code})")
    if detail.contract_reference:
        text.append(" · " + _("contract {reference}").format(reference=detail.contract_reference))
    text.append("\n")
    text.append(_("Technologies: {technologies}").format(technologies=", ".join(e.technologies)) + "\n")
    terms = []
    if e.price is not None:
        terms.append(_("price {price} excl. tax").format(price=format_price(e.price)))
    if e.start_date:
        terms.append(_("start {day}").format(day=day(e.start_date)))
    if e.end_date:
        terms.append(_("deadline {day}").format(day=day(e.end_date)))
    if terms:
        line = " · ".join(terms)
        text.append(line[:1].upper() + line[1:] + "\n")
    dates = [_("proposed {when}").format(when=local_time(e.proposed_at, zone))]
    if e.decided_at:
        dates.append(_("decided {when}").format(when=local_time(e.decided_at, zone)))
    if e.delivered_at:
        dates.append(_("delivered {when}").format(when=local_time(e.delivered_at, zone)))
    if e.cancelled_at:
        dates.append(_("cancelled {when}").format(when=local_time(e.cancelled_at, zone)))
    text.append(" · ".join(dates) + "\n", style="dim")
    if e.description:
        text.append(e.description + "\n", style="italic")
    text.rstrip()
    return text


def agreement(person: str, on: date, how: str) -> str:
    """Who at the client was told (or agreed), on which day and how: "Claire Weber on 2 Nov 2026 by meeting"."""
    from msptui.core.rules import DisclosureMeans

    return _("{person} on {day} by {means}").format(
        person=person, day=day(on), means=DisclosureMeans(how).label.lower()
    )


def history_text(detail: Any) -> Text:
    """The partners of the check in force and the change requests, oldest first."""
    from msptui.core.rules import ChangedTerm

    text = Text()
    for p in detail.partners:
        text.append(_("Partner: "), style="bold")
        if p.competence:
            brings = _("brings {competence}").format(competence=p.competence.rstrip(". "))
        else:
            brings = _("its competence not recorded")
        told = p.disclosure_text  # "not recorded", in the store's words
        if p.disclosed_to and p.disclosed_on is not None and p.disclosed_how is not None:
            told = _("disclosed to {agreement}").format(
                agreement=agreement(p.disclosed_to, p.disclosed_on, p.disclosed_how)
            )
        text.append(_("{partner}; {brings}; {told}").format(partner=p.name, brings=brings, told=told) + "\n")
    if detail.changes:
        text.append(_("Change requests (agreed with the client)") + "\n", style="bold")
    none = _("(none)")
    for c in detail.changes:
        text.append(
            _("{day} {term}: {old} → {new}; {reason}; agreed by {agreement}").format(
                day=day(c.agreed_on),
                term=ChangedTerm(c.what).label,
                old=short(c.old_value, 30) or none,
                new=short(c.new_value, 30) or none,
                reason=short(c.reason, 60),
                agreement=agreement(c.agreed_by, c.agreed_on, c.agreed_how),
            )
            + "\n"
        )
    text.rstrip()
    return text


def check_text(c: Any, zone: str, told: Any = None) -> Text:
    from msptui.core.rules import Decision, Question

    text = Text()
    text.append(
        _("Check of {when} on {technologies}").format(
            when=local_time(c.checked_at, zone), technologies=", ".join(c.technologies)
        )
        + "\n",
        style="bold",
    )
    for q in Question:
        text.append(f"{q.numeral}. {q.prompt} ", style="dim")
        text.append(f"{answer_word(getattr(c, q.value))}\n", style="bold")
        evidence = getattr(c, f"{q.value}_evidence")
        if evidence:
            text.append(f"   {evidence}\n")
        else:
            text.append("   " + _("(no evidence given)") + "\n", style="dim")
    text.append(_("Decision: {decision}").format(decision=_decision_label(c.decision)) + "\n", style="bold")
    if c.partner_name:
        text.append(_("Partner: {name}").format(name=c.partner_name) + "\n")
    if c.risk_statement:
        text.append(_("Risks and consequences, in writing:") + "\n", style="dim")
        text.append(c.risk_statement + "\n")
    if Decision(c.decision).needs_disclosure:
        if told is not None:
            told_words = agreement(told.disclosed_to, told.disclosed_on, told.disclosed_how)
            text.append(_("Told to the client: {told}").format(told=told_words) + "\n")
        else:
            text.append(_("Told to the client: not recorded (g records it)") + "\n", style="bold")
    return text


def warning_lines(detail: Any) -> list[str]:
    """What stops the work or the delivery of the engagement, one line each ('⚠ ...'); [] when nothing does."""
    warnings = []
    if detail.problem:
        warnings.append(_("⚠ {problem} before starting the work or delivering.").format(problem=detail.problem))
    elif detail.disclosure_missing:
        warnings.append(_("⚠ Telling the client is not recorded for the check in force: record it (g)."))
    b = detail.blocking
    if b:
        # English reads the same for one or several; French agrees the participle with the count.
        parts = []
        if b.undisclosed:
            n = b.undisclosed
            parts.append(ngettext("{count} not disclosed", "{count} not disclosed", n).format(count=n))
        if b.unanswered:
            n = b.unanswered
            parts.append(
                ngettext("{count} awaiting the client's answer", "{count} awaiting the client's answer", n).format(
                    count=n
                )
            )
        if b.refused:
            n = b.refused
            parts.append(ngettext("{count} refused by the client", "{count} refused by the client", n).format(count=n))
        warnings.append(
            _(
                "⚠ Conflicts of interest with {client}: {counts}. Accepting is refused until they are settled (k)."
            ).format(client=detail.client.name, counts=", ".join(parts))
        )
    return warnings
