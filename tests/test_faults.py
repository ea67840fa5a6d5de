"""The fault suite: one ingest run against a hostile real server on 127.0.0.1, good articles mixed in.

The run completes; every URL gets exactly one recorded outcome with its error class in
`fetches`; every good article is stored; memory stays bounded (a 50 MB page and a gzip
bomb inflating to 512 MB pass through a process whose peak RSS grows far less); the retried
failures are exactly those RetryPolicy calls retryable.
"""

from __future__ import annotations

import resource
import socket
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows.ingest import ingest
from tasks.feeds import feed_entries
from tasks.fetch import HttpFetcher, HttpSettings, RetryPolicy
from tasks.inflate import BodyTooLarge, BoundedDecoder
from tests.conftest import article_html, story
from tests.test_charsets import FRENCH, JAPANESE, RUSSIAN
from warehouse.schema import Fetch, Page, PageRequest
from warehouse.store import Warehouse

MB = 1024 * 1024
CAP = 5 * MB
FAULTY = HttpSettings(
    allow_addresses=("127.0.0.1",), connect_timeout=1, read_timeout=1, total_timeout=3, max_bytes=CAP,
    per_host=16, concurrency=32, retry=RetryPolicy(attempts=2, backoff_seconds=0.05, max_wait_seconds=2),
)  # fmt: skip
GOOD = 24  # good articles outnumber the faults: the host as a whole still succeeds (the gate's hosts check)


def gzip_bomb(inflated: int) -> bytes:
    """gzip of `inflated` zero bytes (~1 KB per MB), built without holding the inflated bytes."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    return b"".join(z.compress(block) for _ in range(inflated // MB)) + z.flush()


LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
XML_BOMB = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>{{base}}/from-bomb-feed</link><description>&lol9;</description></item>
</channel></rss>"""
XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&xxe;</title><link>{base}/from-xxe-feed</link><description>&xxe;</description></item>
</channel></rss>"""


def page_in(text: str, title: str, charset_meta: str = "") -> str:
    return f'<html><head>{charset_meta}<title>{title}</title><meta name="date" content="2024-03-05"></head><body><article><h1>{title}</h1><p>{text}</p><p>{text}</p></article></body></html>'


class HostileServer:
    """A real HTTP server on 127.0.0.1 whose paths misbehave in every way the fault suite needs."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.bomb = gzip_bomb(512 * MB)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k.replace("_", "-"), v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                server.hits[path] = server.hits.get(path, 0) + 1
                try:
                    server.answer(self, path)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, h, path: str) -> None:  # noqa: C901 (one branch per fault, on purpose)
        base = self.base
        if path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/good/"):
            i = int(path.rsplit("/", 1)[1])
            return h.send(200, article_html(f"Good story {i}", story(i)))
        if path in ("/from-bomb-feed", "/from-xxe-feed"):
            return h.send(200, article_html(f"Entry {path}", story(100 + len(path))))
        if path in ("/s500", "/s502", "/s503", "/s404", "/s410"):
            return h.send(int(path[2:]), b"<html><body>error</body></html>")
        if path == "/429":
            if self.hits[path] == 1:
                return h.send(429, b"slow down", "text/plain", Retry_After="1")
            return h.send(200, article_html("Rate limited story", story(200)))
        if path == "/read-timeout":
            time.sleep(2.5)
            return h.send(200, article_html("Too late", story(201)))
        if path == "/drip":  # bytes keep coming, the whole body never does
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(40):
                h.wfile.write(b"<p>drip</p>")
                h.wfile.flush()
                time.sleep(0.2)
            return None
        if path == "/truncated":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "50000")
            h.end_headers()
            h.wfile.write(article_html("Cut short", story(202))[:800])
            h.close_connection = True
            return None
        if path == "/huge":  # 50 MB, no Content-Length: only the streaming cap can stop it
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Connection", "close")
            h.end_headers()
            block = b"<p>" + b"x" * (MB - 7) + b"</p>\n"
            for _ in range(50):
                h.wfile.write(block)
            h.close_connection = True
            return None
        if path == "/bomb":
            return h.send(200, self.bomb, Content_Encoding="gzip")
        if path == "/doc.pdf":
            return h.send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n", "application/pdf")
        if path == "/photo.png":
            return h.send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        if path == "/cp1251":  # the header lies
            return h.send(200, page_in(RUSSIAN, "Переговоры в Женеве").encode("cp1251"), "text/html; charset=iso-8859-1")
        if path == "/shift_jis":  # no declaration at all
            return h.send(200, page_in(JAPANESE, "ジュネーブで交渉").encode("shift_jis"), "text/html")
        if path == "/latin-1":  # declared UTF-8, is Latin-1
            return h.send(200, page_in(FRENCH, "Négociations à Genève").encode("latin-1"), "text/html; charset=utf-8")
        if path == "/malformed":
            body = article_html("Broken markup story", story(203)).replace(b"</p>", b"").replace(b"</article>", b"<div><span><table><td>")
            return h.send(200, body[: len(body) - 40])
        if path == "/loop":
            return h.send(302, b"", Location=f"{base}/loop")
        if path == "/empty":
            return h.send(200, b"")
        if path == "/private/secret":
            return h.send(200, article_html("Should not be fetched", story(204)))
        if path == "/bomb-feed.xml":
            return h.send(200, XML_BOMB.format(base=base).encode(), "application/rss+xml")
        if path == "/xxe-feed.xml":
            return h.send(200, XXE_FEED.format(base=base).encode(), "application/rss+xml")
        return h.send(404, b"not found")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def dead_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer()
    yield server
    server.close()


# URL path -> the outcome it must get: error_class (None: a stored article), HTTP status.
FAULTS = {
    "/s500": ("http_status", 500),
    "/s502": ("http_status", 502),
    "/s503": ("http_status", 503),
    "/s404": ("http_status", 404),
    "/s410": ("http_status", 410),
    "/429": (None, 200),
    "/read-timeout": ("timeout", None),
    "/drip": ("timeout", None),
    "/truncated": ("read_error", None),
    "/huge": ("too_large", 200),
    "/bomb": ("too_large", 200),
    "/doc.pdf": ("unsupported_content_type", 200),
    "/photo.png": ("unsupported_content_type", 200),
    "/cp1251": (None, 200),
    "/shift_jis": (None, 200),
    "/latin-1": (None, 200),
    "/malformed": (None, 200),
    "/loop": ("redirect_loop", None),
    "/empty": ("empty_body", 200),
    "/private/secret": ("robots_disallowed", None),
}


@pytest.mark.usefixtures("prefect_harness")
def test_one_run_through_every_fault(hostile, tmp_path):
    base = hostile.base
    dead = f"http://127.0.0.1:{dead_port()}/story"
    urls = [f"{base}/good/{i}" for i in range(GOOD)] + [base + p for p in FAULTS] + [dead, f"{base}/bomb-feed.xml", f"{base}/xxe-feed.xml"]
    # A one-page run first: what every run loads once (Great Expectations, the language model,
    # the registries: ~290 MB, measured) is not what the faults cost, and a test run alone would count it.
    warm = tmp_path / "warm.html"
    warm.write_bytes(article_html("Warm-up", story(0)))
    ingest(sources=[str(warm)], data_dir=str(tmp_path / "warm"), http=FAULTY)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.monotonic()
    result = ingest(sources=urls, data_dir=str(tmp_path / "data"), http=FAULTY)
    seconds = time.monotonic() - started
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before

    store = Warehouse(tmp_path / "data")
    fetches = store.query("select * from fetches").to_pylist()
    by_url = {}
    for f in fetches:
        assert f["url"] not in by_url, f"two outcomes for {f['url']}"
        by_url[f["url"]] = f
    feed_entries_seen = {f"{base}/from-bomb-feed", f"{base}/from-xxe-feed"} & set(by_url)
    assert set(by_url) == set(urls) | feed_entries_seen  # exactly one outcome each, nothing else

    for path, (error_class, status) in FAULTS.items():
        f = by_url[base + path]
        assert (f["error_class"], f["status"]) == (error_class, status), path
        assert f["ok"] == (error_class is None) and (f["ok"] or f["error"])
    assert (by_url[dead]["error_class"], by_url[dead]["ok"]) == ("connect_error", False)
    assert by_url[f"{base}/429"]["attempts"] == 2 and hostile.hits["/429"] == 2  # Retry-After honoured, then stored
    # robots.txt is read once per fetch batch (the feeds' entries are a second batch), never per URL.
    assert hostile.hits.get("/private/secret") is None and hostile.hits["/robots.txt"] <= 2

    # Retried are exactly the failures RetryPolicy calls retryable, no others.
    for f in fetches:
        if not f["ok"] and f["kind"] != "feed":
            retryable = FAULTY.retry.retries(Fetch(run_id="", source="", kind="url", url="", status=f["status"], error_class=f["error_class"]))
            assert f["attempts"] == (FAULTY.retry.attempts if retryable else 1), f["url"]

    stored = {r["url"]: r for r in store.query("select url, title, text from articles").to_pylist()}
    good = {f"{base}/good/{i}" for i in range(GOOD)} | {base + p for p, (e, _) in FAULTS.items() if e is None}
    assert good <= set(stored)
    assert "переговоры продолжатся" in stored[f"{base}/cp1251"]["text"]
    assert "交渉を続ける" in stored[f"{base}/shift_jis"]["text"]
    assert "négociations reprendront" in stored[f"{base}/latin-1"]["text"]
    assert not any("root:" in (r["text"] or "") + (r["title"] or "") for r in stored.values())  # no external entity read
    assert not any("lollol" in (r["text"] or "") + (r["title"] or "") for r in stored.values())  # no entity expanded

    assert result.run.status == "completed", result.run.message
    assert result.run.pages_seen == len(by_url)
    assert growth < 120 * MB, f"peak RSS grew {growth / MB:.0f} MB (a 512 MB gzip bomb and a 50 MB page went through)"
    print(f"fault run: {seconds:.1f} s, peak RSS growth {growth / MB:.0f} MB")


def test_gzip_bomb_never_inflates_past_the_cap():
    decoder = BoundedDecoder("gzip", CAP)
    bomb = gzip_bomb(64 * MB)
    out = 0
    with pytest.raises(BodyTooLarge):
        for i in range(0, len(bomb), 64 * 1024):
            out += len(decoder.decode(bomb[i : i + 64 * 1024]))
    assert out <= CAP and decoder.size <= CAP + 1  # one byte past the cap is how it knows


def test_bounded_decoder_reads_gzip_deflate_and_identity():
    text = article_html("Talks", story(1))
    for encoding, data in [("gzip", zlib.compress(text, wbits=16 + zlib.MAX_WBITS)), ("deflate", zlib.compress(text)), ("deflate", zlib.compress(text, wbits=-zlib.MAX_WBITS)), (None, text)]:
        decoder = BoundedDecoder(encoding, CAP)
        assert b"".join(decoder.decode(data[i : i + 100]) for i in range(0, len(data), 100)) + decoder.flush() == text, encoding


def feed_page(body: str) -> Page:
    url = "http://127.0.0.1:9/feed.xml"
    return Page(fetch=Fetch(run_id="r", source=url, kind="url", url=url, final_url=url, ok=True), body=body.encode(), request=PageRequest(source=url, kind="url", location=url, url=url))


def test_feedparser_expands_no_entity_bomb_and_reads_no_external_file():
    started = time.monotonic()
    bomb = feed_entries(feed_page(XML_BOMB.format(base="http://127.0.0.1:9")))
    assert time.monotonic() - started < 5
    assert all(len(r.hint_title or "") < 1000 for r in bomb)
    xxe = feed_entries(feed_page(XXE_FEED.format(base="http://127.0.0.1:9")))
    assert all("root:" not in (r.hint_title or "") for r in xxe)


def test_connect_timeout_is_a_timeout_and_retried():
    # A listening socket with a full accept queue: the kernel drops further SYNs, so connect() hangs.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(4):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/x"
        settings = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=0.5, read_timeout=0.5, total_timeout=3, obey_robots=False, retry=RetryPolicy(attempts=2, backoff_seconds=0.05))
        [page] = HttpFetcher(settings).fetch([PageRequest(source=url, kind="url", location=url, url=url)], "r")
        for s in fillers:
            s.close()
    assert (page.fetch.error_class, page.fetch.attempts) == ("timeout", 2), page.fetch.error
