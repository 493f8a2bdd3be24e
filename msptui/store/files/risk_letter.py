"""The risk letter: the written statement of risks and consequences, as a one-page letter for the client.

When a project is accepted at the client's request, against the technician's
own judgement, the codes of conduct ask for the risks and consequences in
writing, given to the client. This writes that statement as a letter
(Markdown and PDF) with the provider's identity at the top, ready to hand
over; recording that it was given is a separate step (the engagement's g).

Files go to exports/letters, 0600 in 0700 folders, named from the
engagement's id and a slug of its title (one safe path component), and are
rewritten whole from the database on every export, in the client's language.
fpdf2 is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from msptui.core.i18n import N_, _, document_language

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from msptui.core.rules.provider import ProviderIdentity

LETTERS_FOLDER = "letters"
NO_IDENTITY = N_("Set the provider's identity first (Settings): the letter carries it at the top.")
NOT_AT_REQUEST = N_(
    "The check in force is not an acceptance at the client's request: there is no statement of risks to give."
)


@dataclass(frozen=True)
class RiskLetter:
    """Everything the letter says, read in one transaction; its words in the client's language."""

    provider: ProviderIdentity
    client_name: str
    client_address: str
    title: str
    technologies: tuple[str, ...]
    checked_on: date
    gaps: str  # "II (equivalent projects: no) and III (know-how for the business: partly)"
    statement: str
    dated: date  # the client's today
    given: str  # "Given to … on … by …", or "" while not recorded
    language: str = "en"  # the client's: the letter is written in it


@dataclass(frozen=True)
class LetterFiles:
    markdown: Path
    pdf: Path


def risk_letter(engine: Engine, engagement_id: int, now: datetime) -> RiskLetter:
    """What the letter says; RefusedError when there is nothing to write or no identity to sign with."""
    from msptui.core import formats
    from msptui.core.rules import Answer, CompetenceAnswers, Decision, DisclosureMeans
    from msptui.store import db
    from msptui.store.clients import RefusedError
    from msptui.store.engagement_records import check_in_force, disclosures
    from msptui.store.models import Client, Engagement, saved_id
    from msptui.store.provider import provider_identity

    with db.read(engine) as s:
        engagement = s.get(Engagement, engagement_id)
        if engagement is None:
            raise RefusedError(_("This engagement no longer exists."))
        check = check_in_force(s, engagement_id)
        if check is None or check.decision != Decision.accept_against_judgement:
            raise RefusedError(_(NOT_AT_REQUEST))
        client = db.referenced(s, Client, engagement.client_id)
        check_id = saved_id(check)
        told = disclosures(s, [check_id]).get(check_id)
    provider = provider_identity(engine)
    if provider is None:
        raise RefusedError(_(NO_IDENTITY))
    zone = ZoneInfo(client.timezone)
    answers = CompetenceAnswers(Answer(check.familiarity), Answer(check.prior_projects), Answer(check.know_how))
    with document_language(client.language):  # the gaps and the hand-over, as the client reads them
        gaps = [
            _("{numeral} ({question}: {answer})").format(
                numeral=q.numeral, question=q.label, answer=answers.answer_to(q).label.lower()
            )
            for q in answers.gaps
        ]
        given = ""
        if told is not None:
            given = _("Given to {person} on {day} by {means}.").format(
                person=told.disclosed_to,
                day=formats.long_date(told.disclosed_on),
                means=DisclosureMeans(told.disclosed_how).label.lower(),
            )
        gap_words = formats.join_words(gaps)
    town = " ".join(p for p in (client.postcode, client.city) if p)
    return RiskLetter(
        provider=provider,
        client_name=client.name,
        client_address=", ".join(p for p in (client.address, town) if p),
        title=engagement.title,
        technologies=tuple(check.technologies),
        checked_on=check.checked_at.astimezone(zone).date(),
        gaps=gap_words,
        statement=check.risk_statement or "",
        dated=now.astimezone(zone).date(),
        given=given,
        language=client.language,
    )


def _dated(letter: RiskLetter) -> str:
    from msptui.core import formats

    return _("Date: {day}").format(day=formats.long_date(letter.dated))


def _heading_text(title: str) -> str:
    return _("Risks and consequences of the project “{title}”").format(title=title)


def _paragraphs(letter: RiskLetter) -> list[str]:
    from msptui.core import formats

    return [
        _("You asked us to carry out the project “{title}” ({technologies}).").format(
            title=letter.title, technologies=", ".join(letter.technologies)
        ),
        _(
            "Our competence self-check of {day} did not give a clear yes on {gaps}."
            " We accept the project at your request, against our own professional judgement, and set out below,"
            " in writing, its risks and their consequences for you."
        ).format(day=formats.long_date(letter.checked_on), gaps=letter.gaps),
    ]


def letter_markdown(letter: RiskLetter) -> str:
    """The letter as Markdown, in the client's language (`letter.language`)."""
    from msptui.core.rules.provider import provider_lines
    from msptui.store.files.delivery_note import md_text as md

    with document_language(letter.language):
        out = ["  \n".join(md(line) for line in provider_lines(letter.provider)), ""]
        out += [
            f"**{md(letter.client_name)}**" + (f"  \n{md(letter.client_address)}" if letter.client_address else ""),
            "",
        ]
        out += [_dated(letter), ""]
        out += [f"## {_heading_text(md(letter.title))}", ""]
        for paragraph in _paragraphs(letter):
            out += [md(paragraph), ""]
        out += ["### " + _("Risks and consequences"), ""]
        out += ["  \n".join(md(line) for line in letter.statement.splitlines() if line.strip()), ""]
        if letter.given:
            out += [md(letter.given), ""]
        out += [md(letter.provider.trade_name), "", _("Received by (name, date, signature):"), ""]
        return "\n".join(out)


def write_letter_pdf(letter: RiskLetter, path: Path) -> None:
    """Write the letter as a one-page A4 PDF in the client's language (a long statement flows on; nothing is cut)."""
    with document_language(letter.language):
        _write_letter_pdf(letter, path)


def _write_letter_pdf(letter: RiskLetter, path: Path) -> None:
    from fpdf import FPDF

    from msptui.core.rules.provider import provider_lines
    from msptui.store.files.delivery_note import drawable_in, find_unicode_font, printable
    from msptui.store.files.private import write_private

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    family = "Helvetica"  # i18n: not shown (a font's name)
    drawable: Callable[[str], bool] = _cp1252
    font = find_unicode_font()
    if font is not None:
        try:
            pdf.add_font("Letter", "", str(font))  # i18n: not shown
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            pdf.add_font("Letter", "B", str(bold if bold.is_file() else font))  # i18n: not shown
            family, drawable = "Letter", drawable_in(pdf, "Letter")  # i18n: not shown
        except Exception:  # an unreadable font: the built-in one still prints the letter
            pdf = FPDF(format="A4")
            pdf.set_margins(20, 18, 20)
            pdf.set_auto_page_break(True, margin=18)
    if family == "Helvetica":
        pdf.core_fonts_encoding = "windows-1252"

    def t(text: object) -> str:
        return printable(str(text), drawable)

    pdf.set_title(t(_("Risks and consequences: {title}").format(title=letter.title)))
    pdf.set_creator("msptui")
    pdf.add_page()

    pdf.set_font(family, "B", 11)
    lines = provider_lines(letter.provider)
    pdf.cell(0, 5, t(lines[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    for line in lines[1:]:
        pdf.cell(0, 4.5, t(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "B", 10)
    pdf.cell(0, 5, t(letter.client_name), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.set_font(family, "", 10)
    if letter.client_address:
        pdf.cell(0, 5, t(letter.client_address), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(3)
    pdf.cell(0, 5, t(_dated(letter)), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(6)
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 6, t(_heading_text(letter.title)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 10)
    for paragraph in _paragraphs(letter):
        pdf.multi_cell(0, 5, t(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font(family, "B", 10)
    pdf.cell(0, 6, t(_("Risks and consequences")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, t(letter.statement), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if letter.given:
        pdf.multi_cell(0, 5, t(letter.given), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.cell(0, 5, t(letter.provider.trade_name), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 5, t(_("Received by (name, date, signature):")), new_x="LMARGIN", new_y="NEXT")
    pdf.rect(pdf.l_margin, pdf.get_y() + 1, 80, 20)
    write_private(path, bytes(pdf.output()), replace=True)


def _cp1252(ch: str) -> bool:
    try:
        ch.encode("windows-1252")
    except UnicodeEncodeError:
        return False
    return True


def letter_files(exports: Path, engagement_id: int, title: str) -> tuple[Path, Path]:
    from msptui.store.files.engagement_exports import slug

    stem = f"risk-letter-engagement-{engagement_id}-{slug(title)}"
    folder = exports / LETTERS_FOLDER
    return folder / f"{stem}.md", folder / f"{stem}.pdf"


def export_risk_letter(engine: Engine, engagement_id: int, exports: Path, now: datetime) -> LetterFiles:
    """Write the risk letter of the engagement's check in force as Markdown and PDF; returns the paths.

    Refused (RefusedError) when the check in force is not an acceptance at the
    client's request, or while the provider's identity is not set.
    """
    from msptui.store.files.private import write_private

    letter = risk_letter(engine, engagement_id, now)
    markdown, pdf = letter_files(exports, engagement_id, letter.title)
    write_private(markdown, letter_markdown(letter).encode("utf-8"), replace=True)
    write_letter_pdf(letter, pdf)
    return LetterFiles(markdown=markdown, pdf=pdf)
