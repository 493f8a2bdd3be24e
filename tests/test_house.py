"""The README's table of areas and the folders say the same thing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "msptui"
LAYERS = {"core": PACKAGE / "core", "store": PACKAGE / "store", "ui": PACKAGE / "ui"}


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## For developers") :]


def named_in_readme() -> dict[str, set[str]]:
    """Every `path` the section names, per layer, as written (files and folders/)."""
    section = readme_section()
    table = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| area")]
    named: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    for line in table:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0].startswith("---"):
            continue
        for layer, cell in zip(("core", "store", "ui"), cells[1:], strict=True):
            named[layer].update(re.findall(r"`([^`]+)`", cell))
    shared = section[section.index("Shared pieces") : section.index("A test keeps")]
    for path in re.findall(r"`([^`]+)`", shared):
        layer, _, rest = path.partition("/")
        named[layer].add(rest)
    return named


def modules_on_disk(layer: str) -> set[str]:
    """Each module of a layer, relative to it; a screens/<area>/ folder stands for its modules."""
    base = LAYERS[layer]
    found = set()
    for path in base.rglob("*.py"):
        relative = path.relative_to(base)
        if path.name == "__init__.py" or "migrations" in relative.parts:
            continue
        found.add(relative.as_posix())
    return found


def covered(module: str, names: set[str]) -> bool:
    return module in names or any(name.endswith("/") and module.startswith(name) for name in names)


def test_every_module_is_in_the_readme_table_of_areas():
    named = named_in_readme()
    for layer in LAYERS:
        missing = sorted(m for m in modules_on_disk(layer) if not covered(m, named[layer]))
        assert not missing, f"{layer}: not in the README's table of areas: {missing}"


def test_everything_the_table_names_exists():
    for layer, names in named_in_readme().items():
        gone = sorted(n for n in names if not (LAYERS[layer] / n).exists())
        assert not gone, f"{layer}: named in the README but not on disk: {gone}"


def test_each_area_has_its_name_in_every_layer_it_uses():
    section = readme_section()
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| area") or line.startswith("| ---"):
            continue
        area = line.strip("|").split("|")[0].strip()
        ui = line.strip("|").split("|")[3]
        assert f"`screens/{area}/`" in ui, f"the {area} area's screens are not in ui/screens/{area}/"
