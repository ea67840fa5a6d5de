"""Where Prefect's API lives for a command-line run.

Without PREFECT_API_URL every Prefect process starts its own temporary server, and so
does every worker process of a ProcessPoolTaskRunner (5-10 s each, measured: see
bench/README.md).  We start that temporary server once and point the whole process
tree at it through the environment, which worker processes inherit.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from dataclasses import dataclass
from typing import Iterator


class TemporaryServer:
    """Prefect's temporary API server, starting in a background thread.

    Its start takes ~7 s of wall time, spent in its own process (imports, database set-up)
    while this one only polls its health URL; the command's own imports (the flow, Great
    Expectations: ~6 s) run meanwhile on the other core instead of after it.
    """

    def __init__(self) -> None:
        # Imported here, in the caller's thread: two threads importing Prefect's modules at
        # once can see each other's half-initialised modules.
        from prefect.server.api.server import SubprocessASGIServer

        # A port of its own: SubprocessASGIServer() hands out one shared instance per port, and
        # stopping that one would stop any other temporary server of this process (Prefect's
        # test harness uses it).  A port taken meanwhile makes Prefect pick another.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self._server = SubprocessASGIServer(port=port)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, name="wiredesk-prefect-server", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            # Prefect's default (20 s) is too short on a loaded machine (measured: load 7 on 2 cores
            # failed the run); a slow start should cost seconds, not the run.
            self._server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))
        except BaseException as exc:  # raised in the caller's thread by wait()
            self._error = exc

    def wait(self) -> str:
        """The server's API URL once it answers; its start's error if it failed."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._server.api_url

    def stop(self) -> None:
        self._thread.join()
        self._server.stop()


def start_prefect_api() -> TemporaryServer | None:
    """Start the temporary server now, unless a Prefect API is configured; `prefect_api` waits for it."""
    return None if os.environ.get("PREFECT_API_URL") else TemporaryServer()


@contextlib.contextmanager
def prefect_api(server: TemporaryServer | None = None) -> Iterator[str | None]:
    """Use the configured Prefect API, or one temporary server (`server`, if started already) shared with worker processes."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = server or TemporaryServer()
    try:
        api_url = server.wait()
        os.environ["PREFECT_API_URL"] = api_url
        try:
            with temporary_settings(updates={PREFECT_API_URL: api_url}):
                yield api_url
        finally:
            _drain_workers()
            os.environ.pop("PREFECT_API_URL", None)
    finally:
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
        import warnings

        from prefect_dask import DaskTaskRunner

        # Each task carries its chunk of pages (megabytes) on purpose: the worker needs all of
        # it once, so scattering it first would copy the same bytes plus a round trip.
        warnings.filterwarnings("ignore", message=r"(?s)Sending large graph", category=UserWarning)

        return DaskTaskRunner(address=dask_address)
    if workers > 1:
        return ProcessPoolTaskRunner(max_workers=workers)
    return ThreadPoolTaskRunner(max_workers=1)


class ExtractionTimeout(RuntimeError):
    """A chunk's analysis did not come back in time: its worker was lost, or a page hung it."""


@dataclass(frozen=True)
class ResultWait:
    """How long the flow waits for one chunk's analysis before it fails the run.

    Dask keeps a task whose workers were all lost waiting for a new worker, for ever (the
    run hung that way in round 1 when the scheduler dropped its workers); a page that sends
    lxml into a loop would do the same on any runner.  The bound grows with the chunk: a
    fixed allowance for a worker's start-up (imports, registries, language model: ~4 s of
    CPU, minutes at load 12 on 2 cores, measured) plus a budget per page (pages take ~30 ms,
    the slowest seen a few seconds).
    """

    start_seconds: float = 300.0
    seconds_per_page: float = 2.0

    def for_chunk(self, pages: int) -> float:
        return self.start_seconds + self.seconds_per_page * pages


def chunk_result(future, pages: int, wait: ResultWait, where: str):
    """The result of one submitted chunk, or ExtractionTimeout naming it once its bound has passed."""
    if not hasattr(future, "result"):  # analysed in this process already
        return future
    seconds = wait.for_chunk(pages)
    try:
        return future.result(timeout=seconds)
    except TimeoutError as exc:
        raise ExtractionTimeout(
            f"{where} ({pages} pages) was not analysed within {seconds:.0f} s: a worker was lost or a page hung it"
            " (raise the bound with --page-timeout if the pages are just slow)"
        ) from exc

