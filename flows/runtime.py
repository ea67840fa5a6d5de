"""Where Prefect's API lives for a command-line run.

Without PREFECT_API_URL every Prefect process starts its own temporary server, and so
does every worker process of a ProcessPoolTaskRunner (5-10 s each, measured: see
bench/README.md).  We start that temporary server once and point the whole process
tree at it through the environment, which worker processes inherit.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator


@contextlib.contextmanager
def prefect_api() -> Iterator[str | None]:
    """Use the configured Prefect API, or one temporary server shared with worker processes."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        _drain_workers()
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def _drain_workers() -> None:
    """Flush Prefect's log and event queues while the server still listens (else: errors and a long hang at exit)."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        for drain_call in (lambda: APILogWorker.instance().drain(), EventsWorker.drain_all):
            try:
                result = drain_call()
                if inspect.isawaitable(result):
                    await result
            except RuntimeError:  # never started
                pass

    run_coro_as_sync(drain())


def task_runner(workers: int = 1, dask_address: str | None = None):
    """Where the CPU-heavy stages of a run go: a Dask cluster, local worker processes, or this process.

    The flow only ever talks to the task runner, so the same code runs on all three.
    One local worker needs no process pool: analysing in-process saves pickling every
    page and the seconds it takes to start a worker.
    """
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if workers > 1:
        return ProcessPoolTaskRunner(max_workers=workers)
    return ThreadPoolTaskRunner(max_workers=1)
