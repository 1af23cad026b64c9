"""Share files for tests, written straight from docs/share-format.md with pyarrow.

Independent of ``infoint_core.share`` (the student's writer), so the reader is tested
against the format as documented, and bad shares (a version 99, missing columns, loops)
can be made on purpose. ``demo_workspace_shares`` writes real shares of demo students
through the writer, for end-to-end tests.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

AS_OF = date(2026, 11, 21)
CREATED = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)

SCHEMA = pa.schema(
    [
        pa.field("contact", pa.string(), nullable=False),
        pa.field("source_category", pa.string(), nullable=False),
        pa.field("industry", pa.string(), nullable=False),
        pa.field("referred_by", pa.string()),
        pa.field("status", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("on_date", pa.date32()),
        pa.field("about", pa.string()),
    ]
)
Row = dict[str, Any]


def contact(
    code: str,
    steps: Sequence[tuple[str, date | None]] = (),
    *,
    source: str = "linkedin",
    industry: str = "technology",
    referred_by: str | None = None,
    status: str | None = None,
    about: Mapping[int, str] | None = None,
) -> list[Row]:
    """The rows of one contact: one per step, or one bare row when it has none.
    ``about`` gives, by step index, the opaque id an outcome report is about."""
    base = {"contact": code, "source_category": source, "industry": industry,
            "referred_by": referred_by, "status": status}  # fmt: skip
    if not steps:
        return [{**base, "kind": None, "on_date": None, "about": None}]
    return [
        {**base, "kind": kind, "on_date": on, "about": (about or {}).get(i)}
        for i, (kind, on) in enumerate(steps)
    ]


def share_bytes(
    rows: Iterable[Row],
    *,
    student: str = "s-0123456789abcdef",
    programme: str | None = "MSc Data Science",
    graduation_year: int | str | None = 2027,
    as_of: date = AS_OF,
    created_at: datetime = CREATED,
    version: str | None = "1",
    extra: Mapping[str, str] | None = None,
    schema: pa.Schema = SCHEMA,
) -> bytes:
    """A share file's bytes: ``rows`` under the documented columns and metadata."""
    metadata = {
        "infoint_share_version": version,
        "student": student,
        "programme": programme,
        "graduation_year": None if graduation_year is None else str(graduation_year),
        "as_of": as_of.isoformat(),
        "created_at": created_at.isoformat(),
        **(extra or {}),
    }
    rows = list(rows)
    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, schema) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata({k: v for k, v in metadata.items() if v is not None})
    return sink.getvalue()


def random_log(seed: int, as_of: date = AS_OF, contacts: int = 12) -> list[Row]:
    """A small plausible log: contacts at every stage, a referral chain, dated steps."""
    rng = random.Random(seed)
    rows: list[Row] = []
    codes = [f"{seed:04d}{i:020x}" for i in range(contacts)]
    for i, code in enumerate(codes):
        stage = rng.randrange(7)
        start = as_of - timedelta(days=rng.randrange(5, 200))
        steps: list[tuple[str, date | None]] = []
        if stage >= 1:
            steps.append(("outreach", start))
        if stage >= 2:
            steps.append(("response", start + timedelta(days=2)))
        if stage >= 3:
            met = start + timedelta(days=rng.randrange(4, 12))
            steps.append(("meeting", met if stage >= 4 else as_of + timedelta(days=5)))
        if stage >= 5:
            steps.append(("thank_you", start + timedelta(days=12 + rng.randrange(3))))
        if stage >= 6:
            steps.append(("follow_up", start + timedelta(days=30)))
        referrer = codes[i - 1] if i and rng.random() < 0.3 else None
        rows += contact(code, steps, referred_by=referrer)
    return rows


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip holding ``files`` (name → bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def parquet_bytes(
    columns: Mapping[str, list[Any]], metadata: Mapping[str, str] | None = None
) -> bytes:
    """Any Parquet file (not a share unless ``metadata`` makes it look like one)."""
    table = pa.table(dict(columns))
    if metadata:
        table = table.replace_schema_metadata(dict(metadata))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


# Real shares of demo students -----------------------------------------------------------

# 60 students over four programmes of unequal size: the smallest is below the default
# min-cell of 10, so it is withheld, and the next smallest with it.
DEMO_PROGRAMMES: tuple[tuple[str, int], ...] = (
    ("MSc Data Science", 28),
    ("MA International Relations", 17),
    ("BSc Economics", 11),
    ("MEng Robotics", 4),
)


def demo_workspace_shares(folder: Path, as_of: date = AS_OF) -> list[Path]:
    """Write one share per demo student (seeds 1..60) into ``folder`` through the
    student's writer, ``infoint_core.share.write_share``.

    All students live in one in-memory workspace as separate owners (the demo generator
    with another seed per student), which is much quicker than sixty workspaces and
    gives the same logs. Graduation years alternate 2026/2027.
    """
    from infoint_core.demo import DEMO_KIND, build_demo
    from infoint_core.ingest import store_parsed
    from infoint_core.share import write_share
    from infoint_core.store import open_memory_workspace

    store = open_memory_workspace()
    paths = []
    seed = 0
    try:
        for programme, size in DEMO_PROGRAMMES:
            for _ in range(size):
                seed += 1
                counts = store_parsed(
                    store, [build_demo(as_of, seed)], file_name="demo", sha256=f"demo-{seed}",
                    kind=DEMO_KIND, owner=f"student {seed}", origin="demo",
                )  # fmt: skip
                (owner_id,) = counts.owner_ids
                paths.append(
                    write_share(
                        store, owner_id, folder, as_of=as_of, programme=programme,
                        graduation_year=2026 + seed % 2,
                    )
                )  # fmt: skip
    finally:
        store.close()
    return paths
