"""Prepaid hour blocks: which block each piece of included work consumes, and what is left.

A contract sells blocks of hours, each bought on a date and valid until an
expiry date (inclusive; None: never expires). Included work consumes them in
billing order: by the month whose statement bills it (`Use.billed_in`), then
the day it was done, so what a closed statement counted against the blocks
is never taken again by work typed later, whatever its date. Each use takes
the OLDEST block valid on its day first and spills into the next one; what no
block covers is over-consumption, shown, never hidden, and billed at the rate
(`billing.line_amounts(over_prepaid=...)`).

A use from a closed statement carries the part it billed beyond the prepaid
hours (`Use.over`): that part never takes from a block later. A correction
that removes included time already billed is a negative use: it credits its
`over` and gives the rest back to the blocks it came from.
Alerts go out once each as the share used crosses 75 %, 90 % and 100 %.

A contract with no block at all has no prepaid hours: its included work is
covered by the contract itself, so do not run `consume` for it (everything
would come out as over-consumption).

Pure: standard library and `msptui.core.i18n` only. Durations are counted in integer microseconds so
the parts always add up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from msptui.core.i18n import _

#: The shares used (percent) at which the technician is told, once each.
THRESHOLDS = (75, 90, 100)

_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000
ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class Block:
    """Hours bought on `purchased`, usable from that day to `expires` included."""

    id: int
    hours: Decimal
    purchased: date
    expires: date | None = None

    def __post_init__(self) -> None:
        if self.hours <= 0:
            raise ValueError(_("A prepaid block holds some hours: type how many were bought, such as 10."))
        if self.expires is not None and self.expires < self.purchased:
            raise ValueError(_("A prepaid block expires after it is bought: check the expiry date."))

    def valid_on(self, day: date) -> bool:
        return self.purchased <= day and (self.expires is None or day <= self.expires)

    @property
    def bought(self) -> timedelta:
        return _as_us(self.hours) * _US


@dataclass(frozen=True, slots=True)
class Use:
    """Included time of one entry, on the (local) day the work was done.

    `billed_in` is the month ("YYYY-MM") whose statement bills it: uses are
    consumed in billing order (`order`). `over` is the part already billed
    beyond the prepaid hours on a closed statement (0 <= over <= duration).
    A negative `duration` is a correction removing included time already
    billed: `over` (duration <= over <= 0) is the over-billed time it
    credits, the rest goes back to the blocks."""

    entry_id: int
    day: date
    duration: timedelta
    billed_in: str = ""
    over: timedelta = ZERO

    @property
    def order(self) -> tuple[str, date, int]:
        """Billing order: the month billing it, then the day, then the entry."""
        return (self.billed_in, self.day, self.entry_id)

    @property
    def from_blocks(self) -> timedelta:
        """What this use takes from the blocks (negative: gives back)."""
        return self.duration - self.over


@dataclass(frozen=True, slots=True)
class BlockBalance:
    """A block after consumption; `expired` is what it held unused past its expiry."""

    block: Block
    used: timedelta
    remaining: timedelta
    expired: timedelta = ZERO


@dataclass(frozen=True, slots=True)
class Allocation:
    """Where one use's time went: (block id, time taken) pairs (negative: given back),
    and the over-consumption (its `over`, plus what no block covered)."""

    use: Use
    taken: tuple[tuple[int, timedelta], ...]
    over: timedelta


@dataclass(frozen=True, slots=True)
class Consumption:
    """The blocks and uses after consumption.

    `bought` is every block's hours; `used` what uses took from them; `expired`
    what blocks held unused past their expiry (when `consume` was told today);
    `remaining = bought - used - expired`, what can still be used; `over` what
    no block covered.
    """

    blocks: tuple[BlockBalance, ...]
    allocations: tuple[Allocation, ...]
    bought: timedelta
    used: timedelta
    expired: timedelta
    remaining: timedelta
    over: timedelta

    @property
    def percent_used(self) -> int:
        """The share of the bought hours no longer available (used, or lost to expiry),
        in whole percent rounded down: 100 only once nothing is left. 0 with no block."""
        bought = self.bought // _US
        if not bought:
            return 0
        return (self.used + self.expired) // _US * 100 // bought

    def over_for(self, entry_id: int) -> timedelta:
        """The part of an entry's included time that no block covered (billed at the rate)."""
        return sum((a.over for a in self.allocations if a.use.entry_id == entry_id), ZERO)


def consume(blocks: Iterable[Block], uses: Iterable[Use], *, today: date | None = None) -> Consumption:
    """Allocate `uses` to `blocks`: uses in billing order (`Use.order`), each taking the oldest
    block valid on its day first (by purchase date, then id), split across blocks when one
    runs out. A negative use gives its time back to the blocks valid on its day, newest
    first (the reverse of taking); time no block can take back is not returned.

    With `today`, the unused hours of blocks expired before today count as `expired`,
    not `remaining`. A use with no duration, or an `over` outside its duration, is
    refused with ValueError.
    """
    ordered = sorted(blocks, key=lambda b: (b.purchased, b.id))
    left = {b.id: b.bought // _US for b in ordered}
    allocations = []
    for use in sorted(uses, key=lambda u: u.order):
        if not use.duration:
            raise ValueError(  # i18n: not shown
                f"Entry {use.entry_id} has no included time to take from the prepaid hours."
            )
        low, high = sorted((ZERO, use.duration))
        if not low <= use.over <= high:
            raise ValueError(  # i18n: not shown
                f"Entry {use.entry_id} billed more beyond the prepaid hours than its included time."
            )
        need = use.from_blocks // _US
        taken = []
        if need > 0:
            for block in ordered:
                if not need:
                    break
                if left[block.id] and block.valid_on(use.day):
                    take = min(need, left[block.id])
                    left[block.id] -= take
                    need -= take
                    taken.append((block.id, take * _US))
        elif need < 0:
            for block in reversed(ordered):
                used = block.bought // _US - left[block.id]
                if not need:
                    break
                if used and block.valid_on(use.day):
                    back = min(-need, used)
                    left[block.id] += back
                    need += back
                    taken.append((block.id, -back * _US))
            need = 0
        allocations.append(Allocation(use, tuple(taken), use.over + need * _US))
    balances = []
    for block in ordered:
        unused = left[block.id] * _US
        lost = today is not None and block.expires is not None and block.expires < today
        balances.append(BlockBalance(block, block.bought - unused, ZERO if lost else unused, unused if lost else ZERO))
    return Consumption(
        blocks=tuple(balances),
        allocations=tuple(allocations),
        bought=sum((b.block.bought for b in balances), ZERO),
        used=sum((b.used for b in balances), ZERO),
        expired=sum((b.expired for b in balances), ZERO),
        remaining=sum((b.remaining for b in balances), ZERO),
        over=sum((a.over for a in allocations), ZERO),
    )


def crossed(before_pct: int, after_pct: int) -> tuple[int, ...]:
    """The thresholds reached going from `before_pct` to `after_pct` (75 then 80: (75,);
    70 then 100: (75, 90, 100)); none when the share did not grow."""
    return tuple(t for t in THRESHOLDS if before_pct < t <= after_pct)


def _as_us(hours: Decimal) -> int:
    """Hours as whole microseconds (a block's hours have at most a few decimals)."""
    return int(hours * _HOUR_US)
