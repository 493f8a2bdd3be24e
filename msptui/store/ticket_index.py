"""Every ticket, open or closed, searched as one types: the index of the Tickets history.

As the client index (`client_index.py`): read once with the driver's own cursor,
kept in columns, and each ticket's folded title, description, notes and client
on one line of a big string searched with `str.find` (in C). A growing query
narrows the previous matches; a search stops at the first `limit` + 1 ("50+").

Rows are in opening order, newest first, so a date range is a slice found by
bisection, and the status filter is one byte per ticket looked up with
`bytes.find` (in C) when no word is typed. The text is kept in chunks of
CHUNK tickets: one accent-less line costs a byte a character, but one
character outside Latin-1 (a curly quote) makes a whole string two or four
bytes a character; a chunk bounds that to its own tickets.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import accumulate
from operator import neg
from typing import Any

from sqlalchemy import Engine, Integer, cast, func, select
from sqlmodel import col

from msptui.core.rules.words import folded
from msptui.core.vocabulary import TicketStatus
from msptui.store import db
from msptui.store.models import Client, Ticket, TicketEvent
from msptui.store.reads.ticket_history import TicketQuery

CHUNK = 2000  # tickets per chunk of text, and rows read at a time
STATUSES = tuple(s.value for s in TicketStatus)  # a ticket's status byte is its place here


@dataclass(frozen=True, slots=True)
class TicketRow:
    id: int
    opened_at: datetime  # UTC
    client_code: str
    client_name: str
    priority: str
    status: str
    title: str


@dataclass(frozen=True, slots=True)
class Matches:
    """The first matches, newest first, and whether any other ticket matches."""

    rows: list[TicketRow]
    more: bool


@dataclass(slots=True)
class _Scan:
    """A search stopped early: every match before row `stop` is in `found`."""

    query: TicketQuery
    found: list[int]
    stop: int


class _Chunked:
    """Lines kept in strings of CHUNK lines, each line found by its offsets."""

    __slots__ = ("starts", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.starts: list[array[int]] = []  # per chunk: where each line starts, and len + 1 last

    def add(self, text: str) -> None:
        """Add the lines of `text` (one per ticket, separated by newlines)."""
        self.texts.append(text)
        self.starts.append(array("i", accumulate((len(line) + 1 for line in text.split("\n")), initial=0)))

    def line(self, n: int) -> str:
        chunk, k = divmod(n, CHUNK)
        starts = self.starts[chunk]
        return self.texts[chunk][starts[k] : starts[k + 1] - 1]


class TicketIndex:
    """All tickets in columns (see the module's docstring); `search` is what a keystroke costs."""

    KEPT_SCANS = 32

    def __init__(self, client_ids: Sequence[int], client_codes: list[str], client_names: list[str]) -> None:
        self.client_ids = client_ids
        self.client_codes = client_codes
        self.client_names = client_names
        # One fold for every client: a call per client cost most of a second at 10,000.
        self._client_keys = folded(_lines(f"{c} {n}" for c, n in zip(client_codes, client_names, strict=True))).split(
            "\n"
        )
        self._client_sets: dict[str, frozenset[int]] = {}
        self._client_number = {cid: n for n, cid in enumerate(client_ids)}
        self.ids = array("q")
        self.opened = array("q")  # epoch seconds, newest first
        self.client_of = array("i")  # a number in the client columns
        self.statuses = bytearray()  # a place in STATUSES
        self.priorities = bytearray()  # 1 for P1 ...
        self.text = _Chunked()  # folded, searched
        self.titles = _Chunked()  # as typed, shown
        self._scans: dict[TicketQuery, _Scan] = {}
        self._status_masks: dict[frozenset[str], bytes] = {}
        self._status_counts: dict[frozenset[str], int] = {}
        self._by_client: list[array[int]] | None = None

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Append (id, opened epoch, client id, status, priority, title, searched text) rows, newest first.

        Called with at most CHUNK rows at a time, each call but the last with exactly CHUNK.
        """
        if len(self.ids) % CHUNK:
            raise ValueError("only the last chunk of tickets may be short")  # i18n: not shown
        ids, opened, clients, statuses, priorities, titles, searched = zip(*rows, strict=True)
        numbers = list(map(self._client_number.__getitem__, clients))
        self.ids.extend(ids)
        self.opened.extend(opened)
        self.client_of.extend(numbers)
        self.statuses.extend(map(STATUSES.index, statuses))
        self.priorities.extend(int(p[1:]) if p[1:].isdigit() else 0 for p in priorities)
        self.titles.add(_lines(titles))
        # The client's name and code end each line (joined here: in the query they doubled its time).
        # Folding works character by character and keeps newlines: the lines are folded together.
        keys = self._client_keys
        self.text.add(folded(_lines(f"{text} {keys[c]}" for text, c in zip(searched, numbers, strict=True))))
        self._scans.clear()
        self._by_client = None

    def finish(self) -> None:
        """Once every ticket is in: each client's rows, for a `client:` filter."""
        by_client: list[array[int]] = [array("i") for _ in self.client_ids]
        for n, client in enumerate(self.client_of):
            by_client[client].append(n)
        self._by_client = by_client

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, n: int) -> TicketRow:
        client = self.client_of[n]
        return TicketRow(
            self.ids[n],
            datetime.fromtimestamp(self.opened[n], UTC),
            self.client_codes[client],
            self.client_names[client],
            f"P{self.priorities[n]}",
            STATUSES[self.statuses[n]],
            self.titles.line(n),
        )

    def set_status(self, ticket_id: int, status: str) -> None:
        """After a change made here (a reopening): the ticket's new status, without reading everything again."""
        try:
            n = self.ids.index(ticket_id)
        except ValueError:
            return
        self.statuses[n] = STATUSES.index(status)
        self._scans.clear()
        self._status_masks.clear()
        self._status_counts.clear()

    # --- searching --------------------------------------------------------------------

    def search(self, query: TicketQuery, limit: int = 50) -> Matches:
        """The first `limit` tickets matching `query`, newest first, and whether there are more.

        Only the previous matches are tested again when the query narrows one
        searched before, and the search resumes where that one stopped.
        """
        scan = self._scans.get(query)
        if scan is None or (len(scan.found) <= limit and scan.stop < len(self.ids)):
            base = scan or self._narrowest(query)
            if base is None:
                scan = self._scan(query, [], 0, limit + 1)
            else:
                kept = [n for n in base.found if self._matches(n, query)]
                scan = self._scan(query, kept, base.stop, limit + 1)
            self._keep(scan)
        return Matches([self.row(n) for n in scan.found[:limit]], len(scan.found) > limit)

    def _narrowest(self, query: TicketQuery) -> _Scan | None:
        best = None
        for scan in self._scans.values():
            if _narrows(query, scan.query):
                if best is None or (scan.stop, -len(scan.found)) > (best.stop, -len(best.found)):
                    best = scan
        return best

    def _keep(self, scan: _Scan) -> None:
        self._scans.pop(scan.query, None)
        self._scans[scan.query] = scan
        while len(self._scans) > self.KEPT_SCANS:
            del self._scans[next(iter(self._scans))]

    def _range(self, query: TicketQuery) -> tuple[int, int]:
        """Rows opened in the query's dates: newest first, so `opened_before` gives the first."""
        count = len(self.ids)
        lo = 0 if query.opened_before is None else bisect_right(self.opened, -query.opened_before, key=neg)
        hi = count if query.opened_from is None else bisect_right(self.opened, -query.opened_from, key=neg)
        return lo, max(lo, hi)

    def _status_mask(self, statuses: frozenset[str]) -> bytes:
        """One byte per ticket, 1 where its status is one of `statuses`."""
        mask = self._status_masks.get(statuses)
        if mask is None:
            table = bytes(1 if s in statuses else 0 for s in STATUSES).ljust(256, b"\0")
            mask = self._status_masks[statuses] = bytes(self.statuses.translate(table))
        return mask

    def _clients(self, part: str) -> frozenset[int]:
        """The clients whose code or name holds `part`: from the clients of a shorter part if known."""
        found = self._client_sets.get(part)
        if found is None:
            known = [p for p in self._client_sets if p in part]
            keys = self._client_keys
            if known:
                found = frozenset(n for n in self._client_sets[max(known, key=len)] if part in keys[n])
            else:
                found = frozenset(n for n, key in enumerate(keys) if part in key)
            if len(self._client_sets) > 64:
                self._client_sets.clear()
            self._client_sets[part] = found
        return found

    def _matches(self, n: int, query: TicketQuery) -> bool:
        lo, hi = self._range(query)
        if not lo <= n < hi:
            return False
        if query.statuses is not None and STATUSES[self.statuses[n]] not in query.statuses:
            return False
        if query.client is not None and query.client not in self._client_keys[self.client_of[n]]:
            return False
        line = self.text.line(n)
        return all(w in line for w in query.words)

    def _scan(self, query: TicketQuery, found: list[int], start: int, want: int) -> _Scan:
        """Go on from row `start`, adding matches to `found` until it holds `want` (or the end)."""
        lo, hi = self._range(query)
        start = max(start, lo)
        clients = None if query.client is None else self._clients(query.client)
        mask = None if query.statuses is None else self._status_mask(query.statuses)
        if clients is not None and len(clients) <= 200:
            candidates = self._rows_of(clients, start, hi)
        elif mask is not None and self._few(query.statuses, mask):  # a few open tickets among years of closed ones
            candidates = _ones(mask, start, hi)
        elif query.words:
            candidates = self._rows_with(max(query.words, key=len), start, hi)
        elif mask is not None:
            candidates = _ones(mask, start, hi)
        else:
            candidates = iter(range(start, hi))
        words, client_of = query.words, self.client_of
        for n in candidates:
            if mask is not None and not mask[n]:
                continue
            if clients is not None and client_of[n] not in clients:
                continue
            if words:
                line = self.text.line(n)
                if not all(w in line for w in words):
                    continue
            found.append(n)
            if len(found) >= want:
                return _Scan(query, found, n + 1)
        return _Scan(query, found, len(self.ids))

    def _few(self, statuses: Any, mask: bytes) -> bool:
        counts = self._status_counts.get(statuses)
        if counts is None:
            counts = self._status_counts[statuses] = mask.count(1)
        return counts * 8 < len(mask)

    def _rows_with(self, word: str, start: int, hi: int) -> Iterator[int]:
        """Rows from `start` (before `hi`) whose line holds `word`, found by `str.find` chunk by chunk."""
        for chunk in range(start // CHUNK, (hi + CHUNK - 1) // CHUNK):
            text, starts, base = self.text.texts[chunk], self.text.starts[chunk], chunk * CHUNK
            pos = starts[start - base] if start > base else 0
            while (at := text.find(word, pos)) >= 0:
                k = bisect_right(starts, at) - 1
                if base + k >= hi:
                    return
                yield base + k
                pos = starts[k + 1]

    def _rows_of(self, clients: frozenset[int], start: int, hi: int) -> Iterator[int]:
        """The rows of a few clients, in order: from lists made once, at the first client filter."""
        if self._by_client is None:
            self.finish()
        assert self._by_client is not None
        lists = [self._by_client[c] for c in clients]
        rows = sorted(n for rows in lists for n in rows[bisect_left(rows, start) : bisect_left(rows, hi)])
        return iter(rows)


def _lines(texts: Iterable[str]) -> str:
    return "\n".join(text.replace("\n", " ") for text in texts)


def _ones(mask: bytes, start: int, hi: int) -> Iterator[int]:
    n = mask.find(1, start, hi)
    while n >= 0:
        yield n
        n = mask.find(1, n + 1, hi)


def _narrows(query: TicketQuery, earlier: TicketQuery) -> bool:
    """Whether every ticket matching `query` also matches `earlier` (its matches can be tested again)."""
    if not all(any(o in w for w in query.words) for o in earlier.words):
        return False
    if earlier.statuses is not None and (query.statuses is None or not query.statuses <= earlier.statuses):
        return False
    if earlier.client is not None and (query.client is None or earlier.client not in query.client):
        return False
    if earlier.opened_from is not None and (query.opened_from is None or query.opened_from < earlier.opened_from):
        return False
    return earlier.opened_before is None or (
        query.opened_before is not None and query.opened_before <= earlier.opened_before
    )


# --- reading the tickets ------------------------------------------------------------------


def _joined(engine: Engine, column: Any) -> Any:
    if engine.dialect.name == "sqlite":
        return func.group_concat(column, " ")
    return func.string_agg(column, " ")  # PostgreSQL (team mode)


def _epoch(engine: Engine, column: Any) -> Any:
    if engine.dialect.name == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return func.extract("epoch", column)


def load_ticket_index(engine: Engine) -> TicketIndex:
    """Every ticket, newest first, with its notes and client: one query, read CHUNK rows at a time."""
    notes = (
        select(_joined(engine, col(TicketEvent.note)))
        .where(col(TicketEvent.ticket_id) == Ticket.id, col(TicketEvent.note) != "")
        .scalar_subquery()
    )
    searched = Ticket.title + " " + Ticket.description + " " + func.coalesce(notes, "")
    query = select(
        col(Ticket.id),
        _epoch(engine, Ticket.opened_at),
        col(Ticket.client_id),
        col(Ticket.status),
        col(Ticket.priority),
        col(Ticket.title),
        searched,
    ).order_by(col(Ticket.opened_at).desc(), col(Ticket.id).desc())
    with db.read(engine) as s:
        clients = s.execute(select(col(Client.id), col(Client.code), col(Client.name)).order_by(col(Client.id))).all()
        index = TicketIndex(array("q", [c[0] for c in clients]), [c[1] for c in clients], [c[2] for c in clients])
        # The driver's own cursor, as the client index: SQLAlchemy's rows doubled the reading time.
        sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        cursor = s.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql)
            for rows in _chunks(iter(partial(cursor.fetchmany, CHUNK), [])):
                index.add(rows)
        finally:
            cursor.close()
    index.finish()
    return index


def _chunks(batches: Iterable[Sequence[Any]]) -> Iterator[list[tuple[Any, ...]]]:
    """Rows in lists of exactly CHUNK (the last shorter), the epoch as an int whatever the driver gave."""
    pending: list[tuple[Any, ...]] = []
    for batch in batches:
        pending.extend((r[0], int(r[1]), *r[2:]) for r in batch)
        while len(pending) >= CHUNK:
            yield pending[:CHUNK]
            del pending[:CHUNK]
    if pending:
        yield pending
