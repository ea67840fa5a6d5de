"""Throughput of the whole ingest pipeline from a WARC against bare trafilatura, same pages, same run.

    python bench/extract.py [--limit N] [--workers 1 2]

Baseline: `trafilatura.bare_extraction(html, url=..., with_metadata=True)` over the pages held in
memory, one process.  Pipeline: `wiredesk ingest` on a WARC of the same pages (fetch from the
archive, extraction, provenance, Great Expectations, Parquet, DuckDB views), timed from flow
start to flow end (the temporary Prefect server is started before the clock).
Targets (issue 2): >= 0.9x trafilatura with 1 process, >= 1.7x with 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")

from corpus import load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="use only the first N pages")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    import trafilatura
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    from flows.ingest import ingest
    from flows.runtime import prefect_api
    from tasks.archive import RawResponse, write_warc

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    pages = load("dates", args.limit) + load("extraction", args.limit)
    pages = pages[: args.limit] if args.limit else pages
    bodies = [(p.url, p.html()) for p in pages]
    megabytes = sum(len(b) for _u, b in bodies) / 1e6
    work = Path(tempfile.mkdtemp(prefix="wiredesk-bench-"))
    warc = work / "corpus.warc.gz"
    write_warc(warc, (RawResponse(url=u, body=b) for u, b in bodies))
    print(f"{len(bodies)} pages, {megabytes:.0f} MB of HTML, WARC {warc.stat().st_size / 1e6:.0f} MB at {warc}")

    started = time.perf_counter()
    extracted = sum(1 for url, body in bodies if trafilatura.bare_extraction(body, url=url, with_metadata=True) is not None)
    base_seconds = time.perf_counter() - started
    base_rate = len(bodies) / base_seconds
    print(f"trafilatura.bare_extraction, 1 process: {base_rate:6.1f} pages/s ({base_seconds:.1f} s, {extracted} with text)")

    with prefect_api():
        for workers in args.workers:
            runner = ProcessPoolTaskRunner(max_workers=workers) if workers > 1 else ThreadPoolTaskRunner(max_workers=1)
            flow = ingest.with_options(task_runner=runner)
            started = time.perf_counter()
            result = flow(sources=[str(warc)], data_dir=str(work / f"data-{workers}"))
            seconds = time.perf_counter() - started
            rate = len(bodies) / seconds
            run = result.run
            print(
                f"wiredesk ingest from WARC, {workers} process{'es' if workers > 1 else ''}: {rate:6.1f} pages/s ({seconds:.1f} s; "
                f"{run.articles_stored} stored, {run.rejected} rejected, {run.fetch_failures} failed)  ratio {rate / base_rate:.2f}x"
            )


if __name__ == "__main__":
    main()
