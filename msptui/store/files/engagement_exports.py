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

CONFLICT_HEADER = [
    "Client",
    "Code",
    "Engagement",
    "Kind",
    "Description",
    "Identified at",
    "Status",
    "Undisclosed for",
    "Disclosed at",
    "Disclosed to",
    "How",
    "Client's answer",
    "Answered at",
    "Closed at",
    "Offered by",
    "Offered at",
    "What the technician did",
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
    markdown = (
        "# Conflicts of interest register\n\n"
        f"Exported {now.astimezone().isoformat(timespec='minutes')}. "
        f"{len(rows)} conflict(s), {undisclosed} not disclosed yet. "
        "Times are in each client's time zone.\n\n" + md_table(CONFLICT_HEADER, rows)
    )
    md_path = _write_new(exports, stem, ".md", markdown, "utf-8")
    csv_path = _write_new(exports, stem, ".csv", csv_text(CONFLICT_HEADER, rows), CSV_ENCODING)
    return md_path, csv_path


def _gift_cells(c: ConflictDisclosure, tz: str) -> list[str]:
    """Offered by, offered at, and what the technician did (with the client's policy
    named when accepted); empty for other kinds of conflict."""
    if c.kind != ConflictKind.gift_or_bribe:
        return ["", "", ""]
    action = GiftAction(c.gift_action or GiftAction.refused)
    did = action.label + (f" ({c.gift_policy})" if action is GiftAction.accepted_under_policy and c.gift_policy else "")
    return [c.offered_by or "not recorded", _instant(c.offered_at, tz), did]


# --- one engagement's check history ------------------------------------------------------------

CHECK_HEADER = [
    "Engagement",
    "Client",
    "Check",
    "Checked at",
    "In force",
    "Technologies",
    *[part for q in Question for part in (f"{q.numeral}. {q.prompt}", f"{q.numeral}. Evidence")],
    "Decision",
    "Partner",
    "Partner's competence",
    "Risk statement",
    "Told to the client",
]
CHANGE_HEADER = ["Agreed on", "What", "Before", "After", "Why", "Agreed by", "How", "Recorded at"]


def export_check_history(engine: Engine, engagement_id: int, exports: Path, now: datetime) -> tuple[Path, Path]:
    """Write every check of the engagement, oldest first; returns (Markdown path, CSV path)."""
    detail = engagement_detail(engine, engagement_id)
    if detail is None:
        raise RefusedError("This engagement no longer exists.")
    e, client, tz = detail.engagement, detail.client, detail.client.timezone
    checks = list(reversed(detail.checks))
    partners = {p.check_id: p for p in detail.partners}
    rows = []
    for n, c in enumerate(checks, start=1):
        check_id = saved_id(c)
        told = detail.disclosures.get(check_id)
        if told is not None:
            told_text = (
                f"{told.disclosed_to}, {told.disclosed_on.isoformat()}, {DisclosureMeans(told.disclosed_how).label}"
            )
        else:
            told_text = "not recorded" if Decision(c.decision).needs_disclosure else ""
        partner = partners.get(check_id)
        rows.append(
            [
                e.title,
                client.name,
                n,
                _instant(c.checked_at, tz),
                "yes" if n == len(checks) else "superseded",
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
        ["Client", f"{client.name} ({client.code})"],
        ["Technologies", ", ".join(e.technologies)],
        ["Status", EngagementStatus(e.status).label],
        ["Proposed at", _instant(e.proposed_at, tz)],
        ["Description", e.description],
    ]
    sections = [
        f"# Competence checks: {md_cell(e.title)}\n",
        md_table(["Item", "Value"], facts),
        f"{len(checks)} check(s); the last one is in force, the others are superseded and kept as they were.\n"
        f"Exported {now.astimezone().isoformat(timespec='minutes')}; times are in the client's time zone ({tz}).\n",
    ]
    for n, row in enumerate(rows, start=1):
        sections.append(f"## Check {n}{' (in force)' if n == len(rows) else ' (superseded)'}\n")
        sections.append(md_table(["Item", "Value"], [[h, v] for h, v in zip(CHECK_HEADER[3:], row[3:])]))
    if detail.changes:
        sections.append("## Change requests (agreed with the client)\n")
        sections.append(
            md_table(
                CHANGE_HEADER,
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
    csv_path = _write_new(exports, stem, ".csv", csv_text(CHECK_HEADER, rows), CSV_ENCODING)
    return md_path, csv_path
