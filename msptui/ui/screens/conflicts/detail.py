"""The conflicts register's detail line: the highlighted conflict as one paragraph.

Kind, client, engagement and status; what was offered and what was done with it;
when it was identified, disclosed, answered and closed, in the client's time.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from msptui.core.i18n import N_, _

# The client's answer as the detail line says it, before the instant it was given.
ANSWERED = {
    "accepted": N_("accepted {instant}"),
    "waived": N_("waived {instant}"),
    "refused": N_("refused {instant}"),
}


def kind_label(kind: str) -> str:
    """A conflict kind in words, in the interface's language."""
    from msptui.core.rules import ConflictKind

    return _(ConflictKind(kind).label)


def detail_text(r: Any, now: Any) -> Text:
    """The conflict `r` (a register row) as the detail pane reads it at `now`."""
    from rich.markup import escape

    from msptui.core.rules import format_age
    from msptui.store.schemas.engagements import format_instant

    c, tz = r.conflict, r.timezone
    text = Text()
    text.append(f"{kind_label(c.kind)} · {r.client_name}", style="bold")
    if r.engagement_title:
        text.append(f" · {r.engagement_title}")
    text.append(f" · {_(r.status.label)}\n", style="italic")
    if c.kind == "gift_or_bribe":
        text.append(_("Offered: {what}").format(what=c.description) + "\n")
        text.append(offered_by(c.offered_by, format_instant(c.offered_at, tz) if c.offered_at else "") + " ")
        if c.gift_action == "accepted_under_policy":
            text.append(
                _("Declared and accepted under the client's written policy: {policy}").format(policy=c.gift_policy)
                + "\n",
                style="bold",
            )
        else:
            text.append(_("Refused.") + "\n", style="bold")
    else:
        text.append(c.description + "\n")
    identified = format_instant(c.identified_at, tz)
    age = r.undisclosed_age(now)
    if age is None:
        text.append(_("Identified {instant}").format(instant=identified), style="dim")
    else:
        # One sentence in two styles: the markup keeps it one message for the translator.
        words = _("[dim]Identified {instant}[/dim][b], not disclosed for {age}: press d once the client is told.[/b]")
        text.append_text(Text.from_markup(words.format(instant=escape(identified), age=escape(format_age(age)))))
    if c.disclosed_at:
        disclosed = _("disclosed {instant} to {whom} ({how})").format(
            instant=format_instant(c.disclosed_at, tz), whom=c.disclosed_to, how=c.disclosed_how
        )
        text.append(f" · {disclosed}", style="dim")
    if c.client_answer:
        answered = _(ANSWERED[c.client_answer]).format(instant=format_instant(c.answered_at, tz))
        text.append(f" · {answered}", style="dim")
    elif c.disclosed_at and r.status.value == "disclosed_awaiting_answer":
        text.append(" · " + _("awaiting the client's answer: press a to record it."), style="bold")
    if c.closed_at:
        text.append(" · " + _("closed {instant}").format(instant=format_instant(c.closed_at, tz)), style="dim")
    return text


def offered_by(who: str | None, when: str) -> str:
    """Who offered the gift and when, as one sentence whichever is known."""
    if who and when:
        return _("Offered by {name}, on {instant}.").format(name=who, instant=when)
    if who:
        return _("Offered by {name}.").format(name=who)
    if when:
        return _("Offered by: not recorded, on {instant}.").format(instant=when)
    return _("Offered by: not recorded.")
