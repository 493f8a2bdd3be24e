"""A data breach's notice for the client, as Markdown and PDF.

Written from one reading of the register (`store.breaches.BreachRecord`) and the
provider's identity, so both files say the same: what happened and when it was
discovered, which data and processing, the notification delay of the contract and
its deadline (`core.rules.coming_due.notification_due`), when and how the client
was told, and the measures taken. Instants are printed in the client's zone.
The files go to exports/breaches/, named after the client's code and the breach
("BOUL-breach-3.md"), rewritten whole on every export, each 0600 and complete or
absent (`store/files/private.py`). The PDF uses the delivery note's fonts. Both are in
the client's language (`BreachRecord.language`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from msptui.core.i18n import N_, _, document_language, ngettext
from msptui.core.markdown_text import md_cell
from msptui.core.rules.provider import ProviderIdentity, provider_lines
from msptui.store.files.delivery_note import (  # the house's PDF headings and paragraphs
    _heading,
    _paragraphs,
    md_text,  # md_literal keeping French no-break spaces
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from msptui.store.breaches import BreachRecord

FOLDER = "breaches"
TITLE = N_("Personal data breach notice")
NO_PROVIDER = N_("Provider's identity not set (settings): set it before sending this notice.")


@dataclass(frozen=True)
class BreachNoticeFiles:
    markdown: Path
    pdf: Path
    font: Path | None  # the embedded Unicode font, or None for the built-in fallback


# --- what the notice says (shared by both formats) ------------------------------------------------


def local(at: datetime, timezone: str) -> str:
    """'2026-11-23 10:00 (Europe/Paris)': an instant in the client's zone, compact (the register screen)."""
    return f"{at.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"


def moment(at: datetime, timezone: str) -> str:
    """'Mon 23 Nov 2026, 10:00 (Europe/Paris)' ('lun. 23 nov. 2026, 10:00 (Europe/Paris)'): as the client reads it."""
    from msptui.core import formats

    return f"{formats.date_time(at.astimezone(ZoneInfo(timezone)))} ({timezone})"


def deadline(b: BreachRecord) -> datetime:
    """When the client must have been told, by the contract's delay (or GDPR's 72 hours)."""
    from msptui.core.rules.coming_due import notification_due

    return notification_due(b.discovered_at, b.notification_hours)


def head_rows(b: BreachRecord) -> list[tuple[str, str]]:
    by = moment(deadline(b), b.timezone)
    rows = [
        (_("Client"), f"{b.client_name} ({b.client_code})"),
        (_("Contract"), b.contract or _("none")),
        (
            _("Data breach"),
            _("#{number}, recorded on {moment}").format(number=b.first_id, moment=moment(b.recorded_at, b.timezone)),
        ),
        (_("Discovered"), moment(b.discovered_at, b.timezone)),
        (
            _("Notification delay"),
            ngettext(
                "{count} hour from discovery: by {deadline}",
                "{count} hours from discovery: by {deadline}",
                b.notification_hours,
            ).format(count=b.notification_hours, deadline=by),
        ),
    ]
    if b.notified_at is not None:
        words = {"moment": moment(b.notified_at, b.timezone), "how": b.notified_how}
        if b.notified_at > deadline(b):
            told = _("{moment}, by {how} (after the delay)").format(**words)
        else:
            told = _("{moment}, by {how}").format(**words)
        rows.append((_("Client notified"), told))
    else:
        rows.append((_("Client notified"), _("not yet")))
    if b.corrections:
        corrected = ngettext(
            "corrected {count} time; earlier versions are kept on file",
            "corrected {count} times; earlier versions are kept on file",
            b.corrections,
        ).format(count=b.corrections)
        rows.append((_("Corrections"), corrected))
    return rows


def sections(b: BreachRecord) -> list[tuple[str, str]]:
    """(heading, text) of each part of the notice; a part not given says so."""
    return [
        (_("What happened"), b.description),
        (_("Data concerned"), b.data_concerned or _("Not determined yet.")),
        (_("Processing concerned"), b.processing or _("Not linked to a processing entry of the contract.")),
        (_("Measures taken"), b.measures or _("None recorded yet.")),
    ]


def _provider(provider: ProviderIdentity | None) -> list[str]:
    return provider_lines(provider) if provider is not None else [_(NO_PROVIDER)]


# --- Markdown -------------------------------------------------------------------------------------


def breach_markdown(b: BreachRecord, provider: ProviderIdentity | None) -> str:
    """The notice as Markdown, in the client's language (`b.language`)."""
    with document_language(b.language):
        out = ["# " + _(TITLE), ""]
        out += [f"{md_text(line)}  " for line in _provider(provider)]
        out += ["", "| | |", "| --- | --- |"]
        out += [f"| {label} | {md_cell(value)} |" for label, value in head_rows(b)]
        for heading, text in sections(b):
            out += ["", f"## {heading}", ""]
            out += [md_text(line) for line in text.splitlines() if line.strip()] or ["-"]
        return "\n".join(out) + "\n"


# --- PDF ------------------------------------------------------------------------------------------


def write_breach_pdf(b: BreachRecord, provider: ProviderIdentity | None, path: Path, font: Path | None) -> Path | None:
    """Write the notice as PDF to `path` in the client's language; returns the embedded font, or None."""
    with document_language(b.language):
        return _write_breach_pdf(b, provider, path, font)


def _write_breach_pdf(b: BreachRecord, provider: ProviderIdentity | None, path: Path, font: Path | None) -> Path | None:
    from msptui.store.files.delivery_note import _cell, _new_pdf, printable
    from msptui.store.files.private import write_private

    pdf, family, drawable, used = _new_pdf(font)

    def t(text: object) -> str:
        return printable(str(text), drawable)

    pdf.set_title(t(_(TITLE)))
    pdf.set_creator("msptui")
    pdf.set_creation_date(b.notified_at or b.recorded_at)
    pdf.add_page()
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 9, t(_(TITLE)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    _paragraphs(pdf, _provider(provider), t)
    pdf.ln(3)
    pdf.set_font(family, "", 10)
    with pdf.table(col_widths=(40, 134), first_row_as_headings=False, text_align="LEFT") as table:
        for label, value in head_rows(b):
            row = table.row()
            row.cell(t(label))
            row.cell(t(_cell(value)))
    for heading, text in sections(b):
        _heading(pdf, family, t(heading))
        _paragraphs(pdf, [_cell(line) for line in text.splitlines() if line.strip()] or ["-"], t)
    write_private(path, bytes(pdf.output()), replace=True)
    return used


# --- writing both files ---------------------------------------------------------------------------


def breach_stem(b: BreachRecord) -> str:
    """'BOUL-breach-3': one safe file-name component."""
    from msptui.store.files.private import safe_component

    return safe_component(f"{b.client_code}-breach-{b.first_id}", fallback="breach")


def write_breach_files(exports: Path, b: BreachRecord, provider: ProviderIdentity | None) -> BreachNoticeFiles:
    """Write the notice as Markdown and PDF into `exports`/breaches (rewritten whole), in the client's language."""
    from msptui.store.files.delivery_note import find_unicode_font
    from msptui.store.files.private import inside, write_private

    folder = exports / FOLDER
    stem = breach_stem(b)
    markdown, pdf = (inside(folder, f"{stem}{ext}") for ext in (".md", ".pdf"))
    write_private(markdown, breach_markdown(b, provider).encode("utf-8"), replace=True)
    font = write_breach_pdf(b, provider, pdf, find_unicode_font())
    return BreachNoticeFiles(markdown=markdown, pdf=pdf, font=font)


def export_breach(engine: Engine, exports: Path, breach_id: int) -> BreachNoticeFiles:
    """Read the breach as it stands (by any of its records' ids) and write its two files."""
    from msptui.store.breaches import breach
    from msptui.store.provider import provider_identity

    return write_breach_files(exports, breach(engine, breach_id), provider_identity(engine))
