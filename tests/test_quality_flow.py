"""The gate inside a real flow run: a batch-level failure fails the Prefect flow run and the
run record, keeps what passed, records duplicates, builds the Data Docs, and the verdicts
are a Prefect artifact."""

import pytest

from expectations.report import QualityGateFailed
from flows.ingest import ingest
from tasks.fetch import HttpSettings
from tests.conftest import article_html, story
from warehouse.store import Warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")

LOCAL = HttpSettings(allow_addresses=("127.0.0.1",))  # the test server is on loopback, which runs refuse by default


def rows(data_dir, sql):
    return Warehouse(data_dir).query(sql).to_pylist()


def test_batch_failure_fails_the_run_and_keeps_what_passed(site, tmp_path):
    canonical = site.url("/story")
    site.add("/story", body=article_html("The story", story(1), canonical=canonical))
    site.add("/story-amp", body=article_html("The story", story(1), canonical=canonical))
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(12):  # plain text carries no date: most of the batch is undated
        (notes / f"n{i}.txt").write_text(f"Note {i}\n\n" + "\n\n".join(story(10 + i)), encoding="utf-8")
    data = tmp_path / "data"

    state = ingest(sources=[site.url("/story-amp"), canonical, str(notes)], data_dir=str(data), http=LOCAL, return_state=True)

    assert state.is_failed()
    with pytest.raises(QualityGateFailed) as failure:
        state.result()
    result = failure.value.result
    assert result.run.status == "failed" and result.run.batch_failures == 1
    assert "expect_column_values_to_not_be_null(published_date)" in result.tally.batch_failures[0]

    (run,) = rows(data, "select * from runs")
    assert (run["status"], run["articles_stored"], run["duplicates"]) == ("failed", 13, 1)
    assert run["message"].startswith("quality gate: 1 batch-level checks failed")
    assert rows(data, "select count(*) as n from articles") == [{"n": 13}]  # what passed is kept
    assert rows(data, "select suite, column_name from quality_results where level = 'batch' and not success") == [{"suite": "articles", "column_name": "published_date"}]

    (dup,) = rows(data, "select url, kept_url, reason from duplicate_articles")
    assert (dup["url"], dup["kept_url"]) == (site.url("/story-amp"), canonical)
    assert "own URL is the canonical" in dup["reason"]
    assert rows(data, "select url from articles where url like 'http%'") == [{"url": canonical}]

    report = run["quality_report"]
    assert report == str(data.resolve() / "quality_docs" / run["run_id"] / "index.html")
    assert "articles.batch" in open(report, encoding="utf-8").read()

    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["wiredesk-quality"])))
    markdown = [a.data for a in artifacts if run["run_id"] in a.data]
    assert markdown and "**failed**" in markdown[0] and "published_date" in markdown[0]


def test_outlet_drift_against_its_history_is_a_warning(site, tmp_path):
    from expectations.articles import DRIFT_MIN_BATCH, DRIFT_MIN_HISTORY
    from flows.cli import summary

    before = [site.add(f"/old/{i}", body=article_html(f"Old story {i}", story(i))) for i in range(DRIFT_MIN_HISTORY)]
    data = str(tmp_path / "data")
    first = ingest(sources=before, data_dir=data, http=LOCAL)
    assert (first.run.status, first.run.articles_stored) == ("completed", DRIFT_MIN_HISTORY)
    assert rows(data, "select count(*) as n from articles where len(authors) > 0") == [{"n": DRIFT_MIN_HISTORY}]

    # A redesign drops the byline: the outlet's author null rate jumps from 0% to 100%.
    after = [site.add(f"/new/{i}", body=article_html(f"New story {i}", story(100 + i)).replace(b'<p class="byline">By Jane Doe</p>', b"")) for i in range(DRIFT_MIN_BATCH)]
    second = ingest(sources=after, data_dir=data, http=LOCAL)
    assert (second.run.status, second.run.drift_alerts, second.run.articles_stored) == ("completed_with_warnings", 1, DRIFT_MIN_BATCH)
    assert second.tally.drift == ["127.0.0.1 authors: 0% -> 100% missing"]
    assert "drift               1 outlet null-rate jumps" in summary(second)
    (verdict,) = rows(data, f"select suite, level, examples from quality_results where run_id = '{second.run.run_id}' and not success")
    assert verdict == {"suite": "drift", "level": "drift", "examples": ["127.0.0.1 authors: 0% -> 100% missing"]}
