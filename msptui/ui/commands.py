"""Command palette entries "Copy password for <client> — <label>", one per secret.

Only labels are loaded (from the database, in a thread, when the palette
opens); a value is read from the keyring only when its entry is chosen.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.command import Hit, Hits, Provider


def _load_hits(engine: Any) -> list[Any]:
    from msptui.store.secrets import list_all_secrets

    return list_all_secrets(engine)


def _copy(app: Any, secret_id: int, label: str, client_name: str) -> None:
    from msptui.ui.screens.secrets.panel import copy_secret

    copy_secret(app, secret_id, label, client_name)


class SecretsCommands(Provider):
    async def startup(self) -> None:
        self.secrets: list[Any] = []
        store = getattr(self.app, "store", None)
        if store is not None:
            self.secrets = await asyncio.to_thread(_load_hits, store.engine)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for secret in self.secrets:
            text = f"Copy password for {secret.client_name} — {secret.label}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(_copy, self.app, secret.id, secret.label, secret.client_name),
                    text=text,
                    help="Reads the value from the keyring and puts it on the clipboard",
                )
