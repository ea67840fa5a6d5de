"""Discovery from fetched pages: sitemaps and a site's home page become page requests.

A sitemap (urlset) yields its article URLs with their dates; a sitemap index yields child
sitemaps, followed to `SITEMAP_DEPTH` levels and `SITEMAP_CHILDREN` children per index;
gzipped sitemaps are recognised by their bytes, not only by a `.gz` name.  A site's home
page yields its feeds (trafilatura's `determine_feed`: `<link rel=alternate>` first, then
feed-looking links), which are then expanded like any feed.

`Frontier` decides, in the flow process, which discovered requests a run still fetches:
URLs normalised and fetched once per run, earlier runs' outcomes under the refetch policy,
each source's `limit` counted across the whole run (every feed, every child sitemap).
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

import courlan
from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed

from tasks.fetch import HTTP_KINDS, RetryPolicy
from warehouse.history import Outcome, last_outcomes
from warehouse.schema import Page, PageRequest, Skip

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
ARTICLE_KINDS = ("url", "feed_entry", "sitemap_entry")

# --refetch: what a run does with a URL earlier runs already fetched.
#   never   (default) skip it: a news article rarely changes after publication, and a source
#           polled every hour lists mostly articles the warehouse has; re-fetching them all
#           would multiply the load on every host for nothing.
#   changed fetch it again with its ETag / Last-Modified: a 304 costs the host almost nothing.
#   always  fetch it again unconditionally, permanent failures (404, robots ...) included.
REFETCH_POLICIES = ("never", "changed", "always")


def dedup_key(url: str) -> str:
    """The URL as fetched and deduplicated: courlan's normalisation (tracking parameters such as
    utm_* and fbclid dropped, host lower-cased, query sorted) without the fragment, which never
    reaches the server.  Not courlan's strict mode: it drops every query parameter outside a short
    list, which would merge different articles of ?id= style sites."""
    if not url.startswith(("http://", "https://")):
        return url
    try:
        normalised = courlan.normalize_url(url, strict=False)
    except (ValueError, AttributeError):
        normalised = url
    return urldefrag(normalised)[0]


@dataclass
class Frontier:
    """What a run still fetches among the requests discovery yields, decided in the flow process.

    A URL is fetched once per run; one an earlier run stored, or whose last fetch failed for good
    (RetryPolicy.retries_later says no), is skipped under the refetch policy and recorded as a
    `Skip`; a source's `limit` counts its articles across the whole run, and once reached, its
    remaining feeds and sitemaps are not fetched either.
    """

    data_dir: str | None = None  # earlier runs' outcomes come from here (None: no history)
    refetch: str = "never"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    run_id: str = ""
    taken: Counter = field(default_factory=Counter)  # source -> article requests admitted
    over_limit: Counter = field(default_factory=Counter)  # source -> requests dropped by its limit
    seen: set = field(default_factory=set)  # dedup keys admitted this run
    skips: list = field(default_factory=list)  # Skip rows not yet stored (take them with `drain`)

    def __post_init__(self) -> None:
        if self.refetch not in REFETCH_POLICIES:
            raise ValueError(f"refetch must be one of {', '.join(REFETCH_POLICIES)}, not {self.refetch!r}")

    def admit(self, requests: Iterable[PageRequest]) -> list[PageRequest]:
        fresh = []
        for request in requests:
            if request.kind in HTTP_KINDS and request.location.startswith(("http://", "https://")):
                key = dedup_key(request.location)
                if key in self.seen:
                    self._skip(request, key, "repeated", None)
                    continue
                self.seen.add(key)
                request = replace(request, location=key, url=key)
            fresh.append(request)
        history = self._history([r.location for r in fresh if r.kind in ARTICLE_KINDS])
        admitted = []
        for request in fresh:
            limit = request.limit
            if limit is not None and self.taken[request.source] >= limit:
                self.over_limit[request.source] += 1
                continue
            if request.kind in ARTICLE_KINDS:
                known = history.get(request.location)
                if known is not None:
                    request = self._decide(request, known)
                    if request is None:
                        continue
                self.taken[request.source] += 1
            admitted.append(request)
        return admitted

    def drain(self) -> list[Skip]:
        """The Skip rows recorded since the last call."""
        skips, self.skips = self.skips, []
        return skips

    def _history(self, urls: list[str]) -> dict[str, Outcome]:
        if not self.data_dir or not urls or self.refetch == "always":
            return {}
        return last_outcomes(self.data_dir, urls)

    def _decide(self, request: PageRequest, known: Outcome) -> PageRequest | None:
        """The request to send for a URL earlier runs fetched, or None when it is skipped."""
        if known.stored:
            if self.refetch == "never":
                return self._skip(request, request.location, "stored", known)
            return replace(request, etag=known.etag, last_modified=known.last_modified)
        if not known.last_ok and not self.retry.retries_later(known.last_status, known.last_error_class):
            return self._skip(request, request.location, "permanent_failure", known)
        return request

    def _skip(self, request: PageRequest, url: str, reason: str, known: Outcome | None) -> None:
        last = None
        if known is not None:
            last = "ok" if known.last_ok else (f"http {known.last_status}" if known.last_error_class == "http_status" else known.last_error_class)
        self.skips.append(Skip(run_id=self.run_id, source=request.source, kind=request.kind, url=url, reason=reason, last_run_id=known.last_run_id if known else None, last_outcome=last))
        return None
