"""Loading many shares at once: every file's rows are read and checked together, yet a
bad file is still refused alone, named, with the rest loaded."""

from __future__ import annotations

from datetime import timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from infoint_core import cohort_shares
from infoint_core.cohort import collect_facts, load_shares
from infoint_core.errors import WorkspaceError
from infoint_core.store import open_memory_workspace
from tests.samples.shares import AS_OF, CREATED, SCHEMA, contact, random_log, share_bytes

DAY = timedelta(days=1)


def student(i: int) -> str:
    return f"s-{i:016x}"


def good(i: int, **details) -> tuple[str, bytes]:
    return f"good-{i}.parquet", share_bytes(random_log(i), student=student(i), **details)


def damaged(data: bytes) -> bytes:
    """``data`` with its first column's pages overwritten: the footer still reads."""
    chunk = pq.read_metadata(pa.BufferReader(data)).row_group(0).column(0)
    start, size = chunk.data_page_offset, chunk.total_compressed_size
    return data[:start] + b"\xff" * size + data[start + size :]


def text_dates(rows: list[dict]) -> tuple[list[dict], pa.Schema]:
    schema = SCHEMA.set(SCHEMA.get_field_index("on_date"), pa.field("on_date", pa.string()))
    return [{**r, "on_date": r["on_date"] and r["on_date"].isoformat()} for r in rows], schema


def test_bad_files_among_good_ones_are_refused_each_with_its_own_reason() -> None:
    a, b = "a" * 24, "b" * 24
    files = [
        good(1),
        ("kind.parquet", share_bytes(contact(a) + contact(b, [("lunch", AS_OF)]),
                                     student=student(2))),
        good(3),
        ("loop.parquet", share_bytes(contact(a, referred_by=b) + contact(b, referred_by=a),
                                     student=student(4))),
        ("no-contact.parquet", share_bytes(contact(a) + contact("   "), student=student(5))),
        ("status.parquet", share_bytes(contact(a, status="hired"), student=student(6))),
        good(7),
    ]  # fmt: skip
    with load_shares(files) as cohort:
        assert [s.file for s in cohort.shares] == ["good-1.parquet", "good-3.parquet",
                                                   "good-7.parquet"]  # fmt: skip
        assert [str(e) for e in cohort.errors] == [
            "kind.parquet: row 2, column 'kind': a step kind the format lacks: 'lunch'",
            "loop.parquet: column 'referred_by': its referral links go round in a circle",
            "no-contact.parquet: row 2, column 'contact': a row without a contact",
            "status.parquet: row 1, column 'status': a status the format lacks: 'hired'",
        ]
        assert cohort.store.value("SELECT count(DISTINCT owner_id) FROM contacts") == 3


def test_a_file_reports_its_first_problem_only() -> None:
    rows = contact("a" * 24, [("lunch", AS_OF)], status="hired") + contact(" ")
    with load_shares([("two.parquet", share_bytes(rows)), good(1)]) as cohort:
        (error,) = cohort.errors
        assert error.reason == "row 2, column 'contact': a row without a contact"


def test_the_same_links_in_two_students_shares_are_no_loop() -> None:
    a, b = "a" * 24, "b" * 24
    one = share_bytes(contact(a, referred_by=b) + contact(b), student=student(1))
    two = share_bytes(contact(b, referred_by=a) + contact(a), student=student(2))
    chain = [contact(f"{i:024d}", referred_by=f"{i + 1:024d}") for i in range(40)]
    long = share_bytes([r for rows in chain for r in rows], student=student(3))
    with load_shares([("one", one), ("two", two), ("long", long)]) as cohort:
        assert not cohort.errors
        assert len(cohort.shares) == 3


def test_a_long_chain_closing_on_itself_is_a_loop() -> None:
    ring = [contact(f"{i:024d}", referred_by=f"{(i + 1) % 37:024d}") for i in range(37)]
    tail = contact("t" * 24, referred_by=f"{0:024d}")
    data = share_bytes([r for rows in ring for r in rows] + tail, student=student(1))
    with load_shares([("ring.parquet", data), good(2)]) as cohort:
        (error,) = cohort.errors
        assert error.file == "ring.parquet" and "go round in a circle" in error.reason


def test_a_file_damaged_past_its_footer_is_refused_and_the_others_read() -> None:
    files = [good(1), ("damaged.parquet", damaged(good(2)[1])), good(3)]
    with load_shares(files) as cohort:
        (error,) = cohort.errors
        assert error.file == "damaged.parquet"
        assert "the share's rows cannot be read" in error.reason
        assert [s.student for s in cohort.shares] == [student(1), student(3)]
        assert cohort.store.value("SELECT count(*) FROM contacts") == 24


def test_files_of_other_column_types_load_beside_the_written_ones() -> None:
    rows, schema = text_dates(random_log(2))
    bad, _ = text_dates(contact("a" * 24, [("outreach", AS_OF)]))
    bad[0]["on_date"] = "last week"
    files = [
        good(1),
        ("text.parquet", share_bytes(rows, student=student(2), schema=schema)),
        ("bad.parquet", share_bytes(bad, student=student(3), schema=schema)),
        good(4),
    ]
    with load_shares(files) as cohort:
        assert [s.student for s in cohort.shares] == [student(1), student(2), student(4)]
        (error,) = cohort.errors
        assert str(error) == "bad.parquet: row 1, column 'on_date': a step date that is not a date"
        dated = "SELECT count(*) FROM events WHERE owner_id = ? AND on_date IS NOT NULL"
        assert cohort.store.value(dated, [2]) > 0


def test_errors_keep_the_order_the_files_were_given_in() -> None:
    names = ["z.csv", "m.parquet", "a.parquet"]
    files = [("z.csv", b"x"), ("m.parquet", share_bytes([], student="")),
             ("a.parquet", share_bytes([], version="99"))]  # fmt: skip
    with load_shares([*files, good(1)]) as cohort:
        assert [e.file for e in cohort.errors] == names


@pytest.mark.parametrize("batch_rows", [1, 30, 10_000])
def test_loading_in_batches_gives_the_same_cohort(monkeypatch, batch_rows: int) -> None:
    older = share_bytes(random_log(9), student=student(2), created_at=CREATED - 30 * DAY)
    files = [good(i) for i in range(1, 6)] + [("older.parquet", older)]
    with load_shares(files) as whole:
        expected = collect_facts(whole, AS_OF)
    monkeypatch.setattr(cohort_shares, "_BATCH_ROWS", batch_rows)
    with load_shares(files) as batched:
        assert batched.replaced == 1
        assert [s.file for s in batched.shares] == [s.file for s in whole.shares]
        ids = "SELECT count(DISTINCT id), max(id), count(*) FROM {}"
        for table in ("contacts", "events"):
            counted = batched.store.first(ids.format(table))
            assert counted[0] == counted[1] == counted[2]  # ids unique, none skipped
        # every step is with a contact of its own owner (the cohort's counts rely on it)
        strays = """SELECT count(*) FROM events e LEFT JOIN contacts c ON c.id = e.contact_id
                    WHERE c.owner_id IS DISTINCT FROM e.owner_id"""
        assert batched.store.value(strays) == 0
        facts = collect_facts(batched, AS_OF)
    assert facts.reached.equals(expected.reached)
    assert facts.gaps.equals(expected.gaps)
    assert facts.referrals.equals(expected.referrals)


def test_a_cohort_keeps_its_steps_compressed_batch_after_batch(monkeypatch) -> None:
    # Stored plain, 2,000 students' contacts and steps take ~90 MB; compressed, ~9 MB.
    monkeypatch.setattr(cohort_shares, "_BATCH_ROWS", 30)
    plain = """SELECT count(*) FROM pragma_storage_info('cohort_rows.cohort_events')
               WHERE segment_type <> 'VALIDITY' AND compression = 'Uncompressed'"""
    with load_shares([good(i) for i in range(1, 6)]) as cohort:
        assert cohort.store.value("SELECT count(DISTINCT owner_id) FROM events") == 5
        assert cohort.store.value(plain) == 0


def test_a_failure_while_storing_a_batch_is_raised_not_lost(monkeypatch) -> None:
    # The rows are stored on a second thread: its error must reach the caller.
    monkeypatch.setattr(cohort_shares, "_BATCH_ROWS", 30)
    monkeypatch.setattr(cohort_shares, "_INSERT_EVENTS", "INSERT INTO no_such_table VALUES (1)")
    with pytest.raises(WorkspaceError, match="no_such_table"):
        load_shares([good(i) for i in range(1, 6)])


def test_padded_words_and_blank_ones_are_read_as_the_writer_would_have_put_them() -> None:
    a, b = "a" * 24, "b" * 24
    rows = contact(a, [(" outreach ", AS_OF)], status=" contacted", industry="finance\t")
    rows += contact(b, source=" ", status="  ")
    with load_shares([("padded.parquet", share_bytes(rows))]) as cohort:
        assert not cohort.errors
        assert cohort.store.rows("SELECT kind FROM events") == [("outreach",)]
        assert cohort.store.rows(
            "SELECT name, source, industry, status FROM contacts ORDER BY name"
        ) == [(a, "linkedin", "finance", "contacted"), (b, "unknown", "technology", None)]


def test_a_cohort_has_every_column_of_a_workspace() -> None:
    columns = "SELECT table_name, column_name, data_type FROM information_schema.columns {}"
    where = "WHERE table_name IN ('contacts', 'events') ORDER BY table_name, ordinal_position"
    workspace = open_memory_workspace()
    try:
        expected = workspace.rows(columns.format(where))
    finally:
        workspace.close()
    with load_shares([good(1)]) as cohort:
        assert cohort.store.rows(columns.format(where)) == expected
        origins = "SELECT DISTINCT origin, name = name_key FROM {}"
        assert cohort.store.rows(origins.format("contacts")) == [("share", True)]


def test_a_contact_whose_rows_are_apart_is_still_one_contact() -> None:
    a, b, c = "a" * 24, "b" * 24, "c" * 24
    first = contact(a, [("outreach", AS_OF - 9 * DAY)], industry="finance", referred_by=c)
    later = contact(a, [("response", AS_OF - 5 * DAY)], industry="law", status="responded")
    rows = first + contact(b, [("outreach", AS_OF)], referred_by=a) + later
    with load_shares([("apart.parquet", share_bytes(rows))]) as cohort:
        assert not cohort.errors
        assert cohort.store.rows(
            "SELECT c.name, c.industry, c.status, r.name FROM contacts c "
            "LEFT JOIN contacts r ON r.id = c.referred_by_id ORDER BY c.id"
        ) == [(a, "finance", "responded", c), (b, "technology", None, a), (c, None, None, None)]
        assert cohort.store.rows(
            "SELECT c.name, e.kind FROM events e JOIN contacts c ON c.id = e.contact_id "
            "ORDER BY e.id"
        ) == [(a, "outreach"), (b, "outreach"), (a, "response")]
