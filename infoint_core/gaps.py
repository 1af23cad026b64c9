"""Follow-up gaps: the steps a student owes someone, judged on ``as_of`` (CONTRACT §3).

Each rule is one declared ``GapRule`` in ``GAP_RULES``: its key, title, description,
default thresholds and one DuckDB query. The CLI, the pages and the tests loop over the
registry, so adding a rule is one entry here. Thresholds are kept in the workspace
settings: defaults, overlaid by the workspace-wide setting, overlaid by the owner's own.

Every rule query returns ``contact_id``, ``about_id`` (the other person a gap concerns,
or NULL), ``since``, ``days`` and ``severity``. Its parameters are ``$as_of``,
``$owner_id`` and exactly its own thresholds, by name; it reads ``owned`` and ``steps``
(``SHARED_SQL``) and may read the contacts' stages on ``as_of`` as the table
``STAGES_TABLE`` (``stages.stages_as_table``). Events only count for the owner of their
contact, so one student's log never produces a gap for another.

Every rule runs in one query (``gap_rows_sql``: the rules' queries side by side, each
threshold renamed after its rule so that two rules' ``grace_days`` do not clash), and
each rule's ``next_step`` sentence is a Polars expression over the rows found, so a log
with thousands of gaps costs one query and one vectorised pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.errors import InputError
from infoint_core.records import DECLINED_STATUS, STAGES, EventKind, Stage
from infoint_core.settings import WORKSPACE, get_setting, set_setting
from infoint_core.stages import STAGES_TABLE, stages_as_table
from infoint_core.store import Store

THRESHOLDS_KEY = "gap_thresholds"

Thresholds = dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class GapRule:
    """One kind of follow-up gap.

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
    sql: str
    urgency: Mapping[str, int]
    next_step: pl.Expr
    soonest_first: bool = False
    ordered: tuple[str, ...] = ()


def business_days_sql(start: str, end: str) -> str:
    """A SQL expression: weekdays strictly after ``start`` up to and including ``end``.

    ``start`` and ``end`` are SQL expressions written in this module (never user text).
    Counting weekdays from Monday 0001-01-01 makes it arithmetic rather than a join over a
    calendar: f(x) = 5·weeks + min(day of week + 1, 5), and the count is f(end) − f(start).
    A Friday outreach is 3 business days old on the Wednesday after.
    """

    def weekdays_to(day: str) -> str:
        n = f"datediff('day', DATE '0001-01-01', {day})"
        return f"(5 * ({n} // 7) + least({n} % 7 + 1, 5))"

    return f"greatest({weekdays_to(end)} - {weekdays_to(start)}, 0)"


_INTERVIEWED = Stage.INTERVIEWED.rank
_ANSWERED_STATUSES = ", ".join(
    f"'{status}'"
    for status in [s.value for s in STAGES if s.rank >= Stage.RESPONDED.rank] + [DECLINED_STATUS]
)

# What every rule reads: ``owned``, the selected owner(s)' events, each only with a
# contact of the same owner; ``steps``, one row per such contact with a step: the days
# the rules compare, worked out with the stages in one pass over the steps
# (``stages.facts_frame``) and kept per workspace version like them. Only steps
# known by $as_of count, except that a meeting agreed answers an outreach whatever its
# day. "A step between d and $as_of" is written "the last step by $as_of is on or after
# d": the same, with no correlated subquery.
SHARED_SQL = f"""
owned AS (
    SELECT e.contact_id, e.kind, e.on_date, e.about_contact_id, c.owner_id
    FROM events e JOIN contacts c ON c.id = e.contact_id AND c.owner_id = e.owner_id
    WHERE $owner_id IS NULL OR c.owner_id = $owner_id
),
steps AS (SELECT * FROM {STAGES_TABLE} WHERE stepped)"""

THANK_YOU_OVERDUE_SQL = """
SELECT contact_id, NULL::INTEGER AS about_id, last_met_on AS since,
       datediff('day', last_met_on, $as_of) AS days, 'overdue' AS severity
FROM steps
WHERE datediff('day', last_met_on, $as_of) > $grace_days
  -- a thank-you since the last interview; one marked only "yes" (undated) closes it too
  AND NOT thanked_undated
  AND NOT coalesce(last_thanked_on >= last_met_on, false)
"""

NO_RESPONSE_SQL = f"""
WITH waiting AS (
    SELECT contact_id, last_outreach_on AS reached_on,
           {business_days_sql("last_outreach_on", "$as_of")} AS days
    FROM steps
    WHERE last_outreach_on IS NOT NULL
      -- an answer on or after the outreach; a meeting agreed counts whatever its day,
      -- an undated answer (a tracker's "yes") counts as it cannot be shown older
      AND NOT answer_undated
      AND NOT coalesce(last_answer_on >= last_outreach_on, false)
      -- a tracker whose status says they answered, with no answer dated anywhere
      AND NOT (coalesce(status IN ({_ANSWERED_STATUSES}), false) AND NOT answer_dated)
)
SELECT contact_id, NULL::INTEGER AS about_id, reached_on AS since, days,
       CASE WHEN days >= $follow_up_days THEN 'follow_up' ELSE 'try_another' END AS severity
FROM waiting
WHERE days >= $try_another_days
"""

REFERRAL_UNREPORTED_SQL = f"""
WITH settled AS (
    -- the day B's referral played out: the interview, else the no, else the last step
    SELECT b.referred_by_id AS referrer_id, b.id AS referred_id,
           coalesce(st.first_met_on, st.first_declined_on, st.last_on) AS settled_on
    FROM contacts b
    JOIN contacts a ON a.id = b.referred_by_id AND a.owner_id = b.owner_id
    -- the step days of a contact with no step of its own are null
    JOIN {STAGES_TABLE} st ON st.contact_id = b.id
    WHERE (st.stage_rank >= {_INTERVIEWED} OR st.declined)
      AND ($owner_id IS NULL OR b.owner_id = $owner_id)
),
reports AS (
    SELECT contact_id, about_contact_id,
           max(on_date) FILTER (WHERE on_date <= $as_of) AS last_reported_on,
           bool_or(on_date IS NULL) AS reported_undated
    FROM owned WHERE kind = '{EventKind.OUTCOME_REPORT}' GROUP BY ALL
)
SELECT s.referrer_id AS contact_id, s.referred_id AS about_id, s.settled_on AS since,
       datediff('day', s.settled_on, $as_of) AS days, 'report_back' AS severity
FROM settled s
LEFT JOIN reports r ON r.contact_id = s.referrer_id AND r.about_contact_id = s.referred_id
WHERE s.settled_on IS NOT NULL
  AND datediff('day', s.settled_on, $as_of) >= $grace_days
  -- an outcome report since B's referral played out (or one undated)
  AND NOT coalesce(r.reported_undated OR r.last_reported_on >= s.settled_on, false)
"""

GONE_COLD_SQL = f"""
SELECT t.contact_id, NULL::INTEGER AS about_id, t.last_on AS since,
       datediff('day', t.last_on, $as_of) AS days, 'reconnect' AS severity
FROM steps t
WHERE t.stage_rank >= {_INTERVIEWED}
  AND datediff('day', t.last_on, $as_of) >= $cold_days
"""

UNPREPARED_MEETING_SQL = f"""
WITH coming AS (
    SELECT DISTINCT contact_id, owner_id, on_date FROM owned
    WHERE kind = '{EventKind.MEETING}'
      AND on_date BETWEEN $as_of AND CAST($as_of AS DATE) + CAST($lookahead_days AS INTEGER)
)
SELECT m.contact_id, NULL::INTEGER AS about_id, m.on_date AS since,
       datediff('day', $as_of, m.on_date) AS days, 'prepare' AS severity
FROM coming m
WHERE NOT EXISTS (
    SELECT 1 FROM prep_plans p
    WHERE p.contact_id = m.contact_id AND p.owner_id = m.owner_id
      AND p.meeting_on = m.on_date)
"""


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
        sql=THANK_YOU_OVERDUE_SQL,
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
        sql=NO_RESPONSE_SQL,
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
        sql=REFERRAL_UNREPORTED_SQL,
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
        sql=GONE_COLD_SQL,
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
        sql=UNPREPARED_MEETING_SQL,
        urgency={"prepare": 1},
        next_step=_UNPREPARED_STEP,
        soonest_first=True,
    ),
)

RULES_BY_KEY: dict[str, GapRule] = {rule.key: rule for rule in GAP_RULES}

# Each rule's rows, tagged with its key. {sql} is the rule's query, thresholds renamed.
_RULE_ROWS_SQL = """(SELECT '{key}' AS rule, contact_id, about_id, since, days, severity
 FROM ({sql}))"""

# Names and places added to the rules' rows. {rules_sql} is ``gap_rows_sql(...)``.
_GAP_ROWS_SQL = """
WITH gaps AS ({rules_sql})
SELECT g.rule, o.name AS owner, g.contact_id::BIGINT AS contact_id, c.name AS contact,
       c.company, g.about_id::BIGINT AS about_contact_id, a.name AS about,
       g.since::DATE AS since, g.days::BIGINT AS days, g.severity
FROM gaps g
JOIN contacts c ON c.id = g.contact_id
JOIN owners o ON o.id = c.owner_id
LEFT JOIN contacts a ON a.id = g.about_id
"""

# How many gaps each owner has under each rule: counted, no names and no sentences.
_GAP_COUNTS_SQL = """
SELECT c.owner_id, g.rule, count(*)::BIGINT AS gaps
FROM ({rules_sql}) g JOIN contacts c ON c.id = g.contact_id
GROUP BY ALL
"""

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


def gap_rows_sql(rules: Sequence[GapRule]) -> str:
    """One query giving every gap of ``rules``: ``rule`` and the columns each rule's query
    returns. Its parameters are ``gap_params(rules, ...)``; it reads ``STAGES_TABLE``."""
    return f"WITH {SHARED_SQL}\n" + "\nUNION ALL\n".join(
        _RULE_ROWS_SQL.format(key=rule.key, sql=_with_own_thresholds(rule)) for rule in rules
    )


def gap_counts_sql(rules: Sequence[GapRule]) -> str:
    """One query counting the gaps of ``rules`` per owner: ``owner_id``, ``rule``, ``gaps``
    (owners and rules without a gap have no row). Parameters: ``gap_params``."""
    return _GAP_COUNTS_SQL.format(rules_sql=gap_rows_sql(rules))


def gap_params(
    rules: Sequence[GapRule],
    owner_id: int | None,
    as_of: date,
    thresholds: Mapping[str, Mapping[str, int]],
) -> dict[str, Any]:
    """The parameters of ``gap_rows_sql(rules)``: the day, the owner and each rule's
    thresholds (``thresholds``, else the rule's default), named after their rule."""
    params: dict[str, Any] = {"as_of": as_of, "owner_id": owner_id}
    for rule in rules:
        chosen = thresholds.get(rule.key, {})
        for name, default in rule.thresholds.items():
            params[_threshold_param(rule, name)] = chosen.get(name, default)
    return params


def _threshold_param(rule: GapRule, name: str) -> str:
    return f"{rule.key}__{name}"


def _with_own_thresholds(rule: GapRule) -> str:
    """``rule.sql`` with each ``$threshold`` renamed ``$<rule key>__<threshold>``."""
    sql = rule.sql
    for name in rule.thresholds:
        sql = re.sub(rf"\${name}\b", f"${_threshold_param(rule, name)}", sql)
    return sql


def _gap_rows(
    store: Store,
    rules: Sequence[GapRule],
    owner_id: int | None,
    as_of: date,
    thresholds: Mapping[str, Mapping[str, int]],
) -> pl.DataFrame:
    """The gaps of ``rules`` in one query, with urgency and next step (``GAP_SCHEMA``)."""
    sql = _GAP_ROWS_SQL.format(rules_sql=gap_rows_sql(rules))
    with stages_as_table(store, owner_id, as_of):
        rows = store.frame(sql, gap_params(rules, owner_id, as_of, thresholds))
    urgency = {f"{r.key}/{severity}": u for r in rules for severity, u in r.urgency.items()}
    return rows.with_columns(
        urgency=pl.concat_str("rule", "severity", separator="/").replace_strict(
            urgency, return_dtype=pl.Int64
        ),
        next_step=_next_step(rules),
    ).select(list(GAP_SCHEMA))


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
