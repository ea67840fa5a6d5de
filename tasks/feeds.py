"""RSS/Atom feeds: recognise a fetched feed and turn its entries into page requests.

`expand_feeds` also expands what else discovers articles: sitemaps and sites (tasks/discovery.py).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from urllib.parse import urljoin

import feedparser
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.discovery import site_feed_requests, sitemap_requests, sitemap_root
from tasks.fetch import FEED_TYPES
from warehouse.schema import Fetch, Page, PageRequest

_FEED_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?xml-stylesheet[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)


def is_feed(page: Page) -> bool:
    """Whether a fetched page is an RSS/Atom feed (by media type or by its root element)."""
    if page.body is None:
        return False
    if page.fetch.content_type in FEED_TYPES:
        return True
    return bool(_FEED_ROOT.match(page.body[:2048].lstrip(b"\xef\xbb\xbf")))


def feed_entries(page: Page) -> list[PageRequest]:
    """One request per feed entry link, carrying the entry's date and title as hints."""
    parsed = feedparser.parse(page.body, response_headers={"content-location": page.fetch.final_url or page.fetch.url})
    base = page.fetch.final_url or page.fetch.url
    requests, seen = [], set()
    limit = page.request.limit if page.request else None
    hints = dict(hint_outlet=page.request.hint_outlet, hint_language=page.request.hint_language) if page.request else {}
    for entry in parsed.entries:
        if limit is not None and len(requests) >= limit:
            break
        link = entry.get("link")
        if not link:
            continue
        link = urljoin(base, link)
        if not link.startswith(("http://", "https://")) or link in seen:
            continue
        seen.add(link)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        requests.append(
            PageRequest(
                source=page.fetch.source,
                kind="feed_entry",
                location=link,
                url=link,
                hint_date=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp) if stamp else None,
                hint_title=entry.get("title"),
                limit=limit,
                **hints,
            )
        )
    return requests


def expand_page(page: Page) -> tuple[list[PageRequest], Fetch] | None:
    """The requests a fetched feed, sitemap or site discovers and its fetch row, or None for an
    article page.  One that discovers nothing gets `no_entries` with the reason: never silence."""
    if not page.fetch.ok or page.body is None:
        return None
    kind = page.request.kind if page.request else page.fetch.kind
    if is_feed(page):
        found, reason, row_kind = feed_entries(page), None, "feed"
        if not found and kind != "url":
            reason = f"{page.fetch.final_url or page.fetch.url}: the feed lists no entry with a link"
    elif kind == "sitemap" or sitemap_root(page.body):
        (found, reason), row_kind = sitemap_requests(page), "sitemap"
    elif kind == "site":
        (found, reason), row_kind = site_feed_requests(page), "site"
    elif kind == "feed":
        found, reason, row_kind = [], f"{page.fetch.final_url or page.fetch.url}: not an RSS/Atom feed ({page.fetch.content_type})", "feed"
    else:
        return None
    row = replace(page.fetch, kind=row_kind)
    if reason:
        row = replace(row, ok=False, error_class="no_entries", error=reason[:500])
    return found, row


@task(cache_policy=NO_CACHE)
def expand_feeds(pages: list[Page]) -> tuple[list[Page], list[PageRequest], list[Fetch]]:
    """Split feeds, sitemaps and sites from article pages: (article pages, the requests they
    discover, their fetch rows)."""
    articles, entries, feeds = [], [], []
    for page in pages:
        expanded = expand_page(page)
        if expanded is None:
            articles.append(page)
        else:
            entries.extend(expanded[0])
            feeds.append(expanded[1])
    return articles, entries, feeds
