"""Shared fixtures: a real HTTP server on 127.0.0.1, Prefect's test harness, sample pages."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Before Prefect is imported anywhere: no telemetry attempts offline, quiet logs, and a
# Prefect home of the test session's own (its SQLite database and settings).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="wiredesk-prefect-"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"


@dataclass
class Route:
    """What the test server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    fail_times: int = 0  # answer `fail_status` this many times first
    fail_status: int = 503
    not_modified_etag: str | None = None  # answer 304 to If-None-Match with this ETag
    hits: int = 0
    seen_headers: dict[str, str] = field(default_factory=dict)  # request headers of the last hit
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each hit
    active: int = 0  # requests being answered now
    most_active: int = 0  # the most answered at once


class Site:
    """A real HTTP server on 127.0.0.1 serving configurable routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(b"<html><body>not found</body></html>")
                    return
                with site.lock:
                    route.hits += 1
                    route.arrivals.append(time.monotonic())
                    route.active += 1
                    route.most_active = max(route.most_active, route.active)
                try:
                    self.answer(route)
                finally:
                    with site.lock:
                        route.active -= 1

            def answer(self, route: Route) -> None:
                route.seen_headers = dict(self.headers.items())
                if route.not_modified_etag and self.headers.get("If-None-Match") == route.not_modified_etag:
                    self.send_response(304)
                    self.send_header("ETag", route.not_modified_etag)
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                status = route.status
                if route.hits <= route.fail_times:
                    status = route.fail_status
                self.send_response(status)
                self.send_header("Content-Type", route.content_type)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, **route) -> str:
        self.routes[path] = Route(**route)
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the session (it costs ~9 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def sample_html(name: str) -> bytes:
    return (GOLDEN / "pages" / name).read_bytes()


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Example Times</title>
<meta property="og:site_name" content="The Example Times">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{canonical}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article>
<h1>{title}</h1>
<p class="byline">By Jane Doe</p>
{paragraphs}
</article>
<footer><p>Copyright The Example Times. Imprint. Privacy.</p></footer>
</body></html>"""


def article_html(title: str, paragraphs: list[str], published: str = "2024-03-05T10:15:00+01:00", canonical: str = "") -> bytes:
    """A realistic small news page."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return ARTICLE_HTML.format(title=title, paragraphs=body, published=published, canonical=canonical).encode("utf-8")


FILLER = [
    "Officials said the talks had made progress on several of the points that had divided the two sides for months, including the schedule.",
    "The agreement still has to be approved by parliament, where the governing coalition holds a narrow majority after the last election.",
    "Critics of the plan argued that it leaves too many questions open and that its costs have not been properly estimated by the ministry.",
    "A spokesperson for the opposition said the party would study the text carefully before deciding how its members would vote next week.",
]


def story(i: int) -> list[str]:
    """FILLER made the story's own: identical paragraphs across five or more pages of one
    outlet are boilerplate leakage to the quality gate, as they would be on a real site."""
    return [f"{p[:-1]}, as story {i} reports." for p in FILLER]
