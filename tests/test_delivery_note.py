"""The delivery note files: what a client reads in the Markdown and in the PDF."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from msptui.store import deliveries as d
from msptui.store.clients import RefusedError
from msptui.store.delivery_notes import note_in_force
from msptui.store.files import delivery_note as dn
from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, NoteIssue, TestLineCreate, Waiver
from tests.delivery_fixtures import make_engagement, passed_test, provide


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def english(engine, client_id: int) -> None:
    """The client reads English documents (a French address gives French ones: tests/test_documents_french.py)."""
    from msptui.store import db
    from msptui.store.models import Client

    with db.write(engine) as s:
        s.get(Client, client_id).language = "en"


@pytest.fixture
def issued(engine, sample, clock):
    """A delivery at the dental practice with two items, tests and documents, its note issued in English."""
    provide(engine)
    english(engine, sample["DENT"])
    delivery = d.open_delivery(
        engine, make_engagement(engine, sample["DENT"], clock.now(), title="Radiologie numérique"), clock.now()
    )
    passed = d.add_test(engine, delivery, TestLineCreate(description="Acquisition d'un cliché", note="capteur n°2"))
    d.set_test_result(engine, passed, "passed")
    failed = d.add_test(engine, delivery, TestLineCreate(description="Export vers le PACS"))
    d.set_test_result(engine, failed, "failed")
    d.waive_test(engine, failed, Waiver(reason="PACS de l'éditeur livré en janvier"))
    d.add_item(engine, delivery, ItemCreate(description="Capteur RVG 6200", quantity=2, serial="SN-88412"))
    d.add_item(engine, delivery, ItemCreate(description="Logiciel d'imagerie", serial="v4.2.1"))
    doc = d.add_document(
        engine, delivery, DocumentCreate(title="Manuel utilisateur", given_as="printed", location="remis à l'accueil")
    )
    d.toggle_document(engine, doc, clock.now())
    d.issue_note(engine, delivery, NoteIssue(signatory="Dr Paul Lefèvre"), clock.now())
    return delivery


def test_the_pdf_text_carries_the_number_client_items_and_signatory(engine, paths, issued):
    files = dn.export_note(engine, paths.exports, issued)
    assert files.pdf == paths.exports / "delivery-notes" / "BL-2026-0001.pdf"
    text = pdf_text(files.pdf)
    for expected in ("BL-2026-0001", "Capteur RVG 6200", "SN-88412", "Logiciel d", "v4.2.1", "Manuel utilisateur"):
        assert expected in text
    # Accents survive whichever font was used (a Unicode one when installed, Helvetica otherwise).
    assert "Cabinet Dentaire Lefèvre" in text
    assert "Dr Paul Lefèvre" in text
    assert "12 months from 23 Nov 2026, until 23 Nov 2027." in text
    assert "No. BL-2026-0001    Date Monday 23 November 2026" in text
    assert "Dr Paul Lefèvre, on Monday 23 November 2026." in text


def test_without_a_unicode_font_the_builtin_one_still_prints_french_and_survives_emoji(
    engine, paths, issued, monkeypatch, tmp_path
):
    monkeypatch.setattr(dn, "FONT_CANDIDATES", ())
    monkeypatch.setenv(dn.FONT_ENV, str(tmp_path / "missing.ttf"))
    content = note_in_force(engine, issued).content
    content["items"][0]["description"] = "Borne Wi-Fi 📶 « cœur » – 10 €"
    out = tmp_path / "note.pdf"
    assert dn.write_note_pdf(content, out, dn.find_unicode_font()) is None
    text = pdf_text(out)
    assert "Borne Wi-Fi ? « cœur » – 10 €" in text
    assert "Cabinet Dentaire Lefèvre" in text


def test_a_damaged_font_file_falls_back_to_the_builtin_font(engine, issued, tmp_path):
    broken = tmp_path / "Broken.ttf"
    broken.write_bytes(b"not a font")
    out = tmp_path / "note.pdf"
    assert dn.write_note_pdf(note_in_force(engine, issued).content, out, broken) is None
    assert "BL-2026-0001" in pdf_text(out)


@pytest.mark.skipif(dn.find_unicode_font() is None, reason="no Unicode TrueType font on this machine")
def test_with_a_unicode_font_it_is_embedded_and_emoji_become_a_question_mark(engine, issued, tmp_path):
    content = note_in_force(engine, issued).content
    content["items"][0]["description"] = "Borne Wi-Fi 📶 Œuvre"
    out = tmp_path / "note.pdf"
    assert dn.write_note_pdf(content, out, dn.find_unicode_font()) == dn.find_unicode_font()
    reader = PdfReader(out)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any(
        "/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts.values()
    )
    assert "Borne Wi-Fi ? Œuvre" in pdf_text(out)


def test_the_markdown_note_reads_as_a_delivery_note(engine, paths, issued):
    files = dn.export_note(engine, paths.exports, issued)
    text = files.markdown.read_text(encoding="utf-8")
    assert text.startswith("# Delivery note BL-2026-0001\n")
    assert "| Client | Cabinet Dentaire Lefèvre (DENT) |" in text
    assert "| Contract | MSP-2026-002 - Infogérance et support |" in text
    assert "| 1 | Capteur RVG 6200 | 2 | SN-88412 |" in text
    # The technician waived it alone: the provider's reservation, never "accepted by the client".
    assert "- Failed: Export vers le PACS - Provider's reservation: PACS de l'éditeur livré en janvier" in text
    assert "accepted by the client" not in text.lower().replace("received and accepted for the client:", "")
    assert "- Manuel utilisateur (printed: `remis à l'accueil`) - handed over" in text
    assert "| Date | Monday 23 November 2026 |" in text
    assert "Received and accepted for the client:\n\n**Dr Paul Lefèvre**, on Monday 23 November 2026.\n" in text


def test_user_text_cannot_break_the_markdown(engine, sample, clock, paths):
    provide(engine)
    english(engine, sample["BOIS"])
    delivery = d.open_delivery(engine, make_engagement(engine, sample["BOIS"], clock.now()), clock.now())
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="Câble | 5 m *blindé* [cat6]", serial="A_B"))
    d.issue_note(engine, delivery, NoteIssue(signatory="Thomas Girard"), clock.now())
    text = dn.export_note(engine, paths.exports, delivery).markdown.read_text(encoding="utf-8")
    assert r"| Câble \| 5 m \*blindé\* \[cat6\] | 1 | A\_B |" in text
    assert dn._code("a`b") == "``a`b``" and dn._code(r"\\srv\docs") == r"`\\srv\docs`"
    assert "Atelier Menuiserie Bois & Co" in text


def test_exporting_before_the_note_is_issued_is_refused(engine, sample, clock, paths):
    delivery = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())
    with pytest.raises(RefusedError, match="not issued yet"):
        dn.export_note(engine, paths.exports, delivery)
    assert not (paths.exports / "delivery-notes").exists()


def test_exporting_again_rewrites_the_same_two_files(engine, paths, issued):
    first = dn.export_note(engine, paths.exports, issued)
    first.markdown.write_text("damaged", encoding="utf-8")
    second = dn.export_note(engine, paths.exports, issued)
    assert (second.markdown, second.pdf) == (first.markdown, first.pdf)
    assert second.markdown.read_text(encoding="utf-8").startswith("# Delivery note BL-2026-0001")
    assert sorted(p.name for p in (paths.exports / "delivery-notes").iterdir()) == [
        "BL-2026-0001.md",
        "BL-2026-0001.pdf",
    ]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=0, max_value=240))
def test_a_warranty_ends_the_same_day_months_later_or_that_months_last_day(start, months):
    end = dn.add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    last_day_of_month = (end + timedelta(days=1)).month != end.month
    assert end.day == start.day or (end.day < start.day and last_day_of_month)
