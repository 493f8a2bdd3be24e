"""Finding a client by a few letters: the search index of the client browser and the new-ticket picker.

Every client is held in a few columns and one folded text searched with
`str.find` (in C), so the index is a handful of objects whatever the number
of clients: one Python object per client made keystrokes pay for garbage
collection at 100,000 clients (issue 15). A growing query narrows the
previous matches.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import col

from msptui.core.rules.words import folded
from msptui.store import db
from msptui.store.models import Client, Contact

# --- finding a client by a few letters -------------------------------------------


@dataclass(frozen=True, slots=True)
class ClientRow:
    id: int
    name: str
    code: str
    city: str
    status: str
    archived: bool
    haystack: str  # folded name, code, city and contact names, searched as one types


@dataclass(frozen=True, slots=True)
class Matches:
    """What the browser shows: the first matches in name order, and whether any other client matches."""

    rows: list[ClientRow]
    more: bool


@dataclass(slots=True)
class _Scan:
    """A scan of the index for some words, stopped early: every match before row `stop` is in `found`."""

    words: tuple[str, ...]
    include_archived: bool
    found: list[int]  # row numbers
    stop: int


# Rows read, folded and let go at a time when the index loads.
LOAD_CHUNK = 2000


class ClientIndex:
    """All clients in memory, searched as one types: one query, then each keystroke is a scan.

    Kept in columns, with every client's folded name, code, city and contacts in
    one string (a line each): a word is looked up with `str.find` over that
    string, in C, instead of a Python test per client. At 100,000 clients a scan
    per row cost 114 ms a key, and 100,000 row objects made every full garbage
    collection slow; here the index is a dozen objects whatever its size.
    Rows (`ClientRow`) are made only for the matches asked for.
    """

    # Earlier scans kept for narrowing (backspace goes back to one of them).
    KEPT_SCANS = 32

    def __init__(
        self,
        ids: Sequence[int],
        names: list[str],
        codes: list[str],
        cities: list[str],
        statuses: list[str],
        archived: bytes,
        text: str,
        starts: Sequence[int],
    ) -> None:
        self.ids = ids
        self.names = names
        self.codes = codes
        self.cities = cities
        self.statuses = statuses
        self.archived = archived
        self.text = text  # one folded line per client, in name order
        self.starts = starts  # where each client's line starts in `text`, and len(text) + 1 last
        self._scans: dict[tuple[tuple[str, ...], bool], _Scan] = {}

    @classmethod
    def from_rows(cls, chunks: Iterable[Sequence[Sequence[Any]]]) -> ClientIndex:
        """Build from chunks of (id, name, code, city, status, archived, searched text) rows, in name order.

        The searched text is the client's name, code, city and contact names, on one line.
        Chunk by chunk, so that the rows read are let go as they are indexed: holding
        100,000 of them at once took the peak memory over 150 MB.
        """
        ids = array("q")
        names: list[str] = []
        codes: list[str] = []
        cities: list[str] = []
        statuses: list[str] = []
        archived = bytearray()
        texts: list[str] = []
        starts = array("q", [0])
        intern = sys.intern  # few cities and statuses, many clients: one string each
        for rows in chunks:
            # Columns of the chunk at once (zip, in C) rather than six appends per client.
            chunk_ids, chunk_names, chunk_codes, chunk_cities, chunk_statuses, chunk_archived, searched = zip(
                *rows, strict=True
            )
            ids.extend(chunk_ids)
            names.extend(chunk_names)
            codes.extend(chunk_codes)
            cities.extend(map(intern, chunk_cities))
            statuses.extend(map(intern, chunk_statuses))
            archived.extend(map(bool, chunk_archived))
            # Folded a chunk at a time: each call holds the interpreter lock, and the screen
            # must go on answering while the index loads in its worker. Folding works
            # character by character and a newline is never a mark, so folding lines
            # together gives the lines folded one by one.
            text = folded("\n".join(line.replace("\n", " ") for line in searched))
            texts.append(text)
            # Folding changes lengths: the offsets come from the folded text.
            offsets = accumulate((len(line) + 1 for line in text.split("\n")), initial=starts[-1])
            next(offsets)
            starts.extend(offsets)
        return cls(ids, names, codes, cities, statuses, bytes(archived), "\n".join(texts), starts)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def rows(self) -> list[ClientRow]:
        """Every client as a row (costly at 100,000: for tests and tools, not for each keystroke)."""
        return [self.row(n) for n in range(len(self.ids))]

    def row(self, n: int) -> ClientRow:
        hay = self.text[self.starts[n] : self.starts[n + 1] - 1]
        archived = bool(self.archived[n])
        return ClientRow(self.ids[n], self.names[n], self.codes[n], self.cities[n], self.statuses[n], archived, hay)

    def filter(
        self, query: str, include_archived: bool = False, limit: int | None = None
    ) -> tuple[list[ClientRow], int]:
        """Rows whose name, code, city or a contact contains every word of `query` (any case, any accent).

        Returns (the first `limit` matches in name order, the total number of matches).
        """
        words = tuple(folded(query).split())
        found = self._scan(words, include_archived, [], 0, None).found
        shown = found if limit is None else found[:limit]
        return [self.row(n) for n in shown], len(found)

    def search(self, query: str, include_archived: bool = False, limit: int = 50) -> Matches:
        """The first `limit` matches of `query` (as `filter`), and whether there are more, without counting them.

        As the query grows, only the previous matches are tested again and the scan
        resumes where the previous one stopped, once `limit` + 1 matches were found.
        """
        words = tuple(folded(query).split())
        scan = self._scans.get((words, include_archived))
        if scan is None or (len(scan.found) <= limit and scan.stop < len(self.ids)):
            base = scan or self._narrowest(words, include_archived)
            if base is None:
                scan = self._scan(words, include_archived, [], 0, limit + 1)
            else:
                kept = [n for n in base.found if self._matches(n, words)]
                scan = self._scan(words, include_archived, kept, base.stop, limit + 1)
            self._keep(scan)
        return Matches([self.row(n) for n in scan.found[:limit]], len(scan.found) > limit)

    def _narrowest(self, words: tuple[str, ...], include_archived: bool) -> _Scan | None:
        # A kept scan whose every word is inside a word of the query: its matches include the query's.
        best = None
        for scan in self._scans.values():
            if scan.include_archived == include_archived and all(any(o in w for w in words) for o in scan.words):
                # The one that went furthest, then the one with fewest matches to test again.
                if best is None or (scan.stop, -len(scan.found)) > (best.stop, -len(best.found)):
                    best = scan
        return best

    def _keep(self, scan: _Scan) -> None:
        self._scans.pop((scan.words, scan.include_archived), None)
        self._scans[(scan.words, scan.include_archived)] = scan
        while len(self._scans) > self.KEPT_SCANS:
            del self._scans[next(iter(self._scans))]

    def _matches(self, n: int, words: tuple[str, ...]) -> bool:
        hay = self.text[self.starts[n] : self.starts[n + 1] - 1]
        return all(w in hay for w in words)

    def _scan(
        self, words: tuple[str, ...], include_archived: bool, found: list[int], start: int, want: int | None
    ) -> _Scan:
        """Go on from row `start`, adding matches to `found` until it holds `want` (or the end)."""
        archived, count = self.archived, len(self.ids)
        if not words:
            n = start
            while n < count and (want is None or len(found) < want):
                if include_archived or not archived[n]:
                    found.append(n)
                n += 1
            return _Scan(words, include_archived, found, n)
        # Look the longest word up in the whole text (likely the rarest); test the others per hit.
        key = max(words, key=len)
        others = list(words)
        others.remove(key)
        text, starts, find = self.text, self.starts, self.text.find
        pos, end = starts[start], len(text)
        while pos < end:
            at = find(key, pos)
            if at < 0:
                break
            n = bisect_right(starts, at) - 1
            pos = starts[n + 1]
            if (include_archived or not archived[n]) and all(w in text[starts[n] : pos - 1] for w in others):
                found.append(n)
                if want is not None and len(found) >= want:
                    return _Scan(words, include_archived, found, n + 1)
        return _Scan(words, include_archived, found, count)


def _contact_names(engine: Engine) -> Any:
    """Every contact name of a client in one column: the database joins them (in C), not Python."""
    if engine.dialect.name == "sqlite":
        joined = select(func.group_concat(col(Contact.name), " ")).where(col(Contact.client_id) == Client.id)
    else:  # PostgreSQL (team mode)
        joined = select(func.string_agg(col(Contact.name), " ")).where(col(Contact.client_id) == Client.id)
    return joined.scalar_subquery()


def load_client_index(engine: Engine) -> ClientIndex:
    # The database builds each client's searched line (in C): building 100,000 in Python cost a quarter second.
    searched = Client.name + " " + Client.code + " " + Client.city + " " + func.coalesce(_contact_names(engine), "")
    query = select(
        col(Client.id),
        col(Client.name),
        col(Client.code),
        col(Client.city),
        col(Client.status),
        col(Client.archived_at).is_not(None),
        searched,
    ).order_by(func.lower(Client.name), col(Client.id))
    with db.read(engine) as s:
        # The driver's own cursor: SQLAlchemy's row objects doubled the cost of reading 100,000
        # clients. The statement has no parameter left once compiled with its literals.
        sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        cursor = s.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql)
            return ClientIndex.from_rows(iter(partial(cursor.fetchmany, LOAD_CHUNK), []))
        finally:
            cursor.close()


def first_clients(engine: Engine, limit: int, include_archived: bool = False) -> Matches:
    """The first clients in name order, read at once: a list to show while the whole index loads."""
    query = select(
        col(Client.id),
        col(Client.name),
        col(Client.code),
        col(Client.city),
        col(Client.status),
        col(Client.archived_at),
    )
    if not include_archived:
        query = query.where(col(Client.archived_at).is_(None))
    with db.read(engine) as s:
        found = s.execute(query.order_by(func.lower(Client.name), col(Client.id)).limit(limit + 1)).all()
    rows = [
        ClientRow(cid, name, code, city, status, archived_at is not None, folded(f"{name} {code} {city}"))
        for cid, name, code, city, status, archived_at in found[:limit]
    ]
    return Matches(rows, len(found) > limit)
