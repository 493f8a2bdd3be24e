"""The messages that carry the store's news to the interface.

`StoreReady` / `StoreFailed`: the database opened (or could not be), sent to the
App and then to every screen. `StoreDone[T]` / `StoreRefused`: the answer to one
call a node made through `msptui.ui.workers.StoreCalls`, posted to that node
only; a node that has closed has no queue, so it never receives one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual.message import Message

if TYPE_CHECKING:
    from textual.worker import Worker

T = TypeVar("T")


class StoreReady(Message, bubble=False):
    """The database is open and at the latest schema (sent to the app, then to each screen)."""


class StoreFailed(Message, bubble=False):
    """The database could not be opened; `message` says why, in words."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


@dataclass(frozen=True)
class StoreCall(Generic[T]):
    """One call a node made: what to run with its answer, or with a refusal."""

    name: str  # the store function's name, for logs and tests
    done: Callable[[T], object] | None
    failed: Callable[[Exception], object]


class StoreDone(Message, Generic[T], bubble=False):
    """The store answered `call` with `result` (on the UI thread, to the node that asked)."""

    def __init__(self, call: StoreCall[T], result: T, worker: Worker[None]) -> None:
        super().__init__()
        self.call = call
        self.result = result
        self.worker = worker


class StoreRefused(Message, bubble=False):
    """The store refused `call` with an error a user can act on (validation, refusal, busy database)."""

    def __init__(self, call: StoreCall[Any], error: Exception, worker: Worker[None]) -> None:
        super().__init__()
        self.call = call
        self.error = error
        self.worker = worker
