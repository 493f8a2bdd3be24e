"""Files msptui writes for the user: owner-only, complete or absent, never over what they must keep.

Every file is created 0600 from its first byte (never chmod-ed afterwards, so no
other user can open it while it is written), under a unique temporary name in
the folder of its final name, then renamed into place: a crash or a full disk
leaves no half file under the final name, and two writers never share a
temporary file. A target that is not a regular file (a device, a folder, a
fifo) or that msptui must keep (its database and companions, a backup) is
refused in words, whatever `replace` says.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection
from pathlib import Path

from msptui.core.i18n import _


class TargetRefused(Exception):
    """The file cannot be written where asked; the message says why, in plain words."""


def private_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) 0700 if missing; returns it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def private_temp(folder: Path, name: str) -> Path:
    """A new empty file, 0600, with a unique name beside `name` in `folder`."""
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
    os.close(fd)  # mkstemp creates it 0600
    return Path(temp)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(
    path: Path, *, replace: bool, protected: Collection[Path] = (), protected_folders: Collection[Path] = ()
) -> None:
    """Refuse (TargetRefused) a path that must not be written; see the module docstring."""
    resolved = path.resolve()
    for keep in protected:
        if resolved == keep.resolve() or _same_file(path, keep):
            raise TargetRefused(
                _(
                    "{path} is msptui's own database (or one of its files), which msptui never writes over;"
                    " choose another file."
                ).format(path=path)
            )
    for folder in protected_folders:
        if resolved.is_relative_to(folder.resolve()):
            raise TargetRefused(
                _(
                    "{path} is in the backups folder ({folder}), where msptui never writes over a backup;"
                    " choose another file."
                ).format(path=path, folder=folder)
            )
    if os.path.lexists(path):
        if not path.is_file():  # follows a link: a link to /dev/full is refused too
            raise TargetRefused(_("{path} exists and is not a regular file; choose a file name.").format(path=path))
        if not replace:
            raise TargetRefused(
                _("{path} already exists; add --force to replace it, or choose another name.").format(path=path)
            )


def write_private(
    path: Path,
    data: bytes,
    *,
    replace: bool = False,
    protected: Collection[Path] = (),
    protected_folders: Collection[Path] = (),
) -> Path:
    """Write `data` to `path` (0600, folders 0700), complete or not at all; returns `path`.

    Refuses (TargetRefused) what `check_target` refuses. An OSError while writing
    (a full disk) removes the temporary file and propagates."""
    check_target(path, replace=replace, protected=protected, protected_folders=protected_folders)
    private_folder(path.parent)
    temp = private_temp(path.parent, path.name)
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(temp, path)
        else:
            _link_new(temp, path)
    except OSError as exc:  # a full disk: name the file the user asked for, not the temporary one
        temp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def _link_new(temp: Path, path: Path) -> None:
    try:
        place_new(temp, path)
    except FileExistsError:
        raise TargetRefused(
            _("{path} already exists; add --force to replace it, or choose another name.").format(path=path)
        ) from None


def place_new(temp: Path, path: Path) -> None:
    """Move `temp` to `path` only if `path` does not exist (FileExistsError), with no
    window in which another writer could slip in between the check and the move."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: a check, then the move
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.replace(temp, path)
        return
    temp.unlink()


def safe_component(text: str, fallback: str = "untitled", limit: int = 80) -> str:
    """`text` as one harmless file-name component: letters, digits, '-', '_' and '.'
    kept, anything else (separators, control characters, spaces) as '-', no leading
    dot (no hidden file, no '..'), at most `limit` characters."""
    kept = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)
    kept = kept.lstrip(".-")[:limit].rstrip(".-")
    return kept or fallback


def inside(folder: Path, name: str) -> Path:
    """`folder / name` after checking that it stays inside `folder` (TargetRefused if not)."""
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise TargetRefused(_("{name} is not a plain file name; nothing was written.").format(name=repr(name)))
    return path
