"""The conflict-of-interest register, as the store keeps it.

Record at once, disclose completely (when, to whom, how), record the client's
answer, close once it no longer exists; a bribe is refused on record; the
board counts what is still undisclosed; the register exports to Markdown and
CSV without losing a character of what was typed.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from msptui.core.rules import ConflictStatus, format_age
from msptui.store import conflicts
from msptui.store.clients import RefusedError
from msptui.store.files.engagement_exports import CONFLICT_HEADER, export_conflicts
from msptui.store.schemas import FieldError, field_errors
from msptui.store.schemas.engagements import (
    ClientAnswerInput,
    ConflictCreate,
    DisclosureInput,
    EngagementCreate,
)
from tests.test_engagements import TRICKY, md_cells


def record(engine, clock, client_id, kind="financial_interest", description="I own shares of the vendor", **kw):
    return conflicts.register_conflict(
        engine, ConflictCreate(client_id=client_id, kind=kind, description=description, **kw), clock.now()
    )


def disclosure(clock, **kw):
    values = {"disclosed_at": clock.now(), "to_whom": "Marc Schmitt, directeur", "how": "E-mail"} | kw
    return DisclosureInput(**values)


def status(engine, conflict_id):
    return conflicts.get_conflict(engine, conflict_id).status


@pytest.fixture
def schm(sample):
    return sample["SCHM"]


def test_the_sample_register_has_exactly_one_undisclosed_conflict(engine, sample):
    assert conflicts.count_undisclosed(engine) == 1


def test_a_recorded_conflict_is_undisclosed_and_counted_until_disclosed(engine, schm, clock):
    before = conflicts.count_undisclosed(engine)
    cid = record(engine, clock, schm)
    assert status(engine, cid) is ConflictStatus.undisclosed
    assert conflicts.count_undisclosed(engine) == before + 1
    assert conflicts.blocking_for_client(engine, schm).undisclosed == 2  # with the sample's own

    conflicts.disclose(engine, cid, disclosure(clock), clock.now())
    assert status(engine, cid) is ConflictStatus.disclosed_awaiting_answer
    assert conflicts.count_undisclosed(engine) == before


def test_an_undisclosed_conflict_shows_how_long_it_has_waited(engine, schm, clock):
    cid = record(engine, clock, schm)
    clock.advance(timedelta(hours=26, minutes=5))
    row = conflicts.get_conflict(engine, cid)
    assert format_age(row.undisclosed_age(clock.now())) == "1 d"
    conflicts.disclose(engine, cid, disclosure(clock), clock.now())
    assert conflicts.get_conflict(engine, cid).undisclosed_age(clock.now()) is None


def test_an_identification_time_typed_is_read_in_the_clients_time_zone(engine, schm, clock):
    cid = record(engine, clock, schm, identified_at="2026-11-23 08:30")  # Metz, UTC+1 in November
    assert conflicts.get_conflict(engine, cid).conflict.identified_at == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def test_a_conflict_identified_in_the_future_is_refused(engine, schm, clock):
    with pytest.raises(FieldError) as err:
        record(engine, clock, schm, identified_at="2026-11-24 08:30")
    assert err.value.field == "identified_at"


def test_a_gift_or_bribe_is_recorded_as_refused(engine, schm, clock):
    before = conflicts.count_undisclosed(engine)
    cid = record(
        engine, clock, schm, kind="gift_or_bribe", description="Weekend in Deauville offered for a recommendation"
    )
    row = conflicts.get_conflict(engine, cid)
    assert row.status is ConflictStatus.bribe_refused
    assert row.conflict.closed_at == clock.now()
    assert not row.blocks
    assert conflicts.count_undisclosed(engine) == before
    with pytest.raises(RefusedError, match="no client answer"):
        conflicts.record_answer(engine, cid, ClientAnswerInput(answer="accepted"), clock.now())


def test_a_bribe_may_still_be_told_to_the_client_and_stays_refused(engine, schm, clock):
    cid = record(engine, clock, schm, kind="gift_or_bribe", description="Cash offered")
    conflicts.disclose(engine, cid, disclosure(clock), clock.now())
    assert status(engine, cid) is ConflictStatus.bribe_refused


def test_a_disclosure_names_when_to_whom_and_how_every_missing_part_at_once(engine, schm, clock):
    cid = record(engine, clock, schm)
    with pytest.raises(ValidationError) as err:
        conflicts.disclose(
            engine, cid, DisclosureInput(disclosed_at=clock.now() - timedelta(days=1), to_whom=" ", how=""), clock.now()
        )
    errors = field_errors(err.value)
    assert set(errors) == {"disclosed_at", "to_whom", "how"}
    assert "before the conflict was identified" in errors["disclosed_at"]
    assert status(engine, cid) is ConflictStatus.undisclosed


def test_the_first_disclosure_is_the_record(engine, schm, clock):
    cid = record(engine, clock, schm)
    conflicts.disclose(engine, cid, disclosure(clock), clock.now())
    with pytest.raises(RefusedError, match="Already disclosed"):
        conflicts.disclose(engine, cid, disclosure(clock, to_whom="Someone else"), clock.now())
    assert conflicts.get_conflict(engine, cid).conflict.disclosed_to == "Marc Schmitt, directeur"


def test_an_answer_given_on_the_spot_is_recorded_with_the_disclosure(engine, schm, clock):
    cid = record(engine, clock, schm)
    conflicts.disclose(engine, cid, disclosure(clock, client_answer="waived"), clock.now())
    row = conflicts.get_conflict(engine, cid)
    assert (row.status, row.conflict.answered_at) == (ConflictStatus.waived_by_client, clock.now())
    assert not row.blocks


def test_the_client_answers_only_after_being_told_and_only_once(engine, schm, clock):
    cid = record(engine, clock, schm)
    with pytest.raises(RefusedError, match="Disclose the conflict first"):
        conflicts.record_answer(engine, cid, ClientAnswerInput(answer="accepted"), clock.now())
    conflicts.disclose(engine, cid, disclosure(clock), clock.now())
    with pytest.raises(FieldError) as err:
        conflicts.record_answer(
            engine, cid, ClientAnswerInput(answer="accepted", answered_at="2026-11-22 10:00"), clock.now()
        )
    assert err.value.field == "answered_at"
    conflicts.record_answer(engine, cid, ClientAnswerInput(answer="refused"), clock.now())
    assert status(engine, cid) is ConflictStatus.refused_by_client
    assert conflicts.blocking_for_client(engine, schm).refused == 1
    with pytest.raises(RefusedError, match="already on record"):
        conflicts.record_answer(engine, cid, ClientAnswerInput(answer="accepted"), clock.now())


def test_closing_never_hides_an_undisclosed_conflict(engine, schm, clock):
    cid = record(engine, clock, schm)
    with pytest.raises(RefusedError, match="Disclose this conflict"):
        conflicts.close_conflict(engine, cid, clock.now())
    conflicts.disclose(engine, cid, disclosure(clock, client_answer="refused"), clock.now())
    conflicts.close_conflict(engine, cid, clock.now())
    assert status(engine, cid) is ConflictStatus.closed
    assert conflicts.blocking_for_client(engine, schm).refused == 0


def test_a_conflict_names_only_an_engagement_of_its_client(engine, sample, clock):
    from msptui.store.engagements import create_engagement

    eid = create_engagement(
        engine, EngagementCreate(client_id=sample["DENT"], title="X", technologies="Veeam"), clock.now()
    )
    with pytest.raises(FieldError) as err:
        record(engine, clock, sample["SCHM"], engagement_id=eid)
    assert err.value.field == "engagement_id"


def test_the_register_lists_undisclosed_conflicts_first_longest_waiting_first(engine, sample, clock):
    old = record(engine, clock, sample["BOUL"], identified_at="2026-11-01 10:00")
    recent = record(engine, clock, sample["BOUL"])
    rows = conflicts.list_conflicts(engine)
    undisclosed = [r.id for r in rows if r.status is ConflictStatus.undisclosed]
    assert rows[: len(undisclosed)] == [r for r in rows if r.status is ConflictStatus.undisclosed]
    assert undisclosed.index(old) < undisclosed.index(recent)
    assert [r.id for r in conflicts.list_conflicts(engine, sample["BOUL"])] == [old, recent]


def test_the_register_exports_as_markdown_and_csv_with_user_text_intact(engine, paths, schm, clock):
    cid = record(engine, clock, schm, description=TRICKY)
    conflicts.disclose(engine, cid, disclosure(clock, to_whom='Marc "le boss" | Schmitt', how="Call 📞"), clock.now())

    md_path, csv_path = export_conflicts(engine, paths.exports, clock.now())
    assert (md_path.name, csv_path.name) == ("conflicts-register-2026-11-23.md", "conflicts-register-2026-11-23.csv")
    assert csv_path.stat().st_mode & 0o077 == 0

    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert header == CONFLICT_HEADER
    mine = next(r for r in rows if r[header.index("Description")] == TRICKY)
    assert mine[header.index("Disclosed to")] == 'Marc "le boss" | Schmitt'
    assert mine[header.index("How")] == "Call 📞"
    assert mine[header.index("Identified at")] == "2026-11-23T10:00+01:00"
    assert any(r[header.index("Status")] == "Undisclosed" and r[header.index("Undisclosed for")] for r in rows)

    table = [md_cells(line) for line in md_path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert table[0] == CONFLICT_HEADER
    assert all(len(cells) == len(CONFLICT_HEADER) for cells in table)
    assert [TRICKY, 'Marc "le boss" | Schmitt'] in [[c[4], c[9]] for c in table]


def test_a_second_export_the_same_day_does_not_replace_the_first(engine, paths, sample, clock):
    first = export_conflicts(engine, paths.exports, clock.now())
    second = export_conflicts(engine, paths.exports, clock.now())
    assert second[0].name == "conflicts-register-2026-11-23-2.md"
    assert first[0].exists() and second[1].exists()


def test_one_clients_register_exports_only_that_client(engine, paths, sample, clock):
    md_path, csv_path = export_conflicts(engine, paths.exports, clock.now(), sample["SCHM"])
    assert md_path.name == "conflicts-register-schm-2026-11-23.md"
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert {r[header.index("Code")] for r in rows} == {"SCHM"}


def test_an_identification_time_left_empty_in_the_form_means_now(engine, schm, clock):
    cid = record(engine, clock, schm, identified_at="  ")
    assert conflicts.get_conflict(engine, cid).conflict.identified_at == clock.now()


def test_a_description_that_looks_like_a_formula_stays_text_in_the_spreadsheet(engine, paths, schm, clock):
    record(engine, clock, schm, description='=HYPERLINK("http://evil.example","click")')
    _md, csv_path = export_conflicts(engine, paths.exports, clock.now())
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    descriptions = [r[header.index("Description")] for r in rows]
    assert '\'=HYPERLINK("http://evil.example","click")' in descriptions
    assert not any(d.startswith("=") for d in descriptions)


def test_a_disclosure_in_the_same_minute_as_the_identification_is_accepted(engine, schm, clock):
    clock.advance(timedelta(seconds=37))  # identified "now", with seconds
    cid = record(engine, clock, schm)
    minute = clock.now().replace(second=0, microsecond=0)  # what the form shows and prefills
    conflicts.disclose(engine, cid, disclosure(clock, disclosed_at=minute), clock.now())
    assert status(engine, cid) is not ConflictStatus.undisclosed
    earlier = record(engine, clock, schm)
    with pytest.raises(ValidationError) as err:  # the minute before stays refused
        conflicts.disclose(engine, earlier, disclosure(clock, disclosed_at=minute - timedelta(minutes=1)), clock.now())
    message = field_errors(err.value)["disclosed_at"]
    assert message.startswith("The disclosure is dated before")
