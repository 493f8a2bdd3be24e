"""Import fed with exports mutated at random (issue 13): either refused in one sentence
with nothing written, or imported, and then the board loads (both of its paths).

Each example imports into a copy of one empty, migrated database file: a real
SQLite file, without paying for the migrations every time.
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from msptui.paths import resolve
from msptui.store.clients import RefusedError
from msptui.store.db import make_engine, sqlite_url
from msptui.store.files.transfer import export_data, import_data
from msptui.store.open import open_store
from msptui.store.sample import load_sample

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    """(an export of the sample data, the file of an empty migrated database)."""
    folder = tmp_path_factory.mktemp("fuzz")
    source = open_store(resolve(folder / "source").ensure())
    load_sample(source.engine, NOW)
    export = export_data(source.engine, NOW)
    source.dispose()
    empty = open_store(resolve(folder / "empty").ensure())
    empty.dispose()
    return export, folder / "empty" / "msptui.sqlite3"


HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "../../../../tmp/x/PACK",
            "Mars/Olympus",
            "25:99",
            "=cmd|'/C calc'!A0",
            "\u202egnp.exe",
            "\x00",
            "",
            "x" * 10_000,
            "2026-02-30",
            "9999-12-31T23:59:59Z",
            "-1",
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(1, 400).map(lambda depth: json.loads("[" * depth + "]" * depth)),
)


@st.composite
def mutations(draw, export):
    tables = [name for name, rows in export["tables"].items() if rows]
    data = copy.deepcopy(export)
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(tables))
        rows = data["tables"][table]
        row = rows[draw(st.integers(0, len(rows) - 1))]
        action = draw(st.sampled_from(["value", "value", "borrow", "borrow", "drop", "extra"]))
        column = draw(st.sampled_from(sorted(row)))
        if action == "borrow":  # another row's value: often valid, sometimes a broken reference or duplicate
            other = rows[draw(st.integers(0, len(rows) - 1))]
            row[column] = copy.deepcopy(other.get(column))
        elif action == "value":
            row[column] = draw(HOSTILE_VALUES)
        elif action == "drop":
            row.pop(column)
        else:
            row[draw(st.sampled_from(["../x", "id2", "__class__"]))] = draw(HOSTILE_VALUES)
    return data


def _row_count(engine) -> int:
    with engine.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
                )
            )
        ]
        return sum(conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() for n in names)


@pytest.mark.slow
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_a_mutated_export_is_refused_whole_or_imported_and_the_board_loads(material, tmp_path, data):
    from msptui.ui.screens.tickets.board import board_snapshot, early_snapshot

    export, empty = material
    mutated = data.draw(mutations(export))
    target = tmp_path / f"case-{data.draw(st.integers(0, 10**9))}.sqlite3"
    shutil.copyfile(empty, target)
    engine = make_engine(sqlite_url(target))
    try:
        try:
            payload = json.dumps(mutated, allow_nan=True)
        except (ValueError, RecursionError):
            return  # not even JSON: nothing to feed
        try:
            import_data(engine, payload)
        except RefusedError as refusal:
            event("refused")
            assert "\n" not in str(refusal) and str(refusal).strip()
            assert _row_count(engine) == 0, "a refused import wrote something"
            return
        event("imported")
        zone = ZoneInfo("Europe/Paris")
        board, countdowns = board_snapshot(engine, NOW, zone, True)
        assert len(countdowns) == len(board.tickets)
        early = early_snapshot(target, NOW, zone, True)
        assert early is None or len(early[1]) == len(countdowns)
    finally:
        engine.dispose()
