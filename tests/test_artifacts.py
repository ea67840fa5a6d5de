"""Each flow run publishes its summary as Prefect artifacts, read back from the real API."""

import pytest

from flows.artifacts import SUMMARY_KEY, TOTALS_KEY
from flows.ingest import ingest
from tests.conftest import SAMPLES

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_run_publishes_a_table_by_outlet_and_its_totals(tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    result = ingest(sources=[str(SAMPLES)], data_dir=str(tmp_path / "data"))
    with get_client(sync_client=True) as client:
        flow_run_filter = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[result.run.flow_run_id]))
        artifacts = {a.key: a for a in client.read_artifacts(artifact_filter=flow_run_filter)}
    table = artifacts[SUMMARY_KEY].data
    rows = table if isinstance(table, list) else __import__("json").loads(table)
    assert sum(r["articles"] for r in rows) == result.run.articles_stored == 6
    assert sum(r["with_wire"] for r in rows) == result.run.with_wire == 5
    assert {"Reuters", "SFGate", "Daily Herald"} <= {r["outlet"] for r in rows}
    totals = artifacts[TOTALS_KEY].data
    assert "| rejected | 1 (no_text: 1) |" in totals
    assert "| failed | 0 (none) |" in totals
    report = result.run.quality_report
    assert report and report.endswith(f"quality_docs/{result.run.run_id}/index.html")
    assert f"| quality report | [{report}](file://{report}) |" in totals  # the run's own Data Docs page
