"""What a person would write instead: pandas in a notebook, and openpyxl for a workbook.

Written as people write them, not as a straw man: row by row where that is how the
rule reads (a student's funnel and gaps: "for each event…", "for each contact…"), one
file at a time for shares (each carries its student in its metadata), vectorised
pandas for the aggregates. The rules are CONTRACT §2-§3 as the product applies them,
so each baseline's answer is checked against ours (``agrees``) before its time counts.

Each baseline starts where ours starts: the student's log already loaded (ours reads it
from the workspace, the notebook from a DataFrame in memory, which favours the
notebook), the tracker and the shares as files.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq

STAGES = [
    "identified",
    "contacted",
    "responded",
    "scheduled",
    "interviewed",
    "thanked",
    "followed_up",
]
KIND_RANK = {"outreach": 1, "response": 2, "declined": 2, "thank_you": 5, "follow_up": 6}
STATUS_RANK = {stage: rank for rank, stage in enumerate(STAGES)} | {"declined": 2}
ANSWERS = ("response", "declined", "meeting", "inbound")
ANSWERED_STATUSES = (*STAGES[2:], "declined")
INTERVIEWED = 4
GRACE_DAYS, TRY_ANOTHER, COLD_DAYS, LOOKAHEAD = 1, 3, 90, 7
RULES = ("thank_you_overdue", "no_response", "referral_unreported", "gone_cold")
MIN_CELL = 10


# A student's funnel, row by row ----------------------------------------------------------


def notebook_funnel(contacts: pd.DataFrame, events: pd.DataFrame, as_of: date) -> list[int]:
    """``reached`` per stage, the way the rule reads: for each event, the stage it shows."""
    stage, _declined = furthest_stages_by_row(contacts, events, as_of)
    return [sum(1 for rank in stage.values() if rank >= s) for s in range(len(STAGES))]


def furthest_stages_by_row(
    contacts: pd.DataFrame, events: pd.DataFrame, as_of: date
) -> tuple[dict[int, int], set[int]]:
    """Each contact's furthest stage (and who declined), one event at a time."""
    best = {}
    declined = set()
    for _, contact in contacts.iterrows():
        best[contact["id"]] = STATUS_RANK.get(contact["status"], 0)
        if contact["status"] == "declined":
            declined.add(contact["id"])
    only_future: dict[int, bool] = {}
    for _, event in events.iterrows():
        if event["kind"] == "meeting":
            future = event["on_date"] is not None and event["on_date"] > as_of
            only_future[event["contact_id"]] = only_future.get(event["contact_id"], True) and future
    known = []
    for _, event in events.iterrows():
        on = event["on_date"]
        if (
            (on is not None and on <= as_of)
            or event["kind"] == "meeting"
            or (on is None and not only_future.get(event["contact_id"], False))
        ):
            known.append(event)
    thanked: dict[int, date] = {}
    for event in known:
        if event["kind"] == "thank_you" and event["on_date"] is not None:
            cid = event["contact_id"]
            thanked[cid] = min(thanked.get(cid, event["on_date"]), event["on_date"])
    for event in known:
        cid, kind, on = event["contact_id"], event["kind"], event["on_date"]
        if kind == "meeting":
            rank = INTERVIEWED if on is not None and on <= as_of else 3
        elif cid in thanked and on is not None and on > thanked[cid] and kind != "thank_you":
            rank = 6
        else:
            rank = KIND_RANK.get(kind, 0)
        best[cid] = max(best.get(cid, 0), rank)
        if kind == "declined":
            declined.add(cid)
    return best, declined


# A student's gaps, contact by contact ------------------------------------------------------


def notebook_gaps(contacts: pd.DataFrame, events: pd.DataFrame, as_of: date) -> dict[str, int]:
    """How many gaps of each rule: the events gathered per contact in one pass, then for
    each contact its events checked against each rule."""
    stage, declined = furthest_stages_by_row(contacts, events, as_of)
    counts = dict.fromkeys((*RULES, "unprepared_meeting"), 0)
    status = dict(zip(contacts["id"], contacts["status"], strict=True))
    referrer = dict(zip(contacts["id"], contacts["referred_by_id"], strict=True))
    by_contact: dict[int, list[Any]] = {}
    for event in events.itertuples(index=False):
        by_contact.setdefault(event.contact_id, []).append(event)
    for cid, steps in by_contact.items():
        dated = [s for s in steps if s.on_date is not None and s.on_date <= as_of]
        meetings = [s.on_date for s in dated if s.kind == "meeting"]
        if meetings:
            met = max(meetings)
            thanked = any(
                s.kind == "thank_you" and (s.on_date is None or met <= s.on_date <= as_of)
                for s in steps
            )
            if not thanked and (as_of - met).days > GRACE_DAYS:
                counts["thank_you_overdue"] += 1
        outreach = [s.on_date for s in dated if s.kind == "outreach"]
        if outreach:
            reached = max(outreach)
            answered = any(
                s.kind in ANSWERS
                and (
                    s.on_date is None
                    or (s.on_date >= reached and (s.on_date <= as_of or s.kind == "meeting"))
                )
                for s in steps
            )
            said_so = status.get(cid) in ANSWERED_STATUSES and not any(
                s.kind in ANSWERS and s.on_date is not None for s in steps
            )
            waited = np.busday_count(reached + timedelta(days=1), as_of + timedelta(days=1))
            if not answered and not said_so and waited >= TRY_ANOTHER:
                counts["no_response"] += 1
        last_touch = max((s.on_date for s in dated), default=None)
        if (
            stage.get(cid, 0) >= INTERVIEWED
            and last_touch
            and (as_of - last_touch).days >= COLD_DAYS
        ):
            counts["gone_cold"] += 1
        coming = {
            s.on_date
            for s in steps
            if s.kind == "meeting"
            and s.on_date is not None
            and as_of <= s.on_date <= as_of + timedelta(days=LOOKAHEAD)
        }
        counts["unprepared_meeting"] += len(coming)  # the benchmark's log has no prep plans
    for cid, by in referrer.items():
        if pd.isna(by) or by not in referrer:
            continue
        if stage.get(cid, 0) < INTERVIEWED and cid not in declined:
            continue
        steps = by_contact.get(cid, [])
        dated = [s for s in steps if s.on_date is not None and s.on_date <= as_of]
        met = min((s.on_date for s in dated if s.kind == "meeting"), default=None)
        no = min((s.on_date for s in dated if s.kind == "declined"), default=None)
        settled = met or no or max((s.on_date for s in dated), default=None)
        if settled is None:
            continue
        told = any(
            r.kind == "outcome_report"
            and r.about_contact_id == cid
            and (r.on_date is None or settled <= r.on_date <= as_of)
            for r in by_contact.get(by, [])
        )
        if not told:
            counts["referral_unreported"] += 1
    return counts


# The tracker, with openpyxl --------------------------------------------------------------


def openpyxl_tracker(data: bytes) -> pd.DataFrame:
    """Every sheet's rows under its first row's headers, in one DataFrame."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    frames = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            continue
        records = [dict(zip(header, row, strict=False)) for row in rows if any(row)]
        frames.append(pd.DataFrame(records))
    workbook.close()
    return pd.concat(frames, ignore_index=True)


# Cohort statistics ---------------------------------------------------------------------


def read_share_files(paths: Iterable[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every share's rows with its student, and one row per student (the newest share)."""
    frames, students = [], []
    for path in paths:
        table = pq.read_table(path)
        meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
        frame = table.to_pandas()
        frame["student"] = meta["student"]
        frames.append(frame)
        students.append(
            {
                "student": meta["student"],
                "programme": meta.get("programme"),
                "year": meta.get("graduation_year"),
                "as_of": meta["as_of"],
                "created_at": meta["created_at"],
            }
        )
    info = pd.DataFrame(students).sort_values("created_at").drop_duplicates("student", keep="last")
    info["as_of"] = pd.to_datetime(info["as_of"])
    rows = pd.concat(frames, ignore_index=True)
    rows["on_date"] = pd.to_datetime(rows["on_date"])
    return rows, info


def cohort_statistics(paths: list[Path], *, per_student: bool = True) -> dict[str, Any]:
    """The cohort's figures by programme: read every share, work out each student's
    figures (``per_student``: one student at a time, as a notebook loops over files;
    else all at once, as a pandas expert would), then aggregate."""
    return statistics_of(*read_share_files(paths), per_student=per_student)


def statistics_of(
    rows: pd.DataFrame, info: pd.DataFrame, *, per_student: bool = True
) -> dict[str, Any]:
    """``cohort_statistics`` of shares already read (``read_share_files``)."""
    info = info.copy()
    day = info["as_of"].max()
    info["judged_on"] = info["as_of"].clip(upper=day)
    rows = rows.merge(info[["student", "judged_on"]], on="student")
    if per_student:
        parts = [student_figures(group, day) for _, group in rows.groupby("student", sort=False)]
        figures = {key: pd.concat([p[key] for p in parts]) for key in parts[0]}
    else:
        figures = student_figures(rows, day)
    return aggregate(info, figures)


def student_figures(rows: pd.DataFrame, day: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """Per student: contacts reaching each stage, thank-you delays, gaps per rule, the
    referral counts and last year's steps per month, for the students in ``rows``."""
    keys = ["student", "contact"]
    as_of = rows["judged_on"]
    contacts = rows.drop_duplicates(keys)[[*keys, "status", "referred_by", "judged_on"]]
    events = rows[rows["kind"].notna()]
    meeting = events["kind"] == "meeting"
    future = (
        (events.loc[meeting, "on_date"] > events.loc[meeting, "judged_on"])
        .groupby([events.loc[meeting, "student"], events.loc[meeting, "contact"]])
        .all()
        .rename("only_future")
    )
    ev = events.join(future, on=keys)
    ev["only_future"] = ev["only_future"].fillna(False).astype(bool)
    known = ev[
        (ev["on_date"] <= ev["judged_on"])
        | (ev["kind"] == "meeting")
        | (ev["on_date"].isna() & ~ev["only_future"])
    ].copy()
    thanks = known[known["kind"] == "thank_you"].groupby(keys)["on_date"].min().rename("thanked")
    known = known.join(thanks, on=keys)
    is_meeting = known["kind"] == "meeting"
    known["rank"] = np.select(
        [
            is_meeting & (known["on_date"] <= known["judged_on"]),
            is_meeting,
            (known["on_date"] > known["thanked"]) & (known["kind"] != "thank_you"),
        ],
        [INTERVIEWED, 3, 6],
        default=known["kind"].map(KIND_RANK).fillna(0),
    )
    best = known.groupby(keys)["rank"].max()
    said_no = known[known["kind"] == "declined"].groupby(keys).size().rename("said_no")
    contacts = contacts.join(best, on=keys).join(said_no, on=keys)
    contacts["stage"] = np.maximum(
        contacts["rank"].fillna(0), contacts["status"].map(STATUS_RANK).fillna(0)
    ).astype(int)
    contacts["declined"] = contacts["said_no"].notna() | (contacts["status"] == "declined")
    reached = (
        pd.DataFrame({s: contacts["stage"] >= rank for rank, s in enumerate(STAGES)})
        .groupby(contacts["student"])
        .sum()
    )

    dated = events[events["on_date"] <= events["judged_on"]]
    firsts = dated.pivot_table(index=keys, columns="kind", values="on_date", aggfunc="min")
    thank_days = (firsts.get("thank_you") - firsts.get("meeting")).dt.days.dropna()
    thank_days = thank_days[thank_days >= 0].rename("days").reset_index()[["student", "days"]]

    gaps = _gaps(contacts, events, dated, keys)
    referrers = contacts.dropna(subset=["referred_by"])[["student", "referred_by"]]
    referrers = referrers.drop_duplicates().rename(columns={"referred_by": "contact"})
    referrers["referrer"] = True
    interviewed = contacts[contacts["stage"] >= INTERVIEWED].merge(referrers, on=keys, how="left")
    referrals = pd.DataFrame(
        {
            "interviewed": interviewed.groupby("student").size(),
            "referred_someone": interviewed.groupby("student")["referrer"].count(),
            "introductions": contacts.groupby("student")["referred_by"].count(),
        }
    )
    first_month = (day - pd.DateOffset(months=11)).replace(day=1)
    steps = events[
        events["kind"].isin(["outreach", "meeting", "thank_you"])
        & (events["on_date"] >= first_month)
        & (events["on_date"] <= events["judged_on"])
    ]
    activity = steps.groupby(["student", steps["on_date"].dt.strftime("%Y-%m"), "kind"]).size()
    since = day - pd.Timedelta(days=30)
    outreach = events[
        (events["kind"] == "outreach")
        & (events["on_date"] > since)
        & (events["on_date"] <= events["judged_on"])
    ]
    active = pd.Series(True, index=outreach["student"].unique(), name="active")
    del as_of
    return {
        "reached": reached,
        "thank_days": thank_days,
        "gaps": gaps,
        "referrals": referrals,
        "activity": activity.rename("steps").reset_index(),
        "active": active.to_frame(),
    }


def _gaps(
    contacts: pd.DataFrame, events: pd.DataFrame, dated: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    """Gaps per student and rule (the cohort's four rules, default thresholds)."""
    found = {}
    last_met = dated[dated["kind"] == "meeting"].groupby(keys)["on_date"].max().rename("met")
    thanks = events[events["kind"] == "thank_you"].merge(last_met.reset_index(), on=keys)
    closed = thanks[
        thanks["on_date"].isna()
        | ((thanks["on_date"] >= thanks["met"]) & (thanks["on_date"] <= thanks["judged_on"]))
    ]
    met = last_met.reset_index().merge(contacts[[*keys, "judged_on"]], on=keys)
    met = met[(met["judged_on"] - met["met"]).dt.days > GRACE_DAYS]
    open_ = met.merge(closed[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    found["thank_you_overdue"] = open_[open_["_merge"] == "left_only"]["student"]

    last_out = dated[dated["kind"] == "outreach"].groupby(keys)["on_date"].max().rename("out")
    answers = events[events["kind"].isin(ANSWERS)].merge(last_out.reset_index(), on=keys)
    answered = answers[
        answers["on_date"].isna()
        | (
            (answers["on_date"] >= answers["out"])
            & ((answers["on_date"] <= answers["judged_on"]) | (answers["kind"] == "meeting"))
        )
    ]
    any_dated = events[events["kind"].isin(ANSWERS) & events["on_date"].notna()][keys]
    waiting = last_out.reset_index().merge(contacts, on=keys)
    waiting = waiting.merge(answered[keys].drop_duplicates(), on=keys, how="left", indicator="a")
    waiting = waiting.merge(any_dated.drop_duplicates(), on=keys, how="left", indicator="d")
    said_so = waiting["status"].isin(ANSWERED_STATUSES) & (waiting["d"] == "left_only")
    days = np.busday_count(
        (waiting["out"] + pd.Timedelta(days=1)).values.astype("datetime64[D]"),
        (waiting["judged_on"] + pd.Timedelta(days=1)).values.astype("datetime64[D]"),
    )
    found["no_response"] = waiting[
        (waiting["a"] == "left_only") & ~said_so & (days >= TRY_ANOTHER)
    ]["student"]

    last_touch = dated.groupby(keys)["on_date"].max().rename("touched")
    cold = contacts[contacts["stage"] >= INTERVIEWED].merge(last_touch.reset_index(), on=keys)
    found["gone_cold"] = cold[(cold["judged_on"] - cold["touched"]).dt.days >= COLD_DAYS]["student"]

    # the day a referral played out: the interview, else the no, else the last step
    settled = (
        dated.groupby(keys)["on_date"]
        .max()
        .to_frame("last")
        .join(
            dated.pivot_table(index=keys, columns="kind", values="on_date", aggfunc="min").reindex(
                columns=["meeting", "declined"]
            )
        )
    )
    settled["settled"] = settled["meeting"].fillna(settled["declined"]).fillna(settled["last"])
    settled = settled["settled"].reset_index()
    referred = contacts[
        contacts["referred_by"].notna()
        & ((contacts["stage"] >= INTERVIEWED) | contacts["declined"])
    ]
    referred = referred.merge(settled, on=keys)
    reports = events[events["kind"] == "outcome_report"][["student", "contact", "about", "on_date"]]
    told = referred.merge(
        reports,
        left_on=["student", "referred_by", "contact"],
        right_on=["student", "contact", "about"],
        suffixes=("", "_r"),
    )
    told = told[
        told["on_date"].isna()
        | ((told["on_date"] >= told["settled"]) & (told["on_date"] <= told["judged_on"]))
    ]
    referred = referred.merge(told[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    found["referral_unreported"] = referred[referred["_merge"] == "left_only"]["student"]
    return pd.DataFrame({rule: found[rule].value_counts() for rule in RULES}).fillna(0).astype(int)


def aggregate(info: pd.DataFrame, figures: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Figures per programme and for everyone; groups under ``MIN_CELL`` students blank."""
    students = info.set_index("student")[["programme"]]
    reached = figures["reached"].reindex(students.index, fill_value=0)
    gaps = figures["gaps"].reindex(students.index, fill_value=0)
    referrals = figures["referrals"].reindex(students.index, fill_value=0)
    thank = figures["thank_days"].merge(students, left_on="student", right_index=True)
    activity = figures["activity"].merge(students, left_on="student", right_index=True)
    active = figures["active"].reindex(students.index, fill_value=False)
    table = pd.concat(
        [
            students.groupby("programme").size().rename("students"),
            active.groupby(students["programme"])["active"].sum().rename("active"),
            reached.groupby(students["programme"]).sum().add_prefix("reached_"),
            reached.groupby(students["programme"]).median().add_prefix("median_"),
            gaps.groupby(students["programme"]).sum().add_prefix("gaps_"),
            (gaps > 0).groupby(students["programme"]).sum().add_prefix("students_gaps_"),
            referrals.groupby(students["programme"]).sum(),
            thank.groupby("programme")["days"].agg(["size", "median"]).add_prefix("thank_"),
            activity.pivot_table(index="programme", columns="kind", values="steps", aggfunc="sum"),
        ],
        axis=1,
    )
    shown = table.where(table["students"] >= MIN_CELL)
    return {
        "students": len(students),
        "funnel": [int(reached[s].sum()) for s in STAGES],
        "gaps": {rule: int(gaps[rule].sum()) for rule in RULES},
        "thank_yous": len(figures["thank_days"]),
        "by_programme": shown,
    }
