"""The delivery note as the client reads it: Markdown and PDF files in the exports folder.

Files are named after the note's number (exports/delivery-notes/BL-2026-0001.md
and .pdf) and rewritten from the database on every export, so a lost or
damaged copy is simply exported again. Dates are the client's local dates.

The PDF embeds a Unicode TrueType font when one is found (MSPTUI_PDF_FONT, or
DejaVu Sans from the usual system folders, e.g. Debian's fonts-dejavu-core),
so French accents and most symbols print as typed. Without one it falls back
to the PDF's built-in Helvetica in Windows-1252 (which still has é, è, à, ç,
œ, € and typographic quotes). Either way a character the font cannot draw
(an emoji, say) is printed as its closest plain letters or "?", never a crash.
fpdf2 is imported inside the functions: it is only needed when a note is written.
"""

from __future__ import annotations

import calendar
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from msptui.store.deliveries import DeliveryView

NOTES_FOLDER = "delivery-notes"
FONT_ENV = "MSPTUI_PDF_FONT"
# Where the usual Unicode fonts live (Debian/Ubuntu, Fedora, Arch, macOS, Windows).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
RESULT_WORDS = {"passed": "Passed", "failed": "Failed", "pending": "Not run"}


@dataclass(frozen=True)
class NoteFiles:
    markdown: Path
    pdf: Path
    font: Path | None  # the embedded Unicode font, or None for the built-in fallback


# --- what the note says (shared by both formats) -------------------------------------------


def issued_on(view: "DeliveryView") -> date:
    """The note's date: the day it was issued, in the client's time zone."""
    return view.note.issued_at.astimezone(ZoneInfo(view.client.timezone)).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_sentence(view: "DeliveryView") -> str:
    months = view.note.warranty_months
    if not months:
        return "No contractual warranty on this delivery."
    start = issued_on(view)
    word = "month" if months == 1 else "months"
    return f"{months} {word} from {start.isoformat()}, until {add_months(start, months).isoformat()}."


def _client_address(view: "DeliveryView") -> str:
    c = view.client
    town = " ".join(p for p in (c.postcode, c.city) if p)
    return ", ".join(p for p in (c.address, town) if p)


def _contract_line(view: "DeliveryView") -> str:
    if view.contract is None:
        return "None (engagement outside a contract)"
    return f"{view.contract.reference} - {view.contract.title}"


def _waivers(view: "DeliveryView") -> list[tuple[str, str]]:
    d = view.delivery
    named = (("Testing", d.tests_waived_reason), ("Documentation", d.documents_waived_reason))
    return [(what, reason) for what, reason in named if reason]


# --- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def _md(text: object) -> str:
    """User text made literal in Markdown (one line: table cells cannot hold newlines)."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def _code(text: str) -> str:
    """A path or link shown literally: an inline code span, fenced longer than any backticks inside."""
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{' '.join(text.split())}{pad}{fence}"


def note_markdown(view: "DeliveryView") -> str:
    """The delivery note as Markdown."""
    note = view.note
    out = [
        f"# Delivery note {note.number}",
        "",
        "| | |",
        "| --- | --- |",
        f"| Number | {note.number} |",
        f"| Date | {issued_on(view).isoformat()} |",
        f"| Client | {_md(view.client.name)} ({_md(view.client.code)}) |",
        f"| Address | {_md(_client_address(view))} |",
        f"| Contract | {_md(_contract_line(view))} |",
        f"| Project | {_md(view.engagement.title)} |",
        "",
        "## Items delivered",
        "",
        "| # | Description | Quantity | Serial or version |",
        "| ---: | --- | ---: | --- |",
    ]
    for n, item in enumerate(view.items, 1):
        out.append(f"| {n} | {_md(item.description)} | {item.quantity} | {_md(item.serial) or '-'} |")
    out += ["", "## Tests and validation", ""]
    if view.delivery.tests_waived_reason:
        out.append(f"Testing waived: {_md(view.delivery.tests_waived_reason)}")
    for t in view.tests:
        line = f"- {RESULT_WORDS[t.result]}: {_md(t.description)}"
        line += f" ({_md(t.note)})" if t.note else ""
        line += f" - accepted by the client: {_md(t.waived_reason)}" if t.waived_reason else ""
        out.append(line)
    if not view.tests and not view.delivery.tests_waived_reason:
        out.append("No test recorded.")
    out += ["", "## Documentation handed over", ""]
    if view.delivery.documents_waived_reason:
        out.append(f"Documentation waived: {_md(view.delivery.documents_waived_reason)}")
    for doc in view.documents:
        where = f": {_code(doc.location)}" if doc.location else ""
        status = "handed over" if doc.confirmed_at else "to hand over"
        out.append(f"- {_md(doc.title)} ({doc.given_as}{where}) - {status}")
    if not view.documents and not view.delivery.documents_waived_reason:
        out.append("No documentation listed.")
    out += [
        "",
        "## Warranty",
        "",
        warranty_sentence(view),
        "",
        "## Intellectual property",
        "",
        _md(note.ip_statement),
        "",
        "## Acceptance",
        "",
        f"Received and accepted for the client by **{_md(note.signatory)}** on {issued_on(view).isoformat()}.",
        "",
        "Signature:",
        "",
    ]
    return "\n".join(out)


# --- PDF --------------------------------------------------------------------------------------------


def find_unicode_font() -> Path | None:
    """A TrueType font with accents and symbols: MSPTUI_PDF_FONT if it exists, else a known system one."""
    configured = os.environ.get(FONT_ENV)
    candidates = ([configured] if configured else []) + list(FONT_CANDIDATES)
    for candidate in candidates:
        path = Path(candidate).expanduser()
        if path.is_file():
            return path
    return None


_PLAIN = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
          "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u0153": "oe", "\u0152": "OE", "\u20ac": "EUR"}


def printable(text: str, drawable: Callable[[str], bool]) -> str:
    """`text` with every character the font cannot draw replaced by plain letters, or "?"."""
    out = []
    for ch in text:
        if drawable(ch):
            out.append(ch)
            continue
        plain = _PLAIN.get(ch)
        if plain is None:
            # é -> e, ﬁ -> fi: the decomposition without its accents, when there is one.
            decomposed = unicodedata.normalize("NFKD", ch)
            plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(plain if plain and all(drawable(c) for c in plain) else "?")
    return "".join(out)


def _new_pdf(font: Path | None):  # noqa: ANN202
    """An A4 document with its font; (pdf, family, drawable(ch), font used)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    if font is not None:
        try:
            pdf.add_font("Note", "", str(font))
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            pdf.add_font("Note", "B", str(bold if bold.is_file() else font))
            cmap = pdf.fonts["note"].cmap
            return pdf, "Note", (lambda ch: ord(ch) in cmap or ch in "\n\t"), font
        except Exception:  # a damaged or unreadable font file: print with the built-in font instead
            pdf = FPDF(format="A4")
            pdf.set_margins(18, 16, 18)
            pdf.set_auto_page_break(True, margin=18)
    pdf.core_fonts_encoding = "windows-1252"

    def encodable(ch: str) -> bool:
        try:
            ch.encode("windows-1252")
        except UnicodeEncodeError:
            return False
        return True

    return pdf, "Helvetica", encodable, None


def write_note_pdf(view: "DeliveryView", path: Path, font: Path | None) -> Path | None:
    """Write the note as PDF to `path`; returns the embedded font, or None for the built-in one."""
    pdf, family, drawable, used = _new_pdf(font)
    t = lambda text: printable(str(text), drawable)  # noqa: E731
    note = view.note
    pdf.set_title(t(f"Delivery note {note.number}"))
    pdf.set_creator("msptui")
    pdf.add_page()

    pdf.set_font(family, "B", 18)
    pdf.cell(0, 10, t("Delivery note"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 12)
    pdf.cell(0, 7, t(f"No. {note.number}    Date {issued_on(view).isoformat()}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font(family, "", 10)
    with pdf.table(col_widths=(30, 144), first_row_as_headings=False, text_align="LEFT") as table:
        for label, value in (
            ("Client", f"{view.client.name} ({view.client.code})"),
            ("Address", _client_address(view) or "-"),
            ("Contract", _contract_line(view)),
            ("Project", view.engagement.title),
        ):
            row = table.row()
            row.cell(t(label))
            row.cell(t(value))

    _heading(pdf, family, t("Items delivered"))
    with pdf.table(col_widths=(10, 104, 20, 40), text_align=("RIGHT", "LEFT", "RIGHT", "LEFT")) as table:
        row = table.row()
        for heading in ("#", "Description", "Quantity", "Serial or version"):
            row.cell(t(heading))
        for n, item in enumerate(view.items, 1):
            row = table.row()
            for value in (n, item.description, item.quantity, item.serial or "-"):
                row.cell(t(value))

    _heading(pdf, family, t("Tests and validation"))
    lines = [f"Testing waived: {view.delivery.tests_waived_reason}"] if view.delivery.tests_waived_reason else []
    for test in view.tests:
        line = f"{RESULT_WORDS[test.result]}: {test.description}" + (f" ({test.note})" if test.note else "")
        lines.append(line + (f" - accepted by the client: {test.waived_reason}" if test.waived_reason else ""))
    _paragraphs(pdf, lines or ["No test recorded."], t)

    _heading(pdf, family, t("Documentation handed over"))
    lines = [f"Documentation waived: {view.delivery.documents_waived_reason}"] if view.delivery.documents_waived_reason else []
    for doc in view.documents:
        where = f": {doc.location}" if doc.location else ""
        lines.append(f"{doc.title} ({doc.given_as}{where}) - {'handed over' if doc.confirmed_at else 'to hand over'}")
    _paragraphs(pdf, lines or ["No documentation listed."], t)

    _heading(pdf, family, t("Warranty"))
    _paragraphs(pdf, [warranty_sentence(view)], t)
    _heading(pdf, family, t("Intellectual property"))
    _paragraphs(pdf, [note.ip_statement], t)

    _heading(pdf, family, t("Acceptance"))
    _paragraphs(pdf, [f"Received and accepted for the client by {note.signatory} on {issued_on(view).isoformat()}."], t)
    pdf.ln(2)
    pdf.cell(0, 6, t("Signature:"), new_x="LMARGIN", new_y="NEXT")
    pdf.rect(pdf.l_margin, pdf.get_y(), 80, 24)

    tmp = path.with_suffix(".pdf.tmp")
    pdf.output(str(tmp))
    os.replace(tmp, path)
    return used


def _heading(pdf, family: str, text: str) -> None:  # noqa: ANN001
    pdf.ln(4)
    pdf.set_font(family, "B", 12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)


def _paragraphs(pdf, lines: list[str], t: Callable[[str], str]) -> None:  # noqa: ANN001
    for line in lines:
        pdf.multi_cell(0, 5, t(line), new_x="LMARGIN", new_y="NEXT")


# --- writing both files -------------------------------------------------------------------------------


def note_files(exports: Path, number: str) -> tuple[Path, Path]:
    folder = exports / NOTES_FOLDER
    return folder / f"{number}.md", folder / f"{number}.pdf"


def export_note(engine: "Engine", exports: Path, delivery_id: int) -> NoteFiles:
    """Write the delivery's note as Markdown and PDF into `exports`/delivery-notes.

    Refused (RefusedError) when the note is not issued yet. Safe to repeat:
    the files are rewritten whole from the database.
    """
    from msptui.store.clients import RefusedError
    from msptui.store.deliveries import get_delivery

    view = get_delivery(engine, delivery_id)
    if view.note is None:
        raise RefusedError("The delivery note is not issued yet: issue it first (with the client's signatory).")
    markdown, pdf = note_files(exports, view.note.number)
    markdown.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = markdown.with_suffix(".md.tmp")
    tmp.write_text(note_markdown(view), encoding="utf-8")
    os.replace(tmp, markdown)
    font = write_note_pdf(view, pdf, find_unicode_font())
    return NoteFiles(markdown=markdown, pdf=pdf, font=font)
