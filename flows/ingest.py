"""The ingest flow: any news source in, checked provenance rows out.

discover sources -> fetch pages -> expand feeds -> extract articles and trace provenance
(worker processes or a Dask cluster) -> validate (Great Expectations) -> store (Parquet + DuckDB views)

Work moves in batches of a few hundred pages so Prefect's per-task overhead stays
invisible and memory stays bounded whatever the input size.  Batches are passed to tasks
`quote()`d: Prefect otherwise walks every nested object of every argument looking for
futures (measured: 6 ms of the flow process's CPU per page, a third of extraction's).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import socket
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import progress
from expectations.report import QualityGateFailed, build_quality_docs, failure_lines, publish_verdicts, verdicts_markdown
from flows.artifacts import publish_run_artifacts
from flows.runtime import ResultWait, chunk_result
from flows.overlap import skip_run
from expectations.gate import Verdict, validate_articles
from tasks.analyse import Chunk, analyse_pages, warm_up
from tasks.archive import archive_pages
from tasks.discovery import Frontier
from tasks.feeds import expand_feeds
from tasks import VERSION
from tasks.fetch import NOT_FAILURES, HttpSettings, fetch_pages
from tasks.sources import discover_all, discover_specs, read_sources_file
from warehouse.schema import Article, Credit, DateCandidate, Duplicate, Fetch, Page, PageRequest, Rejection, QualityResult, Run, Skip, to_arrow
from warehouse.store import Warehouse, WarehouseLocked

DEFAULT_BATCH = 1000
# At most this many pages per extraction task (~25 s of work).  A task submitted to Prefect's
# process pool costs ~90 ms of the flow's CPU (it serialises its settings context) and ~0.7 s of
# a worker's (measured on this machine kind): 80-page tasks spent ~10 ms a page on that.
PAGES_PER_TASK = 250
MIN_PAGES_PER_TASK = 40


@dataclass
class Tally:
    """Counts of one run, as the summary shows them."""

    pages_seen: int = 0
    stored: int = 0
    unchanged: int = 0
    with_wire: int = 0
    failed: Counter = field(default_factory=Counter)  # error_class (with HTTP status) -> pages
    not_modified: int = 0  # 304s to conditional GETs (--refetch changed): fetched, nothing new
    skipped: Counter = field(default_factory=Counter)  # reason -> discovered URLs not fetched (see skipped_urls)
    over_limit: int = 0  # discovered URLs beyond their source's limit
    rejected: Counter = field(default_factory=Counter)  # failed expectation -> articles
    rejected_articles: int = 0
    duplicates: int = 0
    checks: Counter = field(default_factory=Counter)  # (level, "all"|"failed") -> expectation verdicts
    batch_failures: list[str] = field(default_factory=list)  # failed batch-level checks, described
    drift: list[str] = field(default_factory=list)  # per-outlet null-rate jumps, described (5 per batch at most)


@dataclass(frozen=True)
class RunResult:
    """What a run returns: its record (as stored in `runs`) and the counts behind the summary."""

    run: Run
    tally: Tally
    data_dir: str


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@task(cache_policy=NO_CACHE)
def discover_sources(sources: list[str], specs: list | None = None) -> list[PageRequest]:
    """Expand SOURCE arguments and sources-file entries into page requests (files, directory trees, WARC records, URLs)."""
    return discover_all(sources) + discover_specs(specs or [])


@task(cache_policy=NO_CACHE)
def store_batch(data_dir: str, run_id: str, batch: int, fetches: list[Fetch], verdict: Verdict, skips: list[Skip] | None = None, dates: list[DateCandidate] = ()) -> dict[str, int]:
    """Append a checked batch: fetch log, skipped URLs, new article versions, their credits and date candidates, rejections, verdicts."""
    store = Warehouse(data_dir)
    part = f"part-{run_id}-{batch:05d}"
    store.write("fetches", to_arrow(fetches, Fetch), part)
    store.write("skipped_urls", to_arrow(skips or [], Skip), part)
    articles = to_arrow(verdict.articles, Article)
    new = store.new_rows("articles", articles, keys=("article_id", "content_hash"))
    store.write("articles", new, part)
    new_keys = set(zip(new.column("article_id").to_pylist(), new.column("content_hash").to_pylist()))
    credits = [c for c in verdict.credits if (c.article_id, c.content_hash) in new_keys]
    store.write("article_credits", to_arrow(credits, Credit), part)
    store.write("article_dates", to_arrow([d for d in dates if (d.article_id, d.content_hash) in new_keys], DateCandidate), part)
    rejected = store.new_rows("rejected_articles", to_arrow(verdict.rejections, Rejection), keys=("url", "content_hash"))
    store.write("rejected_articles", rejected, part)
    store.write("quality_results", to_arrow(verdict.results, QualityResult), part)
    store.write("duplicate_articles", store.new_rows("duplicate_articles", to_arrow(verdict.duplicates, Duplicate), keys=("url", "content_hash")), part)
    return {
        "stored": new.num_rows,
        "unchanged": articles.num_rows - new.num_rows,
        "with_wire": sum(1 for w in new.column("wire_services").to_pylist() if w),
    }


@dataclass
class Batch:
    """A fetched batch whose extraction has been handed to the task runner."""

    number: int
    requests: list[PageRequest]
    fetched: list[Page]  # one per request
    skips: list[Skip]  # URLs discovery yielded that this batch's turn decided not to fetch
    pages: list[Page]  # fetched minus feeds
    feeds: list[Fetch]
    futures: list  # (analysis future or an in-process batch's finished result, pages in its chunk)
    known: int  # pages known so far, feed entries included

    def analysed(self, wait: ResultWait = ResultWait()) -> tuple[list[Article], list[Credit], list[DateCandidate]]:
        """The batch's articles, credits and date candidates, in page order, once every chunk is done (ExtractionTimeout if one never is)."""
        articles, credits, dates = [], [], []
        for i, (future, size) in enumerate(self.futures):
            chunk_articles, chunk_credits, chunk_dates = chunk_result(future, size, wait, f"chunk {i + 1} of batch {self.number}")
            articles += chunk_articles
            credits += chunk_credits
            dates += chunk_dates
        return articles, credits, dates


def chunk_count(pages: int, pages_per_task: int) -> int:
    """How many extraction tasks a batch of `pages` becomes before tapering (1: analysed in this process)."""
    return max(-(-pages // max(pages_per_task, 1)), 2 if pages >= 2 * MIN_PAGES_PER_TASK else 1)


def chunk_sizes(pages: int, pages_per_task: int, taper: bool = False) -> list[int]:
    """The sizes of a batch's extraction tasks, in submission order.

    Equal chunks rather than full ones and a remainder: a 1,000-page batch is 4 tasks of 250,
    a 924-page one 4 of 231, so two workers finish a batch together; from 80 pages on, a batch
    is at least two tasks, so a small run still uses two workers.  With `taper` (a batch no
    other batch's work will follow: the run's last, or each batch of a run that waits for
    every batch) the last chunk is halved, and its second half again, down to
    MIN_PAGES_PER_TASK: while one worker finishes the last chunk the others have nothing to
    do, and with 231-page chunks that was ~9 s of an idle core at the end of a 2,000-page run.
    """
    count = chunk_count(pages, pages_per_task)
    sizes = [(i + 1) * pages // count - i * pages // count for i in range(count)]
    if taper and count > 1:
        while sizes[-1] >= 2 * MIN_PAGES_PER_TASK:
            last = sizes.pop()
            sizes += [last - last // 2, last // 2]
    return sizes


def submit_extraction(pages: list[Page], run_id: str, pages_per_task: int, taper: bool = False) -> list:
    """Hand extraction and provenance to the flow's task runner in chunks (processes locally, Dask when scaled out)."""
    sizes = chunk_sizes(len(pages), pages_per_task, taper)
    if len(sizes) <= 1:
        # Starting worker processes costs seconds: not worth it for one task's worth of pages.
        return [(analyse_pages(Chunk(pages), run_id), len(pages))] if pages else []
    ends = list(itertools.accumulate(sizes))
    return [(analyse_pages.submit(Chunk(pages[end - size : end]), run_id), size) for end, size in zip(ends, sizes)]


def batches_in_flight(queue: list[PageRequest], run_id: str, batch_size: int, http: HttpSettings | None, pages_per_task: int, frontier: Frontier, data_dir: str):
    """Fetch batches and start their extraction one batch ahead of the caller; `frontier` decides
    which discovered URLs are fetched at all.

    While the caller traces, validates and stores batch N in this process, the workers
    already extract batch N+1: the serial steps overlap the parallel one.
    """
    queue = frontier.admit(queue)
    known, number, ahead = len(queue), 0, None
    while queue or ahead:
        current = None
        if queue:
            requests, queue = queue[:batch_size], queue[batch_size:]
            fetched = fetch_pages(quote(requests), run_id, http)
            archive_pages(data_dir, run_id, number, quote(fetched))  # raw first, before anything parses it
            pages, entries, feeds = expand_feeds(quote(fetched))
            entries = frontier.admit(entries)
            queue += entries
            known += len(entries)
            futures = submit_extraction([p for p in pages if p.fetch.ok], run_id, pages_per_task, taper=not queue)
            current = Batch(number, requests, fetched, frontier.drain(), pages, feeds, futures, known)
            number += 1
        if ahead:
            yield ahead
        ahead = current


@flow(name="wiredesk-ingest", task_runner=ProcessPoolTaskRunner())
def ingest(
    sources: list[str] | None = None,
    data_dir: str = "data",
    batch_size: int = DEFAULT_BATCH,
    http: HttpSettings | None = None,
    pages_per_task: int = PAGES_PER_TASK,
    sources_file: str | None = None,
    only: list[str] | None = None,
    wait_seconds: float = 0.0,
    page_seconds: float = ResultWait.seconds_per_page,
    worker_start_seconds: float = ResultWait.start_seconds,
    refetch: str = "never",
) -> RunResult:
    """Ingest news sources into the wiredesk warehouse.

    Args:
        sources: URLs (articles or RSS/Atom feeds), .html/.htm/.txt files, directories, WARC files.
        data_dir: Directory holding the Parquet tables and wiredesk.duckdb.
        batch_size: Pages fetched, extracted, validated and stored together.
        http: Limits of the HTTP fetcher (timeouts, size cap, concurrency, retry policy).
        pages_per_task: Pages per extraction task submitted to the task runner.
        sources_file: A sources.toml naming sources (feeds, sitemaps, URL lists, folders, WARC files, sites).
        only: Names of the sources file's sources to ingest (default: all of them).
        wait_seconds: How long to wait for another run writing to the same data_dir; then
            the run is skipped (Prefect state Skipped, type CANCELLED; status `skipped` in
            `runs`) without touching the warehouse, and calling the flow raises WarehouseLocked.
        page_seconds: With worker_start_seconds, how long to wait for a chunk of analysis
            (start + pages x page_seconds) before the run fails with ExtractionTimeout
            (a lost Dask worker or a hung page would otherwise block the run for ever).
        worker_start_seconds: The part of that bound allowed for a worker's start-up.
        refetch: URLs earlier runs fetched: "never" skips stored ones (the default: articles
            rarely change and hourly polls would re-fetch them all), "changed" fetches them with
            If-None-Match / If-Modified-Since, "always" fetches everything again (permanent
            failures too).  See tasks/discovery.py: REFETCH_POLICIES.
    """
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    run_id = new_run_id(started)
    sources = list(sources or [])
    specs, http = _sources_file(sources_file, only, http)
    if not sources and not specs:
        raise ValueError("nothing to ingest: give SOURCE arguments or a sources file")
    frontier = Frontier(data_dir=data_dir, refetch=refetch, retry=(http or HttpSettings()).retry, run_id=run_id)
    store = Warehouse(data_dir)
    asked = tuple(sources) + tuple(f"{sources_file}#{s.name}" for s in specs)
    record = Run(run_id=run_id, flow_run_id=_flow_run_id(), started_at=started, status="running", sources=asked, wiredesk_version=VERSION)
    tally = Tally()

    holder = f"run {run_id} (pid {os.getpid()} on {socket.gethostname()}, started {started:%Y-%m-%d %H:%M:%S} UTC)"
    held = contextlib.ExitStack()
    try:
        held.enter_context(store.writer_lock(wait_seconds, holder=holder))
    except WarehouseLocked as locked:  # overlapping runs: this one is skipped, not failed
        return skip_run(store, record, locked, clock, get_run_logger())
    with held, RecordedRun(store, record, tally, clock) as recorded:
        queue = discover_sources(sources, specs)
        warming = start_workers() if chunk_count(min(len(queue), batch_size), pages_per_task) > 1 else []
        for batch in batches_in_flight(queue, run_id, batch_size, http, pages_per_task, frontier, data_dir):
            articles, credits, dates = batch.analysed(ResultWait(worker_start_seconds, page_seconds))
            fetch_log = [p.fetch for p in batch.pages] + batch.feeds
            verdict = validate_articles(quote(articles), quote(credits), run_id, batch.number, quote(fetch_log), data_dir)
            counts = store_batch(data_dir, run_id, batch.number, quote(fetch_log), quote(verdict), quote(batch.skips), quote(dates))

            _count(tally, batch.requests, batch.fetched, verdict, counts)
            tally.skipped.update(s.reason for s in batch.skips)
            progress.report(tally.pages_seen, batch.known)
        # Skips found after the last batch was fetched (its discoveries all skipped).
        late = frontier.drain()
        if late:
            store.write("skipped_urls", to_arrow(late, Skip), f"part-{run_id}-late")
            tally.skipped.update(s.reason for s in late)
        tally.over_limit = sum(frontier.over_limit.values())
        for future in warming:  # long done; bounded anyway, like every wait on a worker
            future.wait(timeout=worker_start_seconds)
        recorded.ended(*final_status(tally))
    return run_outcome(RunResult(run=recorded.record, tally=tally, data_dir=str(store.root)))


def start_workers() -> list:
    """Start the task runner's worker processes now, so that their imports and start-up (~3-4 s of
    CPU each) overlap the first batch's fetch rather than delay its extraction.  Called once
    discovery has found enough pages for worker tasks (fewer are analysed in this process).

    Only where extraction leaves this process: local worker processes (all spawned at the
    first submit; each of the warm-up tasks keeps one busy loading) or a Dask cluster (its
    workers import on their first task).
    """
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    if isinstance(runner, ProcessPoolTaskRunner):
        count = runner._max_workers or os.cpu_count() or 1  # no public accessor; set from --workers
    elif type(runner).__name__ == "DaskTaskRunner":
        count = len(runner.client.scheduler_info().get("workers", {}))
    else:
        return []
    return [warm_up.submit() for _ in range(count)]


def open_run(store: Warehouse, record: Run) -> None:
    """Under the writer lock: set the warehouse up, mark runs a dead process left running, record this one as running."""
    store.ensure()
    for stale in store.recover_interrupted_runs(found_by=record.run_id):
        get_run_logger().warning("run %s was left running by a process that died: marked interrupted", stale)
    store.write("runs", to_arrow([record], Run), record.run_id)


class RecordedRun:
    """A run's record: written as running on entry (under the writer lock), and on exit with how
    the run ended: the status given to `ended`, the exception that ended it ("failed", then the
    flow fails), or "interrupted" (Ctrl-C)."""

    def __init__(self, store: Warehouse, record: Run, tally: Tally, clock: float):
        self.store, self.record, self.tally, self.clock = store, record, tally, clock
        self.status, self.message = "failed", "interrupted"

    def __enter__(self) -> "RecordedRun":
        open_run(self.store, self.record)
        return self

    def ended(self, status: str, message: str | None) -> None:
        self.status, self.message = status, message

    def __exit__(self, kind, exc, _trace) -> bool:
        if isinstance(exc, Exception):
            self.status, self.message = "failed", f"{type(exc).__name__}: {exc}"
        self.record = finish_run(self.store, self.record, self.tally, self.status, self.message, self.clock)
        return False  # the exception goes on


def final_status(tally: Tally) -> tuple[str, str | None]:
    """How a run that went through all its batches ended, and why if it failed."""
    # A failed batch-level check fails the run; everything that passed is already stored.
    if tally.batch_failures:
        return "failed", f"quality gate: {len(tally.batch_failures)} batch-level checks failed"
    return ("completed_with_warnings" if tally.drift else "completed"), None


def finish_run(store: Warehouse, record: Run, tally: Tally, status: str, message: str | None, clock: float) -> Run:
    """Write a run's final record (counts, status, quality report) and refresh the views."""
    record = replace(
        record,
        finished_at=datetime.now(timezone.utc),
        status=status,
        pages_seen=tally.pages_seen,
        fetch_failures=sum(tally.failed.values()),
        articles_stored=tally.stored,
        articles_unchanged=tally.unchanged,
        rejected=tally.rejected_articles,
        with_wire=tally.with_wire,
        seconds=round(time.perf_counter() - clock, 3),
        message=message,
        quality_report=build_quality_docs(str(store.root), record.run_id),
        batch_failures=len(tally.batch_failures),
        drift_alerts=tally.checks["drift_alerts"],
        duplicates=tally.duplicates,
        skipped=sum(tally.skipped.values()),
    )
    store.write("runs", to_arrow([record], Run), record.run_id)
    store.refresh_views()
    return record


def run_outcome(result: RunResult):
    """Publish a finished run's artifacts and verdicts; the result, or a Failed state when the gate failed."""
    logger = get_run_logger()
    record, tally, run_id = result.run, result.tally, result.run.run_id
    try:
        publish_run_artifacts(result)
    except Exception as exc:  # the data is stored; a UI summary that fails must not fail the run
        logger.warning("could not publish the run's artifacts: %s: %s", type(exc).__name__, exc)
    logger.info("run %s: %s pages, %s stored, %s rejected, %s failed", run_id, tally.pages_seen, tally.stored, tally.rejected_articles, sum(tally.failed.values()))
    publish_verdicts(run_id, verdicts_markdown(run_id, record.status, tally.checks, tally.batch_failures, tally.drift, record.quality_report))
    if tally.batch_failures:
        # The flow run fails too.  A returned Failed state (rather than a raise) spares users
        # Prefect's traceback; calling the flow still raises QualityGateFailed, which carries
        # the result so the CLI prints the summary.
        gate = QualityGateFailed(f"run {run_id}: {record.message}: " + "; ".join(tally.batch_failures[:3]), result)
        return Failed(message=str(gate), data=gate)
    return result


def _sources_file(path: str | None, only: list[str] | None, http: HttpSettings | None) -> tuple[list, HttpSettings | None]:
    """The selected sources of a sources file, and HTTP settings with its [fetch] defaults (explicit `http` wins)."""
    if not path:
        if only:
            raise ValueError("--only needs a sources file")
        return [], http
    sources_file = read_sources_file(path)
    specs = sources_file.select(only)
    if http is None and sources_file.fetch:
        http = replace(HttpSettings(), **sources_file.fetch)
    return specs, http


def _count(tally: Tally, requests: list[PageRequest], pages: list[Page], verdict: Verdict, counts: dict[str, int]) -> None:
    tally.pages_seen += len(requests)
    for page in pages:
        if page.fetch.error_class in NOT_FAILURES:
            tally.not_modified += 1
        elif not page.fetch.ok:
            label = page.fetch.error_class or "unknown"
            if page.fetch.error_class == "http_status" and page.fetch.status:
                label = f"http {page.fetch.status}"
            tally.failed[label] += 1
    tally.stored += counts["stored"]
    tally.unchanged += counts["unchanged"]
    tally.with_wire += counts["with_wire"]
    tally.rejected_articles += len(verdict.rejections)
    for rejection in verdict.rejections:
        tally.rejected[rejection.error or rejection.reasons[0]] += 1
    tally.duplicates += len(verdict.duplicates)
    for r in verdict.results:
        tally.checks[(r.level, "all")] += 1
        tally.checks[(r.level, "failed")] += not r.success
    tally.checks["refused"] += len(verdict.rejections)
    tally.checks["duplicates"] += len(verdict.duplicates)
    tally.checks["drift_alerts"] += sum(r.unexpected_count or 0 for r in verdict.drift)
    tally.batch_failures += failure_lines(verdict.batch_failures)
    tally.drift += [e for r in verdict.drift for e in r.examples]


def _flow_run_id() -> str | None:
    try:
        return str(flow_run.id) if flow_run.id else None
    except Exception:  # outside a flow run (flow.fn in tests)
        return None

