"""The ingest flow end to end under Prefect's test harness, asserted with SQL on the real DuckDB file."""

import shutil
from datetime import date

import pytest

from flows.ingest import ingest
from tasks.archive import RawResponse, write_warc
from tasks.fetch import HttpSettings, RetryPolicy
from tests.conftest import FILLER, SAMPLES, article_html, story
from warehouse.store import Warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")

FAST = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=2, backoff_seconds=0.05))

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example feed</title>
<item><title>Second</title><link>{base}/world/second</link><pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item>
<item><title>Third</title><link>{base}/world/third</link></item>
</channel></rss>"""


@pytest.fixture
def sources(site, tmp_path):
    site.add("/world/first", body=article_html("Ceasefire talks resume", ["GENEVA (Reuters) - " + FILLER[0]] + FILLER[1:]))
    site.add("/world/second", body=article_html("Second story", FILLER + ["The Associated Press contributed to this report."]))
    site.add("/world/third", body=article_html("Third story", FILLER + ["This article was originally published by The Guardian on 1 March 2024."]))
    site.add("/feed.xml", body=RSS.format(base=site.base).encode(), content_type="application/rss+xml")
    site.add("/broken", body=b"<html><head><title>x</title></head><body><div><script>var a = 1;</script><td></span>")
    local = tmp_path / "in"
    local.mkdir()
    shutil.copy(SAMPLES / "rferl-republished.txt", local / "seed.txt")
    write_warc(local / "crawl.warc.gz", [RawResponse(url="https://archive.example.net/story-1", body=article_html("Archived story", ["BERLIN (dpa) - " + FILLER[0]] + FILLER[1:]))])
    return [site.url("/world/first"), site.url("/feed.xml"), site.url("/broken"), site.url("/gone"), str(local)]


def rows(data_dir, sql):
    return Warehouse(data_dir).query(sql).to_pylist()


def test_mixed_sources_end_to_end_and_idempotent(sources, site, tmp_path):
    data = tmp_path / "data"
    first = ingest(sources=sources, data_dir=str(data), http=FAST)
    assert first.run.status == "completed"
    # 5 sources -> 4 URLs + 2 local files, plus 2 feed entries; 5 articles, 1 refused, 1 failed, 1 feed
    assert first.run.pages_seen == 8
    assert first.run.articles_stored == 5
    assert first.run.fetch_failures == 1 and dict(first.tally.failed) == {"http 404": 1}
    assert first.run.rejected == 1 and dict(first.tally.rejected) == {"no_text": 1}

    by_title = {r["title"]: r for r in rows(data, "select * from articles")}
    assert by_title["Ceasefire talks resume"]["wire_services"] == ["Reuters"]
    assert by_title["Second story"]["wire_services"] == ["AP"]
    assert by_title["Second story"]["published_date"] == date(2024, 3, 5)
    assert by_title["Third story"]["original_outlet"] == "The Guardian"
    assert by_title["Third story"]["original_published_date"] == date(2024, 3, 1)
    assert by_title["Archived story"]["wire_services"] == ["dpa"]
    assert by_title["Archived story"]["url"] == "https://archive.example.net/story-1"
    seed = by_title["Azerbaijan, Armenia Trade Accusations Over Deadly Border Fighting"]
    assert (seed["original_outlet"], seed["original_published_date"], seed["wire_services"]) == ("Radio Free Europe/Radio Liberty", date(2020, 7, 12), ["AFP", "Interfax"])

    fetches = {r["url"]: r for r in rows(data, "select * from fetches")}
    assert (fetches[site.url("/gone")]["error_class"], fetches[site.url("/gone")]["status"]) == ("http_status", 404)
    assert fetches[site.url("/feed.xml")]["kind"] == "feed"
    assert rows(data, "select url, error from rejected_articles") == [{"url": site.url("/broken"), "error": "no_text"}]
    assert rows(data, "select count(*) as n from article_credits where agency = 'Reuters'") == [{"n": 1}]
    # Every stored version keeps its date candidates; the chosen one is the published_date.
    chosen = rows(data, "select a.title, d.signal, d.parsed_date, a.date_granularity from article_dates d join articles a using (article_id, content_hash) where d.chosen")
    assert {r["title"] for r in chosen} >= {"Second story", "Ceasefire talks resume"}
    assert all(r["parsed_date"] == by_title[r["title"]]["published_date"] for r in chosen)
    assert rows(data, "select count(*) as n from article_dates d anti join articles a using (article_id, content_hash)") == [{"n": 0}]
    assert rows(data, "select count(*) as n from quality_results where not success and level = 'row'")[0]["n"] >= 1

    second = ingest(sources=sources, data_dir=str(data), http=FAST)
    # Local files are read again (nothing stored twice); stored and failed-for-good URLs are skipped.
    assert (second.run.articles_stored, second.run.articles_unchanged) == (0, 2)
    assert dict(second.tally.skipped) == {"stored": 4, "permanent_failure": 1}
    assert rows(data, "select count(*) as n from article_versions") == [{"n": 5}]
    assert rows(data, "select count(*) as n from rejected_articles") == [{"n": 1}]
    assert rows(data, "select count(*) as n from read_parquet('" + str(data) + "/article_credits/*.parquet')") == rows(data, "select count(*) as n from article_credits")
    assert rows(data, "select count(*) as n from read_parquet('" + str(data) + "/article_dates/*.parquet')") == rows(data, "select count(*) as n from article_dates")
    assert [r["status"] for r in rows(data, "select status from runs order by started_at")] == ["completed", "completed"]

    site.add("/world/first", body=article_html("Ceasefire talks collapse", ["GENEVA (Reuters) - " + FILLER[0]] + FILLER[1:]))
    third = ingest(sources=sources[:1], data_dir=str(data), http=FAST, refetch="always")
    assert third.run.articles_stored == 1
    assert rows(data, "select count(*) as n from article_versions") == [{"n": 6}]
    assert rows(data, "select count(*) as n from articles") == [{"n": 5}]
    assert "Ceasefire talks collapse" in {r["title"] for r in rows(data, "select title from articles")}
    assert "Ceasefire talks resume" not in {r["title"] for r in rows(data, "select title from articles")}


def test_extraction_through_the_process_pool_matches_in_process(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(6):
        (pages / f"p{i}.html").write_bytes(article_html(f"Story {i}", [f"BERLIN (dpa) - Story {i}. " + story(i)[0]] + story(i)[1:]))
    pooled = ingest(sources=[str(pages)], data_dir=str(tmp_path / "a"), pages_per_task=2)
    inline = ingest(sources=[str(pages)], data_dir=str(tmp_path / "b"), pages_per_task=100)
    sql = "select article_id, title, wire_services, content_hash from articles order by article_id"
    assert pooled.run.articles_stored == 6
    assert rows(tmp_path / "a", sql) == rows(tmp_path / "b", sql)
