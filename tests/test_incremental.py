"""Incremental runs: URLs normalised before dedup, stored and permanently failed URLs skipped
under the refetch policy, conditional GET on re-fetch, all on a real warehouse and server."""

from datetime import datetime, timezone

import pytest

from tasks.discovery import Frontier, dedup_key
from tasks.fetch import HttpFetcher, HttpSettings, RetryPolicy
from warehouse.schema import Fetch, PageRequest, to_arrow
from warehouse.store import Warehouse


def test_tracking_parameters_and_fragments_make_no_new_url():
    assert dedup_key("https://Example.org/a/?utm_source=x&id=3&fbclid=9#comments") == "https://example.org/a/?id=3"
    # Other parameters are courlan's business: kept (sorted), so ?article= sites stay apart.
    assert dedup_key("https://e.org/story?b=2&a=1") == "https://e.org/story?a=1&b=2"
    assert dedup_key("https://e.org/story?a=1") != dedup_key("https://e.org/story?a=2")


def history(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    at = datetime(2024, 3, 5, tzinfo=timezone.utc)
    rows = [
        Fetch(run_id="r1", source="s", kind="feed_entry", url="https://e.org/stored", fetched_at=at, ok=True, status=200, etag='"v1"', last_modified="Tue, 05 Mar 2024 10:00:00 GMT"),
        Fetch(run_id="r1", source="s", kind="feed_entry", url="https://e.org/gone", fetched_at=at, status=404, error_class="http_status"),
        Fetch(run_id="r1", source="s", kind="feed_entry", url="https://e.org/busy", fetched_at=at, status=503, error_class="http_status"),
        Fetch(run_id="r1", source="s", kind="url", url="https://e.org/private", fetched_at=at, error_class="robots_disallowed"),
        # A feed is fetched again every run, whatever its history.
        Fetch(run_id="r1", source="s", kind="feed", url="https://e.org/rss", fetched_at=at, ok=True, status=200),
    ]
    store.write("fetches", to_arrow(rows, Fetch), "part-r1")
    return str(tmp_path)


def requests(*paths, kind="feed_entry"):
    return [PageRequest(source="s", kind=kind, location=f"https://e.org/{p}") for p in paths]


@pytest.mark.parametrize(
    "refetch, fetched, skipped",
    [
        ("never", ["busy", "new", "rss"], {"stored": ["stored"], "permanent_failure": ["gone", "private"], "repeated": ["new"]}),
        ("changed", ["stored", "busy", "new", "rss"], {"permanent_failure": ["gone", "private"], "repeated": ["new"]}),
        ("always", ["stored", "gone", "busy", "private", "new", "rss"], {"repeated": ["new"]}),
    ],
)
def test_refetch_policy_decides_what_earlier_runs_fetched(tmp_path, refetch, fetched, skipped):
    frontier = Frontier(data_dir=history(tmp_path), refetch=refetch, run_id="r2")
    admitted = frontier.admit(requests("stored", "gone", "busy") + requests("private", kind="url") + requests("new", "new?utm_medium=rss#top") + requests("rss", kind="feed"))
    assert [r.location.rsplit("/", 1)[1] for r in admitted] == fetched
    got: dict = {}
    for skip in frontier.drain():
        got.setdefault(skip.reason, []).append(skip.url.rsplit("/", 1)[1])
    assert got == skipped
    if refetch == "changed":
        stored = admitted[0]
        assert (stored.etag, stored.last_modified) == ('"v1"', "Tue, 05 Mar 2024 10:00:00 GMT")


def test_skips_say_what_happened_last_time(tmp_path):
    frontier = Frontier(data_dir=history(tmp_path), run_id="r2")
    frontier.admit(requests("gone"))
    [skip] = frontier.drain()
    assert (skip.run_id, skip.reason, skip.last_run_id, skip.last_outcome) == ("r2", "permanent_failure", "r1", "http 404")


def test_unknown_refetch_policy_is_refused():
    with pytest.raises(ValueError, match="never, changed, always"):
        Frontier(refetch="sometimes")


def test_conditional_get_sends_validators_and_records_304(site):
    url = site.add("/a", body=b"<html><body><p>story</p></body></html>", headers={"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 10:00:00 GMT"}, not_modified_etag='"v1"')
    http = HttpFetcher(HttpSettings(allow_addresses=("127.0.0.1",), retry=RetryPolicy(attempts=1)))
    [first] = http.fetch([PageRequest(source="s", kind="url", location=url)], "r1")
    assert first.fetch.ok and (first.fetch.etag, first.fetch.last_modified) == ('"v1"', "Tue, 05 Mar 2024 10:00:00 GMT")
    again = PageRequest(source="s", kind="url", location=url, etag=first.fetch.etag, last_modified=first.fetch.last_modified)
    [second] = http.fetch([again], "r2")
    assert (second.fetch.ok, second.fetch.status, second.fetch.error_class, second.body) == (False, 304, "not_modified", None)
    assert site.routes["/a"].seen_headers["If-None-Match"] == '"v1"'
    assert site.routes["/a"].seen_headers["If-Modified-Since"] == "Tue, 05 Mar 2024 10:00:00 GMT"


@pytest.mark.harness
def test_runs_skip_what_is_stored_and_refetch_changed_gets_304s(prefect_harness, site, tmp_path, capsys):
    from flows.cli import summary
    from flows.ingest import ingest
    from tests.conftest import article_html, story

    items = "".join(f"<item><title>S{i}</title><link>{site.base}/s/{i}?utm_source=rss</link></item>" for i in range(3))
    items += f"<item><title>dup</title><link>{site.base}/s/0#comments</link></item><item><title>gone</title><link>{site.base}/gone</link></item>"
    site.add("/rss", body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(), content_type="application/rss+xml")
    for i in range(3):
        site.add(f"/s/{i}", body=article_html(f"Story number {i}", story(i)), headers={"ETag": f'"e{i}"'}, not_modified_etag=f'"e{i}"')
    http = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=1))
    data = str(tmp_path / "data")
    first = ingest(sources=[site.url("/rss")], data_dir=data, http=http)
    assert (first.run.articles_stored, first.run.fetch_failures, first.tally.skipped) == (3, 1, {"repeated": 1})
    assert [site.routes[f"/s/{i}"].hits for i in range(3)] == [1, 1, 1]

    second = ingest(sources=[site.url("/rss")], data_dir=data, http=http)
    assert second.run.status.startswith("completed")
    assert (second.run.pages_seen, second.tally.skipped) == (1, {"stored": 3, "permanent_failure": 1, "repeated": 1})
    assert [site.routes[f"/s/{i}"].hits for i in range(3)] == [1, 1, 1]
    [line] = [line for line in summary(second).splitlines() if line.startswith("  skipped ")]
    assert line.startswith("  skipped             5  stored: 3, ") and "permanent_failure: 1" in line and "repeated: 1" in line

    third = ingest(sources=[site.url("/rss")], data_dir=data, http=http, refetch="changed")
    assert third.run.status.startswith("completed")
    assert (third.tally.not_modified, third.run.fetch_failures, third.run.articles_stored) == (3, 0, 0)
    store = Warehouse(data)
    rows = store.query(f"select reason, count(*) n from skipped_urls where run_id = '{second.run.run_id}' group by all order by reason").to_pylist()
    assert rows == [{"reason": "permanent_failure", "n": 1}, {"reason": "repeated", "n": 1}, {"reason": "stored", "n": 3}]
    assert store.query(f"select count(*) from fetches where run_id = '{third.run.run_id}' and error_class = 'not_modified'").column(0)[0].as_py() == 3
    assert store.query(f"select skipped from runs where run_id = '{second.run.run_id}' and finished_at is not null").column(0)[0].as_py() == 5
