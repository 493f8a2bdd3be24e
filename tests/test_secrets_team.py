"""Secrets in a team: the shared database holds the labels, each technician's keyring the values.

A colleague's secret shows here by its label; its value is not on this machine, and msptui
says so in plain words where the value is asked for (reveal, copy), with what to do.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from msptui.store.clients import RefusedError
from msptui.store.secrets import SecretCreate, add_secret, list_secrets, reveal_secret
from msptui.ui.app import MsptuiApp
from tests.browser_helpers import settle_browser
from tests.test_secrets_reveal import into_secrets_of

VALUE = "made-up-wifi-pass"  # a made-up word, never anything like a real password


def stored_by_a_colleague(engine, client_id, clock, memory_keyring, label="Wi-Fi admin") -> int:
    """The secret as this machine sees it when a colleague stored it: the label, no value."""
    secret = add_secret(engine, client_id, SecretCreate(label=label, username="admin"), VALUE, clock.now())
    memory_keyring.values.clear()  # the value is in the colleague's keyring, not in this one
    return secret


def test_a_value_missing_on_this_machine_is_explained_with_what_to_do(engine, sample, clock, memory_keyring):
    secret = stored_by_a_colleague(engine, sample["BOUL"], clock, memory_keyring)

    assert [s.label for s in list_secrets(engine, sample["BOUL"])] == ["Wi-Fi admin"]
    with pytest.raises(RefusedError, match="holds no value for 'Wi-Fi admin'") as refused:
        reveal_secret(engine, secret)
    words = str(refused.value)
    if engine.dialect.name == "postgresql":
        assert "each technician keeps the values in their own keyring" in words
        assert "the shared database holds only the labels" in words
        assert "store it here with r (Replace value)" in words
    else:
        assert "replace the value to store it again" in words


def test_a_value_stored_here_is_readable_here_and_never_in_the_database(engine, sample, clock, memory_keyring):
    from sqlalchemy import text

    from msptui.store.db import read
    from msptui.store.secrets import replace_secret_value

    secret = stored_by_a_colleague(engine, sample["BOUL"], clock, memory_keyring)
    replace_secret_value(engine, secret, "my-own-copy", clock.now())  # r, with the value the colleague gave

    assert reveal_secret(engine, secret) == "my-own-copy"
    with read(engine) as s:
        row = s.execute(text("SELECT * FROM secret")).mappings().one()
    assert not any("my-own-copy" in str(v) or VALUE in str(v) for v in row.values())


async def test_the_interface_says_where_the_value_is_when_it_is_not_on_this_machine(
    paths, clock, sample, engine, memory_keyring
):
    stored_by_a_colleague(engine, sample["BOUL"], clock, memory_keyring)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await into_secrets_of(app, pilot, "boul")
        line = str(app.screen.query_one("#secrets-keyring", Static).render())
        await pilot.press("v")
        await settle_browser(pilot)
        said = " ".join(n.message for n in app._notifications)
    assert "holds no value for 'Wi-Fi admin'" in said
    if engine.dialect.name == "postgresql":
        assert "the shared database holds only the labels" in line
        assert "each technician keeps the values in their own keyring" in said
