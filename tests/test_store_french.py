"""The store's refusals reach a technician who works in French in French; in English otherwise.

Each refusal is asked twice, the interface in French (`french`) and in English,
so a sentence left out of the catalogue, or an English one changed by the
translation, fails here.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy.exc import OperationalError

from msptui.core import i18n
from msptui.store import billing
from msptui.store import keyring_backend as kb
from msptui.store import tickets as T
from msptui.store.clients import RefusedError, create_client
from msptui.store.db import explain_operational_error
from msptui.store.files.backup import BackupError, check_database_file
from msptui.store.files.backups import human_size
from msptui.store.files.transfer import export_json, import_data
from msptui.store.migrate import HEAD
from msptui.store.schemas import ClientCreate, FieldError
from msptui.store.secrets import SecretCreate, add_secret

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
NBSP = "\u00a0"


@pytest.fixture
def closed_ticket(engine) -> int:
    client_id = create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), NOW)
    ticket_id = T.open_ticket(engine, T.TicketCreate(client_id=client_id, title="Imprimante en panne"), NOW)
    T.resolve(engine, ticket_id, NOW, note="Toner remplacé")
    T.close(engine, ticket_id, NOW)
    return ticket_id


def refusal(action) -> str:
    with pytest.raises((RefusedError, BackupError)) as refused:
        action()
    return str(refused.value)


def test_closing_a_closed_ticket_is_refused_in_french(engine, closed_ticket, french):
    said = refusal(lambda: T.close(engine, closed_ticket, NOW))
    assert said == f"Le ticket #{closed_ticket} (clos) doit être résolu avant d'être clos."


def test_closing_a_closed_ticket_is_refused_in_english_without_french(engine, closed_ticket):
    said = refusal(lambda: T.close(engine, closed_ticket, NOW))
    assert said == f"Ticket #{closed_ticket} (closed) must be resolved before it is closed."


def test_a_month_not_over_is_refused_with_french_month_and_date(engine, french):
    client_id = create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), NOW)
    said = refusal(lambda: billing.close_period(engine, client_id, "2026-11", NOW))
    assert said == (
        f"Le mois de novembre 2026 n'est pas terminé pour Boulangerie Martin{NBSP}: "
        "clôturez-le à partir du mardi 1 décembre 2026."
    )
    i18n.set_interface_language("en")
    said = refusal(lambda: billing.close_period(engine, client_id, "2026-11", NOW))
    assert said == "November 2026 is not over yet for Boulangerie Martin: close it from Tuesday 1 December 2026."


def test_importing_into_a_database_that_holds_data_is_refused_in_french(engine, french):
    create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), NOW)
    said = refusal(lambda: import_data(engine, export_json(engine, NOW)))
    assert said.startswith("L'import ne se fait que dans une base de données vide, et celle-ci contient déjà")
    assert said.endswith("Utilisez un nouveau dossier de données (--data-dir).")
    i18n.set_interface_language("en")
    assert refusal(lambda: import_data(engine, export_json(engine, NOW))).startswith(
        "Import only goes into an empty database, and this one already holds data"
    )


def test_a_missing_keyring_is_explained_in_french(engine, paths, french):
    client_id = create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), NOW)
    keyring.set_keyring(fail.Keyring())  # a server without a Secret Service
    with pytest.raises(kb.NoKeyring) as refused:
        add_secret(engine, client_id, SecretCreate(label="Wi-Fi"), "secret", NOW)
    assert str(refused.value).startswith("Aucun trousseau n'est disponible sur cette machine")
    assert "pour utiliser plutôt un fichier chiffré" in str(refused.value)
    status = kb.status(paths)
    assert status.state == kb.NO_KEYRING
    assert status.message.startswith("Aucun trousseau système n'a été trouvé sur cette machine")


def test_a_missing_keyring_is_explained_in_english_without_french(engine):
    client_id = create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), NOW)
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(kb.NoKeyring, match="No keyring is available on this machine"):
        add_secret(engine, client_id, SecretCreate(label="Wi-Fi"), "secret", NOW)


def test_a_short_passphrase_is_refused_next_to_its_field_in_french(french):
    with pytest.raises(FieldError) as refused:
        kb.check_new_passphrase("court", "court")
    assert refused.value.field == "passphrase"
    assert refused.value.message == "doit comporter au moins 8 caractères (quelques mots, c'est le mieux)"


def test_a_busy_or_read_only_database_is_explained_in_french(french):
    def explained(message: str) -> str:
        return explain_operational_error(OperationalError("INSERT", {}, sqlite3.OperationalError(message)))

    assert explained("database is locked").startswith(
        "La base de données est occupée par une autre fenêtre msptui (ou un autre programme) depuis plus de 5 secondes."
    )
    assert explained("attempt to write a readonly database") == (
        f"Le fichier de la base de données est en lecture seule pour vous. Rien n'a été enregistré{NBSP}; "
        "vérifiez ses droits."
    )
    i18n.set_interface_language("en")
    assert explained("database is locked").endswith("Nothing was saved; try again.")


def test_restoring_a_file_that_is_not_a_backup_is_refused_in_french(tmp_path, french):
    notes = tmp_path / "notes.txt"
    notes.write_text("pas une base")
    said = refusal(lambda: check_database_file(notes, HEAD))
    assert said.startswith(f"{notes} n'est pas une base SQLite lisible")
    said = refusal(lambda: check_database_file(tmp_path / "absent.sqlite3", HEAD))
    assert said == f"{tmp_path / 'absent.sqlite3'} n'existe pas ou n'est pas un fichier."


def test_backup_sizes_use_french_units_and_decimal_comma(french):
    assert human_size(1536) == "1,5 Ko"
    assert human_size(5 * 1024 * 1024) == "5,0 Mo"
    i18n.set_interface_language("en")
    assert human_size(1536) == "1.5 KB"


def test_the_prepaid_balance_reads_in_french(engine, french):
    from msptui.store.billing import add_prepaid_block, prepaid_balance
    from msptui.store.contracts import create_contract
    from msptui.store.schemas import ContractCreate
    from msptui.store.schemas.billing import PrepaidBlockCreate

    client_id = create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), NOW)
    contract_id = create_contract(
        engine,
        ContractCreate(reference="C-BOUL", client_id=client_id, title="Support", start_date=date(2026, 1, 1)),
        NOW,
    )
    add_prepaid_block(
        engine, PrepaidBlockCreate(contract_id=contract_id, hours=10, purchased_on=date(2026, 11, 1)), NOW
    )
    words = prepaid_balance(engine, contract_id, NOW.astimezone(UTC)).words
    assert words == f"reste 10 h sur 10 h (0{NBSP}% consommés)"
