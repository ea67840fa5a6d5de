"""Obtain pages: the only stage that touches the network.

Two fetchers sit behind one interface (`Fetcher.fetch(requests, run_id) -> pages`):
`LocalFetcher` reads files and WARC records, `HttpFetcher` fetches URLs with httpx.
Every request yields exactly one `Page` whose `fetch` record says what happened;
nothing here raises for a bad page.
"""

from __future__ import annotations

import asyncio
import contextvars
import gzip
import random
import threading
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Protocol, Sequence
from urllib.parse import urlsplit

import httpx
from prefect import task
from prefect.cache_policies import NO_CACHE
from warcio.archiveiterator import ArchiveIterator

from tasks import VERSION
from tasks.guard import RefusedAddress, guarded_transport, host_refusal, parse_networks
from tasks.inflate import ACCEPT_ENCODING, BodyTooLarge, BoundedDecoder, UnsupportedEncoding
from tasks.robots import ROBOTS_REQUEST, RobotsCache
from warehouse.schema import Fetch, Page, PageRequest

# Every value fetches.error_class can take.
ERROR_CLASSES = (
    "not_found",  # local file missing
    "unsupported_source",  # a file of a kind wiredesk does not read
    "unreadable_source",  # a file or WARC record that could not be read
    "invalid_url",
    "connect_error",
    "timeout",
    "read_error",  # connection broken mid-body, malformed HTTP
    "decode_error",  # broken gzip/deflate/brotli body
    "redirect_loop",
    "robots_disallowed",  # robots.txt forbids it for our user agent
    "robots_unavailable",  # robots.txt answered 5xx: the host is not fetched this run (retried next run)
    "blocked_address",  # resolves to a private, loopback, link-local ... address the run does not allow
    "http_status",  # 4xx/5xx after retries: see fetches.status
    "too_large",
    "unsupported_content_type",  # PDF, image ... where a page was expected
    "empty_body",
    "no_entries",  # a feed, sitemap or site that yields no article URL (error says why)
    "not_modified",  # 304 to a conditional GET: the stored version is current (not an error)
)
# Error classes that are outcomes, not failures: no body to parse, but nothing went wrong.
NOT_FAILURES = ("not_modified",)

# Request kinds fetched over HTTP (the rest are read locally).
HTTP_KINDS = ("url", "feed", "feed_entry", "sitemap", "sitemap_entry", "site")

# Media types worth parsing as pages or feeds.
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
# Gzipped sitemaps are often served as gzip files (not Content-Encoding): accepted for sitemaps only.
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")

USER_AGENT = f"wiredesk/{VERSION} (news provenance research; set HttpSettings.user_agent to add your contact)"


class Fetcher(Protocol):
    """Anything that turns page requests into pages, one page per request, in order."""

    def fetch(self, requests: Sequence[PageRequest], run_id: str) -> list[Page]: ...


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def failed_page(request: PageRequest, run_id: str, error_class: str, error: str, **fields) -> Page:
    """A page that could not be obtained, with its reason."""
    fetch = Fetch(
        run_id=run_id,
        source=request.source,
        kind=request.kind,
        url=request.url or request.location,
        fetched_at=fields.pop("fetched_at", None) or now_utc(),
        ok=False,
        error_class=error_class,
        error=error[:500],
        **fields,
    )
    return Page(fetch=fetch, body=None, request=request)


# ---------------------------------------------------------------- local files and WARC


def media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type, charset)."""
    if not content_type:
        return None, None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip("\"' ").lower() or None
    return parts[0].lower() or None, charset


def read_file(request: PageRequest, run_id: str) -> Page:
    """Read one local .html/.txt file (optionally gzipped)."""
    started = time.perf_counter()
    path = Path(request.location)
    try:
        body = path.read_bytes()
        if path.suffix.lower() == ".gz":
            body = gzip.decompress(body)
    except FileNotFoundError:
        return failed_page(request, run_id, "not_found", f"{path}: no such file")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return failed_page(request, run_id, "unreadable_source", f"{path}: {exc}")
    fetch = Fetch(
        run_id=run_id,
        source=request.source,
        kind=request.kind,
        url=request.url or path.as_uri(),
        final_url=request.url or path.as_uri(),
        content_type="text/plain" if request.kind == "text_file" else "text/html",
        n_bytes=len(body),
        elapsed_ms=(time.perf_counter() - started) * 1000,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, timezone.utc),
        ok=bool(body.strip()),
        error_class=None if body.strip() else "empty_body",
        error=None if body.strip() else f"{path}: empty file",
    )
    return Page(fetch=fetch, body=body, request=request)


def read_warc_record(stream, request: PageRequest, run_id: str) -> Page:
    """Read the HTTP response record at request.offset of an open WARC file."""
    started = time.perf_counter()
    try:
        stream.seek(request.offset or 0)
        record = next(iter(ArchiveIterator(stream)))
        body = record.content_stream().read()
        http = record.http_headers
        status = int(http.get_statuscode()) if http else None
        ctype, charset = media_type(http.get_header("Content-Type") if http else None)
        warc_date = record.rec_headers.get_header("WARC-Date")
        fetched_at = datetime.fromisoformat(warc_date.replace("Z", "+00:00")) if warc_date else None
    except (StopIteration, OSError, ValueError, EOFError) as exc:
        return failed_page(request, run_id, "unreadable_source", f"WARC record at {request.offset}: {exc}")
    fields = dict(
        final_url=request.url,
        status=status,
        content_type=ctype,
        charset=charset,
        n_bytes=len(body),
        elapsed_ms=(time.perf_counter() - started) * 1000,
        fetched_at=fetched_at,
    )
    verdict = judge_response(status, ctype, body)
    if verdict:
        return failed_page(request, run_id, verdict[0], f"{request.url}: {verdict[1]}", **fields)
    fetch = Fetch(run_id=run_id, source=request.source, kind=request.kind, url=request.url, ok=True, **fields)
    return Page(fetch=fetch, body=body, request=request)


def judge_response(status: int | None, ctype: str | None, body: bytes, gzip_ok: bool = False) -> tuple[str, str] | None:
    """Why a response is no page to parse, or None when it is one (`gzip_ok`: a sitemap may be a .gz file)."""
    if status is not None and status >= 400:
        return "http_status", f"HTTP {status}"
    if ctype and not (gzip_ok and ctype in GZIP_TYPES) and not (ctype in TEXT_TYPES or ctype in FEED_TYPES or ctype.endswith(("+xml", "/json"))):
        return "unsupported_content_type", f"content type {ctype} is not a page"
    if not body.strip():
        return "empty_body", "empty body"
    return None


class LocalFetcher:
    """Reads local files and WARC records: no network, no retries."""

    def fetch(self, requests: Sequence[PageRequest], run_id: str) -> list[Page]:
        pages: list[Page | None] = [None] * len(requests)
        by_warc: dict[str, list[int]] = defaultdict(list)
        for i, request in enumerate(requests):
            if request.kind == "warc_record":
                by_warc[request.location].append(i)
            elif request.kind == "invalid":
                pages[i] = failed_page(request, run_id, request.error_class or "unreadable_source", request.error or "")
            else:
                pages[i] = read_file(request, run_id)
        # One open file per WARC, records read in offset order.
        for location, indexes in by_warc.items():
            try:
                with open(location, "rb") as stream:
                    for i in sorted(indexes, key=lambda i: requests[i].offset or 0):
                        pages[i] = read_warc_record(stream, requests[i], run_id)
            except OSError as exc:
                for i in indexes:
                    pages[i] = failed_page(requests[i], run_id, "unreadable_source", f"{location}: {exc}")
        return [p for p in pages if p is not None]


# ---------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class RetryPolicy:
    """The one retry policy: which failures are retried, how often, how long to wait."""

    attempts: int = 3
    backoff_seconds: float = 0.5  # doubled after each failed attempt, with jitter
    max_wait_seconds: float = 30.0  # cap on backoff and on a server's Retry-After
    statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    error_classes: frozenset[str] = frozenset({"connect_error", "timeout", "read_error"})

    # Failures a later run tries again besides the ones retried within a run: robots.txt that
    # answered 5xx says nothing about the page.  Every other failure (404/410, robots disallow,
    # blocked address, too large, not a page ...) is permanent: later runs skip the URL.
    later_error_classes: frozenset[str] = frozenset({"robots_unavailable"})

    def retries(self, fetch: Fetch) -> bool:
        """Whether a failed fetch is worth another attempt."""
        return fetch.status in self.statuses or fetch.error_class in self.error_classes

    def retries_later(self, status: int | None, error_class: str | None) -> bool:
        """Whether a URL whose last fetch failed this way is fetched again by a later run."""
        return status in self.statuses or error_class in self.error_classes or error_class in self.later_error_classes

    def wait(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before attempt number `attempt + 1`."""
        if retry_after:
            seconds = _retry_after_seconds(retry_after)
            if seconds is not None:
                return min(seconds, self.max_wait_seconds)
        base = self.backoff_seconds * (2 ** (attempt - 1))
        return min(base * (0.5 + random.random()), self.max_wait_seconds)


def _retry_after_seconds(value: str) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - now_utc()).total_seconds())
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class HttpSettings:
    """Limits of the HTTP fetcher."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # per attempt, whole response body included
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 10
    concurrency: int = 32
    per_host: int = 2  # concurrent requests per host
    delay_seconds: float = 0.0  # pause between request starts on one host (robots.txt Crawl-delay wins when longer)
    user_agent: str = USER_AGENT
    # Non-public networks this run may fetch from (e.g. ("127.0.0.1",) in tests); all others are refused.
    allow_addresses: tuple[str, ...] = ()
    obey_robots: bool = True
    max_crawl_delay: float = 30.0  # a longer robots.txt Crawl-delay is capped (and the cap applies)
    retry: RetryPolicy = field(default_factory=RetryPolicy)


def server_of(url: httpx.URL) -> str:
    """The server a URL is on, as politeness counts it: host and port ("example.org", "127.0.0.1:8001")."""
    return url.netloc.decode("ascii").lower()


def server_of_location(location: str) -> str:
    try:
        return server_of(httpx.URL(location))
    except (httpx.InvalidURL, UnicodeError):  # the request fails on its own, with its reason
        return urlsplit(location).netloc.lower()


class _Servers:
    """Per-server politeness of one fetch run: at most `per_host` requests at once, starts `delay` apart."""

    def __init__(self, per_host: int):
        self.slots: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
        self.next_start: dict[str, float] = defaultdict(float)

    async def pace(self, server: str, delay: float) -> None:
        """Wait for the server's next start time, and book the one after it `delay` later."""
        now = time.monotonic()
        start = max(now, self.next_start[server])
        self.next_start[server] = start + delay
        if start > now:
            await asyncio.sleep(start - now)


class _Fetch:
    """One request's place in the politeness limits: the slot of the server it is talking to,
    and, while it talks, one of the run's `concurrency` connections.

    It holds one server's slot at a time.  A redirect to another server hands the slot over
    (the first server has answered by then), so a redirect target (a feed's tracking link,
    a URL shortener) gets its per-host limit and Crawl-delay like any server, and two
    requests redirecting to each other's servers cannot wait on each other's slots.  While
    it waits for its turn there it gives its connection back, so requests to other servers
    go on meanwhile.  (Slots are always taken before a connection, never while holding one.)
    """

    def __init__(self, servers: _Servers, connections: asyncio.Semaphore):
        self.servers, self.connections = servers, connections
        self.server: str | None = None
        self.connected = False
        self.deadline: asyncio.Timeout | None = None  # the current attempt's

    async def enter(self, server: str) -> None:
        await self.servers.slots[server].acquire()
        self.server = server

    async def connect(self) -> None:
        await self.connections.acquire()
        self.connected = True

    def leave(self) -> None:
        if self.connected:
            self.connections.release()
            self.connected = False
        if self.server is not None:
            self.servers.slots[self.server].release()
            self.server = None

    async def move_to(self, server: str, delay: float) -> None:
        # The attempt's time limit is for the servers' answers, not for our own politeness:
        # it stops while this request waits for its turn.
        clock = asyncio.get_running_loop().time
        deadline = self.deadline if self.deadline is not None and self.deadline.when() is not None else None
        if deadline is not None:
            left = deadline.when() - clock()
            deadline.reschedule(None)
        connected = self.connected
        self.leave()
        await self.enter(server)
        await self.servers.pace(server, delay)
        if connected:
            await self.connect()
        if deadline is not None:
            deadline.reschedule(clock() + left)


# The request a coroutine is fetching, for the redirect hook (httpx calls it in the request's task).
_FETCH: contextvars.ContextVar[_Fetch | None] = contextvars.ContextVar("wiredesk_fetch", default=None)


class _Failure(Exception):
    def __init__(self, error_class: str, detail: str, **fields):
        super().__init__(detail)
        self.error_class, self.detail, self.fields = error_class, detail, fields


class HttpFetcher:
    """Fetches URLs concurrently with httpx: per-host and global limits, one retry policy."""

    def __init__(self, settings: HttpSettings | None = None):
        self.settings = settings or HttpSettings()

    def fetch(self, requests: Sequence[PageRequest], run_id: str) -> list[Page]:
        if not requests:
            return []
        return run_coroutine(self._fetch_all(requests, run_id))

    async def _fetch_all(self, requests: Sequence[PageRequest], run_id: str) -> list[Page]:
        s = self.settings
        timeout = httpx.Timeout(connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=None)
        limits = httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=s.concurrency)
        gate = asyncio.Semaphore(s.concurrency)
        servers = _Servers(s.per_host)
        allowed = parse_networks(s.allow_addresses)
        verdicts: dict[tuple[str, int], str | None] = {}

        robots = RobotsCache()

        async def guard(outgoing: httpx.Request) -> None:
            # Called by httpx before every request, redirect hops included.
            key = (outgoing.url.host, outgoing.url.port or (443 if outgoing.url.scheme == "https" else 80))
            if key not in verdicts:
                verdicts[key] = await host_refusal(key[0], key[1], allowed)
            if verdicts[key]:
                raise _Failure("blocked_address", f"{outgoing.url}: {verdicts[key]} (allow it with --allow-address)")
            if ROBOTS_REQUEST in outgoing.extensions:
                return
            delay = s.delay_seconds
            if s.obey_robots:
                # A redirect may lead to another server whose robots.txt forbids the target; the
                # first hop's policy is already cached by then (one() asked before fetching).
                policy = await robots.policy(client, str(outgoing.url))
                refusal = policy.refusal(str(outgoing.url), s.user_agent)
                if refusal:
                    raise _Failure(refusal[0], f"redirected to {refusal[1]}")
                delay = max(delay, min(policy.crawl_delay(s.user_agent), s.max_crawl_delay))
            fetch, server = _FETCH.get(), server_of(outgoing.url)
            if fetch is not None and fetch.server != server:
                # A redirect to another server (or a retry back to the first): this fetch now
                # talks to that server, under its per-host limit and pacing.
                await fetch.move_to(server, delay)

        async with httpx.AsyncClient(
            event_hooks={"request": [guard]},
            transport=guarded_transport(allowed, limits=limits, trust_env=False),
            timeout=timeout,
            follow_redirects=True,
            max_redirects=s.max_redirects,
            headers={"User-Agent": s.user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5", "Accept-Encoding": ACCEPT_ENCODING},
            trust_env=False,
        ) as client:

            async def one(request: PageRequest) -> Page:
                # One server is host and port: politeness limits, pacing and robots.txt (per
                # origin) all count per server, so two sites behind one IP are not one host.
                fetch = _Fetch(servers, gate)
                _FETCH.set(fetch)  # this request's task only (gather runs each in its own context)
                try:
                    await fetch.enter(server_of_location(request.location))
                    delay = s.delay_seconds
                    if s.obey_robots and fetch.server:
                        policy = await robots.policy(client, request.location)
                        refusal = policy.refusal(request.location, s.user_agent)
                        if refusal:
                            return failed_page(request, run_id, refusal[0], refusal[1])
                        delay = max(delay, min(policy.crawl_delay(s.user_agent), s.max_crawl_delay))
                    await servers.pace(fetch.server, delay)
                    await fetch.connect()
                    return await self.fetch_url(client, request, run_id)
                finally:
                    fetch.leave()

            return list(await asyncio.gather(*(one(r) for r in requests)))

    async def fetch_url(self, client: httpx.AsyncClient, request: PageRequest, run_id: str) -> Page:
        """Fetch one URL under the retry policy; always returns a page."""
        policy = self.settings.retry
        started = time.perf_counter()
        fetch = _FETCH.get()
        for attempt in range(1, policy.attempts + 1):
            retry_after = None
            try:
                async with asyncio.timeout(self.settings.total_timeout) as deadline:
                    if fetch is not None:
                        fetch.deadline = deadline  # waiting for a redirect target's turn does not count
                    page, retry_after = await self._attempt(client, request, run_id)
            except _Failure as failure:
                page = failed_page(request, run_id, failure.error_class, failure.detail, **failure.fields)
            except TimeoutError:
                detail = f"{request.location}: no complete response within {self.settings.total_timeout:g} s"
                page = failed_page(request, run_id, "timeout", detail)
            if attempt == policy.attempts or not policy.retries(page.fetch):
                break
            await asyncio.sleep(policy.wait(attempt, retry_after))
        return _stamp(page, started, attempt)

    async def _attempt(self, client: httpx.AsyncClient, request: PageRequest, run_id: str) -> tuple[Page, str | None]:
        """One GET: the page and the server's Retry-After header, if any."""
        url = request.location
        fetched_at = now_utc()
        try:
            async with client.stream("GET", url, headers=conditional_headers(request)) as response:
                ctype, charset = media_type(response.headers.get("content-type"))
                fields = dict(
                    final_url=str(response.url),
                    status=response.status_code,
                    content_type=ctype,
                    charset=charset,
                    fetched_at=fetched_at,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
                if response.status_code == 304:
                    return failed_page(request, run_id, "not_modified", f"{url}: 304 Not Modified since the stored fetch", **fields), None
                retry_after = response.headers.get("retry-after")
                headers = tuple(response.headers.multi_items())  # kept for the raw archive (tasks/archive.py)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
                    raise _Failure("too_large", f"{url}: Content-Length {declared} exceeds {self.settings.max_bytes} bytes", **fields)
                gzip_ok = request.kind == "sitemap" or urlsplit(url).path.endswith(".xml.gz")
                verdict = judge_response(response.status_code, ctype, b"x", gzip_ok)
                if verdict:
                    return replace(failed_page(request, run_id, verdict[0], f"{url}: {verdict[1]}", **fields), headers=headers), retry_after
                # Raw bytes decoded under the cap (tasks/inflate.py): a gzip bomb stops at the cap.
                try:
                    decoder = BoundedDecoder(response.headers.get("content-encoding"), self.settings.max_bytes)
                    chunks = [decoder.decode(raw) async for raw in response.aiter_raw()]
                    chunks.append(decoder.flush())
                except BodyTooLarge as exc:
                    raise _Failure("too_large", f"{url}: {exc}", **fields) from None
                except (UnsupportedEncoding, zlib.error) as exc:
                    raise _Failure("decode_error", f"{url}: {exc}", **fields) from None
                body = b"".join(chunks)
        except _Failure:
            raise
        except RefusedAddress as exc:  # the name resolved elsewhere at connect time than when it was checked
            raise _Failure("blocked_address", f"{url}: {exc} (allow it with --allow-address)") from None
        except httpx.TooManyRedirects as exc:
            raise _Failure("redirect_loop", f"{url}: {exc}") from None
        except (httpx.ConnectTimeout, httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout) as exc:
            raise _Failure("timeout", f"{url}: {type(exc).__name__}") from None
        except httpx.ConnectError as exc:
            raise _Failure("connect_error", f"{url}: {exc}") from None
        except httpx.DecodingError as exc:
            raise _Failure("decode_error", f"{url}: {exc}") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise _Failure("invalid_url", f"{url}: {exc}") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Failure("read_error", f"{url}: {type(exc).__name__}: {exc}") from None
        fields["n_bytes"] = len(body)
        if not body.strip():
            return replace(failed_page(request, run_id, "empty_body", f"{url}: empty body", **fields), body=body, headers=headers), None
        fetch = Fetch(run_id=run_id, source=request.source, kind=request.kind, url=request.url or url, ok=True, **fields)
        return Page(fetch=fetch, body=body, request=request, headers=headers), None


def conditional_headers(request: PageRequest) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the URL's last successful fetch (--refetch changed)."""
    headers = {}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


def _stamp(page: Page, started: float, attempts: int) -> Page:
    fetch = replace(page.fetch, elapsed_ms=(time.perf_counter() - started) * 1000, attempts=attempts)
    return replace(page, fetch=fetch)


def run_coroutine(coroutine):
    """Run a coroutine to completion from sync code, even if an event loop is already running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: dict = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


# ---------------------------------------------------------------- routing


def fetch_batch(requests: Sequence[PageRequest], run_id: str, http: Fetcher | None = None, local: Fetcher | None = None) -> list[Page]:
    """Fetch a mixed batch: URLs over HTTP, the rest locally; results in request order."""
    http = http or HttpFetcher()
    local = local or LocalFetcher()
    is_http = [r.kind in HTTP_KINDS for r in requests]
    remote = iter(http.fetch([r for r, h in zip(requests, is_http) if h], run_id))
    offline = iter(local.fetch([r for r, h in zip(requests, is_http) if not h], run_id))
    return [next(remote) if h else next(offline) for h in is_http]


# ---------------------------------------------------------------- Prefect task


@task(retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def fetch_pages(requests: list[PageRequest], run_id: str, settings: HttpSettings | None = None) -> list[Page]:
    """Fetch a batch of requests: URLs concurrently over HTTP, files and WARC records locally.

    The only task that retries: per-URL failures are already retried by the retry policy
    and recorded in the pages, so a task retry only covers a crash of the batch itself.
    """
    return fetch_batch(requests, run_id, http=HttpFetcher(settings))
