"""Discovery from fetched pages: sitemaps and a site's home page become page requests.

A sitemap (urlset) yields its article URLs with their dates; a sitemap index yields child
sitemaps, followed to `SITEMAP_DEPTH` levels and `SITEMAP_CHILDREN` children per index;
gzipped sitemaps are recognised by their bytes, not only by a `.gz` name.  A site's home
page yields its feeds (trafilatura's `determine_feed`: `<link rel=alternate>` first, then
feed-looking links), which are then expanded like any feed.

`Frontier` decides, in the flow process, which discovered requests a run still fetches:
each source's `limit` counts across the whole run (every feed, every child sitemap).
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed

from warehouse.schema import Page, PageRequest

SITEMAP_DEPTH = 3  # index -> index -> urlset: deeper nesting is a loop or a trap in practice
SITEMAP_CHILDREN = 200  # child sitemaps followed per index
SITE_FEEDS = 10  # feeds followed per home page
# The sitemaps protocol caps a sitemap at 50 MB uncompressed: more is a gzip bomb, not a sitemap.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
# Entities are never expanded (an XML bomb stays a few bytes) and nothing is fetched from the network.
_PARSER = dict(resolve_entities=False, no_network=True, huge_tree=False, recover=True, remove_comments=True)


class SitemapError(ValueError):
    """A body that is no usable sitemap; the message says why."""


def sitemap_bytes(body: bytes) -> bytes:
    """The XML of a sitemap body, gunzipped when it is gzip (by content), bounded in size."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        xml = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise SitemapError(f"broken gzip: {exc}") from None
    if len(xml) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"gzipped sitemap inflates beyond {MAX_SITEMAP_BYTES} bytes (a gzip bomb?)")
    return xml


def sitemap_root(body: bytes) -> str | None:
    """'urlset' or 'sitemapindex' when the body is a (possibly gzipped) sitemap, else None."""
    head = body[:4096]
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error:
            return None
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    for root in (b"<urlset", b"<sitemapindex"):
        if root in head:
            return root[1:].decode()
    return None


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    date: str | None = None  # news:publication_date, else lastmod
    title: str | None = None  # news:title


def parse_sitemap(body: bytes) -> tuple[str, list[SitemapEntry]]:
    """('urlset' | 'sitemapindex', entries) of a sitemap body; raises SitemapError."""
    xml = sitemap_bytes(body)
    try:
        root = etree.fromstring(xml, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from None
    if root is None:
        raise SitemapError("not XML")
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    child = "url" if kind == "urlset" else "sitemap"
    entries = []
    for element in root:
        if not isinstance(element.tag, str) or etree.QName(element).localname != child:
            continue
        values: dict[str, str] = {}
        for node in element.iter():
            if isinstance(node.tag, str) and node.text and node.text.strip():
                values.setdefault(etree.QName(node).localname, node.text.strip())
        if values.get("loc"):
            entries.append(SitemapEntry(values["loc"], values.get("publication_date") or values.get("lastmod"), values.get("title")))
    return kind, entries


def sitemap_requests(page: Page) -> tuple[list[PageRequest], str | None]:
    """A fetched sitemap's requests (articles, or child sitemaps one level deeper) and, when it
    yields none, why."""
    request = page.request
    base = page.fetch.final_url or page.fetch.url
    try:
        kind, entries = parse_sitemap(page.body or b"")
    except SitemapError as exc:
        return [], f"{base}: not a sitemap: {exc}"
    depth = (request.depth if request else 0) + 1
    if kind == "sitemapindex" and depth > SITEMAP_DEPTH:
        return [], f"{base}: sitemap index nested deeper than {SITEMAP_DEPTH} levels: not followed"
    hints = _hints(request)
    seen: set[str] = set()
    requests = []
    for entry in entries:
        url = urljoin(base, entry.loc)
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        if kind == "sitemapindex":
            if len(requests) >= SITEMAP_CHILDREN:
                break
            requests.append(PageRequest(source=page.fetch.source, kind="sitemap", location=url, url=url, depth=depth, **hints))
        else:
            requests.append(PageRequest(source=page.fetch.source, kind="sitemap_entry", location=url, url=url, hint_date=entry.date, hint_title=entry.title, **hints))
    if not requests:
        return [], f"{base}: {kind} lists no http(s) URL"
    return requests, None


def site_feed_requests(page: Page) -> tuple[list[PageRequest], str | None]:
    """The feeds a site's home page announces, as requests, and, when there are none, why."""
    base = page.fetch.final_url or page.fetch.url
    host = urlsplit(base).hostname or ""
    try:
        html = (page.body or b"").decode(page.fetch.charset or "utf-8", errors="replace")
    except LookupError:
        html = (page.body or b"").decode("utf-8", errors="replace")
    feeds = determine_feed(html, FeedParameters(base, host, base))
    requests = [
        PageRequest(source=page.fetch.source, kind="feed", location=url, url=url, **_hints(page.request))
        for url in feeds[:SITE_FEEDS]
    ]
    if not requests:
        return [], f"{base}: the home page links no RSS/Atom feed"
    return requests, None


def _hints(request: PageRequest | None) -> dict:
    if request is None:
        return {}
    return dict(hint_outlet=request.hint_outlet, hint_language=request.hint_language, limit=request.limit)


# Request kinds that name articles (counted against a source's limit); the rest discover.
ARTICLE_KINDS = ("feed_entry", "sitemap_entry")


@dataclass
class Frontier:
    """What a run still fetches among discovered requests: a source's `limit` counts articles
    across the whole run, and once it is reached, its remaining feeds and sitemaps are not fetched."""

    taken: Counter = field(default_factory=Counter)  # source -> article requests admitted
    over_limit: Counter = field(default_factory=Counter)  # source -> requests dropped by its limit

    def admit(self, requests: Iterable[PageRequest]) -> list[PageRequest]:
        admitted = []
        for request in requests:
            limit = request.limit
            if limit is not None and self.taken[request.source] >= limit:
                self.over_limit[request.source] += 1
                continue
            if request.kind in ARTICLE_KINDS:
                self.taken[request.source] += 1
            admitted.append(request)
        return admitted
