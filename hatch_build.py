"""Compile the gettext catalogues (.po -> .mo) when the package is built or installed.

The .mo files are build products, never committed: `pip install` (editable or
not) writes them beside their .po, and the wheel carries them as artifacts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted(root.glob("msptui/locale/*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f)
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog)  # fuzzy entries are left out, as gettext expects
        build_data.setdefault("artifacts", []).append("msptui/locale/*/LC_MESSAGES/*.mo")
