"""Discovery of sources: files, directories, WARC files, URLs, and unreadable sources."""

from datetime import datetime, timezone

from tasks.archive import RawResponse, write_warc
from tasks.fetch import LocalFetcher
from tasks.sources import discover_all, discover_source
from tests.conftest import FILLER, SAMPLES, article_html


def test_directory_is_walked_recursively_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.htm").write_bytes(b"<html></html>")
    (tmp_path / "one.html").write_bytes(b"<html></html>")
    (tmp_path / "note.txt").write_text("Title\n\nBody")
    (tmp_path / ".hidden.html").write_text("x")
    kinds = [(r.kind, r.location.rsplit("/", 1)[-1]) for r in discover_source(str(tmp_path))]
    assert kinds == [("text_file", "note.txt"), ("html_file", "one.html"), ("html_file", "two.htm")]


def test_unsupported_and_missing_files_become_recorded_failures(tmp_path):
    (tmp_path / "data.csv").write_text("a,b")
    requests = discover_all([str(tmp_path / "data.csv"), str(tmp_path / "nope.html")])
    assert [(r.kind, r.error_class) for r in requests] == [("invalid", "unsupported_source"), ("invalid", "not_found")]
    pages = LocalFetcher().fetch(requests, "run")
    assert [p.fetch.error_class for p in pages] == ["unsupported_source", "not_found"]


def test_warc_records_keep_target_uri_and_date(tmp_path):
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [RawResponse(url="https://example.org/a", body=article_html("A", FILLER), fetched_at=when), RawResponse(url="https://example.org/b", body=b"gone", status=404)])
    requests = discover_source(str(path))
    assert [r.url for r in requests] == ["https://example.org/a", "https://example.org/b"]
    pages = LocalFetcher().fetch(requests, "run")
    assert pages[0].fetch.ok and pages[0].fetch.fetched_at == when and pages[0].fetch.status == 200
    assert (pages[1].fetch.ok, pages[1].fetch.error_class, pages[1].fetch.status) == (False, "http_status", 404)


def test_corrupt_warc_is_recorded_once(tmp_path):
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(b"this is not a warc file at all")
    requests = discover_source(str(path))
    assert [r.error_class for r in requests] == ["unreadable_source"]


def test_urls_pass_through():
    [request] = discover_source("https://example.org/news/1")
    assert (request.kind, request.location) == ("url", "https://example.org/news/1")


def test_samples_folder_has_every_local_kind():
    kinds = {r.kind for r in discover_source(str(SAMPLES))}
    assert kinds == {"text_file", "html_file", "warc_record"}
