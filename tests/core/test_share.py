"""Shares: nothing typed about a person gets out, ids are opaque and stable, and a reader
can rebuild the log's stages, funnel, gaps and referral chains from the file alone."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from infoint_core import share
from infoint_core.demo import load_demo
from infoint_core.errors import InputError, NotFoundError
from infoint_core.importers import ImportOptions, import_bytes
from infoint_core.logbook import log_step
from infoint_core.metrics import compute_metrics
from infoint_core.owners import ensure_owner, list_owners
from infoint_core.records import EventKind
from infoint_core.settings import get_setting
from infoint_core.store import Store, open_memory_workspace, open_workspace
from tests.conftest import AS_OF
from tests.samples.linkedin import Message, messages_csv

STUDENT = "Persephone Kittredge-Oyelaran"

# A log in which every field a person could type holds something nobody else would write.
TRACKER = """\
Name,Email,LinkedIn,Organisation,Job title,Industry,Source,Referred by,Date contacted,\
Responded on,Interview date,Thank-you sent,Follow-up,Outcome reported,Status,Notes
Zebulon Quackenbush,zebulon.quackenbush@xylophonic-mail.test,\
https://www.linkedin.com/in/zebulon-quackenbush-4417,Quillfeather Dynamics,\
Chief Narwhal Wrangler,Zeppelin Haberdashery,Brambleworth Gala,,2026-09-01,2026-09-03,\
2026-09-10,2026-09-10,2026-10-01,,,"Mentioned the Vermillion Accord merger, call Tuesday"
Ottoline Fairweather-Mbeki,ottoline@plumbago-consultancy.test,\
https://www.linkedin.com/in/ottoline-fairweather,Plumbago Consultancy Ltd,\
Senior Marmalade Strategist,Banking,LinkedIn,Zebulon Quackenbush,2026-10-05,,2026-10-20,\
yes,,2026-10-25,,Secret: leaving for Gargoyle Ventures in spring
Ignatius Wolfenbarger,,https://www.linkedin.com/in/ignatius-wolfenbarger-99,\
Hinterland Cartography,Apprentice Cartographer,,,Ottoline Fairweather-Mbeki,2026-11-02,,,,,,\
declined,Prefers carrier pigeons to Snowbridge Lane
Philippa Thistlewood-Okonkwo,,,,,,Family friend,,,,2026-12-01,,,,,
Xanthippe Dunmore-Vasquez,,,,,,Alumni network,,,,,,,,,
"""
MESSAGE = "Looking forward to our chat about the Obsidian Lighthouse project, Zebulon!"
STEP_DETAIL = "Dear Zebulon, thank you for the Marzipan Symposium tip"

# Every string above that could identify someone, whole and in parts.
SECRETS_TYPED = [
    STUDENT, "Persephone", "Kittredge", "Oyelaran",
    "Zebulon", "Quackenbush", "zebulon.quackenbush@xylophonic-mail.test", "xylophonic",
    "linkedin.com/in/", "zebulon-quackenbush-4417", "Quillfeather", "Narwhal", "Wrangler",
    "Zeppelin", "Haberdashery", "Brambleworth", "Vermillion", "Accord merger",
    "Ottoline", "Fairweather", "Mbeki", "ottoline@plumbago-consultancy.test", "plumbago",
    "Marmalade", "Strategist", "Gargoyle", "leaving for",
    "Ignatius", "Wolfenbarger", "Hinterland", "Cartograph", "carrier pigeon", "Snowbridge",
    "Philippa", "Thistlewood", "Okonkwo", "Family friend", "Xanthippe", "Dunmore",
    "Vasquez", "Alumni network",
    "Obsidian", "Lighthouse", "Looking forward", "Marzipan", "Symposium", "Dear ",
]  # fmt: skip


def import_text(store: Store, name: str, text: str, owner: str | None = STUDENT) -> None:
    result = import_bytes(store, name, text.encode(), ImportOptions(owner=owner))
    assert result.error is None, result.error


@pytest.fixture
def logged(store: Store) -> tuple[Store, int]:
    """The distinctive log, a message about one contact and a step with free text."""
    import_text(store, "tracker.csv", TRACKER)
    messages = messages_csv(
        [
            Message(
                "conv-1", STUDENT, "https://www.linkedin.com/in/persephone-k",
                [("Zebulon Quackenbush", "https://www.linkedin.com/in/zebulon-quackenbush-4417")],
                datetime(2026, 9, 2, 9, 30), content=MESSAGE, subject="Obsidian Lighthouse",
            )
        ]
    )  # fmt: skip
    import_text(store, "messages.csv", messages)
    zebulon = store.value("SELECT id FROM contacts WHERE name = 'Zebulon Quackenbush'")
    log_step(store, zebulon, EventKind.FOLLOW_UP, date(2026, 11, 1), STEP_DETAIL)
    owner_id = list_owners(store)[0].id
    share.save_share_profile(store, owner_id, "MSc Data Science", 2027)
    return store, owner_id


def read_share(path_or_bytes: Path | bytes) -> tuple[pl.DataFrame, dict[str, str]]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    raw = pq.read_metadata(io.BytesIO(data)).metadata or {}
    metadata = {k.decode(): v.decode() for k, v in raw.items()}
    return pl.read_parquet(io.BytesIO(data)), metadata


# Nothing typed about a person gets out --------------------------------------------------


def test_no_typed_string_is_in_any_column_the_metadata_or_the_raw_bytes(
    logged, tmp_path: Path
) -> None:
    store, owner_id = logged
    assert store.value("SELECT count(*) FROM events WHERE detail IS NOT NULL") >= 1
    path = share.write_share(store, owner_id, tmp_path / "me.infoint-share.parquet", as_of=AS_OF)
    rows, metadata = read_share(path)
    cells = " ".join(
        str(value) for column in rows.columns for value in rows[column].to_list()
    ).casefold()
    header = " ".join([*metadata, *metadata.values()]).casefold()
    raw = path.read_bytes().lower()
    # The grep means something: what the file does hold is there to be found in plain.
    assert b"msc data science" in raw and rows["contact"][0].encode() in raw
    for text in SECRETS_TYPED:
        needle = text.casefold()
        assert needle not in cells, text
        assert needle not in header, text
        assert needle.encode() not in raw, text
    assert STUDENT.casefold() not in str(path).casefold()


def test_the_file_holds_exactly_the_documented_columns_and_metadata(logged) -> None:
    store, owner_id = logged
    rows, metadata = read_share(share.share_bytes(store, owner_id, as_of=AS_OF))
    assert rows.schema == pl.Schema(
        {
            "contact": pl.String, "source_category": pl.String, "industry": pl.String,
            "referred_by": pl.String, "status": pl.String, "kind": pl.String,
            "on_date": pl.Date, "about": pl.String,
        }
    )  # fmt: skip
    assert set(metadata) == {
        "infoint_share_version", "student", "programme", "graduation_year", "as_of",
        "created_at",
    }  # fmt: skip
    assert metadata["infoint_share_version"] == "1"
    assert metadata["programme"] == "MSc Data Science"
    assert metadata["graduation_year"] == "2027"
    assert metadata["as_of"] == AS_OF.isoformat()
    created = datetime.fromisoformat(metadata["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert re.fullmatch(r"s-[0-9a-f]{16}", metadata["student"])
    assert set(rows["source_category"]) <= set(share.SOURCE_CATEGORIES)
    assert set(rows["industry"]) <= set(share.INDUSTRY_BUCKETS)
    assert set(rows["kind"].drop_nulls()) <= {k.value for k in EventKind}
    assert rows["contact"].str.contains(r"^[0-9a-f]{24}$").all()


def test_the_secrets_stay_in_the_workspace(logged) -> None:
    store, owner_id = logged
    data = share.share_bytes(store, owner_id, as_of=AS_OF)
    secret = get_setting(store, share.SECRET_SETTING)
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert secret.encode() not in data
    assert secret[:16].encode() not in data


def test_contacts_are_coarsened(logged) -> None:
    store, owner_id = logged
    rows = share.share_rows(store, owner_id).unique("contact")
    by_category = sorted(zip(rows["source_category"], rows["industry"], strict=True))
    # Zebulon (Brambleworth Gala / Zeppelin Haberdashery), Ottoline (LinkedIn / Banking),
    # Ignatius (no source but a referrer), Philippa (Family friend, no industry),
    # Xanthippe (Alumni network).
    assert by_category == sorted(
        [("other", "other"), ("linkedin", "finance"), ("referral", "unknown"),
         ("personal", "unknown"), ("academic", "unknown")]
    )  # fmt: skip
    assert set(rows["status"].drop_nulls()) == {"declined"}


@pytest.mark.parametrize(
    ("source", "category"),
    [
        ("LinkedIn", "linkedin"), ("Found on LinkedIn search", "linkedin"),
        ("Referral", "referral"), ("Introduced by my professor", "referral"),
        ("Career fair", "event"), ("Alumni meetup", "event"), ("Conference", "event"),
        ("Professor", "academic"), ("Alumni network", "academic"),
        ("Lecturer", "academic"), ("University careers service", "academic"),
        ("Family friend", "personal"), ("A friend", "personal"), ("Family", "personal"),
        ("Cold email", "other"), ("Company website", "other"), ("", "unknown"),
        ("   ", "unknown"), (None, "unknown"),
    ],
)  # fmt: skip
def test_source_categories(source: str | None, category: str) -> None:
    assert share.source_category(source) == category


def test_a_blank_source_with_a_referrer_is_a_referral() -> None:
    assert share.source_category(None, referred=True) == "referral"
    assert share.source_category("LinkedIn", referred=True) == "linkedin"


@pytest.mark.parametrize(
    ("industry", "bucket"),
    [
        ("Financial services", "finance"), ("Banking", "finance"), ("Fintech", "finance"),
        ("Insurance", "finance"), ("Management consulting", "consulting"),
        ("Healthcare", "health"), ("Health tech", "health"), ("Pharmaceuticals", "health"),
        ("Higher Education", "education"), ("Public sector", "public_sector"),
        ("Non-profit", "non_profit"), ("Energy", "energy_environment"),
        ("Aviation", "transport_logistics"), ("Automotive", "engineering_manufacturing"),
        ("Media & publishing", "media_creative"), ("Retail", "retail_consumer"),
        ("Software", "technology"), ("Data & analytics", "technology"),
        ("Law", "legal"), ("Outlaw biker gangs", "other"), ("Zeppelin Haberdashery", "other"),
        ("", "unknown"), (None, "unknown"),
    ],
)  # fmt: skip
def test_industry_buckets(industry: str | None, bucket: str) -> None:
    assert share.industry_bucket(industry) == bucket


# Opaque ids -----------------------------------------------------------------------------


def test_opaque_ids_are_stable_across_runs(logged, db_path: Path) -> None:
    store, owner_id = logged
    first = share.share_rows(store, owner_id)
    store.close()
    again = open_workspace(db_path)
    second = share.share_rows(again, owner_id)
    assert first.equals(second)
    assert share.student_pseudonym(again, owner_id) == share.student_pseudonym(again, owner_id)


def test_opaque_ids_differ_between_workspaces(tmp_path: Path) -> None:
    codes, pseudonyms = [], []
    for name in ("one", "two"):
        store = open_workspace(tmp_path / f"{name}.duckdb")
        import_text(store, "tracker.csv", TRACKER)
        owner_id = list_owners(store)[0].id
        rows = share.share_rows(store, owner_id)
        codes.append(set(rows["contact"]) | set(rows["referred_by"].drop_nulls()))
        pseudonyms.append(share.student_pseudonym(store, owner_id))
    assert len(codes[0]) == len(codes[1]) == 5
    assert not codes[0] & codes[1]
    assert pseudonyms[0] != pseudonyms[1]


def test_each_owner_has_their_own_pseudonym(store: Store) -> None:
    ada, ben = ensure_owner(store, "Ada").id, ensure_owner(store, "Ben").id
    first = share.student_pseudonym(store, ada)
    assert first == share.student_pseudonym(store, ada)
    assert first != share.student_pseudonym(store, ben)
    assert share.share_file_name(store, ada) == f"{first}.infoint-share.parquet"


# A reader rebuilds the log from the file ------------------------------------------------


def rebuild(rows: pl.DataFrame) -> Store:
    """The contacts/events pair a cohort reader would rebuild from one share."""
    store = open_memory_workspace()
    codes = {code: n for n, code in enumerate(sorted(set(rows["contact"])), start=1)}
    contacts = rows.unique("contact").select(
        pl.col("contact").replace_strict(codes, return_dtype=pl.Int32).alias("id"),
        pl.col("contact").alias("name"),
        pl.col("referred_by").replace_strict(codes, default=None, return_dtype=pl.Int32),
        "status",
        "source_category",
        "industry",
    )
    events = rows.filter(pl.col("kind").is_not_null()).select(
        pl.col("contact").replace_strict(codes, return_dtype=pl.Int32).alias("contact_id"),
        "kind",
        "on_date",
        pl.col("about").replace_strict(codes, default=None, return_dtype=pl.Int32),
    )
    store.run("INSERT INTO owners (id, name) VALUES (1, 'student')")
    with store.frame_as_table("shared_contacts", contacts):
        store.run(
            """INSERT INTO contacts (id, owner_id, name, name_key, referred_by_id, status,
                                     source, industry)
               SELECT id, 1, name, name, referred_by, status, source_category, industry
               FROM shared_contacts"""
        )
    with store.frame_as_table("shared_events", events):
        store.run(
            """INSERT INTO events (owner_id, contact_id, kind, on_date, about_contact_id)
               SELECT 1, contact_id, kind, on_date, about FROM shared_events"""
        )
    return store


def comparable(metrics: dict) -> dict:
    """The figures of ``compute_metrics`` that do not name anyone."""
    referrals = metrics["referrals"]
    return {
        "contacts": metrics["contacts"],
        "funnel": metrics["funnel"],
        "gap_counts": metrics["gap_counts"],
        "gap_days": sorted((g["rule"], g["since"], g["days"]) for g in metrics["gaps"]),
        "referrals": {k: referrals[k] for k in ("edges", "roots", "max_depth")},
        "chains": sorted((c["size"], c["depth"]) for c in referrals["chains"]),
        "stage_durations": metrics["stage_durations"],
    }


def test_every_contact_step_and_referral_survives_on_the_demo(store: Store) -> None:
    load_demo(store, AS_OF)
    owner_id = list_owners(store)[0].id
    rows = share.share_rows(store, owner_id)
    assert rows["contact"].n_unique() == store.value("SELECT count(*) FROM contacts")
    assert rows["kind"].is_not_null().sum() == store.value("SELECT count(*) FROM events")
    edges = rows.unique("contact")["referred_by"].is_not_null().sum()
    assert edges == store.value("SELECT count(referred_by_id) FROM contacts")
    reports = rows.filter(pl.col("kind") == "outcome_report")
    assert reports.height and reports["about"].is_not_null().all()

    rebuilt = rebuild(rows)
    assert comparable(compute_metrics(rebuilt, None, AS_OF)) == comparable(
        compute_metrics(store, None, AS_OF)
    )


def test_the_distinctive_log_rebuilds_too(logged) -> None:
    store, owner_id = logged
    rows = share.share_rows(store, owner_id)
    assert rows["kind"].is_not_null().sum() == store.value("SELECT count(*) FROM events")
    assert comparable(compute_metrics(rebuild(rows), None, AS_OF)) == comparable(
        compute_metrics(store, None, AS_OF)
    )


def test_a_contact_with_no_step_has_one_row(logged) -> None:
    store, owner_id = logged
    rows = share.share_rows(store, owner_id)
    per_contact = rows.group_by("contact").agg(pl.col("kind").is_null().sum().alias("bare"))
    assert set(per_contact["bare"]) <= {0, 1}
    bare = rows.filter(pl.col("kind").is_null())
    assert bare.height == 1 and bare["on_date"].is_null().all()
    assert bare["source_category"].to_list() == ["academic"]


def test_an_owner_with_an_empty_log_shares_an_empty_file(store: Store) -> None:
    owner_id = ensure_owner(store, "Ada").id
    data = share.share_bytes(
        store, owner_id, as_of=AS_OF, programme="BA History", graduation_year=2028
    )
    rows, metadata = read_share(data)
    assert rows.height == 0 and len(rows.columns) == 8
    assert metadata["programme"] == "BA History"


# Programme and graduation year: asked once ----------------------------------------------


def test_programme_and_year_are_asked_once(store: Store, tmp_path: Path) -> None:
    import_text(store, "tracker.csv", TRACKER)
    owner_id = list_owners(store)[0].id
    with pytest.raises(InputError, match="programme and graduation year"):
        share.write_share(store, owner_id, tmp_path / "a.parquet")
    with pytest.raises(InputError, match="graduation year"):
        share.write_share(store, owner_id, tmp_path / "a.parquet", programme="MSc Law")
    assert not (tmp_path / "a.parquet").exists()
    assert share.share_profile(store, owner_id) == share.ShareProfile("MSc Law", None)

    share.write_share(store, owner_id, tmp_path / "a.parquet", graduation_year=2027)
    assert share.share_profile(store, owner_id) == share.ShareProfile("MSc Law", 2027)
    path = share.write_share(store, owner_id, tmp_path / "b.parquet")
    assert read_share(path)[1]["programme"] == "MSc Law"


def test_build_share_uses_given_values_without_storing_them(logged) -> None:
    store, owner_id = logged
    built = share.build_share(store, owner_id, AS_OF, programme="BSc Physics")
    assert built.metadata["programme"] == "BSc Physics"
    assert share.share_profile(store, owner_id).programme == "MSc Data Science"


@pytest.mark.parametrize(
    ("programme", "year", "message"),
    [
        ("", 2027, "programme"), ("   ", 2027, "programme"), ("x" * 121, 2027, "at most"),
        ("MSc\x00", 2027, "control"), ("MSc", None, "graduation year"),
        ("MSc", 27, "not a graduation year"), ("MSc", 3000, "not a graduation year"),
        ("MSc", True, "graduation year"),
    ],
)  # fmt: skip
def test_a_bad_programme_or_year_is_refused(
    store: Store, programme: str, year: int | None, message: str
) -> None:
    owner_id = ensure_owner(store, "Ada").id
    with pytest.raises(InputError, match=message):
        share.save_share_profile(store, owner_id, programme, year)
    assert share.share_profile(store, owner_id) == share.ShareProfile(None, None)


def test_the_programme_is_tidied(store: Store) -> None:
    owner_id = ensure_owner(store, "Ada").id
    saved = share.save_share_profile(store, owner_id, "  MSc   Data Science ", 2027)
    assert saved == share.ShareProfile("MSc Data Science", 2027)
    assert share.share_profile(store, owner_id) == saved


def test_an_unknown_owner_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        share.share_profile(store, 99)
    with pytest.raises(NotFoundError):
        share.share_rows(store, 99)
    with pytest.raises(NotFoundError):
        share.save_share_profile(store, 99, "MSc", 2027)


# Which owner, and where the file goes ---------------------------------------------------


def test_share_owner_picks_the_only_owner_or_asks(store: Store) -> None:
    with pytest.raises(InputError, match="no log yet"):
        share.share_owner(store, None)
    ada = ensure_owner(store, "Ada").id
    assert share.share_owner(store, None) == ada
    ensure_owner(store, "Ben")
    with pytest.raises(InputError, match="--all"):
        share.share_owner(store, None)
    assert share.share_owner(store, "Ada") == ada
    with pytest.raises(NotFoundError):
        share.share_owner(store, "Cleo")


def test_a_folder_gets_a_file_named_by_the_pseudonym(logged, tmp_path: Path) -> None:
    store, owner_id = logged
    folder = tmp_path / "out"
    folder.mkdir()
    path = share.write_share(store, owner_id, folder)
    assert path.parent == folder
    assert path.name == f"{share.student_pseudonym(store, owner_id)}.infoint-share.parquet"
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def test_an_unwritable_path_is_a_clear_error(logged, tmp_path: Path) -> None:
    store, owner_id = logged
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the share"):
        share.write_share(store, owner_id, blocker / "share.parquet")


def test_the_preview_shows_what_the_file_holds(logged) -> None:
    store, owner_id = logged
    preview = share.preview_share(store, owner_id, AS_OF)
    rows = share.share_rows(store, owner_id)
    assert preview.columns["column"].to_list() == [c.name for c in share.SHARE_COLUMNS]
    assert preview.columns["explanation"].str.len_chars().min() > 20
    assert preview.rows.equals(rows.head(share.PREVIEW_ROWS))
    assert (preview.contacts, preview.total_rows) == (5, rows.height)
    assert preview.steps == store.value("SELECT count(*) FROM events")
    assert preview.referrals == 2
    details = dict(zip(preview.details["key"], preview.details["value"], strict=True))
    assert details["programme"] == "MSc Data Science"
    assert details["student"] == share.student_pseudonym(store, owner_id)
    assert details["created_at"] is None
    written = read_share(share.share_bytes(store, owner_id, as_of=AS_OF))[1]
    assert set(details) == set(written)


# A career centre's combined tracker ----------------------------------------------------

COMBINED = """\
Student,Name,Organisation,Source,Referred by,Date contacted,Interview date
Aurelia Vantongeren,Bartholomew Quince,Quince & Daughters,Professor,,2026-10-01,2026-10-09
Aurelia Vantongeren,Cordelia Pemberton-Ashe,Ashe Holdings,,Bartholomew Quince,2026-10-12,
Aurelia Vantongeren,Desmond Ravenscroft,,LinkedIn,,,
Barnaby Oduya-Fitzgerald,Eudora Blackwood,Blackwood Mills,Career fair,,2026-11-03,
Cressida Lindqvist-Amari,Florian Tuckerman,Tuckerman GmbH,,,2026-09-20,2026-10-01
Cressida Lindqvist-Amari,Gwendolyn Sorensen,,,,,
"""
COMBINED_NAMES = [
    "Aurelia", "Vantongeren", "Barnaby", "Oduya", "Fitzgerald", "Cressida", "Lindqvist",
    "Amari", "Bartholomew", "Quince", "Cordelia", "Pemberton", "Ashe", "Desmond",
    "Ravenscroft", "Eudora", "Blackwood", "Florian", "Tuckerman", "Gwendolyn", "Sorensen",
]  # fmt: skip


def test_write_all_shares_gives_one_file_per_student(store: Store, tmp_path: Path) -> None:
    import_text(store, "cohort.csv", COMBINED, owner=None)
    owners = {o.name: o.id for o in list_owners(store)}
    assert len(owners) == 3
    out = tmp_path / "shares"
    paths = share.write_all_shares(
        store, out, as_of=AS_OF, programme="MSc Management", graduation_year=2027
    )
    assert sorted(paths) == sorted(out.iterdir())
    students = {}
    for path in paths:
        rows, metadata = read_share(path)
        students[metadata["student"]] = rows["contact"].n_unique()
        assert path.name == f"{metadata['student']}.infoint-share.parquet"
        assert metadata["programme"] == "MSc Management"
        raw = path.read_bytes().lower()
        for name in COMBINED_NAMES:
            assert name.casefold().encode() not in raw, name
    expected = {
        share.student_pseudonym(store, owner_id): store.value(
            "SELECT count(*) FROM contacts WHERE owner_id = ?", [owner_id]
        )
        for owner_id in owners.values()
    }
    assert students == expected
    assert sorted(expected.values()) == [1, 2, 3]
    for owner_id in owners.values():
        assert share.share_profile(store, owner_id) == share.ShareProfile("MSc Management", 2027)


def test_write_all_shares_writes_nothing_unless_every_student_is_known(
    store: Store, tmp_path: Path
) -> None:
    import_text(store, "cohort.csv", COMBINED, owner=None)
    owners = {o.name: o.id for o in list_owners(store)}
    share.save_share_profile(store, owners["Aurelia Vantongeren"], "BA Design", 2026)
    with pytest.raises(InputError, match="Barnaby Oduya-Fitzgerald, Cressida Lindqvist-Amari"):
        share.write_all_shares(store, tmp_path / "shares")
    assert not (tmp_path / "shares").exists()
    with pytest.raises(InputError, match="Barnaby"):  # a year alone does not do
        share.write_all_shares(store, tmp_path / "shares", graduation_year=2028)
    assert not (tmp_path / "shares").exists()


def test_write_all_shares_on_an_empty_workspace_is_a_clear_error(
    store: Store, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="no log yet"):
        share.write_all_shares(store, tmp_path, programme="MSc", graduation_year=2027)
