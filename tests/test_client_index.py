"""Finding a client as one types, at any size: the narrowed search gives what a full scan gives,
and the browser says "50+" rather than counting every match."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msptui.core.rules.words import folded as fold
from msptui.store import client_index, clients
from msptui.store.client_index import ClientIndex
from msptui.store.schemas import ClientCreate, ContactCreate
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.clients.client_list import ClientList
from tests.browser_helpers import settle_browser
from tests.test_browser import plain

# Letters that fold to one another (accents, case, ß -> ss), a space, a digit.
LETTERS = "aAeéÉèbcçdoôOssßß0 "
words = st.text(alphabet=LETTERS, min_size=0, max_size=8)
client = st.tuples(words, words, words, st.lists(words, max_size=2), st.booleans())


def index_of(found: list[tuple[str, str, str, list[str], bool]], chunk: int) -> ClientIndex:
    rows = [
        (n + 1, name, code, city, "active", archived, " ".join([name, code, city, *contacts]))
        for n, (name, code, city, contacts, archived) in enumerate(found)
    ]
    return ClientIndex.from_rows(rows[i : i + chunk] for i in range(0, len(rows), chunk))


def full_scan(found, query: str, include_archived: bool) -> list[int]:
    """What a client expects: every client whose folded fields contain every folded word typed."""
    typed = fold(query).split()
    return [
        n + 1
        for n, (name, code, city, contacts, archived) in enumerate(found)
        if (include_archived or not archived) and all(w in fold(" ".join([name, code, city, *contacts])) for w in typed)
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    found=st.lists(client, max_size=40),
    typing=st.lists(st.tuples(words, st.booleans()), min_size=1, max_size=6),
    chunk=st.integers(1, 7),
    limit=st.integers(1, 6),
)
def test_search_as_one_types_finds_what_a_full_scan_finds(found, typing, chunk, limit):
    index = index_of(found, chunk)
    for typed, include_archived in typing:
        # Letter by letter, then back: the index narrows and reuses its earlier scans.
        for query in [typed[:n] for n in range(len(typed) + 1)] + [typed[:n] for n in range(len(typed), -1, -1)]:
            expected = full_scan(found, query, include_archived)
            matches = index.search(query, include_archived=include_archived, limit=limit)
            assert [r.id for r in matches.rows] == expected[:limit]
            assert matches.more == (len(expected) > limit)
            rows, total = index.filter(query, include_archived=include_archived, limit=limit)
            assert [r.id for r in rows] == expected[:limit] and total == len(expected)


def test_a_row_keeps_its_fields_and_its_folded_text():
    index = index_of([("Hôtel Lefèvre", "HL", "Colmar", ["Zoé Straße"], True)], chunk=1)
    (row,) = index.filter("strasse lefevre zoe", include_archived=True)[0]
    assert (row.id, row.name, row.code, row.city, row.archived) == (1, "Hôtel Lefèvre", "HL", "Colmar", True)
    assert row.haystack == "hotel lefevre hl colmar zoe strasse"


def test_the_index_read_from_the_database_finds_by_contact_and_keeps_name_order(engine, clock):
    for name, code, contact in [("Zinc", "ZN", "Élodie"), ("abeille", "AB", "Marc"), ("Moulin", "ML", "")]:
        contacts = [ContactCreate(name=contact)] if contact else []
        clients.create_client(engine, ClientCreate(name=name, code=code), clock.now(), contacts)
    index = client_index.load_client_index(engine)
    assert [r.name for r in index.rows] == ["abeille", "Moulin", "Zinc"]
    assert [r.name for r in index.search("elodie").rows] == ["Zinc"]
    first = client_index.first_clients(engine, 2)
    assert [r.name for r in first.rows] == ["abeille", "Moulin"] and first.more


async def test_more_than_a_screenful_of_matches_says_50_plus_and_the_list_scrolls_to_the_last(paths, clock, engine):
    for n in range(60):
        clients.create_client(engine, ClientCreate(name=f"Garage {n:02d}", code=f"G{n:02d}"), clock.now())
    clients.create_client(engine, ClientCreate(name="Boulangerie", code="BOUL"), clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        await pilot.press(*"gar")
        await settle_browser(pilot)
        assert plain(app.screen.query_one("#match-count")).startswith("50+ clients")
        await pilot.press("down", "end")
        await settle_browser(pilot)
        listed = app.screen.query_one("#clients", ClientList)
        assert listed.cursor_client.name == "Garage 49"
        assert "Garage 49" in plain(app.screen.query_one("#client-card"))
        await pilot.press("up", "up")
        await settle_browser(pilot)
        assert "Garage 47" in plain(app.screen.query_one("#client-card"))
        app.screen.query_one("#filter").value = "g5"
        await settle_browser(pilot)
        assert [r.name for r in listed.rows] == [f"Garage {n}" for n in range(50, 60)]
        assert plain(app.screen.query_one("#match-count")).startswith("10 clients")


async def test_a_long_query_keeps_its_end_in_sight_as_it_is_typed(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        typed = "transports schmitt et fils metz moselle"
        await pilot.press(*[c if c != " " else "space" for c in typed])
        await settle_browser(pilot)
        box = app.screen.query_one("#filter")
        assert box.value == typed
        # The box is narrower than the query: it has scrolled so the cursor, at the end, shows.
        assert box.scroll_x > 0
        assert box.cursor_screen_offset.x < box.region.right
        assert plain(app.screen.query_one("#match-count")).startswith("0 clients")


async def test_a_click_puts_the_cursor_on_a_client_and_a_second_click_goes_to_its_contracts(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        listed = app.screen.query_one("#clients", ClientList)
        second = listed.rows[1]
        await pilot.click("#clients", offset=(3, 2))  # the header, then the first client, then this one
        await settle_browser(pilot)
        assert listed.cursor_client == second
        assert second.name in plain(app.screen.query_one("#client-card"))
        await pilot.click("#clients", offset=(3, 2))
        await settle_browser(pilot)
        assert app.focused is app.screen.query_one("#contracts")
