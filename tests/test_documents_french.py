"""Every document a client receives is written in the client's language, whatever the interface speaks.

The sample clients have French addresses, so their documents are French; a client set to English
gets English ones. Dates, amounts and durations are written as each language writes them
("lundi 23 novembre 2026", "1 234,50 €"), and the PDF font draws the spaces French numbers use.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from msptui.core import i18n
from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.files import delivery_note as dn
from msptui.store.models import Client
from msptui.store.schemas.deliveries import ItemCreate, NoteIssue
from tests.billing_fixtures import MONTH, october_work, set_rate
from tests.delivery_fixtures import make_engagement, passed_test, provide

NNBSP, NBSP = "\u202f", "\u00a0"
FRENCH_AMOUNT = f"1{NNBSP}234,50{NBSP}€"  # as Babel writes 1234.50 EUR in French


def speaks(engine, client_id: int, language: str) -> None:
    """Set the language the client's documents are written in (the client form's choice)."""
    with db.write(engine) as s:
        s.get(Client, client_id).language = language


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def issue_note(engine, client_id: int, clock) -> int:
    provide(engine)
    delivery = d.open_delivery(engine, make_engagement(engine, client_id, clock.now(), title="Caisse"), clock.now())
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="Terminal de caisse", serial="TC-1"))
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    return delivery


# --- the delivery note ------------------------------------------------------------------------------------


def test_a_french_clients_delivery_note_is_a_bon_de_livraison(engine, sample, clock, paths):
    delivery = issue_note(engine, sample["BOUL"], clock)
    files = dn.export_note(engine, paths.exports, delivery)
    text = " ".join(pdf_text(files.pdf).split())
    assert "Bon de livraison" in text and "N° BL-2026-0001" in text
    assert "lundi 23 novembre 2026" in text  # the day it was issued, as French writes it
    assert "Reçu et accepté pour le client" in text and "Sophie Martin, le lundi 23 novembre 2026." in text
    for english in ("Delivery note", "Items delivered", "Received and accepted", "Monday"):
        assert english not in text
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith("# Bon de livraison BL-2026-0001\n")
    assert "| Date | lundi 23 novembre 2026 |" in markdown and "## Éléments livrés" in markdown


def test_an_english_clients_note_is_english_while_the_interface_is_french(engine, sample, clock, paths, french):
    speaks(engine, sample["BOUL"], "en")
    delivery = issue_note(engine, sample["BOUL"], clock)
    text = " ".join(pdf_text(dn.export_note(engine, paths.exports, delivery).pdf).split())
    assert "Delivery note" in text and "Monday 23 November 2026" in text
    assert "Sophie Martin, on Monday 23 November 2026." in text
    assert "Bon de livraison" not in text and "lundi" not in text
    # The document never changed the interface: the technician still reads French.
    assert i18n.current_language() == "fr" and i18n._("Delivery note") == "Bon de livraison"


def test_a_french_clients_note_is_french_while_the_interface_is_english(engine, sample, clock, paths):
    delivery = issue_note(engine, sample["BOUL"], clock)
    markdown = dn.export_note(engine, paths.exports, delivery).markdown.read_text(encoding="utf-8")
    assert markdown.startswith("# Bon de livraison") and "Reçu et accepté pour le client" in markdown
    assert i18n.current_language() == "en" and i18n._("Delivery note") == "Delivery note"


def test_an_issued_note_keeps_its_language_when_the_client_changes_theirs(engine, sample, clock, paths):
    """What was issued never changes: a French note stays French, its frozen sentences with it."""
    delivery = issue_note(engine, sample["BOUL"], clock)
    before = dn.export_note(engine, paths.exports, delivery).markdown.read_bytes()
    speaks(engine, sample["BOUL"], "en")
    assert dn.export_note(engine, paths.exports, delivery).markdown.read_bytes() == before


def test_a_note_issued_before_msptui_spoke_french_prints_in_english(engine, sample, clock):
    delivery = issue_note(engine, sample["BOUL"], clock)
    from msptui.store.delivery_notes import note_in_force

    content = dict(note_in_force(engine, delivery).content)
    content.pop("language")  # as every note issued before issue 19 was frozen
    assert dn.note_markdown(content).startswith("# Delivery note BL-2026-0001")


# --- money, numbers and the PDF font ---------------------------------------------------------------------


@pytest.fixture
def october(engine, sample, clock):
    provide(engine)
    ids = october_work(engine, sample, clock)
    set_rate(engine, ids["contract"], "1234.50")
    return ids


def test_the_statement_writes_french_money_and_numbers(engine, october, clock, paths):
    from msptui.store.files.statement import export_statement

    files = export_statement(engine, paths.exports, october["client"], MONTH, clock.now())
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith("# Relevé d'activité\n")
    assert "**Brouillon" in markdown and "octobre 2026" in markdown
    assert FRENCH_AMOUNT in markdown  # the hourly rate on each priced line
    assert re.search(r"Total TTC\u00a0: [\d\u202f]+,\d\d\u00a0€", markdown)
    # The evening's 2 h 30: 1 h 30 within the contract's hours and 1 h out of them, as French writes hours.
    assert (
        "| 5 oct. 2026 | \\#14 Caisse enregistreuse en panne - Remplacement du disque de la caisse | 1 h 30 | 1 h |"
        in markdown
    )

    rows = list(csv.reader(io.StringIO(files.csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Relevé", "Code client", "Client"] and "Taux" in header and "Majoration" in header
    rates = {r[header.index("Taux")] for r in rows[1:]}
    assert rates == {"1234,50"}  # a French spreadsheet reads it as a number: no thousands space
    assert rows[1][0] == "brouillon"


def test_the_english_statement_writes_english_money(engine, october, clock, paths):
    from msptui.store.files.statement import export_statement

    speaks(engine, october["client"], "en")
    files = export_statement(engine, paths.exports, october["client"], MONTH, clock.now())
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith("# Statement of activity\n") and "€1,234.50" in markdown
    rows = list(csv.reader(io.StringIO(files.csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert {r[rows[0].index("Rate")] for r in rows[1:]} == {"1234.50"}


@pytest.mark.skipif(dn.find_unicode_font() is None, reason="no Unicode TrueType font on this machine")
def test_the_pdf_font_draws_the_spaces_and_the_euro_of_french_amounts(engine, october, clock, paths):
    from msptui.store.files.statement import export_statement

    files = export_statement(engine, paths.exports, october["client"], MONTH, clock.now())
    assert files.font is not None
    text = pdf_text(files.pdf)
    assert "?" not in text  # no character the font lacked
    # The narrow no-break space of "1 234,50" is drawn with the font's own glyph; the text
    # extractor gives the no-break space before "€" back as a plain space.
    assert FRENCH_AMOUNT.replace(NBSP, " ") in text.replace(NBSP, " ")


def test_without_a_unicode_font_french_amounts_still_print_with_the_euro(
    engine, october, clock, paths, monkeypatch, tmp_path
):
    from msptui.store.files.statement import export_statement

    monkeypatch.setattr(dn, "FONT_CANDIDATES", ())
    monkeypatch.setenv(dn.FONT_ENV, str(tmp_path / "missing.ttf"))
    files = export_statement(engine, paths.exports, october["client"], MONTH, clock.now())
    assert files.font is None
    text = unicodedata.normalize("NFKC", pdf_text(files.pdf))
    # Helvetica has no narrow no-break space: it prints as a space; € is in its Windows-1252 set.
    assert "1 234,50 €" in text.replace(NBSP, " ")
    assert "?" not in text


def test_closing_a_french_clients_month_from_an_english_interface_freezes_it_in_french(engine, october, clock, paths):
    from msptui.store.files.statement import export_statement
    from msptui.store.reads.statement import close_statement, statement

    close_statement(engine, october["client"], MONTH, clock.now())
    speaks(engine, october["client"], "en")  # a later change of the client's language
    st = statement(engine, october["client"], MONTH, clock.now())
    assert st.language == "fr"  # closed in French: its frozen sentences are French
    markdown = export_statement(engine, paths.exports, october["client"], MONTH, clock.now()).markdown
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Relevé d'activité RA-2026-0001") and "période close le lundi 23 novembre 2026" in text


# --- the other documents ---------------------------------------------------------------------------------


def test_the_service_report_of_a_french_client_is_a_rapport_de_service(engine, october, clock, paths):
    from msptui.store.files.service_report import export_service_report

    files = export_service_report(engine, paths.exports, october["client"], MONTH, clock.now(), ["md", "csv"])
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith("# Rapport de service, octobre 2026\n")
    assert (
        "## Le mois en bref" in markdown
        and "Temps passé\u00a0: 3 h 30, dont 2 h 30 inclus dans le contrat et 1 h à facturer." in markdown
    )
    rows = list(csv.reader(io.StringIO(files.csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Code client", "Mois", "Rubrique", "Élément"]


def test_the_handover_pack_of_a_french_client_reads_in_french_and_its_json_stays_data(engine, sample, clock, paths):
    import json

    from msptui.store.files.handover import write_handover_pack

    provide(engine)
    pack = write_handover_pack(engine, paths.exports, sample["DENT"], clock.now())
    text = pack.markdown.read_text(encoding="utf-8")
    assert text.startswith("# Dossier de remise\u00a0: Cabinet Dentaire Lefèvre (DENT)\n")
    assert "## Tickets ouverts" in text and "Traitements RGPD" in text and "Non-sollicitation\u00a0:" in text
    assert json.loads(pack.json.read_text(encoding="utf-8"))["client"]["language"] == "fr"


def test_a_refusal_is_said_in_the_technicians_language_not_the_clients(engine, october, clock, paths, french):
    from msptui.store.clients import RefusedError
    from msptui.store.files.service_report import export_service_report

    speaks(engine, october["client"], "en")
    with pytest.raises(RefusedError, match="n'est pas un mois"):
        export_service_report(engine, paths.exports, october["client"], "2026-13", clock.now(), ["md"])
    i18n.set_interface_language("en")
    speaks(engine, october["client"], "fr")
    with pytest.raises(RefusedError, match="is not a month"):
        export_service_report(engine, paths.exports, october["client"], "2026-13", clock.now(), ["md"])


def test_a_french_clients_breach_notice_is_french(engine, october, clock, paths):
    from datetime import timedelta

    from msptui.store import breaches as B
    from msptui.store.files.breach_notice import export_breach

    discovered = clock.now() - timedelta(hours=30)
    breach = B.record_breach(
        engine,
        B.DataBreachCreate(
            client_id=october["client"],
            contract_id=october["contract"],
            discovered_at=discovered,
            description="Ordinateur portable perdu",
        ),
        clock.now(),
    )
    text = export_breach(engine, paths.exports, breach).markdown.read_text(encoding="utf-8")
    assert text.startswith("# Notification de violation de données à caractère personnel\n")
    assert (
        "| Délai de notification | 48 heures après la découverte\u00a0: au plus tard le mar. 24 nov. 2026, 04:00"
        in text
    )
    assert "| Client notifié | pas encore |" in text and "Personal data" not in text


def test_a_french_clients_risk_letter_is_french(engine, sample, clock, paths):
    from msptui.store import engagements
    from msptui.store.files.risk_letter import export_risk_letter
    from tests.test_engagements import TOLD, check, new_engagement

    provide(engine)
    eid = new_engagement(engine, sample["BOUL"], clock, title="Caisse")
    engagements.record_check(
        engine,
        eid,
        check(
            "accept_against_judgement",
            ("yes", "no", "partly"),
            risk_statement="Sans référence sur ce modèle, les ventes peuvent s'arrêter.",
            **TOLD,
        ),
        clock.now(),
    )
    text = export_risk_letter(engine, eid, paths.exports, clock.now()).markdown.read_text(encoding="utf-8")
    assert "Le lundi 23 novembre 2026" in text
    assert "## Risques et conséquences du projet «\u00a0Caisse\u00a0»" in text
    assert "Remise à Sophie Martin le lundi 23 novembre 2026 par e-mail." in text
    assert "Reçu par (nom, date, signature)\u00a0:" in text


def test_the_technicians_own_registers_follow_the_interface(engine, sample, clock, paths, french):
    from msptui.store.files.engagement_exports import export_conflicts

    md_path, csv_path = export_conflicts(engine, paths.exports, clock.now())
    assert md_path.read_text(encoding="utf-8").startswith("# Registre des conflits d'intérêts\n")
    header = next(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert header[:3] == ["Client", "Code", "Projet"]
