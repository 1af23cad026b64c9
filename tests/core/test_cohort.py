"""Cohort statistics: reading shares, small-cell protection, the figures and the reports."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_core.cohort import (
    ALL_STUDENTS,
    BREAKDOWNS,
    NOT_GIVEN,
    OVERALL,
    VIEWS,
    CohortFacts,
    NoShareError,
    cohort_to_json,
    collect_facts,
    display_frame,
    fewer_than,
    load_shares,
    read_cohort,
    summarise_cohort,
    view_frame,
)
from infoint_core.cohort_facts import COHORT_GAP_RULES, STAGE_NAMES, activity_months
from infoint_core.cohort_report import cohort_html, cohort_xlsx
from infoint_core.cohort_suppression import (
    MIN_CELL_DEFAULT,
    Cell,
    Relation,
    check_min_cell,
    derivable,
    suppress,
)
from infoint_core.cohort_views import FigureKind
from infoint_core.errors import InputError
from infoint_core.funnel import air_referral_share, compute_funnel
from infoint_core.gaps import default_thresholds, find_gaps
from infoint_core.referrals import referral_summary
from tests.samples.shares import (
    AS_OF,
    CREATED,
    SCHEMA,
    contact,
    parquet_bytes,
    random_log,
    share_bytes,
    zip_bytes,
)

DAY = timedelta(days=1)


def student(i: int) -> str:
    return f"s-{i:016x}"


def cohort_files(sizes: dict[str, int], *, year: int = 2027, start: int = 1) -> list:
    """One small random share per student, ``sizes`` students per programme."""
    files = []
    i = start
    for programme, size in sizes.items():
        for _ in range(size):
            data = share_bytes(random_log(i), student=student(i), programme=programme,
                               graduation_year=year)  # fmt: skip
            files.append((f"share-{i}.parquet", data))
            i += 1
    return files


# Small-cell protection ------------------------------------------------------------------


def groups_table(sizes: dict[str, int]) -> tuple[list[Cell], list[Relation]]:
    """A cohort's size split into groups: the total pinned, the groups summing to it."""
    total = ("all",)
    cells = [Cell(total, sum(sizes.values()), sum(sizes.values()), pinned=True)]
    cells += [Cell((g,), n, n) for g, n in sizes.items()]
    return cells, [Relation(total, tuple((g,) for g in sizes), positive=True)]


def test_the_smallest_group_shown_is_never_below_five() -> None:
    assert check_min_cell(5) == 5
    assert MIN_CELL_DEFAULT == 10
    for bad in (4, 0, -1, True, 7.5):
        with pytest.raises(InputError, match="at least 5"):
            check_min_cell(bad)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        suppress([], [], 3)


def test_a_small_group_and_the_next_smallest_are_withheld() -> None:
    cells, relations = groups_table({"a": 30, "b": 20, "c": 12, "d": 4})
    assert suppress(cells, relations, 10) == {("d",), ("c",)}


def test_withheld_groups_together_rest_on_enough_students() -> None:
    # 3 and 2 are both withheld, but their sum (total minus the rest) is about 5 students
    cells, relations = groups_table({"a": 30, "b": 12, "c": 3, "d": 2})
    assert suppress(cells, relations, 10) == {("b",), ("c",), ("d",)}


def test_withheld_groups_cannot_all_be_forced_to_one() -> None:
    cells, relations = groups_table({"big": 20, **{f"one{i}": 1 for i in range(5)}})
    hidden = suppress(cells, relations, 5)
    assert ("big",) in hidden  # five groups of one add up to 5 ≥ 5, yet each must be 1


def test_a_figure_about_nobody_is_shown_and_the_pinned_total_always() -> None:
    relations = [Relation(("all",), (("a",), ("b",)))]
    cells = [Cell(("all",), 20, 20, pinned=True), Cell(("a",), 0, 0), Cell(("b",), 20, 20)]
    assert suppress(cells, relations, 10) == set()
    # a lone withheld part takes even a zero beside it, never the pinned total
    cells = [Cell(("all",), 3, 3, pinned=True), Cell(("a",), 0, 0), Cell(("b",), 3, 3)]
    assert suppress(cells, relations, 10) == {("a",), ("b",)}


def test_a_figure_reached_through_several_totals_gets_another_sibling_withheld() -> None:
    # a+b, b+c and a+c are each known from a total minus shown parts: solved together
    # they give a, b and c, though no total has a lone withheld part.
    names = ["a", "b", "c", "x", "y", "z"]
    cells = [Cell((n,), 3, 3) for n in "abc"] + [Cell((n,), 40, 40) for n in "xyz"]
    cells += [Cell((t,), 46, 46) for t in ("t1", "t2", "t3")]
    relations = [
        Relation(("t1",), (("a",), ("b",), ("x",))),
        Relation(("t2",), (("b",), ("c",), ("y",))),
        Relation(("t3",), (("a",), ("c",), ("z",))),
    ]
    assert derivable(relations, {("a",), ("b",), ("c",)}) == {("a",), ("b",), ("c",)}
    hidden = suppress(cells, relations, 5)
    assert {("a",), ("b",), ("c",)} <= hidden and len(hidden) > 3
    assert not derivable(relations, hidden)
    assert not independently_derivable(relations, hidden)
    assert set(names) >= {k[0] for k in hidden}


def independently_derivable(relations, hidden) -> set:
    """Withheld figures the shown ones determine, found another way than the module's:
    a withheld figure is determined when every solution of the homogeneous system (the
    relations over the withheld figures) is zero there, i.e. every null-space vector
    is. Worked per connected group of relations, in exact fractions."""
    rows = []
    for relation in relations:
        row: dict = {}
        for key, coefficient in ((relation.total, -1), *((p, 1) for p in relation.parts)):
            if key in hidden:
                row[key] = row.get(key, 0) + coefficient
        if any(row.values()):
            rows.append(row)
    groups: list[tuple[set, list]] = []
    for row in rows:  # merge every group sharing a figure with this row
        keys, members = set(row), [row]
        for group in [g for g in groups if g[0] & keys]:
            groups.remove(group)
            keys |= group[0]
            members += group[1]
        groups.append((keys, members))
    found = set()
    for keys, members in groups:
        columns = sorted(keys)
        matrix = [[Fraction(r.get(k, 0)) for k in columns] for r in members]
        pivots = []
        for c in range(len(columns)):
            top = next((i for i in range(len(pivots), len(matrix)) if matrix[i][c]), None)
            if top is None:
                continue
            i = len(pivots)
            matrix[i], matrix[top] = matrix[top], matrix[i]
            matrix[i] = [v / matrix[i][c] for v in matrix[i]]
            for j in range(len(matrix)):
                if j != i and matrix[j][c]:
                    factor = matrix[j][c]
                    matrix[j] = [a - factor * b for a, b in zip(matrix[j], matrix[i], strict=True)]
            pivots.append(c)
        free = [c for c in range(len(columns)) if c not in pivots]
        for i, c in enumerate(pivots):  # null-space vectors are -row[f] here, 1 at f
            if all(matrix[i][f] == 0 for f in free):
                found.add(columns[c])
    return found


@st.composite
def group_tables(draw):
    """Random cohorts split two ways, with a few counts per group that add up."""
    min_cell = draw(st.integers(5, 12))
    students = draw(st.integers(min_cell, 60))
    splits = [draw(st.lists(st.integers(0, 5), min_size=students, max_size=students))
              for _ in range(2)]  # fmt: skip
    counts = [draw(st.lists(st.integers(0, 3), min_size=students, max_size=students))
              for _ in range(3)]  # fmt: skip
    cells: dict[tuple, Cell] = {}
    relations = []

    def add(key, members, figure):
        value = len(members) if figure is None else sum(counts[figure][s] for s in members)
        basis = len(members) if figure is None else sum(counts[figure][s] > 0 for s in members)
        cells[key] = Cell(key, value, basis, pinned=key == ("all", "size"))

    everyone = range(students)
    for figure in (None, 0, 1, 2):
        add(("all", str(figure) if figure is not None else "size"), everyone, figure)
    for b, split in enumerate(splits):
        groups = sorted(set(split))
        for figure in (None, 0, 1, 2):
            name = "size" if figure is None else str(figure)
            parts = []
            for g in groups:
                key = (f"{b}:{g}", name)
                add(key, [s for s in everyone if split[s] == g], figure)
                parts.append(key)
            relations.append(Relation(("all", name), tuple(parts), positive=figure is None))
    return min_cell, list(cells.values()), relations


@settings(max_examples=150, deadline=None)
@given(group_tables())
def test_property_no_shown_figure_rests_on_too_few_nor_gives_a_withheld_one_away(table) -> None:
    min_cell, cells, relations = table
    hidden = suppress(cells, relations, min_cell)
    for cell in cells:
        if cell.key not in hidden and not cell.pinned:
            assert cell.students == 0 or cell.students >= min_cell, cell
    assert not independently_derivable(relations, hidden)
    by_key = {c.key: c for c in cells}
    for relation in relations:  # what the withheld parts add up to is shown in effect
        if relation.total not in hidden:
            withheld = [p for p in relation.parts if p in hidden]
            together = sum(by_key[p].students for p in withheld)
            assert together == 0 or together >= min_cell


# Reading shares -------------------------------------------------------------------------


def test_a_share_is_rebuilt_as_a_workspace_the_read_outs_run_on() -> None:
    rows = random_log(3, contacts=20)
    with load_shares([("mine.parquet", share_bytes(rows, student=student(3)))]) as cohort:
        assert not cohort.errors
        (share,) = cohort.shares
        assert (share.student, share.programme, share.graduation_year) == (
            student(3), "MSc Data Science", 2027)  # fmt: skip
        owner = cohort.owner_ids[student(3)]
        assert cohort.store.value("SELECT count(*) FROM contacts") == 20
        facts = collect_facts(cohort)
        funnel = compute_funnel(cohort.store, owner, AS_OF)
        assert facts.reached["reached"].to_list() == funnel["reached"].to_list()
        gaps = find_gaps(cohort.store, owner, AS_OF, default_thresholds())
        counted = dict(facts.gaps.select("rule", "gaps").iter_rows())
        for rule in COHORT_GAP_RULES:
            assert counted[rule.key] == gaps.filter(pl.col("rule") == rule.key).height
        referrals = facts.referrals.row(0, named=True)
        air = air_referral_share(cohort.store, owner, AS_OF).row(0, named=True)
        summary = referral_summary(cohort.store, owner, AS_OF)
        assert referrals["interviewed"] == air["interviewed"]
        assert referrals["referred_someone"] == air["referred_someone"]
        assert referrals["introductions"] == summary["edges"]


def test_referrers_and_report_subjects_without_rows_of_their_own_become_contacts() -> None:
    rows = contact("b" * 24, [("meeting", AS_OF - 9 * DAY)], referred_by="a" * 24)
    rows += contact("c" * 24, [("outcome_report", AS_OF - DAY)], about={0: "d" * 24})
    with load_shares([("x.parquet", share_bytes(rows))]) as cohort:
        names = cohort.store.rows("SELECT name, source FROM contacts ORDER BY name")
        assert [n for n, _ in names] == ["a" * 24, "b" * 24, "c" * 24, "d" * 24]
        assert cohort.store.value(
            "SELECT count(*) FROM events WHERE about_contact_id IS NOT NULL") == 1  # fmt: skip


def test_the_newer_share_of_a_student_replaces_the_older_in_any_order() -> None:
    old = share_bytes(random_log(1, contacts=5), student=student(1),
                      created_at=CREATED - timedelta(days=30))  # fmt: skip
    new = share_bytes(random_log(2, contacts=9), student=student(1), created_at=CREATED)
    other = share_bytes(random_log(3, contacts=4), student=student(2))
    for order in ([old, new, other], [new, other, old]):
        with load_shares([(f"f{i}.parquet", d) for i, d in enumerate(order)]) as cohort:
            assert cohort.replaced == 1
            assert len(cohort.shares) == 2
            assert cohort.store.value("SELECT count(*) FROM contacts") == 9 + 4
    facts = read_cohort([("a.parquet", old), ("b.parquet", new)])
    assert facts.students.height == 1 and facts.replaced == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.csv", b"name,email\nAda,ada@example.org\n",
         "not a share: an infoint share is a Parquet file"),
        ("random.parquet", parquet_bytes({"x": [1, 2, 3]}), "not an infoint share"),
        ("future.parquet", share_bytes([], version="99"),
         "share version '99' is not one this infoint reads"),
        ("empty.parquet", b"", "not a share"),
        ("broken.parquet", b"PAR1" + b"\x00" * 40 + b"PAR1", "cannot be read"),
        ("no-student.parquet", share_bytes([], student=""), "names no student"),
        ("bad-day.parquet", share_bytes([], extra={"as_of": "yesterday"}),
         "as_of 'yesterday' is not a date"),
        ("bad-year.parquet", share_bytes([], graduation_year="soon"), "graduation_year 'soon'"),
        ("no-column.parquet", parquet_bytes({"contact": ["a"]}, {"infoint_share_version": "1",
         "student": "s-1", "as_of": "2026-11-21", "created_at": "2026-11-21T00:00:00+00:00"}),
         "lacks the column(s) source_category"),
        ("bad-kind.parquet", share_bytes(contact("a" * 24) + contact("b" * 24, [("lunch", AS_OF)])),
         "row 2, column 'kind': a step kind the format lacks: 'lunch'"),
        ("loop.parquet", share_bytes(contact("a" * 24, referred_by="b" * 24)
                                     + contact("b" * 24, referred_by="a" * 24)),
         "referral links go round in a circle"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_readable_share_gets_one_clear_line(name, data, message) -> None:
    good = share_bytes(random_log(1), student=student(1))
    with load_shares([(name, data), ("good.parquet", good)]) as cohort:
        assert [s.file for s in cohort.shares] == ["good.parquet"]
        (error,) = cohort.errors
        assert error.file == name
        assert message in error.reason
        assert "\n" not in str(error)


def test_zips_and_folders_of_shares_are_read_and_their_clutter_skipped(tmp_path: Path) -> None:
    one, two, three = (share_bytes(random_log(i), student=student(i)) for i in (1, 2, 3))
    (tmp_path / "inbox" / "week 2").mkdir(parents=True)
    (tmp_path / "inbox" / "one.parquet").write_bytes(one)
    (tmp_path / "inbox" / "week 2" / "two.zip").write_bytes(
        zip_bytes({"two.parquet": two, "__MACOSX/._two.parquet": b"junk", "notes.txt": b"hi"})
    )
    (tmp_path / "inbox" / ".DS_Store").write_bytes(b"\x00\x01")
    nested = zip_bytes({"inner.zip": zip_bytes({"three.parquet": three})})
    with load_shares([tmp_path / "inbox", ("all.zip", nested), tmp_path / "missing"]) as cohort:
        assert len(cohort.shares) == 3
        assert {e.file for e in cohort.errors} == {
            str(tmp_path / "inbox" / "week 2" / "two.zip") + "/notes.txt",
            str(tmp_path / "missing"),
        }
        assert "no such file or folder" in cohort.errors[-1].reason


def test_a_broken_zip_is_one_error() -> None:
    with load_shares([("shares.zip", b"PK\x03\x04 not really a zip")]) as cohort:
        assert not cohort.shares
        assert "the zip cannot be read" in cohort.errors[0].reason


def test_nothing_readable_is_an_error_that_lists_every_file() -> None:
    with pytest.raises(NoShareError, match="no share could be read") as caught:
        read_cohort([("a.csv", b"x"), ("b.parquet", parquet_bytes({"x": [1]}))])
    assert [e.file for e in caught.value.errors] == ["a.csv", "b.parquet"]
    assert isinstance(caught.value, InputError)


def test_dates_written_as_text_are_read_too() -> None:
    on_date = SCHEMA.get_field_index("on_date")
    schema = SCHEMA.set(on_date, SCHEMA.field("on_date").with_type(pa.string()))
    rows = [{**r, "on_date": None if r["on_date"] is None else r["on_date"].isoformat()}
            for r in random_log(4)]  # fmt: skip
    with load_shares([("text-dates.parquet", share_bytes(rows, schema=schema))]) as cohort:
        assert not cohort.errors
        assert cohort.store.value("SELECT count(*) FROM events WHERE on_date IS NOT NULL")
    bad = [{**rows[0], "on_date": "last week"}]
    with load_shares([("bad.parquet", share_bytes(bad, schema=schema))]) as cohort:
        assert "row 1, column 'on_date'" in cohort.errors[0].reason


# The figures ----------------------------------------------------------------------------


def test_programmes_are_grouped_whatever_their_case_and_spacing() -> None:
    files = cohort_files({"MSc Data Science": 6, "msc  data science": 5, " MSc Data Science ": 1})
    files += cohort_files({"": 2}, start=20)
    facts = read_cohort(files)
    assert sorted(facts.students["programme"].unique()) == ["MSc Data Science", NOT_GIVEN]


def test_a_small_programme_and_the_next_smallest_are_withheld_whole() -> None:
    facts = read_cohort(cohort_files({"Big": 25, "Middle": 14, "Tiny": 3}))
    summary = summarise_cohort(facts)
    result = cohort_to_json(summary, "programme")
    groups = {g["group"]: g for g in result["groups"]}
    assert result["students"] == 42 and result["by"] == "programme"
    assert groups["Big"]["students"] == 25 and not groups["Big"]["suppressed"]
    for name in ("Tiny", "Middle"):
        assert groups[name] | {"funnel": None} == {
            **groups[name], "students": None, "suppressed": True, "funnel": None}  # fmt: skip
        assert all(r["reached"] is None and r["suppressed"] for r in groups[name]["funnel"])
        assert groups[name]["active"]["withheld"] == ["active_students", "share"]
    assert [row["stage"] for row in result["funnel"]] == STAGE_NAMES
    assert set(result["funnel"][0]) == {"stage", "reached", "conversion", "suppressed"}
    text = display_frame(summary, "active", "programme")
    assert text.filter(pl.col("Programme") == "Tiny")["Active students"][0] == fewer_than(10)


def test_the_summed_funnel_is_every_students_funnel_added_up() -> None:
    files = cohort_files({"A": 12})
    summary = summarise_cohort(read_cohort(files))
    expected = [0] * 7
    with load_shares(files) as cohort:
        for owner in cohort.owner_ids.values():
            reached = compute_funnel(cohort.store, owner, AS_OF)["reached"].to_list()
            expected = [a + b for a, b in zip(expected, reached, strict=True)]
    funnel = view_frame(summary, "funnel")
    assert funnel["withheld"].list.len().sum() == 0  # 12 students, each with every stage
    assert funnel["reached"].to_list() == expected


def thank_you_share(i: int, days: list[int | None], *, as_of: date = AS_OF, **kwargs) -> tuple:
    rows = []
    for n, wait in enumerate(days):
        met = as_of - 20 * DAY
        steps = [("outreach", met - 5 * DAY), ("meeting", met)]
        steps.append(("thank_you", None if wait is None else met + wait * DAY))
        rows += contact(f"{i:04d}{n:020d}", steps)
    return f"s{i}.parquet", share_bytes(rows, student=student(i), as_of=as_of, **kwargs)


def test_days_to_thank_you_leave_undated_ones_out() -> None:
    files = [thank_you_share(i, [0, 1, 3, None]) for i in range(10)]
    result = cohort_to_json(summarise_cohort(read_cohort(files)))
    assert result["thank_you"] == {
        "thank_yous": 30, "median_days": 1.0, "within_one_day": 20,
        "share_within_one_day": round(20 / 30, 4), "suppressed": False,
    }  # fmt: skip


def test_active_students_have_an_outreach_in_the_last_30_days() -> None:
    recent = [thank_you_share(i, [1]) for i in range(6)]  # outreach 25 days ago
    quiet = [thank_you_share(i, [1], as_of=AS_OF - 60 * DAY) for i in range(6, 12)]
    result = cohort_to_json(summarise_cohort(read_cohort(recent + quiet), 5))
    assert result["as_of"] == AS_OF.isoformat()
    assert result["active"] == {"active_students": 6, "share": 0.5, "suppressed": False}


def test_each_student_is_judged_no_later_than_their_share() -> None:
    # interviewed 20 days before their share, thanked never: overdue on the share's day
    # already, but not judged later than it (no new overdue gaps appear afterwards)
    files = [thank_you_share(i, [], as_of=AS_OF - 100 * DAY) for i in range(10)]
    facts = read_cohort(files, as_of=AS_OF)
    assert facts.as_of == AS_OF
    assert facts.gaps.filter(pl.col("rule") == "gone_cold")["gaps"].sum() == 0


def test_students_judged_on_their_own_days_together_are_as_if_judged_alone() -> None:
    files = [
        (f"s{i}.parquet",
         share_bytes(random_log(i, contacts=30), student=student(i), as_of=AS_OF - i * 9 * DAY))
        for i in range(6)
    ]  # fmt: skip
    together = read_cohort(files, as_of=AS_OF)
    subjects = ("reached", "thank_yous", "gaps", "referrals", "activity")
    for number, file in enumerate(files, start=1):  # owner ids follow the students' order
        alone = read_cohort([file], as_of=AS_OF)
        for subject in subjects:
            mine = getattr(together, subject).filter(pl.col("student") == number)
            assert mine.drop("student").equals(getattr(alone, subject).drop("student")), subject
        assert together.students.filter(student=number)["active"].to_list() == (
            alone.students["active"].to_list()
        )
    assert together.gaps["gaps"].sum() > 0


def test_as_of_defaults_to_the_newest_share() -> None:
    files = [thank_you_share(1, [1], as_of=AS_OF - 3 * DAY), thank_you_share(2, [1])]
    assert read_cohort(files).as_of == AS_OF


# Properties over whole cohorts -----------------------------------------------------------


@st.composite
def cohort_facts(draw) -> tuple[CohortFacts, int]:
    """Synthetic facts for a random cohort (no workspace involved)."""
    min_cell = draw(st.sampled_from([5, 7, 10]))
    n = draw(st.integers(min_cell, 40))
    programmes = draw(st.lists(st.sampled_from(["A", "B", "C", "D", None]), min_size=n, max_size=n))
    years = draw(st.lists(st.sampled_from(["2026", "2027", None]), min_size=n, max_size=n))
    ids = list(range(1, n + 1))
    reached, gaps, referrals, activity, thanks = [], [], [], [], []
    months = activity_months(AS_OF)
    for s in ids:
        counts = sorted(draw(st.lists(st.integers(0, 12), min_size=7, max_size=7)), reverse=True)
        reached += [(s, stage, c) for stage, c in zip(STAGE_NAMES, counts, strict=True)]
        gaps += [(s, r.key, draw(st.integers(0, 2))) for r in COHORT_GAP_RULES]
        depth = draw(st.one_of(st.none(), st.integers(1, 3)))
        referrals.append((s, counts[4], draw(st.integers(0, counts[4])),
                          0 if depth is None else draw(st.integers(1, 4)), depth))  # fmt: skip
        thanks += [(s, d) for d in draw(st.lists(st.integers(0, 5), max_size=3))]
        busy = draw(st.sets(st.sampled_from(months), max_size=3))
        activity += [(s, m, int(m in busy), int(m in busy), 0) for m in months]
    facts = CohortFacts(
        as_of=AS_OF,
        students=pl.DataFrame({
            "student": ids,
            "programme": [p or NOT_GIVEN for p in programmes],
            "year": [y or NOT_GIVEN for y in years],
            "active": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        }),
        reached=pl.DataFrame(reached, schema=["student", "stage", "reached"], orient="row"),
        thank_yous=pl.DataFrame(thanks, schema={"student": pl.Int64, "days": pl.Int64},
                                orient="row"),
        gaps=pl.DataFrame(gaps, schema=["student", "rule", "gaps"], orient="row"),
        referrals=pl.DataFrame(referrals, schema={"student": pl.Int64, "interviewed": pl.Int64,
            "referred_someone": pl.Int64, "introductions": pl.Int64, "max_depth": pl.Int64},
            orient="row"),
        activity=pl.DataFrame(activity, schema=["student", "month", "outreach", "meetings",
                                                "thank_yous"], orient="row"),
    )  # fmt: skip
    return facts, min_cell


def published_relations(summary) -> tuple[list[Relation], set, dict]:
    """The sums an outsider can see in what is published (the views' counts), with the
    withheld figures as unknowns: groups add up to the whole cohort, bins to a group."""
    figures = summary.figures
    relations = []
    for view in VIEWS:
        for figure in view.figures:
            if figure.kind != FigureKind.COUNT:
                continue
            for row in summary.rows[view.key]:
                total = (OVERALL, ALL_STUDENTS, view.key, row, figure.key)
                for breakdown in BREAKDOWNS:
                    parts = tuple((breakdown, g, view.key, row, figure.key)
                                  for g in summary.groups(breakdown))  # fmt: skip
                    relations.append(Relation(total, parts))
    for b, g in summary.sections.select("breakdown", "group").iter_rows():
        bins = tuple((b, g, "interviews", r, "students") for r in summary.rows["interviews"])
        relations.append(Relation((b, g, "students", "", "students"), bins))
    keys = [tuple(r) for r in figures.select("breakdown", "group", "view", "row", "figure").rows()]
    hidden = {k for k, s in zip(keys, figures["suppressed"], strict=True) if s}
    return relations, hidden, dict(zip(keys, figures.iter_rows(named=True), strict=True))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohort_facts())
def test_property_every_output_withholds_small_and_derivable_figures(case) -> None:
    facts, min_cell = case
    summary = summarise_cohort(facts, min_cell)
    # no group shown is smaller than min_cell
    for row in summary.sections.iter_rows(named=True):
        if row["breakdown"] != OVERALL:
            assert row["suppressed"] == (row["students"] is None)
            assert row["suppressed"] or row["students"] >= min_cell
    # no figure shown rests on fewer than min_cell students (the cohort's size apart)
    shown = summary.figures.filter(~pl.col("suppressed") & pl.col("students").is_not_null())
    small = shown.filter((pl.col("students") > 0) & (pl.col("students") < min_cell))
    assert small.filter(pl.col("view") != "students").is_empty(), small
    # a withheld figure is null and cannot be worked out from what is shown beside it
    assert summary.figures.filter(pl.col("suppressed") & pl.col("value").is_not_null()).is_empty()
    relations, hidden, _ = published_relations(summary)
    assert not independently_derivable(relations, hidden)
    # a ratio is only shown when what it is made of is
    for view in VIEWS:
        for figure in view.figures:
            if figure.ratio is None:
                continue
            frame = view_frame(summary, view.key, "programme", with_overall=True)
            for row in frame.iter_rows(named=True):
                parts = [r.figure for r in figure.ratio if r.view is None and r.row == "same"]
                if figure.key not in row["withheld"]:
                    assert not set(parts) & set(row["withheld"])
    # and every output says the same: JSON nulls are exactly the withheld figures
    result = cohort_to_json(summary, "year")
    for group in result["groups"]:
        assert group["suppressed"] == (group["students"] is None)
        for row in group["funnel"]:
            assert (row["reached"] is None) == ("reached" in row.get("withheld", []))


def test_the_cohort_size_is_shown_even_when_small_and_nothing_else_is() -> None:
    summary = summarise_cohort(read_cohort(cohort_files({"A": 4, "B": 2})))
    result = cohort_to_json(summary, "programme")
    assert result["students"] == 6
    assert all(row["reached"] is None for row in result["funnel"] if row["stage"] == "identified")
    assert all(g["suppressed"] for g in result["groups"])


# Reports --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_summary():
    """A cohort whose programme names try formula injection and HTML injection."""
    files = cohort_files({"=HYPERLINK(\"http://evil\")": 12, "<script>alert(1)</script>": 11,
                          "Small": 3})  # fmt: skip
    return summarise_cohort(read_cohort(files))


@pytest.fixture(scope="module")
def hostile_workbook(hostile_summary):
    """The xlsx report of that cohort, rendered once (charts take a while)."""
    return openpyxl.load_workbook(io.BytesIO(cohort_xlsx(hostile_summary)))


def test_the_xlsx_report_has_a_sheet_per_view_its_charts_and_no_formulas(hostile_workbook) -> None:
    workbook = hostile_workbook
    assert workbook.sheetnames[0] == "Summary"
    assert len(workbook.sheetnames) == len(VIEWS)
    assert sum(len(sheet._images) for sheet in workbook) == 4
    texts = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str)]  # fmt: skip
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert '\'=HYPERLINK("http://evil")' in texts
    assert fewer_than(10) in texts
    funnel = workbook["Funnel"]
    assert [c.value for c in funnel[1]][:3] == ["Breakdown", "Group", "Stage"]
    assert funnel["A1"].font.bold


def test_the_html_report_escapes_what_students_typed(hostile_summary) -> None:
    page = cohort_html(hostile_summary)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("data:image/png;base64,") == 4
    assert "fewer than 10" in page and "Cohort report" in page


def test_no_report_shows_a_withheld_number(hostile_summary, hostile_workbook) -> None:
    small = view_frame(hostile_summary, "funnel", "programme").filter(pl.col("group") == "Small")
    assert small["reached"].null_count() == small.height
    rows = [[c.value for c in r] for r in hostile_workbook["Funnel"].iter_rows(min_row=2)]
    assert all(r[3] == fewer_than(10) for r in rows if r[1] == "Small")


def test_zip_of_shares_as_uploaded_bytes() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in cohort_files({"A": 3}):
            archive.writestr(f"shares/{name}", data)
    facts = read_cohort([("shares.zip", buffer.getvalue())])
    assert facts.students.height == 3
    assert facts.errors == ()


def test_created_at_without_a_zone_is_read_as_utc() -> None:
    naive = share_bytes([], student=student(1), extra={"created_at": "2026-11-20T10:00:00"})
    aware = share_bytes([], student=student(1),
                        created_at=datetime(2026, 11, 20, 11, 0, tzinfo=UTC))  # fmt: skip
    with load_shares([("aware", aware), ("naive", naive)]) as cohort:
        assert cohort.shares[0].file == "aware" and cohort.replaced == 1
