"""Owners: the students whose logs a workspace holds (usually just one)."""

from __future__ import annotations

from dataclasses import dataclass

from infoint_core.errors import InputError, NotFoundError
from infoint_core.store import Store

DEFAULT_OWNER_NAME = "me"


@dataclass(frozen=True, slots=True)
class Owner:
    id: int
    name: str


def list_owners(store: Store) -> list[Owner]:
    """Every owner in the workspace, by name."""
    return [Owner(*row) for row in store.rows("SELECT id, name FROM owners ORDER BY name")]


def ensure_owner(store: Store, name: str) -> Owner:
    """The owner called ``name``, created when new."""
    clean = name.strip()
    if not clean:
        raise InputError("an owner needs a name")
    row = store.first("SELECT id, name FROM owners WHERE name = ?", [clean])
    if row is None:
        row = store.first("INSERT INTO owners (name) VALUES (?) RETURNING id, name", [clean])
    assert row is not None
    return Owner(*row)


def owner_for_writes(store: Store, name: str | None) -> Owner:
    """The owner new data goes to: ``name`` (created when new), else the workspace's only
    owner, else a new default owner in an empty workspace.

    Raises InputError when no name is given and the workspace holds several owners.
    """
    if name:
        return ensure_owner(store, name)
    owners = list_owners(store)
    if len(owners) == 1:
        return owners[0]
    if not owners:
        return ensure_owner(store, DEFAULT_OWNER_NAME)
    names = ", ".join(o.name for o in owners)
    raise InputError(f"this workspace holds several owners ({names}): name one with --owner")


def owner_filter(store: Store, name: str | None) -> int | None:
    """The owner id a read-out is limited to, or ``None`` for every owner.

    Raises NotFoundError for a named owner the workspace does not hold.
    """
    if not name:
        return None
    owner_id = store.value("SELECT id FROM owners WHERE name = ?", [name.strip()])
    if owner_id is None:
        raise NotFoundError(f"no owner called {name!r} in this workspace")
    return owner_id
