"""RSS/Atom feeds: recognise a fetched feed and turn its entries into page requests."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from urllib.parse import urljoin

import feedparser
from prefect import task
from prefect.cache_policies import NO_CACHE

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
                **hints,
            )
        )
    return requests


@task(cache_policy=NO_CACHE)
def expand_feeds(pages: list[Page]) -> tuple[list[Page], list[PageRequest], list[Fetch]]:
    """Split feeds from article pages: (article pages, the feeds' entries as requests, the feeds' fetch rows)."""
    articles, entries, feeds = [], [], []
    for page in pages:
        if page.fetch.ok and is_feed(page):
            entries.extend(feed_entries(page))
            feeds.append(replace(page.fetch, kind="feed"))
        else:
            articles.append(page)
    return articles, entries, feeds
