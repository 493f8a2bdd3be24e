"""Breach justifications: said to the client, append-only, the newest one current."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from msptui.store import justifications as J
from msptui.store.clients import RefusedError
from msptui.store.schemas import field_errors
from tests.test_tickets import make_contract, open_on, paris


@pytest.fixture
def ticket(engine):
    return open_on(engine, make_contract(engine), paris(23, 9), priority="P1")


def test_a_new_justification_supersedes_the_old_one_which_stays_on_record(engine, ticket):
    first = J.justify_breach(engine, ticket, "response", "Storm: the line was down", paris(23, 12))
    J.justify_breach(engine, ticket, "resolution", "Part ordered from Dell", paris(23, 13))
    second = J.justify_breach(engine, ticket, "response", "Orange outage, ref. 4471", paris(23, 14))

    assert J.justifications(engine, ticket) == {
        "response": "Orange outage, ref. 4471",
        "resolution": "Part ordered from Dell",
    }
    history = J.history(engine, ticket)
    assert [(h.id, h.supersedes_id) for h in history if h.clock == "response"] == [(first, None), (second, first)]


def test_a_clock_without_a_justification_is_not_in_the_answer(engine, ticket):
    assert J.justifications(engine, ticket) == {}


@pytest.mark.parametrize(
    ("clock", "text", "field", "message"),
    [
        ("response", "   ", "text", "is required: say why the clock was late"),
        ("response", "x" * 501, "text", "is too long (501 characters, at most 500)"),
        ("response", "late\x1b[31m", "text", "contains a control character"),
        ("lunch", "Because", "clock", "is not one of the allowed choices"),
    ],
)
def test_a_bad_justification_is_refused_with_a_sentence(engine, ticket, clock, text, field, message):
    with pytest.raises(ValidationError) as caught:
        J.justify_breach(engine, ticket, clock, text, paris(23, 12))
    assert field_errors(caught.value)[field].startswith(message)
    assert J.history(engine, ticket) == []


def test_a_justification_needs_a_ticket_that_exists(engine):
    with pytest.raises(RefusedError, match="There is no ticket #404"):
        J.justify_breach(engine, 404, "response", "Storm", paris(23, 12))


def test_justifications_cannot_be_edited_or_deleted(engine, ticket):
    J.justify_breach(engine, ticket, "response", "Storm", paris(23, 12))
    for sql in ("UPDATE breach_justification SET text = 'nothing happened'", "DELETE FROM breach_justification"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    assert J.justifications(engine, ticket) == {"response": "Storm"}
