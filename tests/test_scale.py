"""The same ingest flow on every task runner gives the same rows: in-process, local processes, Dask."""

import signal
import subprocess
import sys
import threading
import time

import pytest

from flows.ingest import MIN_PAGES_PER_TASK, chunk_sizes, ingest
from flows.runtime import ExtractionTimeout, task_runner
from tasks.analyse import Chunk, analyse_page, analyse_pages
from tasks.archive import RawResponse, write_warc
from tests.conftest import FILLER, SAMPLES, article_html, story
from warehouse.schema import Fetch, Page
from warehouse.store import Warehouse

SQL = {
    "articles": "select article_id, content_hash, outlet, title, published_date, wire_services, original_outlet from articles order by article_id",
    "credits": "select article_id, agency, role, evidence from article_credits order by all",
    "rejected": "select url, error from rejected_articles order by url",
    "fetches": "select url, ok, error_class from fetches order by url",
}


def rows(data_dir):
    store = Warehouse(data_dir)
    return {name: store.query(sql).to_pylist() for name, sql in SQL.items()}


@pytest.fixture
def inputs(tmp_path):
    """A WARC of a dozen stories (several credited), the samples folder with its seed text and a non-article."""
    stories = [
        RawResponse(url=f"https://news.example.org/world/story-{i}", body=article_html(f"Story {i}", [f"BERLIN ({'dpa' if i % 2 else 'AFP'}) - Story {i}. " + story(i)[0]] + story(i)[1:]))
        for i in range(12)
    ]
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, stories)
    return [str(warc), str(SAMPLES)]


def test_the_flow_module_imports_no_great_expectations():
    # Worker processes import flows.ingest when they unpickle the flow-run context: GX and pandas
    # (~5 s of CPU) must wait until a batch is validated, in the flow's own process.
    code = "import sys, flows.ingest; print(sorted(m for m in ('great_expectations', 'pandas') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_chunk_sizes_are_equal_and_taper_only_where_no_work_follows():
    assert chunk_sizes(924, 250) == [231, 231, 231, 231]
    assert chunk_sizes(79, 250) == [79]  # one task's worth: analysed in the flow's process
    tapered = chunk_sizes(924, 250, taper=True)
    assert sum(tapered) == 924 and tapered[:3] == [231, 231, 231]
    assert tapered[3:] == sorted(tapered[3:], reverse=True) and min(tapered) >= MIN_PAGES_PER_TASK
    assert tapered[-1] < 2 * MIN_PAGES_PER_TASK  # the last task is short: nobody waits long for it
    assert chunk_sizes(79, 250, taper=True) == [79] and chunk_sizes(0, 250, taper=True) == [0]


def test_analyse_pages_is_the_row_function_over_a_chunk():
    page = Page(fetch=Fetch(run_id="r", source="s", kind="html_file", url="https://news.example.org/a", final_url="https://news.example.org/a", ok=True), body=article_html("A", ["PARIS (AFP) - " + FILLER[0]] + FILLER[1:]))
    articles, credits, _dates = analyse_pages.fn(Chunk([page, page]), "r")
    one_article, one_credits, _one_dates = analyse_page(page, "r")
    assert articles == [one_article, one_article] and credits == one_credits * 2
    assert one_article.wire_services == ("AFP",)


def test_task_runner_choice():
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    assert isinstance(task_runner(1), ThreadPoolTaskRunner)
    assert isinstance(task_runner(2), ProcessPoolTaskRunner)
    dask = task_runner(2, "tcp://127.0.0.1:8786")
    assert isinstance(dask, DaskTaskRunner) and dask.address == "tcp://127.0.0.1:8786"


@pytest.mark.usefixtures("shared_api")
def test_start_workers_warms_every_local_worker_and_nothing_in_process():
    import os

    from prefect import flow

    from flows.ingest import start_workers

    @flow(task_runner=task_runner(2))
    def with_workers():
        return [future.result() for future in start_workers()]

    @flow(task_runner=task_runner(1))
    def in_process():
        return start_workers()

    pids = with_workers()
    assert len(pids) == 2 and os.getpid() not in pids
    assert in_process() == []


def test_warm_up_page_is_a_credited_story():
    from tasks.analyse import WARM_UP_PAGE

    page = Page(fetch=Fetch(run_id="r", source="s", kind="html_file", url="https://example.org/warm-up", final_url="https://example.org/warm-up", ok=True), body=WARM_UP_PAGE)
    article, _credits, _dates = analyse_page(page, "r")
    assert article.error is None and set(article.wire_services) >= {"AP", "dpa"}


@pytest.fixture
def shared_api(prefect_harness, monkeypatch):
    """The harness's Prefect API in the environment, which cluster workers inherit (as `prefect_api()` does for the CLI).

    Without it each worker process starts a temporary Prefect server of its own: minutes on a loaded machine.
    """
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())


@pytest.mark.usefixtures("shared_api")
def test_dask_local_cluster_gives_the_single_process_result(inputs, tmp_path):
    from distributed import LocalCluster

    single = ingest.with_options(task_runner=task_runner(1))(sources=inputs, data_dir=str(tmp_path / "single"))
    # A real cluster with 2 worker processes, reached by address like a user's --dask-address.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        spread = ingest.with_options(task_runner=task_runner(2, cluster.scheduler_address))(sources=inputs, data_dir=str(tmp_path / "dask"), pages_per_task=3)
        workers = len(cluster.scheduler_info["workers"])
    assert workers == 2
    assert single.run.articles_stored == spread.run.articles_stored == 18
    assert (single.run.rejected, spread.run.rejected) == (1, 1)
    assert rows(tmp_path / "single") == rows(tmp_path / "dask")


def kill_when_busy(cluster, worker, deadline: float) -> None:
    """SIGKILL the worker process as soon as the scheduler has a task running on it."""
    while time.monotonic() < deadline:
        try:
            if any(ts.state == "processing" for ts in list(cluster.scheduler.tasks.values())):
                worker.kill()
                return
        except RuntimeError:  # the scheduler's dict changed while we looked
            pass
        time.sleep(0.02)


@pytest.mark.usefixtures("shared_api")
def test_a_worker_lost_mid_run_fails_the_run_with_its_reason(inputs, tmp_path):
    from distributed import LocalCluster

    data_dir = tmp_path / "lost"
    # A scheduler and one worker process without a nanny (a nanny would start a new one):
    # once it is killed, Dask waits for a worker for ever, as when a scheduler drops its workers.
    with LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as cluster:
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address, "--no-nanny", "--nthreads", "1", "--no-dashboard"], stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while not cluster.scheduler.workers and time.monotonic() < deadline:
                time.sleep(0.05)
            killer = threading.Thread(target=kill_when_busy, args=(cluster, worker, deadline), daemon=True)
            killer.start()
            started = time.monotonic()
            with pytest.raises(ExtractionTimeout, match=r"chunk 1 of batch 0 \([23] pages\) was not analysed within [78] s"):
                ingest.with_options(task_runner=task_runner(2, cluster.scheduler_address))(
                    sources=inputs, data_dir=str(data_dir), pages_per_task=3, worker_start_seconds=5, page_seconds=1
                )
            killer.join()
            assert worker.wait(10) == -signal.SIGKILL  # the run ended because its worker was lost
            assert time.monotonic() - started < 60
        finally:
            worker.kill()
            worker.wait()
    (run,) = Warehouse(data_dir).query("select status, message, articles_stored from runs").to_pylist()
    assert run["status"] == "failed" and run["message"].startswith("ExtractionTimeout: chunk 1 of batch 0")
    assert run["articles_stored"] == 0
