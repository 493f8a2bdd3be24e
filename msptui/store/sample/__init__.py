"""Sample data: a dozen realistic French MSP clients, for the welcome screen and `msptui demo`.

Fictional names and addresses; the contracts vary the things a technician
must notice (Alsace-Moselle holidays, a round-the-clock P1, Saturday hours,
out-of-hours surcharges, third parties, GDPR processing).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from msptui.store import db
from msptui.store.models import (
    Client,
    Contact,
    Contract,
    CoveredAsset,
    GdprProcessing,
    SlaTarget,
    ThirdParty,
    saved_id,
)

WEEK_9_18 = {str(d): [["09:00", "12:30"], ["13:30", "18:00"]] for d in range(5)}
WEEK_8_19 = {str(d): [["08:00", "19:00"]] for d in range(5)}
WEEK_SAT = {**{str(d): [["08:30", "18:30"]] for d in range(5)}, "5": [["09:00", "12:00"]]}

# (name, code, city, postcode, subdivision, contact, role, email, phone, notes)
CLIENTS = [
    (
        "Boulangerie Martin",
        "BOUL",
        "Lyon",
        "69003",
        None,
        "Sophie Martin",
        "Gérante",
        "sophie@boulangerie-martin.fr",
        "04 78 12 34 56",
        "Two shops; caisse enregistreuse critical from 6:00.",
    ),
    (
        "Cabinet Dentaire Lefèvre",
        "DENT",
        "Nantes",
        "44000",
        None,
        "Dr Paul Lefèvre",
        "Praticien",
        "cabinet@lefevre-dentaire.fr",
        "02 40 11 22 33",
        "Health data: HDS hosting only.",
    ),
    (
        "Transports Schmitt & Fils",
        "SCHM",
        "Metz",
        "57000",
        "57",
        "Marc Schmitt",
        "Directeur",
        "m.schmitt@transports-schmitt.fr",
        "03 87 55 66 77",
        "Alsace-Moselle: Good Friday and 26 Dec closed.",
    ),
    (
        "Étude Notariale Weber",
        "NOTW",
        "Strasbourg",
        "67000",
        "6AE",
        "Claire Weber",
        "Notaire",
        "etude.weber@notaires.fr",
        "03 88 22 33 44",
        "Deed signing days: no maintenance.",
    ),
    (
        "Garage Dupont Automobiles",
        "GDUP",
        "Toulouse",
        "31000",
        None,
        "Jean Dupont",
        "Patron",
        "contact@garage-dupont.fr",
        "05 61 44 55 66",
        "",
    ),
    (
        "Mairie de Saint-Aubin",
        "MSTA",
        "Saint-Aubin",
        "14750",
        None,
        "Isabelle Moreau",
        "DGS",
        "dgs@saint-aubin.fr",
        "02 31 97 00 00",
        "Public body: purchase orders required.",
    ),
    (
        "Agence Immobilière Horizon",
        "HORI",
        "Bordeaux",
        "33000",
        None,
        "Karim Benali",
        "Associé",
        "karim@horizon-immo.fr",
        "05 56 10 20 30",
        "",
    ),
    (
        "Pharmacie du Centre",
        "PHAC",
        "Lille",
        "59000",
        None,
        "Nathalie Roux",
        "Pharmacienne",
        "pharmacie.centre@orange.fr",
        "03 20 12 12 12",
        "LGPI software, vendor support via Pharmagest.",
    ),
    (
        "Atelier Menuiserie Bois & Co",
        "BOIS",
        "Annecy",
        "74000",
        None,
        "Thomas Girard",
        "Gérant",
        "atelier@boisandco.fr",
        "04 50 33 44 55",
        "",
    ),
    (
        "Cabinet Comptable Fournier",
        "COMF",
        "Rennes",
        "35000",
        None,
        "Hélène Fournier",
        "Expert-comptable",
        "h.fournier@fournier-expertise.fr",
        "02 99 88 77 66",
        "Tax season Jan–May: P2 becomes urgent.",
    ),
    (
        "Hôtel Les Tilleuls",
        "TILL",
        "Colmar",
        "68000",
        "6AE",
        "Pierre Muller",
        "Directeur",
        "direction@hotel-tilleuls.fr",
        "03 89 41 00 00",
        "Open 24/7: P1 round the clock.",
    ),
    (
        "Crèche Les Petits Pas",
        "CREC",
        "Montpellier",
        "34000",
        None,
        "Amélie Blanc",
        "Directrice",
        "direction@petitspas.org",
        "04 67 00 11 22",
        "Association; former client since 2026.",
    ),
]


def _targets(contract_id: int, p1_round_the_clock: bool) -> list[SlaTarget]:
    return [
        SlaTarget(
            contract_id=contract_id,
            priority="P1",
            response_minutes=30,
            intervention_minutes=120,
            resolution_minutes=480,
            round_the_clock=p1_round_the_clock,
        ),
        SlaTarget(
            contract_id=contract_id,
            priority="P2",
            response_minutes=60,
            intervention_minutes=240,
            resolution_minutes=960,
        ),
        SlaTarget(
            contract_id=contract_id,
            priority="P3",
            response_minutes=240,
            intervention_minutes=960,
            resolution_minutes=2880,
        ),
        SlaTarget(
            contract_id=contract_id,
            priority="P4",
            response_minutes=480,
            intervention_minutes=None,
            resolution_minutes=4800,
        ),
    ]


def load_sample(engine: Engine, now: datetime) -> dict[str, int]:
    """Insert the sample clients and contracts in one transaction; returns {code: client id}."""
    ids: dict[str, int] = {}
    with db.write(engine) as s:
        for n, (name, code, city, postcode, subdiv, contact, role, email, phone, notes) in enumerate(CLIENTS):
            former = code == "CREC"
            client = Client(
                name=name,
                code=code,
                city=city,
                postcode=postcode,
                address=f"{10 + n} rue de la République",
                country="FR",
                subdivision=subdiv,
                timezone="Europe/Paris",
                notes=notes,
                status="former" if former else "active",
                created_at=now,
            )
            s.add(client)
            s.flush()
            client_id = ids[code] = saved_id(client)
            s.add(Contact(client_id=client_id, name=contact, role=role, email=email, phone=phone))
            s.add(Contact(client_id=client_id, name="Accueil", role="Standard", phone=phone))
            round_the_clock = code in ("TILL", "PHAC", "SCHM")
            hours = WEEK_SAT if code in ("BOUL", "PHAC", "GDUP") else WEEK_8_19 if code == "SCHM" else WEEK_9_18
            contract = Contract(
                reference=f"MSP-2026-{n + 1:03d}",
                client_id=client_id,
                title="Infogérance et support" if n % 3 else "Maintenance du parc et cybersécurité",
                start_date=date(2026, 1, 1) if n % 2 else date(2025, 9, 1),
                end_date=date(2026, 6, 30) if former else date(2027, 12, 31),
                status="ended" if former else "active",
                service_lines=["maintenance", "helpdesk", "backup"]
                + (["cybersecurity"] if n % 2 == 0 else ["cloud"])
                + (["managed_printing"] if n % 4 == 1 else []),
                exclusions="Développement logiciel; matériel hors parc déclaré; formation des utilisateurs.",
                business_hours=hours,
                timezone="Europe/Paris",
                holiday_country="FR",
                holiday_subdivision=subdiv,
                whit_monday_worked=n % 2 == 1,
                extra_closed_dates=["2026-12-24"] if n % 5 == 0 else [],
                pause_on_third_party=n % 3 == 0,
                out_of_hours_available=round_the_clock or n % 2 == 0,
                out_of_hours_surcharge_pct=50 if round_the_clock else 25,
                out_of_hours_terms="Urgences P1 hors heures ouvrées: astreinte téléphonique, intervention majorée.",
                out_of_hours_priorities=["P1"] if round_the_clock or n % 2 == 0 else [],
                breach_notification_hours=24 if code in ("DENT", "PHAC") else 48,
                non_solicitation_months=12,
                non_solicitation_indemnity="6 mois de salaire brut",
                payment_terms_days=30 if n % 2 else 45,
                warranty_months=12,
                lead_time_days=10,
                client_owns_ip=True,
                created_at=now,
            )
            s.add(contract)
            s.flush()
            contract_id = saved_id(contract)
            s.add_all(
                [
                    CoveredAsset(contract_id=contract_id, kind="fixed_terminal", count=4 + n * 2),
                    CoveredAsset(contract_id=contract_id, kind="mobile_terminal", count=1 + n % 4),
                    CoveredAsset(contract_id=contract_id, kind="server", count=1 + n % 2),
                    CoveredAsset(contract_id=contract_id, kind="printer", count=1 + n % 3),
                    ThirdParty(
                        contract_id=contract_id,
                        name="ESET",
                        kind="software_vendor",
                        provides="Antivirus EDR",
                        responsibility="Signatures et console de gestion; support éditeur niveau 2.",
                    ),
                    ThirdParty(
                        contract_id=contract_id,
                        name="OVHcloud",
                        kind="cloud_provider",
                        provides="Sauvegarde externalisée",
                        responsibility="Disponibilité du stockage (SLA 99,9 %).",
                    ),
                    ThirdParty(
                        contract_id=contract_id,
                        name="Dell Technologies",
                        kind="hardware_supplier",
                        provides="Serveurs et postes",
                        responsibility="Garantie matérielle J+1 sur site.",
                    ),
                    GdprProcessing(
                        contract_id=contract_id,
                        purpose="Sauvegarde des données du client",
                        data_categories="Clients, salariés, factures",
                        retention="30 jours glissants",
                        destination="OVHcloud, Roubaix (UE)",
                        security_measures="Chiffrement AES-256 au repos, accès MFA.",
                    ),
                    GdprProcessing(
                        contract_id=contract_id,
                        purpose="Supervision et support à distance",
                        data_categories="Identifiants de connexion, journaux",
                        retention="12 mois",
                        destination="Poste du technicien (France)",
                        security_measures="Trousseau chiffré, journaux pseudonymisés.",
                    ),
                ]
            )
            if n % 4 == 2:
                s.add(
                    ThirdParty(
                        contract_id=contract_id,
                        name="Câblage Ouest SARL",
                        kind="subcontractor",
                        provides="Câblage réseau",
                        responsibility="Travaux de câblage, sous la responsabilité du prestataire.",
                    )
                )
            for target in _targets(contract_id, round_the_clock):
                s.add(target)
    from msptui.store.sample.engagements import load_sample_engagements

    load_sample_engagements(engine, ids, now)
    from msptui.store.sample.tickets import load_sample_tickets

    load_sample_tickets(engine, now, ids)
    from msptui.store.sample.deliveries import load_delivered_checklists, load_sample_deliveries

    load_sample_deliveries(engine, now)  # after the engagements: it opens a delivery on one of them
    load_delivered_checklists(engine)  # a delivered engagement is delivered from its checklist, never without
    return ids
