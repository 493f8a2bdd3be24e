"""Client secrets: the database keeps the label and the keyring reference, the keyring keeps the value.

Each secret's value lives in the keyring under service "msptui" and a key
that never changes, `client-<client id>/secret-<random hex>`. No value is
ever written to the database, a log or an export.

Keeping the two sides in step (no orphan on either side):

- add: the keyring first, then the row in one transaction; if the database
  refuses, the keyring entry is removed again.
- replace: the row's `updated_at` is changed and the value stored inside the
  same transaction, so a keyring refusal leaves the database untouched.
- delete: inside one transaction the row is deleted (the database's own
  checks run first), then the keyring entry; a keyring refusal rolls the
  row back. If the commit itself fails after the keyring entry is gone, the
  value read at the start is stored again.

Every function here calls the keyring: run them in a worker thread.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.store import db, keyring_backend
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Secret, saved_id
from msptui.store.schemas import FieldError, Input, Line, Name, Text

MAX_VALUE = 4096


class SecretCreate(Input):
    """What describes a secret; its value is passed apart so it never sits in a model or its errors."""

    label: Name
    username: Line = ""
    location: Line = ""  # URL or host
    notes: Text = ""


class SecretUpdate(SecretCreate):
    pass


def check_value(value: str) -> str:
    """A secret value: required, at most MAX_VALUE characters. Errors never repeat the value."""
    if not value or not value.strip():
        raise FieldError("value", _("is required"))
    if len(value) > MAX_VALUE:
        raise FieldError(
            "value", _("is too long ({count} characters, at most {most})").format(count=len(value), most=MAX_VALUE)
        )
    return value


@dataclass(frozen=True, slots=True)
class SecretRow:
    id: int
    client_id: int
    label: str
    username: str
    location: str
    notes: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SecretHit:
    """One secret as the command palette lists it."""

    id: int
    client_id: int
    client_name: str
    label: str


def new_keyring_key(client_id: int) -> str:
    return f"client-{client_id}/secret-{uuid.uuid4().hex}"


# --- writing -------------------------------------------------------------------------------


def add_secret(engine: Engine, client_id: int, data: SecretCreate, value: str, now: datetime) -> int:
    """Store `value` in the keyring and the secret's row in the database; returns the secret's id.

    Nothing is left behind when either side refuses: a keyring refusal stores
    nothing; a database refusal removes the keyring entry again.
    """
    check_value(value)
    with db.read(engine) as s:
        if s.get(Client, client_id) is None:
            raise RefusedError(_("This client no longer exists."))
    key = new_keyring_key(client_id)
    keyring_backend.store_value(key, value)
    try:
        with db.write(engine) as s:
            if s.get(Client, client_id) is None:
                raise RefusedError(_("This client no longer exists."))
            secret = Secret(client_id=client_id, keyring_key=key, created_at=now, updated_at=now, **data.model_dump())
            s.add(secret)
            s.flush()
            return saved_id(secret)
    except BaseException as exc:
        _forget_value(key, exc)
        raise


def _forget_value(key: str, cause: BaseException) -> None:
    """Compensate a failed add; if even that fails, say where the orphan value is."""
    try:
        keyring_backend.remove_value(key)
    except Exception as exc:
        raise RefusedError(
            _(
                "Not saved: {cause}. The value could not be removed from the keyring either ({error}); "
                "remove the entry '{key}' of service '{service}' by hand."
            ).format(cause=cause, error=exc, key=key, service=keyring_backend.SERVICE)
        ) from cause


def update_secret(engine: Engine, secret_id: int, data: SecretUpdate, now: datetime) -> None:
    """Change the label, username, location or notes (the value is untouched)."""
    with db.write(engine) as s:
        secret = _get(s, secret_id)
        for field, value in data.model_dump().items():
            setattr(secret, field, value)
        secret.updated_at = now


def replace_secret_value(engine: Engine, secret_id: int, value: str, now: datetime) -> None:
    """Store a new value for the secret; the row only records when (`updated_at`)."""
    check_value(value)
    replaced: tuple[str, str | None] | None = None
    try:
        with db.write(engine) as s:
            secret = _get(s, secret_id)
            secret.updated_at = now
            s.flush()  # the database's refusals surface here, before the keyring is touched
            # If the keyring refuses, updated_at rolls back with it; if the commit fails
            # after the keyring took the new value, the old value is put back below.
            previous = keyring_backend.read_value(secret.keyring_key)
            keyring_backend.store_value(secret.keyring_key, value)
            replaced = (secret.keyring_key, previous)
    except BaseException:
        if replaced is not None:
            key, previous = replaced
            if previous is None:
                keyring_backend.remove_value(key)
            else:
                keyring_backend.store_value(key, previous)
        raise


def delete_secret(engine: Engine, secret_id: int) -> None:
    """Delete the secret's row and its keyring value together (see the module's docstring for the order)."""
    removed: tuple[str, str] | None = None
    try:
        with db.write(engine) as s:
            secret = s.get(Secret, secret_id)
            if secret is None:
                return
            key = secret.keyring_key
            s.delete(secret)
            s.flush()  # the database's refusals surface here, before the keyring is touched
            previous = keyring_backend.read_value(key)  # kept to put back if the commit fails
            if previous is not None:
                keyring_backend.remove_value(key)
                removed = (key, previous)
    except BaseException:
        if removed is not None:
            # The keyring entry is gone but the row is back (rolled back): put the value back too.
            keyring_backend.store_value(*removed)
        raise


def _get(s: Session, secret_id: int) -> Secret:
    secret = s.get(Secret, secret_id)
    if secret is None:
        raise RefusedError(_("This secret no longer exists."))
    return secret


# --- reading -------------------------------------------------------------------------------


def reveal_secret(engine: Engine, secret_id: int) -> str:
    """The secret's value, read from the keyring; a plain refusal when the keyring has none."""
    with db.read(engine) as s:
        secret = _get(s, secret_id)
        key, label = secret.keyring_key, secret.label
    value = keyring_backend.read_value(key)
    if value is None:
        raise RefusedError(missing_value_words(label, shared=engine.dialect.name != "sqlite"))
    return value


def missing_value_words(label: str, *, shared: bool) -> str:
    """Why a secret has a label here but no value, and what to do; `shared`: a team's server database.

    In a team, values stay in each technician's own keyring and the shared database holds the
    labels only; asking a colleague for a value through msptui is out of scope (issue 20).
    """
    if shared:
        return _(
            "This machine's keyring holds no value for '{label}'. In a team, each technician keeps the values "
            "in their own keyring and the shared database holds only the labels, so a value stored by a "
            "colleague is not on this machine. If you have it, store it here with r (Replace value)."
        ).format(label=label)
    return _(
        "The keyring holds no value for '{label}'. It may have been stored with another keyring "
        "(see the keyring settings) or removed outside msptui: replace the value to store it again."
    ).format(label=label)


def list_secrets(engine: Engine, client_id: int) -> list[SecretRow]:
    """A client's secrets by label (no values: this never touches the keyring)."""
    with db.read(engine) as s:
        rows = s.scalars(select(Secret).where(col(Secret.client_id) == client_id).order_by(func.lower(Secret.label)))
        return [
            SecretRow(saved_id(r), r.client_id, r.label, r.username, r.location, r.notes, r.updated_at) for r in rows
        ]


def list_all_secrets(engine: Engine) -> list[SecretHit]:
    """Every secret of every client that is not archived, for the command palette."""
    with db.read(engine) as s:
        rows = s.execute(
            select(col(Secret.id), col(Secret.client_id), col(Client.name), col(Secret.label))
            .join(Client, col(Client.id) == Secret.client_id)
            .where(col(Client.archived_at).is_(None))
            .order_by(func.lower(Client.name), func.lower(Secret.label))
        )
        return [SecretHit(*row) for row in rows]


def secret_labels_for_export(engine: Engine, client_id: int) -> list[dict[str, str]]:
    """What an export or a handover pack may show about a client's secrets: never the values.

    Each item: {"label", "username", "location", "notes"}; the values are to be
    handed over by another channel.
    """
    return [
        {"label": r.label, "username": r.username, "location": r.location, "notes": r.notes}
        for r in list_secrets(engine, client_id)
    ]
