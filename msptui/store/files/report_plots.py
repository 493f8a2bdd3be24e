"""The service report's two charts as one SVG: SLA compliance and time spent, month by month.

Drawn by matplotlib, rendered to SVG with its SVG canvas (no screen, no global
backend switched), text drawn as outlines so the SVG needs no font, and
embedded in the PDF by fpdf2 as vector paths (`FPDF.image` of an SVG), so the
chart stays sharp at any zoom and prints as the rest of the page.

matplotlib is imported inside `charts_svg` only: the app's start never pays for
it. Its font cache goes to a folder of the user's own under the system's
temporary folder (MPLCONFIGDIR, unless the user set it), never into the home.
The same data give the same SVG bytes (fixed ids, no date).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msptui.core.i18n import _

if TYPE_CHECKING:
    from msptui.core.rules.reports import MonthPoint

# Colours told apart with the common colour blindnesses (Paul Tol's "bright" set).
MET_COLOUR = "#228833"
INCLUDED_COLOUR = "#4477AA"
BILLABLE_COLOUR = "#EE6677"
# Twelve month names under each chart: French ones ("janv.", "sept.") are wider than "Jan".
MONTH_FONT_SIZE = 5.5
_METADATA = re.compile(rb"<metadata>.*?</metadata>\s*", re.DOTALL)


def _matplotlib_folder() -> None:
    """Point matplotlib's config and font cache at a private temporary folder before it is imported."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = Path(tempfile.gettempdir()) / f"msptui-matplotlib-{uid}" if uid is not None else None
    try:
        if folder is None:
            raise OSError("no user id")
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
        # Someone else's folder (or a link) in a shared /tmp is not ours to write into.
        if not folder.is_dir() or folder.is_symlink() or info.st_uid != uid or info.st_mode & 0o077:
            raise OSError("not a private folder")
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="msptui-matplotlib-"))
    os.environ["MPLCONFIGDIR"] = str(folder)


def month_label(month: str, first: bool) -> str:
    """'2026-01' -> 'Jan\\n’26' ('janv.\\n’26' in French): the year (short, so neighbours never
    run together) only under January and the first month."""
    from msptui.core.formats import month_abbr

    year, number = month[2:4], int(month[5:7])
    name = month_abbr(date(2000, number, 1))
    return f"{name}\n’{year}" if first or number == 1 else name


def charts_svg(series: Sequence[MonthPoint], width_mm: float = 174, height_mm: float = 62) -> bytes:
    """Compliance (% of clocks met, a gap for a month with no clock decided) and hours
    per month (included and billable stacked), side by side, as SVG bytes."""
    _matplotlib_folder()
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    labels = [month_label(p.month, i == 0) for i, p in enumerate(series)]
    xs = list(range(len(series)))
    rates = [float(p.compliance) if p.compliance is not None else float("nan") for p in series]
    style: dict[str, Any] = {
        "svg.fonttype": "path",
        "svg.hashsalt": "msptui-service-report",
        "font.family": "DejaVu Sans",  # i18n: not shown
        "font.size": 7,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(style):  # type: ignore[arg-type, unused-ignore]  # plain keys, typed as Literals
        figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4))
        FigureCanvasSVG(figure)
        left, right = figure.subplots(1, 2)
        _compliance(left, xs, labels, rates)
        _hours(right, xs, labels, series)
        # Fixed margins rather than tight_layout, which draws the figure once more (a third of the time).
        figure.subplots_adjust(left=0.055, right=0.99, bottom=0.19, top=0.9, wspace=0.2)
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return _METADATA.sub(b"", out.getvalue())


def _compliance(ax: Any, xs: list[int], labels: list[str], rates: list[float]) -> None:
    ax.set_title(_("SLA compliance (% of clocks met)"), loc="left", fontsize=8)
    ax.axhline(100, color="#BBBBBB", linewidth=0.6, linestyle="--")
    ax.plot(xs, rates, color=MET_COLOUR, marker="o", markersize=3, linewidth=1.2)
    for x, rate in zip(xs, rates, strict=True):
        if rate == rate:  # not NaN: a month with clocks decided
            ax.annotate(f"{rate:.0f}", (x, rate), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=5.5)
    ax.set_ylim(0, 112)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_xticks(xs, labels, fontsize=MONTH_FONT_SIZE)
    ax.set_xlim(-0.5, len(xs) - 0.5)


def _hours(ax: Any, xs: list[int], labels: list[str], series: Sequence[MonthPoint]) -> None:
    ax.set_title(_("Time spent per month (hours)"), loc="left", fontsize=8)
    included = [float(p.included) for p in series]
    billable = [float(p.billable) for p in series]
    ax.bar(xs, included, color=INCLUDED_COLOUR, width=0.7, label=_("included"))
    ax.bar(xs, billable, bottom=included, color=BILLABLE_COLOUR, width=0.7, label=_("billable"))
    top = max((i + b for i, b in zip(included, billable, strict=True)), default=0.0)
    ax.set_ylim(0, max(1.0, top * 1.15))
    ax.yaxis.set_major_formatter(_hours_tick)
    ax.set_xticks(xs, labels, fontsize=MONTH_FONT_SIZE)
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.legend(frameon=False, fontsize=6, loc="upper left")


def _hours_tick(value: float, position: int | None = None) -> str:
    """An hours axis tick as the document's language writes a number ("2.5" / "2,5")."""
    from msptui.core.formats import number

    return number(Decimal(str(round(value, 2))).normalize())
