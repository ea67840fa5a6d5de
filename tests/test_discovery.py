"""Sitemaps and sites: parsed as rows, expanded on the real 127.0.0.1 server, limits across a run."""

import gzip

import pytest

from tasks.discovery import SITEMAP_DEPTH, Frontier, SitemapError, parse_sitemap, sitemap_requests, sitemap_root
from tasks.feeds import expand_page
from tasks.fetch import ERROR_CLASSES, HttpFetcher, HttpSettings, RetryPolicy, fetch_batch
from warehouse.schema import Fetch, Page, PageRequest

NEWS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    "<url><loc>{base}/a</loc><news:news><news:publication><news:name>X</news:name></news:publication>"
    "<news:publication_date>2024-03-05T10:15:00+01:00</news:publication_date><news:title>Talks resume</news:title></news:news></url>"
    "<url><loc>{base}/b</loc><lastmod>2024-03-04</lastmod></url>"
    "<url><loc>/c</loc></url>"
    "</urlset>"
)


def index(*locs: str) -> bytes:
    items = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'.encode()


def page_of(body: bytes, url: str = "https://example.org/sitemap.xml", kind: str = "sitemap", depth: int = 0, limit=None) -> Page:
    request = PageRequest(source="s", kind=kind, location=url, url=url, depth=depth, limit=limit, hint_outlet="Example")
    return Page(fetch=Fetch(run_id="r", source="s", kind=kind, url=url, final_url=url, ok=True, content_type="application/xml"), body=body, request=request)


def test_news_sitemap_dates_and_titles_travel_with_the_urls():
    requests, reason = sitemap_requests(page_of(NEWS.format(base="https://example.org").encode()))
    assert reason is None
    assert [(r.kind, r.url, r.hint_date, r.hint_title) for r in requests] == [
        ("sitemap_entry", "https://example.org/a", "2024-03-05T10:15:00+01:00", "Talks resume"),
        ("sitemap_entry", "https://example.org/b", "2024-03-04", None),
        ("sitemap_entry", "https://example.org/c", None, None),
    ]
    assert {r.hint_outlet for r in requests} == {"Example"}


def test_gzipped_sitemaps_are_recognised_by_content():
    body = gzip.compress(NEWS.format(base="https://example.org").encode())
    assert sitemap_root(body) == "urlset"
    assert len(parse_sitemap(body)[1]) == 3
    assert sitemap_root(b"<html><body>urlset</body></html>") is None


def test_index_children_go_one_level_deeper_and_stop_at_the_bound():
    requests, reason = sitemap_requests(page_of(index("https://example.org/1.xml", "https://example.org/2.xml.gz")))
    assert reason is None and [(r.kind, r.depth) for r in requests] == [("sitemap", 1), ("sitemap", 1)]
    deep, reason = sitemap_requests(page_of(index("https://example.org/1.xml"), depth=SITEMAP_DEPTH))
    assert deep == [] and "deeper than" in reason


@pytest.mark.parametrize(
    "body, words",
    [
        (b"<html><body>hello</body></html>", "neither"),
        (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>', "lists no"),
        (b"\x1f\x8bnot really gzip", "broken gzip"),
    ],
)
def test_a_sitemap_that_yields_nothing_says_why(body, words):
    requests, reason = sitemap_requests(page_of(body))
    assert requests == [] and words in reason


def test_an_xml_bomb_is_not_expanded():
    bomb = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    bomb += b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/&d;</loc></url></urlset>'
    _, entries = parse_sitemap(bomb)
    assert all(len(e.loc) < 100 for e in entries)


def test_gzip_bomb_is_refused(monkeypatch):
    import tasks.discovery as discovery

    monkeypatch.setattr(discovery, "MAX_SITEMAP_BYTES", 1000)
    with pytest.raises(SitemapError, match="gzip bomb"):
        parse_sitemap(gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>"))


def test_limit_counts_articles_across_the_run_and_then_stops_discovery():
    frontier = Frontier()
    entry = lambda i: PageRequest(source="s", kind="sitemap_entry", location=f"https://e.org/{i}", limit=3)
    assert len(frontier.admit([entry(i) for i in range(2)])) == 2
    later = frontier.admit([entry(2), entry(3), PageRequest(source="s", kind="sitemap", location="https://e.org/x.xml", limit=3)])
    assert [r.location for r in later] == ["https://e.org/2"]
    assert frontier.over_limit["s"] == 2
    assert len(frontier.admit([PageRequest(source="t", kind="feed_entry", location="https://e.org/9")])) == 1


def expand_all(site, requests):
    """Fetch and expand until nothing new is discovered, as the flow does (rows, article pages)."""
    http = HttpFetcher(HttpSettings(allow_addresses=("127.0.0.1",), retry=RetryPolicy(attempts=1), connect_timeout=2, read_timeout=2, total_timeout=5))
    frontier, rows, articles = Frontier(), [], []
    queue = frontier.admit(requests)
    while queue:
        pages = fetch_batch(queue, "r", http=http)
        queue = []
        for page in pages:
            expanded = expand_page(page)
            if expanded is None:
                articles += [page] if page.fetch.ok else []
                rows.append(page.fetch)
            else:
                rows.append(expanded[1])
                queue += frontier.admit(expanded[0])
    return rows, articles


def test_sitemap_index_with_a_gzipped_child_on_the_real_server(site):
    site.add("/sitemap.xml", body=index(site.url("/news.xml.gz"), site.url("/missing.xml")), content_type="application/xml")
    site.add("/news.xml.gz", body=gzip.compress(NEWS.format(base=site.base).encode()), content_type="application/x-gzip")
    for path in ("/a", "/b", "/c"):
        site.add(path, body=b"<html><body><p>story</p></body></html>")
    rows, articles = expand_all(site, [PageRequest(source="s", kind="sitemap", location=site.url("/sitemap.xml"), limit=2)])
    assert [(r.kind, r.ok, r.status) for r in rows[:3]] == [("sitemap", True, 200), ("sitemap", True, 200), ("sitemap", False, 404)]
    # limit = 2 across the whole source: the third article is never fetched.
    assert [(p.fetch.kind, p.fetch.url, p.request.hint_date) for p in articles] == [
        ("sitemap_entry", site.url("/a"), "2024-03-05T10:15:00+01:00"),
        ("sitemap_entry", site.url("/b"), "2024-03-04"),
    ]
    assert site.routes["/c"].hits == 0


def test_a_site_discovers_its_feeds_and_a_bare_site_is_a_recorded_outcome(site):
    site.add("/", body=f'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>home</body></html>'.encode())
    items = "".join(f"<item><title>T{i}</title><link>{site.base}/s/{i}</link><pubDate>Tue, 05 Mar 2024 10:15:00 GMT</pubDate></item>" for i in range(2))
    site.add("/rss.xml", body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(), content_type="application/rss+xml")
    site.add("/bare/", body=b"<html><body><p>no feeds here</p></body></html>")
    for i in range(2):
        site.add(f"/s/{i}", body=b"<html><body><p>story</p></body></html>")
    requests = [PageRequest(source="home", kind="site", location=site.url("/")), PageRequest(source="bare", kind="site", location=site.url("/bare/"))]
    rows, articles = expand_all(site, requests)
    by_kind = {(r.source, r.kind): r for r in rows if r.kind in ("site", "feed")}
    assert by_kind[("home", "site")].ok and by_kind[("home", "feed")].ok
    bare = by_kind[("bare", "site")]
    assert (bare.ok, bare.error_class) == (False, "no_entries") and "links no RSS/Atom feed" in bare.error
    assert "no_entries" in ERROR_CLASSES
    assert [(p.fetch.kind, p.request.hint_date) for p in articles] == [("feed_entry", "2024-03-05T10:15:00+00:00")] * 2


@pytest.mark.harness
def test_flow_expands_a_news_sitemap_and_records_a_bare_site(prefect_harness, site, tmp_path):
    from flows.ingest import ingest
    from tests.conftest import article_html, story
    from warehouse.store import Warehouse

    site.add("/news.xml", body=NEWS.format(base=site.base).encode(), content_type="application/xml")
    for i, path in enumerate(("/a", "/b", "/c")):
        site.add(path, body=article_html(f"Story number {i}", story(i), published=""))
    site.add("/bare/", body=b"<html><body><p>no feeds here</p></body></html>")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "news"\nsitemap = "{site.base}/news.xml"\nlimit = 2\n\n[[source]]\nname = "bare"\nsite = "{site.base}/bare/"\n')
    http = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=1))
    result = ingest(sources_file=str(sources), data_dir=str(tmp_path / "data"), http=http)
    assert result.run.status.startswith("completed")
    store = Warehouse(tmp_path / "data")
    fetches = store.query("select source, kind, ok, error_class from fetches order by source, kind, url").to_pylist()
    assert [tuple(f.values()) for f in fetches] == [
        ("bare", "site", False, "no_entries"),
        ("news", "sitemap", True, None),
        ("news", "sitemap_entry", True, None),
        ("news", "sitemap_entry", True, None),
    ]
    # The sitemap's dates are the only dates these pages have.
    dates = store.query("select url, published_date from articles order by url").to_pylist()
    assert [str(d["published_date"]) for d in dates] == ["2024-03-05", "2024-03-04"]
