"""Fetch benchmark: pages from 100 virtual hosts on 127.0.0.1, fetch stage against extraction.

The 100 virtual hosts are 100 ports of 127.0.0.1, one origin each.  Why ports: host names
would need /etc/hosts entries or a DNS server (neither is ours to change here), and other
loopback addresses than 127.0.0.1 are off limits on this machine.  robots.txt is cached per
origin (scheme, host and port, as robots.txt itself is) and HttpFetcher's per-host gate and
pacing per server (host and port), so each port is one host with its own `per_host` limit.
The run allows loopback explicitly (allow_addresses=127.0.0.1).

The server is one asyncio process (HTTP/1.1 keep-alive) serving corpus pages from
../shared/corpus/extraction when present (real sizes: median ~25 KB gzipped to ~90 KB HTML),
generated news pages of a similar size otherwise.  Each size runs in a fresh process whose
whole tree's peak RSS is sampled, so the two sizes' memory can be compared.

For each size it prints pages/s of
  - the fetch stage: the flow's fetch task (batches of 1,000, per-host and global limits,
    robots.txt per host) over all pages;
  - extraction: the flow's extraction task (tasks/analyse.py) on the same fetched pages in 2
    worker processes (the flow's default on this machine), measured in the same run on up to
    --extract-sample pages;
  - the whole run: `ingest` on the URLs (fetch, extract, validate, store), unless --no-flow.
Target: fetch stage at least 10x extraction (extraction stays the bottleneck).

    python bench/fetch.py                 # 1,000 and 10,000 pages
    python bench/fetch.py --repeat 3      # to see the spread
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from proctree import ProcessTree  # noqa: E402

HOSTS = 100
CORPUS_PAGES = HERE.parent.parent / "shared" / "corpus" / "extraction" / "pages"


def page_bodies(limit: int = 400) -> tuple[list[bytes], str]:
    """Corpus pages when present, else generated pages of a realistic size."""
    if CORPUS_PAGES.exists():
        files = sorted(CORPUS_PAGES.glob("*.html.gz"))[:limit]
        return [gzip.decompress(f.read_bytes()) for f in files], f"{len(files)} corpus pages from {CORPUS_PAGES}"
    words = "officials said the talks had made progress on several points dividing the two sides".split()
    bodies = []
    for i in range(limit):
        paragraphs = "".join(f"<p>{' '.join(words[(i + j) % len(words):] + words)} story {i} paragraph {j}.</p>" for j in range(40))
        nav = "".join(f'<li><a href="/section/{k}">Section {k}</a></li>' for k in range(300))
        bodies.append(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story {i}</title></head><body><nav><ul>{nav}</ul></nav><article><h1>Story {i}</h1>{paragraphs}</article></body></html>".encode())
    return bodies, f"{limit} generated pages (no corpus at {CORPUS_PAGES})"


# ---------------------------------------------------------------- server


def serve(ports_out, ready) -> None:
    """Serve /p/<n> (body n mod the page set) and /robots.txt on HOSTS ports; report the ports."""
    bodies, _ = page_bodies()
    robots = b"User-agent: *\nAllow: /\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                status = b"200 OK"
                if path == b"/robots.txt":
                    body, ctype = robots, b"text/plain"
                elif path.startswith(b"/p/"):
                    body, ctype = bodies[int(path[3:]) % len(bodies)], b"text/html; charset=utf-8"
                else:
                    body, ctype, status = b"not found", b"text/plain", b"404 Not Found"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, IndexError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512) for _ in range(HOSTS)]
        for server in servers:
            ports_out.append(server.sockets[0].getsockname()[1])
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


# ---------------------------------------------------------------- one size, in a fresh process


def urls(ports: list[int], n: int) -> list[str]:
    return [f"http://127.0.0.1:{ports[i % len(ports)]}/p/{i}" for i in range(n)]


def http_settings():
    from tasks.fetch import HttpSettings

    return HttpSettings(allow_addresses=("127.0.0.1",), user_agent="wiredesk-bench (+mailto:bench@example.org)")


def _extract(chunk_pages):
    from tasks.analyse import Chunk, analyse_pages

    articles = analyse_pages.fn(Chunk(chunk_pages), "bench")[0]
    return len(articles)


def stage(ports: list[int], n: int, sample: int) -> dict:
    """Fetch stage over n pages, then extraction on a sample of them in 2 processes."""
    from flows.ingest import DEFAULT_BATCH, PAGES_PER_TASK
    from tasks.fetch import fetch_pages
    from warehouse.schema import PageRequest

    requests = [PageRequest(source="bench", kind="url", location=u, url=u) for u in urls(ports, n)]
    keep, ok, size = [], 0, 0
    started = time.perf_counter()
    for i in range(0, n, DEFAULT_BATCH):
        # As the flow does: one fetch task per batch, bodies dropped once the batch is handed on.
        pages = fetch_pages.fn(requests[i : i + DEFAULT_BATCH], "bench", http_settings())
        ok += sum(p.fetch.ok for p in pages)
        size += sum(p.fetch.n_bytes or 0 for p in pages)
        if len(keep) < sample:
            keep += pages[: sample - len(keep)]
    fetch_seconds = time.perf_counter() - started
    chunks = [keep[i : i + PAGES_PER_TASK // 4] for i in range(0, len(keep), PAGES_PER_TASK // 4)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_extract, [chunks[0][:2]])  # start-up and imports are not extraction
        started = time.perf_counter()
        extracted = sum(pool.map(_extract, chunks, chunksize=1))
        extract_seconds = time.perf_counter() - started
    return dict(pages=n, ok=ok, mb=size / 1e6, fetch_rate=n / fetch_seconds, fetch_seconds=fetch_seconds, extract_rate=len(keep) / extract_seconds, extracted=extracted, sample=len(keep))


def whole_run(ports: list[int], n: int) -> dict:
    """The ingest flow on n URLs: pages/s of the whole run."""
    from flows.ingest import ingest
    from flows.runtime import prefect_api, task_runner

    data = tempfile.mkdtemp(prefix="wiredesk-bench-fetch-")
    with prefect_api():
        started = time.perf_counter()
        result = ingest.with_options(task_runner=task_runner(2))(sources=urls(ports, n), data_dir=data, http=http_settings())
        seconds = time.perf_counter() - started
    return dict(pages=n, run_rate=n / seconds, run_seconds=seconds, stored=result.run.articles_stored, failed=result.run.fetch_failures, status=result.run.status)


def measured(argv: list[str]) -> dict:
    """Run `bench/fetch.py --child ...` in a fresh process; its JSON plus its tree's peak RSS."""
    child = subprocess.Popen([sys.executable, __file__, *argv], stdout=subprocess.PIPE, text=True)
    with ProcessTree(root=child.pid) as tree:
        out, _ = child.communicate()
    if child.returncode:
        sys.exit(f"benchmark child failed ({child.returncode}): {argv}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = tree.usage.peak_rss / 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--extract-sample", type=int, default=400, help="pages extracted to measure extraction's rate (default 400)")
    parser.add_argument("--no-flow", action="store_true", help="skip the whole-run measurement (the slow part)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")  # the whole run's task logs would bury the results
    if args.child:
        what, n, ports = args.child[0], int(args.child[1]), [int(p) for p in args.child[2].split(",")]
        print(json.dumps(stage(ports, n, args.extract_sample) if what == "stage" else whole_run(ports, n)))
        return

    manager = multiprocessing.Manager()
    ports, ready = manager.list(), manager.Event()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(ports, ready), daemon=True)
    server.start()
    ready.wait(60)
    port_list = ",".join(map(str, ports))
    print(f"{HOSTS} virtual hosts = {HOSTS} ports of 127.0.0.1; pages: {page_bodies()[1]}")
    print(f"load before: {os.getloadavg()[0]:.2f} (1-minute average, 2 cores shared)")
    try:
        for round_number in range(1, args.repeat + 1):
            for n in args.sizes:
                s = measured(["--extract-sample", str(args.extract_sample), "--child", "stage", str(n), port_list])
                print(
                    f"[{round_number}] {n:>6} pages ({s['mb']:.0f} MB, {s['ok']} ok): fetch stage {s['fetch_rate']:7.1f} pages/s"
                    f" | extraction {s['extract_rate']:5.1f} pages/s (2 processes, {s['sample']} pages)"
                    f" | fetch/extraction {s['fetch_rate'] / s['extract_rate']:5.1f}x (target >= 10x) | peak RSS {s['peak_mb']:.0f} MB"
                )
                if not args.no_flow:
                    r = measured(["--child", "run", str(n), port_list])
                    print(f"[{round_number}] {n:>6} pages whole run: {r['run_rate']:6.1f} pages/s ({r['run_seconds']:.0f} s, {r['stored']} stored, {r['failed']} failed, {r['status']}) | peak RSS {r['peak_mb']:.0f} MB")
    finally:
        server.terminate()
        manager.shutdown()


if __name__ == "__main__":
    main()
