"""The reprocess flow: rebuild articles from the raw archive, without the network.

select archived responses -> read them back (WARC) -> extract articles and trace provenance
(the ingest flow's task runner) -> keep what changed as new versions -> validate -> store

Use it after an extractor or registry upgrade: the same extraction, provenance, quality
gate and store as `wiredesk ingest` run on the responses a run archived.  An article whose
output is the same as its stored latest version adds nothing; one whose output changed
becomes a new version, the latest.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from dataclasses import replace
from datetime import datetime, timezone

import duckdb
import pyarrow as pa
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.utilities.annotations import quote

from expectations.gate import validate_articles
from flows import progress
from flows.ingest import DEFAULT_BATCH, PAGES_PER_TASK, Batch, RunResult, Tally, _count, _flow_run_id, RecordedRun, final_status, new_run_id, run_outcome, store_batch, submit_extraction
from tasks import VERSION
from tasks.archive import read_bodies
from tasks.feeds import is_feed
from tasks.fetch import media_type
from warehouse.location import DataDir
from warehouse.schema import Article, ArchivedResponse, Credit, Fetch, Page, PageRequest, Run
from warehouse.store import Warehouse

LATEST = "latest"  # reprocess the latest archived response of every URL
# What an article says: a change in any of these is a new version.
OUTPUT_FIELDS = (
    "canonical_url", "domain", "outlet", "outlet_source", "title", "authors", "published_at", "published_date", "date_source",
    "language", "text", "wire_services", "original_outlet", "original_url", "original_published_date",
)  # fmt: skip


class NothingArchived(ValueError):
    """The asked run archived no usable response."""


@task(cache_policy=NO_CACHE)
def select_responses(data_dir: str, run: str | None) -> list[ArchivedResponse]:
    """The archived responses to rebuild: those of `run`, else the latest of every URL (usable bodies only)."""
    glob = Warehouse(data_dir).glob("raw_responses")
    which = "AND run_id = ?" if run else "QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC NULLS LAST, run_id DESC) = 1"
    sql = f"SELECT * FROM read_parquet('{glob}', union_by_name = true) WHERE ok AND body_complete {which} ORDER BY warc_file, \"offset\""
    with DataDir.of(data_dir).register(duckdb.connect()) as con:  # remote data dirs through fsspec, as the warehouse reads them
        rows = con.sql(sql, params=[run] if run else None).to_arrow_table().to_pylist()
    return [ArchivedResponse(**row) for row in rows]


def rebuild_page(row: ArchivedResponse, body: bytes, headers: list[tuple[str, str]], data_dir: str, run_id: str) -> Page:
    """The page an archived response stands for, as the fetch stage made it (hints included), read from its WARC record."""
    content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
    ctype, charset = media_type(content_type)
    location = DataDir.of(data_dir).path(row.warc_file)
    request = PageRequest(
        source=row.source or location, kind="warc_record", location=location, offset=row.offset, url=row.url,
        hint_date=row.hint_date, hint_title=row.hint_title, hint_outlet=row.hint_outlet, hint_language=row.hint_language,
    )  # fmt: skip
    fetch = Fetch(
        run_id=run_id, source=request.source, kind="warc_record", url=row.url, final_url=row.final_url, status=row.status,
        content_type=ctype or row.content_type, charset=charset, n_bytes=len(body), fetched_at=row.fetched_at, ok=True,
    )  # fmt: skip
    return Page(fetch=fetch, body=body, request=request)


@task(cache_policy=NO_CACHE)
def read_archived_pages(data_dir: str, run_id: str, rows: list[ArchivedResponse]) -> list[Page]:
    """Read a batch of archived responses back as pages (feeds, sitemaps and site pages are not articles: left out)."""
    pages = []
    for row, body, headers in read_bodies(data_dir, rows):
        page = rebuild_page(row, body, headers, data_dir, run_id)
        if row.kind not in ("sitemap", "site") and not is_feed(page):
            pages.append(page)
    return pages


def output_key(article: Article) -> str:
    """A digest of everything the article says (not only its title and text)."""
    values = {name: getattr(article, name) for name in OUTPUT_FIELDS}
    return hashlib.sha256(json.dumps(values, default=_plain, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _plain(value) -> str:
    # Stored timestamps come back in UTC: the same instant must give the same key.
    return value.astimezone(timezone.utc).isoformat() if isinstance(value, datetime) else str(value)


def stored_versions(data_dir: str, article_ids: list[str]) -> tuple[dict[str, Article], set[tuple[str, str]]]:
    """The latest stored version of each article, and every stored (article_id, content_hash)."""
    store = Warehouse(data_dir)
    with DataDir.of(data_dir).register(duckdb.connect()) as con:
        con.register("wanted", pa.table({"article_id": pa.array(article_ids, pa.string())}))
        versions = f"read_parquet('{store.glob('articles')}', union_by_name = true)"
        replaced = f"read_parquet('{store.glob('article_supersessions')}', union_by_name = true)"
        every = con.sql(f"SELECT v.* FROM {versions} AS v SEMI JOIN wanted USING (article_id)").to_arrow_table()
        con.register("every_version", every)
        latest = con.sql(f"SELECT v.* FROM every_version AS v ANTI JOIN {replaced} AS s ON s.article_id = v.article_id AND s.content_hash = v.content_hash").to_arrow_table()
    fields = {f.name for f in Article.__dataclass_fields__.values()}
    by_id = {row["article_id"]: Article(**{k: v for k, v in row.items() if k in fields}) for row in latest.to_pylist()}
    keys = set(zip(every.column("article_id").to_pylist(), every.column("content_hash").to_pylist()))
    return by_id, keys


def new_versions(articles: list[Article], credits: list[Credit], latest: dict[str, Article], stored: set[tuple[str, str]]) -> tuple[list[Article], list[Credit]]:
    """Articles as versions: unchanged ones keep their stored key (the store then adds nothing).

    A version is keyed by (article_id, content_hash) and content_hash covers title and text.
    When only what was derived from them changed (a registry upgrade finds a new wire
    credit, say), the text's hash is taken: the new version's content_hash then also covers
    the output fields, so it is a distinct, newer version.
    """
    renamed: dict[tuple[str, str], str] = {}
    out = []
    for article in articles:
        current = latest.get(article.article_id)
        if article.error or current is None:
            out.append(article)
            continue
        if output_key(article) == output_key(current):
            new_hash = current.content_hash
        elif (article.article_id, article.content_hash) in stored:
            new_hash = hashlib.sha256(f"{article.content_hash}:{output_key(article)}".encode()).hexdigest()[:32]
        else:
            new_hash = article.content_hash
        if new_hash != article.content_hash:
            renamed[(article.article_id, article.content_hash)] = new_hash
        out.append(replace(article, content_hash=new_hash))
    credits = [replace(c, content_hash=renamed.get((c.article_id, c.content_hash), c.content_hash)) for c in credits]
    return out, credits


@flow(name="wiredesk-reprocess", task_runner=ProcessPoolTaskRunner())
def reprocess(run: str | None = None, data_dir: str = "data", batch_size: int = DEFAULT_BATCH, pages_per_task: int = PAGES_PER_TASK, wait_seconds: float = 0.0) -> RunResult:
    """Rebuild articles from the raw archive, without the network.

    Args:
        run: Run whose archived responses to rebuild; default: the latest archived response of every URL.
        data_dir: Directory holding the Parquet tables, the raw archive and wiredesk.duckdb.
        batch_size: Responses read, extracted, validated and stored together.
        pages_per_task: Pages per extraction task submitted to the task runner.
        wait_seconds: How long to wait for another run writing to the same data_dir.
    """
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    run_id = new_run_id(started)
    store = Warehouse(data_dir)
    which = run or LATEST
    record = Run(run_id=run_id, flow_run_id=_flow_run_id(), started_at=started, status="running", sources=(f"raw archive: {which}",), wiredesk_version=VERSION, reprocessed_run=which)
    tally = Tally()

    holder = f"reprocess {run_id} (pid {os.getpid()} on {socket.gethostname()}, started {started:%Y-%m-%d %H:%M:%S} UTC)"
    with store.writer_lock(wait_seconds, holder=holder), RecordedRun(store, record, tally, clock) as recorded:
        rows = select_responses(data_dir, run)
        if not rows:
            raise NothingArchived(f"no archived responses to reprocess for {'run ' + run if run else 'any run'} in {store.root}")
        for number, start in enumerate(range(0, len(rows), batch_size)):
            requests = rows[start : start + batch_size]
            pages = read_archived_pages(data_dir, run_id, quote(requests))
            futures = submit_extraction(pages, run_id, pages_per_task, taper=True)  # each batch is waited for before the next
            articles, credits, dates = Batch(number, [], pages, [], pages, [], futures, len(rows)).analysed()
            articles, credits = new_versions(articles, credits, *stored_versions(data_dir, [a.article_id for a in articles]))
            fetch_log = [p.fetch for p in pages]
            verdict = validate_articles(quote(articles), quote(credits), run_id, number, quote(fetch_log), data_dir)
            counts = store_batch(data_dir, run_id, number, quote(fetch_log), quote(verdict), dates=quote(dates))
            _count(tally, pages, pages, verdict, counts)
            progress.report(tally.pages_seen, len(rows))
        recorded.ended(*final_status(tally))
    return run_outcome(RunResult(run=recorded.record, tally=tally, data_dir=str(store.root)))
