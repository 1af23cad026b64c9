"""Follow-up gaps: the steps a student owes someone, judged on ``as_of`` (CONTRACT §3).

Each rule is one declared ``GapRule`` in ``GAP_RULES``: its key, title, description,
default thresholds and one DuckDB query. The CLI, the pages and the tests loop over the
registry, so adding a rule is one entry here. Thresholds are kept in the workspace
settings: defaults, overlaid by the workspace-wide setting, overlaid by the owner's own.

Every rule query returns ``contact_id``, ``about_id`` (the other person a gap concerns,
or NULL), ``since``, ``days`` and ``severity``. Its parameters are ``$as_of``,
``$owner_id`` and exactly its own thresholds, by name. Events only count for the owner of
their contact, so one student's log never produces a gap for another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.errors import InputError
from infoint_core.records import DECLINED_STATUS, STAGES, EventKind, Stage
from infoint_core.settings import WORKSPACE, get_setting, set_setting
from infoint_core.stages import CONTACT_STAGES_SQL
from infoint_core.store import Store

THRESHOLDS_KEY = "gap_thresholds"

Thresholds = dict[str, dict[str, int]]
NextStep = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True, slots=True)
class GapRule:
    """One kind of follow-up gap.

    ``urgency`` ranks each severity the rule can give (1 = act first, across all rules);
    ``soonest_first`` sorts a rule's gaps by fewest days (a meeting coming up) instead of
    most days (a step long overdue). ``ordered`` names thresholds that must not decrease.
    """

    key: str
    title: str
    description: str
    thresholds: Mapping[str, int]
    threshold_help: Mapping[str, str]
    sql: str
    urgency: Mapping[str, int]
    next_step: NextStep
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


# The selected owner(s)' events, each only with a contact of the same owner.
_OWNED_EVENTS = """
owned AS (
    SELECT e.contact_id, e.kind, e.on_date, e.about_contact_id, c.owner_id
    FROM events e JOIN contacts c ON c.id = e.contact_id AND c.owner_id = e.owner_id
    WHERE $owner_id IS NULL OR c.owner_id = $owner_id
)"""

_INTERVIEWED = Stage.INTERVIEWED.rank

THANK_YOU_OVERDUE_SQL = f"""
WITH {_OWNED_EVENTS},
last_meeting AS (
    SELECT contact_id, max(on_date) AS met_on FROM owned
    WHERE kind = '{EventKind.MEETING}' AND on_date <= $as_of GROUP BY contact_id
)
SELECT m.contact_id, NULL::INTEGER AS about_id, m.met_on AS since,
       datediff('day', m.met_on, $as_of) AS days, 'overdue' AS severity
FROM last_meeting m
WHERE datediff('day', m.met_on, $as_of) > $grace_days
  AND NOT EXISTS (
      -- a thank-you marked only "yes" (undated) closes it too
      SELECT 1 FROM owned t
      WHERE t.contact_id = m.contact_id AND t.kind = '{EventKind.THANK_YOU}'
        AND (t.on_date IS NULL OR t.on_date BETWEEN m.met_on AND $as_of))
"""

_ANSWERS = ", ".join(
    f"'{kind}'"
    for kind in (EventKind.RESPONSE, EventKind.DECLINED, EventKind.MEETING, EventKind.INBOUND)
)
_ANSWERED_STATUSES = ", ".join(
    f"'{status}'"
    for status in [s.value for s in STAGES if s.rank >= Stage.RESPONDED.rank] + [DECLINED_STATUS]
)

NO_RESPONSE_SQL = f"""
WITH {_OWNED_EVENTS},
last_outreach AS (
    SELECT contact_id, max(on_date) AS reached_on FROM owned
    WHERE kind = '{EventKind.OUTREACH}' AND on_date <= $as_of GROUP BY contact_id
),
waiting AS (
    SELECT o.contact_id, o.reached_on,
           {business_days_sql("o.reached_on", "$as_of")} AS days
    FROM last_outreach o JOIN contacts c ON c.id = o.contact_id
    WHERE NOT EXISTS (
        -- an answer on or after the outreach; a meeting agreed counts whatever its day,
        -- an undated answer (a tracker's "yes") counts as it cannot be shown older
        SELECT 1 FROM owned a
        WHERE a.contact_id = o.contact_id AND a.kind IN ({_ANSWERS})
          AND (a.on_date IS NULL
               OR (a.on_date >= o.reached_on
                   AND (a.on_date <= $as_of OR a.kind = '{EventKind.MEETING}'))))
      AND NOT (
        -- a tracker whose status says they answered, with no answer dated anywhere
        coalesce(c.status IN ({_ANSWERED_STATUSES}), false)
        AND NOT EXISTS (SELECT 1 FROM owned a WHERE a.contact_id = o.contact_id
                        AND a.kind IN ({_ANSWERS}) AND a.on_date IS NOT NULL))
)
SELECT contact_id, NULL::INTEGER AS about_id, reached_on AS since, days,
       CASE WHEN days >= $follow_up_days THEN 'follow_up' ELSE 'try_another' END AS severity
FROM waiting
WHERE days >= $try_another_days
"""

REFERRAL_UNREPORTED_SQL = f"""
WITH stages AS ({CONTACT_STAGES_SQL}),
{_OWNED_EVENTS},
steps AS (
    SELECT contact_id,
           min(on_date) FILTER (WHERE kind = '{EventKind.MEETING}') AS met_on,
           min(on_date) FILTER (WHERE kind = '{EventKind.DECLINED}') AS declined_on,
           max(on_date) AS last_on
    FROM owned WHERE on_date <= $as_of GROUP BY contact_id
),
settled AS (
    -- the day B's referral played out: the interview, else the no, else the last step
    SELECT b.referred_by_id AS referrer_id, b.id AS referred_id,
           coalesce(st.met_on, st.declined_on, st.last_on) AS settled_on
    FROM contacts b
    JOIN contacts a ON a.id = b.referred_by_id AND a.owner_id = b.owner_id
    JOIN stages s ON s.contact_id = b.id
    LEFT JOIN steps st ON st.contact_id = b.id
    WHERE s.stage_rank >= {_INTERVIEWED} OR s.declined
)
SELECT referrer_id AS contact_id, referred_id AS about_id, settled_on AS since,
       datediff('day', settled_on, $as_of) AS days, 'report_back' AS severity
FROM settled s
WHERE settled_on IS NOT NULL
  AND datediff('day', settled_on, $as_of) >= $grace_days
  AND NOT EXISTS (
      SELECT 1 FROM owned r
      WHERE r.kind = '{EventKind.OUTCOME_REPORT}' AND r.contact_id = s.referrer_id
        AND r.about_contact_id = s.referred_id
        AND (r.on_date IS NULL OR r.on_date BETWEEN s.settled_on AND $as_of))
"""

GONE_COLD_SQL = f"""
WITH stages AS ({CONTACT_STAGES_SQL}),
{_OWNED_EVENTS},
last_touch AS (
    SELECT contact_id, max(on_date) AS touched_on FROM owned
    WHERE on_date <= $as_of GROUP BY contact_id
)
SELECT t.contact_id, NULL::INTEGER AS about_id, t.touched_on AS since,
       datediff('day', t.touched_on, $as_of) AS days, 'reconnect' AS severity
FROM last_touch t JOIN stages s USING (contact_id)
WHERE s.stage_rank >= {_INTERVIEWED}
  AND datediff('day', t.touched_on, $as_of) >= $cold_days
"""

UNPREPARED_MEETING_SQL = f"""
WITH {_OWNED_EVENTS},
coming AS (
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


def _plural(days: int, unit: str = "day") -> str:
    return f"{days} {unit}{'' if days == 1 else 's'}"


def _ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _thank_you_step(gap: Mapping[str, Any]) -> str:
    return f"Send {gap['contact']} a thank-you note — the interview was {_ago(gap['days'])}."


def _no_response_step(gap: Mapping[str, Any]) -> str:
    waited = _plural(gap["days"], "business day")
    if gap["severity"] == "follow_up":
        return f"Follow up once with {gap['contact']} — no answer for {waited}."
    where = gap["company"] or "the same organisation"
    return f"No answer from {gap['contact']} for {waited}: approach another person at {where}."


def _referral_step(gap: Mapping[str, Any]) -> str:
    return (
        f"Tell {gap['contact']} how it went with {gap['about']}, whom they referred you to "
        f"— that was {_ago(gap['days'])}."
    )


def _gone_cold_step(gap: Mapping[str, Any]) -> str:
    return (
        f"Get back in touch with {gap['contact']} — share your progress; "
        f"the last contact was {gap['days']} days ago."
    )


def _unprepared_step(gap: Mapping[str, Any]) -> str:
    when = {0: "today", 1: "tomorrow"}.get(gap["days"], f"in {gap['days']} days")
    return (
        f"Prepare your questions for the meeting with {gap['contact']} {when} "
        f"(on {gap['since']:%Y-%m-%d})."
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
        next_step=_thank_you_step,
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
        next_step=_no_response_step,
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
        next_step=_referral_step,
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
        next_step=_gone_cold_step,
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
        next_step=_unprepared_step,
        soonest_first=True,
    ),
)

RULES_BY_KEY: dict[str, GapRule] = {rule.key: rule for rule in GAP_RULES}

# Names and places added to every rule's rows. {rule_sql} is one of the constants above.
_GAP_ROWS_SQL = """
WITH gaps AS ({rule_sql})
SELECT o.name AS owner, g.contact_id::BIGINT AS contact_id, c.name AS contact, c.company,
       g.about_id::BIGINT AS about_contact_id, a.name AS about,
       g.since::DATE AS since, g.days::BIGINT AS days, g.severity
FROM gaps g
JOIN contacts c ON c.id = g.contact_id
JOIN owners o ON o.id = c.owner_id
LEFT JOIN contacts a ON a.id = g.about_id
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
    owners = [owner_id] if owner_id is not None else _owner_ids(store)
    frames = [
        gaps_of_rule(store, rule, owner, as_of, (thresholds or gap_thresholds(store, owner)))
        for owner in owners
        for rule in GAP_RULES
    ]
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
    chosen = thresholds.get(rule.key, {})
    values = {name: chosen.get(name, default) for name, default in rule.thresholds.items()}
    params = {"as_of": as_of, "owner_id": owner_id, **values}
    rows = store.frame(_GAP_ROWS_SQL.format(rule_sql=rule.sql), params)
    steps = [rule.next_step(gap) for gap in rows.iter_rows(named=True)]
    return rows.with_columns(
        rule=pl.lit(rule.key),
        urgency=pl.col("severity").replace_strict(rule.urgency, return_dtype=pl.Int64),
        next_step=pl.Series(steps, dtype=pl.String),
    ).select(list(GAP_SCHEMA))


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
