"""Per-outlet drift: an outlet's null rates in a batch against its own history.

An outlet is keyed by the host of its page URLs (without www.): the outlet *name* is one
of the fields whose null rate is watched, so it cannot be the key.  History is every
article version stored by other runs plus the versions the gate refused, read with DuckDB
straight from the Parquet files (no lock on the DuckDB catalog file is needed), once per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from expectations.articles import DRIFT_FIELDS, DRIFT_MIN_BATCH, DRIFT_MIN_HISTORY
from warehouse.location import DataDir
from warehouse.schema import Article

HOST_SQL = "nullif(regexp_replace(lower(regexp_extract(url, '^https?://([^/:?#]+)', 1)), '^www\\.', ''), '')"


def outlet_key(url: str | None) -> str | None:
    """The host of a page URL without www.; None for local files."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def missing(article: Article, field: str) -> bool:
    """Whether a watched field is empty in an article (the row-level view of a null rate)."""
    if field == "authors":
        return not article.authors
    if field == "text":
        return not (article.text or "").strip()
    return getattr(article, field) is None


@dataclass(frozen=True)
class Rates:
    """Missing counts of the watched fields over `n` articles (authors over `n_authors`)."""

    n: int
    missing: dict[str, int]
    n_authors: int

    def rate(self, field: str) -> float | None:
        total = self.n_authors if field == "authors" else self.n
        return self.missing[field] / total if total else None


def history(data_dir: str | None, hosts: set[str], exclude_run: str) -> dict[str, Rates]:
    """Null counts per outlet key from the warehouse, leaving out `exclude_run`."""
    if not data_dir or not hosts:
        return {}
    everything = _history(DataDir.of(data_dir).url, exclude_run)
    return {h: everything[h] for h in hosts if h in everything}


@lru_cache(maxsize=4)
def _history(root_dir: str, exclude_run: str) -> dict[str, Rates]:
    # Cached per run: other runs' rows do not change while this one validates its batches
    # (runs on one data directory are serialised by the writer lock), so one scan serves all.
    root = DataDir.of(root_dir)
    if not root.exists("articles"):
        return {}
    glob = lambda table: root.path(table, "*.parquet").replace("'", "''")
    # Stored versions know every field; refused versions lack authors (not kept for them).
    # Text presence is read from word_count: scanning every stored text would cost seconds.
    sql = f"""
        WITH stored AS (
            SELECT {HOST_SQL} AS host, published_date IS NULL AS no_date, len(authors) = 0 AS no_author,
                   outlet IS NULL AS no_outlet, coalesce(word_count, 0) = 0 AS no_text
            FROM read_parquet('{glob("articles")}', union_by_name = true) WHERE run_id <> $run
        ), refused AS (
            SELECT {HOST_SQL} AS host, published_date IS NULL AS no_date, NULL::BOOLEAN AS no_author,
                   outlet IS NULL AS no_outlet, coalesce(word_count, 0) = 0 AS no_text
            FROM read_parquet('{glob("rejected_articles")}', union_by_name = true) WHERE run_id <> $run
        )
        SELECT host, count(*) AS n, sum(no_date::INT) AS published_date, sum(no_author::INT) AS authors,
               count(no_author) AS n_authors, sum(no_outlet::INT) AS outlet, sum(no_text::INT) AS text
        FROM (SELECT * FROM stored UNION ALL SELECT * FROM refused) WHERE host IS NOT NULL
        GROUP BY host
    """
    con = root.register(duckdb.connect())
    try:
        cursor = con.execute(sql, {"run": exclude_run})
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    out = {}
    for values in rows:
        row = dict(zip(names, values))
        out[row["host"]] = Rates(n=row["n"], missing={f: int(row[f] or 0) for f in DRIFT_FIELDS}, n_authors=row["n_authors"])
    return out


def batch_rates(articles: list[Article]) -> dict[str, Rates]:
    """Null counts per outlet key in a batch (refused articles included: they are the symptom)."""
    grouped: dict[str, list[Article]] = {}
    for a in articles:
        key = outlet_key(a.url)
        if key:
            grouped.setdefault(key, []).append(a)
    return {
        key: Rates(n=len(group), missing={f: sum(missing(a, f) for a in group) for f in DRIFT_FIELDS}, n_authors=len(group))
        for key, group in grouped.items()
    }


def drift_frame(articles: list[Article], data_dir: str | None, run_id: str) -> pd.DataFrame:
    """One row per (outlet, field) with enough articles on both sides: the rates and their jump."""
    now = {k: r for k, r in batch_rates(articles).items() if r.n >= DRIFT_MIN_BATCH}
    past = {k: r for k, r in history(data_dir, set(now), run_id).items() if r.n >= DRIFT_MIN_HISTORY}
    rows = []
    for host in sorted(set(now) & set(past)):
        for field in DRIFT_FIELDS:
            before, after = past[host].rate(field), now[host].rate(field)
            if before is None or after is None:
                continue
            rows.append(
                {
                    "outlet": host,
                    "field": field,
                    "batch_articles": now[host].n,
                    "history_articles": past[host].n,
                    "history_null_rate": round(before, 4),
                    "batch_null_rate": round(after, 4),
                    "null_rate_jump": round(after - before, 4),
                    "null_rate_jump_example": f"{host} {field}: {before:.0%} -> {after:.0%} missing",
                }
            )
    return pd.DataFrame(rows, columns=["outlet", "field", "batch_articles", "history_articles", "history_null_rate", "batch_null_rate", "null_rate_jump", "null_rate_jump_example"])
