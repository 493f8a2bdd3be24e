"""msptui's own settings: one small JSON file in the config folder.

Read cheaply (only `json`; a missing file means "nothing chosen yet"), written
atomically (a temporary file in the same folder, fsync, rename) with mode 0600,
so a crash never leaves half a file. Keys this version does not know are kept
as they are, so a setting written by a newer msptui survives an older one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from msptui.core.i18n import _
from msptui.paths import PathError, Paths

# Where client secrets go (see msptui.store.keyring_backend).
KEYRING_CHOICES = ("system", "encrypted_file", "disabled")


class ConfigError(PathError):
    """The settings file cannot be read or written; the message says which file and why."""


def load(paths: Paths) -> dict[str, Any]:
    """The settings as a dict; {} when the file does not exist yet."""
    path = paths.config_file
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(
            _("Cannot read the settings file {path}: {reason}.").format(path=path, reason=exc.strerror)
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            _("The settings file {path} is damaged (line {line}): fix it or delete it to start over.").format(
                path=path, line=exc.lineno
            )
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(
            _("The settings file {path} is damaged: fix it or delete it to start over.").format(path=path)
        )
    return data


def write_private_file(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write `path` whole or not at all: `write(f)` into a 0600 temporary file beside it, fsync, rename.

    Raises OSError; the temporary file never outlives a failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file 0600 whatever the umask.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def update(paths: Paths, **changes: Any) -> dict[str, Any]:
    """Merge `changes` into the settings and write the file atomically (0600); returns the result."""
    data = load(paths)
    data.update(changes)

    def write(f: TextIO) -> None:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")

    try:
        write_private_file(paths.config_file, write)
    except OSError as exc:
        raise ConfigError(
            _("Cannot save the settings file {path}: {reason}.").format(path=paths.config_file, reason=exc.strerror)
        ) from exc
    return data


def keyring_choice(paths: Paths) -> str | None:
    """ "system", "encrypted_file", "disabled", or None when the user has not chosen yet."""
    value = load(paths).get("keyring_backend")
    return value if value in KEYRING_CHOICES else None


def set_keyring_choice(paths: Paths, choice: str) -> None:
    if choice not in KEYRING_CHOICES:
        raise ValueError(f"unknown keyring choice {choice!r}")
    update(paths, keyring_backend=choice)


def language(paths: Paths) -> str | None:
    """The interface language chosen in the settings ("en", "fr"), or None to follow the system."""
    from msptui.core.i18n import normalise

    value = load(paths).get("language")
    return normalise(value) if isinstance(value, str) else None


def set_language(paths: Paths, chosen: str | None) -> None:
    """Remember the interface language (None: follow the system's locale)."""
    from msptui.core.i18n import normalise

    if chosen is not None and normalise(chosen) is None:
        raise ValueError(f"unknown language {chosen!r}")
    update(paths, language=normalise(chosen) if chosen else None)


def technician(paths: Paths) -> str | None:
    """This machine's technician name (see msptui.core.rules.team), or None when not set yet
    (or no longer valid: it is asked again rather than stamped on every record)."""
    from msptui.core.rules.team import technician_problem

    value = load(paths).get("technician")
    return value if isinstance(value, str) and technician_problem(value) is None else None


def set_technician(paths: Paths, name: str) -> str:
    """Remember the technician's name for this machine; returns it as saved (spaces around
    dropped). ValueError with a sentence when the name is not valid."""
    from msptui.core.rules.team import valid_technician

    name = valid_technician(name)
    update(paths, technician=name)
    return name


def proposed_technician() -> str:
    """The name proposed at first start: the login name, made valid."""
    import getpass

    from msptui.core.rules.team import FALLBACK_NAME, proposed_name

    try:
        login = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment nor the user database
        return FALLBACK_NAME
    return proposed_name(login)
