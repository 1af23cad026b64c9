"""Shares: a student's de-identified export for the career centre (CONTRACT §7).

The file format is ``docs/share-format.md``; this module writes it. A share holds, per
contact, only an opaque id, a coarse source category, a coarse industry, the referral
edge and the dated steps; about the student only a random pseudonym, the programme and
the graduation year. Nothing typed about a person (names, emails, profile URLs,
organisations, positions, notes, message text, a step's ``detail``) is ever read into a
share, so nothing of it can leak out.

Two random values make the file un-linkable to the workspace's people. Both are created
with ``secrets`` on first use, kept in the workspace settings and never written out:
- the workspace secret keys an HMAC-SHA256 of ``"<owner id>:<contact id>"``: the same
  contact gets the same opaque id in every share of this workspace (so a newer share
  replaces an older one cleanly), and ids from another workspace never match;
- the student pseudonym (``s-`` and 16 hex digits), one per owner.

Files are written uncompressed so that anyone (the student, the career centre) can grep
a share for a name and trust what they see; shares are small.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from infoint_core.errors import InputError, NotFoundError
from infoint_core.owners import list_owners, owner_filter
from infoint_core.records import DECLINED_STATUS, STAGES, EventKind
from infoint_core.settings import WORKSPACE, get_setting
from infoint_core.store import Store

SHARE_VERSION = "1"
SHARE_SUFFIX = ".infoint-share.parquet"
PARQUET_MIME = "application/vnd.apache.parquet"
OPAQUE_ID_LENGTH = 24  # hex characters of the HMAC kept (96 bits)
PREVIEW_ROWS = 10

SECRET_SETTING = "share_secret"  # workspace-wide: the HMAC key, 64 hex digits
PSEUDONYM_SETTING = "share_pseudonym"  # per owner: "s-" + 16 hex digits

PROGRAMME_MAX_LENGTH = 120
FIRST_YEAR, LAST_YEAR = 1950, 2100  # the graduation years accepted

UNKNOWN = "unknown"
OTHER = "other"

# How a contact was found, coarsened: the first category with a keyword that starts a
# word of the source wins ("Introduced by my professor" is a referral). A blank source is
# `unknown` (`referral` when a referrer is recorded); any other text is `other`.
SOURCE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("linkedin", ("linkedin", "linked in")),
    ("referral", ("refer", "intro", "recommend", "put me in touch")),
    ("event", ("career fair", "careers fair", "job fair", "fair", "event", "meetup",
               "meet-up", "conference", "networking", "workshop", "webinar", "talk",
               "panel", "chamber of commerce", "hackathon")),
    ("academic", ("professor", "alumni", "alumnus", "alumna", "lecturer", "tutor",
                  "university", "college", "school", "faculty", "careers service",
                  "career service", "careers centre", "career centre", "career center",
                  "supervisor", "classmate", "academic")),
    ("personal", ("family", "friend", "relative", "parent", "mother", "father", "mum",
                  "dad", "sister", "brother", "cousin", "uncle", "aunt", "neighbour",
                  "neighbor", "colleague", "former employer", "personal")),
)  # fmt: skip
SOURCE_CATEGORIES: tuple[str, ...] = (*(c for c, _ in SOURCE_KEYWORDS), OTHER, UNKNOWN)

# Industries, coarsened the same way (first bucket wins, so "Fintech" is finance and
# "Health tech" is health: technology comes last because its words are the most generic).
INDUSTRY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("finance", ("financ", "bank", "insur", "invest", "fintech", "accountan", "accounting",
                 "audit", "asset management", "private equity", "venture capital",
                 "wealth", "pension", "trading")),
    ("consulting", ("consult", "advisory", "professional services")),
    ("legal", ("law", "legal", "solicitor", "barrister", "attorney")),
    ("health", ("health", "medic", "pharma", "biotech", "hospital", "clinic",
                "life science", "nhs", "nursing", "dental", "social care")),
    ("education", ("educat", "universit", "school", "academ", "teaching", "edtech",
                   "e-learning", "higher education")),
    ("public_sector", ("government", "public sector", "public administration", "policy",
                       "council", "civil service", "municipal", "local authority",
                       "defence", "defense", "military", "armed forces", "police",
                       "ministry")),
    ("non_profit", ("non-profit", "nonprofit", "not-for-profit", "not for profit", "charit",
                    "ngo", "foundation", "third sector", "voluntary", "philanthrop",
                    "humanitarian")),
    ("energy_environment", ("energy", "oil", "natural gas", "utilit", "renewable", "solar", "wind",
                            "power", "mining", "environment", "sustainab", "climate",
                            "water")),
    ("transport_logistics", ("aviation", "airline", "airport", "transport", "logistic",
                             "shipping", "rail", "freight", "supply chain", "maritime",
                             "postal")),
    ("engineering_manufacturing", ("engineering", "manufactur", "automotive", "aerospace",
                                   "construction", "industrial", "chemical", "architect",
                                   "semiconductor")),
    ("media_creative", ("media", "publish", "journalis", "news", "broadcast", "advertis",
                        "marketing", "public relations", "entertainment", "film", "music",
                        "arts", "design", "gaming", "games", "creative", "museum")),
    ("retail_consumer", ("retail", "consumer", "e-commerce", "ecommerce", "fmcg",
                         "hospitality", "food", "beverage", "fashion", "apparel", "tourism",
                         "travel", "hotel", "restaurant", "luxury", "sport")),
    ("technology", ("software", "tech", "information technology", "it services",
                    "computer", "computing", "data", "analytics", "internet", "telecom",
                    "artificial intelligence", "machine learning", "cyber", "digital",
                    "saas", "cloud", "electronics")),
)  # fmt: skip
INDUSTRY_BUCKETS: tuple[str, ...] = (*(b for b, _ in INDUSTRY_KEYWORDS), OTHER, UNKNOWN)

_STATUSES = frozenset({*(s.value for s in STAGES), DECLINED_STATUS})
_KINDS = frozenset(k.value for k in EventKind)


@dataclass(frozen=True, slots=True)
class ShareColumn:
    """One column of a share: its name, its type and what it holds, in plain words."""

    name: str
    arrow_type: pa.DataType
    nullable: bool
    explanation: str


SHARE_COLUMNS: tuple[ShareColumn, ...] = (
    ShareColumn("contact", pa.string(), False,
                "A random code standing for one person. Nobody can turn it back into a name "
                "without your workspace."),
    ShareColumn("source_category", pa.string(), False,
                "How you found them, in broad terms: linkedin, referral, event, academic, "
                "personal, other or unknown."),
    ShareColumn("industry", pa.string(), False,
                "A broad industry such as finance or health (never the organisation), "
                "or unknown."),
    ShareColumn("referred_by", pa.string(), True,
                "The code of the contact who introduced you to them, if anyone did."),
    ShareColumn("status", pa.string(), True,
                "The stage your tracker's status column gives them, if it has one."),
    ShareColumn("kind", pa.string(), True,
                "The step: outreach, response, declined, meeting, thank_you, follow_up, "
                "outcome_report or inbound; empty on the row of a contact with no step yet."),
    ShareColumn("on_date", pa.date32(), True,
                "The day of the step (empty for a thank-you marked only 'yes')."),
    ShareColumn("about", pa.string(), True,
                "For an outcome report: the code of the person the report was about."),
)  # fmt: skip
SHARE_SCHEMA = pa.schema([pa.field(c.name, c.arrow_type, c.nullable) for c in SHARE_COLUMNS])
_POLARS_TYPES: dict[str, Any] = {
    c.name: pl.Date if c.arrow_type == pa.date32() else pl.String for c in SHARE_COLUMNS
}

# What the file's header (the Parquet key-value metadata) holds, in plain words.
METADATA_EXPLANATIONS: dict[str, str] = {
    "infoint_share_version": "The version of the file format.",
    "student": "A random code standing for you; it stays the same in every share you make.",
    "programme": "Your programme, as you typed it.",
    "graduation_year": "The year you graduate.",
    "as_of": "The day the share describes.",
    "created_at": "When the file was written (a newer share of yours replaces an older one).",
}

# One row per step, plus one per contact with no step. Only the columns named here are
# ever read: nothing typed about a person comes out of the workspace.
_SHARE_SQL = """
SELECT c.id AS contact_id,
       c.referred_by_id,
       c.source,
       c.industry,
       c.status,
       e.kind,
       e.on_date,
       e.about_contact_id
FROM contacts c
LEFT JOIN events e ON e.contact_id = c.id
WHERE c.owner_id = ?
"""


@dataclass(frozen=True, slots=True)
class ShareProfile:
    """What a share says about the student besides the pseudonym."""

    programme: str | None
    graduation_year: int | None

    @property
    def complete(self) -> bool:
        return bool(self.programme) and self.graduation_year is not None


@dataclass(frozen=True, slots=True)
class Share:
    """A share ready to write: its rows and its file metadata (``created_at`` is added
    when the file is written)."""

    rows: pl.DataFrame
    metadata: dict[str, str]


@dataclass(frozen=True, slots=True)
class SharePreview:
    """Exactly what a share of the student would hold, for them to look at first."""

    columns: pl.DataFrame  # column, explanation
    details: pl.DataFrame  # key, value (null when not known yet), explanation
    rows: pl.DataFrame  # the first rows of the file
    total_rows: int
    contacts: int
    steps: int
    referrals: int  # contacts with a referrer recorded
    profile: ShareProfile


# The student: programme, graduation year, pseudonym ------------------------------------


def share_profile(store: Store, owner_id: int) -> ShareProfile:
    """The programme and graduation year stored for ``owner_id`` (either may be None).

    Raises NotFoundError for an owner the workspace does not hold.
    """
    row = store.first("SELECT programme, graduation_year FROM owners WHERE id = ?", [owner_id])
    if row is None:
        raise NotFoundError(f"no owner with id {owner_id} in this workspace")
    return ShareProfile(*row)


def save_share_profile(
    store: Store, owner_id: int, programme: str | None, graduation_year: int | None
) -> ShareProfile:
    """Store the student's programme and graduation year, asked once and kept on the owner.

    Raises InputError for a blank or overlong programme or an implausible year,
    NotFoundError for an unknown owner.
    """
    profile = ShareProfile(_clean_programme(programme), _clean_year(graduation_year))
    share_profile(store, owner_id)  # the owner exists
    store.run(
        "UPDATE owners SET programme = ?, graduation_year = ? WHERE id = ?",
        [profile.programme, profile.graduation_year, owner_id],
    )
    store.mark_changed()
    return profile


def student_pseudonym(store: Store, owner_id: int) -> str:
    """The student's pseudonym: random, created on first use, the same ever after."""
    return _setting_once(store, PSEUDONYM_SETTING, owner_id, lambda: f"s-{secrets.token_hex(8)}")


def share_file_name(store: Store, owner_id: int) -> str:
    """The file name a share is given by default: the pseudonym, never the student's name."""
    return f"{student_pseudonym(store, owner_id)}{SHARE_SUFFIX}"


def share_owner(store: Store, name: str | None) -> int:
    """The owner a share is made for: the one named, else the workspace's only owner.

    Raises NotFoundError for an unknown name, InputError when the workspace holds no
    owner or several (name one, or share every owner's log).
    """
    if name:
        owner_id = owner_filter(store, name)
        assert owner_id is not None
        return owner_id
    owners = list_owners(store)
    if len(owners) == 1:
        return owners[0].id
    if not owners:
        raise InputError("this workspace holds no log yet: import one before sharing it")
    names = ", ".join(o.name for o in owners)
    raise InputError(
        f"this workspace holds several owners ({names}): name one with --owner, "
        "or write one share per owner with --all"
    )


# Coarsening ---------------------------------------------------------------------------


def source_category(source: str | None, referred: bool = False) -> str:
    """The coarse category of a contact's source (see ``SOURCE_KEYWORDS``)."""
    if not source or not source.strip():
        return "referral" if referred else UNKNOWN
    return _first_match(_SOURCE_PATTERNS, source)


def industry_bucket(industry: str | None) -> str:
    """The coarse bucket of an industry (see ``INDUSTRY_KEYWORDS``)."""
    if not industry or not industry.strip():
        return UNKNOWN
    return _first_match(_INDUSTRY_PATTERNS, industry)


def _patterns(table: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, re.Pattern[str]]]:
    # A keyword matches at the start of a word: "bank" finds "Banking", "law" not "Outlaw".
    return [
        (name, re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keywords) + ")"))
        for name, keywords in table
    ]


_SOURCE_PATTERNS = _patterns(SOURCE_KEYWORDS)
_INDUSTRY_PATTERNS = _patterns(INDUSTRY_KEYWORDS)


def _first_match(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> str:
    lowered = text.casefold()
    return next((name for name, pattern in patterns if pattern.search(lowered)), OTHER)


# Building and writing ------------------------------------------------------------------


def share_rows(store: Store, owner_id: int) -> pl.DataFrame:
    """The rows of ``owner_id``'s share (``SHARE_COLUMNS``), ordered by opaque id, date
    and kind, so the order says nothing about when or from where a contact was added.

    Raises NotFoundError for an unknown owner.
    """
    share_profile(store, owner_id)  # the owner exists
    raw = store.frame(_SHARE_SQL, [owner_id])
    key = bytes.fromhex(_workspace_secret(store))
    ids = {
        int(i)
        for column in ("contact_id", "referred_by_id", "about_contact_id")
        for i in raw[column].drop_nulls().to_list()
    }
    codes = {i: opaque_id(key, owner_id, i) for i in ids}
    referrers = raw["referred_by_id"].to_list()
    rows = pl.DataFrame(
        {
            "contact": [codes[i] for i in raw["contact_id"]],
            "source_category": [
                source_category(s, r is not None)
                for s, r in zip(raw["source"], referrers, strict=True)
            ],
            "industry": [industry_bucket(i) for i in raw["industry"]],
            "referred_by": [None if r is None else codes[r] for r in referrers],
            "status": [s if s in _STATUSES else None for s in raw["status"]],
            "kind": raw["kind"],
            "on_date": raw["on_date"],
            "about": [
                codes[a] if a is not None and k == EventKind.OUTCOME_REPORT else None
                for a, k in zip(raw["about_contact_id"], raw["kind"], strict=True)
            ],
        },
        schema=_POLARS_TYPES,
    )
    # A step of a kind this format does not list is left out, as is its free text.
    rows = rows.filter(pl.col("kind").is_null() | pl.col("kind").is_in(list(_KINDS)))
    return rows.sort(["contact", "on_date", "kind"], nulls_last=True)


def opaque_id(key: bytes, owner_id: int, contact_id: int) -> str:
    """A contact's opaque id: HMAC-SHA256(key, "<owner id>:<contact id>"), hex, 24 chars."""
    message = f"{owner_id}:{contact_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:OPAQUE_ID_LENGTH]


def build_share(
    store: Store,
    owner_id: int,
    as_of: date | None = None,
    *,
    programme: str | None = None,
    graduation_year: int | None = None,
) -> Share:
    """``owner_id``'s share on ``as_of`` (default today): rows and file metadata.

    ``programme`` and ``graduation_year`` default to the stored ones (nothing is stored
    here). Raises InputError when either is known neither way, NotFoundError for an
    unknown owner.
    """
    profile = _profile_for_share(store, owner_id, programme, graduation_year)
    metadata = {
        "infoint_share_version": SHARE_VERSION,
        "student": student_pseudonym(store, owner_id),
        "programme": str(profile.programme),
        "graduation_year": str(profile.graduation_year),
        "as_of": (as_of or date.today()).isoformat(),
    }
    return Share(share_rows(store, owner_id), metadata)


def share_bytes(
    store: Store,
    owner_id: int,
    *,
    as_of: date | None = None,
    programme: str | None = None,
    graduation_year: int | None = None,
) -> bytes:
    """``owner_id``'s share as the bytes of a Parquet file (for a download button).

    Raises as ``build_share``.
    """
    return _to_parquet(
        build_share(store, owner_id, as_of, programme=programme, graduation_year=graduation_year)
    )


def write_share(
    store: Store,
    owner_id: int,
    path: str | os.PathLike[str],
    *,
    as_of: date | None = None,
    programme: str | None = None,
    graduation_year: int | None = None,
) -> Path:
    """Write ``owner_id``'s share to ``path`` (into it, under ``share_file_name``, when it is
    a folder) and return where it went.

    A programme or year given here is also stored on the owner, so it is asked only once.
    The file is written whole or not at all. Raises InputError when the programme or
    year is unknown or the file cannot be written, NotFoundError for an unknown owner.
    """
    _save_given(store, owner_id, programme, graduation_year)
    data = share_bytes(
        store, owner_id, as_of=as_of, programme=programme, graduation_year=graduation_year
    )
    target = Path(path)
    if target.is_dir():
        target = target / share_file_name(store, owner_id)
    _write_atomically(target, data)
    return target


def write_all_shares(
    store: Store,
    out_dir: str | os.PathLike[str],
    *,
    as_of: date | None = None,
    programme: str | None = None,
    graduation_year: int | None = None,
) -> list[Path]:
    """One share per owner of the workspace (a career centre's combined tracker), each
    named by its pseudonym, in ``out_dir`` (created when missing); returns the paths.

    A programme or year given here applies to, and is stored on, every owner. Nothing is
    written unless every owner's programme and year are known. Raises InputError for an
    empty workspace, for owners missing a programme or year (naming them) and when a
    file cannot be written.
    """
    owners = list_owners(store)
    if not owners:
        raise InputError("this workspace holds no log yet: import one before sharing it")
    given_programme = None if programme is None else _clean_programme(programme)
    given_year = None if graduation_year is None else _clean_year(graduation_year)
    stored = {owner: share_profile(store, owner.id) for owner in owners}
    missing = [
        owner.name
        for owner, profile in stored.items()
        if not ShareProfile(
            given_programme or profile.programme, given_year or profile.graduation_year
        ).complete
    ]
    if missing:
        raise InputError(
            f"no programme or graduation year known for {', '.join(missing)}: "
            "give --programme and --year"
        )
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file: --all writes into a folder")
    paths = []
    for owner in owners:
        target = folder / share_file_name(store, owner.id)
        written = write_share(
            store, owner.id, target, as_of=as_of, programme=given_programme,
            graduation_year=given_year,
        )  # fmt: skip
        paths.append(written)
    return paths


def preview_share(store: Store, owner_id: int, as_of: date | None = None) -> SharePreview:
    """Exactly what ``owner_id``'s share would hold: its columns explained, its file
    details (programme and year null until known), its first rows and its counts.

    Raises NotFoundError for an unknown owner.
    """
    profile = share_profile(store, owner_id)
    rows = share_rows(store, owner_id)
    values = {
        "infoint_share_version": SHARE_VERSION,
        "student": student_pseudonym(store, owner_id),
        "programme": profile.programme,
        "graduation_year": None if profile.graduation_year is None else str(
            profile.graduation_year),
        "as_of": (as_of or date.today()).isoformat(),
        "created_at": None,  # set when the file is written
    }  # fmt: skip
    details = pl.DataFrame(
        {
            "key": list(values),
            "value": list(values.values()),
            "explanation": [METADATA_EXPLANATIONS[k] for k in values],
        },
        schema={"key": pl.String, "value": pl.String, "explanation": pl.String},
    )
    columns = pl.DataFrame(
        {"column": [c.name for c in SHARE_COLUMNS],
         "explanation": [c.explanation for c in SHARE_COLUMNS]}
    )  # fmt: skip
    contacts = rows.unique("contact")
    return SharePreview(
        columns=columns,
        details=details,
        rows=rows.head(PREVIEW_ROWS),
        total_rows=rows.height,
        contacts=contacts.height,
        steps=rows["kind"].is_not_null().sum(),
        referrals=contacts["referred_by"].is_not_null().sum(),
        profile=profile,
    )


# Inside -------------------------------------------------------------------------------


def _to_parquet(share: Share) -> bytes:
    table = share.rows.to_arrow().cast(SHARE_SCHEMA)
    metadata = {**share.metadata, "created_at": datetime.now(UTC).isoformat()}
    sink = pa.BufferOutputStream()
    # store_schema=False: the key-value metadata holds exactly the keys of the format,
    # not also a serialised Arrow schema. No compression: a grep of the file is an audit.
    with pq.ParquetWriter(sink, SHARE_SCHEMA, compression="none", store_schema=False) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata(metadata)
    return sink.getvalue().to_pybytes()


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file beside it, so a reader never
    finds half a share."""
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".share-", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except OSError as e:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write the share to {target}: {e.strerror or e}") from e


def _profile_for_share(
    store: Store, owner_id: int, programme: str | None, graduation_year: int | None
) -> ShareProfile:
    stored = share_profile(store, owner_id)
    profile = ShareProfile(
        _clean_programme(programme) if programme is not None else stored.programme,
        _clean_year(graduation_year) if graduation_year is not None else stored.graduation_year,
    )
    if not profile.complete:
        lacking = " and ".join(
            what
            for what, value in (("programme", profile.programme),
                                ("graduation year", profile.graduation_year))
            if value is None
        )  # fmt: skip
        raise InputError(
            f"a share needs your {lacking}: give it once (--programme 'MSc Data Science' "
            "--year 2027, or on the Share page) and it is kept"
        )
    return profile


def _save_given(
    store: Store, owner_id: int, programme: str | None, graduation_year: int | None
) -> None:
    """Store a programme or year given for a share (each on its own: the other is kept)."""
    share_profile(store, owner_id)  # the owner exists
    if programme is not None:
        store.run(
            "UPDATE owners SET programme = ? WHERE id = ?", [_clean_programme(programme), owner_id]
        )
    if graduation_year is not None:
        store.run(
            "UPDATE owners SET graduation_year = ? WHERE id = ?",
            [_clean_year(graduation_year), owner_id],
        )
    if programme is not None or graduation_year is not None:
        store.mark_changed()


def _clean_programme(programme: str | None) -> str:
    text = " ".join((programme or "").split())
    if not text:
        raise InputError("give your programme, e.g. 'MSc Data Science'")
    if len(text) > PROGRAMME_MAX_LENGTH:
        raise InputError(f"a programme is at most {PROGRAMME_MAX_LENGTH} characters")
    if not text.isprintable():
        raise InputError("a programme cannot hold control characters")
    return text


def _clean_year(year: int | None) -> int:
    if year is None or isinstance(year, bool):
        raise InputError("give your graduation year, e.g. 2027")
    try:
        value = int(year)
    except (TypeError, ValueError) as e:
        raise InputError(f"{year!r} is not a year like 2027") from e
    if value != year or not FIRST_YEAR <= value <= LAST_YEAR:
        raise InputError(f"{year!r} is not a graduation year like 2027")
    return value


def _workspace_secret(store: Store) -> str:
    return _setting_once(store, SECRET_SETTING, WORKSPACE, lambda: secrets.token_hex(32))


def _setting_once(store: Store, key: str, owner_id: int, make: Any) -> str:
    """The setting ``key``, created from ``make()`` when absent. Two sessions creating it at
    once agree: the first insert wins and both read it back.

    Creating it does not mark the workspace changed: every reader of such a setting
    creates it when absent, so no answer kept before could have seen it missing, and the
    first Share page view would otherwise throw away every kept read-out."""
    value = get_setting(store, key, owner_id=owner_id)
    if value is None:
        store.run(
            """INSERT INTO settings (owner_id, key, value) VALUES (?, ?, ?)
               ON CONFLICT (owner_id, key) DO NOTHING""",
            [owner_id, key, json.dumps(make())],
        )
        value = get_setting(store, key, owner_id=owner_id)
    return str(value)
