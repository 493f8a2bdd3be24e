"""Store calls owned by the node that makes them: the seam between screens and the store.

A screen (or a widget on it, or the App for its own app-wide work) mixes in
`StoreCalls` and writes

    self.call_store(deliveries_overview, done=self._show, group="deliveries", exclusive=True)

`fn(engine, *args)` then runs as a thread worker *of that node*, and its answer
comes back as a typed message posted to that node's own queue:

- `StoreDone[T]`: `done(result)` runs on the UI thread, in the node's handler;
- `StoreRefused`: an error a user can cause (validation, a refusal, a busy
  database) goes to `failed(error)`, by default a notification;
- anything else is a bug: the worker fails and the app writes a crash report.

Closing a screen removes it and its widgets: Textual cancels their workers, and
a closed node has no queue, so a late answer is dropped instead of reaching
widgets that are gone (issue 12: Escape on Deliveries while the list was read
crashed with NoMatches). A message already queued when the node closed, or the
answer of a worker replaced by an `exclusive` one, is dropped by the handler.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.worker import get_current_worker

from msptui.core.i18n import _
from msptui.ui.messages import StoreCall, StoreDone, StoreRefused

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

    from msptui.ui.app import MsptuiApp

T = TypeVar("T")


def is_user_error(exc: Exception) -> bool:
    """Errors the interface explains in words; anything else is a bug."""
    from pydantic import ValidationError

    from msptui.paths import PathError
    from msptui.store.clients import RefusedError
    from msptui.store.db import StoreError
    from msptui.store.schemas import FieldError
    from msptui.ui.widgets.form import FormErrors

    return isinstance(exc, (ValidationError, FieldError, FormErrors, RefusedError, StoreError, PathError))


class StoreCalls:
    """Mixin for a Screen, a Widget or the App: blocking work as this node's own workers."""

    def call_store(
        self,
        fn: Callable[..., T],
        *args: Any,
        done: Callable[[T], object] | None = None,
        failed: Callable[[Exception], object] | None = None,
        group: str = "store",
        exclusive: bool = False,
    ) -> None:
        """Run `fn(engine, *args)` in a thread; `done(result)` on the UI thread while this node is open.

        Before the database is open, the call waits for it and runs as soon as it is open
        (the board's keys work from its first read, issue 15); if it cannot open, says why.
        """
        app = cast("MsptuiApp", self._node.app)
        if app.store is None:
            if app.store_error is not None:
                app.notify(app.store_error, severity="warning")
                return
            node = self._node

            def when_open() -> None:
                if node.is_attached:  # the screen that asked may have closed meanwhile
                    self.call_store(fn, *args, done=done, failed=failed, group=group, exclusive=exclusive)

            app.when_store_open(when_open)
            return
        name = getattr(fn, "__name__", "store call")
        self.run_in_thread(
            partial(fn, app.store.engine, *args), done=done, failed=failed, group=group, exclusive=exclusive, name=name
        )

    def run_in_thread(
        self,
        fn: Callable[[], T],
        *,
        done: Callable[[T], object] | None = None,
        failed: Callable[[Exception], object] | None = None,
        group: str = "store",
        exclusive: bool = False,
        name: str = "",
    ) -> Worker[None]:
        """Run `fn()` in a thread (blocking work that needs no engine: the keyring, files);
        answers as for `call_store`."""
        node = self._node
        call = StoreCall(name or getattr(fn, "__name__", "call"), done, failed or self._say_not_saved)

        def job() -> None:
            worker = cast("Worker[None]", get_current_worker())
            try:
                result = fn()
            except Exception as exc:
                if not is_user_error(exc):
                    raise  # a bug: the worker fails and the app writes a crash report
                answer: StoreDone[T] | StoreRefused = StoreRefused(call, exc, worker)
            else:
                answer = StoreDone(call, result, worker)
            if not worker.is_cancelled:
                node.post_message(answer)  # thread-safe; refused (False) once the node has closed

        return node.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=True, name=call.name)

    # --- the answers, on the UI thread -----------------------------------------------------

    def _on_store_done(self, message: StoreDone[Any]) -> None:
        if self._still_waiting(message.worker) and message.call.done is not None:
            message.call.done(message.result)

    def _on_store_refused(self, message: StoreRefused) -> None:
        if self._still_waiting(message.worker):
            message.call.failed(message.error)

    def _still_waiting(self, worker: Worker[None]) -> bool:
        # Queued just before the node closed, or replaced by a newer call of an exclusive group.
        return self._node.is_attached and not worker.is_cancelled

    def _say_not_saved(self, exc: Exception) -> None:
        self._node.app.notify(str(exc), title=_("Not saved"), severity="error", timeout=10)

    @property
    def _node(self) -> DOMNode:
        return cast("DOMNode", self)
