"""Data dirs on fsspec URLs: a local path and an S3 API on 127.0.0.1 (moto's server, s3fs) hold the
same warehouse; the DuckDB catalog and the writer lock stay local."""

import json
import logging
import secrets

import pytest

from tests.conftest import SAMPLES
from warehouse.location import CATALOG_ENV, OPTIONS_ENV, DataDir
from warehouse.schema import Run, to_arrow
from warehouse.store import Warehouse

pytest.importorskip("moto.server")
s3fs = pytest.importorskip("s3fs")


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def data_dir(request, tmp_path, monkeypatch):
    """A data dir URL of each kind, with its catalog directory."""
    monkeypatch.setenv(CATALOG_ENV, str(tmp_path / "catalog"))
    if request.param == "local":
        return str(tmp_path / "data")
    endpoint = request.getfixturevalue("s3_endpoint")
    options = {"endpoint_url": endpoint, "key": "testing", "secret": "testing"}
    monkeypatch.setenv(OPTIONS_ENV, json.dumps(options))
    bucket = f"wiredesk-{secrets.token_hex(4)}"
    s3fs.S3FileSystem(**{k: v for k, v in options.items()}).mkdir(bucket)
    return f"s3://{bucket}/warehouse"


def test_a_warehouse_on_any_data_dir_writes_dedupes_and_queries(data_dir):
    store = Warehouse(data_dir)
    store.ensure()
    runs = to_arrow([Run(run_id="r1", status="completed"), Run(run_id="r2", status="failed")], Run)
    for _ in range(2):  # re-running the same batch adds nothing
        store.write("runs", store.new_rows("runs", runs, keys=("run_id",)), "part-1")
    store.refresh_views()
    assert store.query("select run_id, status from runs order by 1").to_pylist() == [{"run_id": "r1", "status": "completed"}, {"run_id": "r2", "status": "failed"}]
    location = DataDir.of(data_dir)
    assert location.glob("runs", "*.parquet") == [location.path("runs", "_schema.parquet"), location.path("runs", "part-1.parquet")]
    if not location.local:
        # The catalog and the lock are local files; the bucket holds only Parquet.
        assert store.db_path.exists() and str(store.db_path).startswith(str(location.catalog_dir))
        assert all(p.endswith(".parquet") for p in location.fs.find(location.root))


def test_recovering_interrupted_runs_works_on_any_data_dir(data_dir):
    store = Warehouse(data_dir)
    store.ensure()
    store.write("runs", to_arrow([Run(run_id="dead", status="running")], Run), "dead")
    with store.writer_lock():
        assert store.recover_interrupted_runs(found_by="next") == ["dead"]
    assert store.query("select status from runs").to_pylist() == [{"status": "interrupted"}]


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_into_s3_queries_and_reruns_idempotently(s3_endpoint, tmp_path, monkeypatch, capsys):
    from flows.cli import main
    from flows.ingest import ingest

    monkeypatch.setenv(CATALOG_ENV, str(tmp_path / "catalog"))
    options = {"endpoint_url": s3_endpoint, "key": "testing", "secret": "testing"}
    monkeypatch.setenv(OPTIONS_ENV, json.dumps(options))
    s3fs.S3FileSystem(**options).mkdir("ingest-bucket")
    url = "s3://ingest-bucket/wiredesk"

    first = ingest(sources=[str(SAMPLES)], data_dir=url)
    assert first.run.status.startswith("completed") and first.run.articles_stored == 6
    again = ingest(sources=[str(SAMPLES)], data_dir=url)
    assert again.run.articles_stored == 0 and again.run.articles_unchanged == 6

    assert main(["query", "select count(*) as n, count(*) filter (where wire_services = ['AP']) as ap from articles", "--data-dir", url, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 6, "ap": 2}]
    runs = Warehouse(url).query("select status from runs").to_pylist()
    assert len(runs) == 2 and all(r["status"].startswith("completed") for r in runs)
    fs = s3fs.S3FileSystem(**options)
    assert fs.find("ingest-bucket/wiredesk/articles") and not [p for p in fs.find("ingest-bucket") if not p.endswith(".parquet")]
    assert (tmp_path / "catalog" / "wiredesk.duckdb").exists() and (tmp_path / "catalog" / ".writer.lock").exists()


def test_raw_archive_and_reprocess_on_s3(s3_endpoint, site, tmp_path, monkeypatch, prefect_harness):
    """HTTP responses are archived as WARC in the bucket, and `reprocess` rebuilds from there offline."""
    from flows.ingest import ingest
    from flows.reprocess import reprocess
    from tasks.fetch import HttpSettings, RetryPolicy
    from tests.conftest import article_html, story

    monkeypatch.setenv(CATALOG_ENV, str(tmp_path / "catalog"))
    options = {"endpoint_url": s3_endpoint, "key": "testing", "secret": "testing"}
    monkeypatch.setenv(OPTIONS_ENV, json.dumps(options))
    fs = s3fs.S3FileSystem(**options)
    fs.mkdir("archive-bucket")
    url = "s3://archive-bucket/wiredesk"
    pages = [site.add(f"/news/{i}", body=article_html(f"Story {i}", story(i))) for i in range(2)]
    http = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=1))

    first = ingest(sources=pages + [site.url("/missing")], data_dir=url, http=http)
    assert first.run.articles_stored == 2 and first.run.fetch_failures == 1
    warcs = [p for p in fs.find("archive-bucket/wiredesk/raw") if p.endswith(".warc.gz")]
    assert warcs == [f"archive-bucket/wiredesk/raw/{first.run.run_id}/part-00000.warc.gz"]
    archived = Warehouse(url).query("select url, status from raw_responses order by url").to_pylist()
    assert [(r["url"].removeprefix(site.base), r["status"]) for r in archived] == [("/missing", 404), ("/news/0", 200), ("/news/1", 200)]
    site.close()  # from here on, no network

    again = reprocess(run=first.run.run_id, data_dir=url)
    assert again.run.status.startswith("completed") and again.run.reprocessed_run == first.run.run_id
    assert (again.run.articles_stored, again.run.articles_unchanged) == (0, 2)
    assert Warehouse(url).query("select count(*) as n from articles").to_pylist() == [{"n": 2}]
