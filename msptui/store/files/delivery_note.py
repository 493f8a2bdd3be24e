"""The delivery note as the client reads it: Markdown and PDF files in the exports folder.

Both are rendered from the note's content frozen at issue (`DeliveryNote.content`,
see `msptui.store.delivery_notes`) and from nothing else, so they read the same
byte for byte whenever they are written again. A voided note prints VOID in
large letters, the date and the reason. Files are named after the note's number
(exports/delivery-notes/BL-2026-0001.md and .pdf) and rewritten whole on every
export, so a lost or damaged copy is simply exported again.

The PDF embeds a Unicode TrueType font when one is found (MSPTUI_PDF_FONT, or
DejaVu Sans from the usual system folders, e.g. Debian's fonts-dejavu-core),
so French accents and most symbols print as typed. Without one it falls back
to the PDF's built-in Helvetica in Windows-1252 (which still has é, è, à, ç,
œ, € and typographic quotes). Either way a character the font cannot draw
(an emoji, say) is printed as its closest plain letters or "?", never a crash.
fpdf2 is imported inside the functions: it is only needed when a note is written.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msptui.core.rules.delivery import add_months  # noqa: F401  (kept where callers found it)

if TYPE_CHECKING:
    from fpdf import FPDF
    from sqlalchemy import Engine

    from msptui.store.delivery_notes import NoteRecord

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


@dataclass(frozen=True)
class NoteFiles:
    markdown: Path
    pdf: Path
    font: Path | None  # the embedded Unicode font, or None for the built-in fallback


# --- what the note says (shared by both formats) -------------------------------------------


def void_lines(void: dict[str, str] | None) -> list[str]:
    """What a voided note says under its VOID stamp (nothing for a note in force)."""
    if not void:
        return []
    return [
        f"This delivery note was voided on {void['voided_on']}: {' '.join(void['reason'].split())}",
        "Its number stays used and is never given to another note.",
    ]


def _provider_lines(content: dict[str, Any]) -> list[str]:
    return content.get("provider") or [
        "Provider's identity not recorded on this note (issued before it was asked for)."
    ]


def _test_line(t: dict[str, Any]) -> str:
    line = f"{t['result']}: {t['description']}" + (f" ({t['note']})" if t["note"] else "")
    return line + (f" - {t['waiver']}" if t["waiver"] else "")


def _document_line(doc: dict[str, Any], where: str) -> str:
    return f"{doc['title']} ({doc['given_as']}{where}) - {'handed over' if doc['handed_over'] else 'to hand over'}"


def _partner_line(p: dict[str, Any]) -> str:
    line = ": ".join(str(v) for v in (p.get("name"), p.get("competence")) if v)
    return f"{line} ({p['disclosure']})" if p.get("disclosure") else line


def _change_line(c: dict[str, Any]) -> str:
    return " - ".join(str(v) for v in (c.get("what"), c.get("why"), c.get("agreed")) if v)


def _acceptance(content: dict[str, Any]) -> tuple[str, str]:
    # "Received and accepted" is printed only above the name of the person who signs.
    return "Received and accepted for the client:", f"{content['signatory']}, on {content['issued_on']}."


# --- Markdown -----------------------------------------------------------------------------------


def _md(text: object) -> str:
    """User text made literal in Markdown (one line: table cells cannot hold newlines)."""
    from msptui.core.markdown_text import md_literal

    return md_literal(text)


def _code(text: str) -> str:
    """A path or link shown literally: an inline code span, fenced longer than any backticks inside."""
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{' '.join(text.split())}{pad}{fence}"


def note_markdown(content: dict[str, Any], void: dict[str, str] | None = None) -> str:
    """The delivery note as Markdown, from its frozen content; VOID on top when `void` is given."""
    number = content["number"]
    out: list[str] = []
    if void:
        out += ["# VOID", ""]
        for line in void_lines(void):
            out += [f"**{_md(line)}**", ""]
    out += [f"# Delivery note {number}", ""]
    out += [f"{_md(line)}  " for line in _provider_lines(content)]
    out += [
        "",
        "| | |",
        "| --- | --- |",
        f"| Number | {number} |",
        f"| Date | {content['issued_on']} |",
        f"| Client | {_md(content['client']['name'])} ({_md(content['client']['code'])}) |",
        f"| Address | {_md(content['client']['address'])} |",
        f"| Contract | {_md(content['contract'])} |",
        f"| Project | {_md(content['project'])} |",
    ]
    if content.get("replaces"):
        out.append(f"| Replaces | {content['replaces']} (void) |")
    out += [
        "",
        "## Items delivered",
        "",
        "| # | Description | Quantity | Serial or version |",
        "| ---: | --- | ---: | --- |",
    ]
    for n, item in enumerate(content["items"], 1):
        out.append(f"| {n} | {_md(item['description'])} | {item['quantity']} | {_md(item['serial']) or '-'} |")
    out += ["", "## Tests and validation", ""]
    if content["tests_waiver"]:
        out.append(f"Testing waived. {_md(content['tests_waiver'])}")
    out += [f"- {_md(_test_line(t))}" for t in content["tests"]]
    if not content["tests"] and not content["tests_waiver"]:
        out.append("No test recorded.")
    out += ["", "## Documentation handed over", ""]
    if content["documents_waiver"]:
        out.append(f"Documentation waived. {_md(content['documents_waiver'])}")
    for doc in content["documents"]:
        where = f": {_code(doc['location'])}" if doc["location"] else ""
        out.append(
            f"- {_md(doc['title'])} ({doc['given_as']}{where}) - {'handed over' if doc['handed_over'] else 'to hand over'}"
        )
    if not content["documents"] and not content["documents_waiver"]:
        out.append("No documentation listed.")
    if content.get("partners"):
        out += ["", "## External partners", "", *(f"- {_md(_partner_line(p))}" for p in content["partners"])]
    if content.get("change_requests"):
        out += [
            "",
            "## Changes agreed with the client",
            "",
            *(f"- {_md(_change_line(c))}" for c in content["change_requests"]),
        ]
    received, _signed = _acceptance(content)
    out += [
        "",
        "## Warranty",
        "",
        content["warranty"],
        "",
        "## Intellectual property",
        "",
        _md(content["ip_statement"]),
        "",
        "## Acceptance",
        "",
        received,
        "",
        f"**{_md(content['signatory'])}**, on {content['issued_on']}.",
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


_PLAIN = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u20ac": "EUR",
}


# A table row taller than a page cannot be drawn (fpdf2 raises): longer cell text is
# cut in the PDF, saying so, and stays whole in the Markdown note.
CELL_LIMIT = 1500


def _cell(text: object) -> str:
    value = str(text)
    if len(value) <= CELL_LIMIT:
        return value
    return f"{value[:CELL_LIMIT]}... [{len(value) - CELL_LIMIT} more characters: see the Markdown note]"


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


def drawable_in(pdf: FPDF, family: str) -> Callable[[str], bool]:
    """Whether the embedded font `family` has a glyph for a character (newline and tab are layout).

    Raises TypeError when `family` is one of the PDF's built-in fonts, which have no glyph map."""
    from fpdf.fonts import TTFFont

    face = pdf.fonts[family.lower()]
    if not isinstance(face, TTFFont):
        raise TypeError(f"{family} is not an embedded TrueType font")
    cmap = face.cmap
    return lambda ch: ord(ch) in cmap or ch in "\n\t"


def _new_pdf(font: Path | None) -> tuple[FPDF, str, Callable[[str], bool], Path | None]:
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
            return pdf, "Note", drawable_in(pdf, "Note"), font
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


def write_note_pdf(
    content: dict[str, Any], path: Path, font: Path | None, void: dict[str, str] | None = None
) -> Path | None:
    """Write the note as PDF to `path` from its frozen content; returns the embedded font, or None.

    The creation date is the note's own date, so writing it again gives the same text and metadata.
    """
    pdf, family, drawable, used = _new_pdf(font)

    def t(text: object) -> str:
        return printable(str(text), drawable)

    number = content["number"]
    pdf.set_title(t(f"{'VOID - ' if void else ''}Delivery note {number}"))
    pdf.set_creator("msptui")
    pdf.set_creation_date(datetime.combine(datetime.fromisoformat(content["issued_on"]).date(), time(12), UTC))
    pdf.add_page()

    if void:
        pdf.set_text_color(200, 0, 0)
        pdf.set_font(family, "B", 72)
        pdf.cell(0, 28, t("VOID"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "B", 11)
        _paragraphs(pdf, void_lines(void), t)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)

    pdf.set_font(family, "B", 18)
    pdf.cell(0, 10, t("Delivery note"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 12)
    pdf.cell(0, 7, t(f"No. {number}    Date {content['issued_on']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    _paragraphs(pdf, _provider_lines(content), t)
    pdf.ln(3)

    pdf.set_font(family, "", 10)
    rows = [
        ("Client", f"{content['client']['name']} ({content['client']['code']})"),
        ("Address", content["client"]["address"] or "-"),
        ("Contract", content["contract"]),
        ("Project", content["project"]),
    ]
    if content.get("replaces"):
        rows.append(("Replaces", f"{content['replaces']} (void)"))
    with pdf.table(col_widths=(30, 144), first_row_as_headings=False, text_align="LEFT") as table:
        for label, value in rows:
            row = table.row()
            row.cell(t(label))
            row.cell(t(_cell(value)))

    _heading(pdf, family, t("Items delivered"))
    with pdf.table(col_widths=(10, 104, 20, 40), text_align=("RIGHT", "LEFT", "RIGHT", "LEFT")) as table:
        row = table.row()
        for heading in ("#", "Description", "Quantity", "Serial or version"):
            row.cell(t(heading))
        for n, item in enumerate(content["items"], 1):
            row = table.row()
            for value in (n, item["description"], item["quantity"], item["serial"] or "-"):
                row.cell(t(_cell(value)))

    _heading(pdf, family, t("Tests and validation"))
    lines = [f"Testing waived. {content['tests_waiver']}"] if content["tests_waiver"] else []
    lines += [_test_line(test) for test in content["tests"]]
    _paragraphs(pdf, lines or ["No test recorded."], t)

    _heading(pdf, family, t("Documentation handed over"))
    lines = [f"Documentation waived. {content['documents_waiver']}"] if content["documents_waiver"] else []
    lines += [_document_line(doc, f": {doc['location']}" if doc["location"] else "") for doc in content["documents"]]
    _paragraphs(pdf, lines or ["No documentation listed."], t)

    if content.get("partners"):
        _heading(pdf, family, t("External partners"))
        _paragraphs(pdf, [_partner_line(p) for p in content["partners"]], t)
    if content.get("change_requests"):
        _heading(pdf, family, t("Changes agreed with the client"))
        _paragraphs(pdf, [_change_line(c) for c in content["change_requests"]], t)

    _heading(pdf, family, t("Warranty"))
    _paragraphs(pdf, [content["warranty"]], t)
    _heading(pdf, family, t("Intellectual property"))
    _paragraphs(pdf, [content["ip_statement"]], t)

    _heading(pdf, family, t("Acceptance"))
    received, signed = _acceptance(content)
    _paragraphs(pdf, [received], t)
    pdf.set_font(family, "B", 10)
    _paragraphs(pdf, [signed], t)
    pdf.set_font(family, "", 10)
    pdf.ln(2)
    pdf.cell(0, 6, t("Signature:"), new_x="LMARGIN", new_y="NEXT")
    pdf.rect(pdf.l_margin, pdf.get_y(), 80, 24)

    from msptui.store.files.private import write_private

    write_private(path, bytes(pdf.output()), replace=True)
    return used


def _heading(pdf: FPDF, family: str, text: str) -> None:
    pdf.ln(4)
    pdf.set_font(family, "B", 12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)


def _paragraphs(pdf: FPDF, lines: list[str], t: Callable[[str], str]) -> None:
    for line in lines:
        pdf.multi_cell(0, 5, t(line), new_x="LMARGIN", new_y="NEXT")


# --- writing both files -------------------------------------------------------------------------------


def note_files(exports: Path, number: str) -> tuple[Path, Path]:
    """Where a note's files go: its number made one safe file-name component (an
    imported number such as "../../x" cannot write outside the notes folder)."""
    from msptui.store.files.private import inside, safe_component

    folder = exports / NOTES_FOLDER
    stem = safe_component(number, fallback="note")
    return inside(folder, f"{stem}.md"), inside(folder, f"{stem}.pdf")


def write_note_files(exports: Path, record: NoteRecord) -> NoteFiles:
    """Write one note (VOID if voided) as Markdown and PDF into `exports`/delivery-notes,
    each 0600 and complete or absent (rewritten whole from the frozen content)."""
    from msptui.store.files.private import write_private

    markdown, pdf = note_files(exports, record.number)
    write_private(markdown, note_markdown(record.content, record.void).encode("utf-8"), replace=True)
    font = write_note_pdf(record.content, pdf, find_unicode_font(), record.void)
    return NoteFiles(markdown=markdown, pdf=pdf, font=font)


def export_note(engine: Engine, exports: Path, delivery_id: int) -> NoteFiles:
    """Write the delivery's note in force as Markdown and PDF into `exports`/delivery-notes.

    Refused (RefusedError) when no note is in force. Safe to repeat: the files
    are rewritten whole from the frozen content, identical each time.
    """
    from msptui.store.delivery_notes import note_in_force

    return write_note_files(exports, note_in_force(engine, delivery_id))


def export_note_by_id(engine: Engine, exports: Path, note_id: int) -> NoteFiles:
    """Write any note, voided or not (a voided one prints VOID)."""
    from msptui.store.delivery_notes import read_note

    return write_note_files(exports, read_note(engine, note_id))
