"""Client secrets: the value lives in the keyring, the database keeps the label and the reference.

Keyring failures use small real KeyringBackend subclasses; database failures
are real ones (a trigger that refuses, a client that is gone).
"""

from __future__ import annotations

from datetime import timedelta

import keyring
import pytest
from keyring.errors import PasswordDeleteError, PasswordSetError
from sqlalchemy import select, text
from textual.widgets import DataTable, Input

from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.keyring_backend import SERVICE, KeyringProblem, NoKeyring, SecretsDisabled, disable_secrets
from msptui.store.models import Secret
from msptui.store.schemas import FieldError
from msptui.store.secrets import (
    SecretCreate,
    SecretUpdate,
    add_secret,
    delete_secret,
    list_all_secrets,
    list_secrets,
    replace_secret_value,
    reveal_secret,
    secret_labels_for_export,
    update_secret,
)
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.secrets.panel import MASK, SecretsPanel
from tests.conftest import MemoryKeyring
from tests.pilot_helpers import settle

WIFI = SecretCreate(label="Wi-Fi admin", username="admin", location="192.168.1.1", notes="Box in the back office")


class RefusingKeyring(MemoryKeyring):
    """A keyring that will not store anything (a full or read-only keyring)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the keyring is read-only")


class UndeletableKeyring(MemoryKeyring):
    """A keyring that stores but refuses to delete."""

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("access denied")


_triggers_made: list[tuple[object, str]] = []  # PostgreSQL keeps them past TRUNCATE: dropped after each test


@pytest.fixture(autouse=True)
def _drop_refusing_triggers():
    yield
    while _triggers_made:
        engine, name = _triggers_made.pop()
        with engine.begin() as conn:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON secret"))


def refuse_in_database(engine, statement: str) -> None:
    """A trigger that makes the database itself refuse INSERT or DELETE on secrets."""
    name = f"refuse_{statement.lower()}"
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION refuse_secret_change() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused by the database'; END $$"
                )
            )
            conn.execute(
                text(
                    f"CREATE TRIGGER {name} BEFORE {statement} ON secret FOR EACH ROW EXECUTE FUNCTION refuse_secret_change()"
                )
            )
            _triggers_made.append((engine, name))
            return
        conn.execute(
            text(
                f"CREATE TRIGGER {name} BEFORE {statement} ON secret BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
            )
        )


def rows(engine) -> list[Secret]:
    with db.read(engine) as s:
        return list(s.scalars(select(Secret)))


def values(backend: MemoryKeyring) -> dict[str, str]:
    return {key: value for (service, key), value in backend.values.items() if service == SERVICE}


# --- add, reveal, replace, delete ------------------------------------------------------------


def test_add_keeps_the_value_in_the_keyring_and_only_the_reference_in_the_database(
    engine, sample, clock, memory_keyring
):
    boul = sample["BOUL"]
    secret_id = add_secret(engine, boul, WIFI, "Tr0ub4dor&3", clock.now())

    (row,) = rows(engine)
    assert (row.id, row.label, row.username, row.location) == (secret_id, "Wi-Fi admin", "admin", "192.168.1.1")
    assert row.keyring_key.startswith(f"client-{boul}/secret-")
    assert values(memory_keyring) == {row.keyring_key: "Tr0ub4dor&3"}
    assert "Tr0ub4dor&3" not in repr(row.model_dump())


def test_each_secret_has_its_own_stable_keyring_key(engine, sample, clock, memory_keyring):
    a = add_secret(engine, sample["BOUL"], WIFI, "one", clock.now())
    b = add_secret(engine, sample["BOUL"], SecretCreate(label="NAS root"), "two", clock.now())
    keys = {r.id: r.keyring_key for r in rows(engine)}
    assert keys[a] != keys[b]
    replace_secret_value(engine, a, "three", clock.now())
    assert {r.id: r.keyring_key for r in rows(engine)} == keys


def test_reveal_reads_the_value_back_from_the_keyring(engine, sample, clock):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "Tr0ub4dor&3", clock.now())
    assert reveal_secret(engine, secret_id) == "Tr0ub4dor&3"


def test_replace_changes_the_value_and_records_when(engine, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "old value", clock.now())
    later = clock.advance(timedelta(days=3))
    replace_secret_value(engine, secret_id, "new value", later)
    assert reveal_secret(engine, secret_id) == "new value"
    (row,) = rows(engine)
    assert row.updated_at == later and row.created_at == later - timedelta(days=3)


def test_editing_the_details_leaves_the_value_alone(engine, sample, clock):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "kept", clock.now())
    update_secret(engine, secret_id, SecretUpdate(label="Wi-Fi (guest)", username="guest"), clock.now())
    (row,) = list_secrets(engine, sample["BOUL"])
    assert (row.label, row.username, row.location) == ("Wi-Fi (guest)", "guest", "")
    assert reveal_secret(engine, secret_id) == "kept"


def test_delete_removes_the_row_and_the_keyring_entry(engine, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "gone soon", clock.now())
    delete_secret(engine, secret_id)
    assert rows(engine) == []
    assert values(memory_keyring) == {}


def test_delete_of_a_secret_whose_value_is_already_gone_still_removes_the_row(engine, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "x", clock.now())
    memory_keyring.values.clear()  # removed outside msptui
    delete_secret(engine, secret_id)
    assert rows(engine) == []


def test_lists_are_per_client_and_the_palette_skips_archived_clients(engine, sample, clock):
    from msptui.store.clients import set_archived

    add_secret(engine, sample["BOUL"], WIFI, "a", clock.now())
    add_secret(engine, sample["DENT"], SecretCreate(label="Imaging server"), "b", clock.now())
    add_secret(engine, sample["CREC"], SecretCreate(label="Old router"), "c", clock.now())
    set_archived(engine, sample["CREC"], True, clock.now())
    assert [r.label for r in list_secrets(engine, sample["BOUL"])] == ["Wi-Fi admin"]
    hits = [(h.client_name, h.label) for h in list_all_secrets(engine)]
    assert hits == [("Boulangerie Martin", "Wi-Fi admin"), ("Cabinet Dentaire Lefèvre", "Imaging server")]


def test_labels_for_exports_never_carry_the_value(engine, sample, clock):
    add_secret(engine, sample["BOUL"], WIFI, "s3cr3t-for-export", clock.now())
    exported = secret_labels_for_export(engine, sample["BOUL"])
    assert exported == [
        {"label": "Wi-Fi admin", "username": "admin", "location": "192.168.1.1", "notes": "Box in the back office"}
    ]
    assert "s3cr3t-for-export" not in repr(exported)


def test_a_client_cannot_be_deleted_while_it_has_secrets(engine, sample, clock):
    from msptui.store.clients import delete_client

    add_secret(engine, sample["GDUP"], WIFI, "x", clock.now())
    with pytest.raises(RefusedError):
        delete_client(engine, sample["GDUP"])
    assert len(rows(engine)) == 1


# --- input -------------------------------------------------------------------------------------


def test_an_empty_value_is_refused_before_anything_is_stored(engine, sample, clock, memory_keyring):
    with pytest.raises(FieldError) as err:
        add_secret(engine, sample["BOUL"], WIFI, "   ", clock.now())
    assert err.value.field == "value" and err.value.message == "is required"
    assert rows(engine) == [] and values(memory_keyring) == {}


def test_a_too_long_value_is_refused_without_repeating_it(engine, sample, clock):
    value = "Z" * 5000
    with pytest.raises(FieldError) as err:
        add_secret(engine, sample["BOUL"], WIFI, value, clock.now())
    assert "at most 4096" in err.value.message and value not in str(err.value)


def test_a_secret_needs_a_label():
    from pydantic import ValidationError

    from msptui.store.schemas import field_errors

    with pytest.raises(ValidationError) as err:
        SecretCreate(label="  ")
    assert field_errors(err.value) == {"label": "is required"}


# --- one side fails: no orphan on the other -------------------------------------------------------


def test_when_the_keyring_refuses_the_value_nothing_is_stored_in_the_database(engine, sample, clock):
    keyring.set_keyring(RefusingKeyring())
    with pytest.raises(KeyringProblem, match="refused to store"):
        add_secret(engine, sample["BOUL"], WIFI, "never stored", clock.now())
    assert rows(engine) == []


@pytest.mark.sqlite_only  # adds a trigger: the shared test database would keep it
def test_when_the_database_refuses_the_row_the_keyring_entry_is_removed(engine, sample, clock, memory_keyring):
    refuse_in_database(engine, "INSERT")
    with pytest.raises(Exception, match="refused by the database"):
        add_secret(engine, sample["BOUL"], WIFI, "orphan?", clock.now())
    assert rows(engine) == []
    assert values(memory_keyring) == {}


def test_a_client_gone_meanwhile_stores_nothing_anywhere(engine, sample, clock, memory_keyring):
    with pytest.raises(RefusedError, match="no longer exists"):
        add_secret(engine, 999_999, WIFI, "x", clock.now())
    assert rows(engine) == [] and values(memory_keyring) == {}


@pytest.mark.sqlite_only  # adds a trigger: the shared test database would keep it
def test_when_even_the_cleanup_fails_the_message_names_the_leftover_entry(engine, sample, clock):
    backend = UndeletableKeyring()
    keyring.set_keyring(backend)
    refuse_in_database(engine, "INSERT")
    with pytest.raises(RefusedError) as err:
        add_secret(engine, sample["BOUL"], WIFI, "stuck", clock.now())
    (key,) = values(backend)
    assert key in str(err.value) and "by hand" in str(err.value) and "stuck" not in str(err.value)


def test_when_the_keyring_refuses_a_new_value_the_old_one_and_the_date_stay(engine, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "old value", clock.now())
    refusing = RefusingKeyring()
    refusing.values = memory_keyring.values
    keyring.set_keyring(refusing)
    with pytest.raises(KeyringProblem):
        replace_secret_value(engine, secret_id, "new value", clock.now() + timedelta(hours=1))
    (row,) = rows(engine)
    assert row.updated_at == clock.now()
    assert values(memory_keyring) == {row.keyring_key: "old value"}


def test_when_the_keyring_refuses_to_delete_the_row_stays_too(engine, sample, clock):
    backend = UndeletableKeyring()
    keyring.set_keyring(backend)
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "still here", clock.now())
    with pytest.raises(KeyringProblem, match="refused to delete"):
        delete_secret(engine, secret_id)
    (row,) = rows(engine)
    assert values(backend) == {row.keyring_key: "still here"}


@pytest.mark.sqlite_only  # adds a trigger: the shared test database would keep it
def test_when_the_database_refuses_to_delete_the_value_stays_in_the_keyring(engine, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "still here", clock.now())
    refuse_in_database(engine, "DELETE")
    with pytest.raises(Exception, match="refused by the database"):
        delete_secret(engine, secret_id)
    (row,) = rows(engine)
    assert values(memory_keyring) == {row.keyring_key: "still here"}


def test_reveal_says_so_when_the_keyring_has_no_value(engine, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "x", clock.now())
    memory_keyring.values.clear()
    with pytest.raises(RefusedError, match="holds no value for 'Wi-Fi admin'"):
        reveal_secret(engine, secret_id)


def test_without_any_keyring_every_call_is_refused_in_plain_words(engine, sample, clock):
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(NoKeyring, match="No keyring is available on this machine"):
        add_secret(engine, sample["BOUL"], WIFI, "x", clock.now())
    assert rows(engine) == []


def test_disabled_secrets_refuse_values_but_keep_labels(engine, paths, sample, clock, memory_keyring):
    secret_id = add_secret(engine, sample["BOUL"], WIFI, "before", clock.now())
    disable_secrets(paths)
    for attempt in (
        lambda: add_secret(engine, sample["BOUL"], WIFI, "after", clock.now()),
        lambda: reveal_secret(engine, secret_id),
        lambda: replace_secret_value(engine, secret_id, "after", clock.now()),
        lambda: delete_secret(engine, secret_id),
    ):
        with pytest.raises(SecretsDisabled, match="Client secrets are disabled"):
            attempt()
    assert [r.label for r in list_secrets(engine, sample["BOUL"])] == ["Wi-Fi admin"]
    assert list(values(memory_keyring).values()) == ["before"]


# --- the panel in the client's detail pane ---------------------------------------------------------


class ClientPane(MsptuiScreen):
    """Stands in for the client browser's detail pane."""

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self):
        from textual.widgets import Footer

        yield Input(id="elsewhere")
        yield SecretsPanel(self.client_id)
        yield Footer()


async def open_panel(app, pilot, client_id):
    await settle(pilot)
    app.push_screen(ClientPane(client_id))
    await settle(pilot)
    app.screen.query_one("#secrets-table", DataTable).focus()
    await pilot.pause()
    return app.screen.query_one(SecretsPanel)


def value_cell(app) -> str:
    """What the value field under the list shows for the selected secret: the mask or the value."""
    from textual.widgets import Static

    return str(app.screen.query_one("#secret-value", Static).content)


async def test_the_panel_lists_labels_with_values_masked(paths, clock, sample, engine):
    add_secret(engine, sample["BOUL"], WIFI, "Tr0ub4dor&3", clock.now())
    add_secret(engine, sample["BOUL"], SecretCreate(label="[b]Caisse[/b] admin"), "x", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        table = app.screen.query_one("#secrets-table", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["[b]Caisse[/b] admin", "Wi-Fi admin"]
        assert all("Tr0ub4dor" not in str(cell) for i in range(table.row_count) for cell in table.get_row_at(i))
        assert value_cell(app) == MASK
        assert "Values are kept in the system keyring" in str(app.screen.query_one("#secrets-keyring").render())


async def test_reveal_shows_the_value_then_hides_it_after_twenty_seconds(paths, clock, sample, engine):
    add_secret(engine, sample["BOUL"], WIFI, "Tr0ub4dor&3", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("v")
        await settle(pilot)
        assert value_cell(app) == "Tr0ub4dor&3"
        clock.advance(timedelta(seconds=19))
        panel.hide_if_expired()
        assert value_cell(app) == "Tr0ub4dor&3"
        clock.advance(timedelta(seconds=2))
        panel.hide_if_expired()
        assert value_cell(app) == MASK


async def test_reveal_hides_again_on_the_same_key_or_when_the_focus_leaves(paths, clock, sample, engine):
    add_secret(engine, sample["BOUL"], WIFI, "Tr0ub4dor&3", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("v")
        assert value_cell(app) == MASK
        await pilot.press("v")
        await settle(pilot)
        assert value_cell(app) == "Tr0ub4dor&3"
        app.screen.query_one("#elsewhere", Input).focus()
        await pilot.pause()
        await pilot.pause()
        assert value_cell(app) == MASK


async def test_copy_puts_the_value_on_the_clipboard(paths, clock, sample, engine):
    add_secret(engine, sample["BOUL"], WIFI, "Tr0ub4dor&3", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("p")
        await settle(pilot)
        assert app.clipboard == "Tr0ub4dor&3"
        assert value_cell(app) == MASK  # copying does not show it


async def test_add_from_the_panel_with_the_form(paths, clock, sample, engine, memory_keyring):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["DENT"])
        await pilot.press("s")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        await pilot.press(*"Imaging server", "enter", *"radio", "enter", *"10.0.0.5", "enter", "tab")
        await pilot.press(*"xr4y-pass", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientPane)
        table = app.screen.query_one("#secrets-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["Imaging server", "radio", "10.0.0.5"]
        assert value_cell(app) == MASK
        assert list(values(memory_keyring).values()) == ["xr4y-pass"]


async def test_replace_and_delete_from_the_panel(paths, clock, sample, engine, memory_keyring):
    add_secret(engine, sample["BOUL"], WIFI, "old", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"brand-new", "enter")
        await settle(pilot)
        assert list(values(memory_keyring).values()) == ["brand-new"]
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await settle(pilot)
        assert len(rows(engine)) == 1
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert rows(engine) == [] and values(memory_keyring) == {}
        assert app.screen.query_one("#secrets-table", DataTable).row_count == 0


async def test_a_keyring_refusal_is_shown_in_words_and_the_form_stays_open(paths, clock, sample, engine):
    keyring.set_keyring(RefusingKeyring())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_panel(app, pilot, sample["BOUL"])
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"Router")
        app.screen.query_one("#field-value", Input).focus()
        await pilot.press(*"pw", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert "refused to store" in str(app.screen.query_one("#form-error").render())
    assert rows(engine) == []


async def test_the_palette_offers_copy_password_for_each_secret(paths, clock, sample, engine):
    add_secret(engine, sample["BOUL"], WIFI, "Tr0ub4dor&3", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"copy password boul")
        await pilot.pause(0.3)
        await settle(pilot)
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Copy password for Boulangerie Martin — Wi-Fi admin" in t for t in texts)
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard == "Tr0ub4dor&3"
