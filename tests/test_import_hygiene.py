"""The pure modules stay pure, and the first frame does not wait for heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Each test starts a fresh interpreter: only a new process shows what an import loads.
pytestmark = pytest.mark.slow


def modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "module", ["msptui.core.sla", "msptui.core.rules", "msptui.core.vocabulary", "msptui.core.clock"]
)
def test_pure_modules_import_neither_textual_nor_the_store(module):
    loaded = modules_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "sqlalchemy", "sqlmodel", "keyring")}
    assert not {m for m in loaded if m.startswith("msptui.store") or m.startswith("msptui.ui.screens")}


def test_the_app_module_and_its_start_screen_leave_heavy_imports_for_later():
    loaded = modules_after("import msptui.ui.app, msptui.ui.screens.tickets.board, msptui.cli")
    heavy = {m.split(".")[0] for m in loaded} & {
        "sqlalchemy",
        "sqlmodel",
        "alembic",
        "keyring",
        "holidays",
        "fpdf",
        "pydantic",
        "babel",  # dates and money in the user's language: loaded on first use, after the board
        "matplotlib",
        "plotext",
    }
    assert heavy == set()


def test_the_store_never_imports_textual():
    loaded = modules_after(
        "import pkgutil, importlib, msptui.store as s; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(s.__path__, 'msptui.store.') if 'migrations' not in m.name]"
    )
    assert not {m for m in loaded if m.startswith("textual")}
