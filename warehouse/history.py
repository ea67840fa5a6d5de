"""What earlier runs of a data dir know about URLs: stored or not, and how the last fetch ended.

Read straight from the Parquet files with an in-memory DuckDB (never the .duckdb file, which a
running writer holds), one query per batch of URLs: an anti-join over a million stored keys costs
tens of milliseconds, where loading every stored URL into the flow process would grow with the
warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyarrow as pa

from warehouse.store import Warehouse

# Fetch kinds that name an article (feeds, sitemaps and sites are fetched again every run).
ARTICLE_FETCH_KINDS = ("url", "feed_entry", "sitemap_entry")


@dataclass(frozen=True)
class Outcome:
    """What the warehouse knows about one URL."""

    stored: bool  # a successful fetch or an article row exists
    last_ok: bool  # how the most recent fetch ended
    last_status: int | None
    last_error_class: str | None
    last_run_id: str | None
    etag: str | None = None  # validators of the most recent successful fetch
    last_modified: str | None = None


def last_outcomes(data_dir: str, urls: Iterable[str]) -> dict[str, Outcome]:
    """Outcome per URL for the URLs the warehouse has seen (absent ones are left out)."""
    wanted = sorted(set(urls))
    store = Warehouse(data_dir)
    if not wanted or not store.location.exists("fetches"):
        return {}
    con = store.scratch()  # an in-memory connection that reads the data dir, remote ones too
    try:
        con.register("wanted", pa.table({"url": wanted}))
        fetches = f"read_parquet('{store.glob('fetches')}', union_by_name = true)"
        articles = f"read_parquet('{store.glob('articles')}', union_by_name = true)"
        kinds = ", ".join(f"'{k}'" for k in ARTICLE_FETCH_KINDS)
        rows = con.sql(
            f"""
            WITH f AS (
                SELECT f.* FROM {fetches} AS f SEMI JOIN wanted USING (url) WHERE f.kind IN ({kinds})
            ), last AS (
                SELECT url,
                       bool_or(ok) AS any_ok,
                       arg_max(ok, fetched_at) AS last_ok,
                       arg_max(status, fetched_at) AS last_status,
                       arg_max(error_class, fetched_at) AS last_error_class,
                       arg_max(run_id, fetched_at) AS last_run_id,
                       arg_max(etag, fetched_at) FILTER (WHERE ok) AS etag,
                       arg_max(last_modified, fetched_at) FILTER (WHERE ok) AS last_modified
                FROM f GROUP BY url
            ), a AS (
                SELECT DISTINCT a.url FROM {articles} AS a SEMI JOIN wanted USING (url)
            )
            SELECT coalesce(last.url, a.url) AS url, coalesce(any_ok, false) OR a.url IS NOT NULL AS stored,
                   coalesce(last_ok, true) AS last_ok, last_status, last_error_class, last_run_id, etag, last_modified
            FROM last FULL OUTER JOIN a ON last.url = a.url
            """
        ).fetchall()
    finally:
        con.close()
    return {row[0]: Outcome(*row[1:]) for row in rows}
