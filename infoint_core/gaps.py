"""Follow-up gaps: the steps a student owes someone, judged on ``as_of`` (CONTRACT §3).

Each rule is one declared ``GapRule`` in ``GAP_RULES``: its key, title, description,
default thresholds and one function finding its gaps. The CLI, the pages and the tests
loop over the registry, so adding a rule is one entry here. Thresholds are kept in the
workspace settings: defaults, overlaid by the workspace-wide setting, overlaid by the
owner's own.

A rule reads ``GapInputs``: the contacts' facts (``stages.facts_frame``: stage and the
step days the rules compare, kept per workspace version), the referral links, the
outcome reports and meetings, and the prep plans, each row with the day it is judged on
(``as_of``: one day for a student, each student's own in a cohort). It returns
``owner_id``, ``contact_id``, ``about_id`` (the other person a gap concerns, or null),
``since``, ``days`` and ``severity``. Events only count for the owner of their contact,
so one student's log never produces a gap for another.

The rules are Polars expressions over those frames rather than SQL: DuckDB took longer
to plan the rules' union than to run it, and the cohort counts every student's gaps
over the same frames, each judged on their own day, in one pass. Each rule's
``next_step`` sentence is a Polars expression over the rows found, so a log with
thousands of gaps costs one vectorised pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.errors import InputError
from infoint_core.records import DECLINED_STATUS, STAGES, EventKind, Stage
from infoint_core.referrals import referral_links
from infoint_core.settings import WORKSPACE, get_setting, set_setting
from infoint_core.stages import contact_facts, with_days
from infoint_core.store import Store

THRESHOLDS_KEY = "gap_thresholds"

Thresholds = dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class GapInputs:
    """What the rules read, every row with ``as_of``, the day its owner is judged on.

    - ``facts``: every contact's ``stages.facts_frame`` row (the selected owners')
    - ``links``: ``owner_id``, ``referrer_id``, ``referred_id``: a contact introduced by
      another of the same owner
    - ``reports``, ``meetings``: ``owner_id``, ``contact_id``, ``about_id``, ``on_date`` of
      the outcome reports and the meetings logged with a contact of the same owner
    - ``plans``: ``owner_id``, ``contact_id``, ``meeting_on`` of the prep plans saved
    """

    facts: pl.LazyFrame
    links: pl.LazyFrame
    reports: pl.LazyFrame
    meetings: pl.LazyFrame
    plans: pl.LazyFrame

    @property
    def steps(self) -> pl.LazyFrame:
        """The facts of the contacts with a step of their own owner's."""
        return self.facts.filter("stepped")


RuleFinder = Callable[[GapInputs, Mapping[str, int]], pl.LazyFrame]


@dataclass(frozen=True, slots=True)
class GapRule:
    """One kind of follow-up gap.

    ``find`` returns the rule's gaps (``owner_id``, ``contact_id``, ``about_id``,
    ``since``, ``days``, ``severity``) given the inputs and its thresholds by name.
    ``urgency`` ranks each severity the rule can give (1 = act first, across all rules);
    ``soonest_first`` sorts a rule's gaps by fewest days (a meeting coming up) instead of
    most days (a step long overdue). ``ordered`` names thresholds that must not decrease.
    ``next_step`` builds the sentence of each gap from a gap row's columns (``contact``,
    ``company``, ``about``, ``since``, ``days``, ``severity``).
    """

    key: str
    title: str
    description: str
    thresholds: Mapping[str, int]
    threshold_help: Mapping[str, str]
    find: RuleFinder
    urgency: Mapping[str, int]
    next_step: pl.Expr
    soonest_first: bool = False
    ordered: tuple[str, ...] = ()


# Days from 0001-01-01, a Monday, to Polars' day 0 (1970-01-01).
_DAY_ONE = (date(1970, 1, 1) - date(1, 1, 1)).days


def business_days(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Weekdays strictly after ``start`` up to and including ``end`` (0 when ``end`` is
    not later).

    Counting weekdays from Monday 0001-01-01 makes it arithmetic rather than a join over a
    calendar: f(x) = 5·weeks + min(day of week + 1, 5), and the count is f(end) − f(start).
    A Friday outreach is 3 business days old on the Wednesday after.
    """

    def weekdays_to(day: pl.Expr) -> pl.Expr:
        n = day.cast(pl.Int64) + _DAY_ONE
        return 5 * (n // 7) + pl.min_horizontal(n % 7 + 1, 5)

    return pl.max_horizontal(weekdays_to(end) - weekdays_to(start), 0)


def _days(start: str | pl.Expr, end: str | pl.Expr = "as_of") -> pl.Expr:
    start, end = (pl.col(x) if isinstance(x, str) else x for x in (start, end))
    return (end - start).dt.total_days()


def _gap(
    frame: pl.LazyFrame, since: str, days: pl.Expr, severity: pl.Expr | str, about: str = ""
) -> pl.LazyFrame:
    """The rows of ``frame`` as gaps (the columns every rule returns)."""
    return frame.select(
        "owner_id",
        "contact_id",
        about_id=pl.col(about) if about else pl.lit(None, pl.Int32),
        since=pl.col(since),
        days=days,
        severity=pl.lit(severity) if isinstance(severity, str) else severity,
    )


_INTERVIEWED = Stage.INTERVIEWED.rank
_ANSWERED_STATUSES = [s.value for s in STAGES if s.rank >= Stage.RESPONDED.rank] + [DECLINED_STATUS]


def _said(name: str) -> pl.Expr:
    return pl.col(name).fill_null(False)


def _thank_you_overdue(inputs: GapInputs, limits: Mapping[str, int]) -> pl.LazyFrame:
    """An interview more than grace_days ago with no thank-you since: one dated on or
    after it, or one marked only "yes" (undated)."""
    late = inputs.steps.filter(
        _days("last_met_on") > limits["grace_days"],
        ~pl.col("thanked_undated"),
        ~_said_after("last_thanked_on", "last_met_on"),
    )
    return _gap(late, "last_met_on", _days("last_met_on"), "overdue")


def _said_after(later: str, earlier: str) -> pl.Expr:
    """``later`` is on or after ``earlier`` (false when either is unknown)."""
    return (pl.col(later) >= pl.col(earlier)).fill_null(False)


def _no_response(inputs: GapInputs, limits: Mapping[str, int]) -> pl.LazyFrame:
    """The last outreach has had no answer for try_another_days business days."""
    waited = business_days(pl.col("last_outreach_on"), pl.col("as_of"))
    waiting = inputs.steps.filter(
        pl.col("last_outreach_on").is_not_null(),
        # an answer on or after the outreach; a meeting agreed counts whatever its day,
        # an undated answer (a tracker's "yes") counts as it cannot be shown older
        ~pl.col("answer_undated"),
        ~_said_after("last_answer_on", "last_outreach_on"),
        # a tracker whose status says they answered, with no answer dated anywhere
        ~(pl.col("status").is_in(_ANSWERED_STATUSES).fill_null(False) & ~pl.col("answer_dated")),
        waited >= limits["try_another_days"],
    )
    severity = (
        pl.when(waited >= limits["follow_up_days"])
        .then(pl.lit("follow_up"))
        .otherwise(pl.lit("try_another"))
    )
    return _gap(waiting, "last_outreach_on", waited, severity)


def _referral_unreported(inputs: GapInputs, limits: Mapping[str, int]) -> pl.LazyFrame:
    """Someone referred was interviewed (or said no) grace_days ago or more, and the
    referrer has had no outcome report since (or one undated)."""
    settled = inputs.links.join(
        inputs.facts.filter((pl.col("stage_rank") >= _INTERVIEWED) | pl.col("declined")),
        left_on=["owner_id", "referred_id"],
        right_on=["owner_id", "contact_id"],
    ).select(
        "owner_id",
        "as_of",
        contact_id="referrer_id",
        about_id="referred_id",
        # the day the referral played out: the interview, else the no, else the last step
        settled_on=pl.coalesce("first_met_on", "first_declined_on", "last_on"),
    )
    reports = inputs.reports.group_by("owner_id", "contact_id", "about_id").agg(
        last_reported_on=pl.col("on_date").filter(pl.col("on_date") <= pl.col("as_of")).max(),
        reported_undated=pl.col("on_date").is_null().any(),
    )
    due = settled.join(reports, on=["owner_id", "contact_id", "about_id"], how="left").filter(
        _days("settled_on") >= limits["grace_days"],
        ~(_said("reported_undated") | _said_after("last_reported_on", "settled_on")),
    )
    return _gap(due, "settled_on", _days("settled_on"), "report_back", about="about_id")


def _gone_cold(inputs: GapInputs, limits: Mapping[str, int]) -> pl.LazyFrame:
    """Someone interviewed has had no step for cold_days."""
    cold = inputs.steps.filter(
        pl.col("stage_rank") >= _INTERVIEWED, _days("last_on") >= limits["cold_days"]
    )
    return _gap(cold, "last_on", _days("last_on"), "reconnect")


def _unprepared_meeting(inputs: GapInputs, limits: Mapping[str, int]) -> pl.LazyFrame:
    """A meeting within lookahead_days with no prep plan saved for it."""
    ahead = _days("as_of", "on_date")
    coming = (
        inputs.meetings.filter(ahead.is_between(0, limits["lookahead_days"]))
        .select("owner_id", "contact_id", "on_date", "as_of")
        .unique()
        .join(
            inputs.plans,
            left_on=["owner_id", "contact_id", "on_date"],
            right_on=["owner_id", "contact_id", "meeting_on"],
            how="anti",
        )
    )
    return _gap(coming, "on_date", ahead, "prepare")


def _plural(days: pl.Expr, unit: str = "day") -> pl.Expr:
    return pl.format(
        "{} {}", days, pl.when(days == 1).then(pl.lit(unit)).otherwise(pl.lit(unit + "s"))
    )


def _ago(days: pl.Expr) -> pl.Expr:
    return (
        pl.when(days == 0)
        .then(pl.lit("today"))
        .when(days == 1)
        .then(pl.lit("yesterday"))
        .otherwise(pl.format("{} days ago", days))
    )


_CONTACT, _DAYS = pl.col("contact"), pl.col("days")

_THANK_YOU_STEP = pl.format(
    "Send {} a thank-you note — the interview was {}.", _CONTACT, _ago(_DAYS)
)

_NO_RESPONSE_STEP = (
    pl.when(pl.col("severity") == "follow_up")
    .then(
        pl.format(
            "Follow up once with {} — no answer for {}.",
            _CONTACT,
            _plural(_DAYS, "business day"),
        )
    )
    .otherwise(
        pl.format(
            "No answer from {} for {}: approach another person at {}.",
            _CONTACT,
            _plural(_DAYS, "business day"),
            # no organisation, or a blank one: nobody to name
            pl.when(pl.col("company").fill_null("") == "")
            .then(pl.lit("the same organisation"))
            .otherwise(pl.col("company")),
        )
    )
)

_REFERRAL_STEP = pl.format(
    "Tell {} how it went with {}, whom they referred you to — that was {}.",
    _CONTACT,
    pl.col("about"),
    _ago(_DAYS),
)

_GONE_COLD_STEP = pl.format(
    "Get back in touch with {} — share your progress; the last contact was {} days ago.",
    _CONTACT,
    _DAYS,
)

_UNPREPARED_STEP = pl.format(
    "Prepare your questions for the meeting with {} {} (on {}).",
    _CONTACT,
    pl.when(_DAYS == 0)
    .then(pl.lit("today"))
    .when(_DAYS == 1)
    .then(pl.lit("tomorrow"))
    .otherwise(pl.format("in {} days", _DAYS)),
    pl.col("since").dt.strftime("%Y-%m-%d"),
)


GAP_RULES: tuple[GapRule, ...] = (
    GapRule(
        key="thank_you_overdue",
        title="Thank-you overdue",
        description=(
            "An interview with no thank-you since: thank people the same or the next day. "
            "`days` counts from the interview."
        ),
        thresholds={"grace_days": 1},
        threshold_help={"grace_days": "days after the interview before it is overdue"},
        find=_thank_you_overdue,
        urgency={"overdue": 2},
        next_step=_THANK_YOU_STEP,
    ),
    GapRule(
        key="no_response",
        title="No response",
        description=(
            "The last outreach got no answer. After a few business days approach another "
            "person at the same organisation; after more, follow up once (3B7). "
            "`days` counts business days after the outreach."
        ),
        thresholds={"try_another_days": 3, "follow_up_days": 7},
        threshold_help={
            "try_another_days": "business days without an answer before trying someone else",
            "follow_up_days": "business days without an answer before following up once",
        },
        find=_no_response,
        urgency={"follow_up": 3, "try_another": 5},
        next_step=_NO_RESPONSE_STEP,
        ordered=("try_another_days", "follow_up_days"),
    ),
    GapRule(
        key="referral_unreported",
        title="Referral not reported back",
        description=(
            "Someone a contact referred you to was interviewed (or said no), and the "
            "referrer has not heard how it went: this burns the chain. The gap is the "
            "referrer's; `about` names the person referred; `days` counts from the "
            "interview."
        ),
        thresholds={"grace_days": 0},
        threshold_help={"grace_days": "days after the interview before reporting is due"},
        find=_referral_unreported,
        urgency={"report_back": 4},
        next_step=_REFERRAL_STEP,
    ),
    GapRule(
        key="gone_cold",
        title="Gone cold",
        description=(
            "Someone you interviewed has heard nothing from you for months. Share your "
            "progress or something useful. `days` counts from the last touch."
        ),
        thresholds={"cold_days": 90},
        threshold_help={"cold_days": "days without any touch before a contact is cold"},
        find=_gone_cold,
        urgency={"reconnect": 6},
        next_step=_GONE_COLD_STEP,
    ),
    GapRule(
        key="unprepared_meeting",
        title="Meeting not prepared",
        description=(
            "A meeting coming up soon with no prep plan saved for it. `since` is the "
            "meeting day and `days` how many days until it."
        ),
        thresholds={"lookahead_days": 7},
        threshold_help={"lookahead_days": "how many days ahead to look for meetings"},
        find=_unprepared_meeting,
        urgency={"prepare": 1},
        next_step=_UNPREPARED_STEP,
        soonest_first=True,
    ),
)

RULES_BY_KEY: dict[str, GapRule] = {rule.key: rule for rule in GAP_RULES}

# What the rules read besides the contact facts and the referral links, of the selected
# owner(s) ($owner_id, NULL for every owner): the outcome reports and meetings logged
# with a contact of the same owner ...
_STEPS_SQL = f"""
SELECT c.owner_id, e.contact_id, e.about_contact_id AS about_id, e.on_date,
       e.kind = '{EventKind.MEETING}' AS meeting
FROM events e JOIN contacts c ON c.id = e.contact_id AND c.owner_id = e.owner_id
WHERE e.kind IN ('{EventKind.OUTCOME_REPORT}', '{EventKind.MEETING}')
  AND ($owner_id IS NULL OR c.owner_id = $owner_id)
"""
# ... and the prep plans saved.
_PLANS_SQL = """
SELECT owner_id, contact_id, meeting_on FROM prep_plans
WHERE $owner_id IS NULL OR owner_id = $owner_id
"""

# The names a gap is told with.
_NAMES_SQL = """
SELECT id, name, company FROM contacts WHERE $owner_id IS NULL OR owner_id = $owner_id
"""
_OWNERS_SQL = "SELECT id AS owner_id, name AS owner FROM owners"

GAP_SCHEMA: dict[str, Any] = {
    "rule": pl.String,
    "severity": pl.String,
    "urgency": pl.Int64,
    "owner": pl.String,
    "contact_id": pl.Int64,
    "contact": pl.String,
    "company": pl.String,
    "about_contact_id": pl.Int64,
    "about": pl.String,
    "since": pl.Date,
    "days": pl.Int64,
    "next_step": pl.String,
}


def default_thresholds() -> Thresholds:
    """Every rule's thresholds as shipped."""
    return {rule.key: dict(rule.thresholds) for rule in GAP_RULES}


def gap_thresholds(store: Store, owner_id: int | None) -> Thresholds:
    """The thresholds in force for ``owner_id`` (``None``: the workspace-wide ones).

    Defaults, overlaid by the workspace setting, overlaid by the owner's own. Names no
    longer known (left by an older version) are ignored.
    """
    levels = [WORKSPACE] if owner_id is None else [WORKSPACE, owner_id]
    merged = default_thresholds()
    for level in levels:
        stored = get_setting(store, THRESHOLDS_KEY, {}, owner_id=level)
        for key, values in stored.items():
            if key in merged and isinstance(values, dict):
                merged[key].update({k: v for k, v in values.items() if k in merged[key]})
    return merged


def save_gap_thresholds(
    store: Store, owner_id: int | None, thresholds: Mapping[str, Mapping[str, int]]
) -> Thresholds:
    """Store thresholds for ``owner_id`` (``None``: workspace-wide) and return those in force.

    Only the thresholds named change; the rest keep their stored or default value.
    Raises InputError for an unknown rule or threshold, a value that is not a whole number
    of days from 0 up, or thresholds of one rule out of order (try another before follow up).
    """
    level = WORKSPACE if owner_id is None else owner_id
    stored: dict[str, dict[str, int]] = get_setting(store, THRESHOLDS_KEY, {}, owner_id=level)
    for key, values in thresholds.items():
        rule = _rule(key)
        for name, value in values.items():
            _check_threshold(rule, name, value)
        stored.setdefault(key, {}).update(values)
    with store.transaction():  # an out-of-order result is rolled back, never kept
        set_setting(store, THRESHOLDS_KEY, stored, owner_id=level)
        in_force = gap_thresholds(store, owner_id)
        for rule in GAP_RULES:
            _check_order(rule, in_force[rule.key])
    return in_force


def _rule(key: str) -> GapRule:
    try:
        return RULES_BY_KEY[key]
    except KeyError:
        known = ", ".join(RULES_BY_KEY)
        raise InputError(f"no gap rule called {key!r} (known: {known})") from None


def _check_threshold(rule: GapRule, name: str, value: Any) -> None:
    if name not in rule.thresholds:
        known = ", ".join(rule.thresholds)
        raise InputError(f"{rule.key} has no threshold {name!r} (known: {known})")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
        raise InputError(
            f"{rule.title}: {rule.threshold_help[name]} must be a whole number from 0 to 3650"
        )


def _check_order(rule: GapRule, values: Mapping[str, int]) -> None:
    ordered = [values[name] for name in rule.ordered]
    if ordered != sorted(ordered):
        names = " cannot be more than ".join(rule.threshold_help[name] for name in rule.ordered)
        raise InputError(f"{rule.title}: the {names}")


def find_gaps(
    store: Store,
    owner_id: int | None,
    as_of: date,
    thresholds: Mapping[str, Mapping[str, int]] | None = None,
) -> pl.DataFrame:
    """Every follow-up gap on ``as_of``, most urgent first (columns: ``GAP_SCHEMA``).

    Each owner's gaps are judged with that owner's thresholds unless ``thresholds`` is
    given (then for everyone). ``days`` is in the rule's unit (business days for
    ``no_response``; days until the meeting for ``unprepared_meeting``).
    """
    if thresholds is not None or owner_id is not None:
        runs = [(owner_id, thresholds or gap_thresholds(store, owner_id))]
    else:
        runs = _runs_by_thresholds(store)
    frames = [_gap_rows(store, GAP_RULES, owner, as_of, chosen) for owner, chosen in runs]
    gaps = pl.concat([pl.DataFrame(schema=GAP_SCHEMA), *frames], how="vertical")
    return _by_urgency(gaps)


def gaps_of_rule(
    store: Store,
    rule: GapRule,
    owner_id: int | None,
    as_of: date,
    thresholds: Mapping[str, Mapping[str, int]],
) -> pl.DataFrame:
    """The gaps one rule finds for ``owner_id`` (``None``: every owner, with ``thresholds``)."""
    return _gap_rows(store, (rule,), owner_id, as_of, thresholds)


def read_gap_inputs(
    store: Store, owner_id: int | None, facts: pl.DataFrame, judged_on: date | pl.DataFrame
) -> GapInputs:
    """The rules' inputs for ``owner_id`` (``None``: every owner) whose contacts' facts
    are ``facts``, judged on one day, or on each owner's (``owner_id``, ``as_of``)."""
    return _gap_inputs(_read_rows(store, owner_id), facts, judged_on)


@dataclass(frozen=True, slots=True)
class _Rows:
    """What the rules read from the workspace besides the facts (see ``GapInputs``)."""

    steps: pl.DataFrame
    links: pl.DataFrame
    plans: pl.DataFrame


def _read_rows(store: Store, owner_id: int | None) -> _Rows:
    params = {"owner_id": owner_id}
    return _Rows(
        steps=store.frame(_STEPS_SQL, params),
        links=referral_links(store, owner_id),
        plans=store.frame(_PLANS_SQL, params),
    )


def _gap_inputs(rows: _Rows, facts: pl.DataFrame, judged_on: date | pl.DataFrame) -> GapInputs:
    steps = with_days(rows.steps.lazy(), judged_on)
    return GapInputs(
        facts=with_days(facts.lazy(), judged_on),
        links=rows.links.lazy(),
        reports=steps.filter(~pl.col("meeting")),
        meetings=steps.filter("meeting"),
        plans=rows.plans.lazy(),
    )


def found_gaps(
    inputs: GapInputs, rules: Sequence[GapRule], thresholds: Mapping[str, Mapping[str, int]]
) -> pl.LazyFrame:
    """Every gap of ``rules``: ``rule`` and the columns each rule returns. A rule's
    thresholds are those in ``thresholds``, else its defaults."""
    return pl.concat(
        [
            rule.find(inputs, {**rule.thresholds, **thresholds.get(rule.key, {})}).with_columns(
                rule=pl.lit(rule.key)
            )
            for rule in rules
        ]
    )


def count_gaps(
    inputs: GapInputs, rules: Sequence[GapRule], thresholds: Mapping[str, Mapping[str, int]]
) -> pl.DataFrame:
    """How many gaps each owner has under each rule: ``owner_id``, ``rule``, ``gaps``
    (owners and rules without a gap have no row); no names and no sentences."""
    return (
        found_gaps(inputs, rules, thresholds)
        .group_by("owner_id", "rule")
        .agg(gaps=pl.len().cast(pl.Int64))
        .collect()
    )


def _gap_rows(
    store: Store,
    rules: Sequence[GapRule],
    owner_id: int | None,
    as_of: date,
    thresholds: Mapping[str, Mapping[str, int]],
) -> pl.DataFrame:
    """The gaps of ``rules``, named, with urgency and next step (``GAP_SCHEMA``).

    The rows, names and owners are read on a reader thread while the contact facts are
    worked out here (when a write has left them to work out again): a third off the
    first read-out after a change."""

    def read() -> tuple[_Rows, pl.DataFrame, pl.DataFrame]:
        names = store.frame(_NAMES_SQL, {"owner_id": owner_id})
        return _read_rows(store, owner_id), names, store.frame(_OWNERS_SQL)

    reading = store.aside(read)
    facts = contact_facts(store, owner_id, as_of)
    rows, names, owners = reading.result()
    inputs = _gap_inputs(rows, facts, as_of)
    urgency = {f"{r.key}/{severity}": u for r in rules for severity, u in r.urgency.items()}
    return (
        found_gaps(inputs, rules, thresholds)
        .join(
            names.lazy().select(contact_id="id", contact="name", company="company"), on="contact_id"
        )
        .join(owners.lazy(), on="owner_id")
        .join(names.lazy().select(about_id="id", about="name"), on="about_id", how="left")
        .with_columns(
            pl.col("contact_id").cast(pl.Int64),
            about_contact_id=pl.col("about_id").cast(pl.Int64),
            urgency=pl.concat_str("rule", "severity", separator="/").replace_strict(
                urgency, return_dtype=pl.Int64
            ),
            next_step=_next_step(rules),
        )
        .select(list(GAP_SCHEMA))
        .collect(engine="in-memory")
    )


def _next_step(rules: Sequence[GapRule]) -> pl.Expr:
    """Each row's sentence, from the ``next_step`` of its rule."""
    first, *rest = rules
    steps = pl.when(pl.col("rule") == first.key).then(first.next_step)
    for rule in rest:
        steps = steps.when(pl.col("rule") == rule.key).then(rule.next_step)
    return steps.otherwise(None).cast(pl.String)


def _runs_by_thresholds(store: Store) -> list[tuple[int | None, Thresholds]]:
    """(owner, thresholds) to query for every owner: one run for all of them when they
    share their thresholds (the usual case), else one per owner."""
    owners = _owner_ids(store)
    chosen = [gap_thresholds(store, owner) for owner in owners]
    if all(c == chosen[0] for c in chosen[1:]):
        return [(None, chosen[0] if chosen else default_thresholds())]
    return list(zip(owners, chosen, strict=True))


def _by_urgency(gaps: pl.DataFrame) -> pl.DataFrame:
    """Most urgent first; within a rule the longest overdue (or the soonest meeting) first."""
    soonest = [rule.key for rule in GAP_RULES if rule.soonest_first]
    pressing = (
        pl.when(pl.col("rule").is_in(soonest)).then(-pl.col("days")).otherwise(pl.col("days"))
    )
    return gaps.sort(
        [pl.col("urgency"), pressing, pl.col("contact"), pl.col("since")],
        descending=[False, True, False, False],
    )


def gap_counts(gaps: pl.DataFrame) -> dict[str, int]:
    """How many gaps of each rule, every rule listed (0 included), in registry order."""
    counts = dict(gaps.group_by("rule").len().iter_rows())
    return {rule.key: int(counts.get(rule.key, 0)) for rule in GAP_RULES}


def _owner_ids(store: Store) -> list[int]:
    return [row[0] for row in store.rows("SELECT id FROM owners ORDER BY id")]
