"""Which article versions are no longer the latest: decided when versions are written, not when read.

`articles` used to pick the latest version of each article at read time (QUALIFY
row_number() over every version): on 1,000,000 articles that window alone cost ~0.9 s of
every query (bench/query.py), growing with the warehouse.  Writers are serialised (the
writer lock), so the writer can decide instead: when versions of an article are written,
the versions that lose (same order as before: fetched_at, then run_id, then content_hash)
are appended to `article_supersessions`, and `articles` is the versions minus those, a
hash anti-join on two keys (~0.3 s on 1M rows, nearly all of it the scan).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from warehouse.schema import Supersession, arrow_schema

if TYPE_CHECKING:
    from warehouse.store import Warehouse

# The order that makes a version the latest; the view used the same one.
LATEST_FIRST = "fetched_at DESC NULLS LAST, run_id DESC, content_hash"


def superseded_versions(store: "Warehouse", batch: pa.Table, run_id: str | None = None) -> pa.Table:
    """Versions that `batch` (about to be written to articles) makes no longer the latest, not yet recorded.

    Covers stored versions beaten by a new one, a new version older than a stored one
    (an old crawl ingested late), and several versions of one article within the batch.
    """
    schema = arrow_schema(Supersession)
    if batch.num_rows == 0:
        return schema.empty_table()
    con = store.scratch()
    try:
        con.register("batch", batch.select(["article_id", "content_hash", "fetched_at", "run_id"]))
        versions, recorded = store.glob("articles"), store.glob("article_supersessions")
        result = con.sql(
            f"""
            WITH candidates AS (
                SELECT article_id, content_hash, fetched_at, run_id FROM batch
                UNION
                SELECT v.article_id, v.content_hash, v.fetched_at, v.run_id
                FROM read_parquet('{versions}', union_by_name = true) AS v
                SEMI JOIN batch AS b ON b.article_id = v.article_id
            ), ranked AS (
                SELECT article_id, content_hash,
                       first_value(content_hash) OVER (PARTITION BY article_id ORDER BY {LATEST_FIRST}) AS latest_hash,
                       row_number() OVER (PARTITION BY article_id ORDER BY {LATEST_FIRST}) AS position
                FROM candidates
            )
            SELECT r.article_id, r.content_hash, r.latest_hash, ?::VARCHAR AS run_id FROM ranked AS r
            ANTI JOIN read_parquet('{recorded}', union_by_name = true) AS s
                ON s.article_id = r.article_id AND s.content_hash = r.content_hash
            WHERE r.position > 1
            ORDER BY r.article_id, r.content_hash
            """,
            params=[run_id or (batch.column("run_id")[0].as_py() if "run_id" in batch.column_names else None)],
        ).to_arrow_table()
    finally:
        con.close()
    return result.cast(schema)


def backfill(store: "Warehouse") -> int:
    """Record the supersessions of a warehouse written before they existed; returns how many."""
    con = store.scratch()
    try:
        versions = con.sql(f"SELECT article_id, content_hash, fetched_at, run_id FROM read_parquet('{store.glob('articles')}', union_by_name = true)").to_arrow_table()
    finally:
        con.close()
    missing = superseded_versions(store, versions, run_id="backfill")
    store.write("article_supersessions", missing, "backfill")
    return missing.num_rows
