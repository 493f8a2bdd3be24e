"""Satisfaction in the store: append-only answers, corrections that supersede, "not asked"
counted in the response rate, and the client's summary on the client's own dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from msptui.store import satisfaction as S
from msptui.store.clients import RefusedError
from msptui.store.deliveries import open_delivery
from msptui.store.schemas import field_errors
from msptui.store.schemas.satisfaction import SatisfactionCreate
from tests.delivery_fixtures import make_engagement
from tests.test_tickets import make_contract, open_on, paris

NOW = paris(27, 12)


@pytest.fixture
def acme(engine):
    return make_contract(engine)


@pytest.fixture
def ticket(engine, acme):
    return open_on(engine, acme, paris(23, 9))


def answer(engine, ticket_id, score, *, comment="", given_by="", at=NOW, supersedes=None) -> int:
    data = SatisfactionCreate(
        ticket_id=ticket_id, score=score, comment=comment, given_by=given_by, asked_at=at, supersedes_id=supersedes
    )
    return S.record_satisfaction(engine, data, NOW)


def test_an_answer_is_recorded_for_the_tickets_client(engine, acme, ticket):
    answer_id = answer(engine, ticket, 4, comment="Quick and polite", given_by="Sophie Martin")
    [row] = S.current_answers(engine, acme[0])
    assert (row.id, row.client_id, row.ticket_id, row.delivery_id) == (answer_id, acme[0], ticket, None)
    assert (row.score, row.comment, row.given_by) == (4, "Quick and polite", "Sophie Martin")
    assert (row.asked_at, row.recorded_at) == (NOW, NOW)


def test_answers_cannot_be_edited_or_deleted(engine, acme, ticket):
    answer(engine, ticket, 2, comment="Too slow")
    for sql in ("UPDATE satisfaction SET score = 5", "DELETE FROM satisfaction"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    [row] = S.current_answers(engine, acme[0])
    assert (row.score, row.comment) == (2, "Too slow")


def test_a_correction_supersedes_the_answer_which_stays_on_record(engine, acme, ticket):
    typed_wrong = answer(engine, ticket, 2)
    fixed = answer(engine, ticket, 5, supersedes=typed_wrong)

    assert [r.id for r in S.current_answers(engine, acme[0])] == [fixed]
    in_month = S.satisfaction_in_period(
        engine, acme[0], datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert [(r.id, r.score, r.supersedes_id) for r in in_month] == [(fixed, 5, typed_wrong)]
    assert S.client_satisfaction(engine, acme[0], NOW).avg_3m == Decimal("5.0")
    with pytest.raises(RefusedError, match=f"already corrected by answer #{fixed}"):
        answer(engine, ticket, 4, supersedes=typed_wrong)


def test_a_correction_is_about_the_same_ticket(engine, acme, ticket):
    other = open_on(engine, acme, paris(23, 10), title="Wi-Fi down")
    first = answer(engine, ticket, 3)
    with pytest.raises(RefusedError, match="same ticket or delivery"):
        answer(engine, other, 5, supersedes=first)
    assert [r.id for r in S.current_answers(engine, acme[0])] == [first]


def test_not_asked_counts_in_the_response_rate_denominator(engine, acme, ticket):
    answer(engine, ticket, 4)
    answer(engine, ticket, None, at=NOW - timedelta(days=1))
    answer(engine, ticket, None, at=NOW - timedelta(days=2))
    answer(engine, ticket, 2, at=NOW - timedelta(days=3))
    s = S.client_satisfaction(engine, acme[0], NOW)
    assert (s.avg_3m, s.count_3m, s.occasions_12m) == (Decimal("3.0"), 2, 4)
    assert s.response_rate_12m == Decimal("0.500")


def test_the_period_holds_the_answers_asked_in_it_not_asked_included(engine, acme, ticket):
    answer(engine, ticket, 4, at=paris(25, 9))
    answer(engine, ticket, None, at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC))  # 1 Nov in Paris, 31 Oct in UTC
    answer(engine, ticket, 5, at=datetime(2026, 10, 15, tzinfo=UTC))
    november = S.satisfaction_in_period(
        engine, acme[0], datetime(2026, 10, 31, 23, tzinfo=UTC), datetime(2026, 11, 30, 23, tzinfo=UTC)
    )
    assert [r.score for r in november] == [None, 4]


def test_the_summary_counts_on_the_clients_local_dates(engine, acme, ticket):
    # 23 Aug 23:30 in Paris is 21:30 UTC: in Paris, exactly 3 months before 23 Nov, so out of the 3 months.
    answer(engine, ticket, 1, at=datetime(2026, 8, 23, 21, 30, tzinfo=UTC))
    answer(engine, ticket, 5, at=datetime(2026, 8, 23, 22, 30, tzinfo=UTC))  # 24 Aug 00:30 in Paris
    s = S.client_satisfaction(engine, acme[0], paris(23, 12))
    assert (s.avg_3m, s.count_3m, s.avg_12m) == (Decimal("5.0"), 1, Decimal("3.0"))


def test_a_delivery_answer_belongs_to_the_engagements_client(engine, acme):
    engagement = make_engagement(engine, acme[0], paris(23, 9))
    delivery = open_delivery(engine, engagement, paris(23, 10))
    S.record_satisfaction(engine, SatisfactionCreate(delivery_id=delivery, score=5, comment="Great work"), NOW)
    [row] = S.current_answers(engine, acme[0])
    assert (row.delivery_id, row.ticket_id, row.asked_at) == (delivery, None, NOW)
    assert S.occasion(engine, delivery_id=delivery).label.startswith("delivery of")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"score": 6}, "score", "must be a whole number from 1"),
        ({"score": "great"}, "score", "must be a whole number from 1"),
        ({"score": 4, "comment": "x" * 1001}, "comment", "is too long (1001 characters, at most 1000)"),
        ({"score": None, "comment": "Fine"}, "comment", "A comment goes with the client's score"),
        ({"score": 4, "given_by": "Sophie\x1b[31m"}, "given_by", "contains a control character"),
    ],
)
def test_a_bad_answer_is_refused_with_a_sentence_and_nothing_saved(engine, acme, ticket, values, field, message):
    with pytest.raises(ValidationError) as caught:
        SatisfactionCreate(ticket_id=ticket, **values)
    assert field_errors(caught.value)[field].startswith(message)
    assert S.current_answers(engine, acme[0]) == []


def test_an_answer_is_about_one_ticket_or_one_delivery(engine, ticket):
    with pytest.raises(ValidationError) as caught:
        SatisfactionCreate(score=4)
    assert field_errors(caught.value)["ticket_id"] == "Say which ticket or delivery the client was asked about."
    with pytest.raises(RefusedError, match="There is no ticket #404"):
        S.record_satisfaction(engine, SatisfactionCreate(ticket_id=404, score=4), NOW)


def test_the_database_refuses_a_score_out_of_range_even_without_the_schema(engine, acme, ticket):
    with pytest.raises(Exception, match="(?i)check constraint"), engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO satisfaction (client_id, ticket_id, score, comment, given_by, asked_at, recorded_at) "
            f"VALUES ({acme[0]}, {ticket}, 9, '', '', '2026-11-27 11:00:00', '2026-11-27 11:00:00')"
        )


def test_every_client_summary_in_one_read(engine, acme, ticket):
    other = make_contract(engine, code="BETA")
    answer(engine, ticket, 4)
    answer(engine, open_on(engine, other, paris(23, 9)), None)
    summaries = S.satisfaction_by_client(engine, NOW)
    assert summaries[acme[0]] == S.client_satisfaction(engine, acme[0], NOW)
    assert (summaries[other[0]].avg_3m, summaries[other[0]].response_rate_12m) == (None, Decimal("0.000"))
