"""`msptui --technician NAME` saves this machine's technician; what the shell records names them."""

from __future__ import annotations

import pytest

from msptui import cli_capture, config
from msptui.cli import main
from msptui.store import tickets as T
from tests.test_tickets import make_contract, open_on


@pytest.fixture(autouse=True)
def frozen_command_clock(clock, monkeypatch):
    monkeypatch.setattr(cli_capture, "_now", clock.now)
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def test_technician_on_the_command_line_is_saved_and_recorded_on_what_the_shell_does(engine, paths, clock, capsys):
    ticket = open_on(engine, make_contract(engine, code="ACME"), clock.now())
    assert main(["--technician", "sophie", "ticket", "ack", str(ticket)]) == 0
    assert config.technician(paths) == "sophie"
    assert T.ticket_events(engine, ticket)[-1].technician == "sophie"
    capsys.readouterr()

    assert main(["ticket", "new", "Mail down", "--client", "ACME"]) == 0  # the saved name, from now on
    assert "Opened" in capsys.readouterr().out
    assert T.ticket_events(engine, ticket + 1)[0].technician == "sophie"


@pytest.mark.parametrize("bad", ["", "sophie martin", "x" * 10_000, "🙂", 'so"phie'])
def test_a_name_that_is_not_valid_is_refused_in_one_sentence_and_nothing_is_saved(paths, capsys, bad):
    assert main(["--technician", bad, "--where"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("msptui: The technician's name") and "Traceback" not in err and err.count("\n") == 1
    assert config.technician(paths) is None
