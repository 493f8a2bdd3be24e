"""Each client receives its documents in its own language: French for a French address by default."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from msptui.store import clients as C
from msptui.store.schemas.clients import ClientCreate
from msptui.store.schemas.common import field_errors
from tests.migration_helpers import database_at, upgrade

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("country", "expected"), [("FR", "fr"), ("MC", "fr"), ("RE", "fr"), ("DE", "en"), ("BE", "en")]
)
def test_a_new_client_gets_documents_in_the_language_of_its_address(engine, country, expected):
    client_id = C.create_client(
        engine, ClientCreate(name=f"Client {country}", code=f"C{country}", country=country), NOW
    )
    assert C.get_client(engine, client_id).language == expected


def test_the_technician_chooses_another_language_for_a_client():
    assert ClientCreate(name="Brasserie du Port", code="BRAS", country="BE", language="FR").language == "fr"
    assert ClientCreate(name="Atelier Dupont", code="ATEL", country="FR", language="en").language == "en"


def test_a_language_msptui_does_not_write_is_refused_next_to_the_field():
    with pytest.raises(ValidationError) as refused:
        ClientCreate(name="Studio Berg", code="STUD", country="DE", language="de")
    assert field_errors(refused.value) == {"language": "Documents are written in English (en) or French (fr)."}


def test_migration_0010_gives_existing_clients_the_language_of_their_address(tmp_path):
    path = tmp_path / "old.db"
    engine = database_at(path, "0009")
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO client (id, name, code, status, address, postcode, city, country, timezone, notes, created_at)
        VALUES (1, 'Boulangerie Martin', 'BOUL', 'active', '', '', '', 'FR', 'Europe/Paris', '', '2026-01-05 09:00:00'),
               (2, 'Studio Berg', 'STUD', 'active', '', '', '', 'DE', 'Europe/Berlin', '', '2026-01-05 09:00:00'),
               (3, 'Pharmacie du Lagon', 'PHAR', 'active', '', '', '', 'RE', 'Indian/Reunion', '', '2026-01-05 09:00:00');
    """)
    con.commit()
    con.close()
    upgrade(engine, "0010")
    con = sqlite3.connect(path)
    assert con.execute("SELECT code, language FROM client ORDER BY id").fetchall() == [
        ("BOUL", "fr"),
        ("STUD", "en"),
        ("PHAR", "fr"),
    ]
    con.close()
