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

from tests.conftest import ROOT, SAMPLES
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


def test_served_deployment_runs_by_name_and_its_cron_schedule_is_planned(prefect_server, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    data = tmp_path / "data"
    serve = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", str(SAMPLES), "--name", "samples", "--cron", "0 6 * * *", "--data-dir", str(data)],
        env=prefect_server, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        with temporary_settings(updates={PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
            with get_client(sync_client=True) as client:

                def deployment():
                    try:
                        return client.read_deployment_by_name("wiredesk-ingest/samples")
                    except Exception:
                        assert serve.poll() is None, serve.stderr.read()
                        return None

                found = wait_for(deployment, 120, "the served deployment")
                run = run_deployment("wiredesk-ingest/samples", timeout=240)
                assert run.state.is_completed(), run.state

                # The scheduler plans the next runs of "0 6 * * *": every day at 06:00 UTC.
                scheduled = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=["SCHEDULED"])))
                only_this = DeploymentFilter(id=DeploymentFilterId(any_=[found.id]))
                planned = wait_for(lambda: client.read_flow_runs(flow_run_filter=scheduled, deployment_filter=only_this), 60, "scheduled runs")
        now = datetime.now(timezone.utc)
        first = now.replace(hour=6, minute=0, second=0, microsecond=0)
        if first <= now:
            first += timedelta(days=1)
        starts = sorted(r.expected_start_time for r in planned)
        assert starts[:3] == [first + timedelta(days=i) for i in range(3)]
    finally:
        stop(serve)

    runs = Warehouse(data).query("select status, flow_run_id, articles_stored from runs").to_pylist()
    assert runs == [{"status": runs[0]["status"], "flow_run_id": str(run.id), "articles_stored": 6}]
    assert runs[0]["status"].startswith("completed")
    assert Warehouse(data).query("select count(*) as n from articles where wire_services = ['AP']").to_pylist() == [{"n": 2}]
