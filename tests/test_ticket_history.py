"""Tickets history: every ticket, open or closed, found as one types, opened, reopened.

The search narrows as one types and must give what a full scan gives; filters are
typed in the box (status:, client:, from:, to:); a closed ticket is found and reopened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msptui.core.rules.words import folded
from msptui.store import ticket_index, tickets
from msptui.store.reads.ticket_history import parse_query
from msptui.store.ticket_index import STATUSES, TicketIndex, load_ticket_index
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle

PARIS = ZoneInfo("Europe/Paris")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CLIENTS = [(1, "ACME", "Acmé Industrie"), (2, "BOUL", "Boulangerie Dupont"), (3, "GAR", "Garage Étienne")]

# --- the index, built from rows ------------------------------------------------------------

LETTERS = "aAeéÉbcdoOß0 "
text = st.text(alphabet=LETTERS, max_size=8)
ticket = st.tuples(st.integers(0, 2), st.sampled_from(STATUSES), st.integers(0, 60), text, text)


def index_of(found, chunk: int, monkeypatch) -> TicketIndex:
    """(client number, status, days after EPOCH, title, notes) tickets, numbered in that order."""
    monkeypatch.setattr(ticket_index, "CHUNK", chunk)
    ordered = sorted(enumerate(found, 1), key=lambda t: (t[1][2], t[0]), reverse=True)
    rows = [
        (tid, int((EPOCH + timedelta(days=days)).timestamp()), CLIENTS[c][0], status, "P3", title, f"{title} {notes}")
        for tid, (c, status, days, title, notes) in ordered
    ]
    index = TicketIndex([c[0] for c in CLIENTS], [c[1] for c in CLIENTS], [c[2] for c in CLIENTS])
    for start in range(0, len(rows), chunk):
        index.add(rows[start : start + chunk])
    index.finish()
    return index


def full_scan(found, typed: str) -> list[int]:
    """What a technician expects: every ticket whose text and client hold each word, within the filters."""
    query = parse_query(typed, PARIS)
    ordered = sorted(enumerate(found, 1), key=lambda t: (t[1][2], t[0]), reverse=True)
    out = []
    for tid, (c, status, days, title, notes) in ordered:
        code, name = CLIENTS[c][1], CLIENTS[c][2]
        opened = (EPOCH + timedelta(days=days)).timestamp()
        hay = folded(f"{title} {notes} {code} {name}")
        if query.statuses is not None and status not in query.statuses:
            continue
        if query.client is not None and query.client not in folded(f"{code} {name}"):
            continue
        if query.opened_from is not None and opened < query.opened_from:
            continue
        if query.opened_before is not None and opened >= query.opened_before:
            continue
        if all(w in hay for w in query.words):
            out.append(tid)
    return out


filters = st.sampled_from(
    ["", "status:closed ", "status:open ", "status:w ", "client:du ", "client:acme ", "from:2026-01-15 ", "to:2026-02 "]
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    found=st.lists(ticket, max_size=30),
    typing=st.lists(st.tuples(filters, text), min_size=1, max_size=4),
    chunk=st.integers(1, 5),
    limit=st.integers(1, 5),
)
def test_search_as_one_types_finds_what_a_full_scan_finds(found, typing, chunk, limit, monkeypatch):
    index = index_of(found, chunk, monkeypatch)
    for prefix, typed in typing:
        whole = prefix + typed
        # Letter by letter, then back: the index narrows and reuses its earlier searches.
        for n in [*range(len(whole) + 1), *range(len(whole), -1, -1)]:
            expected = full_scan(found, whole[:n])
            matches = index.search(parse_query(whole[:n], PARIS), limit=limit)
            assert [r.id for r in matches.rows] == expected[:limit], whole[:n]
            assert matches.more == (len(expected) > limit)


# --- what is typed ----------------------------------------------------------------------------


def test_filters_are_read_from_the_box_and_a_half_typed_one_says_what_it_expects():
    query = parse_query("Imprimante status:closed client:ACME from:2026-01-01 to:2026-03", PARIS)
    assert query.words == ("imprimante",)
    assert query.statuses == {"closed"} and query.client == "acme"
    assert datetime.fromtimestamp(query.opened_from, PARIS) == datetime(2026, 1, 1, tzinfo=PARIS)
    assert datetime.fromtimestamp(query.opened_before, PARIS) == datetime(2026, 4, 1, tzinfo=PARIS)
    assert parse_query("status:open", PARIS).statuses == {
        "new",
        "acknowledged",
        "in_progress",
        "waiting_client",
        "waiting_third_party",
    }
    assert parse_query("status:w", PARIS).statuses == {"waiting_client", "waiting_third_party"}
    typing = parse_query("from:2026-0", PARIS)
    assert typing.opened_from is None and typing.problems == (
        "from: needs a date like 2026-03-31 (or a month 2026-03, a year 2026)",
    )
    assert parse_query("status:zz", PARIS).problems[0].startswith("status:zz is not a status")
    assert parse_query("status: ", PARIS).statuses is None  # still being typed: no filter yet
    for slip in ("to:9999", "to:9999-12", "to:9999-12-31", "from:0001-01-01"):  # no overflow, a sentence
        assert parse_query(slip, PARIS).problems[0].endswith("(or a month 2026-03, a year 2026)"), slip


# --- from the database ------------------------------------------------------------------------


def test_a_closed_ticket_is_found_by_its_note_client_and_status(engine, clock, sample):
    (resolved,) = [t for t in _all(engine) if t.status == "resolved"]
    tickets.close(engine, resolved.id, clock.now())
    tickets.add_note(engine, resolved.id, tickets.NoteCreate(note="Remplacé le câble réseau du serveur"), clock.now())
    index = load_ticket_index(engine)
    assert len(index) == len(_all(engine))
    found = index.search(parse_query("cable reseau", PARIS)).rows
    assert [r.id for r in found] == [resolved.id] and found[0].status == "closed"
    closed = index.search(parse_query("status:closed", PARIS)).rows
    assert [r.id for r in closed] == [resolved.id]
    code = found[0].client_code
    of_client = index.search(parse_query(f"client:{code.lower()}", PARIS)).rows
    assert of_client and all(r.client_code == code for r in of_client)
    opened = [r.opened_at for r in index.search(parse_query("", PARIS), limit=100).rows]
    assert opened == sorted(opened, reverse=True)  # newest first
    day = f"{found[0].opened_at.astimezone(PARIS):%Y-%m-%d}"
    assert resolved.id in [r.id for r in index.search(parse_query(f"from:{day} to:{day}", PARIS), limit=100).rows]
    after = f"{(found[0].opened_at.astimezone(PARIS) + timedelta(days=1)):%Y-%m-%d}"
    assert resolved.id not in [r.id for r in index.search(parse_query(f"from:{after}", PARIS), limit=100).rows]


def _all(engine):
    from sqlmodel import Session, select

    from msptui.store.models import Ticket

    with Session(engine) as s:
        return list(s.exec(select(Ticket)))


# --- the screen ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


async def test_typing_finds_a_closed_ticket_opening_it_explains_it_and_o_reopens_it(paths, clock, engine, sample):
    from msptui.ui.screens.tickets.history import TicketHistoryScreen, TicketList
    from msptui.ui.screens.tickets.history_detail import TicketHistoryDetail

    (resolved,) = [t for t in _all(engine) if t.status == "resolved"]
    tickets.close(engine, resolved.id, clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(TicketHistoryScreen())
        await settle(pilot)
        screen = app.screen
        listing = screen.query_one("#history-list", TicketList)
        assert listing.row_count == len(_all(engine))
        for key in "status:closed":
            await pilot.press(key)
        await settle(pilot)
        assert [r.id for r in listing.rows] == [resolved.id]
        assert "1 ticket of" in str(screen.query_one("#history-count").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketHistoryDetail)
        shown = "\n".join(line for _style, line in app.screen.lines)
        assert f"#{resolved.id}" in shown and "Clocks" in shown and "Log" in shown and "closed" in shown
        await pilot.press("o")
        await settle(pilot)
        assert tickets.get_ticket(engine, resolved.id).status != "closed"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        # The list says the new status at once: a reopened ticket is no longer closed.
        assert listing.rows == []
        screen.query_one("#history-filter").value = "status:open"
        await settle(pilot)
        assert resolved.id in [r.id for r in listing.rows]


async def test_an_open_ticket_cannot_be_reopened(paths, clock, engine, sample):
    from msptui.ui.screens.tickets.history_detail import TicketHistoryDetail

    open_one = next(t for t in _all(engine) if t.status == "new")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(TicketHistoryDetail(open_one.id, PARIS))
        await settle(pilot)
        assert app.screen.check_action("reopen", ()) is False
        await pilot.press("o")
        await settle(pilot)
        assert tickets.get_ticket(engine, open_one.id).status == "new"
