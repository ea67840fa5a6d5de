"""The raw archive and `wiredesk reprocess`: responses kept as WARC, articles rebuilt from them without the network."""

import gzip
import hashlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from flows.ingest import ingest
from flows.reprocess import reprocess
from tasks.archive import RawResponse, archive_responses, read_bodies, write_warc
from tasks.fetch import HttpFetcher, HttpSettings, RetryPolicy
from tasks.registry import REGISTRY_DIR_ENV
from tests.conftest import FILLER, article_html, story
from warehouse.schema import PageRequest
from warehouse.store import Warehouse

FAST = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=2, backoff_seconds=0.05))
TASKS = Path(__file__).resolve().parent.parent / "tasks"


def fetch(urls):
    return HttpFetcher(FAST).fetch([PageRequest(source="test", kind="url", location=u, url=u, hint_date="2024-03-05") for u in urls], "run-a")


def test_each_record_is_its_own_gzip_member_readable_by_offset(tmp_path):
    path = tmp_path / "two.warc.gz"
    bodies = [b"<html><body>first</body></html>", b"<html><body>second</body></html>" * 50]
    assert write_warc(path, (RawResponse(url=f"https://example.org/{i}", body=b) for i, b in enumerate(bodies))) == 2
    data = path.read_bytes()
    offsets = []
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        for _record in iterator:
            offsets.append(iterator.get_record_offset())
    assert len(offsets) == 2 and offsets[0] == 0
    members = [data[offsets[0] : offsets[1]], data[offsets[1] :]]
    for member, body in zip(members, bodies):
        assert gzip.decompress(member).endswith(body + b"\r\n\r\n")  # a whole gzip stream on its own


def test_every_response_is_archived_as_received_and_read_back(site, tmp_path):
    page = article_html("Talks resume", FILLER)
    ok = site.add("/a", body=page)
    zipped = site.add("/z", body=gzip.compress(page), headers={"Content-Encoding": "gzip"})
    pdf = site.add("/doc.pdf", body=b"%PDF-1.7", content_type="application/pdf")
    pages = fetch([ok, zipped, site.url("/missing"), pdf])
    rows = archive_responses(pages, tmp_path, "run-a", 0)

    assert [(r.url, r.status, r.ok, r.body_complete) for r in rows] == [(ok, 200, True, True), (zipped, 200, True, True), (site.url("/missing"), 404, False, False), (pdf, 200, False, False)]
    assert rows[0].warc_file == "raw/run-a/part-00000.warc.gz" and rows[0].hint_date == "2024-03-05"
    assert rows[0].body_sha256 == hashlib.sha256(page).hexdigest() == rows[1].body_sha256
    assert [p.name for p in (tmp_path / "raw" / "run-a").iterdir()] == ["part-00000.warc.gz"]  # no temporary file left

    back = {row.url: (body, {k.lower(): v for k, v in headers}) for row, body, headers in read_bodies(tmp_path, rows)}
    assert back[ok][0] == page and back[zipped][0] == page  # decoded, as the size cap and extraction saw it
    assert back[zipped][1]["x-archive-orig-content-encoding"] == "gzip" and "content-encoding" not in back[zipped][1]
    assert back[zipped][1]["content-length"] == str(len(page))
    assert back[site.url("/missing")][0] == b""
    with open(tmp_path / rows[0].warc_file, "rb") as stream:  # a plain WARC any tool reads
        records = [(r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Truncated")) for r in ArchiveIterator(stream)]
    assert records == [(ok, None), (zipped, None), (site.url("/missing"), "unspecified"), (pdf, "unspecified")]


def test_a_damaged_archive_is_an_error_not_a_wrong_article(site, tmp_path):
    rows = archive_responses(fetch([site.add("/a", body=article_html("Talks resume", FILLER))]), tmp_path, "run-a", 0)
    rows = [type(rows[0])(**{**rows[0].__dict__, "body_sha256": "0" * 64})]
    with pytest.raises(ValueError, match="does not match"):
        list(read_bodies(tmp_path, rows))


def rows(data_dir, sql):
    return Warehouse(data_dir).query(sql).to_pylist()


@pytest.mark.usefixtures("prefect_harness")
def test_reprocess_after_a_registry_upgrade_makes_new_versions_offline(site, tmp_path, monkeypatch):
    urls = [site.add(f"/world/{i}", body=article_html(f"Story {i}", [f"GENEVA (Example Wire) - Story {i}. " + story(i)[0]] + story(i)[1:])) for i in range(3)]
    urls.append(site.add("/world/plain", body=article_html("Plain story", story(9))))
    data = tmp_path / "data"
    first = ingest(sources=urls + [site.url("/gone")], data_dir=str(data), http=FAST)
    assert first.run.articles_stored == 4
    archived = rows(data, "select url, status, ok, warc_file from raw_responses order by url")
    assert len(archived) == 5 and {r["warc_file"] for r in archived} == {f"raw/{first.run.run_id}/part-00000.warc.gz"}
    assert rows(data, "select count(*) as n from articles where len(wire_services) > 0") == [{"n": 0}]
    site.close()  # from here on, no network

    registry = tmp_path / "registry"
    registry.mkdir()
    agencies = (TASKS / "agencies.toml").read_text(encoding="utf-8")
    (registry / "agencies.toml").write_text(agencies + '\n[[agency]]\nname = "Example Wire"\nfull_name = "Example Wire Service"\ncountry = "US"\ndomains = []\naliases = ["Example Wire"]\n', encoding="utf-8")
    monkeypatch.setenv(REGISTRY_DIR_ENV, str(registry))
    again = reprocess(run=first.run.run_id, data_dir=str(data))
    assert again.run.status == "completed" and again.run.reprocessed_run == first.run.run_id
    assert (again.run.articles_stored, again.run.articles_unchanged, again.run.fetch_failures) == (3, 1, 0)
    latest = {r["title"]: r for r in rows(data, "select * from articles")}
    assert [latest[f"Story {i}"]["wire_services"] for i in range(3)] == [["Example Wire"]] * 3
    assert latest["Story 0"]["run_id"] == again.run.run_id and latest["Plain story"]["run_id"] == first.run.run_id
    assert rows(data, "select count(*) as n from article_versions") == [{"n": 7}]
    assert rows(data, "select count(*) as n from article_credits where agency = 'Example Wire'") == [{"n": 3}]
    assert rows(data, f"select reprocessed_run from runs where run_id = '{again.run.run_id}'") == [{"reprocessed_run": first.run.run_id}]

    third = reprocess(data_dir=str(data))  # the latest response of every URL: nothing changed since
    assert (third.run.articles_stored, third.run.articles_unchanged) == (0, 4)
    assert rows(data, "select count(*) as n from article_versions") == [{"n": 7}]
