"""The trade's words, one enum per idea, shared by store, screens and exports.

Values are what the database stores; `label` is what a technician reads, in the
current language (`_LABELS` is marked for the catalogue and translated when read).
Pure: imports nothing else of the project but `msptui.core.i18n`.
"""

from __future__ import annotations

from enum import StrEnum

from msptui.core.i18n import N_, _, ngettext


class Vocab(StrEnum):
    @property
    def label(self) -> str:
        """What a technician reads, in the current language."""
        words = _LABELS.get((type(self).__name__, self.value))
        return _(words) if words else self.value.replace("_", " ").capitalize()

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


class TicketStatus(Vocab):
    new = "new"
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    waiting_client = "waiting_client"
    waiting_third_party = "waiting_third_party"
    resolved = "resolved"
    closed = "closed"


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


class SkillEvidence(Vocab):
    certification = "certification"
    training = "training"
    project = "project"
    self_study = "self_study"


class GivenAs(Vocab):
    file = "file"
    link = "link"
    printed = "printed"


# Marked for the catalogue: show `_(WEEKDAYS[d])`.
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def asset_count(kind: str, count: int) -> str:
    """ "24 fixed terminals" / "24 postes fixes": a count of one kind of covered asset, in words."""
    if kind == AssetKind.fixed_terminal:
        words = ngettext("{count} fixed terminal", "{count} fixed terminals", count)
    elif kind == AssetKind.mobile_terminal:
        words = ngettext("{count} mobile terminal", "{count} mobile terminals", count)
    elif kind == AssetKind.server:
        words = ngettext("{count} server", "{count} servers", count)
    elif kind == AssetKind.network_device:
        words = ngettext("{count} network device", "{count} network devices", count)
    elif kind == AssetKind.printer:
        words = ngettext("{count} printer", "{count} printers", count)
    else:
        words = ngettext("{count} other asset", "{count} other assets", count)
    return words.format(count=count)


def weekday_name(day: int) -> str:
    """ "Monday" (0) to "Sunday" (6), in the current language."""
    return _(WEEKDAYS[day])


# What a technician reads for each stored word, by enum: the same word may read differently
# in two enums in French (a ticket is "nouveau", a contract "actif"...).
_LABELS: dict[tuple[str, str], str] = {
    ("ClientStatus", "prospect"): N_("Prospect"),
    ("ClientStatus", "active"): N_("Active"),
    ("ClientStatus", "former"): N_("Former"),
    ("ContractStatus", "draft"): N_("Draft"),
    ("ContractStatus", "active"): N_("Active"),
    ("ContractStatus", "suspended"): N_("Suspended"),
    ("ContractStatus", "ended"): N_("Ended"),
    ("ServiceLine", "maintenance"): N_("Maintenance"),
    ("ServiceLine", "cloud"): N_("Cloud"),
    ("ServiceLine", "cybersecurity"): N_("Cybersecurity"),
    ("ServiceLine", "managed_printing"): N_("Managed printing"),
    ("ServiceLine", "backup"): N_("Backup"),
    ("ServiceLine", "helpdesk"): N_("Helpdesk"),
    ("ServiceLine", "other"): N_("Other"),
    ("AssetKind", "fixed_terminal"): N_("Fixed terminal"),
    ("AssetKind", "mobile_terminal"): N_("Mobile terminal"),
    ("AssetKind", "server"): N_("Server"),
    ("AssetKind", "network_device"): N_("Network device"),
    ("AssetKind", "printer"): N_("Printer"),
    ("AssetKind", "other"): N_("Other"),
    ("ThirdPartyKind", "software_vendor"): N_("Software vendor"),
    ("ThirdPartyKind", "cloud_provider"): N_("Cloud provider"),
    ("ThirdPartyKind", "hardware_supplier"): N_("Hardware supplier"),
    ("ThirdPartyKind", "subcontractor"): N_("Subcontractor"),
    ("ThirdPartyKind", "other"): N_("Other"),
    ("Priority", "P1"): N_("P1 critical"),
    ("Priority", "P2"): N_("P2 high"),
    ("Priority", "P3"): N_("P3 normal"),
    ("Priority", "P4"): N_("P4 low"),
    ("TicketStatus", "new"): N_("New"),
    ("TicketStatus", "acknowledged"): N_("Acknowledged"),
    ("TicketStatus", "in_progress"): N_("In progress"),
    ("TicketStatus", "waiting_client"): N_("Waiting on client"),
    ("TicketStatus", "waiting_third_party"): N_("Waiting on third party"),
    ("TicketStatus", "resolved"): N_("Resolved"),
    ("TicketStatus", "closed"): N_("Closed"),
    ("EngagementStatus", "proposed"): N_("Proposed"),
    ("EngagementStatus", "accepted"): N_("Accepted"),
    ("EngagementStatus", "accepted_with_partner"): N_("Accepted with partner"),
    ("EngagementStatus", "accepted_at_client_request"): N_("Accepted at the client's request"),
    ("EngagementStatus", "declined"): N_("Declined"),
    ("EngagementStatus", "in_progress"): N_("In progress"),
    ("EngagementStatus", "delivered"): N_("Delivered"),
    ("EngagementStatus", "cancelled"): N_("Cancelled"),
    ("SkillEvidence", "certification"): N_("Certification"),
    ("SkillEvidence", "training"): N_("Training"),
    ("SkillEvidence", "project"): N_("Project"),
    ("SkillEvidence", "self_study"): N_("Self study"),
    ("GivenAs", "file"): N_("File"),
    ("GivenAs", "link"): N_("Link"),
    ("GivenAs", "printed"): N_("Printed"),
}
