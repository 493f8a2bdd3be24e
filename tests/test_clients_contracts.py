"""Clients and contracts: create, update, archive, refuse, and validate what a technician types."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from msptui.store import client_index, clients, contracts, db
from msptui.store.models import Client, Contract, SlaTarget
from msptui.store.schemas import (
    ClientCreate,
    ClientUpdate,
    ContactCreate,
    ContractCreate,
    FieldError,
    SlaTargetInput,
    ThirdPartyCreate,
    field_errors,
)


def errors_of(model, **values) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model(**values)
    return field_errors(caught.value)


def count(engine, model) -> int:
    with db.read(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


# --- validation: each message names the field and what is expected -------------------


def test_empty_client_name_is_refused():
    assert errors_of(ClientCreate, name="   ", code="ACME") == {"name": "is required"}


def test_too_long_name_says_the_limit():
    assert (
        errors_of(ClientCreate, name="x" * 10_000, code="ACME")["name"] == "is too long (10000 characters, at most 120)"
    )


def test_bad_email_is_refused():
    assert errors_of(ContactCreate, name="Marc", email="marc-at-schmitt")["email"].startswith("is not an email address")


def test_unknown_time_zone_is_named():
    assert (
        "'Europe/Pariss' is not a known time zone"
        in errors_of(ClientCreate, name="A", code="AA", timezone="Europe/Pariss")["timezone"]
    )


def test_unknown_holiday_subdivision_lists_the_known_ones():
    message = errors_of(ClientCreate, name="A", code="AA", subdivision="99")["subdivision"]
    assert "'99' is not a holiday subdivision of FR" in message and "57" in message and "6AE" in message


def test_end_date_before_start_date_is_refused():
    got = errors_of(
        ContractCreate,
        reference="C-1",
        client_id=1,
        title="Support",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 4, 30),
    )
    assert got == {"end_date": "must be on or after the start date"}


@pytest.mark.parametrize(
    "hours, expected",
    [
        ({"0": [["18:00", "09:00"]]}, "Monday 18:00-09:00: the end must be after the start, same day"),
        ({"1": [["09:00", "13:00"], ["12:00", "18:00"]]}, "Tuesday: 09:00-13:00 overlaps 12:00-18:00"),
        ({"2": [["9h", "18:00"]]}, "Wednesday: '9h' is not a time HH:MM (00:00 to 24:00)"),
    ],
)
def test_business_hours_errors_say_which_day(hours, expected):
    got = errors_of(
        ContractCreate, reference="C-1", client_id=1, title="Support", start_date=date(2026, 1, 1), business_hours=hours
    )
    assert got == {"business_hours": expected}


def test_targets_must_not_shrink_from_response_to_resolution():
    got = errors_of(SlaTargetInput, priority="P1", response_minutes=60, intervention_minutes=30)
    assert got == {"intervention_minutes": "must not be shorter than the response target"}


def test_control_characters_are_refused_but_quotes_and_emoji_are_kept():
    assert errors_of(ClientCreate, name="Bad\x07Bell", code="BB")["name"] == "contains a control character; remove it"
    ok = ClientCreate(name='L\'Atelier "Chez Zoé" 🛠️ [urgent]', code="ATZ")
    assert ok.name == 'L\'Atelier "Chez Zoé" 🛠️ [urgent]'


# --- the store ---------------------------------------------------------------------


def test_a_client_with_quotes_and_emoji_reads_back_verbatim(engine, clock):
    name = 'L\'Atelier "Chez Zoé" 🛠️ [urgent]'
    client_id = clients.create_client(
        engine, ClientCreate(name=name, code="ATZ"), clock.now(), [ContactCreate(name="Zoé")]
    )
    stored = clients.get_client(engine, client_id)
    assert stored.name == name
    assert stored.created_at == clock.now()
    assert [c.name for c in clients.client_contacts(engine, client_id)] == ["Zoé"]


def test_a_duplicate_name_is_reported_on_the_name_field(engine, clock):
    clients.create_client(engine, ClientCreate(name="Garage Dupont", code="GDUP"), clock.now())
    with pytest.raises(FieldError) as caught:
        clients.create_client(engine, ClientCreate(name="Garage Dupont", code="GDU2"), clock.now())
    assert caught.value.field == "name"
    assert count(engine, Client) == 1


def test_update_changes_the_client(engine, clock):
    client_id = clients.create_client(engine, ClientCreate(name="Garage Dupont", code="GDUP"), clock.now())
    clients.update_client(engine, client_id, ClientUpdate(name="Garage Dupont & Fils", code="GDUP", city="Toulouse"))
    assert clients.get_client(engine, client_id).city == "Toulouse"


def test_archived_clients_leave_the_everyday_list_but_keep_their_records(engine, sample, clock):
    clients.set_archived(engine, sample["GDUP"], True, clock.now())
    index = client_index.load_client_index(engine)
    assert index.filter("dupont")[1] == 0
    assert index.filter("dupont", include_archived=True)[1] == 1
    assert len(contracts.client_contracts(engine, sample["GDUP"])) == 1


def test_deleting_a_client_with_a_contract_is_refused(engine, sample):
    with pytest.raises(
        clients.RefusedError, match="1 contract, 1 engagement still refer to this client. Archive it instead"
    ):
        clients.delete_client(engine, sample["BOUL"])
    assert clients.get_client(engine, sample["BOUL"]) is not None


def test_deleting_a_client_without_records_removes_it_and_its_contacts(engine, clock):
    client_id = clients.create_client(
        engine, ClientCreate(name="Typo Client", code="TYPO"), clock.now(), [ContactCreate(name="X")]
    )
    clients.delete_client(engine, client_id)
    assert clients.get_client(engine, client_id) is None
    assert clients.client_contacts(engine, client_id) == []


def test_a_contract_and_its_parts_are_saved_whole_or_not_at_all(engine, sample, clock):
    data = ContractCreate(reference="NEW-1", client_id=sample["BOUL"], title="Cloud", start_date=date(2026, 1, 1))
    duplicate_priority = [
        SlaTargetInput(priority="P1", response_minutes=30),
        SlaTargetInput(priority="P1", response_minutes=60),
    ]
    before = count(engine, Contract)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):  # two targets for one priority: the database refuses the lot
        contracts.create_contract(engine, data, clock.now(), targets=duplicate_priority)
    assert count(engine, Contract) == before
    contracts.create_contract(
        engine,
        data,
        clock.now(),
        targets=duplicate_priority[:1],
        third_parties=[ThirdPartyCreate(name="Microsoft", kind="cloud_provider")],
    )
    assert count(engine, Contract) == before + 1


def test_contract_detail_gathers_the_five_notions(engine, sample):
    contract = contracts.client_contracts(engine, sample["SCHM"])[0]
    detail = contracts.contract_detail(engine, contract.id)
    assert detail.client.name == "Transports Schmitt & Fils"
    assert {t.kind for t in detail.third_parties} >= {"software_vendor", "cloud_provider", "hardware_supplier"}
    assert [t.priority for t in detail.targets] == ["P1", "P2", "P3", "P4"]
    assert detail.target_for("P1").round_the_clock
    assert detail.contract.holiday_subdivision == "57"
    assert detail.processing and detail.contract.breach_notification_hours == 48


def test_replacing_targets_keeps_one_row_per_priority(engine, sample):
    contract = contracts.client_contracts(engine, sample["BOUL"])[0]
    contracts.set_targets(
        engine, contract.id, [SlaTargetInput(priority="P1", response_minutes=15, round_the_clock=True)]
    )
    with db.read(engine) as s:
        rows = list(s.scalars(select(SlaTarget).where(SlaTarget.contract_id == contract.id)))
    assert [(r.priority, r.response_minutes) for r in rows] == [("P1", 15)]


def test_a_duplicate_contract_reference_is_reported_on_the_reference(engine, sample, clock):
    data = ContractCreate(
        reference="MSP-2026-001", client_id=sample["BOUL"], title="Again", start_date=date(2026, 1, 1)
    )
    with pytest.raises(FieldError) as caught:
        contracts.create_contract(engine, data, clock.now())
    assert caught.value.field == "reference"


# --- finding a client as one types ------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("sch", ["Transports Schmitt & Fils"]),
        ("SCHM", ["Transports Schmitt & Fils"]),
        ("colmar", ["Hôtel Les Tilleuls"]),
        ("lefèvre", ["Cabinet Dentaire Lefèvre"]),
        ("lefevre", ["Cabinet Dentaire Lefèvre"]),
        ("HOTEL", ["Hôtel Les Tilleuls"]),
        ("cabinet fou", ["Cabinet Comptable Fournier"]),
        ("nathalie", ["Pharmacie du Centre"]),
    ],
)
def test_filter_matches_name_code_city_and_contacts(engine, sample, typed, expected):
    rows, total = client_index.load_client_index(engine).filter(typed)
    assert [r.name for r in rows] == expected and total == len(expected)


def test_filter_narrows_with_each_letter(engine, sample):
    index = client_index.load_client_index(engine)
    totals = [index.filter("cabinet"[:n])[1] for n in range(1, 8)]
    assert totals == sorted(totals, reverse=True)
    assert totals[-1] == 2


def test_filter_limit_reports_the_total(engine, sample):
    rows, total = client_index.load_client_index(engine).filter("", limit=5)
    assert len(rows) == 5 and total == len(sample)
