"""Runs never overlap harmfully on one data dir: a real second process holds the lock, or dies holding it."""

import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from tests.conftest import FILLER, ROOT, SAMPLES, article_html
from warehouse.schema import Run, to_arrow
from warehouse.store import Warehouse, WarehouseLocked

HOLD = """
import sys, time
from warehouse.store import Warehouse
from warehouse.schema import Run, to_arrow
store = Warehouse(sys.argv[1])
with store.writer_lock(holder="run held-by-test (pid test)"):
    store.ensure()
    if sys.argv[3] == "running":  # a run that dies mid-way: its record says running, a file is half-written
        store.write("runs", to_arrow([Run(run_id="dead-run", status="running")], Run), "dead-run")
        (store.root / "articles" / ".part-dead-run-00000.parquet.123.tmp").write_bytes(b"half")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(data_dir, seconds, what="lock"):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data_dir), str(seconds), what], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_killed_holder_frees_the_lock_at_once(tmp_path):
    holder = hold_lock(tmp_path, 60)
    try:
        with pytest.raises(WarehouseLocked, match="held-by-test"):
            with Warehouse(tmp_path).writer_lock():
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    started = time.monotonic()
    with Warehouse(tmp_path).writer_lock():
        assert time.monotonic() - started < 1


def test_a_second_writer_waits_for_the_first(tmp_path):
    holder = hold_lock(tmp_path, 1.0)
    started = time.monotonic()
    with Warehouse(tmp_path).writer_lock(wait_seconds=30):
        waited = time.monotonic() - started
    holder.wait()
    assert 0.3 < waited < 10


def test_waiting_too_long_says_how_long(tmp_path):
    holder = hold_lock(tmp_path, 30)
    try:
        with pytest.raises(WarehouseLocked, match=r"waited 0.5 s"):
            with Warehouse(tmp_path).writer_lock(wait_seconds=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.usefixtures("prefect_harness")
def test_the_next_run_marks_a_killed_run_interrupted(tmp_path):
    from flows.ingest import ingest

    data = tmp_path / "data"
    holder = hold_lock(data, 60, "running")
    holder.kill()
    holder.wait()
    page = tmp_path / "story.html"
    page.write_bytes(article_html("A dated story", ["BERLIN (dpa) - " + FILLER[0]] + FILLER[1:]))
    result = ingest(sources=[str(page)], data_dir=str(data))
    assert result.run.status.startswith("completed")
    runs = {r["run_id"]: r for r in Warehouse(data).query("select run_id, status, message from runs").to_pylist()}
    assert runs["dead-run"]["status"] == "interrupted"
    assert result.run.run_id in runs["dead-run"]["message"]
    assert not list(data.glob("*/.*.tmp"))


@pytest.mark.usefixtures("prefect_harness")
def test_cli_exits_3_with_a_clear_message_when_another_run_writes(tmp_path, monkeypatch, capsys):
    from prefect.settings import PREFECT_API_URL

    from flows.cli import main

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # the harness's server, not a new one
    holder = hold_lock(tmp_path, 60)
    try:
        code = main(["ingest", str(SAMPLES), "--data-dir", str(tmp_path), "--wait", "0.4", "--workers", "1"])
    finally:
        holder.kill()
        holder.wait()
    assert code == 3
    err = capsys.readouterr().err
    assert "another wiredesk run is writing" in err and "held-by-test" in err and "waited 0.4 s" in err
    # The skipped run left its record in `runs` (beside the holder's schema file), nothing else.
    (record,) = [p for p in (tmp_path / "runs").glob("*.parquet") if p.name != "_schema.parquet"]
    (skipped,) = pq.read_table(record).to_pylist()
    assert skipped["status"] == "skipped" and "held-by-test" in skipped["message"]


@pytest.mark.usefixtures("prefect_harness")
def test_an_overlapping_run_is_skipped_not_failed_and_the_next_run_sees_its_record(tmp_path):
    from flows.ingest import ingest

    data = tmp_path / "data"
    page = tmp_path / "story.html"
    page.write_bytes(article_html("A dated story", ["BERLIN (dpa) - " + FILLER[0]] + FILLER[1:]))
    first = ingest(sources=[str(page)], data_dir=str(data))
    before = {p.relative_to(data): p.read_bytes() for p in data.rglob("*.parquet")}

    holder = hold_lock(data, 60)
    try:
        state = ingest(sources=[str(page)], data_dir=str(data), wait_seconds=0.3, return_state=True)
    finally:
        holder.kill()
        holder.wait()
    # Prefect shows it as Skipped (a CANCELLED type: no failure alert), with the holder named.
    assert state.name == "Skipped" and state.is_cancelled()
    assert "another wiredesk run is writing" in state.message and "held-by-test" in state.message
    with pytest.raises(WarehouseLocked):
        state.result()
    # Nothing the earlier run stored changed; one record was added.
    after = {p.relative_to(data): p.read_bytes() for p in data.rglob("*.parquet")}
    added = set(after) - set(before)
    assert {k: v for k, v in after.items() if k in before} == before and len(added) == 1
    assert next(iter(added)).parent.name == "runs"

    again = ingest(sources=[str(page)], data_dir=str(data))
    assert again.run.status == "completed" and again.run.articles_stored == 0 and again.run.articles_unchanged == 1
    runs = Warehouse(data).query("select run_id, status, message, finished_at is not null as finished from runs order by started_at").to_pylist()
    assert [r["status"] for r in runs] == ["completed", "skipped", "completed"]
    assert runs[1]["finished"] and "waited 0.3 s" in runs[1]["message"]
    assert runs[0]["run_id"] == first.run.run_id
    assert Warehouse(data).query("select count(*) as n from articles").to_pylist() == [{"n": 1}]
