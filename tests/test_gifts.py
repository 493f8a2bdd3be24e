"""Gifts and offers in the conflict-of-interest register: what, by whom, when, what the technician did.

Refused is the default; accepting needs the client's written policy named.
The record never changes afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from msptui.core.rules.conflicts import ConflictStatus, GiftAction, validate_gift
from msptui.store import conflicts, db
from msptui.store.clients import RefusedError, create_client
from msptui.store.models import ConflictDisclosure
from msptui.store.schemas import ClientCreate, field_errors
from msptui.store.schemas.conflicts import GiftCreate
from msptui.store.schemas.engagements import ClientAnswerInput, DisclosureInput
from tests.pilot_helpers import settle

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
POLICY_MESSAGE = "Name the client's written policy that allows accepting it; without one, the gift is refused."


@pytest.fixture
def client_id(engine, clock):
    return create_client(engine, ClientCreate(name="Transports Schmitt", code="SCHM"), clock.now())


def gift(client_id, **kw) -> GiftCreate:
    values = {
        "client_id": client_id,
        "offered": "Two tickets for the Stade de France",
        "offered_by": "Luc Marchand, Dell",
    }
    return GiftCreate(**(values | kw))


def count(engine) -> int:
    with db.read(engine) as s:
        return s.scalar(select(func.count()).select_from(ConflictDisclosure))


# --- the rule ---------------------------------------------------------------------------------


def test_a_gift_needs_who_offered_it_and_accepting_needs_the_policy_named():
    assert validate_gift("Luc, Dell", NOW, "refused", "", NOW) == []
    assert validate_gift("Luc, Dell", NOW, "accepted_under_policy", "Gifts policy 2025", NOW) == []
    violations = validate_gift(" ", NOW + timedelta(hours=1), "accepted_under_policy", "  ", NOW)
    assert [(v.field, v.message) for v in violations] == [
        ("offered_by", "Say who offered it (name and company)."),
        ("offered_at", "The offer is dated in the future."),
        ("policy", POLICY_MESSAGE),
    ]


# --- the store --------------------------------------------------------------------------------


def test_a_gift_is_refused_by_default_and_keeps_what_by_whom_and_when(engine, clock, client_id):
    gid = conflicts.record_gift(engine, gift(client_id, offered_at="2026-11-20 18:30"), clock.now())
    row = conflicts.get_conflict(engine, gid)
    c = row.conflict
    assert row.status is ConflictStatus.bribe_refused
    assert (c.kind, c.description, c.offered_by, c.gift_action, c.gift_policy) == (
        "gift_or_bribe",
        "Two tickets for the Stade de France",
        "Luc Marchand, Dell",
        "refused",
        "",
    )
    assert c.offered_at == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # typed in the client's zone
    assert c.closed_at == clock.now()
    assert not row.blocks


def test_a_gift_accepted_under_the_clients_written_policy_names_that_policy(engine, clock, client_id):
    gid = conflicts.record_gift(
        engine,
        gift(client_id, action="accepted_under_policy", policy="Charte cadeaux 2025, art. 3 (under 50 €)"),
        clock.now(),
    )
    row = conflicts.get_conflict(engine, gid)
    assert row.status is ConflictStatus.gift_accepted_under_policy
    assert row.conflict.gift_policy == "Charte cadeaux 2025, art. 3 (under 50 €)"
    assert not row.blocks
    with pytest.raises(
        RefusedError,
        match="^This gift was accepted under the client's written policy: there is no client answer to record.$",
    ):
        conflicts.record_answer(engine, gid, ClientAnswerInput(answer="accepted"), clock.now())


def test_accepting_a_gift_without_the_policy_is_refused_and_nothing_is_written(engine, clock, client_id):
    with pytest.raises(ValidationError) as exc:
        conflicts.record_gift(engine, gift(client_id, action="accepted_under_policy"), clock.now())
    assert field_errors(exc.value) == {"policy": POLICY_MESSAGE}
    assert count(engine) == 0


def test_a_gift_without_who_offered_it_is_refused_and_nothing_is_written(engine, clock, client_id):
    with pytest.raises(ValidationError) as exc:
        conflicts.record_gift(engine, gift(client_id, offered_by=""), clock.now())
    assert field_errors(exc.value) == {"offered_by": "Say who offered it (name and company)."}
    assert count(engine) == 0


def test_a_gift_dated_in_the_future_is_refused_and_nothing_is_written(engine, clock, client_id):
    with pytest.raises(ValidationError) as exc:
        conflicts.record_gift(engine, gift(client_id, offered_at="2026-11-24 10:00"), clock.now())
    assert field_errors(exc.value) == {"offered_at": "The offer is dated in the future."}
    assert count(engine) == 0


def test_a_gift_must_say_what_was_offered(client_id):
    with pytest.raises(ValidationError) as exc:
        gift(client_id, offered=" ")
    assert field_errors(exc.value) == {
        "offered": "is required: the object, service or invitation, and its value if known"
    }


def test_a_refused_gift_may_still_be_told_to_the_client_but_carries_no_answer(engine, clock, client_id):
    gid = conflicts.record_gift(engine, gift(client_id), clock.now())
    told = DisclosureInput(disclosed_at=clock.now(), to_whom="Marc Schmitt", how="E-mail")
    conflicts.disclose(engine, gid, told, clock.now())
    assert conflicts.get_conflict(engine, gid).status is ConflictStatus.bribe_refused


def test_the_register_form_leaves_gifts_to_the_gift_form():
    from msptui.ui.screens.conflicts.forms import register_form

    form = register_form(1, [], [], lambda: NOW)
    kinds = next(f for f in form.fields if f.name == "kind").choices
    assert "gift_or_bribe" not in [v for _label, v in kinds]


# --- the screen, as the technician uses it ----------------------------------------------------


async def open_gift_form(app, pilot):
    from msptui.ui.screens.conflicts.register import ConflictsScreen

    await settle(pilot)
    await app.push_screen(ConflictsScreen())
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    return app.screen


async def save(app, pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_accepting_a_gift_without_naming_the_policy_shows_why_next_to_the_field(paths, clock, engine, client_id):
    from msptui.ui.app import MsptuiApp

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_gift_form(app, pilot)
        assert form.form_title == "Record a gift or offer"
        assert form.query_one("#field-action").value == GiftAction.refused.value  # the default
        form.query_one("#field-client_id").value = client_id
        form.query_one("#field-offered").text = "A case of champagne"
        form.query_one("#field-offered_by").value = "Vendor rep"
        form.query_one("#field-action").value = GiftAction.accepted_under_policy.value
        await save(app, pilot)
        assert app.screen is form
        assert str(form.query_one("#error-policy").render()) == POLICY_MESSAGE
        assert count(engine) == 0

        form.query_one("#field-policy").value = "Gifts policy of 2025-01-10"
        await save(app, pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        await settle(pilot)
        detail = str(app.screen.query_one("#conflict-detail").render())
        assert "Offered by Vendor rep" in detail
        assert "Declared and accepted under the client's written policy: Gifts policy of 2025-01-10" in detail
    assert count(engine) == 1


async def test_a_bribe_offered_is_recorded_refused_by_default_and_counts_as_nothing_to_disclose(
    paths, clock, engine, client_id
):
    from textual.widgets import DataTable

    from msptui.ui.app import MsptuiApp
    from msptui.ui.screens.conflicts.register import ConflictsScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ConflictsScreen(client_id=client_id))
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("tab", *"Supplier offered a tablet [free]", "tab", *"Rep of Acme", "ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#conflicts", DataTable)
        assert str(table.get_row_at(0)[0]) == "Gift refused"
        detail = str(app.screen.query_one("#conflict-detail").render())
        assert "Offered: Supplier offered a tablet [free]" in detail
        assert "Offered by Rep of Acme, on 2026-11-23 10:00. Refused." in detail
    assert conflicts.count_undisclosed(engine) == 0


# --- migration 0005 ---------------------------------------------------------------------------


def test_migration_0005_keeps_recorded_gifts_as_refused(paths):
    from msptui.store.db import make_engine, sqlite_url
    from tests.test_out_of_hours import upgrade_to

    engine = make_engine(sqlite_url(paths.database))
    try:
        upgrade_to(engine, "0004")
        at = "2026-11-20 17:30:00.000000"
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO client (id, name, code, status, address, postcode, city, country, "
                "timezone, notes, created_at) VALUES (1, 'Acme', 'ACME', 'active', '', '', '', 'FR', "
                f"'Europe/Paris', '', '{at}')"
            )
            for cid, kind in ((1, "gift_or_bribe"), (2, "financial_interest")):
                conn.exec_driver_sql(
                    "INSERT INTO conflict_disclosure (id, client_id, kind, description, identified_at, disclosed_to, "
                    f"disclosed_how, closed_at) VALUES ({cid}, 1, '{kind}', 'Weekend offered', '{at}', '', '', "
                    f"{repr(at) if kind == 'gift_or_bribe' else 'NULL'})"
                )
        upgrade_to(engine, "0005")
    finally:
        engine.dispose()
    from msptui.store.open import open_store

    store = open_store(paths)
    try:
        refused, other = (conflicts.get_conflict(store.engine, i) for i in (1, 2))
    finally:
        store.dispose()
    assert refused.status is ConflictStatus.bribe_refused
    c = refused.conflict
    assert (c.description, c.offered_by, c.gift_action, c.gift_policy) == ("Weekend offered", "", "refused", "")
    assert c.offered_at == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    assert (other.conflict.gift_action, other.conflict.offered_at) == (None, None)
