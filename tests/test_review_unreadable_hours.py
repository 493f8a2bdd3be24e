"""One contract whose business hours cannot be read leaves its client's unbilled time as
"?" in the monthly review, never the whole review as an error (review of issue 17)."""

from __future__ import annotations

from sqlalchemy import text

from msptui.store.reads.monthly_review import monthly_review
from msptui.ui.screens.reports.monthly_review import hours
from tests.billing_fixtures import october_work, set_rate


def test_a_contract_with_unreadable_hours_is_a_question_mark_not_an_empty_review(engine, sample, clock):
    ids = october_work(engine, sample, clock)
    set_rate(engine, ids["contract"], "80.00")
    with engine.begin() as conn:  # as an old import or a hand edit could leave it
        conn.execute(
            text("UPDATE contract SET business_hours = :h WHERE id = :id"),
            {"h": '{"0": [["25:00", "26:00"]]}', "id": ids["contract"]},
        )
    review = monthly_review(engine, "2026-11", clock.now())
    rows = {r.client_id: r for r in review.rows}
    assert len(rows) >= 10  # every client is still there
    assert rows[ids["client"]].unbilled is None and hours(rows[ids["client"]].unbilled) == "?"
