"""Settings kept in the workspace: per owner, or for the whole workspace (owner 0)."""

from __future__ import annotations

import json
from typing import Any

from infoint_core.store import Store

WORKSPACE = 0  # the owner id of workspace-wide settings


def get_setting(store: Store, key: str, default: Any = None, owner_id: int = WORKSPACE) -> Any:
    """The stored value of ``key``, or ``default`` when it was never set."""
    value = store.value(
        "SELECT value FROM settings WHERE owner_id = ? AND key = ?", [owner_id, key]
    )
    return default if value is None else json.loads(value)


def set_setting(store: Store, key: str, value: Any, owner_id: int = WORKSPACE) -> None:
    """Store ``value`` (anything JSON can hold) under ``key``."""
    store.run(
        """INSERT INTO settings (owner_id, key, value) VALUES (?, ?, ?)
           ON CONFLICT (owner_id, key) DO UPDATE SET value = excluded.value""",
        [owner_id, key, json.dumps(value)],
    )
    store.mark_changed()
