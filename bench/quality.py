"""Cost of the quality gate against the pipeline's own time for the same number of rows.

    python bench/quality.py [--pages N] [--workers W] [--rows 10000 100000] [--repeat R]

Baseline (same run): `wiredesk ingest` (W extraction processes, the CLI's default of one per
core) on a WARC of N real corpus pages, timed from flow start to flow end; its time per stored
article is the pipeline's per-row cost (fixed start-up costs included: use enough pages).
Measured: the gate as the flow runs it (`validate_batch` per batch of 1,000 articles with their
credits and fetch log, drift read from the warehouse, GX results stored for the Data Docs),
then the Data Docs build of the whole run, on 10k and 100k article rows made from the
pipeline's own stored articles (each copy made unique: key, URL, hash, paragraph text).
Target (issue 5): validation under 10% of the pipeline's time for the same rows.  A stricter
second ratio uses bare `trafilatura.bare_extraction` on the same pages (one process), the floor
no pipeline built on it can beat, measured in the same run too.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")

from corpus import load  # noqa: E402

BATCH = 1000  # flows.ingest.DEFAULT_BATCH


def pipeline_seconds_per_row(pages: int, workers: int, work: Path) -> tuple[float, Path, int]:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    from flows.ingest import ingest
    from flows.runtime import prefect_api
    from tasks.archive import RawResponse, write_warc

    corpus = (load("dates") + load("extraction"))[:pages]
    bodies = [(p.url, p.html()) for p in corpus]
    warc = work / "corpus.warc.gz"
    write_warc(warc, (RawResponse(url=u, body=b) for u, b in bodies))
    data = work / "data"
    with prefect_api():
        runner = ProcessPoolTaskRunner(max_workers=workers) if workers > 1 else ThreadPoolTaskRunner(max_workers=1)
        flow = ingest.with_options(task_runner=runner)
        started = time.perf_counter()
        try:
            result = flow(sources=[str(warc)], data_dir=str(data))
        except Exception as exc:  # a failed gate still stored what passed; the bench needs the rows
            result = getattr(exc, "result", None)
            if result is None:
                raise
        seconds = time.perf_counter() - started
    rows = result.run.articles_stored
    print(f"pipeline (wiredesk ingest, {workers} process{'es' if workers > 1 else ''}) on {len(corpus)} corpus pages: {seconds:.1f} s, {rows} articles stored, "
          f"{result.run.status}: {seconds / rows * 1000:.1f} ms per article row")  # fmt: skip
    return seconds / rows, data, bodies


def trafilatura_seconds_per_page(bodies) -> float:
    import trafilatura

    started = time.perf_counter()
    for url, body in bodies:
        trafilatura.bare_extraction(body, url=url, with_metadata=True)
    seconds = time.perf_counter() - started
    print(f"trafilatura.bare_extraction alone, 1 process: {seconds:.1f} s for {len(bodies)} pages: {seconds / len(bodies) * 1000:.1f} ms per page")
    return seconds / len(bodies)


def realistic_rows(data: Path, n: int):
    """n article rows (with credits and one fetch each) copied from the stored corpus articles."""
    from expectations.check import records
    from warehouse.schema import Article, Credit, Fetch
    from warehouse.store import Warehouse

    store = Warehouse(data)
    articles = records(store.query("select * from articles"), Article)
    credits = records(store.query("select * from article_credits"), Credit)
    fetches = {f.url: f for f in records(store.query("select * from fetches"), Fetch)}
    by_version: dict = {}
    for c in credits:
        by_version.setdefault((c.article_id, c.content_hash), []).append(c)
    out_a, out_c, out_f = [], [], []
    for i in range(n):
        a = articles[i % len(articles)]
        copy = i // len(articles)
        key, digest = f"{a.article_id[:10]}{copy:06d}", f"{a.content_hash[:26]}{copy:06d}"
        text = "\n".join(f"{p} ({copy})" for p in (a.text or "").split("\n")) if copy else a.text
        out_a.append(replace(a, article_id=key, content_hash=digest, url=f"{a.url}?copy={copy}", text=text, run_id="bench"))
        out_c += [replace(c, article_id=key, content_hash=digest) for c in by_version.get((a.article_id, a.content_hash), [])]
        f = fetches.get(a.url)
        if f:
            out_f.append(replace(f, url=f"{a.url}?copy={copy}", run_id="bench"))
    return out_a, out_c, out_f


def time_gate(data: Path, articles, credits, fetches, run_id: str) -> tuple[float, float, int]:
    """(seconds validating batch by batch, seconds building the run's Data Docs, refused rows)."""
    from expectations import docs
    from expectations.validate import validate_batch

    credits_of: dict = {}
    for c in credits:
        credits_of.setdefault(c.article_id, []).append(c)
    fetch_of = {f.url: f for f in fetches}
    refused = 0
    started = time.perf_counter()
    for number, start in enumerate(range(0, len(articles), BATCH)):
        part = articles[start : start + BATCH]
        part_credits = [c for a in part for c in credits_of.get(a.article_id, [])]
        part_fetches = [fetch_of[a.url] for a in part if a.url in fetch_of]
        refused += len(validate_batch(part, part_credits, run_id, number, part_fetches, str(data)).rejections)
    validating = time.perf_counter() - started
    started = time.perf_counter()
    docs.build_docs(docs.run_docs_dir(data, run_id))
    return validating, time.perf_counter() - started, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="corpus pages for the pipeline's per-row time")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes of the pipeline (default: one per core)")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    for name in ("trafilatura", "htmldate", "great_expectations"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    work = Path(tempfile.mkdtemp(prefix="wiredesk-bench-quality-"))
    per_row, data, bodies = pipeline_seconds_per_row(args.pages, args.workers, work)
    floor = trafilatura_seconds_per_page(bodies)
    for n in args.rows:
        articles, credits, fetches = realistic_rows(data, n)
        for attempt in range(args.repeat):
            validating, building, refused = time_gate(data, articles, credits, fetches, f"bench-{n}-{attempt}")
            pipeline = per_row * n
            total = validating + building
            print(
                f"gate on {n:>7,} rows ({n // BATCH} batches): validate {validating:6.1f} s ({validating / n * 1000:.2f} ms/row), "
                f"Data Docs {building:5.1f} s ({building / max(n // BATCH, 1):.2f} s/batch); {refused} refused; "
                f"pipeline for the same rows {pipeline:7.0f} s; ratio {total / pipeline:.3f} (target < 0.10); "
                f"vs bare trafilatura {total / (floor * n):.3f}"
            )


if __name__ == "__main__":
    main()
