"""Fetching against a real HTTP server on 127.0.0.1: every request gets exactly one recorded outcome."""

import gzip

import pytest

from tasks.fetch import ERROR_CLASSES, HttpFetcher, HttpSettings, LocalFetcher, RetryPolicy, fetch_batch
from tasks.sources import discover_source
from tests.conftest import FILLER, article_html
from warehouse.schema import PageRequest

FAST = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=1, total_timeout=5, retry=RetryPolicy(attempts=2, backoff_seconds=0.05))


def url_request(url: str) -> PageRequest:
    return PageRequest(source=url, kind="url", location=url, url=url)


def fetch_one(url: str, settings: HttpSettings = FAST):
    [page] = HttpFetcher(settings).fetch([url_request(url)], "run")
    return page


def test_ok_page_records_status_type_bytes_and_time(site):
    url = site.add("/a", body=article_html("Talks resume", FILLER))
    page = fetch_one(url)
    assert page.fetch.ok and page.fetch.status == 200
    assert page.fetch.content_type == "text/html" and page.fetch.charset == "utf-8"
    assert page.fetch.n_bytes == len(page.body) > 0
    assert page.fetch.elapsed_ms > 0 and page.fetch.fetched_at is not None
    assert page.fetch.final_url == url and page.fetch.attempts == 1


def test_404_is_recorded_not_retried(site):
    page = fetch_one(site.url("/missing"))
    assert not page.fetch.ok
    assert (page.fetch.error_class, page.fetch.status, page.fetch.attempts) == ("http_status", 404, 1)


def test_503_is_retried_then_succeeds(site):
    route_url = site.add("/flaky", body=article_html("Flaky", FILLER), fail_times=1, fail_status=503, headers={"Retry-After": "0"})
    page = fetch_one(route_url)
    assert page.fetch.ok and page.fetch.attempts == 2
    assert site.routes["/flaky"].hits == 2


def test_read_timeout_is_recorded(site):
    url = site.add("/slow", body=b"<html>late</html>", delay=2.5)
    page = fetch_one(url)
    assert page.fetch.error_class == "timeout"
    assert page.fetch.attempts == 2  # timeouts are retried once under this policy


def test_pdf_where_a_page_was_expected(site):
    url = site.add("/doc.pdf", body=b"%PDF-1.7 binary", content_type="application/pdf")
    page = fetch_one(url)
    assert page.fetch.error_class == "unsupported_content_type" and page.body is None


def test_body_over_the_size_cap(site):
    url = site.add("/huge", body=b"<html>" + b"x" * 200_000 + b"</html>")
    page = fetch_one(url, HttpSettings(allow_addresses=("127.0.0.1",), max_bytes=100_000, retry=RetryPolicy(attempts=1)))
    assert page.fetch.error_class == "too_large"


def test_redirect_loop(site):
    site.add("/loop1", status=302, headers={"Location": "/loop2"})
    site.add("/loop2", status=302, headers={"Location": "/loop1"})
    page = fetch_one(site.url("/loop1"))
    assert page.fetch.error_class == "redirect_loop"


def test_redirect_is_followed_and_final_url_kept(site):
    target = site.add("/new", body=article_html("Moved", FILLER))
    site.add("/old", status=301, headers={"Location": "/new"})
    page = fetch_one(site.url("/old"))
    assert page.fetch.ok and page.fetch.final_url == target and page.fetch.url == site.url("/old")


def test_empty_200(site):
    page = fetch_one(site.add("/empty", body=b""))
    assert page.fetch.error_class == "empty_body"


def test_dead_port_is_a_connect_error():
    page = fetch_one("http://127.0.0.1:9/nothing")
    assert page.fetch.error_class == "connect_error"


def test_error_classes_are_from_the_known_set(site):
    urls = [site.url("/missing"), site.add("/e", body=b""), "http://127.0.0.1:9/x"]
    pages = HttpFetcher(FAST).fetch([url_request(u) for u in urls], "run")
    assert [p.fetch.url for p in pages] == urls
    assert {p.fetch.error_class for p in pages} <= set(ERROR_CLASSES)


def test_mixed_batch_keeps_request_order(site, tmp_path):
    (tmp_path / "a.html").write_bytes(article_html("Local", FILLER))
    requests = [url_request(site.add("/x", body=article_html("Remote", FILLER)))] + discover_source(str(tmp_path / "a.html")) + [url_request(site.url("/nope"))]
    pages = fetch_batch(requests, "run", http=HttpFetcher(FAST))
    assert [p.fetch.kind for p in pages] == ["url", "html_file", "url"]
    assert [p.fetch.ok for p in pages] == [True, True, False]


def test_local_files_gz_missing_and_empty(tmp_path):
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<html><body><p>hi</p></body></html>"))
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    requests = discover_source(str(tmp_path)) + discover_source(str(tmp_path / "gone.html"))
    pages = LocalFetcher().fetch(requests, "run")
    outcome = {p.fetch.url.rsplit("/", 1)[-1]: (p.fetch.ok, p.fetch.error_class) for p in pages}
    assert outcome == {"empty.txt": (False, "empty_body"), "page.html.gz": (True, None), "gone.html": (False, "not_found")}


@pytest.mark.parametrize("value, expected", [("3", 3.0), ("0", 0.0), ("soon", None)])
def test_retry_after_parsing(value, expected):
    from tasks.fetch import _retry_after_seconds

    assert _retry_after_seconds(value) == expected
