"""Scale-out: the same corpus pages ingested from a WARC with 1 and 2 local worker processes and on a 2-worker Dask cluster.

    python bench/scale.py [--limit 2000] [--repeat 1]

Prints pages/s of each run, the speed-ups (2 workers / 1 worker, Dask / 2 local processes),
CPU milliseconds per page per process and the peak resident memory of the whole process
tree.  The Dask LocalCluster (2 worker processes, 1 thread each) is started before its
clock starts, like a cluster a user already runs; its start-up time is printed apart.
Targets (issue 6): >= 1.8x from 1 to 2 workers, Dask within 10% of local processes.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="pages of the corpus to use (default: 2000, i.e. all 1,924)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the three runs, to see the spread")
    args = parser.parse_args()

    import dask
    from distributed import LocalCluster

    # A worker busy in lxml can leave its connection to the scheduler unanswered for longer
    # than the default 30 s on a loaded machine; the scheduler then drops it and the run hangs.
    dask.config.set({"distributed.comm.timeouts.tcp": "300s", "distributed.comm.timeouts.connect": "60s"})

    from expectations.gate import load_validator
    from flows.ingest import ingest
    from flows.runtime import prefect_api, task_runner

    load_validator()  # before the clock, like every other import

    for name in ("trafilatura", "htmldate", "distributed", "distributed.core", "distributed.scheduler", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warc, bodies = corpus_warc(args.limit)
    pages = len(bodies)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15-minute averages on {os.cpu_count()} cores; other users of the cores make wall-clock rates noisy)")

    def run(label: str, runner, folder: str) -> float:
        with ProcessTree() as tree:
            started = time.perf_counter()
            result = ingest.with_options(task_runner=runner)(sources=[str(warc)], data_dir=str(warc.parent / folder))
            seconds = time.perf_counter() - started
        rate = pages / seconds
        print(f"{label:<28} {rate:6.1f} pages/s ({seconds:.1f} s; {result.run.articles_stored} stored, {result.run.rejected} rejected)")
        print(f"  {tree.report(pages)}")
        return rate

    with prefect_api():
        for round_number in range(1, args.repeat + 1):
            print(f"round {round_number}")
            one = run("1 worker (in-process)", task_runner(1), f"one-{round_number}")
            two = run("2 local worker processes", task_runner(2), f"two-{round_number}")
            started = time.perf_counter()
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
                print(f"  (Dask LocalCluster of 2 workers started in {time.perf_counter() - started:.1f} s, not timed below)")
                dask = run("Dask LocalCluster, 2 workers", task_runner(2, cluster.scheduler_address), f"dask-{round_number}")
            print(f"load after round {round_number}: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print(f"speed-up 1 -> 2 local workers {two / one:.2f}x (target >= 1.8x); Dask / local processes {dask / two:.2f} (target >= 0.90)")


if __name__ == "__main__":
    main()
