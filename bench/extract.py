"""Throughput of the whole ingest pipeline from a WARC against bare trafilatura, same pages, same run.

    python bench/extract.py [--limit N] [--workers 1 2]

Baseline: `trafilatura.bare_extraction(html, url=..., with_metadata=True)` over the pages held in
memory, one process.  The host's speed drifts by up to 20% within minutes on this machine kind, so
the baseline runs before and after every pipeline run (bracketing it) and each ratio is against
the mean of the two baselines around it; the spread of the baselines is printed as the drift.
Pipeline: `wiredesk ingest` on a WARC of the same pages (fetch from the archive, extraction,
provenance, Great Expectations, Parquet, DuckDB views), timed from flow start to flow end (the
temporary Prefect server is started before the clock).
Also printed: the analysis alone against bare trafilatura, alternating page by page (see
`interleaved`), the ratio the host's drift moves least.
Targets (issue 2): >= 0.9x trafilatura with 1 process, >= 1.7x with 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import time

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")

from corpus import corpus_warc  # noqa: E402
from proctree import ProcessTree  # noqa: E402


def _analyse_chunk(chunk) -> int:
    from tasks.analyse import Chunk, analyse_pages

    return len(analyse_pages.fn(Chunk(chunk), "bench")[0])


def bare_pool(pages, workers: int) -> float:
    """Seconds for a bare multiprocessing.Pool (spawn, started inside the clock) to extract and trace in-memory pages.

    No Prefect, no fetch, no validation, no storage: the ceiling of the pipeline's parallel part on this machine, now.
    """
    import multiprocessing

    chunks = [pages[i : i + 40] for i in range(0, len(pages), 40)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        done = sum(pool.imap_unordered(_analyse_chunk, chunks))
    assert done == len(pages)
    return time.perf_counter() - started


def interleaved(bodies) -> None:
    """Per-page CPU of wiredesk's analysis (extraction + provenance) against bare trafilatura, alternating page by page.

    The host's drift moves both sides alike when they alternate within milliseconds, so this
    ratio holds still where the bracketed wall-clock ones swing by 20%; it leaves out what the
    pipeline adds around the analysis (archive reading, Prefect, validation, storage).
    """
    import trafilatura

    from tasks.analyse import analyse_page
    from warehouse.schema import Fetch, Page

    def page_of(url: str, body: bytes) -> Page:  # as the archive's reader hands a record to the analysis
        web = url if url.startswith("http") else None
        return Page(fetch=Fetch(run_id="bench", source="bench", kind="warc_record", url=web or "about:blank", final_url=web, ok=True, content_type="text/html"), body=body)

    for url, body in bodies[:5]:  # loads what the first page would (language model, registries, patterns)
        analyse_page(page_of(url, body), "bench")
    ours = bare = 0.0
    for i, (url, body) in enumerate(bodies):
        page = page_of(url, body)
        for side in ("bare", "ours") if i % 2 else ("ours", "bare"):
            started = time.process_time()
            if side == "bare":
                trafilatura.bare_extraction(body, url=url, with_metadata=True)
                bare += time.process_time() - started
            else:
                analyse_page(page, "bench")
                ours += time.process_time() - started
    n = len(bodies)
    print(f"interleaved per page, CPU: bare_extraction {1000 * bare / n:.1f} ms, wiredesk analyse_page {1000 * ours / n:.1f} ms  ratio {bare / ours:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="use only the first N pages")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    import trafilatura

    from expectations.gate import load_validator
    from flows.ingest import ingest
    from flows.runtime import prefect_api, task_runner

    load_validator()  # before the clock, like every other import

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    warc, bodies = corpus_warc(args.limit)
    work = warc.parent
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15-minute averages on {os.cpu_count()} cores; other users of the cores make wall-clock rates noisy)")

    def baseline(label: str) -> float:
        started, cpu = time.perf_counter(), time.process_time()
        extracted = sum(1 for url, body in bodies if trafilatura.bare_extraction(body, url=url, with_metadata=True) is not None)
        seconds = time.perf_counter() - started
        print(f"trafilatura.bare_extraction, 1 process ({label}): {len(bodies) / seconds:6.1f} pages/s ({seconds:.1f} s, {extracted} with text; CPU {1000 * (time.process_time() - cpu) / len(bodies):.1f} ms/page)")
        return len(bodies) / seconds

    rates = [baseline("first")]

    from tasks.fetch import LocalFetcher
    from tasks.sources import discover_all

    interleaved(bodies)

    with prefect_api():
        for workers in args.workers:
            pool_seconds = None
            if workers > 1:
                in_memory = LocalFetcher().fetch(discover_all([str(warc)]), "bench")
                pool_seconds = bare_pool(in_memory, workers)
                del in_memory  # not held while the pipeline runs: the tree's peak RSS is the pipeline's
            flow = ingest.with_options(task_runner=task_runner(workers))
            with ProcessTree() as tree:
                started = time.perf_counter()
                result = flow(sources=[str(warc)], data_dir=str(work / f"data-{workers}"))
                seconds = time.perf_counter() - started
            rates.append(baseline(f"after {workers} process{'es' if workers > 1 else ''}"))
            base_rate = (rates[-2] + rates[-1]) / 2  # the baselines bracketing this run
            if pool_seconds:
                print(f"ceiling: bare multiprocessing.Pool({workers}) extracting and tracing in-memory pages: {len(bodies) / pool_seconds:6.1f} pages/s ({pool_seconds:.1f} s)  ratio {len(bodies) / pool_seconds / base_rate:.2f}x")
            rate = len(bodies) / seconds
            run = result.run
            print(
                f"wiredesk ingest from WARC, {workers} process{'es' if workers > 1 else ''}: {rate:6.1f} pages/s ({seconds:.1f} s; "
                f"{run.articles_stored} stored, {run.rejected} rejected, {run.fetch_failures} failed)  ratio {rate / base_rate:.2f}x"
            )
            print(f"  {tree.report(len(bodies))}")
    print(f"host drift: baselines {min(rates):.1f}-{max(rates):.1f} pages/s ({100 * (max(rates) / min(rates) - 1):.0f}% apart)")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
