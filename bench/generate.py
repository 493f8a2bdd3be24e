"""Synthetic data for the benchmarks: years of an MSP's work in one database.

10,000 clients (two contacts each) with a contract and its SLA targets, and
100,000 tickets of which 1,000 are open, each with an event log (opened,
acknowledged, in progress, sometimes a pause on the client or a priority
change, resolved, closed). The database is created through msptui's own
migrations (`open_store`) and filled with SQLAlchemy Core executemany, one
transaction per table.

Generating takes a few seconds, so the result is cached in a temporary
folder, keyed on the schema HEAD, GENERATOR_VERSION and the UTC date: open
tickets are opened in the days before generation, so a cache older than a day
would show a board where every clock has long breached. Each run works on a
fresh copy of the cached file (`prepare`).

Profiles (`PROFILES`): "base" as above; "open10k", ten times the open tickets
(10,000 of the 100,000); "clients100k", ten times the clients (100,000, the
same 100,000 tickets / 1,000 open). Each is cached under its own name.

    python -m bench.generate [--fresh] [--profile base|open10k|clients100k]   # prints the path
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from msptui.core.rules.out_of_hours import OutOfHoursTerms, classify

# Bump when the shape or volume of the generated data changes.
GENERATOR_VERSION = 2  # 2: events classified by rules.out_of_hours (hours_class, surcharge_pct)
CLIENTS = 10_000
TICKETS = 100_000
OPEN_TICKETS = 1_000
SEED = 20261123
# name -> (clients, tickets, open tickets): today's work, and ten times each kind of it.
PROFILES = {
    "base": (CLIENTS, TICKETS, OPEN_TICKETS),
    "open10k": (CLIENTS, TICKETS, 10 * OPEN_TICKETS),
    "clients100k": (10 * CLIENTS, TICKETS, OPEN_TICKETS),
}

TRADES = (
    "Boulangerie",
    "Cabinet Dentaire",
    "Transports",
    "Étude Notariale",
    "Garage",
    "Mairie de",
    "Agence Immobilière",
    "Pharmacie",
    "Menuiserie",
    "Cabinet Comptable",
    "Hôtel",
    "Crèche",
    "Imprimerie",
    "Clinique Vétérinaire",
    "Librairie",
    "Restaurant",
    "Cabinet d'Avocats",
    "Laboratoire",
    "Auto-école",
    "Fromagerie",
    "Opticien",
    "Pressing",
    "Architecte",
    "Plomberie",
    "Électricité",
    "Boucherie",
    "Fleuriste",
    "Coiffure",
    "Salle de Sport",
    "Association",
)
SURNAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Marie",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
)
CITIES = (
    ("Lyon", "69003", None),
    ("Nantes", "44000", None),
    ("Metz", "57000", "57"),
    ("Strasbourg", "67000", "6AE"),
    ("Toulouse", "31000", None),
    ("Bordeaux", "33000", None),
    ("Lille", "59000", None),
    ("Annecy", "74000", None),
    ("Rennes", "35000", None),
    ("Colmar", "68000", "6AE"),
    ("Montpellier", "34000", None),
    ("Caen", "14000", None),
    ("Nice", "06000", None),
    ("Dijon", "21000", None),
    ("Grenoble", "38000", None),
    ("Reims", "51100", None),
    ("Tours", "37000", None),
    ("Rouen", "76000", None),
    ("Thionville", "57100", "57"),
    ("Mulhouse", "68100", "6AE"),
)
FIRST_NAMES = (
    "Sophie",
    "Paul",
    "Marc",
    "Claire",
    "Jean",
    "Isabelle",
    "Karim",
    "Nathalie",
    "Thomas",
    "Hélène",
    "Pierre",
    "Amélie",
    "Julien",
    "Camille",
    "Nicolas",
    "Léa",
    "Antoine",
    "Chloé",
    "Mehdi",
    "Emma",
)
TICKET_TITLES = (
    "Imprimante hors ligne",
    "Messagerie inaccessible",
    "Poste lent au démarrage",
    "VPN ne se connecte plus",
    "Sauvegarde en échec",
    "Alerte antivirus",
    "Mot de passe expiré",
    "Écran noir au démarrage",
    "Wi-Fi instable",
    "Serveur de fichiers plein",
    "Licence Office expirée",
    "Caisse enregistreuse bloquée",
    "Nouveau poste à installer",
    "Départ d'un salarié: couper les accès",
    "Certificat SSL expiré",
    "Téléphone IP sans tonalité",
    "Scanner réseau introuvable",
    "Mise à jour Windows bloquée",
)
WEEK_9_18 = {str(d): [["09:00", "12:30"], ["13:30", "18:00"]] for d in range(5)}
WEEK_8_19 = {str(d): [["08:00", "19:00"]] for d in range(5)}
WEEK_SAT = {**{str(d): [["08:30", "18:30"]] for d in range(5)}, "5": [["09:00", "12:00"]]}
# priority -> (response, intervention, resolution) minutes
TARGETS = {"P1": (30, 120, 480), "P2": (60, 240, 960), "P3": (240, 960, 2880), "P4": (480, None, 4800)}
OPEN_STATUSES = (
    ("new", 30),
    ("acknowledged", 25),
    ("in_progress", 25),
    ("waiting_client", 15),
    ("waiting_third_party", 5),
)


@dataclass(frozen=True)
class Generated:
    database: Path
    seconds: float  # time spent generating (0 when the cache was used)
    cached: bool


def cache_folder() -> Path:
    """Where generated databases are kept between runs (MSPTUI_BENCH_CACHE overrides)."""
    explicit = os.environ.get("MSPTUI_BENCH_CACHE")
    return Path(explicit) if explicit else Path(tempfile.gettempdir()) / f"msptui-bench-{os.getuid()}"


def cache_key(today: date) -> str:
    from msptui.store.migrate import HEAD

    return f"schema{HEAD}-gen{GENERATOR_VERSION}-{today.isoformat()}"


def cached_database(fresh: bool = False, now: datetime | None = None, profile: str = "base") -> Generated:
    """The generated database of `profile` for today's key, generating it (and dropping
    that profile's stale keys) if needed."""
    clients, tickets, open_tickets = PROFILES[profile]
    now = now or datetime.now(UTC)
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"bench-{profile}-{cache_key(now.date())}.sqlite3"
    if target.exists() and not fresh:
        return Generated(target, 0.0, True)
    for stale in [*folder.glob(f"bench-{profile}-*.sqlite3"), *folder.glob("bench-schema*.sqlite3")]:
        stale.unlink()  # (bench-schema*: the names before profiles)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="generating-", dir=folder))
    try:
        database = generate(work / "data", now, clients, tickets, open_tickets)
        os.replace(database, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Generated(target, time.perf_counter() - started, False)


def prepare(source: Path, data_dir: Path) -> Path:
    """A fresh data folder holding a copy of `source`, so a run never alters the cache.

    Its settings name the technician, as on any machine after its first start: otherwise
    every run would measure the board under the form that asks for the name."""
    from msptui import config
    from msptui.paths import DATABASE_NAME, resolve

    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    database = data_dir / DATABASE_NAME
    shutil.copyfile(source, database)
    os.chmod(database, 0o600)
    config.set_technician(resolve(data_dir).ensure(), "bench")
    return database


def generate(
    data_dir: Path, now: datetime, clients: int = CLIENTS, tickets: int = TICKETS, open_tickets: int = OPEN_TICKETS
) -> Path:
    """Create a database through the real migrations in `data_dir` and fill it; returns its path.

    Open tickets are opened between one hour and five days before `now`; no event is after `now`.
    """
    from msptui.paths import resolve
    from msptui.store.open import open_store

    paths = resolve(data_dir)
    store = open_store(paths)
    try:
        rows = _Rows(random.Random(SEED), now, clients, tickets, open_tickets)
        with store.engine.begin() as conn:
            # A bigger page cache for this one connection: index upkeep of 600k rows.
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            for table, batch in rows.all():
                _insert(conn, table, batch)
    finally:
        store.dispose()
    # Outside SQLAlchemy's transactions: fold the WAL into the file and give the
    # query planner its statistics, as a database used for years would have.
    con = sqlite3.connect(paths.database, isolation_level=None)
    try:
        con.execute("ANALYZE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return paths.database


def _insert(conn, table, rows: list[dict]) -> None:  # noqa: ANN001
    """executemany straight to the driver, each value converted by its column's own type.

    Core's executemany spends about 27 µs a row in per-row bookkeeping (16 s for
    the event log); applying the same bind processors here keeps the stored
    values identical for a fifth of the cost.
    """
    columns = [c for c in table.columns if c.name in rows[0]]  # the others take their defaults
    processors = [c.type.bind_processor(conn.dialect) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    keys = [c.name for c in columns]
    pairs = list(zip(keys, processors))
    params = [tuple(p(row[k]) if p else row[k] for k, p in pairs) for row in rows]
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', params)


class _Rows:
    """Deterministic rows for every table, as lists of dicts ready for executemany."""

    def __init__(self, rng: random.Random, now: datetime, clients: int, tickets: int, open_tickets: int) -> None:
        self.rng = rng
        self.now = now.replace(microsecond=0)
        self.counts = (clients, tickets, open_tickets)
        self.contracts: list[tuple[int, int]] = []  # (contract id, client id) of active contracts
        self.terms: dict[int, OutOfHoursTerms] = {}  # by contract id

    def all(self):
        from msptui.store.models import Client, Contact, Contract, SlaTarget, Ticket, TicketEvent

        clients, contacts = self.clients()
        yield Client.__table__, clients
        yield Contact.__table__, contacts
        contracts, targets = self.contracts_and_targets(clients)
        yield Contract.__table__, contracts
        yield SlaTarget.__table__, targets
        tickets, events = self.tickets_and_events()
        yield Ticket.__table__, tickets
        yield TicketEvent.__table__, events

    def clients(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        pool = [(t, s, c) for t in TRADES for s in SURNAMES for c in range(len(CITIES))]
        # 48,000 names: beyond that (the 100,000-client profile) they come round again
        # with a branch number, as a chain's shops would.
        combos = rng.sample(pool, min(self.counts[0], len(pool)))
        while len(combos) < self.counts[0]:
            combos += rng.sample(pool, min(self.counts[0] - len(combos), len(pool)))
        clients, contacts = [], []
        created = self.now - timedelta(days=4 * 365)
        for n, (trade, surname, city_index) in enumerate(combos, start=1):
            city, postcode, subdiv = CITIES[city_index]
            status = "former" if n % 17 == 0 else "prospect" if n % 23 == 0 else "active"
            clients.append(
                {
                    "id": n,
                    "name": f"{trade} {surname} {city}" + (f" {1 + (n - 1) // len(pool)}" if n > len(pool) else ""),
                    "code": f"C{n:05d}",
                    "status": status,
                    "address": f"{1 + n % 120} rue de la République",
                    "postcode": postcode,
                    "city": city,
                    "country": "FR",
                    "subdivision": subdiv,
                    "timezone": "Europe/Paris",
                    "notes": "",
                    "created_at": created + timedelta(minutes=n * 7),
                    "archived_at": None,
                    "language": "fr",
                }
            )
            first = FIRST_NAMES[n % len(FIRST_NAMES)]
            contacts.append(
                {
                    "id": 2 * n - 1,
                    "client_id": n,
                    "name": f"{first} {surname}",
                    "role": "Gérant",
                    "email": f"{first.lower()}.{n}@example.fr",
                    "phone": f"0{1 + n % 5} 00 00 {n % 100:02d} {n % 97:02d}",
                }
            )
            contacts.append(
                {
                    "id": 2 * n,
                    "client_id": n,
                    "name": "Accueil",
                    "role": "Standard",
                    "email": "",
                    "phone": f"0{1 + n % 5} 11 11 {n % 100:02d} {n % 89:02d}",
                }
            )
        return clients, contacts

    def contracts_and_targets(self, clients: list[dict]) -> tuple[list[dict], list[dict]]:
        contracts, targets = [], []
        for client in clients:
            n = client["id"]
            former = client["status"] == "former"
            round_the_clock = n % 5 == 0
            contracts.append(
                {
                    "id": n,
                    "reference": f"MSP-{2023 + n % 4}-{n:05d}",
                    "client_id": n,
                    "title": "Infogérance et support" if n % 3 else "Maintenance du parc et cybersécurité",
                    "start_date": date(2023 + n % 3, 1 + n % 12, 1),
                    "end_date": date(2026, 6, 30) if former else date(2028, 12, 31),
                    "status": "ended" if former else "active",
                    "service_lines": ["maintenance", "helpdesk", "backup"]
                    + (["cybersecurity"] if n % 2 else ["cloud"]),
                    "exclusions": "Développement logiciel; matériel hors parc déclaré.",
                    "business_hours": WEEK_SAT if n % 7 == 0 else WEEK_8_19 if n % 7 == 1 else WEEK_9_18,
                    "timezone": "Europe/Paris",
                    "holiday_country": "FR",
                    "holiday_subdivision": client["subdivision"],
                    "whit_monday_worked": n % 2 == 1,
                    "extra_closed_dates": [],
                    "pause_on_third_party": n % 3 == 0,
                    "out_of_hours_available": round_the_clock or n % 2 == 0,
                    "out_of_hours_surcharge_pct": 50 if round_the_clock else 25,
                    "out_of_hours_terms": "",
                    "out_of_hours_priorities": ["P1"] if round_the_clock or n % 2 == 0 else [],
                    "breach_notification_hours": 48,
                    "non_solicitation_months": 12,
                    "non_solicitation_indemnity": "",
                    "payment_terms_days": 30,
                    "warranty_months": 12,
                    "lead_time_days": 10,
                    "client_owns_ip": True,
                    "ip_notes": "",
                    "created_at": client["created_at"],
                    "archived_at": None,
                    "hourly_rate": Decimal("85.00"),
                    "category_rates": {},
                    "vat_pct": Decimal("20.00"),
                    "currency": "EUR",
                }
            )
            if not former:
                self.contracts.append((n, n))
            offered = round_the_clock or n % 2 == 0
            self.terms[n] = OutOfHoursTerms(
                offered, 50 if round_the_clock else 25, frozenset({"P1"}) if offered else frozenset()
            )
            for p, (response, intervention, resolution) in TARGETS.items():
                targets.append(
                    {
                        "id": len(targets) + 1,
                        "contract_id": n,
                        "priority": p,
                        "response_minutes": response,
                        "intervention_minutes": intervention,
                        "resolution_minutes": resolution,
                        "round_the_clock": round_the_clock and p == "P1",
                    }
                )
        return contracts, targets

    def tickets_and_events(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        tickets: list[dict] = []
        events: list[dict] = []
        count, open_count = self.counts[1:]
        open_ids = set(rng.sample(range(1, count + 1), open_count))
        history = 3 * 365 * 86400
        for tid in range(1, count + 1):
            contract_id, client_id = rng.choice(self.contracts)
            without_contract = tid % 20 == 0  # billable work outside any contract
            priority = rng.choices(("P1", "P2", "P3", "P4"), (5, 20, 55, 20))[0]
            is_open = tid in open_ids
            if is_open:  # opened in the last five days, so the board shows every state
                opened = self.now - timedelta(seconds=rng.randrange(3600, 5 * 86400))
            else:
                opened = self.now - timedelta(seconds=rng.randrange(6 * 86400, history))
            log = self._log(opened, priority, is_open)
            status = next((e[2] for e in reversed(log) if e[1] == "status"), "new")
            current = next((e[3] for e in reversed(log) if e[1] == "priority"), priority)
            tickets.append(
                {
                    "id": tid,
                    "client_id": client_id,
                    "contract_id": None if without_contract else contract_id,
                    "title": TICKET_TITLES[tid % len(TICKET_TITLES)],
                    "description": "",
                    "priority": current,
                    "status": status,
                    "opened_at": opened,
                    "billable": without_contract,
                }
            )
            terms = None if without_contract else self.terms[contract_id]
            in_force = priority
            for at, kind, ev_status, ev_priority, channel, note in log:
                in_force = ev_priority or in_force
                # The project's own rule (an approximate calendar: 07:00-19:00 UTC is in hours).
                hours = classify(kind, at.hour < 7 or at.hour >= 19, terms, in_force)
                events.append(
                    {
                        "id": len(events) + 1,
                        "ticket_id": tid,
                        "at": at,
                        "kind": kind,
                        "status": ev_status,
                        "priority": ev_priority,
                        "channel": channel,
                        "note": note,
                        "out_of_hours": hours.hours_class != "in_hours",
                        "hours_class": str(hours.hours_class),
                        "surcharge_pct": hours.surcharge_pct,
                    }
                )
        return tickets, events

    def _log(self, opened: datetime, priority: str, is_open: bool) -> list[tuple]:
        """(at, kind, status, priority, channel, note) events of one ticket, in time order."""
        rng = self.rng
        log: list[tuple] = [(opened, "opened", "new", priority, None, "")]
        if is_open:
            # Stop somewhere along the usual path; the last status is the ticket's.
            goal = rng.choices([s for s, _ in OPEN_STATUSES], [w for _, w in OPEN_STATUSES])[0]
            path = {
                "new": [],
                "acknowledged": ["acknowledged"],
                "in_progress": ["acknowledged", "in_progress"],
                "waiting_client": ["acknowledged", "in_progress", "waiting_client"],
                "waiting_third_party": ["acknowledged", "in_progress", "waiting_third_party"],
            }[goal]
            budget = int((self.now - opened).total_seconds()) - 30
        else:
            path = ["acknowledged", "in_progress"]
            if rng.random() < 0.12:
                path += ["waiting_client", "in_progress"]
            path += ["resolved", "closed"]
            budget = 5 * 86400
        at = opened
        step = max(60, budget // (len(path) + 2))
        for status in path:
            at += timedelta(seconds=rng.randrange(30, step))
            channel = rng.choice(("remote", "on_site")) if status == "in_progress" else None
            log.append((at, "status", status, None, channel, ""))
            if status == "acknowledged" and rng.random() < 0.05:
                escalated = {"P4": "P3", "P3": "P2", "P2": "P1", "P1": "P1"}[priority]
                log.append((at + timedelta(seconds=5), "priority", None, escalated, None, "Escalated by the client"))
                at += timedelta(seconds=5)
            if rng.random() < 0.15:
                log.append(
                    (at + timedelta(seconds=20), "note", None, None, None, "Appelé le client, en attente de retour.")
                )
                at += timedelta(seconds=20)
        return log


def main(argv: list[str]) -> int:
    profile = argv[argv.index("--profile") + 1] if "--profile" in argv else "base"
    generated = cached_database(fresh="--fresh" in argv, profile=profile)
    how = "cached" if generated.cached else f"generated in {generated.seconds:.1f} s"
    print(f"{generated.database} ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
