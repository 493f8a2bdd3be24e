"""Sample tickets on the sample clients, so the board has something to show.

Written relative to the `now` given: at the tests' frozen instant (Monday
2026-11-23 10:00 in Paris) the board shows every state of a clock: running,
warning, paused, met and breached, an escalated priority, out-of-hours
actions, a resolved ticket awaiting closure and a billable one without contract.
At any other instant the same history simply lands on other hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.store import db
from msptui.store.models import Contract, saved_id
from msptui.store.tickets import TicketCreate, apply_action, open_in

# (client code, with contract, priority, title, description,
#  [(minutes before now, action, argument), ...] after the opening)
Step = tuple[int, str, str | None]
SampleTicket = tuple[str, bool, str, str, str, int, list[Step]]

# Comments give the state at the frozen instant (Monday 10:00 Paris).
TICKETS: list[SampleTicket] = [
    # P1 round the clock, opened and acknowledged before hours (the acknowledgement is surcharged
    # out-of-hours work; the client's opening is not): intervention in warning.
    (
        "TILL",
        True,
        "P1",
        "Serveur de réservation injoignable",
        "Le planning des chambres ne s'affiche plus à l'accueil.",
        100,
        [(88, "acknowledge", None)],
    ),
    # P1 round the clock, acknowledged, nobody on it for three hours: intervention breached.
    (
        "PHAC",
        True,
        "P1",
        "LGPI : base de données corrompue",
        "Message d'erreur au lancement sur les trois comptoirs.",
        180,
        [(172, "acknowledge", None), (170, "add_note", "Pharmagest prévenu, ticket éditeur 48213.")],
    ),
    # P1 round the clock, still new after 45 minutes: response breached.
    (
        "SCHM",
        True,
        "P1",
        "Poste de dispatch bloqué, camions en attente",
        "Écran figé sur l'ordinateur de planification.",
        45,
        [],
    ),
    # P2, 55 of 60 business minutes used: response in warning.
    ("NOTW", True, "P2", "Scanner de l'étude ne numérise plus", "Le scanner réseau renvoie une erreur SMB.", 55, []),
    # P2, just opened: running.
    (
        "BOUL",
        True,
        "P2",
        "Caisse : imprimante de tickets hors service",
        "Voyant rouge clignotant, bourrage dégagé sans effet.",
        20,
        [],
    ),
    # Waiting on the client since Friday: paused.
    (
        "DENT",
        True,
        "P3",
        "Radio panoramique : export vers le dossier patient",
        "Les clichés n'arrivent plus dans le logiciel métier.",
        3960,
        [
            (3940, "acknowledge", None),
            (3900, "wait_client", None),
            (3899, "add_note", "Attente des identifiants de l'éditeur, demandés au Dr Lefèvre."),
        ],
    ),
    # Opened Friday 17:00, never answered: response breached since Monday 09:00 plus an hour.
    ("DENT", True, "P2", "Wifi du cabinet instable", "Coupures toutes les dix minutes en salle 2.", 3900, []),
    # Waiting on the operator (this contract pauses on third parties): paused.
    (
        "HORI",
        True,
        "P2",
        "Fibre coupée : attente de l'opérateur",
        "Plus d'accès Internet à l'agence depuis 14 h.",
        4080,
        [(4070, "acknowledge", None), (4020, "wait_third_party", None)],
    ),
    # On site since Friday: response and intervention met, resolution running.
    (
        "MSTA",
        True,
        "P3",
        "Messagerie : boîte du secrétariat pleine",
        "Plus de réception de courriels depuis ce matin.",
        4320,
        [(4300, "acknowledge", None), (4260, "start_intervention", "on_site")],
    ),
    # Resolved Friday, awaiting the client's confirmation before closing: every clock met.
    (
        "COMF",
        True,
        "P3",
        "Mise à jour du logiciel de paie",
        "La version de novembre refuse de s'installer.",
        4350,
        [(4335, "acknowledge", None), (4290, "start_intervention", "remote"), (4020, "resolve", None)],
    ),
    # No contract: no SLA, billable.
    (
        "BOIS",
        False,
        "P3",
        "Installation d'une imprimante au showroom",
        "Hors contrat : devis accepté par M. Girard.",
        30,
        [],
    ),
    # Escalated from P3 to P2 twenty minutes ago: clocks re-targeted from the opening.
    (
        "PHAC",
        True,
        "P3",
        "Terminal de paiement : erreurs de connexion",
        "Refus aléatoires des paiements sans contact.",
        50,
        [(45, "acknowledge", None), (20, "change_priority", "P2")],
    ),
    # P4 request since Thursday: long resolution clock, response met.
    (
        "GDUP",
        True,
        "P4",
        "Nouveau poste pour la comptabilité",
        "Commande et installation d'un poste supplémentaire.",
        5760,
        [(5700, "acknowledge", None)],
    ),
]


def load_sample_tickets(engine: Engine, now: datetime, clients: dict[str, int]) -> list[int]:
    """Insert the sample tickets for the sample clients `clients` ({code: id}) in
    one transaction, through the same checks as the commands; returns their ids."""
    ids = []
    with db.write(engine) as s:
        contracts = {
            client_id: contract_id
            for contract_id, client_id in s.execute(
                select(col(Contract.id), col(Contract.client_id)).where(
                    col(Contract.client_id).in_(list(clients.values()))
                )
            )
        }
        for code, with_contract, priority, title, description, opened_ago, steps in TICKETS:
            client_id = clients[code]
            data = TicketCreate(
                client_id=client_id,
                contract_id=contracts[client_id] if with_contract else None,
                title=title,
                description=description,
                priority=priority,
            )
            ticket_id = saved_id(open_in(s, data, now - timedelta(minutes=opened_ago)))
            for ago, action, argument in steps:
                _apply_step(s, ticket_id, action, now - timedelta(minutes=ago), argument)
            ids.append(ticket_id)
    return ids


def _apply_step(s: Session, ticket_id: int, action: str, at: datetime, argument: str | None) -> None:
    # A step's argument goes to the keyword its action takes; the other actions take none.
    if action == "add_note":
        apply_action(s, ticket_id, action, at, note=argument or "")
    elif action == "change_priority":
        apply_action(s, ticket_id, action, at, priority=argument)
    elif action == "start_intervention":
        apply_action(s, ticket_id, action, at, channel=argument)
    else:
        apply_action(s, ticket_id, action, at)
