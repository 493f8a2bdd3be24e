"""The monthly review: every client on one screen, which ones are slipping.

One line per client (`msptui.store.reads.monthly_review`): SLA compliance this
month and its trend, breaches not justified, billable time not billed, prepaid
hours left, satisfaction trend, conflicts not disclosed, deliveries pending.
o (or 1 to 9) chooses the column to sort by, worst first; r reverses it; a
click on a column's header sorts by it too. Enter opens the client's report
for the month; [ and ] move to the previous or next month.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.table import Table

ARROWS = {"up": ("↑", "green"), "down": ("↓", "bold red"), "flat": ("=", "dim")}
_TREND_ORDER = {"down": 0, "flat": 1, "up": 2, None: 3}
_LAST = float("inf")


def _compliance_key(r: Any) -> tuple[float, str]:
    return (float(r.compliance) if r.compliance is not None else _LAST, r.name.lower())


# (key, header, width at 80 columns, sort key: worst first). The client's name takes what is left.
ZERO = timedelta(0)

# Headers are translated where drawn; in French they stay as short as the English (narrow columns).
COLUMNS: list[tuple[str, str, int, Callable[[Any], Any]]] = [
    ("client", N_("Client"), 0, lambda r: r.name.lower()),
    ("compliance", N_("SLA %"), 6, _compliance_key),
    ("trend", "Δ", 1, lambda r: (_TREND_ORDER[r.trend], r.name.lower())),
    ("unjustified", N_("Unjust."), 6, lambda r: (-r.unjustified, -r.breaches, r.name.lower())),
    # Unreadable ("?") first: the technician has to look at it.
    ("unbilled", N_("Unbilled"), 8, lambda r: (r.unbilled is not None, -(r.unbilled or ZERO), r.name.lower())),
    (
        "prepaid",
        N_("Prepaid"),
        7,
        lambda r: (r.prepaid_left_pct if r.prepaid_left_pct is not None else _LAST, r.name.lower()),
    ),
    ("satisfaction", N_("Satisf."), 6, lambda r: (_TREND_ORDER[r.satisfaction], r.name.lower())),
    ("conflicts", N_("Confl."), 6, lambda r: (-r.undisclosed, r.name.lower())),
    ("deliveries", N_("Deliv."), 6, lambda r: (-r.deliveries_pending, r.name.lower())),
]
SORT_NAMES = {
    "client": N_("client name"),
    "compliance": N_("compliance, lowest first"),
    "trend": N_("compliance trend, falling first"),
    "unjustified": N_("breaches not justified, most first"),
    "unbilled": N_("billable time not billed, most first"),
    "prepaid": N_("prepaid hours left, least first"),
    "satisfaction": N_("satisfaction trend, falling first"),
    "conflicts": N_("conflicts not disclosed, most first"),
    "deliveries": N_("deliveries pending, most first"),
}
# The number keys' descriptions (the `?` help and the command palette translate them).
SORT_KEYS = {
    "client": N_("Sort by client name"),
    "compliance": N_("Sort by compliance, lowest first"),
    "trend": N_("Sort by compliance trend, falling first"),
    "unjustified": N_("Sort by breaches not justified, most first"),
    "unbilled": N_("Sort by billable time not billed, most first"),
    "prepaid": N_("Sort by prepaid hours left, least first"),
    "satisfaction": N_("Sort by satisfaction trend, falling first"),
    "conflicts": N_("Sort by conflicts not disclosed, most first"),
    "deliveries": N_("Sort by deliveries pending, most first"),
}
# Cell padding on both sides of each column, and the table's scrollbar.
_CHROME = 2 * len(COLUMNS) + 2
MIN_CLIENT = 14
# The table measures every cell it is given (about 0.5 ms a row in Textual 8.2.8): past this many
# clients it shows the first ones in the chosen order, worst first, and says so. Sorting is on all.
SHOWN = 500


def hours(d: Any) -> str:
    """A duration, "" for none, "?" when it could not be computed (a contract's unreadable hours)."""
    from msptui.core.rules.time_entries import format_duration

    return "?" if d is None else format_duration(d) if d else ""


def percent(value: Decimal | None) -> str:
    from msptui.core.formats import number

    return "" if value is None else number(value, places=1)


class MonthlyReviewScreen(MsptuiScreen):
    """Every client's month on one line; Enter opens the client's report."""

    essential_keys = ("review.open", "review.sort", "review.reverse", "review.previous", "review.next")
    DEFAULT_CSS = """
    MonthlyReviewScreen #review-head { padding: 0 1; height: auto; }
    MonthlyReviewScreen #review { height: 1fr; }
    """
    BINDINGS = [
        # priority: the table would take Enter for itself (select the row) and hide the key from the footer.
        Binding(
            "enter",
            "open",
            N_("Report"),
            id="review.open",
            priority=True,
            tooltip=N_("Open the highlighted client's report"),
        ),
        Binding("o", "next_sort", N_("Sort"), id="review.sort", tooltip=N_("Sort by the next column")),
        Binding("r", "reverse", N_("Reverse"), id="review.reverse", tooltip=N_("Reverse the order")),
        Binding("left_square_bracket", "month(-1)", N_("Previous month"), id="review.previous", key_display="["),
        Binding("right_square_bracket", "month(1)", N_("Next month"), id="review.next", key_display="]"),
        *[
            Binding(str(n), f"sort('{key}')", SORT_KEYS[key], id=f"review.sort_{key}", show=False)
            for n, (key, *_rest) in enumerate(COLUMNS, start=1)
        ],
        Binding("escape", "back", N_("Back"), id="review.back", show=False),
    ]

    def __init__(self, month: str | None = None) -> None:
        super().__init__()
        self.title = _("Monthly review")
        self.month = month
        self.review: Any = None
        self.sort_by = "compliance"
        self.reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading every client's month…"), id="review-head")
        yield Table(id="review", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def load(self) -> None:
        from msptui.store.reads.monthly_review import monthly_review

        now = self.msptui.clock.now()
        if self.month is None:
            from msptui.ui.widgets.zones import technician_zone

            local = now.astimezone(technician_zone())
            self.month = f"{local.year}-{local.month:02d}"
        self.call_store(monthly_review, self.month, now, done=self._show, group="review", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#review-head", Static).update(message)

    def _show(self, review: Any) -> None:
        self.review = review
        self._fill()

    # --- the table ------------------------------------------------------------------------

    def _fill(self) -> None:
        review = self.review
        if review is None:
            return
        table = self.query_one("#review", Table)
        kept = table.cursor_key()
        table.clear(columns=True)
        fixed = sum(width for _k, _h, width, _s in COLUMNS)
        name_width = max(MIN_CLIENT, min(44, self.size.width - fixed - _CHROME))
        for key, header, width, _sort in COLUMNS:
            label = Text(_(header) + (" ▲" if self.reverse else " ▼") * (key == self.sort_by), style="bold")
            table.add_column(
                label, key=key, width=(width if key != "client" else name_width) + 2 * (key == self.sort_by)
            )
        sort_key = next(s for k, _h, _w, s in COLUMNS if k == self.sort_by)
        for r in sorted(review.rows, key=sort_key, reverse=self.reverse)[:SHOWN]:
            table.add_row(*_cells(r, name_width), key=str(r.client_id))
        table.keep_cursor_on(kept)
        self._say_head()

    def _say_head(self) -> None:
        review = self.review
        from msptui.core.formats import number
        from msptui.store.billing import month_words

        head = Text()
        head.append(_("Monthly review · {month}").format(month=month_words(review.month)), style="bold")
        count = len(review.rows)
        head.append(" · " + ngettext("{count} client", "{count} clients", count).format(count=number(count)))
        if count > SHOWN:
            head.append(" · " + _("the first {count} shown").format(count=SHOWN), style="bold")
        order = _(SORT_NAMES[self.sort_by])
        sorted_by = _("sorted by {order} (reversed)") if self.reverse else _("sorted by {order}")
        head.append(" · " + sorted_by.format(order=order), style="dim")
        if not review.satisfaction_recorded:
            head.append("\n" + _("Satisfaction is not recorded in this version yet."), style="dim italic")
        self.query_one("#review-head", Static).update(head)

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        self.action_sort(str(event.column_key.value))

    # --- actions ------------------------------------------------------------------------------

    def action_sort(self, key: str) -> None:
        if key == self.sort_by:
            self.reverse = not self.reverse
        else:
            self.sort_by, self.reverse = key, False
        self._fill()

    def action_next_sort(self) -> None:
        keys = [k for k, *_rest in COLUMNS]
        self.sort_by, self.reverse = keys[(keys.index(self.sort_by) + 1) % len(keys)], False
        self._fill()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._fill()

    def action_month(self, by: int) -> None:
        if self.month is None:
            return
        from msptui.store.reads.statement import shift_month

        self.month = shift_month(self.month, by)
        self.query_one("#review-head", Static).update(_("Reading every client's month…"))
        self.load()

    def highlighted_client(self) -> int | None:
        key = self.query_one("#review", Table).cursor_key()
        return int(key) if key is not None else None

    def action_open(self) -> None:
        client_id = self.highlighted_client()
        if client_id is None or self.month is None:
            return
        from msptui.ui.screens.reports.report import ReportScreen

        self.app.push_screen(ReportScreen(client_id, self.month))

    def action_back(self) -> None:
        self.dismiss(None)


def _arrow(trend: str | None) -> Text:
    if trend is None:
        return Text("")
    mark, style = ARROWS[trend]
    return Text(mark, style=style, justify="center")


def _cells(r: Any, name_width: int) -> list[Text]:
    from msptui.store.reads.monthly_review import PREPAID_LOW_PCT

    name = r.name if len(r.name) <= name_width else r.name[: name_width - 1] + "…"
    unjust = f"{r.unjustified}/{r.breaches}" if r.breaches else ""
    left = r.prepaid_left_pct
    return [
        Text(name),
        Text(percent(r.compliance), justify="right"),
        _arrow(r.trend),
        Text(unjust, justify="right", style="bold red" if r.unjustified else "dim"),
        Text(hours(r.unbilled), justify="right"),
        Text(
            "" if left is None else _("{percent} %").format(percent=left),
            justify="right",
            style="bold red" if left is not None and left < PREPAID_LOW_PCT else "dim",
        ),
        _arrow(r.satisfaction),
        Text(str(r.undisclosed or ""), justify="right", style="bold red"),
        Text(str(r.deliveries_pending or ""), justify="right"),
    ]
