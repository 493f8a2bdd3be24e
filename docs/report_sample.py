"""Regenerate docs/report-sample.png: the first page of a sample client service report's PDF.

    .venv/bin/python docs/report_sample.py [OUTPUT.png]

The sample data (`msptui demo`'s) in a throw-away folder, with a year of work at the
bakery (BOUL) recorded through the store as a technician would: tickets answered,
worked on and resolved, a few late (some justified), time entries, a prepaid block,
a delivery and a conflict disclosed in November 2026. The clock is frozen
(2 December 2026, 09:00 in Paris) and the history seeded, so the page is the same
at every run. Needs `pdftoppm` (Debian/Ubuntu: apt install poppler-utils).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=PARIS).astimezone(UTC)
MONTH = "2026-11"
SEED = 20261202
TITLES = (
    "Caisse enregistreuse figée",
    "Imprimante à tickets muette",
    "Wi-Fi de la boutique instable",
    "Sauvegarde du soir en échec",
    "Nouveau poste pour l'atelier",
    "Terminal de paiement hors ligne",
    "Messagerie: boîte pleine",
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def _workdays(year: int, month: int) -> list[date]:
    day, out = date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def year_of_work(engine, client: int, contract: int) -> None:  # noqa: ANN001
    """Twelve months of tickets and time on BOUL, ending with November 2026."""
    from msptui.store import tickets as t
    from msptui.store.justifications import justify_breach
    from msptui.store.schemas.time import TimeEntryCreate
    from msptui.store.time_entries import add_entry

    rng = random.Random(SEED)
    months = [(2025, 12)] + [(2026, m) for m in range(1, 12)]
    for index, (year, month) in enumerate(months):
        days = _workdays(year, month)
        for n in range(rng.randint(3, 6)):
            day = rng.choice(days[:-2])
            opened = paris(day.year, day.month, day.day, rng.randint(9, 15), rng.choice((0, 15, 30, 45)))
            priority = rng.choices(("P2", "P3"), (1, 3))[0]
            title = TITLES[(index + n) % len(TITLES)]
            tid = t.open_ticket(
                engine, t.TicketCreate(client_id=client, contract_id=contract, title=title, priority=priority), opened
            )
            late = rng.random() < 0.18 + 0.02 * (index % 4)
            answered = opened + timedelta(minutes=rng.randint(300, 420) if late else rng.randint(5, 50))
            t.acknowledge(engine, tid, answered)
            t.start_intervention(engine, tid, rng.choice(("remote", "on_site")), answered + timedelta(minutes=20))
            work = answered + timedelta(minutes=25)
            minutes = rng.randint(30, 180)
            add_entry(
                engine,
                TimeEntryCreate(
                    ticket_id=tid, started_at=work, duration=f"{minutes}m", description="Diagnostic et remise en état"
                ),
                NOW,
            )
            if rng.random() < 0.25:  # an evening visit: out of hours
                evening = paris(day.year, day.month, day.day, 19, 0)
                add_entry(
                    engine,
                    TimeEntryCreate(ticket_id=tid, started_at=evening, duration="1h", category="on_site"),
                    NOW,
                )
            t.resolve(engine, tid, max(work + timedelta(minutes=minutes), evening_end(day)) + timedelta(minutes=5))
            t.close(engine, tid, opened + timedelta(days=3))
            if late and rng.random() < 0.6:
                justify_breach(
                    engine,
                    tid,
                    "response",
                    "Coupure de l'opérateur dans le quartier ce jour-là.",
                    opened + timedelta(days=3),
                )


def evening_end(day: date) -> datetime:
    return paris(day.year, day.month, day.day, 20, 0)


def november_extras(engine, client: int, contract: int) -> None:  # noqa: ANN001
    """A delivery and a conflict disclosed in November, a prepaid block, the provider's identity."""
    from msptui.store import conflicts, engagements
    from msptui.store import deliveries as d
    from msptui.store.billing import add_prepaid_block, set_rates
    from msptui.store.provider import set_provider_identity
    from msptui.store.schemas.billing import PrepaidBlockCreate, RatesInput
    from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, NoteIssue, TestLineCreate
    from msptui.store.schemas.engagements import (
        CompetenceCheckInput,
        ConflictCreate,
        DisclosureInput,
        EngagementCreate,
    )
    from msptui.store.schemas.provider import ProviderIdentityInput

    set_provider_identity(
        engine,
        ProviderIdentityInput(
            trade_name="Durand Informatique",
            address="4 rue des Tanneurs, 67000 Strasbourg",
            company_number="732 829 320 00074",
            vat_number="FR44732829320",
            contact="contact@durand-info.fr, 03 88 00 00 00",
        ),
    )
    set_rates(engine, contract, RatesInput(hourly_rate=Decimal("80.00")))
    add_prepaid_block(
        engine,
        PrepaidBlockCreate(
            contract_id=contract, hours=Decimal("40"), purchased_on=date(2026, 9, 1), reference="Bloc 2026-B"
        ),
        NOW,
    )
    on = paris(2026, 11, 16, 10, 0)
    engagement = engagements.create_engagement(
        engine,
        EngagementCreate(
            client_id=client, contract_id=contract, title="Serveur de fichiers NAS", technologies=["Synology DSM"]
        ),
        on,
    )
    yes = dict(
        familiarity="yes",
        familiarity_evidence="Synology DSM administré chez trois clients.",
        prior_projects="yes",
        prior_projects_evidence="NAS du cabinet Fournier en 2025.",
        know_how="yes",
        know_how_evidence="Certification Synology SCNA.",
    )
    engagements.record_check(engine, engagement, CompetenceCheckInput(**yes, decision="accept"), on)
    delivery = d.open_delivery(engine, engagement, on)
    test = d.add_test(engine, delivery, TestLineCreate(description="Restauration de la sauvegarde"))
    d.set_test_result(engine, test, "passed")
    d.add_item(engine, delivery, ItemCreate(description="NAS Synology DS923+", quantity=1, serial="2350QWR01234"))
    doc = d.add_document(engine, delivery, DocumentCreate(title="Guide d'administration", given_as="printed"))
    delivered = paris(2026, 11, 20, 16, 0)
    d.toggle_document(engine, doc, delivered)
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), delivered)
    d.mark_delivered(engine, delivery, delivered)
    conflict = conflicts.register_conflict(
        engine,
        ConflictCreate(
            client_id=client, kind="vendor_incentive", description="Commission offerte par le fournisseur de caisses"
        ),
        paris(2026, 11, 9, 9, 0),
    )
    conflicts.disclose(
        engine,
        conflict,
        DisclosureInput(
            disclosed_at=paris(2026, 11, 9, 11, 0), to_whom="Sophie Martin", how="E-mail", client_answer="accepted"
        ),
        paris(2026, 11, 9, 11, 0),
    )


def main(argv: list[str]) -> int:
    from sqlalchemy import select

    from msptui.paths import resolve
    from msptui.store import db
    from msptui.store.files.service_report import write_report_files
    from msptui.store.models import Contract
    from msptui.store.open import open_store
    from msptui.store.reads.service_report import service_report
    from msptui.store.sample import load_sample

    output = Path(argv[0]) if argv else ROOT / "docs" / "report-sample.png"
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils (apt install poppler-utils).", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="msptui-report-sample-"))
    try:
        paths = resolve(work / "data")
        store = open_store(paths)
        try:
            engine = store.engine
            ids = load_sample(engine, NOW)
            client = ids["BOUL"]
            with db.read(engine) as s:
                contract = s.scalars(select(Contract.id).where(Contract.client_id == client)).one()
            november_extras(engine, client, contract)
            year_of_work(engine, client, contract)
            files = write_report_files(paths.exports, service_report(engine, client, MONTH, NOW), ["pdf"])
        finally:
            store.dispose()
        assert files.pdf is not None
        stem = work / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(files.pdf), str(stem)],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
