"""The Cohort page: an empty state that explains shares, statistics, and bad files."""

from __future__ import annotations

from tests.samples.shares import random_log, share_bytes

PARQUET = "application/vnd.apache.parquet"


def uploads(sizes: dict[str, int]) -> list[tuple[str, bytes, str]]:
    files = []
    i = 0
    for programme, size in sizes.items():
        for _ in range(size):
            i += 1
            data = share_bytes(random_log(i), student=f"s-{i:016x}", programme=programme)
            files.append((f"s{i}.infoint-share.parquet", data, PARQUET))
    return files


def texts(at) -> str:
    return " ".join(
        str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at, kind)
    )


def test_the_empty_state_explains_what_a_share_is(page, empty_workspace) -> None:
    at = page("cohort").run()
    assert not at.exception
    assert at.title[0].value == "Cohort"
    assert "What is a share?" in at.info[0].value
    assert at.get("file_uploader")
    assert not at.metric and not at.error


def test_uploaded_shares_show_the_statistics_with_small_groups_withheld(
    page, empty_workspace
) -> None:
    at = page("cohort").run()
    at.get("file_uploader")[0].set_value(uploads({"MSc A": 14, "MSc B": 12, "MSc C": 3}))
    at.run()
    assert not at.exception, at.exception
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Students"] == "29"
    assert {"Funnel", "Follow-up gaps", "Activity per month", "Reports"} <= {
        s.value for s in at.subheader}  # fmt: skip
    assert len(at.get("download_button")) == 2

    at.segmented_control[0].set_value("By programme").run()
    assert not at.exception
    funnel = at.dataframe[1].value
    small = funnel[funnel["Programme"] == "MSc C"]
    assert set(small["Contacts reached"]) == {"fewer than 10"}
    assert set(funnel[funnel["Programme"] == "MSc B"]["Contacts reached"]) == {"fewer than 10"}
    assert "fewer than 10" not in set(funnel[funnel["Programme"] == "MSc A"]["Contacts reached"])
    assert "held back so that one that does cannot be worked out" in texts(at)


def test_the_smallest_group_shown_can_be_raised_but_not_below_five(page, empty_workspace) -> None:
    at = page("cohort").run()
    at.get("file_uploader")[0].set_value(uploads({"MSc A": 14, "MSc B": 12}))
    at.run()
    assert at.number_input[0].min == 5
    at.number_input[0].set_value(13).run()
    assert not at.exception
    funnel = at.dataframe[1].value
    assert set(funnel["Contacts reached"]) != {"fewer than 13"}  # the whole cohort still shows
    at.segmented_control[0].set_value("By programme").run()
    funnel = at.dataframe[1].value
    assert set(funnel[funnel["Programme"] == "MSc B"]["Contacts reached"]) == {"fewer than 13"}


def test_a_bad_file_among_good_ones_is_named_and_the_rest_load(page, empty_workspace) -> None:
    at = page("cohort").run()
    files = uploads({"MSc A": 11})
    files.insert(3, ("notes.csv", b"name,email\nAda,ada@example.org\n", "text/csv"))
    files.append(("future.parquet", share_bytes([], version="99"), PARQUET))
    at.get("file_uploader")[0].set_value(files)
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 2
    assert "notes" in errors[0] and "not a share" in errors[0]
    assert "future" in errors[1] and "version" in errors[1]
    assert {m.label: m.value for m in at.metric}["Students"] == "11"


def test_only_bad_files_show_why_and_nothing_else(page, empty_workspace) -> None:
    at = page("cohort").run()
    at.get("file_uploader")[0].set_value([("notes.csv", b"name\nAda\n", "text/csv")])
    at.run()
    assert not at.exception
    assert "notes" in at.error[0].value
    assert "no share could be read" in at.error[-1].value
    assert not at.metric
