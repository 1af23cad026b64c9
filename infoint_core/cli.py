"""The ``infoint`` command: a thin skin over the core.

Each command parses its arguments, calls one core function and prints. Every
``InfointError`` becomes one line on stderr and exit status 1, in ``main`` alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from infoint_core import __version__
from infoint_core.errors import InfointError
from infoint_core.store import Store, open_workspace

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except InfointError as e:
        print(f"infoint: error: {e}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="infoint",
        description="infoint: an analytics workbench for information-interview networking.",
        epilog="Example: infoint import ~/Downloads/Basic_LinkedInDataExport.zip",
    )
    parser.add_argument("--version", action="version", version=f"infoint {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="workspace file (default: $INFOINT_DB or data/infoint.duckdb)"
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(commands)
    return parser


def workspace(args: argparse.Namespace) -> Store:
    return open_workspace(args.db)


def as_of_date(text: str) -> date:
    """argparse type for ``--as-of YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-21") from e


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _command(commands: Any, name: str, handler: Handler, help_text: str, example: str) -> Any:
    sub = commands.add_parser(
        name, help=help_text, description=help_text, epilog=f"Example: {example}"
    )
    sub.set_defaults(handler=handler)
    return sub


def _add_read_options(sub: Any) -> None:
    """The options every read-out takes: whose log, on which day, as JSON."""
    sub.add_argument("--owner", help="only this student's log (default: every owner)")
    sub.add_argument("--as-of", type=as_of_date, help="judge on this day (default today)")
    sub.add_argument("--json", action="store_true", help="print the result as JSON")


# import ----------------------------------------------------------------------------


def _register_import(commands: Any) -> None:
    sub = _command(
        commands, "import", run_import,
        "Import LinkedIn export files (zip or CSV) and trackers (.xlsx, .xlsm, .csv, .tsv).",
        "infoint import Connections.csv tracker.xlsx --map 'Org=company'",
    )  # fmt: skip
    sub.add_argument("paths", nargs="+", metavar="PATH", help="files to import")
    sub.add_argument("--owner", help="the student whose log this is (default: the only one)")
    sub.add_argument(
        "--map", action="append", default=[], metavar="HEADER=FIELD",
        help="read a tracker column as a field, e.g. 'Org=company' (repeatable)",
    )  # fmt: skip
    sub.add_argument(
        "--date-order", choices=["DMY", "MDY"], default="DMY",
        help="day/month order for dates like 03/04/2026 when a column does not say (DMY)",
    )  # fmt: skip
    sub.add_argument("--json", action="store_true", help="print the result as JSON")


def run_import(args: argparse.Namespace) -> int:
    from infoint_core.headers import parse_map_option
    from infoint_core.importers import ImportOptions, import_path

    mapping = dict(parse_map_option(text) for text in args.map)
    options = ImportOptions(owner=args.owner, mapping=mapping, date_order=args.date_order)
    store = workspace(args)
    results = [import_path(store, path, options) for path in args.paths]
    if args.json:
        print_json({"files": [r.as_dict() for r in results]})
    else:
        for result in results:
            _print_import_result(result)
    return 1 if any(r.error for r in results) else 0


def _print_import_result(result: Any) -> None:
    if result.error:
        print(f"infoint: error: {result.error}", file=sys.stderr)
        return
    print(
        f"{Path(result.path).name} ({result.kind}, {result.rows:,} rows): "
        f"{result.contacts_added:,} contacts added, {result.contacts_updated:,} updated, "
        f"{result.events_added:,} steps added"
    )
    for warning in result.warnings:
        print(f"  warning: {warning}")


# contacts --------------------------------------------------------------------------


def _register_contacts(commands: Any) -> None:
    sub = _command(
        commands, "contacts", run_contacts,
        "List contacts with the furthest stage each has reached.",
        "infoint contacts --owner 'Ada' --json",
    )  # fmt: skip
    _add_read_options(sub)


def run_contacts(args: argparse.Namespace) -> int:
    from infoint_core.contacts import list_contacts

    contacts = list_contacts(workspace(args), args.owner, args.as_of)
    if args.json:
        print_json(contacts)
        return 0
    for c in contacts:
        where = " · ".join(v for v in (c["position"], c["company"]) if v)
        print(f"{c['name']:<32} {c['stage']:<12} {where}")
    print(f"{len(contacts):,} contacts")
    return 0


# demo ------------------------------------------------------------------------------


def _register_demo(commands: Any) -> None:
    sub = _command(
        commands, "demo", run_demo,
        "Fill the workspace with a realistic demo log (or remove it with --clear).",
        "infoint --db /tmp/demo.duckdb demo --as-of 2026-11-21",
    )  # fmt: skip
    sub.add_argument("--as-of", type=as_of_date, help="the day the demo is set on (default today)")
    sub.add_argument("--seed", type=int, default=7, help="another seed gives another demo log")
    sub.add_argument("--clear", action="store_true", help="remove the demo data instead")


def run_demo(args: argparse.Namespace) -> int:
    from infoint_core.demo import clear_demo, load_demo

    store = workspace(args)
    if args.clear:
        print(f"{clear_demo(store):,} demo contacts removed")
        return 0
    counts = load_demo(store, args.as_of, args.seed)
    print(f"demo log loaded: {counts.contacts_added:,} contacts, {counts.events_added:,} steps")
    return 0


# template --------------------------------------------------------------------------


def _register_template(commands: Any) -> None:
    sub = _command(
        commands, "template", run_template,
        "Write an empty tracker workbook to start a log in.",
        "infoint template my-tracker.xlsx",
    )  # fmt: skip
    sub.add_argument("out", metavar="OUT.xlsx", help="where to write the workbook")


def run_template(args: argparse.Namespace) -> int:
    from infoint_core.template import write_template

    print(f"tracker template written to {write_template(args.out)}")
    return 0


# metrics ---------------------------------------------------------------------------


def _register_metrics(commands: Any) -> None:
    sub = _command(
        commands, "metrics", run_metrics,
        "Show the funnel, the follow-up gaps and the referral chains on a day.",
        "infoint metrics --owner 'Ada' --as-of 2026-11-21 --json",
    )  # fmt: skip
    _add_read_options(sub)


def run_metrics(args: argparse.Namespace) -> int:
    from infoint_core.metrics import compute_metrics, format_metrics

    metrics = compute_metrics(workspace(args), args.owner, args.as_of)
    if args.json:
        print_json(metrics)
    else:
        print(format_metrics(metrics))
    return 0


# prep ------------------------------------------------------------------------------


def _register_prep(commands: Any) -> None:
    sub = _command(
        commands, "prep", run_prep,
        "Print a prep plan for a meeting: an opening, questions tailored to the contact and "
        "the time, and before/after checklists.",
        "infoint prep 'Ada Lovelace' --minutes 30 --format json",
    )  # fmt: skip
    sub.add_argument("contact", metavar="CONTACT", help="the contact's name (case and accents "
                     "do not matter; 'Name (Organisation)' picks between namesakes)")  # fmt: skip
    sub.add_argument(
        "--minutes", type=int, default=20, metavar="N",
        help="how long the meeting is, 5 to 90 minutes (default 20)",
    )  # fmt: skip
    sub.add_argument(
        "--format", choices=["md", "json", "html"], default="md",
        help="Markdown (default), JSON, or a printable HTML page",
    )  # fmt: skip
    sub.add_argument("--owner", help="look for the contact in this student's log only")
    sub.add_argument(
        "--save", action="store_true",
        help="also save the plan against the contact's next meeting (closes the prep gap)",
    )  # fmt: skip
    sub.add_argument("--as-of", type=as_of_date, help="plan as on this day (default today)")


def run_prep(args: argparse.Namespace) -> int:
    from infoint_core import prep, prep_export
    from infoint_core.owners import owner_filter

    store = workspace(args)
    contact_id = prep.resolve_contact(store, args.contact, owner_filter(store, args.owner))
    plan = prep.build_prep_plan(store, contact_id, args.minutes, as_of=args.as_of)
    if args.format == "json":
        print_json(prep.plan_to_json(plan))
    else:
        render = prep_export.plan_to_html if args.format == "html" else prep_export.plan_to_markdown
        print(render(plan), end="")
    if args.save:
        prep.save_prep_plan(store, plan)
        when = f"the meeting on {prep.long_date(plan.meeting_on)}" if plan.meeting_on else (
            "the next meeting (none arranged yet)")  # fmt: skip
        print(f"prep plan saved for {plan.contact}, {when}", file=sys.stderr)
    return 0


# share -----------------------------------------------------------------------------


def _register_share(commands: Any) -> None:
    sub = _command(
        commands, "share", run_share,
        "Write a de-identified share file for your career centre: no names, emails, profile "
        "URLs, organisations, positions, notes or messages; contacts as random codes.",
        "infoint share --out my.infoint-share.parquet --programme 'MSc Data Science' --year 2027",
    )  # fmt: skip
    whose = sub.add_mutually_exclusive_group()
    whose.add_argument("--owner", help="the student whose log to share (default: the only one)")
    whose.add_argument(
        "--all", action="store_true",
        help="write one share per owner into the folder --out (a combined tracker)",
    )  # fmt: skip
    sub.add_argument(
        "--out", required=True, metavar="PATH",
        help="the file to write (a folder: named by the student's pseudonym)",
    )  # fmt: skip
    sub.add_argument("--programme", help="your programme; given once, it is kept")
    sub.add_argument("--year", type=int, help="your graduation year; given once, it is kept")
    sub.add_argument("--as-of", type=as_of_date, help="the day the share is for (default today)")


def run_share(args: argparse.Namespace) -> int:
    from infoint_core import share
    from infoint_core.demo import has_demo

    store = workspace(args)
    options: dict[str, Any] = {
        "as_of": args.as_of,
        "programme": args.programme,
        "graduation_year": args.year,
    }
    if args.all:
        paths = share.write_all_shares(store, args.out, **options)
    else:
        owner_id = share.share_owner(store, args.owner)
        paths = [share.write_share(store, owner_id, args.out, **options)]
    for path in paths:
        print(f"share written to {path}")
    if has_demo(store):
        print("infoint: note: the workspace still holds the demo log, so the share does too "
              "(infoint demo --clear removes it)", file=sys.stderr)  # fmt: skip
    return 0


# cohort ----------------------------------------------------------------------------


def _register_cohort(commands: Any) -> None:
    sub = _command(
        commands, "cohort", run_cohort,
        "Cohort statistics from students' share files, for a career centre. Any figure about "
        "fewer than --min-cell students is withheld, and so is any that would give one away.",
        "infoint cohort shares/ --by programme --json --xlsx cohort.xlsx",
    )  # fmt: skip
    sub.add_argument(
        "paths", nargs="+", metavar="PATH", help="share files, zips of them, or folders"
    )
    sub.add_argument(
        "--min-cell", type=int, default=10, metavar="N",
        help="withhold figures about fewer than N students (default 10, at least 5)",
    )  # fmt: skip
    sub.add_argument(
        "--by", choices=["programme", "year"], help="also give each programme or graduation year"
    )
    sub.add_argument(
        "--as-of", type=as_of_date, help="judge on this day (default: the newest share's day)"
    )
    sub.add_argument("--json", action="store_true", help="print the statistics as JSON")
    sub.add_argument("--xlsx", metavar="FILE", help="also write an Excel report to FILE")
    sub.add_argument("--html", metavar="FILE", help="also write a printable HTML report to FILE")


def run_cohort(args: argparse.Namespace) -> int:
    from infoint_core import cohort, cohort_report

    cohort.check_min_cell(args.min_cell)
    try:
        facts = cohort.read_cohort(args.paths, args.as_of)
    except cohort.NoShareError as e:
        for error in e.errors:
            print(f"infoint: error: {error}", file=sys.stderr)
        raise
    for error in facts.errors:
        print(f"infoint: error: {error} (skipped)", file=sys.stderr)
    summary = cohort.summarise_cohort(facts, args.min_cell)
    if args.json:
        print_json(cohort.cohort_to_json(summary, args.by))
    else:
        print(cohort.format_cohort(summary, args.by))
    notes = sys.stderr if args.json else sys.stdout  # stdout stays pure JSON
    if args.xlsx:
        written = cohort_report.write_xlsx_report(summary, args.xlsx)
        print(f"report written to {written}", file=notes)
    if args.html:
        written = cohort_report.write_html_report(summary, args.html)
        print(f"report written to {written}", file=notes)
    return 0


COMMANDS: list[Callable[[Any], None]] = [
    _register_import,
    _register_contacts,
    _register_demo,
    _register_template,
    _register_metrics,
    _register_prep,
    _register_share,
    _register_cohort,
]
