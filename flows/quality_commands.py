"""`wiredesk rejected` and `wiredesk check`: the quality gate seen from the command line."""

from __future__ import annotations

import argparse
import sys


def add_commands(commands) -> None:
    rejected = commands.add_parser("rejected", help="list the articles the quality gate refused, with every failed expectation and value")
    rejected.add_argument("--run", metavar="ID", help="only this run's refusals")
    rejected.add_argument("--duplicates", action="store_true", help="list the pages set aside as duplicates of another page instead")
    rejected.add_argument("--limit", type=int, default=50, help="at most this many rows, newest first (default: 50)")
    rejected.add_argument("--data-dir", default="data")
    rejected.add_argument("--format", choices=("table", "csv", "json"), default="table")
    rejected.add_argument("--max-width", type=int, default=60)

    check = commands.add_parser("check", help="re-validate stored data with the current suites and record the verdicts")
    check.add_argument("--run", metavar="ID", help="the articles and fetches of this run (default: every latest article)")
    check.add_argument("--data-dir", default="data")


REJECTED_SQL = """
SELECT run_id, url, title, outlet, reasons, offending_values FROM rejected_articles
{where} ORDER BY rejected_at DESC, url LIMIT {limit}
"""
DUPLICATES_SQL = """
SELECT run_id, url, kept_url, reason FROM duplicate_articles
{where} ORDER BY found_at DESC, url LIMIT {limit}
"""


def run_rejected(args: argparse.Namespace) -> int:
    from flows.cli import run_query

    template = DUPLICATES_SQL if args.duplicates else REJECTED_SQL
    where = "WHERE run_id = '" + args.run.replace("'", "''") + "'" if args.run else ""
    args.sql = template.format(where=where, limit=max(int(args.limit), 0))
    return run_query(args)


def run_check(args: argparse.Namespace) -> int:
    from expectations.check import check_stored
    from expectations.report import failure_lines

    try:
        result = check_stored(args.data_dir, args.run)
    except (FileNotFoundError, LookupError) as exc:
        print(f"wiredesk: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    scope = f"run {result.run_id}" if result.run_id else "all stored articles"
    passed = len(result.results) - len(result.failed)
    print(f"wiredesk check {result.check_id}: {scope}: {'passed' if result.ok else 'FAILED'}")
    print(f"  checked             {result.articles} articles, {result.fetches} fetches")
    print(f"  expectations        {passed} passed, {len(result.failed)} failed")
    for line in failure_lines([r for r in result.failed if r.level == "row"]):
        print(f"  row    {line}")
    for line in failure_lines([r for r in result.failed if r.level == "batch"]):
        print(f"  batch  {line}")
    for line in failure_lines([r for r in result.failed if r.level == "drift"]):
        print(f"  drift  {line}")
    for r in result.refused[:10]:
        print(f"  would refuse {r.url}: {', '.join(r.offending_values)}")
    if len(result.refused) > 10:
        print(f"  ... and {len(result.refused) - 10} more articles")
    if result.report:
        print(f"  quality report      {result.report}")
    print(f"  verdicts            select * from quality_results where check_id = '{result.check_id}'")
    return 0 if result.ok else 1
