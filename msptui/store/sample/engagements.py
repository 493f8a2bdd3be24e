"""Sample engagements, competence checks, skills and conflicts of interest on the sample clients.

Chosen so that every screen has something to show: one engagement per
decision (accept, with a partner, at the client's request, decline), a check
superseded by a later one, a proposed engagement whose check finds evidence
in the database, a partner disclosed to the client, a change request on the
price, a check whose disclosure to the client is still to complete (as a
check carried over from before it was asked), and one conflict not yet
disclosed, which blocks accepting the Schmitt project until it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col

from msptui.store import db
from msptui.store.models import (
    ChangeRequest,
    CheckDisclosure,
    CompetenceCheck,
    ConflictDisclosure,
    Engagement,
    EngagementPartner,
    Skill,
    saved_id,
)

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
#: More than a year: the delivered engagement's note always falls in an earlier year than `now`.
DELIVERED_DAYS_AGO = 380

SKILLS = [
    (
        "Microsoft 365",
        "certification",
        "MS-102 Microsoft 365 Administrator",
        date(2025, 3, 14),
        "Renouvelée chaque année en ligne.",
    ),
    ("Veeam", "certification", "Veeam Certified Engineer (VMCE)", date(2024, 10, 8), ""),
    ("Ubiquiti UniFi", "training", "UniFi Network Specialist (UWNS)", date(2025, 6, 20), "Formation de 2 jours, Lyon."),
    (
        "Intune",
        "self_study",
        "Maquette Intune : enrôlement Android et iOS",
        date(2026, 9, 1),
        "Tenant de test, 5 appareils.",
    ),
    ("Windows 11", "project", "Déploiement de 40 postes Windows 11 (ancien employeur)", date(2023, 5, 1), ""),
]


def _engagement(
    client_id: int,
    title: str,
    techs: list[str],
    status: str,
    proposed: datetime,
    *,
    description: str = "",
    decided_at: datetime | None = None,
    delivered_at: datetime | None = None,
    price: Decimal | None = None,
    end_date: date | None = None,
) -> Engagement:
    return Engagement(
        client_id=client_id,
        title=title,
        technologies=techs,
        status=status,
        proposed_at=proposed,
        description=description,
        decided_at=decided_at,
        delivered_at=delivered_at,
        price=price,
        end_date=end_date,
    )


def _check(
    e: Engagement,
    at: datetime,
    answers: tuple[str, str, str],
    evidence: tuple[str, str, str],
    decision: str,
    *,
    partner_name: str | None = None,
    risk_statement: str | None = None,
) -> CompetenceCheck:
    return CompetenceCheck(
        engagement_id=saved_id(e),
        checked_at=at,
        technologies=list(e.technologies),
        familiarity=answers[0],
        familiarity_evidence=evidence[0],
        prior_projects=answers[1],
        prior_projects_evidence=evidence[1],
        know_how=answers[2],
        know_how_evidence=evidence[2],
        decision=decision,
        partner_name=partner_name,
        risk_statement=risk_statement,
    )


def load_sample_engagements(engine: Engine, ids: dict[str, int], now: datetime) -> None:
    """Add the sample engagements, checks, skills and conflicts (one transaction)."""
    with db.write(engine) as s:
        s.add_all(Skill(technology=t, evidence=k, title=title, obtained_on=d, notes=n) for t, k, title, d, n in SKILLS)

        m365 = _engagement(
            ids["DENT"],
            "Migration de la messagerie vers Microsoft 365",
            ["Microsoft 365", "Exchange Online"],
            "delivered",
            # Over a year ago, so its delivery note (see sample/deliveries.py) is numbered in an earlier
            # year than any note the user issues on the sample: theirs starts at BL-<this year>-0001.
            now - 430 * DAY,
            decided_at=now - 425 * DAY,
            delivered_at=now - DELIVERED_DAYS_AGO * DAY,
            description="Bascule de 6 boîtes aux lettres POP vers Exchange Online, archives comprises.",
        )
        backup = _engagement(
            ids["NOTW"],
            "Sauvegarde Veeam vers OVHcloud",
            ["Veeam", "OVHcloud"],
            "in_progress",
            now - 30 * DAY,
            decided_at=now - 20 * DAY,
            description="Sauvegarde des actes numérisés, copie externalisée chiffrée.",
            price=Decimal("3400.00"),
            end_date=(now + 20 * DAY).date(),
        )
        mobiles = _engagement(
            ids["HORI"],
            "Gestion des mobiles avec Intune",
            ["Microsoft 365", "Intune"],
            "proposed",
            now - 2 * DAY,
            description="Enrôler les 8 smartphones des négociateurs, effacement à distance en cas de perte.",
        )
        wifi = _engagement(
            ids["SCHM"],
            "Wi-Fi de l'entrepôt",
            ["Ubiquiti UniFi", "Wi-Fi"],
            "proposed",
            now - 3 * DAY,
            description="Couverture des quais de chargement pour les terminaux de scan.",
        )
        firewall = _engagement(
            ids["TILL"],
            "Pare-feu Fortinet et VPN",
            ["Fortinet FortiGate", "VPN"],
            "declined",
            now - 45 * DAY,
            decided_at=now - 40 * DAY,
        )
        till = _engagement(
            ids["BOUL"],
            "Remplacement de la caisse enregistreuse",
            ["Windows 11", "Caisse enregistreuse"],
            "accepted_at_client_request",
            now - 12 * DAY,
            decided_at=now - 10 * DAY,
            price=Decimal("1250.00"),
        )
        s.add_all([m365, backup, mobiles, wifi, firewall, till])
        s.flush()

        s.add_all(
            [
                _check(
                    m365,
                    now - 425 * DAY,
                    ("yes", "yes", "yes"),
                    (
                        "Certification MS-102 ; administration quotidienne de 3 tenants.",
                        "Migration POP vers Exchange Online pour le Garage Dupont en 2025.",
                        "Certification MS-102 Microsoft 365 Administrator.",
                    ),
                    "accept",
                ),
                _check(
                    backup,
                    now - 25 * DAY,
                    ("yes", "no", "partly"),
                    (
                        "Certification VMCE.",
                        "",
                        "Jamais de copie externalisée vers OVHcloud.",
                    ),
                    "decline",
                ),
                _check(
                    backup,
                    now - 20 * DAY,
                    ("yes", "partly", "yes"),
                    (
                        "Certification VMCE.",
                        "Une sauvegarde Veeam locale au Garage Dupont ; pas encore d'externalisation.",
                        "Certification VMCE ; le partenaire apporte l'externalisation OVHcloud.",
                    ),
                    "accept_with_partner",
                    partner_name="Sauvegarde Experts SARL",
                ),
                _check(
                    firewall,
                    now - 40 * DAY,
                    ("partly", "no", "no"),
                    (
                        "Pare-feu pfSense seulement.",
                        "",
                        "",
                    ),
                    "decline",
                ),
                _check(
                    till,
                    now - 10 * DAY,
                    ("yes", "partly", "partly"),
                    (
                        "Postes Windows 11 déployés chez l'ancien employeur.",
                        "Jamais ce modèle de caisse.",
                        "Documentation de l'éditeur lue, pas de certification.",
                    ),
                    "accept_against_judgement",
                    risk_statement=(
                        "Aucune référence sur ce modèle de caisse : risque d'arrêt des ventes le jour de la bascule. "
                        "Bascule un lundi (jour de fermeture), retour possible sur l'ancienne caisse gardée une semaine."
                    ),
                ),
            ]
        )
        s.flush()
        with_partner = next(c for c in backup_checks(s, backup) if c.decision == "accept_with_partner")
        paris = ZoneInfo("Europe/Paris")
        s.add_all(
            [
                EngagementPartner(
                    engagement_id=saved_id(backup),
                    check_id=saved_id(with_partner),
                    name="Sauvegarde Experts SARL",
                    competence="Copie externalisée chiffrée vers OVHcloud, restauration testée chaque trimestre.",
                    recorded_at=now - 20 * DAY,
                ),
                CheckDisclosure(
                    check_id=saved_id(with_partner),
                    disclosed_to="Claire Weber",
                    disclosed_on=(now - 21 * DAY).astimezone(paris).date(),
                    disclosed_how="meeting",
                    recorded_at=now - 20 * DAY,
                ),
                # The price changed during the work, with the notary's agreement by e-mail.
                ChangeRequest(
                    engagement_id=saved_id(backup),
                    what="price",
                    old_value="2900.00 EUR",
                    new_value="3400.00 EUR",
                    reason="Deuxième copie externalisée demandée pour les actes de plus de 30 ans.",
                    agreed_by="Claire Weber",
                    agreed_on=(now - 8 * DAY).astimezone(paris).date(),
                    agreed_how="email",
                    recorded_at=now - 8 * DAY,
                ),
            ]
        )

        s.add_all(
            [
                ConflictDisclosure(
                    client_id=ids["SCHM"],
                    engagement_id=wifi.id,
                    kind="vendor_incentive",
                    description="Le distributeur Ubiquiti me verse 8 % de commission sur le matériel que je recommande.",
                    identified_at=now - 3 * DAY - 5 * HOUR,
                ),
                ConflictDisclosure(
                    client_id=ids["GDUP"],
                    kind="personal_relationship",
                    description="Jean Dupont est mon beau-frère.",
                    identified_at=now - 400 * DAY,
                    disclosed_at=now - 400 * DAY + HOUR,
                    disclosed_to="Jean Dupont",
                    disclosed_how="Clause signée au contrat",
                    client_answer="accepted",
                    answered_at=now - 400 * DAY + HOUR,
                ),
                ConflictDisclosure(
                    client_id=ids["NOTW"],
                    engagement_id=backup.id,
                    kind="financial_interest",
                    description="Je détiens des actions OVHcloud (moins de 1 000 €).",
                    identified_at=now - 31 * DAY,
                    disclosed_at=now - 30 * DAY,
                    disclosed_to="Claire Weber",
                    disclosed_how="E-mail",
                    client_answer="waived",
                    answered_at=now - 29 * DAY,
                ),
                ConflictDisclosure(
                    client_id=ids["COMF"],
                    kind="competing_client",
                    description="Je suis aussi le prestataire d'un cabinet comptable concurrent à Rennes.",
                    identified_at=now - 6 * DAY,
                    disclosed_at=now - 5 * DAY,
                    disclosed_to="Hélène Fournier",
                    disclosed_how="Rendez-vous au cabinet",
                ),
                ConflictDisclosure(
                    client_id=ids["PHAC"],
                    kind="gift_or_bribe",
                    description="Un week-end à Deauville, contre une recommandation de son logiciel.",
                    offered_by="Commercial d'un éditeur concurrent de LGPI",
                    offered_at=now - 60 * DAY,
                    gift_action="refused",
                    identified_at=now - 60 * DAY,
                    closed_at=now - 60 * DAY,
                ),
            ]
        )


def backup_checks(s: Session, engagement: Engagement) -> list[CompetenceCheck]:
    from sqlalchemy import select

    return list(s.scalars(select(CompetenceCheck).where(col(CompetenceCheck.engagement_id) == engagement.id)))
