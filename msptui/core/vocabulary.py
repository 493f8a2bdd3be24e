"""The trade's words, one enum per idea, shared by store, screens and exports.

Values are what the database stores; `label` is what a technician reads.
Pure: imports nothing else of the project.
"""

from __future__ import annotations

from enum import StrEnum


class Vocab(StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(label, value) pairs, in declaration order, for a Select."""
        return [(m.label, m.value) for m in cls]


class ClientStatus(Vocab):
    prospect = "prospect"
    active = "active"
    former = "former"


class ContractStatus(Vocab):
    draft = "draft"
    active = "active"
    suspended = "suspended"
    ended = "ended"


class ServiceLine(Vocab):
    maintenance = "maintenance"
    cloud = "cloud"
    cybersecurity = "cybersecurity"
    managed_printing = "managed_printing"
    backup = "backup"
    helpdesk = "helpdesk"
    other = "other"


class AssetKind(Vocab):
    fixed_terminal = "fixed_terminal"
    mobile_terminal = "mobile_terminal"
    server = "server"
    network_device = "network_device"
    printer = "printer"
    other = "other"


class ThirdPartyKind(Vocab):
    software_vendor = "software_vendor"
    cloud_provider = "cloud_provider"
    hardware_supplier = "hardware_supplier"
    subcontractor = "subcontractor"
    other = "other"


class Priority(Vocab):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def label(self) -> str:
        return {"P1": "P1 critical", "P2": "P2 high", "P3": "P3 normal", "P4": "P4 low"}[self.value]


class TicketStatus(Vocab):
    new = "new"
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    waiting_client = "waiting_client"
    waiting_third_party = "waiting_third_party"
    resolved = "resolved"
    closed = "closed"

    @property
    def label(self) -> str:
        return {
            "waiting_client": "Waiting on client",
            "waiting_third_party": "Waiting on third party",
            "in_progress": "In progress",
        }.get(self.value, self.value.capitalize())


OPEN_TICKET_STATUSES = frozenset(
    {
        TicketStatus.new,
        TicketStatus.acknowledged,
        TicketStatus.in_progress,
        TicketStatus.waiting_client,
        TicketStatus.waiting_third_party,
    }
)
# Tickets on the SLA board: open ones and resolved ones awaiting closure (so they can be closed or reopened).
BOARD_STATUSES = frozenset(OPEN_TICKET_STATUSES | {TicketStatus.resolved})


class EngagementStatus(Vocab):
    proposed = "proposed"
    accepted = "accepted"
    accepted_with_partner = "accepted_with_partner"
    # Against the technician's own judgement: the risks were written and given to the client.
    accepted_at_client_request = "accepted_at_client_request"
    declined = "declined"
    in_progress = "in_progress"
    delivered = "delivered"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        if self is EngagementStatus.accepted_at_client_request:
            return "Accepted at the client's request"
        return super().label


class SkillEvidence(Vocab):
    certification = "certification"
    training = "training"
    project = "project"
    self_study = "self_study"


class GivenAs(Vocab):
    file = "file"
    link = "link"
    printed = "printed"


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
