"""What an engagement's decision rests on: partners, telling the client, stale checks,
change requests, evidence that proves something, the risk letter, and the migration
that carries older decisions over. Each refusal is asserted word for word, with
nothing written.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from msptui.store import db, engagements
from msptui.store.clients import RefusedError
from msptui.store.engagement_records import (
    change_requests,
    engagement_partners,
    record_disclosure,
    require_current_check,
)
from msptui.store.schemas import field_errors
from msptui.store.schemas.engagements import ChangeAgreement, CheckDisclosureInput, EngagementUpdate
from tests.test_engagements import TOLD, check, deliver, new_engagement

STATEMENT = "No reference on this till model: sales could stop on the day of the switch."


@pytest.fixture
def boul(engine, sample):
    return sample["BOUL"]


def at_request(engine, eid, clock, **told):
    return engagements.record_check(
        engine,
        eid,
        check("accept_against_judgement", ("yes", "no", "partly"), risk_statement=STATEMENT, **told),
        clock.now(),
    )


def update(engine, eid, clock, agreement=None, **changes):
    e = engagements.engagement_detail(engine, eid).engagement
    terms = dict(
        title=e.title,
        description=e.description,
        technologies=e.technologies,
        price=e.price,
        start_date=e.start_date,
        end_date=e.end_date,
    )
    return engagements.update_engagement(engine, eid, EngagementUpdate(**{**terms, **changes}), clock.now(), agreement)


# --- starting and delivering need a current check ------------------------------------------------


def test_new_technologies_make_the_check_stale_until_a_new_check(engine, boul, clock):
    eid = new_engagement(engine, boul, clock, techs="Veeam")
    engagements.record_check(engine, eid, check("accept"), clock.now())
    update(engine, eid, clock, technologies="Veeam, OVHcloud")  # no change request: not a term of the deal

    stale = (
        "The technologies changed since the check in force (made on Veeam; now Veeam, OVHcloud): run a new check (c)"
    )
    assert engagements.engagement_detail(engine, eid).problem == stale
    with pytest.raises(RefusedError) as err:
        engagements.set_status(engine, eid, "in_progress", clock.now())
    assert str(err.value) == stale + " before starting the work."
    with db.write(engine) as s, pytest.raises(RefusedError) as err:
        require_current_check(s, eid)
    assert str(err.value) == stale + " before delivering."
    assert engagements.engagement_detail(engine, eid).engagement.status == "accepted"

    engagements.record_check(engine, eid, check("accept"), clock.now())
    with db.write(engine) as s:
        require_current_check(s, eid)
    engagements.set_status(engine, eid, "in_progress", clock.now())


def test_work_started_on_a_stale_check_is_delivered_only_after_a_new_one(engine, boul, clock):
    eid = new_engagement(engine, boul, clock, techs="Veeam")
    engagements.record_check(engine, eid, check("accept"), clock.now())
    engagements.set_status(engine, eid, "in_progress", clock.now())
    update(engine, eid, clock, technologies="Veeam, Wasabi")
    with db.read(engine) as s, pytest.raises(RefusedError, match="before delivering"):
        require_current_check(s, eid)
    engagements.record_check(engine, eid, check("accept"), clock.now())
    with db.read(engine) as s:
        require_current_check(s, eid)
    assert engagements.engagement_detail(engine, eid).engagement.status == "in_progress"


def test_delivering_without_any_check_is_refused(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    with db.read(engine) as s, pytest.raises(RefusedError) as err:
        require_current_check(s, eid)
    assert str(err.value) == "No competence check has been made on this engagement: run one (c) before delivering."


# --- telling the client, recorded later -------------------------------------------------------------


def test_a_disclosure_recorded_later_points_at_the_check_and_is_never_replaced(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    cid = at_request(engine, eid, clock, **TOLD)
    with pytest.raises(RefusedError) as err:
        record_disclosure(engine, cid, CheckDisclosureInput(**TOLD), clock.now())
    assert str(err.value) == "Telling the client is already recorded for this check: it stays as it was."
    assert len(engagements.engagement_detail(engine, eid).disclosures) == 1


def test_a_decision_that_tells_the_client_nothing_has_no_disclosure(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    cid = engagements.record_check(engine, eid, check("accept"), clock.now())
    with pytest.raises(RefusedError) as err:
        record_disclosure(engine, cid, CheckDisclosureInput(**TOLD), clock.now())
    assert str(err.value) == "This check's decision needs nothing told to the client."
    assert engagements.engagement_detail(engine, eid).disclosures == {}


def test_an_incomplete_disclosure_names_each_missing_part_and_writes_nothing(engine, sample, clock):
    # The sample's till project: accepted at the client's request, the disclosure never recorded.
    e = next(r.engagement for r in engagements.list_engagements(engine) if r.client_code == "BOUL")
    detail = engagements.engagement_detail(engine, e.id)
    assert detail.disclosure_missing
    with pytest.raises(ValidationError) as err:
        record_disclosure(engine, detail.current_check.id, CheckDisclosureInput(disclosed_on="2026-12-01"), clock.now())
    assert field_errors(err.value) == {
        "disclosed_to": "Name the person at the client who was told.",
        "disclosed_on": "The client cannot have been told on 2026-12-01: that day is still to come.",
        "disclosed_how": "Say how the client was told: e-mail, phone, meeting or letter.",
    }
    assert engagements.engagement_detail(engine, e.id).disclosures == {}

    record_disclosure(engine, detail.current_check.id, CheckDisclosureInput(**TOLD), clock.now())
    after = engagements.engagement_detail(engine, e.id)
    assert not after.disclosure_missing and after.problem is None


@pytest.mark.sqlite_only  # drops a trigger: the shared test database would keep it
def test_a_superseded_check_gets_no_late_disclosure(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    old = engagements.record_check(
        engine,
        eid,
        check(
            "accept_with_partner",
            ("yes", "partly", "yes"),
            partner_name="Réseaux Pro",
            partner_competence="Surveys",
            **TOLD,
        ),
        clock.now(),
    )
    with db.write(engine) as s:  # as a check carried over from before the disclosure was asked
        s.execute(text("DROP TRIGGER check_disclosure_no_delete"))
        s.execute(text("DELETE FROM check_disclosure"))
    engagements.record_check(engine, eid, check("accept"), clock.now())
    with pytest.raises(RefusedError) as err:
        record_disclosure(engine, old, CheckDisclosureInput(**TOLD), clock.now())
    assert str(err.value) == (
        "This check was superseded by a newer one: record what the client was told on the check in force."
    )
    assert engagement_partners(engine, eid) == []  # the partner no longer takes part


def accept_with_partner(engine, eid, clock):
    """The check most records here rest on: accepted with Réseaux Pro, the client told."""
    engagements.record_check(
        engine,
        eid,
        check(
            "accept_with_partner",
            ("yes", "partly", "yes"),
            partner_name="Réseaux Pro",
            partner_competence="Surveys",
            **TOLD,
        ),
        clock.now(),
    )


@pytest.mark.parametrize("table", ["engagement_partner", "check_disclosure", "change_request"])
def test_the_records_a_decision_rests_on_cannot_be_edited(engine, boul, clock, table):
    eid = new_engagement(engine, boul, clock)
    accept_with_partner(engine, eid, clock)
    update(
        engine,
        eid,
        clock,
        price="100",
        agreement=ChangeAgreement(
            change_reason="Agreed quote", agreed_by="Sophie Martin", agreed_on="2026-11-20", agreed_how="email"
        ),
    )
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises((IntegrityError, OperationalError), match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))


def test_partners_are_read_inside_the_callers_transaction(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    accept_with_partner(engine, eid, clock)
    with db.read(engine) as s:
        [p] = engagement_partners(s, eid)
    assert (p.name, p.competence, p.disclosed_on) == ("Réseaux Pro", "Surveys", date(2026, 11, 23))


# --- change requests ------------------------------------------------------------------------------------


def test_a_new_price_on_an_accepted_engagement_without_the_clients_agreement_is_refused(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    engagements.record_check(engine, eid, check("accept"), clock.now())
    with pytest.raises(ValidationError) as err:
        update(engine, eid, clock, price="1500", end_date="2026-12-20")
    assert field_errors(err.value) == {
        "change_reason": (
            "Since this engagement was accepted, its price and deadline change only by a change request."
            " Say why, and record the client's agreement (who, when, how)."
        )
    }
    e = engagements.engagement_detail(engine, eid).engagement
    assert (e.price, e.end_date) == (None, None)
    assert change_requests(engine, eid) == []


def test_a_change_request_names_each_missing_part_of_the_agreement(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    engagements.record_check(engine, eid, check("accept"), clock.now())
    with pytest.raises(ValidationError) as err:
        update(engine, eid, clock, description="Two depots", agreement=ChangeAgreement(agreed_on="2026-11-24"))
    assert field_errors(err.value) == {
        "change_reason": "Say why it changes.",
        "agreed_by": "Name the person at the client who agreed to the change.",
        "agreed_on": "The client cannot have agreed on 2026-11-24: that day is still to come.",
        "agreed_how": "Say how the client agreed: e-mail, phone, meeting or letter.",
    }
    assert change_requests(engine, eid) == []


def test_an_agreed_change_is_kept_in_the_history_term_by_term(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    update(engine, eid, clock, price="1200")  # still proposed: the terms are free
    engagements.record_check(engine, eid, check("accept"), clock.now())
    clock.advance(timedelta(days=2))
    agreement = ChangeAgreement(
        change_reason="A second depot", agreed_by="Sophie Martin", agreed_on="2026-11-24", agreed_how="meeting"
    )
    ids = update(engine, eid, clock, description="Depot and annex", price="1 650,50", agreement=agreement)
    history = change_requests(engine, eid)
    assert [c.id for c in history] == ids
    assert [(c.what, c.old_value, c.new_value) for c in history] == [
        ("scope", "", "Depot and annex"),
        ("price", "1200.00 EUR", "1650.50 EUR"),
    ]
    assert {(c.reason, c.agreed_by, c.agreed_on, c.agreed_how, c.recorded_at) for c in history} == {
        ("A second depot", "Sophie Martin", date(2026, 11, 24), "meeting", clock.now())
    }
    assert engagements.engagement_detail(engine, eid).engagement.price == Decimal("1650.50")
    update(engine, eid, clock, title="Depot Wi-Fi, renamed")  # the name is not a term of the deal
    assert len(change_requests(engine, eid)) == 2


# --- evidence for question II ---------------------------------------------------------------------------


def test_a_delivery_whose_tests_were_waived_is_never_proposed_as_an_equivalent_project(engine, sample, clock):
    from msptui.store.models import Delivery, DeliveryTest

    def delivered(code, title, waive):
        eid = new_engagement(engine, sample[code], clock, title=title, techs="Ubiquiti UniFi")
        engagements.record_check(engine, eid, check("accept"), clock.now())
        with db.write(engine) as s:
            delivery = Delivery(
                engagement_id=eid, created_at=clock.now(), tests_waived_reason="No time" if waive == "all" else None
            )
            s.add(delivery)
            s.flush()
            s.add(
                DeliveryTest(
                    delivery_id=delivery.id,
                    description="Roaming",
                    result="failed" if waive == "one" else "passed",
                    waived_reason="Client in a hurry" if waive == "one" else None,
                )
            )
        deliver(engine, eid, clock.now())

    delivered("DENT", "Tested depot", None)
    delivered("GDUP", "Untested garage", "all")
    delivered("PHAC", "Half-tested warehouse", "one")
    eid = new_engagement(engine, sample["BOUL"], clock, techs="Ubiquiti UniFi")
    prior = engagements.propose_evidence(engine, eid).text("prior_projects")
    assert "Delivered “Tested depot”" in prior
    assert "Untested garage" not in prior and "Half-tested warehouse" not in prior


# --- the risk letter ------------------------------------------------------------------------------------------


def test_the_risk_letter_is_for_an_acceptance_at_the_clients_request_only(engine, paths, boul, clock):
    from msptui.store.files.risk_letter import export_risk_letter

    eid = new_engagement(engine, boul, clock)
    engagements.record_check(engine, eid, check("accept"), clock.now())
    with pytest.raises(RefusedError) as err:
        export_risk_letter(engine, eid, paths.exports, clock.now())
    assert str(err.value) == (
        "The check in force is not an acceptance at the client's request: there is no statement of risks to give."
    )


def test_the_risk_letter_asks_for_the_providers_identity_then_carries_it(engine, paths, boul, clock):
    from pypdf import PdfReader

    from msptui.store.files.risk_letter import export_risk_letter
    from tests.delivery_fixtures import PROVIDER, provide

    eid = new_engagement(engine, boul, clock, title="Caisse / tiroir")
    at_request(engine, eid, clock, **TOLD)
    from msptui.store import db
    from msptui.store.models import Client

    with db.write(engine) as s:  # an English letter (a French address gives a French one: test_documents_french.py)
        s.get(Client, boul).language = "en"
    with pytest.raises(RefusedError) as err:
        export_risk_letter(engine, eid, paths.exports, clock.now())
    assert str(err.value) == "Set the provider's identity first (Settings): the letter carries it at the top."
    assert not (paths.exports / "letters").exists()

    provide(engine)
    files = export_risk_letter(engine, eid, paths.exports, clock.now())
    assert files.markdown.name == f"risk-letter-engagement-{eid}-caisse-tiroir.md"
    assert files.markdown.stat().st_mode & 0o777 == 0o600 and files.pdf.stat().st_mode & 0o777 == 0o600
    assert files.markdown.parent.stat().st_mode & 0o777 == 0o700
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith(PROVIDER.trade_name)
    assert STATEMENT in markdown
    assert (
        "did not give a clear yes on II (equivalent projects: no) and III (know-how for the business: partly)"
        in markdown
    )
    assert "Given to Sophie Martin on Monday 23 November 2026 by e-mail." in markdown
    assert "Date: Monday 23 November 2026" in markdown
    reader = PdfReader(str(files.pdf))
    assert len(reader.pages) == 1
    pdf_text = " ".join(reader.pages[0].extract_text().split())
    assert PROVIDER.trade_name in pdf_text and "sales could stop on the day of the switch" in pdf_text


# --- the migration carries older decisions over ------------------------------------------------------------


def _migrate(engine, revision):
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "msptui.store:migrations")
    with engine.connect() as conn:
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def test_migration_0003_turns_decisions_against_judgement_into_the_clients_request_to_complete(tmp_path, clock):
    from msptui.store.db import make_engine, sqlite_url

    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    _migrate(engine, "0002")
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO client (id, name, code, status, address, postcode, city, country, timezone, notes, created_at)
        VALUES (1, 'Boulangerie Martin', 'BOUL', 'active', '', '', 'Nantes', 'FR', 'Europe/Paris', '', '2026-01-05 09:00:00.000000');
        INSERT INTO engagement (id, client_id, title, description, technologies, status, proposed_at) VALUES
            (1, 1, 'Till', 'New till', '["Windows 11"]', 'accepted', '2026-11-01 09:00:00.000000'),
            (2, 1, 'NAS', '', '["Synology DSM"]', 'accepted', '2026-11-01 09:00:00.000000'),
            (3, 1, 'Backups', '', '["Veeam"]', 'accepted_with_partner', '2026-11-01 09:00:00.000000'),
            (4, 1, 'Printers', '', '["PaperCut"]', 'in_progress', '2026-11-01 09:00:00.000000');
        INSERT INTO competence_check (id, engagement_id, checked_at, technologies, familiarity, familiarity_evidence,
            prior_projects, prior_projects_evidence, know_how, know_how_evidence, decision, partner_name,
            partner_disclosed_at, risk_statement) VALUES
            (1, 1, '2026-11-02 09:00:00.000000', '["Windows 11"]', 'yes', 'a', 'no', '', 'partly', 'c',
             'accept_against_judgement', NULL, NULL, 'Sales could stop on the day of the switch.'),
            (2, 2, '2026-11-02 09:00:00.000000', '["Synology DSM"]', 'no', '', 'no', '', 'no', '',
             'accept_against_judgement', NULL, NULL, 'Superseded by a plain acceptance below.'),
            (3, 2, '2026-11-03 09:00:00.000000', '["Synology DSM"]', 'yes', 'a', 'yes', 'b', 'yes', 'c', 'accept', NULL, NULL, NULL),
            (4, 3, '2026-11-02 09:00:00.000000', '["Veeam"]', 'yes', 'a', 'partly', 'b', 'yes', 'c',
             'accept_with_partner', 'Sauvegarde Experts', '2026-11-02 09:00:00.000000', NULL),
            (5, 4, '2026-11-02 09:00:00.000000', '["PaperCut", "HP"]', 'yes', 'a', 'partly', 'b', 'partly', 'c',
             'accept_against_judgement', NULL, NULL, 'Never used PaperCut with these printers.');
    """)
    con.commit()
    con.close()

    _migrate(engine, "0003")
    con = sqlite3.connect(path)
    assert con.execute("SELECT id, status FROM engagement ORDER BY id").fetchall() == [
        (1, "accepted_at_client_request"),
        (2, "accepted"),
        (3, "accepted_with_partner"),
        (4, "in_progress"),
    ]
    assert con.execute("SELECT engagement_id, check_id, name, competence FROM engagement_partner").fetchall() == [
        (3, 4, "Sauvegarde Experts", ""),
    ]
    assert con.execute("SELECT count(*) FROM check_disclosure").fetchone() == (0,)  # never recorded: to complete
    assert con.execute("SELECT count(*), count(price) FROM engagement").fetchone() == (4, 0)
    assert con.execute("SELECT decision, risk_statement FROM competence_check WHERE id = 1").fetchone() == (
        "accept_against_judgement",
        "Sales could stop on the day of the switch.",
    )
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE engagement_partner SET competence = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE competence_check SET decision = 'accept'")
    con.close()

    _migrate(engine, "head")
    till = engagements.engagement_detail(engine, 1)
    assert till.disclosure_missing
    assert till.problem == "Telling the client about the risks and consequences is not recorded: record it (g)"
    [partner] = engagements.engagement_detail(engine, 3).partners
    assert partner.disclosure_text == "disclosure to the client not recorded"
    # Checks made before this revision remember their technologies: the printers' one is stale.
    assert engagements.engagement_detail(engine, 4).problem.startswith(
        "The technologies changed since the check in force"
    )

    record_disclosure(
        engine,
        1,
        CheckDisclosureInput(disclosed_to="Paul Martin", disclosed_on="2026-11-02", disclosed_how="letter"),
        clock.now(),
    )
    assert engagements.engagement_detail(engine, 1).problem is None
    engagements.set_status(engine, 1, "in_progress", clock.now())
