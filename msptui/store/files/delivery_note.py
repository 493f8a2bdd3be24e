"""The delivery note as the client reads it: Markdown and PDF files in the exports folder.

Both are rendered from the note's content frozen at issue (`DeliveryNote.content`,
see `msptui.store.delivery_notes`) and from nothing else, so they read the same
byte for byte whenever they are written again. A voided note prints VOID in
large letters, the date and the reason. Files are named after the note's number
(exports/delivery-notes/BL-2026-0001.md and .pdf) and rewritten whole on every
export, so a lost or damaged copy is simply exported again. A note is written in the
language it was issued in (`content["language"]`, the client's then, whatever the
technician's interface speaks); a note issued before msptui spoke French is English.

The PDF embeds a Unicode TrueType font when one is found (MSPTUI_PDF_FONT, or
DejaVu Sans from the usual system folders, e.g. Debian's fonts-dejavu-core),
so French accents and most symbols print as typed (and the no-break spaces of French
numbers, "1 234,50 €": `drawable_in` checks both faces). Without one it falls back
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
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msptui.core.i18n import N_, _, document_language
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
    "/Library/Fonts/Arial Unicode.ttf",  # i18n: not shown
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",  # i18n: not shown
    "C:/Windows/Fonts/arial.ttf",
)
ITEM_HEADER = ("#", N_("Description"), N_("Quantity"), N_("Serial or version"))


@dataclass(frozen=True)
class NoteFiles:
    markdown: Path
    pdf: Path
    font: Path | None  # the embedded Unicode font, or None for the built-in fallback


# --- what the note says (shared by both formats) -------------------------------------------


def note_language(content: dict[str, Any]) -> str:
    """The language the note was issued in: its frozen sentences (results, warranty, waivers)
    are in it, so its labels are too. A note issued before msptui spoke French is English."""
    return str(content.get("language") or "en")


def _day(iso: str) -> str:
    """A date of the note ("2026-11-23") as the note's language writes it ("Monday 23 November 2026")."""
    from msptui.core import formats

    return formats.long_date(date.fromisoformat(iso))


def void_lines(void: dict[str, str] | None) -> list[str]:
    """What a voided note says under its VOID stamp (nothing for a note in force)."""
    if not void:
        return []
    return [
        _("This delivery note was voided on {day}: {reason}").format(
            day=_day(void["voided_on"]), reason=" ".join(void["reason"].split())
        ),
        _("Its number stays used and is never given to another note."),
    ]


def _provider_lines(content: dict[str, Any]) -> list[str]:
    return content.get("provider") or [
        _("Provider's identity not recorded on this note (issued before it was asked for).")
    ]


def _test_line(t: dict[str, Any]) -> str:
    line = _("{result}: {test}").format(result=t["result"], test=t["description"])
    line += f" ({t['note']})" if t["note"] else ""
    return line + (f" - {t['waiver']}" if t["waiver"] else "")


def _given_as(value: str) -> str:
    """How a document was given ("printed"), in the note's language; an unknown stored word as it is."""
    from msptui.core.vocabulary import GivenAs

    try:
        return GivenAs(value).label.lower()
    except ValueError:
        return value


def _document_line(doc: dict[str, Any], title: str, location: str) -> str:
    """'Manuel (printed: at the desk) - handed over'; `title` and `location` as the format prints them."""
    how = _("{given_as}: {location}").format(given_as=_given_as(doc["given_as"]), location=location)
    how = how if location else _given_as(doc["given_as"])
    if doc["handed_over"]:
        return _("{document} ({how}) - handed over").format(document=title, how=how)
    return _("{document} ({how}) - to hand over").format(document=title, how=how)


def _partner_line(p: dict[str, Any]) -> str:
    name, competence = p.get("name"), p.get("competence")
    if name and competence:
        line = _("{partner}: {competence}").format(partner=name, competence=competence)
    else:
        line = str(name or competence or "")
    return f"{line} ({p['disclosure']})" if p.get("disclosure") else line


def _change_line(c: dict[str, Any]) -> str:
    return " - ".join(str(v) for v in (c.get("what"), c.get("why"), c.get("agreed")) if v)


def _signed(signatory: str, issued_on: str) -> str:
    return _("{signatory}, on {day}.").format(signatory=signatory, day=_day(issued_on))


def _acceptance(content: dict[str, Any]) -> tuple[str, str]:
    # "Received and accepted" is printed only above the name of the person who signs.
    return _("Received and accepted for the client:"), _signed(content["signatory"], content["issued_on"])


def _waived(part: str, waiver: str) -> str:
    if part == "tests":
        return _("Testing waived. {waiver}").format(waiver=waiver)
    return _("Documentation waived. {waiver}").format(waiver=waiver)


# --- Markdown -----------------------------------------------------------------------------------


def md_text(text: object) -> str:
    """Text made literal in Markdown on one line (`core.markdown_text.md_literal` keeps no-break spaces)."""
    from msptui.core.markdown_text import md_literal

    return "" if text is None else md_literal(str(text))


def _md(text: object) -> str:
    """User text made literal in Markdown (one line: table cells cannot hold newlines)."""
    return md_text(text)


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
    """The delivery note as Markdown, from its frozen content and in its language; VOID on top when `void` is given."""
    with document_language(note_language(content)):
        return _note_markdown(content, void)


def _note_markdown(content: dict[str, Any], void: dict[str, str] | None) -> str:
    number = content["number"]
    out: list[str] = []
    if void:
        out += ["# " + _("VOID"), ""]
        for line in void_lines(void):
            out += [f"**{_md(line)}**", ""]
    out += ["# " + _("Delivery note {number}").format(number=number), ""]
    out += [f"{_md(line)}  " for line in _provider_lines(content)]
    client = content["client"]
    rows = [
        (_("Number"), number),
        (_("Date"), _day(content["issued_on"])),
        (_("Client"), f"{_md(client['name'])} ({_md(client['code'])})"),
        (_("Address"), _md(client["address"])),
        (_("Contract"), _md(content["contract"])),
        (_("Project"), _md(content["project"])),
    ]
    if content.get("replaces"):
        rows.append((_("Replaces"), _("{number} (void)").format(number=content["replaces"])))
    out += ["", "| | |", "| --- | --- |", *(f"| {label} | {value} |" for label, value in rows)]
    out += [
        "",
        "## " + _("Items delivered"),
        "",
        "| # | " + " | ".join(_(h) for h in ITEM_HEADER[1:]) + " |",
        "| ---: | --- | ---: | --- |",
    ]
    for n, item in enumerate(content["items"], 1):
        out.append(f"| {n} | {_md(item['description'])} | {item['quantity']} | {_md(item['serial']) or '-'} |")
    out += ["", "## " + _("Tests and validation"), ""]
    if content["tests_waiver"]:
        out.append(_waived("tests", _md(content["tests_waiver"])))
    out += [f"- {_md(_test_line(t))}" for t in content["tests"]]
    if not content["tests"] and not content["tests_waiver"]:
        out.append(_("No test recorded."))
    out += ["", "## " + _("Documentation handed over"), ""]
    if content["documents_waiver"]:
        out.append(_waived("documents", _md(content["documents_waiver"])))
    for doc in content["documents"]:
        location = _code(doc["location"]) if doc["location"] else ""
        out.append(f"- {_document_line(doc, _md(doc['title']), location)}")
    if not content["documents"] and not content["documents_waiver"]:
        out.append(_("No documentation listed."))
    if content.get("partners"):
        out += ["", "## " + _("External partners"), "", *(f"- {_md(_partner_line(p))}" for p in content["partners"])]
    if content.get("change_requests"):
        out += [
            "",
            "## " + _("Changes agreed with the client"),
            "",
            *(f"- {_md(_change_line(c))}" for c in content["change_requests"]),
        ]
    received, _signed_line = _acceptance(content)
    out += [
        "",
        "## " + _("Warranty"),
        "",
        content["warranty"],
        "",
        "## " + _("Intellectual property"),
        "",
        _md(content["ip_statement"]),
        "",
        "## " + _("Acceptance"),
        "",
        received,
        "",
        _signed(f"**{_md(content['signatory'])}**", content["issued_on"]),
        "",
        _("Signature:"),
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
    rest = len(value) - CELL_LIMIT
    return _("{text}... [{count} more characters: see the Markdown note]").format(text=value[:CELL_LIMIT], count=rest)


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
    """Whether the embedded font `family` has a glyph for a character in every style loaded
    (regular and bold): newline and tab are layout. French numbers need U+00A0 and U+202F
    (the spaces inside "1 234,50 €"); a font without them gets a plain space (`printable`).

    Raises TypeError when `family` is one of the PDF's built-in fonts, which have no glyph map."""
    from fpdf.fonts import TTFFont

    faces = [pdf.fonts[key] for key in (family.lower(), family.lower() + "B") if key in pdf.fonts]
    if not faces or not all(isinstance(face, TTFFont) for face in faces):
        raise TypeError(f"{family} is not an embedded TrueType font")  # i18n: not shown
    cmaps = [face.cmap for face in faces if isinstance(face, TTFFont)]
    return lambda ch: ch in "\n\t" or all(ord(ch) in cmap for cmap in cmaps)


def _new_pdf(font: Path | None) -> tuple[FPDF, str, Callable[[str], bool], Path | None]:
    """An A4 document with its font; (pdf, family, drawable(ch), font used)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    if font is not None:
        try:
            pdf.add_font("Note", "", str(font))  # i18n: not shown
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            pdf.add_font("Note", "B", str(bold if bold.is_file() else font))  # i18n: not shown
            return pdf, "Note", drawable_in(pdf, "Note"), font  # i18n: not shown
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

    return pdf, "Helvetica", encodable, None  # i18n: not shown


def write_note_pdf(
    content: dict[str, Any], path: Path, font: Path | None, void: dict[str, str] | None = None
) -> Path | None:
    """Write the note as PDF to `path` from its frozen content, in its language; returns the embedded font, or None.

    The creation date is the note's own date, so writing it again gives the same text and metadata.
    """
    with document_language(note_language(content)):
        return _write_note_pdf(content, path, font, void)


def _write_note_pdf(content: dict[str, Any], path: Path, font: Path | None, void: dict[str, str] | None) -> Path | None:
    pdf, family, drawable, used = _new_pdf(font)

    def t(text: object) -> str:
        return printable(str(text), drawable)

    number = content["number"]
    title = _("Delivery note {number}").format(number=number)
    pdf.set_title(t(_("VOID - {title}").format(title=title) if void else title))
    pdf.set_creator("msptui")
    pdf.set_creation_date(datetime.combine(datetime.fromisoformat(content["issued_on"]).date(), time(12), UTC))
    pdf.add_page()

    if void:
        pdf.set_text_color(200, 0, 0)
        pdf.set_font(family, "B", 72)
        pdf.cell(0, 28, t(_("VOID")), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "B", 11)
        _paragraphs(pdf, void_lines(void), t)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)

    pdf.set_font(family, "B", 18)
    pdf.cell(0, 10, t(_("Delivery note")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 12)
    heading = _("No. {number}    Date {day}").format(number=number, day=_day(content["issued_on"]))
    pdf.cell(0, 7, t(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    _paragraphs(pdf, _provider_lines(content), t)
    pdf.ln(3)

    pdf.set_font(family, "", 10)
    rows = [
        (_("Client"), f"{content['client']['name']} ({content['client']['code']})"),
        (_("Address"), content["client"]["address"] or "-"),
        (_("Contract"), content["contract"]),
        (_("Project"), content["project"]),
    ]
    if content.get("replaces"):
        rows.append((_("Replaces"), _("{number} (void)").format(number=content["replaces"])))
    with pdf.table(col_widths=(30, 144), first_row_as_headings=False, text_align="LEFT") as table:
        for label, value in rows:
            row = table.row()
            row.cell(t(label))
            row.cell(t(_cell(value)))

    _heading(pdf, family, t(_("Items delivered")))
    with pdf.table(col_widths=(10, 104, 20, 40), text_align=("RIGHT", "LEFT", "RIGHT", "LEFT")) as table:
        row = table.row()
        for heading in ITEM_HEADER:
            row.cell(t(_(heading) if heading != "#" else heading))
        for n, item in enumerate(content["items"], 1):
            row = table.row()
            for value in (n, item["description"], item["quantity"], item["serial"] or "-"):
                row.cell(t(_cell(value)))

    _heading(pdf, family, t(_("Tests and validation")))
    lines = [_waived("tests", content["tests_waiver"])] if content["tests_waiver"] else []
    lines += [_test_line(test) for test in content["tests"]]
    _paragraphs(pdf, lines or [_("No test recorded.")], t)

    _heading(pdf, family, t(_("Documentation handed over")))
    lines = [_waived("documents", content["documents_waiver"])] if content["documents_waiver"] else []
    lines += [_document_line(doc, doc["title"], doc["location"]) for doc in content["documents"]]
    _paragraphs(pdf, lines or [_("No documentation listed.")], t)

    if content.get("partners"):
        _heading(pdf, family, t(_("External partners")))
        _paragraphs(pdf, [_partner_line(p) for p in content["partners"]], t)
    if content.get("change_requests"):
        _heading(pdf, family, t(_("Changes agreed with the client")))
        _paragraphs(pdf, [_change_line(c) for c in content["change_requests"]], t)

    _heading(pdf, family, t(_("Warranty")))
    _paragraphs(pdf, [content["warranty"]], t)
    _heading(pdf, family, t(_("Intellectual property")))
    _paragraphs(pdf, [content["ip_statement"]], t)

    _heading(pdf, family, t(_("Acceptance")))
    received, signed = _acceptance(content)
    _paragraphs(pdf, [received], t)
    pdf.set_font(family, "B", 10)
    _paragraphs(pdf, [signed], t)
    pdf.set_font(family, "", 10)
    pdf.ln(2)
    pdf.cell(0, 6, t(_("Signature:")), new_x="LMARGIN", new_y="NEXT")
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
