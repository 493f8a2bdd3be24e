"""A process killed at any moment loses no committed change and leaves a sound database.

A writer commits tickets and their events through the store and reports each id on
stdout only after the commit returned; the test kills it with SIGKILL at random
moments, again and again, then checks `PRAGMA integrity_check` and that every
reported change is there, whole.

Starting Python and importing the store costs about a second, so a "zygote" process
(a fresh interpreter, started once) imports everything and warms the caches, then
forks one writer per round: each writer starts writing within milliseconds, and
forking a single-threaded process that holds no connection is safe.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.engines import database_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)"),
]

KILLS = int(os.environ.get("MSPTUI_CRASH_KILLS", "40"))
assert KILLS >= 30, "the crash test must kill the writer at least 30 times"

# Each writer line is one os.write (atomic on a pipe), so a kill never leaves half a line.
ZYGOTE = r"""
import os, signal, sys, time
from datetime import datetime, timedelta, timezone

from msptui.store import db
from msptui.store.db import make_engine
from msptui.store.models import Ticket, TicketEvent

try:
    from msptui.store import tickets
    from msptui.store.tickets import TicketCreate
except ImportError:  # before the ticket commands exist: the same writes with the tables
    tickets = None

database, client_id, contract_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def say(line):
    os.write(1, (line + "\n").encode())


def open_one(engine, n, now):
    if tickets is not None:
        data = TicketCreate(client_id=client_id, contract_id=contract_id, title=f"Panne n°{n} « imprimante »")
        return tickets.open_ticket(engine, data, now)
    with db.write(engine) as s:
        t = Ticket(client_id=client_id, contract_id=contract_id, title=f"Panne n°{n}", opened_at=now)
        s.add(t)
        s.flush()
        s.add(TicketEvent(ticket_id=t.id, at=now, kind="opened", status="new", priority=t.priority))
        return t.id


def acknowledge(engine, ticket_id, now):
    if tickets is not None:
        tickets.acknowledge(engine, ticket_id, now)
        return
    with db.write(engine) as s:  # read-then-write, as the real command does
        t = s.get(Ticket, ticket_id)
        s.add(TicketEvent(ticket_id=t.id, at=now, kind="status", status="acknowledged"))
        t.status = "acknowledged"


def write(engine, seconds):
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        now = START + timedelta(seconds=n)
        ticket_id = open_one(engine, n, now)
        say(f"opened {os.getpid()} {ticket_id}")
        acknowledge(engine, ticket_id, now + timedelta(minutes=5))
        say(f"acked {os.getpid()} {ticket_id}")


# Warm every cache (calendars, holidays, SQLAlchemy's compiled statements) before forking.
engine = make_engine(database)
write(engine, 0.05)
engine.dispose()
say("zygote ready")

for _command in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            engine = make_engine(database)
            say(f"ready {os.getpid()}")
            write(engine, 10.0)  # the test kills us long before; the bound guards against an orphan
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    say(f"ended {pid} {'killed' if killed else 'exited'}")
"""


class Zygote:
    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.reported: list[str] = []  # every "opened PID N" / "acked PID N" line, in order
        self._writing: set[str] = set()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line.startswith(("opened ", "acked ")):
                self.reported.append(line)
                pid = line.split()[1]
                if pid not in self._writing:  # tell the test this writer is committing
                    self._writing.add(pid)
                    self.lines.put(f"committing {pid}")
            else:
                self.lines.put(line)

    def expect(self, prefix: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.proc.kill()
                pytest.fail(f"the writer never said {prefix!r}; stderr:\n{self.proc.stderr.read()}")
            if line.startswith(prefix):
                return line

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def test_killed_writer_loses_no_committed_change_and_leaves_a_sound_database(paths, store, sample):
    from sqlalchemy import select

    from msptui.store import db
    from msptui.store.models import Contract

    with db.read(store.engine) as s:
        contract = s.scalars(select(Contract).where(Contract.client_id == sample["BOUL"])).first()
    store.dispose()

    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    started = time.monotonic()
    zygote = Zygote([database_url(store), str(sample["BOUL"]), str(contract.id)])
    kills = 0
    try:
        zygote.expect("zygote ready")
        for _round in range(KILLS):
            zygote.proc.stdin.write("go\n")
            zygote.proc.stdin.flush()
            pid = int(zygote.expect("ready ").split()[1])
            # A random moment in the middle of the writes (counted from the first commit,
            # so a slow, loaded machine still kills writers that are busy committing).
            zygote.expect(f"committing {pid}")
            time.sleep(rng.uniform(0.05, 0.3))
            os.kill(pid, signal.SIGKILL)
            ended = zygote.expect(f"ended {pid}")
            kills += ended.endswith("killed")
    finally:
        zygote.close()
    elapsed = time.monotonic() - started

    opened = {int(line.split()[2]) for line in zygote.reported if line.startswith("opened ")}
    acked = {int(line.split()[2]) for line in zygote.reported if line.startswith("acked ")}
    assert kills == KILLS, f"only {kills} of {KILLS} writers were killed (seed {seed})"
    assert len(opened) > KILLS, f"the writers reported too few commits to prove anything (seed {seed})"

    if store.engine.dialect.name == "sqlite":
        con = sqlite3.connect(paths.database)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()
    # PostgreSQL checks its own pages and references: what is left to see is what was committed.
    engine = db.make_engine(database_url(store))
    try:
        with engine.connect() as con:
            status = {t: s for t, s in con.exec_driver_sql("SELECT id, status FROM ticket")}
            opened_events = {
                t: n
                for t, n in con.exec_driver_sql(
                    "SELECT ticket_id, count(*) FROM ticket_event WHERE kind = 'opened' GROUP BY ticket_id"
                )
            }
            acked_events = {
                r[0] for r in con.exec_driver_sql("SELECT ticket_id FROM ticket_event WHERE status = 'acknowledged'")
            }
    finally:
        engine.dispose()

    missing = sorted(opened - status.keys())
    assert not missing, f"tickets reported committed but lost: {missing[:10]} (seed {seed})"
    lost_acks = sorted(t for t in acked if status[t] != "acknowledged" or t not in acked_events)
    assert not lost_acks, f"acknowledgements reported committed but lost: {lost_acks[:10]} (seed {seed})"
    # Atomicity: a ticket and its "opened" event were committed together or not at all.
    assert all(opened_events.get(t) == 1 for t in status), f"a ticket without exactly one opened event (seed {seed})"
    print(f"\ncrash test: {kills} kills, {len(opened)} tickets committed, {elapsed:.1f} s (seed {seed})")
