"""Engagements and competence self-checks, as the store keeps them.

A check is appended, never edited; the app proposes evidence from the
technician's own records; accepting is refused while the client has not been
told of a conflict of interest; the check history exports to Markdown and CSV
without losing a character of what was typed.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from msptui.store import conflicts, engagements, skills
from msptui.store.clients import RefusedError
from msptui.store.files.engagement_exports import export_check_history
from msptui.store.schemas import field_errors
from msptui.store.schemas.engagements import (
    ClientAnswerInput,
    CompetenceCheckInput,
    ConflictCreate,
    DisclosureInput,
    EngagementCreate,
    EngagementUpdate,
    SkillCreate,
)

TRICKY = 'Said "no" | then "yes" 🚀\nsecond line, a \\ backslash; 50 % ; <b>not bold</b>'


def new_engagement(engine, client_id, clock, title="Wi-Fi for the depot", techs="Ubiquiti UniFi, Wi-Fi"):
    return engagements.create_engagement(
        engine, EngagementCreate(client_id=client_id, title=title, technologies=techs), clock.now()
    )


def check(decision="accept", answers=("yes", "yes", "yes"), **kw):
    evidence = kw.pop("evidence", ("UniFi training 2025", "Two depots in 2024", "UWNS certificate"))
    return CompetenceCheckInput(
        familiarity=answers[0],
        familiarity_evidence=evidence[0],
        prior_projects=answers[1],
        prior_projects_evidence=evidence[1],
        know_how=answers[2],
        know_how_evidence=evidence[2],
        decision=decision,
        **kw,
    )


def deliver(engine, engagement_id, now):
    """What the delivery checklist does once the note is signed (see store.deliveries)."""
    from msptui.store import db
    from msptui.store.models import Engagement

    with db.write(engine) as s:
        e = s.get(Engagement, engagement_id)
        e.status, e.delivered_at = "delivered", now


@pytest.fixture
def boul(engine, sample):
    return sample["BOUL"]


# --- engagements ---------------------------------------------------------------------------


def test_technologies_are_typed_once_whatever_their_case_and_spacing(engine, boul, clock):
    eid = new_engagement(engine, boul, clock, techs=" Microsoft 365 , intune, microsoft  365,, Intune ")
    detail = engagements.engagement_detail(engine, eid)
    assert detail.engagement.technologies == ["Microsoft 365", "intune"]
    assert detail.engagement.status == "proposed"


def test_an_engagement_needs_a_technology_to_be_checked_against(engine, boul):
    with pytest.raises(ValidationError) as err:
        EngagementCreate(client_id=boul, title="Audit", technologies=" , ")
    assert "technologies" in field_errors(err.value)


def test_a_contract_of_another_client_is_refused(engine, sample, clock):
    from msptui.store.contracts import client_contracts

    other = client_contracts(engine, sample["DENT"])[0].id
    with pytest.raises(Exception) as err:
        engagements.create_engagement(
            engine,
            EngagementCreate(client_id=sample["BOUL"], title="X", technologies="Veeam", contract_id=other),
            clock.now(),
        )
    assert getattr(err.value, "field", None) == "contract_id"


# --- checks are append-only ------------------------------------------------------------------


def test_a_new_check_supersedes_the_old_one_which_stays_as_it_was(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    first = engagements.record_check(
        engine, eid, check("decline", ("yes", "no", "partly"), evidence=("a", "", "")), clock.now()
    )
    clock.advance(timedelta(days=2))
    second = engagements.record_check(engine, eid, check("accept"), clock.now())

    history = engagements.check_history(engine, eid)
    assert [c.id for c in history] == [second, first]  # the one in force first
    assert history[1].decision == "decline" and history[1].prior_projects == "no"
    assert history[1].checked_at == clock.now() - timedelta(days=2)
    assert engagements.engagement_detail(engine, eid).engagement.status == "accepted"


@pytest.mark.parametrize(
    "statement", ["UPDATE competence_check SET decision = 'accept'", "DELETE FROM competence_check"]
)
def test_the_database_refuses_to_edit_or_delete_a_check(engine, boul, clock, statement):
    eid = new_engagement(engine, boul, clock)
    engagements.record_check(engine, eid, check("decline", ("no", "no", "no"), evidence=("", "", "")), clock.now())
    with pytest.raises((IntegrityError, OperationalError), match="append-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    assert engagements.check_history(engine, eid)[0].decision == "decline"


def test_the_check_keeps_the_technologies_it_was_run_on(engine, boul, clock):
    eid = new_engagement(engine, boul, clock, techs="Veeam")
    engagements.record_check(engine, eid, check("accept"), clock.now())
    engagements.update_engagement(
        engine, eid, EngagementUpdate(title="Backups", technologies="Veeam, OVHcloud"), clock.now()
    )
    assert engagements.check_history(engine, eid)[0].technologies == ["Veeam"]


# --- deciding ----------------------------------------------------------------------------------


TOLD = dict(disclosed_to="Sophie Martin", disclosed_on="2026-11-23", disclosed_how="email")


def test_accepting_with_a_partner_makes_it_a_third_party_disclosed_to_the_client(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    cid = engagements.record_check(
        engine,
        eid,
        check(
            "accept_with_partner",
            ("yes", "partly", "yes"),
            partner_name="Réseaux Pro SARL",
            partner_competence="Site surveys of large depots",
            risk_statement="ignored: not against my judgement",
            **TOLD,
        ),
        clock.now(),
    )
    c = engagements.check_history(engine, eid)[0]
    assert (c.partner_name, c.risk_statement) == ("Réseaux Pro SARL", None)
    detail = engagements.engagement_detail(engine, eid)
    assert detail.engagement.status == "accepted_with_partner"
    [partner] = detail.partners
    assert (partner.name, partner.competence, partner.check_id) == (
        "Réseaux Pro SARL",
        "Site surveys of large depots",
        cid,
    )
    assert partner.disclosure_text == "disclosed to Sophie Martin on 2026-11-23 by e-mail"
    assert not detail.disclosure_missing and detail.problem is None


def test_a_partner_without_its_competence_or_the_disclosure_is_refused_and_nothing_is_written(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    with pytest.raises(ValidationError) as err:
        engagements.record_check(
            engine, eid, check("accept_with_partner", ("yes", "partly", "yes"), partner_name=""), clock.now()
        )
    assert field_errors(err.value) == {
        "partner_name": "Name the external partner who brings the missing competence.",
        "partner_competence": "Say which competence the partner brings.",
        "disclosed_to": "Name the person at the client who was told.",
        "disclosed_on": "Give the day the client was told (YYYY-MM-DD).",
        "disclosed_how": "Say how the client was told: e-mail, phone, meeting or letter.",
    }
    assert engagements.check_history(engine, eid) == []
    detail = engagements.engagement_detail(engine, eid)
    assert (detail.engagement.status, detail.partners) == ("proposed", [])


def test_the_client_cannot_have_been_told_on_a_day_still_to_come(engine, boul, clock):
    # The clock says 2026-11-23 in Paris.
    eid = new_engagement(engine, boul, clock)
    statement = "No reference on this access point model: coverage could fall short on the docks."
    with pytest.raises(ValidationError) as err:
        engagements.record_check(
            engine,
            eid,
            check(
                "accept_against_judgement",
                ("yes", "no", "partly"),
                risk_statement=statement,
                **{**TOLD, "disclosed_on": "2026-11-25"},
            ),
            clock.now(),
        )
    assert field_errors(err.value) == {
        "disclosed_on": "The client cannot have been told on 2026-11-25: that day is still to come."
    }
    assert engagements.check_history(engine, eid) == []


def test_accepting_against_judgement_is_accepted_at_the_clients_request_with_the_risks_given(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    statement = "No reference on this access point model: coverage could fall short on the docks."
    cid = engagements.record_check(
        engine,
        eid,
        check("accept_against_judgement", ("yes", "no", "partly"), risk_statement=statement, **TOLD),
        clock.now(),
    )
    c = engagements.check_history(engine, eid)[0]
    assert (c.decision, c.risk_statement, c.partner_name) == ("accept_against_judgement", statement, None)
    detail = engagements.engagement_detail(engine, eid)
    assert detail.engagement.status == "accepted_at_client_request"
    told = detail.disclosures[cid]
    assert (told.disclosed_to, told.disclosed_on, told.disclosed_how) == ("Sophie Martin", date(2026, 11, 23), "email")
    assert detail.partners == []


def test_three_no_can_only_be_declined_or_taken_with_a_partner(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    statement = "Never touched it: the whole project could fail and cost the client its depot."
    with pytest.raises(ValidationError) as err:
        engagements.record_check(
            engine,
            eid,
            check(
                "accept_against_judgement", ("no", "no", "no"), evidence=("", "", ""), risk_statement=statement, **TOLD
            ),
            clock.now(),
        )
    assert field_errors(err.value) == {
        "decision": (
            "You answered no to all three questions: accepting at the client's request is not open."
            " Accept with a declared external partner who brings the competence, or decline."
        )
    }
    assert engagements.check_history(engine, eid) == []
    engagements.record_check(
        engine,
        eid,
        check(
            "accept_with_partner",
            ("no", "no", "no"),
            evidence=("", "", ""),
            partner_name="Réseaux Pro",
            partner_competence="All of it",
            **TOLD,
        ),
        clock.now(),
    )
    assert engagements.engagement_detail(engine, eid).engagement.status == "accepted_with_partner"


def test_a_yes_without_evidence_is_a_claim_not_a_demonstration():
    with pytest.raises(ValidationError) as err:
        check("accept", evidence=("", "Two depots", ""))
    assert set(field_errors(err.value)) == {"familiarity_evidence", "know_how_evidence"}


# --- conflicts of interest block acceptance ------------------------------------------------------


def test_accepting_is_refused_while_a_conflict_is_undisclosed_and_declining_is_not(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    conflicts.register_conflict(
        engine,
        ConflictCreate(client_id=boul, kind="vendor_incentive", description="8 % commission from the distributor"),
        clock.now(),
    )
    with pytest.raises(ValidationError) as err:
        engagements.record_check(engine, eid, check("accept"), clock.now())
    assert "not disclosed" in field_errors(err.value)["conflicts"]
    assert engagements.check_history(engine, eid) == []

    engagements.record_check(engine, eid, check("decline"), clock.now())
    assert engagements.engagement_detail(engine, eid).engagement.status == "declined"


def test_a_conflict_of_another_client_does_not_block(engine, sample, clock):
    eid = new_engagement(engine, sample["BOUL"], clock)
    conflicts.register_conflict(
        engine, ConflictCreate(client_id=sample["DENT"], kind="financial_interest", description="Shares"), clock.now()
    )
    engagements.record_check(engine, eid, check("accept"), clock.now())


def test_disclose_then_answer_then_accept(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    cid = conflicts.register_conflict(
        engine,
        ConflictCreate(client_id=boul, kind="personal_relationship", description="The manager is my cousin"),
        clock.now(),
    )
    clock.advance(timedelta(hours=2))
    conflicts.disclose(
        engine, cid, DisclosureInput(disclosed_at=clock.now(), to_whom="Sophie Martin", how="Meeting"), clock.now()
    )
    with pytest.raises(ValidationError) as err:  # the client's answer is still owed
        engagements.record_check(engine, eid, check("accept"), clock.now())
    assert "awaiting the client's answer" in field_errors(err.value)["conflicts"]

    conflicts.record_answer(engine, cid, ClientAnswerInput(answer="accepted"), clock.now())
    engagements.record_check(engine, eid, check("accept"), clock.now())
    assert engagements.engagement_detail(engine, eid).engagement.status == "accepted"


def test_a_refused_bribe_does_not_block_acceptance(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    conflicts.register_conflict(
        engine,
        ConflictCreate(client_id=boul, kind="gift_or_bribe", description="A weekend offered by a vendor"),
        clock.now(),
    )
    engagements.record_check(engine, eid, check("accept"), clock.now())


# --- evidence proposals ---------------------------------------------------------------------------


def test_evidence_is_proposed_from_delivered_projects_skills_and_earlier_checks(engine, sample, clock):
    # A delivered engagement sharing a technology (written in another case), and one not delivered.
    done = new_engagement(engine, sample["DENT"], clock, title="Depot Wi-Fi at Lefèvre", techs="ubiquiti unifi")
    engagements.record_check(
        engine, done, check("accept", evidence=("UWNS", "Shop Wi-Fi 2024", "UWNS cert")), clock.now()
    )
    deliver(engine, done, clock.now())
    new_engagement(engine, sample["GDUP"], clock, title="Garage Wi-Fi, still proposed", techs="Ubiquiti UniFi")
    new_engagement(engine, sample["SCHM"], clock, title="Unrelated", techs="Veeam")
    skills.add_skill(
        engine, SkillCreate(technology="Wi-Fi", evidence="certification", title="CWNA", obtained_on=date(2025, 1, 5))
    )
    skills.add_skill(
        engine, SkillCreate(technology="wi-fi", evidence="project", title="Campus survey", obtained_on=date(2023, 4, 1))
    )
    skills.add_skill(
        engine, SkillCreate(technology="Veeam", evidence="certification", title="VMCE", obtained_on=date(2024, 1, 1))
    )

    eid = new_engagement(engine, sample["BOUL"], clock, techs="Ubiquiti UniFi, Wi-Fi")
    p = engagements.propose_evidence(engine, eid)

    prior = p.text("prior_projects")
    assert "Delivered “Depot Wi-Fi at Lefèvre” for Cabinet Dentaire Lefèvre" in prior
    assert "still proposed" not in prior and "Unrelated" not in prior
    assert "Campus survey" in prior  # a project recorded in the skills register
    assert "Shop Wi-Fi 2024" in prior  # what the earlier check said
    assert "CWNA" in p.text("familiarity") and "CWNA" in p.text("know_how")
    assert "Campus survey" not in p.text("know_how")  # a project is not a certification
    assert "VMCE" not in p.text("familiarity")


def test_the_check_in_force_is_proposed_first_and_not_repeated(engine, boul, clock):
    skills.add_skill(
        engine, SkillCreate(technology="Wi-Fi", evidence="training", title="Wi-Fi basics", obtained_on=date(2025, 1, 5))
    )
    eid = new_engagement(engine, boul, clock)
    first = engagements.propose_evidence(engine, eid).text("familiarity")
    engagements.record_check(engine, eid, check("accept", evidence=(first, "x", "y")), clock.now())
    again = engagements.propose_evidence(engine, eid)
    assert again.lines("familiarity") == (first,)


def test_nothing_is_proposed_when_the_records_know_nothing(engine, boul, clock):
    eid = new_engagement(engine, boul, clock, techs="COBOL")
    p = engagements.propose_evidence(engine, eid)
    assert (p.text("familiarity"), p.text("prior_projects"), p.text("know_how")) == ("", "", "")


# --- status changes ---------------------------------------------------------------------------------


def test_acceptance_goes_through_a_check_never_a_bare_status_change(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    with pytest.raises(RefusedError, match="competence check"):
        engagements.set_status(engine, eid, "accepted", clock.now())
    with pytest.raises(RefusedError, match="cannot go from"):
        engagements.set_status(engine, eid, "in_progress", clock.now())


def test_once_the_work_starts_a_check_confirms_it_and_delivery_is_the_checklists(engine, boul, clock):
    eid = new_engagement(engine, boul, clock)
    engagements.record_check(engine, eid, check("accept"), clock.now())
    engagements.set_status(engine, eid, "in_progress", clock.now())
    with pytest.raises(RefusedError) as err:
        engagements.record_check(engine, eid, check("decline"), clock.now())
    assert str(err.value) == (
        "The work has started: a new check can confirm it, not decline it. To stop, cancel the engagement (t)."
    )
    assert len(engagements.check_history(engine, eid)) == 1
    engagements.record_check(engine, eid, check("accept"), clock.now())
    assert engagements.engagement_detail(engine, eid).engagement.status == "in_progress"
    with pytest.raises(RefusedError, match="delivery checklist"):
        engagements.set_status(engine, eid, "delivered", clock.now())
    engagements.set_status(engine, eid, "cancelled", clock.now())
    e = engagements.engagement_detail(engine, eid).engagement
    assert (e.status, e.cancelled_at) == ("cancelled", clock.now())
    assert engagements.next_statuses(e.status) == ()
    with pytest.raises(RefusedError, match="before the work starts"):
        engagements.record_check(engine, eid, check("accept"), clock.now())


def test_the_sample_has_an_engagement_per_decision(engine, sample):
    decisions = {r.last_decision for r in engagements.list_engagements(engine)}
    assert decisions == {None, "accept", "accept_with_partner", "accept_against_judgement", "decline"}


# --- export of the check history -----------------------------------------------------------------------


def md_cells(line: str) -> list[str]:
    """Split a Markdown table row on unescaped pipes and undo the export's escaping."""
    cells, cell, i = [], "", 0
    body = line.strip()[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cell += body[i + 1]
            i += 2
            continue
        if ch == "|":
            cells.append(cell)
            cell = ""
        else:
            cell += ch
        i += 1
    cells.append(cell)
    return [c.strip().replace("<br>", "\n") for c in cells]


def test_check_history_exports_as_markdown_and_csv_with_user_text_intact(engine, paths, boul, clock):
    eid = new_engagement(engine, boul, clock, title='Wi-Fi | "dock" 🚀')
    engagements.record_check(
        engine, eid, check("decline", ("partly", "no", "no"), evidence=(TRICKY, "", "")), clock.now()
    )
    clock.advance(timedelta(days=1))
    engagements.record_check(
        engine,
        eid,
        check(
            "accept_against_judgement",
            ("yes", "partly", "yes"),
            evidence=("a", "b", "c"),
            risk_statement=TRICKY,
            disclosed_to="Sophie Martin",
            disclosed_on="2026-11-24",
            disclosed_how="letter",
        ),
        clock.now(),
    )
    md_path, csv_path = export_check_history(engine, eid, paths.exports, clock.now())

    assert md_path.parent == paths.exports and csv_path.parent == paths.exports
    assert re.fullmatch(rf"engagement-{eid}-wi-fi-dock-checks-2026-11-24\.md", md_path.name)
    assert md_path.stat().st_mode & 0o077 == 0

    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, first, second = rows
    assert len(rows) == 3 and len(first) == len(header)
    assert first[header.index("In force")] == "superseded" and second[header.index("In force")] == "yes"
    assert first[header.index("I. Evidence")] == TRICKY
    assert second[header.index("Risk statement")] == TRICKY
    assert second[header.index("Engagement")] == 'Wi-Fi | "dock" 🚀'

    markdown = md_path.read_text(encoding="utf-8")
    values = {}
    for line in markdown.splitlines():
        if line.startswith("| "):
            cells = md_cells(line)
            assert len(cells) == 2, line  # no pipe in user text split a row
            values.setdefault(cells[0], []).append(cells[1])
    assert values["I. Evidence"][0] == TRICKY
    assert values["Risk statement"][1] == TRICKY
    assert "## Check 2 (in force)" in markdown and "## Check 1 (superseded)" in markdown
