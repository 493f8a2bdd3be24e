"""The command line in French (issue 19): `msptui --lang fr ...` prints its lines, its refusals and
its help in French; without --lang it stays in the language the machine asks for (English in tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from msptui import cli_capture, cli_report
from msptui.cli import main
from msptui.store import tickets as T
from tests.billing_fixtures import october_work
from tests.delivery_fixtures import provide
from tests.test_tickets import make_contract, open_on

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def frozen_command_clock(clock, monkeypatch):
    """The commands run at the test's frozen instant (Monday 23 November 2026, 10:00 in Paris)."""
    monkeypatch.setattr(cli_capture, "_now", clock.now)
    monkeypatch.setattr(cli_report, "_now", clock.now)
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def acme(engine):
    """ACME: one active contract C-ACME (Mon-Fri 09:00-18:00 Paris, P1 round the clock)."""
    return make_contract(engine, code="ACME")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "fr", *argv])
    out, err = capsys.readouterr()
    return code, out.replace(NBSP, " "), err.replace(NBSP, " ")


def said(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == "", err
    (line,) = out.splitlines()
    return line


def refused(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("msptui: ") and "Traceback" not in err
    return line.removeprefix("msptui: ")


def test_a_ticket_opened_in_french_says_so_in_french(engine, acme, capsys):
    line = said(capsys, "ticket", "new", "--client", "acme", "--priority", "p1", "Messagerie en panne")
    number = int(line.split()[1].removeprefix("#"))
    # P1 runs round the clock here: 30 minutes to respond, from 10:00 Paris.
    assert line == (
        f"Ticket #{number} P1 ouvert pour ACME, sur C-ACME, prise en charge avant 10:30 : Messagerie en panne"
    )
    assert T.get_ticket(engine, number).priority == "P1"


def test_the_list_and_an_acknowledgement_read_in_french(engine, acme, clock, capsys):
    ticket = open_on(engine, acme, clock.now() - timedelta(hours=1), title="Imprimante bloquée")
    assert said(capsys, "ticket", "ack", str(ticket)) == f"#{ticket} Imprimante bloquée pris en charge"
    line = said(capsys, "ticket", "list")
    assert line.split()[:2] == [f"#{ticket}", "P3"]
    assert "pris en charge" in line and "2026-11-23 09:00" in line and line.endswith("Imprimante bloquée")
    assert said(capsys, "ticket", "list", "--client", "ACME", "--open") == line
    T.resolve(engine, ticket, clock.now())
    assert said(capsys, "ticket", "list", "--open") == "Aucun ticket ouvert."


def test_refusals_are_one_french_sentence(engine, acme, capsys):
    assert refused(capsys, "ticket", "ack", "999") == "Il n'y a pas de ticket #999."
    assert refused(capsys, "ticket", "new", "--client", "ACEM", "x") == (
        "Aucun client n'a le code 'ACEM' (vouliez-vous dire ACME ?)."
    )
    assert refused(capsys, "ticket", "new", "--client", "ACME", "--priority", "urgent", "x") == (
        "La priorité doit être P1, P2, P3 ou P4, pas 'urgent'."
    )
    assert refused(capsys, "time", "stop") == "Aucun chrono ne tourne."
    assert refused(capsys, "time", "start", "x1") == "Un numéro de ticket s'écrit en chiffres, comme 123, pas 'x1'."


def test_the_timer_from_the_shell_speaks_french(engine, acme, clock, capsys):
    vpn = open_on(engine, acme, clock.now(), title="VPN coupé")
    printer = open_on(engine, acme, clock.now(), title="Imprimante bloquée")
    assert said(capsys, "time", "start", str(vpn)) == f"Chrono démarré sur #{vpn} VPN coupé."
    clock.advance(timedelta(minutes=25))
    assert said(capsys, "time", "start", str(printer)) == (
        f"Chrono démarré sur #{printer} Imprimante bloquée ; celui sur #{vpn} VPN coupé est arrêté après 25 min."
    )
    clock.advance(timedelta(minutes=10))
    assert said(capsys, "time", "start", str(printer)) == (
        f"Le chrono tourne déjà sur #{printer} Imprimante bloquée (10 min jusqu'ici)."
    )


def test_the_report_command_says_where_in_french(engine, sample, clock, capsys, paths):
    provide(engine)
    october_work(engine, sample, clock)
    line = said(capsys, "report", "--client", "boul", "--month", "2026-10", "--format", "md")
    written = paths.exports / "reports" / "BOUL-2026-10-service-report.md"
    assert line == f"Rapport de service de BOUL pour 2026-10 écrit dans {written}"
    assert refused(capsys, "report", "--client", "NOPE", "--month", "2026-10") == "Aucun client n'a le code 'NOPE'."


def test_the_help_and_the_folders_are_in_french(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "ticket", "new", "--help"])
    help_text = capsys.readouterr().out
    assert "ouvrir un ticket (comme N sur le tableau)" in help_text
    assert "le code du client, par exemple BOUL" in help_text
    folder = tmp_path / "données"
    assert main(["--lang", "fr", "--where", "--data-dir", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"données         {folder}"  # the names in one column, as long as the longest
    assert lines[-1] == f"base de données {folder / 'msptui.sqlite3'}"
    assert not folder.exists()


def test_without_lang_the_command_line_stays_in_english(engine, acme, capsys):
    assert main(["ticket", "ack", "999"]) == 1
    assert capsys.readouterr().err == "msptui: There is no ticket #999.\n"
