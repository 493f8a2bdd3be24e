"""The board's "coming due" band, read in one go: recurring tasks inside their lead time,
renewals, warranty ends of what was delivered, the technician's certifications and unnotified
breaches, soonest first, minus what is snoozed; and marking each kind done."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from msptui.core.rules.coming_due import DueState, state
from msptui.store import breaches as B
from msptui.store import db
from msptui.store import recurring as R
from msptui.store import renewals as RN
from msptui.store import tickets as T
from msptui.store.clients import RefusedError
from msptui.store.coming_due import SnoozeCreate, mark_done, snooze
from msptui.store.models import Contract, Delivery, DeliveryItem, DeliveryNote, Engagement, Skill
from msptui.store.reads.coming_due import coming_due
from msptui.store.schemas import FieldError, field_errors
from tests.test_tickets import MONDAY_10, PARIS, make_contract, paris


@pytest.fixture
def acme(engine):
    return make_contract(engine)


def at(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=PARIS)


def restore_test(acme) -> R.RecurringTaskCreate:
    return R.RecurringTaskCreate(
        client_id=acme[0],
        contract_id=acme[1],
        title="Monthly restore test",
        schedule={"kind": "months", "day_of_month": 1},
        first_on=date(2026, 12, 1),
        at_time="10:00",
        lead_days=3,
    )


def delivered(engine, acme, on: datetime, items: list[str], note_months: int | None = None) -> int:
    """A delivery of an engagement of the contract, delivered `on`, with a note saying its warranty."""
    with db.write(engine) as s:
        engagement = Engagement(
            client_id=acme[0], contract_id=acme[1], title="Network upgrade", status="delivered", proposed_at=on
        )
        s.add(engagement)
        s.flush()
        delivery = Delivery(engagement_id=engagement.id, created_at=on, delivered_at=on, signatory="Sophie Martin")
        s.add(delivery)
        s.flush()
        s.add_all(DeliveryItem(delivery_id=delivery.id, description=text) for text in items)
        if note_months is not None:
            s.add(
                DeliveryNote(
                    delivery_id=delivery.id,
                    number=f"BL-{delivery.id}",
                    year=on.year,
                    seq=delivery.id,
                    issued_at=on,
                    signatory="Sophie Martin",
                    warranty_months=note_months,
                )
            )
        return delivery.id


def kinds(items) -> list[tuple[str, int]]:
    return [(i.kind.value, i.ref_id) for i in items]


# --- what shows, and when ---------------------------------------------------------------------------------


def test_a_recurring_task_shows_from_its_lead_time_until_its_ticket_is_made(engine, acme):
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    assert coming_due(engine, at(2026, 11, 28, 9)) == []
    [item] = coming_due(engine, at(2026, 11, 28, 10))  # 3 days before 1 December 10:00
    assert (item.kind, item.ref_id, item.title, item.client) == (
        "recurring",
        task_id,
        "Monthly restore test",
        "Client ACME",
    )
    assert item.due_at == at(2026, 12, 1, 10) and state(item, at(2026, 11, 28, 10)) is DueState.warning
    # Not made yet at its instant (msptui not asked): overdue until it is.
    assert state(item, at(2026, 12, 1, 10)) is DueState.overdue
    R.materialise_due(engine, at(2026, 12, 1, 10))
    assert coming_due(engine, at(2026, 12, 1, 10)) == []
    [january] = coming_due(engine, at(2026, 12, 29, 10))
    assert january.due_at == at(2027, 1, 1, 10)


def test_a_horizon_shows_what_comes_later(engine, acme):
    R.add_task(engine, restore_test(acme), MONDAY_10)
    assert coming_due(engine, MONDAY_10) == []
    assert len(coming_due(engine, MONDAY_10, horizon=timedelta(days=7))) == 1


def test_a_warranty_ends_on_the_delivery_date_plus_the_notes_months_or_else_the_contracts(engine, acme):
    with db.write(engine) as s:
        s.get(Contract, acme[1]).warranty_months = 12
    by_note = delivered(engine, acme, at(2025, 12, 15), ["Switch 24 ports", "NAS"], note_months=24)
    by_contract = delivered(engine, acme, at(2025, 12, 20), ["Firewall"])
    items = {i.ref_id: i for i in coming_due(engine, at(2026, 11, 23)) if i.kind == "warranty"}
    # The contract's 12 months end on 2026-12-20: due 30 days before, shown 14 days before that.
    assert list(items) == [by_contract]
    assert items[by_contract].due_at == at(2026, 11, 20)
    assert items[by_contract].title == "Warranty ends 2026-12-20: Firewall"
    later = {i.ref_id: i for i in coming_due(engine, at(2027, 11, 1)) if i.kind == "warranty"}
    assert list(later) == [by_note] and later[by_note].title == "Warranty ends 2027-12-15: Switch 24 ports, NAS"


def test_a_warranty_long_ended_is_no_longer_shown(engine, acme):
    with db.write(engine) as s:
        s.get(Contract, acme[1]).warranty_months = 12
    delivered(engine, acme, at(2024, 1, 10), ["Old server"])
    assert coming_due(engine, MONDAY_10) == []


def test_the_technicians_certifications_come_due_sixty_days_before_they_expire(engine):
    with db.write(engine) as s:
        s.add(Skill(technology="Azure", evidence="certification", title="AZ-104", obtained_on=date(2025, 1, 10)))
        s.add(
            Skill(
                technology="Azure",
                evidence="certification",
                title="AZ-900",
                obtained_on=date(2024, 1, 10),
                expires_on=date(2027, 1, 20),
            )
        )
    [item] = coming_due(engine, MONDAY_10, technician_tz="Europe/Paris")
    assert (item.kind, item.client, item.due_at) == ("certification", "You", at(2026, 11, 21))
    assert "AZ-900" in item.title and "2027-01-20" in item.title


def test_a_certification_expiry_typed_in_the_skills_register_comes_due(engine):
    import pytest
    from pydantic import ValidationError

    from msptui.store.schemas import field_errors
    from msptui.store.schemas.engagements import SkillCreate
    from msptui.store.skills import add_skill

    typed = {"technology": "Azure", "evidence": "certification", "title": "AZ-900", "obtained_on": "2024-01-10"}
    with pytest.raises(ValidationError) as refused:
        SkillCreate(**typed, expires_on="2023-12-31")
    assert field_errors(refused.value) == {"expires_on": "must be after the day it was obtained"}
    add_skill(engine, SkillCreate(**typed, expires_on=""))  # blank: no expiry, never due
    assert coming_due(engine, MONDAY_10) == []
    add_skill(engine, SkillCreate(**typed | {"title": "AZ-104"}, expires_on="2027-01-20"))
    [item] = coming_due(engine, MONDAY_10, technician_tz="Europe/Paris")
    assert item.kind == "certification" and "AZ-104" in item.title


def test_the_band_is_sorted_by_due_instant_whatever_the_kind(engine, acme):
    R.add_task(engine, restore_test(acme), MONDAY_10)
    renewal = RN.add_renewal(
        engine,
        RN.RenewalCreate(
            client_id=acme[0], what="domain", reference="acme.fr", expires_on=date(2026, 12, 2), notice_days=0
        ),
        MONDAY_10,
    )
    breach = B.record_breach(
        engine,
        B.DataBreachCreate(
            client_id=acme[0], contract_id=acme[1], discovered_at=paris(28, 9), description="Lost laptop"
        ),
        paris(28, 9),
    )
    task_id = R.client_tasks(engine, acme[0])[0].id
    assert kinds(coming_due(engine, paris(29, 10))) == [
        ("breach", breach),
        ("recurring", task_id),
        ("renewal", renewal),
    ]


# --- snooze ------------------------------------------------------------------------------------------------

DUE = at(2026, 12, 1, 10)  # a due instant, for snoozes refused before it matters


def test_a_snoozed_item_comes_back_when_its_snooze_ends_and_the_newest_snooze_wins(engine, acme):
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    now = at(2026, 11, 28, 12)
    due = at(2026, 12, 1, 10)
    put_off = SnoozeCreate(kind="recurring", ref_id=task_id, until=at(2026, 11, 30), reason="client closed")
    snooze(engine, put_off, now, due_at=due)
    assert coming_due(engine, now) == []
    assert kinds(coming_due(engine, at(2026, 11, 30))) == [("recurring", task_id)]
    # Brought back early: a newer snooze that has already run out.
    again = SnoozeCreate(kind="recurring", ref_id=task_id, until=at(2026, 11, 29), reason="asked again")
    snooze(engine, again, now, due_at=due)
    back = SnoozeCreate(kind="recurring", ref_id=task_id, until=now + timedelta(minutes=1), reason="back")
    snooze(engine, back, now, due_at=due)
    assert kinds(coming_due(engine, now + timedelta(minutes=1))) == [("recurring", task_id)]


def test_a_snooze_needs_a_reason_and_a_later_instant(engine, acme):
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    with pytest.raises(ValidationError) as caught:
        SnoozeCreate(kind="recurring", ref_id=task_id, until=at(2026, 11, 30), reason=" ")
    assert "why it can wait" in field_errors(caught.value)["reason"]
    with pytest.raises(FieldError, match="later than now"):
        snooze(
            engine, SnoozeCreate(kind="recurring", ref_id=task_id, until=MONDAY_10, reason="x"), MONDAY_10, due_at=DUE
        )
    with pytest.raises(RefusedError, match="no longer exists"):
        snooze(
            engine, SnoozeCreate(kind="renewal", ref_id=99, until=at(2026, 11, 30), reason="x"), MONDAY_10, due_at=DUE
        )


# --- done ------------------------------------------------------------------------------------------------------


def test_done_a_recurring_task_opens_its_ticket_now_and_its_day_creates_nothing_more(engine, acme):
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    now = at(2026, 11, 29, 10)
    result = mark_done(engine, "recurring", task_id, now)
    assert T.get_ticket(engine, result.new_id).opened_at == now
    assert R.materialise_due(engine, at(2026, 12, 1, 11)) == []
    assert [i.due_at for i in coming_due(engine, at(2026, 12, 29, 10))] == [at(2027, 1, 1, 10)]


def test_done_a_renewal_asks_the_new_expiry_which_comes_due_in_its_turn(engine, acme):
    renewal = RN.add_renewal(
        engine,
        RN.RenewalCreate(client_id=acme[0], what="certificate", reference="*.acme.fr", expires_on=date(2026, 12, 10)),
        MONDAY_10,
    )
    result = mark_done(engine, "renewal", renewal, MONDAY_10, new_expiry=date(2027, 12, 10))
    assert [i.ref_id for i in coming_due(engine, MONDAY_10)] == []
    [item] = coming_due(engine, at(2027, 10, 28))
    assert item.ref_id == result.new_id and item.due_at == at(2027, 11, 10)


def test_done_a_certification_sets_its_new_expiry(engine):
    with db.write(engine) as s:
        skill = Skill(technology="Azure", evidence="certification", title="AZ-900", obtained_on=date(2024, 1, 10))
        skill.expires_on = date(2027, 1, 20)
        s.add(skill)
        s.flush()
        skill_id = skill.id
    mark_done(engine, "certification", skill_id, MONDAY_10, new_expiry=date(2028, 1, 20))
    assert coming_due(engine, MONDAY_10) == []
    with pytest.raises(FieldError, match="after the current expiry"):
        mark_done(engine, "certification", skill_id, MONDAY_10, new_expiry=date(2027, 1, 1))


def test_done_a_breach_needs_the_notification(engine, acme):
    breach = B.record_breach(
        engine, B.DataBreachCreate(client_id=acme[0], discovered_at=paris(23, 9), description="Lost laptop"), MONDAY_10
    )
    with pytest.raises(FieldError, match="how the client was told"):
        mark_done(engine, "breach", breach, MONDAY_10)
    mark_done(
        engine,
        "breach",
        breach,
        MONDAY_10,
        notification=B.BreachNotification(notified_at=MONDAY_10, notified_how="phone call to the manager"),
    )
    assert coming_due(engine, MONDAY_10) == []


def test_done_a_warranty_end_is_acknowledged_for_good_with_what_was_done(engine, acme):
    with db.write(engine) as s:
        s.get(Contract, acme[1]).warranty_months = 12
    delivery = delivered(engine, acme, at(2025, 12, 20), ["Firewall"])
    [item] = coming_due(engine, at(2026, 12, 21))
    mark_done(engine, "warranty", delivery, MONDAY_10, reason="extension offered", due_at=item.due_at)
    assert coming_due(engine, at(2026, 12, 21)) == []
    hidden: list = []
    coming_due(engine, at(2026, 12, 21), snoozed_out=hidden)
    assert hidden == []  # handled for good: not counted as snoozed


# --- the client's service report of the month ---------------------------------------------------------------


def test_the_service_report_lists_the_recurring_tasks_done_and_missed_and_the_breaches_notified(engine, acme):
    from msptui.store.reads.service_report import service_report

    with engine.begin() as conn:  # an English report (a French address gives a French one: test_documents_french.py)
        conn.exec_driver_sql("UPDATE client SET language = 'en' WHERE id = ?", (acme[0],))

    weekly = R.RecurringTaskCreate(
        client_id=acme[0],
        contract_id=acme[1],
        title="Patch review",
        schedule={"kind": "weeks"},
        first_on=date(2026, 11, 2),
    )
    R.add_task(engine, weekly, at(2026, 11, 1))
    made = R.materialise_due(engine, at(2026, 11, 16, 10))  # 2, 9 and 16 November; the 23rd not yet made
    T.resolve(engine, made[0].ticket_id, at(2026, 11, 16, 15))
    T.resolve(engine, made[2].ticket_id, at(2026, 11, 17, 15))
    breach = B.record_breach(
        engine,
        B.DataBreachCreate(
            client_id=acme[0], contract_id=acme[1], discovered_at=paris(20, 9), description="Lost laptop"
        ),
        paris(20, 9),
    )
    B.record_notification(
        engine, breach, B.BreachNotification(notified_at=paris(23, 9), notified_how="email"), paris(23, 9, 30)
    )

    report = service_report(engine, acme[0], "2026-11", at(2026, 11, 30, 12))
    assert [(r.due_on, r.resolved_on) for r in report.recurring_done] == [
        (date(2026, 11, 2), date(2026, 11, 16)),
        (date(2026, 11, 16), date(2026, 11, 17)),
    ]
    assert [(r.due_on, r.ticket_id is None, r.late) for r in report.recurring_missed] == [
        (date(2026, 11, 9), False, True),  # made late (all three were made on the 16th) and still open
        (date(2026, 11, 23), True, True),  # never made: msptui did not run after it was due
        (date(2026, 11, 30), True, True),
    ]
    [told] = report.breaches_notified
    assert (told.breach_id, told.notification_hours, told.within_delay) == (breach, 48, False)  # 72 h after: late
    october = service_report(engine, acme[0], "2026-10", at(2026, 11, 30, 12))
    assert october.recurring_done == october.recurring_missed == october.breaches_notified == ()

    # What the client reads: every task due, done or NOT DONE, and the delay missed, never left out.
    from msptui.store.files.report_coming_due import breach_notice_lines, maintenance_lines
    from msptui.store.files.service_report import report_markdown

    text = report_markdown(report)
    assert "## Preventive maintenance" in text and "## Data breaches notified" in text
    said = maintenance_lines(report)
    assert (
        f"2 Nov 2026: Patch review: done 16 Nov 2026, ticket #{made[0].ticket_id} (its ticket was made late)." in said
    )
    assert "23 Nov 2026: Patch review: NOT DONE (no ticket was made)." in said
    [notice] = breach_notice_lines(report)
    assert notice.startswith(f"Breach {breach}, discovered Fri 20 Nov 2026, 09:00: Lost laptop")
    assert notice.endswith("AFTER the contract's 48h.")
    assert breach_notice_lines(october) == ["No data breach was notified this month."]


def test_a_contract_with_a_recurring_task_is_not_deleted_with_a_database_error(engine, acme):
    import pytest

    from msptui.store.clients import RefusedError
    from msptui.store.contracts import delete_contract

    R.add_task(engine, restore_test(acme), MONDAY_10)
    with pytest.raises(RefusedError, match="1 recurring task still refer to this contract. Archive it instead."):
        delete_contract(engine, acme[1])


# --- a snooze holds for one due instant, runs a year at most, a breach's not past its deadline ---------------


def breach_of(engine, acme, hours: int = 48) -> int:
    with db.write(engine) as s:
        s.get(Contract, acme[1]).breach_notification_hours = hours
    return B.record_breach(
        engine,
        B.DataBreachCreate(
            client_id=acme[0], contract_id=acme[1], discovered_at=paris(23, 9), description="Lost laptop"
        ),
        MONDAY_10,
    )


def test_a_breach_cannot_be_snoozed_past_its_notification_deadline(engine, acme):
    breach = breach_of(engine, acme, hours=24)  # discovered Monday 09:00 Paris: due Tuesday 09:00
    [item] = coming_due(engine, MONDAY_10)
    deadline = paris(24, 9)
    assert item.due_at == deadline
    with pytest.raises(FieldError, match="after the client's notification deadline") as refused:
        snooze(
            engine,
            SnoozeCreate(
                kind="breach", ref_id=breach, until=deadline + timedelta(minutes=1), reason="waiting for the DPO"
            ),
            MONDAY_10,
            due_at=item.due_at,
        )
    assert refused.value.field == "until" and "2026-11-24 08:00 UTC" in refused.value.message
    snooze(
        engine,
        SnoozeCreate(kind="breach", ref_id=breach, until=paris(24, 8), reason="DPO back at 8"),
        MONDAY_10,
        due_at=item.due_at,
    )
    assert coming_due(engine, MONDAY_10) == []
    assert kinds(coming_due(engine, paris(24, 8))) == [("breach", breach)]  # back an hour before it is late


def test_a_snooze_runs_a_year_at_most(engine, acme):
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    too_far = SnoozeCreate(kind="recurring", ref_id=task_id, until=MONDAY_10 + timedelta(days=366), reason="later")
    with pytest.raises(FieldError, match="more than a year ahead"):
        snooze(engine, too_far, MONDAY_10, due_at=DUE)
    a_year = SnoozeCreate(kind="recurring", ref_id=task_id, until=MONDAY_10 + timedelta(days=365), reason="later")
    snooze(engine, a_year, MONDAY_10, due_at=DUE)


def test_a_snooze_does_not_pass_to_a_skill_that_reuses_a_deleted_ones_id(engine):
    from msptui.store.schemas.engagements import SkillCreate
    from msptui.store.skills import add_skill, delete_skill

    def certification(title: str, expires: str) -> int:
        typed = {"technology": "Azure", "evidence": "certification", "title": title, "obtained_on": "2024-01-10"}
        return add_skill(engine, SkillCreate(**typed, expires_on=expires))

    old = certification("AZ-900", "2027-01-20")
    [item] = coming_due(engine, MONDAY_10)
    put_off = SnoozeCreate(kind="certification", ref_id=old, until=at(2027, 1, 5), reason="exam booked")
    snooze(engine, put_off, MONDAY_10, due_at=item.due_at)
    delete_skill(engine, old)
    new = certification("AZ-104", "2027-01-10")
    assert new == old  # SQLite gave the id again
    assert [i.title for i in coming_due(engine, MONDAY_10)] == ["AZ-104 (Azure) expires 2027-01-10"]


def test_a_snooze_does_not_pass_to_a_certifications_next_expiry(engine):
    with db.write(engine) as s:
        skill = Skill(technology="Azure", evidence="certification", title="AZ-900", obtained_on=date(2024, 1, 10))
        skill.expires_on = date(2027, 1, 20)
        s.add(skill)
        s.flush()
        skill_id = skill.id
    [item] = coming_due(engine, MONDAY_10)
    snooze(
        engine,
        SnoozeCreate(
            kind="certification", ref_id=skill_id, until=MONDAY_10 + timedelta(days=365), reason="exam booked"
        ),
        MONDAY_10,
        due_at=item.due_at,
    )
    mark_done(engine, "certification", skill_id, MONDAY_10, new_expiry=date(2027, 3, 1))
    assert kinds(coming_due(engine, at(2026, 12, 15))) == [("certification", skill_id)]  # its new expiry's notice


def test_snoozed_items_are_counted_not_hidden_silently(engine, acme):
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    now = at(2026, 11, 28, 12)
    snooze(
        engine, SnoozeCreate(kind="recurring", ref_id=task_id, until=at(2026, 11, 30), reason="closed"), now, due_at=DUE
    )
    hidden: list = []
    assert coming_due(engine, now, snoozed_out=hidden) == []
    assert kinds(hidden) == [("recurring", task_id)]


# --- dates the app cannot count with ------------------------------------------------------------------


def test_a_renewal_or_certification_dated_near_year_1_or_9999_is_refused_with_a_sentence(acme):
    for expiry in (date(1, 1, 3), date(9999, 12, 30)):
        with pytest.raises(ValidationError) as caught:
            RN.RenewalCreate(client_id=acme[0], what="domain", expires_on=expiry)
        assert field_errors(caught.value)["expires_on"] == "must be between 1900 and 2199"


def test_one_unreadable_date_shows_where_to_fix_it_and_the_rest_of_the_band_still_reads(engine, acme):
    from sqlalchemy import text

    RN.add_renewal(
        engine,
        RN.RenewalCreate(client_id=acme[0], what="domain", expires_on=date(2026, 12, 2), notice_days=0),
        MONDAY_10,
    )
    broken = RN.add_renewal(
        engine, RN.RenewalCreate(client_id=acme[0], what="licence", expires_on=date(2026, 12, 3)), MONDAY_10
    )
    with db.write(engine) as s:  # saved before dates were bounded
        s.execute(text("UPDATE renewal SET expires_on = '0001-01-03' WHERE id = :id"), {"id": broken})
        s.add(
            Skill(
                technology="Azure",
                evidence="certification",
                title="AZ-900",
                obtained_on=date(2024, 1, 10),
                expires_on=date(1, 1, 20),
            )
        )
    items = coming_due(engine, paris(29, 10), technician_tz="Europe/Paris")
    titles = sorted(i.title for i in items)
    assert titles == [
        "Domain, expires 2026-12-02",
        "unreadable date: fix it in the renewals",
        "unreadable date: fix it in the skills register",
    ]
    assert all(state(i, paris(29, 10)) is DueState.overdue for i in items if i.title.startswith("unreadable"))


def test_done_on_the_occurrence_shown_never_opens_the_next_one_if_it_was_made_meanwhile(engine, acme):
    """The band shows "restore test, due 1 Dec 10:00"; at 10:00:30 the minute's read makes it a
    ticket; then the technician presses d on the line still shown: they are told which ticket,
    and January's occurrence is not opened early (review of issue 18)."""
    task_id = R.add_task(engine, restore_test(acme), MONDAY_10)
    [shown] = [i for i in coming_due(engine, at(2026, 11, 30)) if i.kind == "recurring"]
    [made] = R.materialise_due(engine, shown.due_at + timedelta(seconds=30))
    with pytest.raises(RefusedError, match=f"already opened as ticket #{made.ticket_id}"):
        mark_done(engine, "recurring", task_id, shown.due_at + timedelta(seconds=40), due_at=shown.due_at)
    from sqlalchemy import select

    from msptui.store.models import RecurringOccurrence

    with db.read(engine) as s:
        found = s.scalars(select(RecurringOccurrence.due_on).where(RecurringOccurrence.task_id == task_id)).all()
    assert list(found) == [date(2026, 12, 1)]
