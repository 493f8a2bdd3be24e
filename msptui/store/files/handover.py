"""Handover pack: what another provider needs to take over a client, as Markdown and JSON.

For a cancelled engagement or a former client (the providers' charter asks
for it on cancellation). The pack is a folder and a zip of it in the exports
folder (exports/handover/<CODE>-<YYYYMMDD-HHMMSS>/ and .zip, the client's
local time) holding:

- handover.json: the client, contacts, contracts with their scope, covered
  assets, third parties, SLA targets and GDPR processing, the open tickets
  with their whole event history, engagements with their deliveries (tests,
  items, documentation, delivery notes), and the client's secrets by label.
  Every record is the database row's columns as JSON, so it loads back and
  compares equal to the database.
- handover.md: the same for a person to read, headed by the provider's identity
  (trade name, address, company number, VAT number, contact), as every
  document a client receives, in the client's language (the JSON stays data).
- notes/: copies of the delivery notes already exported (PDF and Markdown).

Secrets appear by label, user name, location and notes only: their values
stay in the keyring, which this module never touches, and are handed over
through another channel.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, SQLColumnExpression, inspect, select
from sqlmodel import Session, SQLModel, col

from msptui.core import formats
from msptui.core.i18n import N_, _, document_language, ngettext
from msptui.core.rules.delivery import WaiverRecord, waiver_text
from msptui.core.rules.provider import provider_lines
from msptui.core.vocabulary import OPEN_TICKET_STATUSES
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.files.private import inside, private_folder, safe_component, write_private
from msptui.store.models import (
    Client,
    Contact,
    Contract,
    CoveredAsset,
    Delivery,
    DeliveryDocument,
    DeliveryItem,
    DeliveryNote,
    DeliveryNoteVoid,
    DeliveryTest,
    Engagement,
    GdprProcessing,
    ProviderIdentityRow,
    Secret,
    SlaTarget,
    ThirdParty,
    Ticket,
    TicketEvent,
)

FORMAT = "msptui-handover/1"
FOLDER = "handover"
#: What a pack may say about a secret. Never the value, never the keyring reference.
SECRET_FIELDS = ("label", "username", "location", "notes")


@dataclass(frozen=True)
class HandoverPack:
    folder: Path
    zip: Path
    markdown: Path
    json: Path


def _row(model: SQLModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def _rows(
    s: Session, model: type[SQLModel], *where: ColumnElement[bool], order: tuple[SQLColumnExpression[Any], ...] = ()
) -> list[dict[str, Any]]:
    # By default by primary key (every table's `id`): the order the rows were written.
    stmt = select(model).where(*where).order_by(*(order or inspect(model).primary_key))
    return [_row(r) for r in s.scalars(stmt)]


def handover_data(engine: Engine, client_id: int, now: datetime, engagement_id: int | None = None) -> dict[str, Any]:
    """Everything in the pack, read in one transaction, as JSON-ready dicts.

    `engagement_id` names the cancelled engagement the pack is for (None: the
    whole client). RefusedError if the client or engagement does not exist.
    """
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError(_("This client no longer exists."))
        if engagement_id is not None:
            engagement = s.get(Engagement, engagement_id)
            if engagement is None or engagement.client_id != client_id:
                raise RefusedError(_("This engagement no longer exists."))
        contracts = []
        for contract in s.scalars(
            select(Contract)
            .where(col(Contract.client_id) == client_id)
            .order_by(col(Contract.start_date), col(Contract.id))
        ):
            contracts.append(
                {
                    **_row(contract),
                    "covered_assets": _rows(s, CoveredAsset, col(CoveredAsset.contract_id) == contract.id),
                    "third_parties": _rows(s, ThirdParty, col(ThirdParty.contract_id) == contract.id),
                    "sla_targets": _rows(
                        s, SlaTarget, col(SlaTarget.contract_id) == contract.id, order=(col(SlaTarget.priority),)
                    ),
                    "gdpr_processing": _rows(s, GdprProcessing, col(GdprProcessing.contract_id) == contract.id),
                }
            )
        tickets = []
        open_statuses = [str(status) for status in OPEN_TICKET_STATUSES]
        for ticket in s.scalars(
            select(Ticket)
            .where(col(Ticket.client_id) == client_id, col(Ticket.status).in_(open_statuses))
            .order_by(col(Ticket.opened_at), col(Ticket.id))
        ):
            events = _rows(
                s,
                TicketEvent,
                col(TicketEvent.ticket_id) == ticket.id,
                order=(col(TicketEvent.at), col(TicketEvent.id)),
            )
            tickets.append({**_row(ticket), "events": events})
        engagements = []
        for engagement in s.scalars(
            select(Engagement)
            .where(col(Engagement.client_id) == client_id)
            .order_by(col(Engagement.proposed_at), col(Engagement.id))
        ):
            deliveries = []
            for delivery in s.scalars(
                select(Delivery).where(col(Delivery.engagement_id) == engagement.id).order_by(col(Delivery.id))
            ):
                deliveries.append(
                    {
                        **_row(delivery),
                        "tests": _rows(s, DeliveryTest, col(DeliveryTest.delivery_id) == delivery.id),
                        "items": _rows(s, DeliveryItem, col(DeliveryItem.delivery_id) == delivery.id),
                        "documents": _rows(s, DeliveryDocument, col(DeliveryDocument.delivery_id) == delivery.id),
                        "notes": _rows(s, DeliveryNote, col(DeliveryNote.delivery_id) == delivery.id),
                        "voids": _rows(
                            s,
                            DeliveryNoteVoid,
                            col(DeliveryNoteVoid.note_id).in_(
                                select(col(DeliveryNote.id)).where(col(DeliveryNote.delivery_id) == delivery.id)
                            ),
                        ),
                    }
                )
            engagements.append({**_row(engagement), "deliveries": deliveries})
        columns = [getattr(Secret, name) for name in SECRET_FIELDS]
        secrets = [
            dict(zip(SECRET_FIELDS, values))
            for values in s.execute(
                select(*columns).where(col(Secret.client_id) == client_id).order_by(col(Secret.label), col(Secret.id))
            )
        ]
        provider = s.get(ProviderIdentityRow, 1)
        return {
            "format": FORMAT,
            "generated_at": now.isoformat(),
            # Who hands this over: None until the provider's identity is set.
            "provider": _row(provider) if provider is not None else None,
            "engagement_id": engagement_id,
            "client": _row(client),
            "contacts": _rows(s, Contact, col(Contact.client_id) == client_id),
            "contracts": contracts,
            "open_tickets": tickets,
            "engagements": engagements,
            "secrets": secrets,
        }


def write_handover_pack(
    engine: Engine, exports: Path, client_id: int, now: datetime, engagement_id: int | None = None
) -> HandoverPack:
    """Write the pack's folder and its zip into `exports`/handover; returns where.

    A new folder every time (named after the client's code and its local time),
    so an earlier pack is never overwritten. Delivery notes already exported
    are copied in. Nothing is read from the keyring.
    """
    data = handover_data(engine, client_id, now, engagement_id)
    base = private_folder(exports / FOLDER)
    # The client's code is data (an import could hold "../../x"): one safe component.
    code = safe_component(str(data["client"]["code"]), fallback="client")
    name = f"{code}-{now.astimezone(ZoneInfo(data['client']['timezone'])):%Y%m%d-%H%M%S}"
    folder, n = inside(base, name), 1
    while folder.exists() or folder.with_suffix(".zip").exists():
        n += 1
        folder = inside(base, f"{name}-{n}")
    folder.mkdir(mode=0o700)
    json_path, md_path = folder / "handover.json", folder / "handover.md"
    write_private(json_path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    write_private(md_path, handover_markdown(data).encode("utf-8"))
    _copy_notes(data, exports, folder / "notes")

    zip_path = folder.with_suffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(base))
    write_private(zip_path, buffer.getvalue())
    return HandoverPack(folder=folder, zip=zip_path, markdown=md_path, json=json_path)


def _copy_notes(data: dict[str, Any], exports: Path, target: Path) -> None:
    # The notes folder name is the renderer's (msptui.store.files.delivery_note.NOTES_FOLDER); the store does not import it.
    for engagement in data["engagements"]:
        for delivery in engagement["deliveries"]:
            for note in delivery["notes"]:
                for suffix in (".pdf", ".md"):
                    name = safe_component(str(note["number"]), fallback="note") + suffix
                    source = inside(exports / "delivery-notes", name)
                    if source.is_file():
                        write_private(inside(private_folder(target), name), source.read_bytes())


# --- Markdown -------------------------------------------------------------------------------

EVENT_KINDS = {
    "opened": N_("Opened"),
    "status": N_("Status"),
    "priority": N_("Priority"),
    "note": N_("Note"),
    "assigned": N_("Assigned"),
}


def _md(value: Any) -> str:
    """User text made literal and kept on one line (table cells cannot hold newlines)."""
    from msptui.store.files.delivery_note import md_text

    return "-" if value is None or value == "" else md_text(value)


def _word(value: Any) -> str:
    """A stored vocabulary word as plain words: "waiting_client" -> "waiting client"."""
    return "-" if value is None else str(value).replace("_", " ")


def _label(vocabulary: Any, value: Any) -> str:
    """A stored word as its label in the pack's language ("waiting_client" -> "Waiting on client");
    a word the vocabulary does not know (an older value) as plain words."""
    if value is None:
        return "-"
    try:
        return str(vocabulary(value).label)
    except ValueError:
        return _word(value)


def _then(text: str) -> str:
    """Optional free text after a sentence: nothing when blank."""
    return f" {_md(text)}" if text and text.strip() else ""


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    if not rows:
        return [_("None."), ""]
    out = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += ["| " + " | ".join(_md(v) for v in row) + " |" for row in rows]
    return out + [""]


def _town(client: dict[str, Any]) -> str:
    return " ".join(p for p in (client["postcode"], client["city"]) if p)


def _local(instant: str | None, zone: ZoneInfo) -> str:
    """An instant of the pack in the client's zone, as its language writes it ("Mon 23 Nov 2026, 10:00")."""
    if not instant:
        return "-"
    return formats.date_time(datetime.fromisoformat(instant).astimezone(zone))


def _day(iso: str) -> str:
    return formats.medium_date(date.fromisoformat(iso))


def _hours(hours: dict[str, list[list[str]]]) -> str:
    monday = date(2024, 1, 1)  # any Monday: the weekday's name comes from a date
    days = [
        f"{formats.weekday_abbr(monday + timedelta(days=int(day)))} {', '.join(f'{a}-{b}' for a, b in spans)}"
        for day, spans in sorted(hours.items())
    ]
    return " · ".join(days) or _("none")


def _months(count: int) -> str:
    return ngettext("{count} month", "{count} months", count).format(count=count)


def handover_markdown(data: dict[str, Any]) -> str:
    """The pack for a person to read (same content as the JSON), in the client's language."""
    with document_language(data["client"].get("language") or "en"):
        return _handover_markdown(data)


def _handover_markdown(data: dict[str, Any]) -> str:
    from msptui.core.vocabulary import ClientStatus, EngagementStatus, TicketStatus

    client = data["client"]
    zone = ZoneInfo(client["timezone"])
    prepared = _(
        "Prepared {moment} ({timezone}). Everything another provider needs to take over;"
        " the JSON file beside this one holds the same records."
    ).format(moment=_local(data["generated_at"], zone), timezone=client["timezone"])
    out = [
        "# " + _("Handover pack: {client} ({code})").format(client=_md(client["name"]), code=_md(client["code"])),
        "",
        *_provider_markdown(data.get("provider")),
        prepared,
        "",
    ]
    if data["engagement_id"] is not None:
        subject = next(e for e in data["engagements"] if e["id"] == data["engagement_id"])
        status = _label(EngagementStatus, subject["status"]).lower()
        out += [
            _("Prepared for the engagement: **{title}** ({status}).").format(
                title=_md(subject["title"]), status=status
            ),
            "",
        ]
    country = client["country"] + (f" ({client['subdivision']})" if client["subdivision"] else "")
    out += [
        "## " + _("Client"),
        "",
        "- " + _("Status: {status}").format(status=_label(ClientStatus, client["status"])),
        "- "
        + _("Address: {address}").format(address=_md(", ".join(p for p in (client["address"], _town(client)) if p))),
        "- "
        + _("Time zone: {timezone}; public holidays: {country}").format(timezone=client["timezone"], country=country),
        "- " + _("Notes: {notes}").format(notes=_md(client["notes"])),
        "",
        "### " + _("Contacts"),
        "",
        *_table(
            [_("Name"), _("Role"), _("Email"), _("Phone")],
            [[c["name"], c["role"], c["email"], c["phone"]] for c in data["contacts"]],
        ),
        "## " + _("Contracts"),
        "",
    ]
    if not data["contracts"]:
        out += [_("None."), ""]
    for k in data["contracts"]:
        out += _contract_markdown(k)
    out += ["## " + _("Open tickets"), ""]
    if not data["open_tickets"]:
        out += [_("None."), ""]
    for t in data["open_tickets"]:
        said = _("{priority}, {status}, opened {moment}.").format(
            priority=t["priority"],
            status=_label(TicketStatus, t["status"]).lower(),
            moment=_local(t["opened_at"], zone),
        )
        out += [
            "### " + _("Ticket {number}: {title}").format(number=t["id"], title=_md(t["title"])),
            "",
            said + _then(t["description"]),
            "",
            *_table(
                [_("Date and time"), _("What"), _("Status"), _("Priority"), _("Note")],
                [
                    [
                        _local(e["at"], zone),
                        _(EVENT_KINDS[e["kind"]]) if e["kind"] in EVENT_KINDS else _word(e["kind"]),
                        _label(TicketStatus, e["status"]),
                        e["priority"],
                        e["note"],
                    ]
                    for e in t["events"]
                ],
            ),
        ]
    out += ["## " + _("Engagements and deliveries"), ""]
    if not data["engagements"]:
        out += [_("None."), ""]
    for e in data["engagements"]:
        out += _engagement_markdown(e, zone)
    out += [
        "## " + _("Secrets (labels only)"),
        "",
        _("The values are not in this pack: hand them over through a separate, secure channel."),
        "",
        *_table(
            [_("Label"), _("User name"), _("Location"), _("Notes")],
            [[x[f] for f in SECRET_FIELDS] for x in data["secrets"]],
        ),
    ]
    return "\n".join(out)


def _contract_markdown(k: dict[str, Any]) -> list[str]:
    from msptui.core.vocabulary import AssetKind, ContractStatus, ServiceLine, ThirdPartyKind

    status = _label(ContractStatus, k["status"])
    if k["end_date"]:
        period = _("Status: {status}, from {start} to {end}").format(
            status=status, start=_day(k["start_date"]), end=_day(k["end_date"])
        )
    else:
        period = _("Status: {status}, from {start}, no end date").format(status=status, start=_day(k["start_date"]))
    closed = [
        _("Closed: public holidays of {country}").format(
            country=k["holiday_country"] + (f" ({k['holiday_subdivision']})" if k["holiday_subdivision"] else "")
        )
    ]
    if k["whit_monday_worked"]:
        closed.append(_("Whit Monday worked"))
    if k["extra_closed_dates"]:
        closed.append(_("also {dates}").format(dates=", ".join(_day(d) for d in k["extra_closed_dates"])))
    if k["pause_on_third_party"]:
        pauses = _("SLA clocks pause while waiting on the client or a third party")
    else:
        pauses = _("SLA clocks pause while waiting on the client")
    if k["out_of_hours_available"]:
        surcharge = _("{number} %").format(number=formats.number(k["out_of_hours_surcharge_pct"]))
        ooh = _("Out of hours: available for {priorities}, surcharge {percent}.").format(
            priorities=", ".join(k.get("out_of_hours_priorities") or ["P1"]), percent=surcharge
        )
    else:
        ooh = _("Out of hours: not available.")
    if k["client_owns_ip"]:
        ip = _("Intellectual property: owned by the client.")
    else:
        ip = _("Intellectual property: kept by the provider.")
    services = ", ".join(_label(ServiceLine, line) for line in k["service_lines"]) or "-"
    days = k["payment_terms_days"]

    def target(minutes: int | None) -> str:
        return "-" if minutes is None else formats.hours(timedelta(minutes=minutes))

    return [
        "### " + _("{reference}: {title}").format(reference=_md(k["reference"]), title=_md(k["title"])),
        "",
        f"- {period}",
        "- " + _("Services: {services}").format(services=services),
        "- " + _("Exclusions: {exclusions}").format(exclusions=_md(k["exclusions"])),
        "- "
        + _("Business hours ({timezone}): {hours}").format(timezone=k["timezone"], hours=_hours(k["business_hours"])),
        "- " + ", ".join(closed),
        f"- {pauses}",
        f"- {ooh}{_then(k['out_of_hours_terms'])}",
        "- "
        + _("GDPR: a breach of personal data is notified to the client within {delay}").format(
            delay=formats.hours(timedelta(hours=k["breach_notification_hours"]))
        ),
        "- "
        + _("Non-solicitation: {months}, indemnity {indemnity}").format(
            months=_months(k["non_solicitation_months"]), indemnity=_md(k["non_solicitation_indemnity"])
        ),
        "- " + ngettext("Payment: {count} day", "Payment: {count} days", days).format(count=days),
        "- " + _("Warranty: {months}").format(months=_months(k["warranty_months"])),
        f"- {ip}{_then(k['ip_notes'])}",
        "",
        "#### " + _("Covered assets"),
        "",
        *_table(
            [_("Kind"), _("Count"), _("Notes")],
            [[_label(AssetKind, a["kind"]), a["count"], a["notes"]] for a in k["covered_assets"]],
        ),
        "#### " + _("Third parties"),
        "",
        *_table(
            [_("Name"), _("Kind"), _("Provides"), _("Responsibility")],
            [
                [p["name"], _label(ThirdPartyKind, p["kind"]), p["provides"], p["responsibility"]]
                for p in k["third_parties"]
            ],
        ),
        "#### " + _("SLA targets (business time)"),
        "",
        *_table(
            [_("Priority"), _("Response"), _("Intervention"), _("Resolution"), _("Round the clock")],
            [
                [
                    t["priority"],
                    target(t["response_minutes"]),
                    target(t["intervention_minutes"]),
                    target(t["resolution_minutes"]),
                    _("yes") if t["round_the_clock"] else _("no"),
                ]
                for t in k["sla_targets"]
            ],
        ),
        "#### " + _("GDPR processing"),
        "",
        *_table(
            [_("Purpose"), _("Data"), _("Retention"), _("Destination"), _("Security measures")],
            [
                [g["purpose"], g["data_categories"], g["retention"], g["destination"], g["security_measures"]]
                for g in k["gdpr_processing"]
            ],
        ),
    ]


def _provider_markdown(provider: dict[str, Any] | None) -> list[str]:
    if provider is None:
        return [_("From: the provider's identity is not set yet (set it in Provider identity)."), ""]
    from msptui.store.provider import _identity

    lines = provider_lines(_identity(ProviderIdentityRow(**provider)))
    return [_("From:"), "", *(f"{_md(line)}  " for line in lines), ""]


def _waiver(row: dict[str, Any], prefix: str = "") -> str | None:
    """A recorded waiver as the note prints it (who decided), from a row's columns."""
    reason = row[f"{prefix}waived_reason"]
    if not reason:
        return None
    agreed = row[f"{prefix}waiver_agreed_on"]
    return waiver_text(
        WaiverRecord(
            reason,
            row[f"{prefix}waived_by"] or "technician",
            row[f"{prefix}waiver_client"],
            date.fromisoformat(agreed) if agreed else None,
            row[f"{prefix}waiver_how"],
        )
    )


def _engagement_markdown(e: dict[str, Any], zone: ZoneInfo) -> list[str]:
    from msptui.core.rules.delivery import TestResult
    from msptui.core.vocabulary import EngagementStatus, GivenAs

    said = _("Status {status}; technologies: {technologies}.").format(
        status=_label(EngagementStatus, e["status"]).lower(), technologies=_md(", ".join(e["technologies"]))
    )
    out = [f"### {_md(e['title'])}", "", said + _then(e["description"]), ""]
    for d in e["deliveries"]:
        voided = {v["note_id"]: v for v in d.get("voids", [])}
        notes = ", ".join(
            _("{number} (void: {reason})").format(number=n["number"], reason=_md(voided[n["id"]]["reason"]))
            if n["id"] in voided
            else n["number"]
            for n in d["notes"]
        ) or _("no delivery note")
        opened = _local(d["created_at"], zone)
        if d["delivered_at"]:
            state = _("Delivery opened {opened}, delivered {delivered}, {notes}.").format(
                opened=opened, delivered=_local(d["delivered_at"], zone), notes=notes
            )
        else:
            state = _("Delivery opened {opened}, not delivered, {notes}.").format(opened=opened, notes=notes)
        out += [state, ""]
        if (waived := _waiver(d, "tests_")) is not None:
            out += [_("Testing waived. {waiver}").format(waiver=_md(waived)), ""]
        if (waived := _waiver(d, "documents_")) is not None:
            out += [_("Documentation waived. {waiver}").format(waiver=_md(waived)), ""]
        out += _table(
            [_("Test"), _("Result"), _("Note"), _("Waived")],
            [[t["description"], _label(TestResult, t["result"]), t["note"], _waiver(t)] for t in d["tests"]],
        )
        out += _table(
            [_("Item"), _("Quantity"), _("Serial or version")],
            [[i["description"], i["quantity"], i["serial"]] for i in d["items"]],
        )
        out += _table(
            [_("Documentation"), _("Given as"), _("Where"), _("Confirmed")],
            [
                [doc["title"], _label(GivenAs, doc["given_as"]), doc["location"], _local(doc["confirmed_at"], zone)]
                for doc in d["documents"]
            ],
        )
    return out
