"""Input models per area (`schemas/<area>.py`), with the shared field rules in `common`.

The names of the first release's single module stay importable from here.
"""

from msptui.store.schemas.clients import ClientCreate, ClientUpdate, ContactCreate
from msptui.store.schemas.common import (
    Code,
    Country,
    Email,
    FieldError,
    Input,
    Line,
    Minutes,
    Name,
    Phone,
    Short,
    Text,
    TimeZone,
    _line,
    _text,
    _wrap,
    field_errors,
    is_known_timezone,
    supported_subdivisions,
)
from msptui.store.schemas.contracts import (
    ContractCreate,
    ContractUpdate,
    CoveredAssetCreate,
    GdprProcessingCreate,
    SlaTargetInput,
    ThirdPartyCreate,
    format_hours,
    parse_hours_text,
)

__all__ = [
    "ClientCreate",
    "ClientUpdate",
    "Code",
    "ContactCreate",
    "ContractCreate",
    "ContractUpdate",
    "Country",
    "CoveredAssetCreate",
    "Email",
    "FieldError",
    "GdprProcessingCreate",
    "Input",
    "Line",
    "Minutes",
    "Name",
    "Phone",
    "Short",
    "SlaTargetInput",
    "Text",
    "ThirdPartyCreate",
    "TimeZone",
    "_line",
    "_text",
    "_wrap",
    "field_errors",
    "format_hours",
    "is_known_timezone",
    "parse_hours_text",
    "supported_subdivisions",
]
