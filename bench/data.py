"""Synthetic data for the benchmark: the same seed and size give the same bytes.

Student scale (factor 1): a LinkedIn export zip with 30,000 connections, 2,000
invitations and 20,000 messages, and a 2,000-row tracker workbook. Cohort scale
(factor 1): 2,000 students' shares holding about a million steps.

The LinkedIn files come from the builders the tests use (``tests/samples``), so they
are what the parsers are tested on. Shares are built straight from
``docs/share-format.md`` with NumPy and pyarrow, all students at once, then cut into one
Parquet file per student, as a career centre receives them: loading two thousand demo
workspaces would take longer than the benchmark itself.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from tests.samples.linkedin import (
    Connection,
    Invitation,
    Message,
    connections_csv,
    invitations_csv,
    messages_csv,
    profile_csv,
)
from tests.samples.shares import SCHEMA as SHARE_SCHEMA
from tests.samples.trackers import big_tracker_table, workbook_bytes

# Every figure judges the log on this day (the tests' day), so results never depend on
# the day the benchmark runs.
AS_OF = date(2026, 11, 21)
SEED = 20261121

CONNECTIONS = 30_000
INVITATIONS = 2_000
MESSAGES = 20_000
TRACKER_ROWS = 2_000
SHARES = 2_000

HOLDER = ("Sam", "Student")
HOLDER_URL = "https://www.linkedin.com/in/sam-student-0"

_FIRST = (
    "Ada",
    "Alan",
    "Grace",
    "Katherine",
    "Tim",
    "Radia",
    "Barbara",
    "Edsger",
    "Frances",
    "Guido",
    "Hedy",
    "Ivan",
    "Joan",
    "Ken",
    "Linus",
    "Margaret",
    "Niklaus",
    "Ole",
    "Peter",
    "Quentin",
    "Rosalind",
    "Sophie",
    "Tony",
    "Ursula",
    "Vint",
    "Wendy",
    "Xavier",
    "Yukihiro",
    "Zoë",
    "Amélie",
    "Björn",
    "Chidi",
    "Dmitri",
    "Elif",
    "Fatima",
    "Gustavo",
    "Hana",
    "Ingrid",
    "José",
    "Kwame",
    "Leilani",
    "Mateo",
    "Nadia",
    "Oksana",
    "Priya",
    "Renée",
    "Siobhán",
    "Tariq",
    "Uma",
    "Wei",
    "Aisha",
    "Bruno",
    "Camille",
    "Dara",
    "Emeka",
    "Farah",
    "Giulia",
    "Hiroshi",
    "Imani",
    "Jonas",
    "Kofi",
    "Lena",
    "Malik",
    "Noor",
    "Olga",
    "Pablo",
    "Rania",
    "Sven",
    "Tomás",
    "Valentina",
    "Yusuf",
    "Zainab",
    "Anders",
    "Beatriz",
    "Ciaran",
    "Deepa",
    "Esther",
    "Felix",
    "Gemma",
    "Hugo",
)
# Family names are made of two parts, so the 30,000 connections mostly have names of
# their own, as in a real export; a few namesakes are added on purpose (see _person).
_LAST_HEAD = (
    "Ash",
    "Bel",
    "Car",
    "Dun",
    "El",
    "Fair",
    "Gar",
    "Hol",
    "Ing",
    "Kel",
    "Lang",
    "Mor",
    "Nor",
    "Oak",
    "Pem",
    "Rad",
    "Sel",
    "Thorn",
    "Ul",
    "Ver",
    "Whit",
    "Yar",
    "Brad",
    "Croft",
    "Dal",
    "Fen",
    "Glen",
    "Hart",
    "Kirk",
    "Lind",
)
_LAST_TAIL = (
    "ford",
    "wood",
    "ley",
    "ton",
    "by",
    "well",
    "mere",
    "ridge",
    "stone",
    "field",
    "worth",
    "brook",
    "dale",
    "more",
    "hurst",
    "combe",
    "wick",
    "ham",
    "sby",
    "land",
    "croft",
    "gate",
    "shaw",
    "holt",
    "berg",
    "son",
    "man",
    "er",
    "in",
    "ov",
)
_NAMES = len(_FIRST) * len(_LAST_HEAD) * len(_LAST_TAIL)
_NAMESAKES = 0.02  # share of people named like someone else (not the same person)
_ORGANISATIONS = 2_500
_POSITIONS = (
    "Analyst",
    "Senior Analyst",
    "Data Scientist",
    "Software Engineer",
    "Product Manager",
    "Consultant",
    "Associate",
    "Policy Adviser",
    "Research Fellow",
    "Lecturer",
    "Director",
    "Engineering Manager",
    "Recruiter",
    "UX Designer",
    "Founder",
    "Student",
)
_PROGRAMMES = (
    ("MSc Data Science", 0.22),
    ("MA International Relations", 0.15),
    ("BSc Economics", 0.2),
    ("MEng Robotics", 0.08),
    ("BA History", 0.1),
    ("MBA", 0.12),
    ("LLM Law", 0.06),
    ("PhD Physics", 0.02),
    ("BSc Nursing", 0.05),
)
_SOURCES = ("linkedin", "referral", "event", "academic", "personal", "other", "unknown")
_INDUSTRIES = (
    "technology",
    "finance",
    "health",
    "public_sector",
    "education",
    "consulting",
    "media_creative",
    "other",
    "unknown",
)


def scaled(count: int, factor: float) -> int:
    """``count`` at ``factor`` of its scale, at least one."""
    return max(1, round(count * factor))


# Student scale -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentFiles:
    """A student's files at one scale: each LinkedIn file alone, the export zip holding
    them all (with Profile.csv), and the tracker workbook."""

    connections: bytes
    invitations: bytes
    messages: bytes
    export_zip: bytes
    tracker_xlsx: bytes
    counts: dict[str, int]


def _person(i: int) -> tuple[str, str, str]:
    """The ``i``-th person: first name, last name and a profile URL (unique by ``i``).

    Names are spread over every combination by a fixed stride, and about one person in
    fifty takes the name of an earlier one (namesakes, told apart by their URLs).
    """
    n = i // 50 if (i * 2654435761) % 100 < 100 * _NAMESAKES else i
    code = (n * 7919) % _NAMES
    first = _FIRST[code % len(_FIRST)]
    rest = code // len(_FIRST)
    head = _LAST_HEAD[rest % len(_LAST_HEAD)]
    last = head + _LAST_TAIL[(rest // len(_LAST_HEAD)) % len(_LAST_TAIL)]
    slug = f"{first}-{last}".lower()
    return first, last, f"https://www.linkedin.com/in/{slug}-{i:x}"


def student_files(factor: float = 1.0, seed: int = SEED) -> StudentFiles:
    """Every student-scale file at ``factor`` of the issue's sizes."""
    rng = random.Random(seed)
    n_conn = scaled(CONNECTIONS, factor)
    connections = []
    for i in range(n_conn):
        first, last, url = _person(i)
        connections.append(
            Connection(
                first,
                last,
                AS_OF - timedelta(days=rng.randrange(1, 9 * 365)),
                email=f"{first}.{i}@example.com".lower() if rng.random() < 0.05 else "",
                company=f"Organisation {rng.randrange(_ORGANISATIONS)}",
                position=rng.choice(_POSITIONS),
                url=url,
            )
        )
    holder = " ".join(HOLDER)
    invitations = []
    for _ in range(scaled(INVITATIONS, factor)):
        # Mostly people already among the connections (an invitation accepted), some not.
        i = rng.randrange(int(n_conn * 1.3) + 1)
        first, last, url = _person(i)
        sent = datetime.combine(AS_OF, time(9)) - timedelta(minutes=rng.randrange(2 * 525_600))
        outgoing = rng.random() < 0.6
        invitations.append(
            Invitation(
                holder if outgoing else f"{first} {last}",
                f"{first} {last}" if outgoing else holder,
                sent,
                direction="OUTGOING" if outgoing else "INCOMING",
                message="Hello, may I ask you about your work?" if rng.random() < 0.3 else "",
                sender_url=HOLDER_URL if outgoing else url,
                recipient_url=url if outgoing else HOLDER_URL,
            )
        )
    messages = _messages(rng, n_conn, scaled(MESSAGES, factor))
    files = {
        "Connections.csv": connections_csv(connections, vintage="2024"),
        "Invitations.csv": invitations_csv(invitations, with_urls=True),
        "messages.csv": messages_csv(messages, columns=12, quote_all=True),
        "Profile.csv": profile_csv(*HOLDER),
    }
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    tracker = big_tracker_table(scaled(TRACKER_ROWS, factor), seed=seed % 1000, cells=True)
    return StudentFiles(
        connections=encoded["Connections.csv"],
        invitations=encoded["Invitations.csv"],
        messages=encoded["messages.csv"],
        export_zip=_zip(encoded),
        tracker_xlsx=workbook_bytes({"Log": tracker}),
        counts={
            "connections": n_conn,
            "invitations": len(invitations),
            "messages": len(messages),
            "tracker_rows": len(tracker) - 1,
        },
    )


def _messages(rng: random.Random, n_conn: int, count: int) -> list[Message]:
    """``count`` messages in conversations of one to a dozen messages between the holder
    and one connection each, the holder writing first in most of them."""
    holder = " ".join(HOLDER)
    out: list[Message] = []
    conversation = 0
    while len(out) < count:
        conversation += 1
        first, last, url = _person(rng.randrange(n_conn))
        them = f"{first} {last}"
        at = datetime.combine(AS_OF, time(8)) - timedelta(minutes=rng.randrange(3 * 525_600))
        holder_turn = rng.random() < 0.7
        for _ in range(min(count - len(out), 1 + int(rng.expovariate(0.35)))):
            sender, sender_url, to = (
                (holder, HOLDER_URL, [(them, url)])
                if holder_turn
                else (them, url, [(holder, HOLDER_URL)])
            )
            out.append(
                Message(
                    f"conv-{conversation:06d}",
                    sender,
                    sender_url,
                    to,
                    min(at, datetime.combine(AS_OF, time(7))),
                    content="Thanks for your time, may I ask a few questions about your role?",
                    folder="INBOX",
                )
            )
            at += timedelta(hours=rng.randrange(2, 96))
            holder_turn = not holder_turn if rng.random() < 0.8 else holder_turn
    return out


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"Basic_LinkedInDataExport_11-21-2026/{name}", data)
    return buffer.getvalue()


# Cohort scale --------------------------------------------------------------------------

# The furthest stage of a contact in a share, and how likely each is. Shares hold every
# contact of a student's log, so most are merely identified (a LinkedIn connection).
_STAGE_P = {
    "identified": 0.36,
    "contacted": 0.25,
    "responded": 0.11,
    "declined": 0.03,
    "scheduled": 0.03,
    "interviewed": 0.08,
    "thanked": 0.08,
    "followed_up": 0.06,
}
_CONTACTS_PER_STUDENT = (100, 520)  # uniform: about 310 on average


@dataclass(frozen=True, slots=True)
class ShareSet:
    """Share files written to ``folder``: one per student."""

    folder: Path
    paths: list[Path]
    students: int
    contacts: int
    rows: int
    steps: int


@dataclass(frozen=True, slots=True)
class CohortRows:
    """Every student's share rows in one table, students one after another.

    ``offsets`` gives each student's ``(start, stop)`` row range and ``lags`` how many
    days before ``AS_OF`` they made their share (a career centre may gather shares over
    a fortnight, so they describe different days).
    """

    table: pa.Table
    offsets: list[tuple[int, int]]
    lags: list[int]
    contacts: int


def write_shares(
    folder: Path, factor: float = 1.0, seed: int = SEED, share_days: int = 1
) -> ShareSet:
    """Write ``SHARES * factor`` share files into ``folder`` (made if missing), made on
    ``share_days`` different days up to ``AS_OF``."""
    folder.mkdir(parents=True, exist_ok=True)
    cohort = cohort_rows(scaled(SHARES, factor), seed, share_days)
    rng = random.Random(seed)
    paths = []
    created = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    for student, (start, stop) in enumerate(cohort.offsets):
        programme = rng.choices([p for p, _ in _PROGRAMMES], [w for _, w in _PROGRAMMES])[0]
        lag = cohort.lags[student]
        metadata = {
            "infoint_share_version": "1",
            "student": f"s-{rng.getrandbits(64):016x}",
            "programme": programme,
            "graduation_year": str(2025 + rng.randrange(4)),
            "as_of": (AS_OF - timedelta(days=lag)).isoformat(),
            "created_at": (created - timedelta(days=lag, seconds=student)).isoformat(),
        }
        path = folder / f"{metadata['student']}.infoint-share.parquet"
        # As the student's own writer does: no compression, no stored Arrow schema.
        with pq.ParquetWriter(path, SHARE_SCHEMA, compression="none", store_schema=False) as w:
            w.write_table(cohort.table.slice(start, stop - start))
            w.add_key_value_metadata(metadata)
        paths.append(path)
    rows = cohort.table.num_rows
    return ShareSet(
        folder=folder,
        paths=paths,
        students=len(paths),
        contacts=cohort.contacts,
        rows=rows,
        steps=rows - cohort.table.column("kind").null_count,
    )


def cohort_rows(students: int, seed: int = SEED, share_days: int = 1) -> CohortRows:
    """Every student's share rows, built at once with NumPy (a million rows in a second
    or two). Contacts of one student are numbered in order and a referrer is always an
    earlier contact who was interviewed, so referral links never loop."""
    rng = np.random.default_rng(seed)
    low, high = _CONTACTS_PER_STUDENT
    per_student = rng.integers(low, high + 1, size=students)
    lags = rng.integers(0, share_days, size=students)
    total = int(per_student.sum())
    owner = np.repeat(np.arange(students), per_student)
    first_of = np.concatenate([[0], np.cumsum(per_student)[:-1]])
    local = np.arange(total) - first_of[owner]  # index of the contact within its student
    stages = list(_STAGE_P)
    rank = {name: i for i, name in enumerate(stages)}
    stage = rng.choice(len(stages), size=total, p=list(_STAGE_P.values()))
    started = rng.integers(5, 540, size=total)  # days before the share's day: first outreach
    codes = np.array([f"{o:08x}{i:016x}" for o, i in zip(owner, local, strict=True)])

    met = np.isin(stage, [rank["interviewed"], rank["thanked"], rank["followed_up"]])
    itself = np.arange(total)
    referrer = np.maximum(itself - rng.integers(1, 40, size=total), first_of[owner])
    referred = (rng.random(total) < 0.1) & (referrer != itself) & met[referrer]
    referred_by = np.where(referred, codes[referrer], None)
    source = np.where(
        referred, "referral", np.array(_SOURCES)[rng.integers(0, len(_SOURCES), size=total)]
    )
    industry = np.array(_INDUSTRIES)[rng.integers(0, len(_INDUSTRIES), size=total)]
    status = np.where(rng.random(total) < 0.2, np.array(stages)[stage], None)

    def at_least(name: str) -> np.ndarray:
        order = ("contacted", "responded", "scheduled", "interviewed", "thanked", "followed_up")
        wanted = [rank[s] for s in order[order.index(name) :]]
        if name in ("contacted", "responded"):
            wanted.append(rank["declined"])
        return np.isin(stage, wanted)

    share_day = np.datetime64(AS_OF.isoformat(), "D") - lags[owner]
    parts: list[tuple[np.ndarray, np.ndarray, str, np.ndarray, np.ndarray | None]] = []

    def step(mask: np.ndarray, kind: str, before: np.ndarray, about: bool = False) -> None:
        """A ``kind`` step of every contact in ``mask``, ``before`` days before its share's
        day (negative: after it, a meeting to come). Outcome reports are rows of the
        referrer, about the person referred."""
        idx = np.flatnonzero(mask)
        row_of = referrer[idx] if about else idx
        parts.append((row_of, share_day[idx] - before[idx], kind, codes[idx] if about else None))

    meet = rng.integers(4, 14, size=total)
    late = rng.choice([0, 1, 1, 2, 3, 6], size=total)
    step(at_least("contacted"), "outreach", started)
    step(at_least("contacted") & (rng.random(total) < 0.3), "outreach", started - 4)
    step(at_least("responded") & (stage != rank["declined"]), "response", started - 2)
    step(stage == rank["declined"], "declined", started - 3)
    step(stage == rank["scheduled"], "meeting", -rng.integers(1, 10, size=total))
    step(at_least("interviewed"), "meeting", np.maximum(started - meet, 1))
    step(at_least("thanked"), "thank_you", np.maximum(started - meet - late, 0))
    step(at_least("followed_up"), "follow_up", np.maximum(started - meet - 30, 0))
    reported = referred & at_least("interviewed") & (rng.random(total) < 0.6)
    step(reported, "outcome_report", np.maximum(started - meet - 5, 0), about=True)

    bare = np.flatnonzero(~at_least("contacted"))
    who = np.concatenate([bare, *(p[0] for p in parts)])
    on_date = np.concatenate(
        [np.full(len(bare), np.datetime64("NaT"), "datetime64[D]"), *(p[1] for p in parts)]
    )
    kinds = np.concatenate(
        [np.full(len(bare), None, object), *(np.full(len(p[0]), p[2], object) for p in parts)]
    )
    abouts = np.concatenate(
        [
            np.full(len(bare), None, object),
            *(np.full(len(p[0]), None, object) if p[3] is None else p[3] for p in parts),
        ]
    )
    order = np.argsort(who, kind="stable")  # each student's rows stay in one block
    who, on_date, kinds, abouts = who[order], on_date[order], kinds[order], abouts[order]
    # A few thank-yous are marked only "yes" in a tracker: no date.
    undated = (kinds == "thank_you") & (rng.random(len(who)) < 0.05)
    table = pa.table(
        {
            "contact": pa.array(codes[who], pa.string()),
            "source_category": pa.array(source[who], pa.string()),
            "industry": pa.array(industry[who], pa.string()),
            "referred_by": pa.array(referred_by[who], pa.string()),
            "status": pa.array(status[who], pa.string()),
            "kind": pa.array(kinds, pa.string()),
            "on_date": pa.array(on_date, pa.date32(), mask=undated | np.isnat(on_date)),
            "about": pa.array(abouts, pa.string()),
        },
        schema=SHARE_SCHEMA,
    )
    bounds = np.searchsorted(owner[who], np.arange(students + 1))
    return CohortRows(
        table=table,
        offsets=[(int(bounds[i]), int(bounds[i + 1])) for i in range(students)],
        lags=[int(lag) for lag in lags],
        contacts=total,
    )
