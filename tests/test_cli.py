"""The `wiredesk` command as a user runs it: a real process, a real temporary Prefect server."""

import json
import os
import subprocess
import sys

from flows.cli import format_table, main
from tests.conftest import SAMPLES


def wiredesk(*args, cwd=None):
    # A loaded CI machine can take longer than Prefect's default 20 s to start the temporary server.
    env = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120", **os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_quick_start_on_the_samples(tmp_path):
    data = tmp_path / "data"
    run = wiredesk("ingest", str(SAMPLES), "--data-dir", str(data))
    assert run.returncode == 0, run.stderr
    assert "pages seen          7" in run.stdout
    assert "articles stored     6" in run.stdout
    assert "rejected            1  no_text: 1" in run.stdout

    query = wiredesk("query", "select title, original_outlet, original_published_date, wire_services from articles where original_outlet is not null", "--data-dir", str(data), "--format", "json")
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout) == [
        {
            "title": "Azerbaijan, Armenia Trade Accusations Over Deadly Border Fighting",
            "original_outlet": "Radio Free Europe/Radio Liberty",
            "original_published_date": "2020-07-12",
            "wire_services": ["AFP", "Interfax"],
        }
    ]
    csv_out = wiredesk("query", "select outlet, count(*) as n from articles group by 1 order by 1", "--data-dir", str(data), "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == "outlet,n"

    again = wiredesk("ingest", str(SAMPLES), "--data-dir", str(data))
    assert "articles stored     0  (6 unchanged: already stored or repeated in this run)" in again.stdout


def test_query_errors_are_messages_not_tracebacks(tmp_path, capsys):
    assert main(["query", "select 1", "--data-dir", str(tmp_path / "none")]) == 2
    assert "wiredesk ingest" in capsys.readouterr().err


def test_table_format_truncates_and_counts():
    out = format_table(["a", "b"], [{"a": "x" * 100, "b": [1, 2]}], max_width=10)
    assert "xxxxxxxxx…" in out and "1, 2" in out and out.endswith("(1 row)")
