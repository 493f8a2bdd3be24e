"""Capture from the shell (issue 16, item 8): `msptui ticket new|list|ack` and `msptui time
start|stop`, one line out, exit 0 or 1 with one plain sentence, safe while the app is open."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from functools import partial

import pytest

from msptui import cli_capture
from msptui.cli import main
from msptui.store import tickets as T
from msptui.store.clients import create_client, set_archived
from msptui.store.contracts import create_contract
from msptui.store.files.in_use import hold_in_use
from msptui.store.reads.board import board_version, load_board
from msptui.store.schemas import ClientCreate, ContractCreate
from tests.pilot_helpers import settle
from tests.test_tickets import HOURS, MONDAY_10, make_contract, open_on


@pytest.fixture(autouse=True)
def frozen_command_clock(clock, monkeypatch):
    """The commands run at the test's frozen instant (Monday 10:00 in Paris)."""
    monkeypatch.setattr(cli_capture, "_now", clock.now)
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def acme(engine):
    """ACME: one active contract C-ACME (Mon-Fri 09:00-18:00 Paris, P1 round the clock)."""
    return make_contract(engine, code="ACME")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def refused(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    line = one_line(err)
    assert line.startswith("msptui: ") and "Traceback" not in err
    return line.removeprefix("msptui: ")


def ticket_count(engine) -> int:
    return len(load_board(engine).tickets)


def contract_on(engine, client_id: int, reference: str, **extra) -> int:
    data = ContractCreate(
        reference=reference,
        client_id=client_id,
        title="Support",
        start_date=date(2026, 1, 1),
        business_hours=HOURS,
        timezone="Europe/Paris",
        holiday_country="FR",
        **extra,
    )
    return create_contract(engine, data, MONDAY_10)


# --- ticket new -------------------------------------------------------------------------------


def test_a_ticket_opened_from_the_shell_lands_on_the_board_with_its_contract(engine, acme, capsys):
    before = board_version(engine)
    code, out, err = run(capsys, "ticket", "new", "--client", "acme", "--priority", "p1", "Mail server down")
    assert code == 0 and err == ""
    line = one_line(out)
    ticket_id = int(line.split()[1].removeprefix("#"))
    # P1 runs round the clock here: 30 minutes to respond, from 10:00 Paris.
    assert line == f"Opened #{ticket_id} P1 for ACME, on C-ACME, response due 10:30: Mail server down"
    assert board_version(engine) != before  # what an open board polls to notice another writer
    [ticket] = [t for t in load_board(engine).tickets if t.id == ticket_id]
    assert (ticket.priority, ticket.status, ticket.title) == ("P1", "new", "Mail server down")
    assert T.get_ticket(engine, ticket_id).contract_id == acme[1]


def test_without_a_contract_the_ticket_is_billable_and_the_line_says_so(engine, capsys):
    create_client(engine, ClientCreate(name="Boulangerie Martin", code="BOUL"), MONDAY_10)
    code, out, _ = run(capsys, "ticket", "new", "--client", "BOUL", "Caisse bloquée", "--description", "Depuis 9 h")
    assert code == 0
    line = one_line(out)
    assert line.endswith("P3 for BOUL, no contract (billable, no SLA): Caisse bloquée")
    ticket = T.get_ticket(engine, int(line.split()[1].removeprefix("#")))
    assert ticket.billable and ticket.contract_id is None and ticket.description == "Depuis 9 h"


def test_several_active_contracts_need_one_named_and_none_means_billable(engine, acme, capsys):
    second = contract_on(engine, acme[0], "C-ACME-2")
    assert "several active contracts (C-ACME" in refused(capsys, "ticket", "new", "--client", "ACME", "Printer")
    code, out, _ = run(capsys, "ticket", "new", "--client", "ACME", "--contract", "c-acme-2", "Printer")
    assert code == 0 and ", on C-ACME-2" in out
    assert T.get_ticket(engine, int(out.split()[1].removeprefix("#"))).contract_id == second
    code, out, _ = run(capsys, "ticket", "new", "--client", "ACME", "--contract", "none", "Goodwill")
    assert code == 0 and "no contract (billable, no SLA)" in out


def test_a_contract_that_is_not_the_clients_or_not_active_is_refused(engine, acme, capsys):
    make_contract(engine, code="OTHR")
    assert refused(capsys, "ticket", "new", "--client", "ACME", "--contract", "C-OTHR", "x") == (
        "ACME has no contract 'C-OTHR'; its active contracts: C-ACME."
    )
    contract_on(engine, acme[0], "C-ACME-OLD", end_date=date(2026, 6, 30))
    assert "C-ACME-OLD is not active" in refused(
        capsys, "ticket", "new", "--client", "ACME", "--contract", "C-ACME-OLD", "x"
    )
    assert ticket_count(engine) == 0


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["--client", "ACEM", "x"], "No client has the code 'ACEM' (did you mean ACME?)."),
        (["--client", "ZZZZ", "x"], "No client has the code 'ZZZZ'."),
        (["--client", "ACME", "--priority", "urgent", "x"], "The priority must be P1, P2, P3 or P4, not 'urgent'."),
        (["--client", "ACME", "  "], "The title is required."),
    ],
)
def test_a_wrong_new_ticket_is_one_plain_sentence_and_saves_nothing(engine, acme, capsys, argv, sentence):
    before = board_version(engine)
    assert refused(capsys, "ticket", "new", *argv) == sentence
    assert board_version(engine) == before and ticket_count(engine) == 0


def test_an_archived_client_gets_no_new_ticket(engine, acme, capsys):
    set_archived(engine, acme[0], True, MONDAY_10)
    assert "is archived" in refused(capsys, "ticket", "new", "--client", "ACME", "x")


# --- ticket ack -------------------------------------------------------------------------------


def test_acknowledging_from_the_shell_stops_the_response_clock_and_moves_the_board(engine, acme, clock, capsys):
    ticket_id = open_on(engine, acme, clock.now() - timedelta(minutes=10), priority="P2", title="VPN down")
    before = board_version(engine)
    code, out, _ = run(capsys, "ticket", "ack", f"#{ticket_id}")
    assert code == 0 and one_line(out) == f"Acknowledged #{ticket_id} VPN down"
    assert board_version(engine) != before
    assert T.get_ticket(engine, ticket_id).status == "acknowledged"
    assert T.clocks_from_log(engine, ticket_id, clock.now())["response"].status == "met"


def test_an_acknowledgement_at_night_says_it_is_out_of_hours(engine, clock, capsys, monkeypatch):
    contract = make_contract(engine, code="NUIT", out_of_hours=True, covered=["P1"])
    night = clock.now() + timedelta(hours=12)  # 22:00 in Paris
    monkeypatch.setattr(cli_capture, "_now", lambda: night)
    ticket_id = open_on(engine, contract, night, priority="P1", title="Serveur HS")
    code, out, _ = run(capsys, "ticket", "ack", str(ticket_id))
    assert code == 0 and one_line(out) == f"Acknowledged #{ticket_id} Serveur HS — out of hours, +30 %"


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("999", "There is no ticket #999."),
        ("abc", "A ticket number is digits such as 123, not 'abc'."),
        ("99999999999999999999999", "A ticket number is digits such as 123, not '99999999999999999999999'."),
        ("-1", "A ticket number is digits such as 123, not '-1'."),
    ],
)
def test_a_wrong_ticket_number_is_one_plain_sentence(engine, acme, capsys, typed, sentence):
    assert refused(capsys, "ticket", "ack", typed) == sentence


def test_acknowledging_twice_is_refused_and_writes_nothing(engine, acme, clock, capsys):
    ticket_id = open_on(engine, acme, clock.now())
    assert main(["ticket", "ack", str(ticket_id)]) == 0
    capsys.readouterr()
    before = board_version(engine)
    assert (
        refused(capsys, "ticket", "ack", str(ticket_id))
        == f"Ticket #{ticket_id} (acknowledged) is already acknowledged."
    )
    assert board_version(engine) == before


# --- ticket list ------------------------------------------------------------------------------


@pytest.fixture
def three_tickets(engine, acme, clock):
    """ACME: an old resolved one, an open P1; BETA: an open P3 (no contract), newest."""
    old = open_on(engine, acme, clock.now() - timedelta(hours=3), title="Old printer")
    T.resolve(engine, old, clock.now() - timedelta(hours=2))
    p1 = open_on(engine, acme, clock.now() - timedelta(hours=1), priority="P1", title="Mail down")
    beta = create_client(engine, ClientCreate(name="Beta SARL", code="BETA"), clock.now())
    other = T.open_ticket(engine, T.TicketCreate(client_id=beta, title="Scanner"), clock.now())
    return {"resolved": old, "p1": p1, "beta": other}


def test_the_list_shows_one_line_per_ticket_newest_first(engine, three_tickets, capsys):
    code, out, _ = run(capsys, "ticket", "list")
    t = three_tickets
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [f"#{t['beta']}", f"#{t['p1']}", f"#{t['resolved']}"]
    assert lines[1].split()[1:4] == ["P1", "new", "ACME"]
    assert "2026-11-23 09:00" in lines[1] and lines[1].endswith("Mail down")  # opened 09:00 Paris time
    assert "resolved" in lines[2]


def test_open_and_client_narrow_the_list(engine, three_tickets, capsys):
    t = three_tickets
    _, out, _ = run(capsys, "ticket", "list", "--open")
    assert [line.split()[0] for line in out.splitlines()] == [f"#{t['beta']}", f"#{t['p1']}"]
    _, out, _ = run(capsys, "ticket", "list", "--open", "--client", "acme")
    assert [line.split()[0] for line in out.splitlines()] == [f"#{t['p1']}"]
    assert refused(capsys, "ticket", "list", "--client", "NOPE") == "No client has the code 'NOPE'."


def test_the_list_as_json_is_one_document_a_script_can_read(engine, three_tickets, capsys):
    code, out, _ = run(capsys, "ticket", "list", "--open", "--json")
    assert code == 0
    rows = json.loads(one_line(out))
    assert rows[1] == {
        "id": three_tickets["p1"],
        "client": "ACME",
        "client_name": "Client ACME",
        "contract": "C-ACME",
        "priority": "P1",
        "status": "new",
        "title": "Mail down",
        "opened_at": "2026-11-23T08:00:00Z",
        "billable": False,
    }
    assert rows[0]["contract"] is None and rows[0]["billable"] is True


def test_an_empty_list_says_so_in_one_line(engine, acme, capsys):
    assert run(capsys, "ticket", "list", "--open")[1] == "No open tickets.\n"
    assert run(capsys, "ticket", "list", "--client", "ACME")[1] == "No tickets for ACME.\n"
    assert run(capsys, "ticket", "list", "--json")[1] == "[]\n"


def test_no_secret_ever_shows(engine, acme, clock, capsys, memory_keyring):
    from msptui.store.secrets import SecretCreate, add_secret

    add_secret(engine, acme[0], SecretCreate(label="Admin Wi-Fi"), "canary-hunter2-Zq9", clock.now())
    open_on(engine, acme, clock.now(), title="Wi-Fi down")
    outputs = [run(capsys, "ticket", "list", *flags) for flags in ([], ["--json"], ["--client", "ACME"])]
    outputs.append(run(capsys, "ticket", "new", "--client", "ACME", "Wi-Fi again"))
    assert all(code == 0 for code, _, _ in outputs)
    assert not any("canary-hunter2" in out + err for _, out, err in outputs)


# --- the timer -------------------------------------------------------------------------------


@pytest.fixture
def two_tickets(engine, acme, clock):
    return (
        open_on(engine, acme, clock.now(), title="VPN down"),
        open_on(engine, acme, clock.now(), title="Printer jammed"),
    )


def test_starting_a_second_timer_stops_the_first_and_says_so(engine, clock, capsys, two_tickets):
    from msptui.store.time_entries import running_timer

    vpn, printer = two_tickets
    code, out, _ = run(capsys, "time", "start", str(vpn))
    assert code == 0 and one_line(out) == f"Started the timer on #{vpn} VPN down."
    clock.advance(timedelta(minutes=25))
    code, out, _ = run(capsys, "time", "start", f"#{printer}")
    assert code == 0
    assert (
        one_line(out)
        == f"Started the timer on #{printer} Printer jammed; stopped the one on #{vpn} VPN down after 25 min."
    )
    assert running_timer(engine).ticket_id == printer
    clock.advance(timedelta(minutes=10))
    assert one_line(run(capsys, "time", "start", str(printer))[1]) == (
        f"The timer already runs on #{printer} Printer jammed (10 min so far)."
    )


def test_stopping_says_for_how_long_and_stopping_nothing_is_refused(engine, clock, capsys, two_tickets):
    from msptui.store.time_entries import running_timer, timer_version

    vpn, _ = two_tickets
    before = timer_version(engine)
    assert main(["time", "start", str(vpn)]) == 0
    assert timer_version(engine) != before  # what the header's badge and the board can poll
    capsys.readouterr()
    clock.advance(timedelta(hours=1, minutes=30))
    code, out, _ = run(capsys, "time", "stop")
    assert code == 0 and one_line(out) == f"Stopped the timer on #{vpn} VPN down after 1 h 30."
    assert running_timer(engine) is None
    assert refused(capsys, "time", "stop") == "No timer is running."


def test_a_timer_forgotten_overnight_is_not_booked_by_starting_another(engine, clock, capsys, two_tickets):
    from msptui.store.time_entries import running_timer

    vpn, printer = two_tickets
    assert main(["time", "start", str(vpn)]) == 0
    capsys.readouterr()
    clock.advance(timedelta(hours=13))
    sentence = refused(capsys, "time", "start", str(printer))
    assert sentence.startswith(f"The timer on #{vpn} VPN down has run 13 h") and "open msptui" in sentence
    assert running_timer(engine).ticket_id == vpn
    code, out, _ = run(capsys, "time", "stop")  # asked for in so many words: stopped, with a warning
    assert code == 0 and "after 13 h" in out and "over 12 h" in one_line(out)


def test_a_timer_on_an_unknown_ticket_is_refused(engine, acme, capsys):
    assert refused(capsys, "time", "start", "999") == "There is no ticket #999."
    assert refused(capsys, "time", "start", "x1") == "A ticket number is digits such as 123, not 'x1'."


# --- the data folder and the database ---------------------------------------------------------


def test_a_missing_folder_or_database_is_refused_and_nothing_is_made(tmp_path, capsys):
    nowhere = tmp_path / "nowhere"
    assert "no msptui data folder" in refused(capsys, "ticket", "list", "--data-dir", str(nowhere))
    assert not nowhere.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no msptui database" in refused(capsys, "ticket", "new", "--client", "A", "x", "--data-dir", str(empty))
    assert list(empty.iterdir()) == []


def test_the_open_app_does_not_stop_the_commands(paths, engine, acme, capsys):
    """The app holds the folder's in-use lock (shared) and its engine: the CLI is one more writer."""
    app_holds = hold_in_use(paths)
    try:
        code, out, _ = run(capsys, "ticket", "new", "--client", "ACME", "Printer")
        assert code == 0 and out.startswith("Opened #")
        ticket_id = int(out.split()[1].removeprefix("#"))
        assert run(capsys, "ticket", "ack", str(ticket_id))[0] == 0
    finally:
        if app_holds is not None:
            app_holds.release()
    assert T.get_ticket(engine, ticket_id).status == "acknowledged"


def test_a_restore_in_progress_is_waited_for_then_said(paths, engine, acme, capsys, monkeypatch):
    fcntl = pytest.importorskip("fcntl")
    from msptui.store.files.in_use import open_lock

    monkeypatch.setattr(cli_capture, "RESTORE_WAIT", 0.0)
    fd = open_lock(paths)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a restore holds while it replaces the file
    try:
        assert "A restore is running" in refused(capsys, "ticket", "new", "--client", "ACME", "x")
    finally:
        os.close(fd)
    assert ticket_count(engine) == 0


def test_a_database_locked_by_another_program_is_said_and_nothing_is_saved(paths, engine, acme, capsys, monkeypatch):
    from msptui.store import open as store_open
    from msptui.store.db import make_engine

    monkeypatch.setattr(store_open, "make_engine", partial(make_engine, busy_timeout_ms=50))
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        sentence = refused(capsys, "ticket", "new", "--client", "ACME", "x")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sentence.startswith("The database is busy") and "Nothing was saved" in sentence
    assert ticket_count(engine) == 0


# --- the board notices ------------------------------------------------------------------------


async def test_the_open_board_shows_what_the_shell_opened_and_acknowledged(paths, clock, engine, acme, capsys):
    from msptui.ui.app import MsptuiApp
    from tests.test_board import board_of, cell

    waiting = open_on(engine, acme, clock.now() - timedelta(minutes=5), priority="P2", title="VPN down")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        board = board_of(app)
        board.tick()  # the board's first look at the database file
        assert main(["ticket", "new", "--client", "ACME", "--priority", "P1", "Mail server down"]) == 0
        assert main(["ticket", "ack", str(waiting)]) == 0
        assert main(["time", "start", str(waiting)]) == 0
        [opened] = [t.id for t in load_board(engine).tickets if t.title == "Mail server down"]
        board.tick()  # the next second: the file moved, the board asks the store
        await settle(pilot)
        assert cell(board, opened, "title").plain.startswith("Mail server down")
        assert cell(board, waiting, "status").plain == "ack'd"
        badge = app.screen.query_one("#board-timer")
        assert f"#{waiting}" in str(badge.render())  # the header shows the shell's timer too


# --- through a real process -------------------------------------------------------------------


@pytest.mark.slow
def test_the_commands_from_a_shell_while_the_store_is_open(paths, store, acme):
    """`python -m msptui ticket ...` in another process, with this one holding the store
    and the in-use lock as the app does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSPTUI_")}
    env["MSPTUI_TZ"] = "Europe/Paris"
    shell = partial(subprocess.run, capture_output=True, text=True, env=env, timeout=120)
    cli = [sys.executable, "-m", "msptui"]
    app_holds = hold_in_use(paths)
    try:
        before = board_version(store.engine)
        made = shell(
            [*cli, "ticket", "new", "--client", "ACME", "--priority", "P1", "Serveur HS", "--data-dir", str(paths.data)]
        )
        assert made.returncode == 0 and made.stderr == "", made.stderr
        ticket_id = int(one_line(made.stdout).split()[1].removeprefix("#"))
        acked = shell([*cli, "ticket", "ack", str(ticket_id), "--data-dir", str(paths.data)])
        assert acked.returncode == 0 and one_line(acked.stdout).startswith(f"Acknowledged #{ticket_id} Serveur HS")
        listed = shell([*cli, "ticket", "list", "--open", "--json", "--data-dir", str(paths.data)])
        assert [(r["id"], r["status"]) for r in json.loads(listed.stdout)] == [(ticket_id, "acknowledged")]
        wrong = shell([*cli, "ticket", "ack", str(ticket_id), "--data-dir", str(paths.data)])
        assert wrong.returncode == 1 and wrong.stdout == ""
        assert one_line(wrong.stderr) == f"msptui: Ticket #{ticket_id} (acknowledged) is already acknowledged."
        assert board_version(store.engine) != before
    finally:
        if app_holds is not None:
            app_holds.release()
