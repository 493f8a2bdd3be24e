"""Exports of the conflicts register and of one engagement's check history, as Markdown and CSV.

Files go to the exports folder, named with the date of the export, created
0600 (they describe clients) and never overwriting an earlier export: a second
export the same day gets "-2", "-3"... Instants are written in the client's
time zone with their UTC offset, so a reader elsewhere cannot misread them.
User text survives both formats: CSV through the csv module's quoting,
Markdown made literal by `msptui.core.markdown_text` (no markup, link or HTML runs).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from msptui.core.i18n import N_, _, ngettext
from msptui.core.markdown_text import md_cell
from msptui.core.rules import ChangedTerm, ClientAnswer, ConflictKind, Decision, DisclosureMeans, Question, format_age
from msptui.core.rules.conflicts import GiftAction
from msptui.core.vocabulary import EngagementStatus
from msptui.store.clients import RefusedError
from msptui.store.conflicts import list_conflicts
from msptui.store.engagements import engagement_detail
from msptui.store.models import ConflictDisclosure, saved_id

# Excel only recognises UTF-8 with a byte-order mark; without it "Lefèvre" is garbled.
CSV_ENCODING = "utf-8-sig"


# --- formats ------------------------------------------------------------------------------


def md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: one starting with = + - @ (a formula to
    Excel or LibreOffice, which a client's text could smuggle in) gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return out.getvalue()


def _instant(value: datetime | None, zone: str) -> str:
    return "" if value is None else value.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")


def slug(text: str, limit: int = 40) -> str:
    """ASCII, lower case, words joined by '-': safe in a file name on every system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].rstrip("-") or "untitled"


def _write_new(folder: Path, stem: str, suffix: str, text: str, encoding: str) -> Path:
    """Create `stem.suffix` (or `stem-2.suffix`, ...) without replacing anything; 0600 in 0700."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    n = 1
    while True:
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "w", encoding=encoding, newline="") as f:
            f.write(text)
        return path


def _export_date(now: datetime) -> str:
    # The technician's own calendar date, as they would file it.
    return now.astimezone().date().isoformat()


# --- the conflicts register --------------------------------------------------------------
# The register and the check history are the technician's own records: written in the
# interface's language (each client's documents are in the client's: see files/statement.py).

CONFLICT_HEADER = [
    N_("Client"),
    N_("Code"),
    N_("Engagement"),
    N_("Kind"),
    N_("Description"),
    N_("Identified at"),
    N_("Status"),
    N_("Undisclosed for"),
    N_("Disclosed at"),
    N_("Disclosed to"),
    N_("How"),
    N_("Client's answer"),
    N_("Answered at"),
    N_("Closed at"),
    N_("Offered by"),
    N_("Offered at"),
    N_("What the technician did"),
]


def conflict_rows(engine: Engine, now: datetime, client_id: int | None = None) -> list[list[object]]:
    """The register as table rows (CONFLICT_HEADER order), undisclosed ones first."""
    rows: list[list[object]] = []
    for r in list_conflicts(engine, client_id):
        c, tz = r.conflict, r.timezone
        age = r.undisclosed_age(now)
        rows.append(
            [
                r.client_name,
                r.client_code,
                r.engagement_title or "",
                ConflictKind(c.kind).label,
                c.description,
                _instant(c.identified_at, tz),
                r.status.label,
                format_age(age) if age is not None else "",
                _instant(c.disclosed_at, tz),
                c.disclosed_to,
                c.disclosed_how,
                ClientAnswer(c.client_answer).label if c.client_answer else "",
                _instant(c.answered_at, tz),
                _instant(c.closed_at, tz),
                *_gift_cells(c, tz),
            ]
        )
    return rows


def export_conflicts(engine: Engine, exports: Path, now: datetime, client_id: int | None = None) -> tuple[Path, Path]:
    """Write the register (one client's part when `client_id` is given); returns (Markdown path, CSV path)."""
    rows = conflict_rows(engine, now, client_id)
    undisclosed = sum(1 for row in rows if row[7])
    scope = f"-{slug(str(rows[0][1]))}" if client_id is not None and rows else ""
    stem = f"conflicts-register{scope}-{_export_date(now)}"
    header = [_(name) for name in CONFLICT_HEADER]
    counted = ngettext(
        "{count} conflict, {undisclosed} not disclosed yet.",
        "{count} conflicts, {undisclosed} not disclosed yet.",
        len(rows),
    ).format(count=len(rows), undisclosed=undisclosed)
    exported = _("Exported {moment}.").format(moment=now.astimezone().isoformat(timespec="minutes"))
    zones = _("Times are in each client's time zone.")
    title = _("Conflicts of interest register")
    markdown = f"# {title}\n\n{exported} {counted} {zones}\n\n" + md_table(header, rows)
    md_path = _write_new(exports, stem, ".md", markdown, "utf-8")
    csv_path = _write_new(exports, stem, ".csv", csv_text(header, rows), CSV_ENCODING)
    return md_path, csv_path


def _gift_cells(c: ConflictDisclosure, tz: str) -> list[str]:
    """Offered by, offered at, and what the technician did (with the client's policy
    named when accepted); empty for other kinds of conflict."""
    if c.kind != ConflictKind.gift_or_bribe:
        return ["", "", ""]
    action = GiftAction(c.gift_action or GiftAction.refused)
    did = action.label
    if action is GiftAction.accepted_under_policy and c.gift_policy:
        did = _("{action} ({policy})").format(action=action.label, policy=c.gift_policy)
    return [c.offered_by or _("not recorded"), _instant(c.offered_at, tz), did]


# --- one engagement's check history ------------------------------------------------------------


def check_header() -> list[str]:
    """The check history's columns in the current language (built when asked: the questions are translated)."""
    return [
        _("Engagement"),
        _("Client"),
        _("Check"),
        _("Checked at"),
        _("In force"),
        _("Technologies"),
        *[
            part
            for q in Question
            for part in (
                _("{numeral}. {question}").format(numeral=q.numeral, question=q.prompt),
                _("{numeral}. Evidence").format(numeral=q.numeral),
            )
        ],
        _("Decision"),
        _("Partner"),
        _("Partner's competence"),
        _("Risk statement"),
        _("Told to the client"),
    ]


CHANGE_HEADER = [
    N_("Agreed on"),
    N_("What"),
    N_("Before"),
    N_("After"),
    N_("Why"),
    N_("Agreed by"),
    N_("How"),
    N_("Recorded at"),
]


def export_check_history(engine: Engine, engagement_id: int, exports: Path, now: datetime) -> tuple[Path, Path]:
    """Write every check of the engagement, oldest first; returns (Markdown path, CSV path)."""
    detail = engagement_detail(engine, engagement_id)
    if detail is None:
        raise RefusedError(_("This engagement no longer exists."))
    e, client, tz = detail.engagement, detail.client, detail.client.timezone
    checks = list(reversed(detail.checks))
    partners = {p.check_id: p for p in detail.partners}
    header = check_header()
    rows = []
    for n, c in enumerate(checks, start=1):
        check_id = saved_id(c)
        told = detail.disclosures.get(check_id)
        if told is not None:
            told_text = (
                f"{told.disclosed_to}, {told.disclosed_on.isoformat()}, {DisclosureMeans(told.disclosed_how).label}"
            )
        else:
            told_text = _("not recorded") if Decision(c.decision).needs_disclosure else ""
        partner = partners.get(check_id)
        rows.append(
            [
                e.title,
                client.name,
                n,
                _instant(c.checked_at, tz),
                _("yes") if n == len(checks) else _("superseded"),
                ", ".join(c.technologies),
                *[part for q in Question for part in (getattr(c, q.value), getattr(c, f"{q.value}_evidence"))],
                Decision(c.decision).label,
                c.partner_name or "",
                partner.competence if partner else "",
                c.risk_statement or "",
                told_text,
            ]
        )
    facts = [
        [_("Client"), f"{client.name} ({client.code})"],
        [_("Technologies"), ", ".join(e.technologies)],
        [_("Status"), EngagementStatus(e.status).label],
        [_("Proposed at"), _instant(e.proposed_at, tz)],
        [_("Description"), e.description],
    ]
    item_value = [_("Item"), _("Value")]
    counted = ngettext(
        "{count} check; the last one is in force, the others are superseded and kept as they were.",
        "{count} checks; the last one is in force, the others are superseded and kept as they were.",
        len(checks),
    ).format(count=len(checks))
    exported = _("Exported {moment}; times are in the client's time zone ({timezone}).").format(
        moment=now.astimezone().isoformat(timespec="minutes"), timezone=tz
    )
    sections = [
        "# " + _("Competence checks: {engagement}").format(engagement=md_cell(e.title)) + "\n",
        md_table(item_value, facts),
        f"{counted}\n{exported}\n",
    ]
    for n, row in enumerate(rows, start=1):
        if n == len(rows):
            sections.append("## " + _("Check {number} (in force)").format(number=n) + "\n")
        else:
            sections.append("## " + _("Check {number} (superseded)").format(number=n) + "\n")
        sections.append(md_table(item_value, [[h, v] for h, v in zip(header[3:], row[3:])]))
    if detail.changes:
        sections.append("## " + _("Change requests (agreed with the client)") + "\n")
        sections.append(
            md_table(
                [_(name) for name in CHANGE_HEADER],
                [
                    [
                        c.agreed_on.isoformat(),
                        ChangedTerm(c.what).label,
                        c.old_value,
                        c.new_value,
                        c.reason,
                        c.agreed_by,
                        DisclosureMeans(c.agreed_how).label,
                        _instant(c.recorded_at, tz),
                    ]
                    for c in detail.changes
                ],
            )
        )
    markdown = "\n".join(sections)
    stem = f"engagement-{e.id}-{slug(e.title)}-checks-{_export_date(now)}"
    md_path = _write_new(exports, stem, ".md", markdown, "utf-8")
    csv_path = _write_new(exports, stem, ".csv", csv_text(header, rows), CSV_ENCODING)
    return md_path, csv_path
