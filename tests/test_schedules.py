"""Deployments on a real `prefect server start` on 127.0.0.1: serve, trigger by name, cron schedules.

One server per test session (it takes ~10 s to come up), with its own PREFECT_HOME and a free port.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.conftest import FILLER, ROOT, SAMPLES, article_html
from warehouse.store import Warehouse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real Prefect server; yields the environment that points a process at it."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",  # default 60: the test would wait a minute for scheduled runs
        "PREFECT_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(api + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            stop(server)
            pytest.fail("prefect server did not come up")
        time.sleep(0.5)
    yield {**env, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-client-home"))}
    stop(server)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def next_daily(hour: int, minute: int, count: int) -> list[datetime]:
    """The next `count` UTC start times of the cron "minute hour * * *"."""
    now = datetime.now(timezone.utc)
    first = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if first <= now:
        first += timedelta(days=1)
    return [first + timedelta(days=i) for i in range(count)]


def desk_sources_file(tmp_path):
    """A sources file with one scheduled source (a folder holding a dpa story) and one unscheduled one."""
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "story.html").write_bytes(article_html("Talks resume in Berlin", ["BERLIN (dpa) - " + FILLER[0]] + FILLER[1:]))
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nname = "desk"\nfolder = "desk"\nschedule = "30 5 * * *"\n\n[[source]]\nname = "adhoc"\nfolder = "desk"\n', encoding="utf-8")
    return path


def test_serve_builds_one_deployment_per_scheduled_source(tmp_path):
    import argparse

    from flows.deploy import deployment_specs

    path = desk_sources_file(tmp_path)
    args = argparse.Namespace(sources=[str(SAMPLES)], sources_file=str(path), only=None, name="samples", data_dir=str(tmp_path / "data"), cron="0 6 * * *", wait=5.0)
    specs, problem = deployment_specs(args)
    assert problem is None
    assert [(s.name, s.cron) for s in specs] == [("samples", "0 6 * * *"), ("desk", "30 5 * * *")]  # "adhoc" has no schedule
    assert specs[1].parameters == {"sources_file": str(path), "only": ["desk"], "data_dir": str(tmp_path / "data"), "wait_seconds": 5.0}


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--only", "adhoc"], "no selected source has a `schedule`"),
        (["--only", "nosuch"], "no source named 'nosuch'"),
        (["--name", "desk", "samples"], "deployment name 'desk' is used twice"),
    ],
)
def test_serve_refuses_a_sources_file_it_cannot_serve(tmp_path, monkeypatch, capsys, extra, message):
    from flows.cli import main

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never reached: the check comes first
    assert main(["serve", "--sources", str(desk_sources_file(tmp_path)), *extra]) == 2
    assert message in capsys.readouterr().err


def test_served_deployments_run_by_name_and_their_cron_schedules_are_planned(prefect_server, tmp_path):
    """One serve process: a deployment of SOURCE arguments and one of a sources file's scheduled source."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    data = tmp_path / "data"
    sources = desk_sources_file(tmp_path)
    serve = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", str(SAMPLES), "--name", "samples", "--cron", "0 6 * * *", "--sources", str(sources), "--data-dir", str(data)],
        env=prefect_server, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        with temporary_settings(updates={PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
            with get_client(sync_client=True) as client:

                def deployment(name):
                    try:
                        return client.read_deployment_by_name(f"wiredesk-ingest/{name}")
                    except Exception:
                        assert serve.poll() is None, serve.stderr.read()
                        return None

                found = {name: wait_for(lambda: deployment(name), 120, f"the served deployment {name}") for name in ("samples", "desk")}
                with pytest.raises(Exception):  # a source without a schedule is not served
                    client.read_deployment_by_name("wiredesk-ingest/adhoc")
                runs = {name: run_deployment(f"wiredesk-ingest/{name}", timeout=240) for name in ("samples", "desk")}
                for run in runs.values():
                    assert run.state.is_completed(), run.state

                # The scheduler plans the next runs of each cron, in UTC.
                scheduled = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=["SCHEDULED"])))

                def planned(name):
                    only_this = DeploymentFilter(id=DeploymentFilterId(any_=[found[name].id]))
                    return sorted(r.expected_start_time for r in wait_for(lambda: client.read_flow_runs(flow_run_filter=scheduled, deployment_filter=only_this), 60, f"scheduled runs of {name}"))

                assert planned("samples")[:3] == next_daily(6, 0, 3)
                assert planned("desk")[:3] == next_daily(5, 30, 3)
    finally:
        stop(serve)

    store = Warehouse(data)
    stored = {r["flow_run_id"]: r for r in store.query("select status, flow_run_id, articles_stored, sources from runs").to_pylist()}
    assert set(stored) == {str(r.id) for r in runs.values()}
    assert all(r["status"].startswith("completed") for r in stored.values())
    assert stored[str(runs["samples"].id)]["articles_stored"] == 6
    assert stored[str(runs["desk"].id)]["articles_stored"] == 1
    assert stored[str(runs["desk"].id)]["sources"] == [f"{sources}#desk"]
    assert store.query("select count(*) as n from articles where wire_services = ['AP']").to_pylist() == [{"n": 2}]
    assert store.query("select source, wire_services from articles where title = 'Talks resume in Berlin'").to_pylist() == [{"source": "desk", "wire_services": ["dpa"]}]
