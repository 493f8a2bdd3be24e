"""An imported row obeys the same rules as one typed in the interface.

`msptui import` writes rows as they are in the file; before that, each row of a
table that the interface fills through an input model is checked by that model
(the same Create models, so one rule lives in one place). A contract whose time
zone is `Mars/Olympus`, business hours of `25:99`, a client code or a delivery
note number that the interface would refuse (`../../tmp/x`): refused, with the
table, the row and the field, before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from msptui.core.i18n import _
from msptui.store.clients import RefusedError


def _models() -> dict[str, type[BaseModel]]:
    from msptui.store.schemas import (
        ClientCreate,
        ContactCreate,
        ContractCreate,
        CoveredAssetCreate,
        GdprProcessingCreate,
        SlaTargetInput,
        ThirdPartyCreate,
    )
    from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, TestLineCreate
    from msptui.store.secrets import SecretCreate
    from msptui.store.tickets import TicketCreate

    return {
        "client": ClientCreate,
        "contact": ContactCreate,
        "contract": ContractCreate,
        "covered_asset": CoveredAssetCreate,
        "third_party": ThirdPartyCreate,
        "sla_target": SlaTargetInput,
        "gdpr_processing": GdprProcessingCreate,
        "ticket": TicketCreate,
        "secret": SecretCreate,
        "delivery_test": TestLineCreate,
        "delivery_item": ItemCreate,
        "delivery_document": DocumentCreate,
    }


def _note_number(row: Mapping[str, Any]) -> None:
    from msptui.core.rules.delivery import parse_note_number

    number = row.get("number")
    if not isinstance(number, str):
        raise ValueError(_("number: must be a note number such as BL-2026-0001"))
    parse_note_number(number)  # ValueError in words for anything else, e.g. a path


EXTRA_CHECKS: dict[str, Callable[[Mapping[str, Any]], None]] = {"delivery_note": _note_number}


def check_rows(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """Refuse (RefusedError, naming table, row and field) the first row that an
    input model or a table's own check refuses."""
    models = _models()
    for table, rows in tables.items():
        model = models.get(table)
        extra = EXTRA_CHECKS.get(table)
        if model is None and extra is None:
            continue
        for index, row in enumerate(rows, start=1):
            if "id" in row:
                where = _("{table} row {index} (id {id})").format(table=table, index=index, id=row["id"])
            else:
                where = _("{table} row {index}").format(table=table, index=index)
            try:
                if model is not None:
                    model.model_validate({k: row[k] for k in model.model_fields if k in row})
                if extra is not None:
                    extra(row)
            except ValidationError as exc:
                error = exc.errors()[0]
                field = ".".join(str(p) for p in error["loc"]) or "row"
                raise RefusedError(
                    _(
                        "This export has a value the interface would refuse, in {where}, {field}: "
                        "{error}. Nothing was imported."
                    ).format(where=where, field=field, error=error["msg"])
                ) from None
            except (ValueError, TypeError) as exc:
                raise RefusedError(
                    _(
                        "This export has a value the interface would refuse, in {where}: {error}. Nothing was imported."
                    ).format(where=where, error=exc)
                ) from None
