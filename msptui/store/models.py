"""The tables. Table models hold data; they are never used as validators
(input goes through `msptui.store.schemas`).

All instants are UTC (`UTCDateTime`); calendar dates are plain dates in the
client's local calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional, Protocol

from sqlalchemy import JSON, CheckConstraint, Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from msptui.store.types import UTCDateTime


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Row) -> int:
    """The primary key of a row that is in the database (added and flushed, or loaded).

    Table ids are Optional only because a new row has none before the flush; past
    that point a missing id is a bug, so it raises instead of spreading None.
    """
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: flush the session first")  # i18n: not shown
    return row.id


def _instant(nullable: bool = True, **kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, **kw)


def _json(default_factory: Any = list) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


# --- clients -------------------------------------------------------------------


class Client(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    code: str = Field(unique=True, index=True)
    status: str = "active"
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    subdivision: Optional[str] = None
    timezone: str = "Europe/Paris"
    notes: str = ""
    created_at: datetime = _instant(nullable=False)
    archived_at: Optional[datetime] = _instant()
    # Language of the documents the client receives ("en", "fr"); see core.rules.clients.
    language: str = Field(default="fr", sa_column_kwargs={"server_default": "fr"})


class Contact(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


# --- contracts -----------------------------------------------------------------


class Contract(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    title: str
    start_date: date
    end_date: Optional[date] = None
    status: str = "active"
    # Scope
    service_lines: list[str] = _json()
    exclusions: str = ""
    # Business calendar: {"0": [["09:00", "18:00"]], ...} weekday Monday=0, local wall-clock.
    business_hours: dict[str, list[list[str]]] = _json(dict)
    timezone: str = "Europe/Paris"
    holiday_country: str = "FR"
    holiday_subdivision: Optional[str] = None
    whit_monday_worked: bool = False
    extra_closed_dates: list[str] = _json()
    pause_on_third_party: bool = False
    # Out of hours
    out_of_hours_available: bool = False
    out_of_hours_surcharge_pct: int = 0
    out_of_hours_terms: str = ""
    # Priorities the out-of-hours service covers (rules.out_of_hours; [] when not offered).
    out_of_hours_priorities: list[str] = _json()
    # GDPR art. 28
    breach_notification_hours: int = 48
    # Staff
    non_solicitation_months: int = 0
    non_solicitation_indemnity: str = ""
    # Providers' charter
    payment_terms_days: int = 30
    warranty_months: int = 0
    lead_time_days: int = 0
    client_owns_ip: bool = True
    ip_notes: str = ""
    created_at: datetime = _instant(nullable=False)
    archived_at: Optional[datetime] = _instant()
    # Rates (issue 16): None = no hourly rate set; per category {category: "85.00"} overrides it.
    hourly_rate: Optional[Decimal] = Field(default=None, sa_type=Numeric(12, 2), nullable=True)
    category_rates: dict[str, str] = _json(dict)
    vat_pct: Decimal = Field(
        default=Decimal("20.00"), sa_type=Numeric(5, 2), nullable=False, sa_column_kwargs={"server_default": "20.00"}
    )
    currency: str = Field(default="EUR", sa_column_kwargs={"server_default": "EUR"})


class CoveredAsset(SQLModel, table=True):
    __tablename__ = "covered_asset"
    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, ondelete="CASCADE")
    kind: str
    count: int = 1
    notes: str = ""


class ThirdParty(SQLModel, table=True):
    __tablename__ = "third_party"
    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, ondelete="CASCADE")
    name: str
    kind: str
    provides: str = ""
    responsibility: str = ""


class SlaTarget(SQLModel, table=True):
    __tablename__ = "sla_target"
    __table_args__ = (UniqueConstraint("contract_id", "priority"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, ondelete="CASCADE")
    priority: str
    response_minutes: Optional[int] = None
    intervention_minutes: Optional[int] = None
    resolution_minutes: Optional[int] = None
    round_the_clock: bool = False


class GdprProcessing(SQLModel, table=True):
    __tablename__ = "gdpr_processing"
    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, ondelete="CASCADE")
    purpose: str
    data_categories: str = ""
    retention: str = ""
    destination: str = ""
    security_measures: str = ""


# --- tickets -------------------------------------------------------------------


class Ticket(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", index=True, ondelete="RESTRICT")
    title: str
    description: str = ""
    # Current priority and status mirror the last event; the event log is the truth.
    priority: str = "P3"
    status: str = Field(default="new", index=True)
    opened_at: datetime = _instant(nullable=False)
    billable: bool = False
    # The technician the ticket is assigned to; None = unassigned (anyone may take it).
    assignee: Optional[str] = Field(default=None, index=True)


class TicketEvent(SQLModel, table=True):
    """Append-only (enforced by triggers): every status, priority change, milestone and note."""

    __tablename__ = "ticket_event"
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="RESTRICT")
    at: datetime = _instant(nullable=False)
    kind: str  # opened, status, priority, note
    status: Optional[str] = None
    priority: Optional[str] = None
    channel: Optional[str] = None  # on_site / remote, for the start of intervention
    note: str = ""
    out_of_hours: bool = False  # hours_class != in_hours
    # Decided when the action happens (rules.out_of_hours.classify), never recomputed:
    # in_hours, surcharged (at surcharge_pct, the contract's percent then) or outside_contract.
    hours_class: str = Field(default="in_hours", sa_column_kwargs={"server_default": "in_hours"})
    surcharge_pct: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


# --- engagements ---------------------------------------------------------------


class Engagement(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", ondelete="RESTRICT")
    title: str
    description: str = ""
    technologies: list[str] = _json()
    status: str = "proposed"
    proposed_at: datetime = _instant(nullable=False)
    decided_at: Optional[datetime] = _instant()
    start_date: Optional[date] = None
    end_date: Optional[date] = None  # the deadline agreed with the client
    # Agreed price excluding tax; changes after acceptance only by a ChangeRequest.
    price: Optional[Decimal] = Field(default=None, sa_type=Numeric(12, 2), nullable=True)
    delivered_at: Optional[datetime] = _instant()
    cancelled_at: Optional[datetime] = _instant()


class CompetenceCheck(SQLModel, table=True):
    """Append-only: a new check supersedes the previous one, never edits it."""

    __tablename__ = "competence_check"
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="RESTRICT")
    checked_at: datetime = _instant(nullable=False)
    technologies: list[str] = _json()
    familiarity: str
    familiarity_evidence: str = ""
    prior_projects: str
    prior_projects_evidence: str = ""
    know_how: str
    know_how_evidence: str = ""
    decision: str
    partner_name: Optional[str] = None
    partner_disclosed_at: Optional[datetime] = _instant()
    risk_statement: Optional[str] = None


class EngagementPartner(SQLModel, table=True):
    """Append-only: an external partner, a third party of the engagement, named by a check."""

    __tablename__ = "engagement_partner"
    id: Optional[int] = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="RESTRICT")
    check_id: int = Field(foreign_key="competence_check.id", index=True, ondelete="RESTRICT")
    name: str
    competence: str = ""  # "" only for partners carried over from before it was asked
    recorded_at: datetime = _instant(nullable=False)


class CheckDisclosure(SQLModel, table=True):
    """Append-only: the client was told of a check's partner, or given its written risks.

    A check without one (carried over from before it was asked) shows the
    disclosure as something to complete; completing it adds this record.
    """

    __tablename__ = "check_disclosure"
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    check_id: int = Field(foreign_key="competence_check.id", index=True, ondelete="RESTRICT")
    disclosed_to: str
    disclosed_on: date
    disclosed_how: str  # email, phone, meeting, letter
    recorded_at: datetime = _instant(nullable=False)


class ChangeRequest(SQLModel, table=True):
    """Append-only: a change to an accepted engagement's scope, price or deadline, agreed by the client."""

    __tablename__ = "change_request"
    id: Optional[int] = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="RESTRICT")
    what: str  # scope, price, deadline
    old_value: str = ""
    new_value: str = ""
    reason: str
    agreed_by: str
    agreed_on: date
    agreed_how: str  # email, phone, meeting, letter
    recorded_at: datetime = _instant(nullable=False)


class Skill(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    technology: str = Field(index=True)
    evidence: str  # certification, training, project, self_study
    title: str
    obtained_on: date
    notes: str = ""
    # A certification that lapses (issue 18): it comes due on the board before this date.
    expires_on: Optional[date] = None


class ConflictDisclosure(SQLModel, table=True):
    __tablename__ = "conflict_disclosure"
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    engagement_id: Optional[int] = Field(default=None, foreign_key="engagement.id", ondelete="RESTRICT")
    kind: str
    description: str
    identified_at: datetime = _instant(nullable=False)
    disclosed_at: Optional[datetime] = _instant()
    disclosed_to: str = ""
    disclosed_how: str = ""
    client_answer: Optional[str] = None
    answered_at: Optional[datetime] = _instant()
    closed_at: Optional[datetime] = _instant()
    # A gift or offer (kind gift_or_bribe): by whom, when, and what the technician did
    # (rules.conflicts.GiftAction; refused unless accepted under the client's named written policy).
    offered_by: str = ""
    offered_at: Optional[datetime] = _instant()
    gift_action: Optional[str] = None
    gift_policy: str = ""


# --- deliveries ----------------------------------------------------------------


class Delivery(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="RESTRICT")
    created_at: datetime = _instant(nullable=False)
    tests_waived_reason: Optional[str] = None
    note_waived_reason: Optional[str] = None  # no longer set: the note is never waived (kept for old records)
    documents_waived_reason: Optional[str] = None
    signatory: Optional[str] = None
    delivered_at: Optional[datetime] = _instant()
    # Who decided each part's waiver: "technician" alone, or "client" (name, date, how).
    tests_waived_by: Optional[str] = None
    tests_waiver_client: str = ""
    tests_waiver_agreed_on: Optional[date] = None
    tests_waiver_how: str = ""
    documents_waived_by: Optional[str] = None
    documents_waiver_client: str = ""
    documents_waiver_agreed_on: Optional[date] = None
    documents_waiver_how: str = ""


class DeliveryTest(SQLModel, table=True):
    __tablename__ = "delivery_test"
    id: Optional[int] = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True, ondelete="CASCADE")
    description: str
    result: str = "pending"  # pending, passed, failed
    note: str = ""
    waived_reason: Optional[str] = None
    waived_by: Optional[str] = None  # "technician" or "client"
    waiver_client: str = ""
    waiver_agreed_on: Optional[date] = None
    waiver_how: str = ""


class DeliveryItem(SQLModel, table=True):
    __tablename__ = "delivery_item"
    id: Optional[int] = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True, ondelete="CASCADE")
    description: str
    quantity: int = 1
    serial: str = ""


class DeliveryDocument(SQLModel, table=True):
    __tablename__ = "delivery_document"
    id: Optional[int] = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True, ondelete="CASCADE")
    title: str
    given_as: str = "file"  # file, link, printed
    location: str = ""
    confirmed_at: Optional[datetime] = _instant()


class DeliveryNote(SQLModel, table=True):
    """A numbered delivery note; numbers are never reused (see `NoteCounter`)."""

    __tablename__ = "delivery_note"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    delivery_id: int = Field(foreign_key="delivery.id", index=True, ondelete="RESTRICT")
    number: str = Field(unique=True)
    year: int
    seq: int
    issued_at: datetime = _instant(nullable=False)
    signatory: str
    warranty_months: int = 0
    ip_statement: str = ""
    # Everything the note says, frozen at issue (see msptui.store.delivery_notes); the
    # Markdown and PDF are rendered from it alone. Append-only: triggers refuse UPDATE and DELETE.
    content: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON, nullable=True))
    replaces_note_id: Optional[int] = Field(default=None, foreign_key="delivery_note.id", ondelete="RESTRICT")


class DeliveryNoteVoid(SQLModel, table=True):
    """A voided delivery note: its number stays used, its files print VOID. Append-only."""

    __tablename__ = "delivery_note_void"
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    note_id: int = Field(foreign_key="delivery_note.id", unique=True, ondelete="RESTRICT")
    reason: str
    voided_at: datetime = _instant(nullable=False)


class ProviderIdentityRow(SQLModel, table=True):
    """The provider's identity, one row (id 1), printed on every document a client receives."""

    __tablename__ = "provider_identity"
    id: Optional[int] = Field(default=None, primary_key=True)
    trade_name: str
    address: str
    company_number: str
    vat_number: str = ""
    contact: str
    updated_at: datetime = _instant(nullable=False)


class NoteCounter(SQLModel, table=True):
    __tablename__ = "note_counter"
    year: int = Field(primary_key=True)
    last_seq: int = 0


# --- secrets (labels and keyring references only, never values) ----------------


class Secret(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    label: str
    username: str = ""
    location: str = ""  # URL or host
    notes: str = ""
    keyring_key: str = Field(unique=True)
    created_at: datetime = _instant(nullable=False)
    updated_at: datetime = _instant(nullable=False)


# --- time and billing ------------------------------------------------------------


class BillingPeriod(SQLModel, table=True):
    """A client's month, closed: its statement number is never reused. Append-only."""

    __tablename__ = "billing_period"
    __table_args__ = (UniqueConstraint("client_id", "month"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    month: str  # "YYYY-MM", in the client's calendar
    closed_at: datetime = _instant(nullable=False)
    number: str = Field(unique=True)  # the statement's number, e.g. "RA-2026-0001"
    # The statement as closed (lines, amounts, rates then in force), so a later change of
    # rates or calendar never changes what was billed; rendered from it alone.
    content: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON, nullable=True))


class TimeEntry(SQLModel, table=True):
    """Time spent on a ticket or an engagement. Once its period is closed (`period_id`
    set) it never changes or goes away (triggers); a correction is a new entry
    pointing at it (`corrects_id`, at most one per entry)."""

    __tablename__ = "time_entry"
    __table_args__ = (
        CheckConstraint("(ticket_id IS NULL) <> (engagement_id IS NULL)", name="ck_time_entry_one_subject"),
        # `running` is 1 exactly while `ended_at` is empty; the UNIQUE (technician, running)
        # allows one such row per technician.
        UniqueConstraint("technician", "running", name="uq_time_entry_technician_running"),
        CheckConstraint(
            "(running = 1 AND ended_at IS NULL) OR (running IS NULL AND ended_at IS NOT NULL)",
            name="ck_time_entry_running",
        ),
        CheckConstraint("ended_at IS NULL OR ended_at > started_at", name="ck_time_entry_ends_after_start"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    ticket_id: Optional[int] = Field(default=None, foreign_key="ticket.id", index=True, ondelete="RESTRICT")
    engagement_id: Optional[int] = Field(default=None, foreign_key="engagement.id", index=True, ondelete="RESTRICT")
    started_at: datetime = _instant(nullable=False)
    ended_at: Optional[datetime] = _instant()
    running: Optional[int] = None
    description: str = ""
    category: str = "remote"  # rules.time_entries.TimeCategory
    out_of_scope: bool = False
    corrects_id: Optional[int] = Field(default=None, foreign_key="time_entry.id", unique=True, ondelete="RESTRICT")
    period_id: Optional[int] = Field(default=None, foreign_key="billing_period.id", index=True, ondelete="RESTRICT")
    created_at: datetime = _instant(nullable=False)


class PrepaidBlock(SQLModel, table=True):
    """Hours a client bought in advance on a contract; the oldest valid block is used first."""

    __tablename__ = "prepaid_block"
    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, ondelete="RESTRICT")
    hours: Decimal = Field(sa_type=Numeric(8, 2))
    purchased_on: date
    expires_on: Optional[date] = None
    reference: str = ""
    created_at: datetime = _instant(nullable=False)


class PrepaidAlert(SQLModel, table=True):
    """A prepaid threshold (75, 90, 100 %) already said for a set of blocks. Append-only."""

    __tablename__ = "prepaid_alert"
    __table_args__ = (UniqueConstraint("contract_id", "threshold", "blocks"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True, ondelete="RESTRICT")
    threshold: int
    # The block ids it was said for ("3,5"): a block bought later makes a new set, said again.
    blocks: str = ""
    said_at: datetime = _instant(nullable=False)


class BreachJustification(SQLModel, table=True):
    """Why a breached clock was late, for the client. Append-only: a new one supersedes the old."""

    __tablename__ = "breach_justification"
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="RESTRICT")
    clock: str  # response, intervention, resolution
    text: str
    created_at: datetime = _instant(nullable=False)
    supersedes_id: Optional[int] = Field(
        default=None, foreign_key="breach_justification.id", unique=True, ondelete="RESTRICT"
    )


# --- satisfaction ----------------------------------------------------------------------


class Satisfaction(SQLModel, table=True):
    """A client's score at a ticket's close or a delivery (rules.satisfaction), or "not
    asked" (score NULL). Append-only (triggers): a correction is a new row that
    supersedes the old one, which stays on record."""

    __tablename__ = "satisfaction"
    __table_args__ = (
        CheckConstraint("(ticket_id IS NULL) <> (delivery_id IS NULL)", name="ck_satisfaction_one_occasion"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="ck_satisfaction_score"),
        CheckConstraint("length(comment) <= 1000", name="ck_satisfaction_comment_length"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    technician: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who, "" = before team mode
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    ticket_id: Optional[int] = Field(default=None, foreign_key="ticket.id", index=True, ondelete="RESTRICT")
    delivery_id: Optional[int] = Field(default=None, foreign_key="delivery.id", index=True, ondelete="RESTRICT")
    score: Optional[int] = None
    comment: str = ""  # as the client gave it
    given_by: str = ""  # the client's contact who answered, as typed (may be empty)
    asked_at: datetime = _instant(nullable=False)
    recorded_at: datetime = _instant(nullable=False)
    supersedes_id: Optional[int] = Field(default=None, foreign_key="satisfaction.id", unique=True, ondelete="RESTRICT")


# --- coming due: recurring maintenance, renewals, data breaches (issue 18) -------------------


class RecurringTask(SQLModel, table=True):
    """Preventive work a contract promises, on a schedule (`core.rules.recurrence`); each
    occurrence becomes a ticket once (`RecurringOccurrence`)."""

    __tablename__ = "recurring_task"
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", index=True, ondelete="RESTRICT")
    title: str
    steps: list[str] = _json()  # the checklist, copied into each ticket's description
    # {"kind": "days"|"weeks"|"months"|"rrule", "interval", "weekdays", "day_of_month", "rrule"}
    schedule: dict[str, Any] = _json(dict)
    first_on: date  # local date, in the zone of the contract (the client's without one)
    at_time: str = "09:00"  # local wall-clock "HH:MM"
    priority: str = "P3"
    lead_days: int = 0
    active: bool = True
    created_at: datetime = _instant(nullable=False)


class RecurringOccurrence(SQLModel, table=True):
    """One occurrence made into its ticket, in the same transaction. Append-only; the
    UNIQUE pair is what makes "exactly once" hold across processes."""

    __tablename__ = "recurring_occurrence"
    __table_args__ = (UniqueConstraint("task_id", "due_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="recurring_task.id", index=True, ondelete="RESTRICT")
    due_on: date
    ticket_id: int = Field(foreign_key="ticket.id", unique=True, ondelete="RESTRICT")
    created_at: datetime = _instant(nullable=False)
    late: bool = False  # created after its day (msptui was not running then)


class Renewal(SQLModel, table=True):
    """A licence, certificate, domain, support contract or warranty that expires. Renewed =
    a new row, the old one done and pointing at it: what was due stays on record."""

    __tablename__ = "renewal"
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    what: str  # licence, certificate, domain, support, warranty, other
    provider: str = ""
    reference: str = ""
    expires_on: date  # the client's local date
    auto_renew: bool = False
    cost: Optional[Decimal] = Field(default=None, sa_type=Numeric(12, 2), nullable=True)
    currency: str = "EUR"
    notice_days: int = 30
    done_at: Optional[datetime] = _instant()
    replaced_by_id: Optional[int] = Field(default=None, foreign_key="renewal.id", unique=True, ondelete="RESTRICT")
    created_at: datetime = _instant(nullable=False)


class Snooze(SQLModel, table=True):
    """A coming-due item put off until an instant, with its reason. Append-only: the
    newest for an item is the one in force."""

    __tablename__ = "snooze"
    __table_args__ = (Index("ix_snooze_kind_ref_id", "kind", "ref_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # recurring, renewal, warranty, certification, breach
    ref_id: int
    # The item's due instant when snoozed: a snooze holds for that due only (not a reused id,
    # not a certification's next expiry). None: made before 0009, it matches no item.
    due_at: Optional[datetime] = _instant()
    until: datetime = _instant(nullable=False)
    reason: str
    created_at: datetime = _instant(nullable=False)


class DataBreach(SQLModel, table=True):
    """A personal-data or security incident and its notification to the client. Append-only:
    a correction (notification, measures) is a new row superseding the old."""

    __tablename__ = "data_breach"
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="RESTRICT")
    contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", index=True, ondelete="RESTRICT")
    discovered_at: datetime = _instant(nullable=False)
    description: str
    data_concerned: str = ""
    processing_id: Optional[int] = Field(default=None, foreign_key="gdpr_processing.id", ondelete="RESTRICT")
    notified_at: Optional[datetime] = _instant()
    notified_how: str = ""
    measures: str = ""
    # The notification delay as it stood when the breach was recorded (copied to each
    # superseding record): editing the contract later moves no countdown, no notice sent.
    notification_hours: int
    created_at: datetime = _instant(nullable=False)
    supersedes_id: Optional[int] = Field(default=None, foreign_key="data_breach.id", unique=True, ondelete="RESTRICT")
