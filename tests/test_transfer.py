"""Export everything to JSON and import it into an empty database: nothing lost, no secret value."""

from __future__ import annotations

import json
import stat
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from msptui.store.clients import RefusedError, count_clients
from msptui.store.files.transfer import FORMAT_VERSION, export_data, export_json, import_data
from tests.spare_database import database_url

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SECRET_VALUE = "correct horse battery staple 42!"


@pytest.fixture
def other_store(tmp_path, other_url):
    """A second, empty data folder (or server database), as on the machine the export is carried to."""
    from msptui.paths import resolve
    from msptui.store.open import open_store

    with database_url(other_url):
        s = open_store(resolve(tmp_path / "new-machine").ensure())
    yield s
    s.dispose()


@pytest.fixture
def full(engine, sample, memory_keyring):
    """The sample data plus rows that stress the format: odd text, instants with
    microseconds in another offset, archived records, a secret whose value is in the keyring."""
    from msptui.store import db
    from msptui.store.models import Client, Secret, Skill, Ticket, TicketEvent

    paris_evening = datetime(2026, 3, 29, 23, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    with db.write(engine) as s:
        odd = Client(
            name='Café « L\'Écluse » "chez Jo" 🍺 [bold]',
            code="ECLU",
            city="Saint-Malo",
            notes="ligne 1\nligne 2\ttabulée\n" + "é" * 3000,
            created_at=paris_evening,
            archived_at=NOW,
        )
        s.add(odd)
        s.flush()
        ticket = Ticket(client_id=odd.id, title="Wi-Fi 📶 « HS »", opened_at=paris_evening, billable=True)
        s.add(ticket)
        s.flush()
        s.add(TicketEvent(ticket_id=ticket.id, at=paris_evening, kind="opened", status="new", priority="P3"))
        s.add(Skill(technology="Proxmox VE", evidence="training", title="Formation", obtained_on=date(2024, 2, 29)))
        key = f"client-{odd.id}/secret-test"
        s.add(
            Secret(
                client_id=odd.id,
                label="Box admin",
                username="admin",
                location="192.168.1.1",
                keyring_key=key,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    memory_keyring.set_password("msptui", key, SECRET_VALUE)
    return sample


def test_export_then_import_into_an_empty_database_gives_the_same_export(engine, full, other_store):
    first = export_data(engine, NOW)
    counts = import_data(other_store.engine, json.dumps(first))
    second = export_data(other_store.engine, NOW + timedelta(hours=1))

    assert second["tables"] == first["tables"]
    assert counts == {t: len(rows) for t, rows in first["tables"].items() if rows}
    # The round trip covered real data in the tables that matter, not empty lists.
    for table in ("client", "contact", "contract", "sla_target", "ticket", "ticket_event", "secret", "skill"):
        assert first["tables"][table], table


def test_after_an_import_the_next_ticket_and_client_get_fresh_ids(engine, full, other_store):
    from msptui.store.clients import create_client
    from msptui.store.schemas import ClientCreate
    from msptui.store.tickets import TicketCreate, open_ticket

    first = export_data(engine, NOW)
    import_data(other_store.engine, json.dumps(first))

    client = create_client(other_store.engine, ClientCreate(name="Nouvelle SARL", code="NOUV"), NOW)
    ticket = open_ticket(other_store.engine, TicketCreate(client_id=client, title="Imprimante"), NOW)
    assert client == max(c["id"] for c in first["tables"]["client"]) + 1
    assert ticket == max(t["id"] for t in first["tables"]["ticket"]) + 1


def test_every_table_is_exported_even_ones_added_later(engine, full):
    from sqlmodel import SQLModel

    exported = export_data(engine, NOW)["tables"]
    assert set(exported) == {t.name for t in SQLModel.metadata.sorted_tables}


def test_the_export_says_what_it_is_and_writes_instants_in_utc(engine, full):
    data = export_data(engine, NOW)

    assert data["format"] == "msptui-export"
    assert data["format_version"] == FORMAT_VERSION
    assert data["exported_at"] == "2026-11-23T09:00:00Z"
    odd = next(c for c in data["tables"]["client"] if c["code"] == "ECLU")
    assert odd["created_at"] == "2026-03-29T21:30:15.123456Z"  # 23:30 at UTC+2 is 21:30 UTC
    assert odd["name"] == 'Café « L\'Écluse » "chez Jo" 🍺 [bold]'
    skill = next(s for s in data["tables"]["skill"] if s["technology"] == "Proxmox VE")
    assert skill["obtained_on"] == "2024-02-29"


def test_a_secret_label_is_exported_but_never_its_value(engine, full, memory_keyring):
    text = export_json(engine, NOW)

    assert SECRET_VALUE not in text
    assert "battery" not in text
    secret = json.loads(text)["tables"]["secret"][0]
    assert secret["label"] == "Box admin"
    assert set(secret) <= {
        "id",
        "client_id",
        "label",
        "username",
        "location",
        "notes",
        "keyring_key",
        "created_at",
        "updated_at",
    }


def test_import_into_a_database_that_holds_data_is_refused_and_changes_nothing(engine, full):
    text = export_json(engine, NOW)
    before = export_data(engine, NOW)["tables"]

    with pytest.raises(RefusedError, match="only goes into an empty database"):
        import_data(engine, text)
    assert export_data(engine, NOW)["tables"] == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n binary", "not JSON"),
        (b'{"clients": []}', "not an msptui export"),
        (b"[1, 2, 3]", "not an msptui export"),
        (json.dumps({"format": "msptui-export", "tables": {}}).encode(), "no format version"),
        (
            json.dumps({"format": "msptui-export", "format_version": 99, "tables": {}}).encode(),
            "newer than this msptui",
        ),
        (
            json.dumps({"format": "msptui-export", "format_version": 1, "tables": {"invoices": []}}).encode(),
            "does not know",
        ),
        (
            json.dumps(
                {"format": "msptui-export", "format_version": 1, "tables": {"client": [{"id": 1, "vat": "x"}]}}
            ).encode(),
            "unknown columns",
        ),
        (
            json.dumps({"format": "msptui-export", "format_version": 1, "tables": {"client": {"id": 1}}}).encode(),
            "damaged",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_in_plain_words(other_store, content, words):
    with pytest.raises(RefusedError, match=words):
        import_data(other_store.engine, content)
    assert count_clients(other_store.engine) == 0


def test_an_import_is_one_transaction_a_bad_row_leaves_the_database_empty(engine, full, other_store):
    data = export_data(engine, NOW)
    # The last table imported refers to a ticket that does not exist.
    data["tables"]["ticket_event"].append({**data["tables"]["ticket_event"][0], "id": 99999, "ticket_id": 424242})

    with pytest.raises(RefusedError, match="Nothing was imported"):
        import_data(other_store.engine, json.dumps(data))
    assert count_clients(other_store.engine) == 0


def test_a_bad_instant_is_refused_with_the_table_named(engine, full, other_store):
    data = export_data(engine, NOW)
    data["tables"]["client"][0]["created_at"] = "the 32nd of Brumaire"

    with pytest.raises(RefusedError, match="bad value in client"):
        import_data(other_store.engine, json.dumps(data))
    assert count_clients(other_store.engine) == 0


# --- the command line -----------------------------------------------------------------------


def test_cli_export_writes_a_private_file_in_the_exports_folder(paths, engine, full, capsys):
    from msptui.cli import main

    assert main(["export", "--format", "json"]) == 0
    written = list(paths.exports.glob("msptui-export-*.json"))
    assert len(written) == 1
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    assert json.loads(written[0].read_text(encoding="utf-8"))["tables"]["client"]
    assert str(written[0]) in capsys.readouterr().out


def test_cli_export_to_standard_output_and_import_into_another_folder(
    paths, engine, full, tmp_path, capsys, other_url, monkeypatch
):
    from msptui.cli import main

    assert main(["export", "--output", "-"]) == 0
    text = capsys.readouterr().out
    target = tmp_path / "export.json"
    target.write_text(text, encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    if other_url:  # another server database: the folder then holds only settings and backups
        monkeypatch.setenv("MSPTUI_DATABASE_URL", other_url)
    assert main(["import", str(target), "--data-dir", str(elsewhere)]) == 0
    assert f"{len(full) + 1} clients" in capsys.readouterr().out

    assert main(["import", str(target), "--data-dir", str(elsewhere)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("msptui: Import only goes into an empty database") and err.count("\n") == 1


def test_cli_import_of_a_missing_file_is_one_line(paths, store, tmp_path, capsys):
    from msptui.cli import main

    assert main(["import", str(tmp_path / "nope.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("msptui: ") and "nope.json" in err and err.count("\n") == 1
