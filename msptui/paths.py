"""Where msptui keeps things: one module, so a test, a demo and a user never share data.

Every folder comes from platformdirs and can be overridden by an environment
variable or (for the data folder) the `--data-dir` option. When only the data
folder is overridden, the other folders follow it, so `--data-dir /tmp/x`
really isolates a run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from msptui.core.i18n import _

APP_NAME = "msptui"
DATABASE_NAME = "msptui.sqlite3"


class PathError(Exception):
    """A folder msptui needs cannot be created or written; the message says which."""


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path
    backups: Path
    exports: Path
    logs: Path

    @property
    def database(self) -> Path:
        return self.data / DATABASE_NAME

    @property
    def config_file(self) -> Path:
        return self.config / "config.json"

    def ensure(self) -> Paths:
        """Create every folder (0700: client data is confidential) and check it is writable."""
        for folder in (self.data, self.config, self.backups, self.exports, self.logs):
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                raise PathError(
                    _("Cannot create the folder {folder}: {reason}.").format(folder=folder, reason=exc.strerror)
                ) from exc
            if not os.access(folder, os.W_OK | os.X_OK):
                raise PathError(
                    _(
                        "The folder {folder} is not writable by you. "
                        "Fix its permissions or choose another with --data-dir."
                    ).format(folder=folder)
                )
        try:
            os.chmod(self.data, 0o700)
        except OSError:
            pass
        return self


def resolve(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """The folders for this run: option beats environment beats platform default."""
    env = os.environ
    explicit = data_dir or env.get("MSPTUI_DATA_DIR")
    if explicit:
        data = Path(explicit).expanduser().absolute()
        # An explicit data folder carries everything else with it unless told otherwise.
        config = Path(env.get("MSPTUI_CONFIG_DIR") or data / "config")
        backups = Path(env.get("MSPTUI_BACKUP_DIR") or data / "backups")
        exports = Path(env.get("MSPTUI_EXPORT_DIR") or data / "exports")
        logs = data / "logs"
    else:
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        data = Path(dirs.user_data_dir)
        config = Path(env.get("MSPTUI_CONFIG_DIR") or dirs.user_config_dir)
        backups = Path(env.get("MSPTUI_BACKUP_DIR") or data / "backups")
        exports = Path(env.get("MSPTUI_EXPORT_DIR") or dirs.user_documents_dir) / APP_NAME
        logs = Path(dirs.user_log_dir)
    return Paths(
        data=data,
        config=config.expanduser().absolute(),
        backups=backups.expanduser().absolute(),
        exports=exports.expanduser().absolute(),
        logs=logs.expanduser().absolute(),
    )


def database_in_words(paths: Paths) -> str:
    """Where the data are, for a person: the SQLite file, or the server's URL (MSPTUI_DATABASE_URL)
    without its password."""
    import re

    url = os.environ.get("MSPTUI_DATABASE_URL")
    if not url:
        return str(paths.database)
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", url)
