"""`msptui report --client CODE --month YYYY-MM [--format md|pdf|csv]`: one line out and exit 0,
or one plain sentence on stderr and exit 1."""

from __future__ import annotations

import pytest

from msptui import cli_report
from msptui.cli import main
from tests.billing_fixtures import october_work
from tests.delivery_fixtures import provide


@pytest.fixture(autouse=True)
def frozen_command_clock(clock, monkeypatch):
    monkeypatch.setattr(cli_report, "_now", clock.now)


@pytest.fixture
def october(engine, sample, clock):
    provide(engine)
    with engine.begin() as conn:  # an English report (a French address gives a French one: test_documents_french.py)
        conn.exec_driver_sql("UPDATE client SET language = 'en' WHERE id = ?", (sample["BOUL"],))
    return october_work(engine, sample, clock)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "", (code, out, err)
    (line,) = err.splitlines()
    assert line.startswith("msptui: ") and "Traceback" not in err
    return line.removeprefix("msptui: ")


def test_the_markdown_report_is_written_and_one_line_says_where(capsys, october, paths):
    code, out, err = run(capsys, "report", "--client", "boul", "--month", "2026-10", "--format", "md")
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    target = paths.exports / "reports" / "BOUL-2026-10-service-report.md"
    assert line == f"Wrote the service report of BOUL for 2026-10 to {target}"
    text = target.read_text("utf-8")
    assert "# Service report, October 2026" in text and "Time spent: 3h30" in text
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_csv_report_holds_the_figures(capsys, october, paths):
    code, out, _err = run(capsys, "report", "--client", "BOUL", "--month", "2026-10", "--format", "csv")
    assert code == 0 and out.rstrip().endswith("BOUL-2026-10-service-report.csv")
    assert "tickets;opened;;;1" in (paths.exports / "reports" / "BOUL-2026-10-service-report.csv").read_text(
        "utf-8-sig"
    )


@pytest.mark.slow  # matplotlib may run fontconfig's fc-list once, to build its font cache
def test_the_pdf_is_the_default_format(capsys, october, paths):
    code, out, _err = run(capsys, "report", "--client", "BOUL", "--month", "2026-10")
    pdf = paths.exports / "reports" / "BOUL-2026-10-service-report.pdf"
    assert code == 0 and out.rstrip().endswith(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_unknown_client_is_refused_with_a_suggestion(capsys, october):
    assert refused(capsys, "report", "--client", "BOUK", "--month", "2026-10", "--format", "md") == (
        "No client has the code 'BOUK' (did you mean BOUL?)."
    )


def test_a_month_typed_wrong_or_not_begun_is_refused_in_words(capsys, october, paths):
    assert refused(capsys, "report", "--client", "BOUL", "--month", "2026-13", "--format", "md") == (
        "“2026-13” is not a month: type it as YYYY-MM, such as 2026-03."
    )
    assert refused(capsys, "report", "--client", "BOUL", "--month", "2027-02", "--format", "md") == (
        "February 2027 has not begun yet for Boulangerie Martin: there is nothing to report."
    )
    assert not (paths.exports / "reports").exists() or not any((paths.exports / "reports").iterdir())


def test_a_missing_data_folder_is_refused_and_not_created(capsys, tmp_path):
    folder = tmp_path / "nowhere"
    line = refused(capsys, "report", "--data-dir", str(folder), "--client", "BOUL", "--month", "2026-10")
    assert line.startswith("There is no msptui data folder at") and not folder.exists()
