"""flows/runtime.py: the temporary Prefect server a command-line run starts (a real one, on 127.0.0.1)."""

import os

import httpx
import pytest

from flows.runtime import TemporaryServer, prefect_api, start_prefect_api


@pytest.fixture
def no_configured_api(monkeypatch):
    # The test harness's API would be used instead of a temporary server.
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def test_a_server_started_early_serves_the_run_and_stops_after_it(no_configured_api):
    server = TemporaryServer()  # returns at once: the server starts in the background
    with prefect_api(server) as api_url:
        assert api_url.startswith("http://127.0.0.1:")
        assert os.environ["PREFECT_API_URL"] == api_url  # worker processes inherit it
        assert httpx.get(f"{api_url}/health", timeout=10).status_code == 200
    assert "PREFECT_API_URL" not in os.environ
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{api_url}/health", timeout=5)


@pytest.mark.usefixtures("prefect_harness")
def test_stopping_a_temporary_server_leaves_the_harness_server_running(no_configured_api):
    from prefect.settings import PREFECT_API_URL

    harness_url = PREFECT_API_URL.value()
    with prefect_api(TemporaryServer()) as api_url:
        assert api_url != harness_url
    assert httpx.get(f"{harness_url}/health", timeout=10).status_code == 200


def test_a_configured_api_starts_no_server(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert start_prefect_api() is None
    with prefect_api() as api_url:
        assert api_url == "http://127.0.0.1:4200/api"
