"""User text made literal in Markdown: one place for every document msptui writes.

A client's or an imported text can hold Markdown or HTML that a viewer would
run or render (`<img onerror=…>`, `[x](javascript:…)`), NUL bytes, or Unicode
direction overrides (U+202E) that make a line read backwards. Each is made
harmless here: markup characters escaped, control and direction characters
dropped.
"""

from __future__ import annotations

import re

_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})
# C0/C1 controls except tab and line breaks, and the bidirectional controls.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """The text without control or direction characters ('' for None)."""
    return "" if text is None else _INVISIBLE.sub("", str(text))


_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u202f]+")


def md_literal(text: object) -> str:
    """User text made literal, on one line (runs of white space become one space).

    The no-break spaces French puts before ":" and inside numbers ("1 234,50 €") are kept:
    a line break there would separate a number from its unit.
    """
    return _BREAKABLE_SPACE.sub(" ", clean(text)).strip().translate(_SPECIAL)


def md_cell(text: object) -> str:
    """User text as one Markdown table cell: literal, line breaks kept as <br>."""
    lines = clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(line.translate(_SPECIAL) for line in lines)
