"""Provenance queries on a 1,000,000-article warehouse written through the real store.

    python bench/query.py [--articles 1000000] [--repeat 3] [--keep DIR]

Generates articles with the registry's outlets (Zipf-like shares: a few large outlets, a long
tail), publication dates over ten years (growing towards today, weekday-heavy), wire credits
(about a third of stories, AP/Reuters/AFP most often, some with two agencies), republication
notices (about 3%), text lengths drawn from a log-normal around 450 words, and 4% of articles
stored twice (a changed page is a new version: the `articles` view must pick the latest).
Rows go through `Warehouse.write` in batches of 10,000 (Parquet parts like an ingest run's)
and the credits into `article_credits`; then each query from the README is timed, warm,
best and worst of `--repeat`.  Baseline in the same run: `count(*)` over `article_versions`
(a scan of the raw Parquet files).  Target (issue 6): each provenance query under 1 s.

Needs no corpus.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from tasks import registry  # noqa: E402
from warehouse.schema import Article, Credit, arrow_schema  # noqa: E402
from warehouse.store import Warehouse  # noqa: E402

QUERIES = {
    "wire share per outlet per month": """
        select outlet, date_trunc('month', published_date) as month,
               avg((len(wire_services) > 0)::int) as wire_share, count(*) as articles
        from articles group by all order by articles desc limit 20""",
    "stories credited to Reuters in a quarter": """
        select published_date, outlet, title from articles
        where list_contains(wire_services, 'Reuters') and published_date between date '2024-01-01' and date '2024-03-31'
        order by published_date, outlet limit 100""",
    "  ... the same from article_credits": """
        select a.published_date, a.outlet, a.title from articles a
        semi join article_credits c on c.article_id = a.article_id and c.content_hash = a.content_hash and c.agency = 'Reuters'
        where a.published_date between date '2024-01-01' and date '2024-03-31'
        order by 1, 2 limit 100""",
    "republished stories by original outlet": """
        select original_outlet, count(*) as stories, min(original_published_date) as first, max(published_date) as last
        from articles where original_outlet is not null group by 1 order by 2 desc limit 20""",
    "wire share per agency per year": """
        select year(published_date) as year, agency, count(*) as stories
        from (select published_date, unnest(wire_services) as agency from articles) group by all order by 1, 3 desc""",
}

WORDS = (
    "the government said on tuesday that talks would resume next week after officials from both sides met in the capital "
    "to discuss a ceasefire agreement prices rose sharply in the third quarter according to figures published by the "
    "statistics office while analysts expected the central bank to hold interest rates steady police said two people "
    "were injured when protesters clashed with security forces near parliament the company reported higher profits"
).split()


def generate(store: Warehouse, n: int, seed: int = 7, batch: int = 10_000) -> tuple[int, int]:
    """Write n articles (plus repeated versions) and their credits; returns (versions, credits) written."""
    rng = np.random.default_rng(seed)
    outlets = sorted(set(registry.outlets()._by_domain.values()))
    outlet_p = 1.0 / np.arange(1, len(outlets) + 1) ** 1.1
    outlet_p /= outlet_p.sum()
    agencies = ["AP", "Reuters", "AFP", "dpa", "Interfax", "ANSA", "EFE", "PA Media", "Kyodo", "Xinhua", "TASS", "Anadolu"]
    agencies = [a for a in agencies if a in registry.agencies().names] or sorted(registry.agencies().names)[:12]
    agency_p = 1.0 / np.arange(1, len(agencies) + 1) ** 1.3
    agency_p /= agency_p.sum()
    pool = " ".join(rng.choice(WORDS, 400_000))  # text is cut from this pool: realistic sizes, cheap to make
    start, days = date(2016, 1, 1), (date(2026, 11, 30) - date(2016, 1, 1)).days
    versions = credits_written = 0
    for first in range(0, n, batch):
        size = min(batch, n - first)
        ids = np.arange(first, first + size)
        repeat = ids[rng.random(size) < 0.04]  # changed pages: a second, later version
        keys = np.concatenate([ids, repeat])
        rows = len(keys)
        outlet = np.asarray(outlets, dtype=object)[rng.choice(len(outlets), rows, p=outlet_p)]
        # More stories in recent years; fewer on weekends.
        day = (days * np.sqrt(rng.random(rows))).astype(int)
        published = np.array([start + timedelta(days=int(d)) for d in day])
        weekend = np.array([p.weekday() >= 5 for p in published]) & (rng.random(rows) < 0.5)
        published[weekend] -= timedelta(days=2)
        words = np.clip(rng.lognormal(np.log(450), 0.6, rows), 40, 8000).astype(int)
        offsets = rng.integers(0, len(pool) - 60_000, rows)
        texts = [pool[o : o + w * 6] for o, w in zip(offsets, words)]
        wired = rng.random(rows) < 0.33
        first_agency = rng.choice(len(agencies), rows, p=agency_p)
        second = rng.random(rows) < 0.12
        wire = [
            (agencies[a], *((agencies[(a + 1) % len(agencies)],) if s else ())) if w else ()
            for w, a, s in zip(wired, first_agency, second)
        ]
        republished = rng.random(rows) < 0.03
        original = np.asarray(outlets, dtype=object)[rng.choice(len(outlets), rows, p=outlet_p)]
        fetched = [datetime(p.year, p.month, p.day, 12, tzinfo=timezone.utc) + timedelta(days=int(v)) for p, v in zip(published, np.arange(rows) >= size)]
        run_id = f"bench-{first // batch:05d}"
        article_ids = [f"{k:016x}" for k in keys]
        hashes = [f"{k:016x}{int(v):016x}" for k, v in zip(keys, np.arange(rows) >= size)]
        table = pa.table(
            {
                "article_id": article_ids,
                "url": [f"https://{o.lower().replace(' ', '')}.example/news/{k}" for o, k in zip(outlet, keys)],
                "canonical_url": [f"https://{o.lower().replace(' ', '')}.example/news/{k}" for o, k in zip(outlet, keys)],
                "domain": [f"{o.lower().replace(' ', '')}.example" for o in outlet],
                "outlet": outlet.tolist(),
                "outlet_source": ["registry"] * rows,
                "title": [t[:90].capitalize() for t in texts],
                "authors": [("Jane Doe",) if i % 3 else () for i in range(rows)],
                "published_at": [None] * rows,
                "published_date": published.tolist(),
                "date_source": ["htmldate"] * rows,
                "date_granularity": ["day"] * rows,
                "language": ["en"] * rows,
                "text": texts,
                "word_count": words.tolist(),
                "wire_services": [list(w) for w in wire],
                "original_outlet": [o if r else None for o, r in zip(original, republished)],
                "original_url": [None] * rows,
                "original_published_date": [p - timedelta(days=1) if r else None for p, r in zip(published, republished)],
                "license": [None] * rows,
                "fetched_at": fetched,
                "run_id": [run_id] * rows,
                "source": ["bench"] * rows,
                "content_hash": hashes,
                "error": [None] * rows,
            },
            schema=arrow_schema(Article),
        )
        store.write("articles", table, f"part-{run_id}-00000")
        credit_rows = [(i, h, a) for i, h, w in zip(article_ids, hashes, wire) for a in w]
        credits = pa.table(
            {
                "article_id": [c[0] for c in credit_rows],
                "content_hash": [c[1] for c in credit_rows],
                "agency": [c[2] for c in credit_rows],
                "role": ["dateline"] * len(credit_rows),
                "evidence": [f"({c[2]})" for c in credit_rows],
                "location": ["text"] * len(credit_rows),
                "run_id": [run_id] * len(credit_rows),
            },
            schema=arrow_schema(Credit),
        )
        store.write("article_credits", credits, f"part-{run_id}-00000")
        versions += rows
        credits_written += len(credit_rows)
    return versions, credits_written


# The design `articles` replaced: the latest version picked at read time by a window over every version.
READ_TIME_LATEST = """
    CREATE TEMP VIEW articles AS SELECT * FROM main.article_versions
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY fetched_at DESC, run_id DESC, content_hash) = 1"""


def timed(store: Warehouse, sql: str, repeat: int, setup: str | None = None) -> tuple[float, float, int]:
    """(best, worst) seconds of a warm query, and its row count."""
    seconds = []
    with store.connect(read_only=True) as con:
        if setup:
            con.execute(setup)
        rows = len(con.sql(sql).fetchall())  # warm-up: file metadata and OS cache
        for _ in range(repeat):
            started = time.perf_counter()
            con.sql(sql).fetchall()
            seconds.append(time.perf_counter() - started)
    return min(seconds), max(seconds), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="build (or reuse) the warehouse in this directory instead of a temporary one")
    args = parser.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wiredesk-query-"))
    store = Warehouse(root)
    if not (root / "articles").exists() or not any((root / "articles").glob("part-*.parquet")):
        store.ensure()
        started = time.perf_counter()
        versions, credits = generate(store, args.articles)
        store.refresh_views()
        size = sum(f.stat().st_size for f in root.rglob("*.parquet")) / 1e6
        print(f"generated {args.articles:,} articles ({versions:,} versions, {credits:,} credits) in {time.perf_counter() - started:.0f} s; {size:.0f} MB of Parquet at {root}")
    else:
        store.refresh_views()
        print(f"reusing the warehouse at {root}")

    base, _worst, _rows = timed(store, "select count(*) from article_versions", args.repeat)
    print(f"{'baseline: count(*) over article_versions':<45} {base:6.3f} s")
    for name, sql in QUERIES.items():
        best, worst, rows = timed(store, sql, args.repeat)
        verdict = "ok" if worst < 1.0 else "OVER 1 s"
        print(f"{name:<45} {best:6.3f}-{worst:.3f} s  ({rows} rows)  {best / base:5.1f}x baseline  {verdict}")
    first = next(iter(QUERIES))
    best, worst, _rows = timed(store, QUERIES[first], args.repeat, setup=READ_TIME_LATEST)
    print(f"{'(read-time window view, ' + first + ')':<45} {best:6.3f}-{worst:.3f} s  {best / base:5.1f}x baseline")
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
