"""The `wiredesk` command: ingest sources, query the warehouse, describe its schema."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from datetime import date, datetime
from typing import Any, Sequence

from flows import quality_commands

EXAMPLE_QUERY = "select outlet, count(*) as articles from articles group by 1 order by 2 desc, 1 nulls last"


def _quiet_prefect(verbose: bool) -> None:
    """Prefect settings for a command-line run; anything the user set wins."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # offline: no telemetry noise
    os.environ.setdefault("DO_NOT_TRACK", "1")  # nor the client-side telemetry notice
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wiredesk", description="Who published this news story, when, and where it really came from.")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="fetch, extract, check and store news sources")
    ingest.add_argument("sources", nargs="*", metavar="SOURCE", help="article or feed URL, .html/.htm/.txt file, directory, or WARC file (optional with --sources)")
    ingest.add_argument("--sources", dest="sources_file", metavar="FILE", help="a sources.toml naming feeds, sitemaps, URL lists, folders, WARC files, sites")
    ingest.add_argument("--only", nargs="+", action="extend", metavar="NAME", help="ingest only these sources of the sources file")
    ingest.add_argument("--data-dir", default="data", help="warehouse directory (default: ./data)")
    ingest.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes (default: one per core)")
    ingest.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="run extraction on this Dask scheduler's workers instead (see README: Scaling out)")
    ingest.add_argument("--page-timeout", type=float, default=2.0, metavar="SECONDS", help="fail the run when a chunk of pages is not analysed within 300 s + SECONDS per page (a lost worker, a hung page; default: 2)")
    ingest.add_argument("--batch-size", type=int, default=1000, help="pages per batch (default: 1000)")
    ingest.add_argument("--timeout", type=float, default=None, help="HTTP read timeout in seconds (default: 20)")
    ingest.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for another run writing to the same data dir (default: 0, exit with code 3 at once)")
    ingest.add_argument("--user-agent", metavar="UA", help='User-Agent for HTTP requests; include a contact, e.g. "wiredesk (+mailto:you@example.org)"')
    ingest.add_argument("--allow-address", nargs="+", action="extend", default=[], metavar="NET", help="also fetch from these non-public addresses or networks (e.g. 127.0.0.1, 10.0.0.0/8); refused by default")
    ingest.add_argument("--refetch", choices=("never", "changed", "always"), default="never", help="URLs earlier runs fetched: never (default: stored articles and permanent failures are skipped), changed (conditional GET with ETag/Last-Modified), always")
    ingest.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")

    query = commands.add_parser("query", help="run SQL against the warehouse (read-only)")
    query.add_argument("sql", nargs="?", default=EXAMPLE_QUERY, help=f'SQL (default: "{EXAMPLE_QUERY}")')
    query.add_argument("--data-dir", default="data")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--max-width", type=int, default=60, help="truncate table cells to this many characters")

    serve = commands.add_parser("serve", help="serve ingest deployments on their schedules from this process (needs a Prefect server)")
    serve.add_argument("sources", nargs="*", metavar="SOURCE", help="what the deployment ingests, as for `wiredesk ingest` (optional with --sources)")
    serve.add_argument("--sources", dest="sources_file", metavar="FILE", help="also serve one deployment per source of this sources file that has a `schedule` (named after the source)")
    serve.add_argument("--only", nargs="+", action="extend", metavar="NAME", help="serve only these sources of the sources file")
    serve.add_argument("--name", default="cli", help="deployment name of the SOURCE arguments, run it with `prefect deployment run wiredesk-ingest/NAME` (default: cli)")
    serve.add_argument("--cron", help='cron schedule in UTC, e.g. "*/30 * * * *" (default: none, runs only when triggered)')
    serve.add_argument("--data-dir", default="data", help="warehouse directory (default: ./data)")
    serve.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="how long a run waits for another run writing to the same data dir (default: 0, skip at once)")

    reprocess = commands.add_parser("reprocess", help="rebuild articles from the raw archive (no network): changed ones become new versions")
    reprocess.add_argument("--run", metavar="ID", help="the run whose archived responses to rebuild (default: the latest archived response of every URL)")
    reprocess.add_argument("--data-dir", default="data", help="warehouse directory (default: ./data)")
    reprocess.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes (default: one per core)")
    reprocess.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for another run writing to the same data dir")
    reprocess.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")

    schema = commands.add_parser("schema", help="describe the tables and their columns")
    schema.add_argument("table", nargs="?", help="one table (default: all)")
    quality_commands.add_commands(commands)

    args = parser.parse_args(argv)
    # Before anything imports Prefect: it reads its settings (log level, telemetry) on import.
    if args.command != "serve":  # serve shows Prefect's logs: it is a long-running service
        _quiet_prefect(getattr(args, "verbose", False))
    if args.command == "ingest":
        if not args.sources and not args.sources_file:
            parser.error("ingest: give at least one SOURCE or --sources FILE")
        if args.only and not args.sources_file:
            parser.error("ingest: --only needs --sources FILE")
        return run_ingest(args)
    if args.command == "query":
        return run_query(args)
    if args.command == "reprocess":
        from flows.runtime import start_prefect_api

        server = start_prefect_api()  # it starts while the flow's modules import
        from flows.reprocess import reprocess as flow

        return run_flow(flow, args, server=server, run=args.run, data_dir=args.data_dir, wait_seconds=args.wait)
    if args.command == "serve":
        if not args.sources and not args.sources_file:
            parser.error("serve: give at least one SOURCE or --sources FILE")
        if args.only and not args.sources_file:
            parser.error("serve: --only needs --sources FILE")
        return run_serve(args)
    if args.command == "rejected":
        return quality_commands.run_rejected(args)
    if args.command == "check":
        return quality_commands.run_check(args)
    return print_schema(args.table)


# ---------------------------------------------------------------- ingest


def run_ingest(args: argparse.Namespace) -> int:
    from flows.runtime import start_prefect_api

    http, problem = http_settings(args)
    if problem:
        print(f"wiredesk: {problem}", file=sys.stderr)
        return 2
    server = start_prefect_api()  # it starts while the imports below run
    from expectations.gate import load_validator
    from flows.ingest import ingest

    load_validator()
    return run_flow(ingest, args, server=server, sources=args.sources, data_dir=args.data_dir, batch_size=args.batch_size, http=http, sources_file=args.sources_file, only=args.only, wait_seconds=args.wait, page_seconds=args.page_timeout, refetch=args.refetch)


def run_flow(flow, args: argparse.Namespace, server=None, **parameters) -> int:
    """Run an ingest-like flow (ingest, reprocess) with a progress bar; print its summary; the exit code.

    `server`: the temporary Prefect server if the caller started it already (`start_prefect_api`).
    """
    from flows import progress
    from flows.runtime import prefect_api, task_runner
    from expectations.report import QualityGateFailed
    from warehouse.store import WarehouseLocked

    flow = flow.with_options(task_runner=task_runner(args.workers, getattr(args, "dask_address", None)))
    bar = ProgressBar()
    progress.listen(bar.update)
    try:
        with prefect_api(server):
            result = flow(**parameters)
    except QualityGateFailed as exc:  # what passed is stored: show the run, then fail
        print(summary(exc.result))
        print(f"wiredesk: {exc}", file=sys.stderr)
        return 1
    except WarehouseLocked as exc:
        print(f"wiredesk: {exc}; try again when it has finished", file=sys.stderr)
        return 3
    except Exception as exc:  # the run record in `runs` keeps the details; no traceback for users
        print(f"wiredesk: the run failed: {type(exc).__name__}: {exc} (rerun with -v for Prefect's logs)", file=sys.stderr)
        return 1
    finally:
        bar.close()
        progress.listen(None)
    print(summary(result))
    return 0 if result.run.status.startswith("completed") else 1


def run_serve(args: argparse.Namespace) -> int:
    _quiet_prefect(verbose=True)
    if not os.environ.get("PREFECT_API_URL"):
        print("wiredesk: `serve` needs a Prefect API: start one with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api (Prefect's temporary server cannot schedule runs)", file=sys.stderr)
        return 2
    from flows.deploy import deployment_specs, serve_deployments

    specs, problem = deployment_specs(args)
    if problem:
        print(f"wiredesk: {problem}", file=sys.stderr)
        return 2
    serve_deployments(specs)
    return 0


def http_settings(args: argparse.Namespace):
    """HTTP settings for a run: defaults, then the sources file's [fetch], then flags; or the sources file's problem."""
    from dataclasses import replace

    from tasks.fetch import HttpSettings
    from tasks.sources import SourcesFileError, read_sources_file

    http = HttpSettings()
    if args.sources_file:
        try:
            sources_file = read_sources_file(args.sources_file)
            sources_file.select(args.only)
        except SourcesFileError as exc:
            return None, str(exc)
        http = replace(http, **sources_file.fetch)
    if args.timeout is not None:
        http = replace(http, read_timeout=args.timeout)
    if args.user_agent:
        http = replace(http, user_agent=args.user_agent)
    if args.allow_address:
        from tasks.guard import parse_networks

        try:
            parse_networks(args.allow_address)
        except ValueError as exc:
            return None, f"--allow-address: {exc}"
        http = replace(http, allow_addresses=tuple(args.allow_address))
    return http, None


def _not_fetched(tally, reasons) -> list[str]:
    """Summary lines for what a run chose not to fetch, or found unchanged."""
    lines = []
    if tally.skipped:
        lines.append(f"  skipped             {sum(tally.skipped.values())}  {reasons(tally.skipped)} (see skipped_urls)")
    if tally.over_limit:
        lines.append(f"  over limit          {tally.over_limit}  (discovered beyond their source's limit: not fetched)")
    if tally.not_modified:
        lines.append(f"  not modified        {tally.not_modified}  (304 to a conditional GET: stored version current)")
    return lines


class ProgressBar:
    """A progress bar on stderr, only on a terminal and only once a run takes more than a moment."""

    DELAY = 1.0

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar = None
        self.task = None

    def update(self, done: int, known: int) -> None:
        if not sys.stderr.isatty() or time.monotonic() - self.started < self.DELAY:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress("pages", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("ingest", total=known)
        self.bar.update(self.task, completed=done, total=known)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _catalog(data_dir: str) -> str:
    """The DuckDB file to open (local even when the data dir is a URL), and where the tables are when elsewhere."""
    from warehouse.store import Warehouse

    store = Warehouse(data_dir)
    return str(store.db_path) if store.location.local else f"{store.db_path} (tables in {store.location.url})"


def summary(result) -> str:
    """The end-of-run summary."""
    run, tally = result.run, result.tally

    def reasons(counter) -> str:
        return ", ".join(f"{k}: {v}" for k, v in counter.most_common()) if counter else ""

    lines = [
        f"wiredesk run {run.run_id}: {run.status} in {run.seconds:.1f} s",
        f"  pages seen          {run.pages_seen}",
        f"  articles stored     {run.articles_stored}" + (f"  ({run.articles_unchanged} unchanged: already stored or repeated in this run)" if run.articles_unchanged else ""),
        f"  rejected            {run.rejected}" + (f"  {reasons(tally.rejected)}" if run.rejected else ""),
        f"  failed              {run.fetch_failures}" + (f"  {reasons(tally.failed)}" if run.fetch_failures else ""),
        f"  with wire credits   {run.with_wire}",
        *_not_fetched(tally, reasons),
        f"  warehouse           {_catalog(result.data_dir)}",
    ]
    if run.reprocessed_run:
        lines.insert(1, f"  reprocessed         {run.reprocessed_run} (from the raw archive, no network)")
    if run.duplicates:
        lines.append(f"  duplicates          {run.duplicates}  (same canonical URL as another page: see duplicate_articles)")
    if tally.batch_failures:
        lines.append(f"  quality gate        FAILED: {len(tally.batch_failures)} batch-level checks (see quality_results)")
        lines += [f"    {line}" for line in tally.batch_failures[:10]]
    if tally.drift:
        lines.append(f"  drift               {run.drift_alerts} outlet null-rate jumps against their history (see quality_results)")
        lines += [f"    {line}" for line in tally.drift[:10]]
    if run.quality_report:
        lines.append(f"  quality report      {run.quality_report}")
    return "\n".join(lines)


# ---------------------------------------------------------------- query and schema


def run_query(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.store import Warehouse

    try:
        table = Warehouse(args.data_dir).query(args.sql)
    except FileNotFoundError as exc:
        print(f"wiredesk: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"wiredesk: {exc}", file=sys.stderr)
        return 2
    rows = table.to_pylist()
    if args.format == "json":
        json.dump(rows, sys.stdout, default=_json_default, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(table.column_names)
        writer.writerows([_csv_cell(v) for v in row.values()] for row in rows)
    else:
        print(format_table(table.column_names, rows, args.max_width))
    return 0


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    return value


def format_table(columns: list[str], rows: list[dict], max_width: int = 60) -> str:
    """A plain-text table, cells truncated to max_width."""

    def cell(value: Any) -> str:
        if value is None:
            text = ""
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, float):
            text = f"{value:.4g}"
        else:
            text = str(value)
        text = " ".join(text.split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    body = [[cell(row[c]) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    line = lambda cells: " | ".join(v.ljust(w) for v, w in zip(cells, widths)).rstrip()
    out = [line(columns), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def print_schema(only: str | None = None) -> int:
    from warehouse.schema import TABLES, arrow_schema

    if only and only not in TABLES:
        print(f"wiredesk: no table {only!r}; tables: {', '.join(TABLES)}", file=sys.stderr)
        return 2
    for name, record_type in TABLES.items():
        if only and name != only:
            continue
        schema = arrow_schema(record_type)
        print(f"{name}: {schema.metadata[b'description'].decode()}")
        for f in schema:
            print(f"  {f.name:<24} {str(f.type):<28} {f.metadata[b'description'].decode()}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
