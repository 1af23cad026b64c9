"""Matching a file's people to contacts: the identity index and the rows that need it.

A person is the contact that first claimed their profile URL, else their email, else a
namesake whose other keys do not contradict them (one at the same organisation first).
That is order-dependent, so it is worked out row by row through a ``ContactIndex``, but
only for the rows that can meet another row or an existing contact (``mark_isolated``).
"""

from __future__ import annotations

from typing import Any

import polars as pl

_KEY_COLUMNS = ("url_key", "email_key", "name_key")  # the keys people are matched by

EXISTING_SCHEMA: dict[str, Any] = {
    "id": pl.Int32, "owner_id": pl.Int32, "name_key": pl.String, "url_key": pl.String,
    "email_key": pl.String, "company_key": pl.String, "referred_by_id": pl.Int32,
}  # fmt: skip
# The contacts already in the log that share an identity key with the incoming file, in
# the order they were added.
EXISTING_SQL = """
SELECT c.id, c.owner_id, c.name_key, c.url_key, c.email_key, c.company_key, c.referred_by_id
FROM contacts c
WHERE EXISTS (SELECT 1 FROM incoming_keys k
              WHERE k.owner_id = c.owner_id AND k.kind = 'url_key' AND k.key = c.url_key)
   OR EXISTS (SELECT 1 FROM incoming_keys k
              WHERE k.owner_id = c.owner_id AND k.kind = 'email_key' AND k.key = c.email_key)
   OR EXISTS (SELECT 1 FROM incoming_keys k
              WHERE k.owner_id = c.owner_id AND k.kind = 'name_key' AND k.key = c.name_key)
ORDER BY c.id
"""


class ContactIndex:
    """One owner's contacts by identity key, existing and new in this file alike.

    Only the rows that share a key with some other row, or with a contact already in the
    log, pass through it (see ``mark_isolated``); it holds the existing contacts those can
    meet.
    """

    def __init__(self) -> None:
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.keys: dict[int, tuple[str | None, str | None, str | None]] = {}
        self.referrer: dict[int, int | None] = {}

    def add(self, cid: int, name_key: str, url: str | None, email: str | None,
            company: str | None, referrer: int | None = None) -> None:  # fmt: skip
        if url:
            self.by_url.setdefault(url, cid)
        if email:
            self.by_email.setdefault(email, cid)
        ids = self.by_name.setdefault(name_key, [])
        if cid not in ids:
            ids.append(cid)
        old_url, old_email, old_company = self.keys.get(cid, (None, None, None))
        self.keys[cid] = (old_url or url, old_email or email, old_company or company)
        if referrer is not None:
            self.referrer[cid] = referrer

    def find(self, name_key: str, url: str | None, email: str | None,
             company: str | None) -> int | None:  # fmt: skip
        if url and url in self.by_url:
            return self.by_url[url]
        if email and email in self.by_email:
            return self.by_email[email]
        namesakes = self.by_name.get(name_key)
        if not namesakes:
            return None
        fits = [c for c in namesakes if self._fits(c, url, email, company)]
        same_company = [c for c in fits if company and self.keys[c][2] == company]
        return (same_company or fits or [None])[0]

    def _fits(self, cid: int, url: str | None, email: str | None, company: str | None) -> bool:
        """Could a record with these keys be contact ``cid``? Not when a key both have differs."""
        known = self.keys[cid]
        return all(
            not (a and b and a != b) for a, b in zip(known, (url, email, company), strict=True)
        )

    def find_by_name(self, name_key: str) -> int | None:
        ids = self.by_name.get(name_key)
        return ids[0] if ids else None


def key_rows(people: pl.DataFrame) -> pl.DataFrame:
    """Every identity key the file's rows and referral names hold: ``pos`` of the row,
    ``owner_id``, ``kind`` (the key column it is compared with) and ``key``."""
    return pl.concat(
        [
            _keys_of(people, ["pos", "owner_id"]),
            people.select("pos", "owner_id", kind=pl.lit("name_key"), key="referral_key"),
        ]
    ).drop_nulls("key")


def _keys_of(frame: pl.DataFrame, index: list[str]) -> pl.DataFrame:
    return frame.unpivot(
        on=list(_KEY_COLUMNS), index=index, variable_name="kind", value_name="key"
    ).drop_nulls("key")


def mark_isolated(people: pl.DataFrame, existing: pl.DataFrame) -> pl.DataFrame:
    """``people`` with ``isolated``: a row with no referral whose every key belongs to it
    alone (no other row, referral name or existing contact holds it) is a new contact
    that nothing else in the file can meet, so it needs no matching."""
    keys = key_rows(people)
    held = pl.concat([keys.drop("pos"), _keys_of(existing, ["owner_id"])])
    shared = held.group_by("owner_id", "kind", "key").len().filter(pl.col("len") > 1)
    meeting = keys.join(shared, on=["owner_id", "kind", "key"], how="semi")["pos"]
    return people.with_columns(
        isolated=pl.col("referred_by").is_null() & ~pl.col("pos").is_in(meeting.implode())
    )
