"""`wiredesk check`: re-validate stored data on demand and record the verdicts.

Useful after a registry or a suite changed (is what we published still valid?), or to
see a past run's verdicts again.  The suites are the gate's own; the verdicts go to
quality_results with a `check_id`, and Data Docs to <data_dir>/quality_docs/<check_id>/.
Stored data is not changed: a check reports, it does not quarantine after the fact.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from expectations import docs
from expectations.validate import validate_batch
from warehouse.schema import Article, Credit, Fetch, QualityResult, Rejection, to_arrow
from warehouse.store import Warehouse

CHUNK = 10_000  # articles validated together: GX holds a chunk in pandas memory


@dataclass
class CheckResult:
    check_id: str
    run_id: str | None
    articles: int
    fetches: int
    results: list[QualityResult]
    refused: list[Rejection]
    report: str | None

    @property
    def failed(self) -> list[QualityResult]:
        return [r for r in self.results if not r.success]

    @property
    def ok(self) -> bool:
        return not any(r.level in ("row", "batch") for r in self.failed)


def new_check_id(now: datetime) -> str:
    return f"check-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def records(table, record_type: type) -> list[Any]:
    """Arrow rows back into records (columns unknown to this version are ignored)."""
    names = [f.name for f in dataclasses.fields(record_type)]
    out = []
    for row in table.to_pylist():
        values = {n: tuple(v) if isinstance(v, list) else v for n, v in row.items() if n in names}
        out.append(record_type(**values))
    return out


def load(store: Warehouse, run_id: str | None) -> tuple[list[Article], list[Credit], list[Fetch]]:
    """A run's stored article versions, credits and fetches; without a run, the latest of everything."""
    if run_id:
        where, params = " WHERE run_id = ?", [run_id]
        articles = store.query("SELECT * FROM article_versions" + where, params)
        credits = store.query(f"SELECT * FROM read_parquet('{store.glob('article_credits')}', union_by_name = true)" + where, params)
        fetches = store.query("SELECT * FROM fetches" + where, params)
    else:
        articles = store.query("SELECT * FROM articles")
        credits = store.query("SELECT * FROM article_credits")
        fetches = store.query("SELECT * FROM fetches")
    return records(articles, Article), records(credits, Credit), records(fetches, Fetch)


def check_stored(data_dir: str, run_id: str | None = None, chunk: int = CHUNK) -> CheckResult:
    """Validate stored data with the current suites; write the verdicts; build the docs."""
    store = Warehouse(data_dir)
    if run_id and not store.query("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).num_rows:
        raise LookupError(f"no run {run_id!r} in {store.root}")
    now = datetime.now(timezone.utc)
    check_id = new_check_id(now)
    articles, credits, fetches = load(store, run_id)
    by_version: dict[tuple[str, str], list[Credit]] = {}
    for c in credits:
        by_version.setdefault((c.article_id, c.content_hash), []).append(c)

    results: list[QualityResult] = []
    refused: list[Rejection] = []
    for number, start in enumerate(range(0, max(len(articles), 1), chunk)):
        part = articles[start : start + chunk]
        part_credits = [c for a in part for c in by_version.get((a.article_id, a.content_hash), [])]
        part_fetches = fetches if number == 0 else ()  # the fetch log is judged once, as a whole
        verdict = validate_batch(part, part_credits, run_id, number, part_fetches, data_dir, now, check_id=check_id)
        results += verdict.results
        refused += verdict.rejections
        store.write("quality_results", to_arrow(verdict.results, QualityResult), f"part-{check_id}-{number:05d}")
    index = docs.build_docs(docs.run_docs_dir(data_dir, check_id)) if results else None
    return CheckResult(check_id, run_id, len(articles), len(fetches), results, refused, str(index) if index else None)
