"""Run the suites on one batch with Great Expectations and turn the verdicts into rows.

Order of one batch's gate:
1. pages sharing a canonical URL are resolved (one kept, the others recorded as duplicates);
2. row-level checks on articles, their wire_services values and their credits: a failing
   row is refused with every failed expectation and the value it saw;
3. batch-level checks on what would ship (refused rows do not skew them), on the fetch log
   and on per-host success rates;
4. drift: per-outlet null rates against the outlet's history in the warehouse.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Sequence

import pandas as pd

from expectations import docs
from expectations.gate import Verdict
from expectations.articles import (
    BOILERPLATE_MIN_ARTICLES,
    BOILERPLATE_MIN_CHARS,
    BATCH_MIN_ARTICLES,
    MIN_HOST_FETCHES,
    Check,
    articles_suite,
    build_suite,
    credits_suite,
    drift_suite,
    fetches_suite,
    hosts_suite,
    wire_suite,
)
from expectations.drift import drift_frame, outlet_key
from tasks.fetch import NOT_FAILURES
from expectations.duplicates import split_duplicates
from warehouse.schema import Article, Credit, Fetch, QualityResult, Rejection

EXAMPLES = 5


# ---------------------------------------------------------------- frames (pure)


def article_frame(articles: Sequence[Article]) -> pd.DataFrame:
    """The columns the article suite checks, one row per article, in batch order."""
    frame = pd.DataFrame(
        {
            "article_id": [a.article_id for a in articles],
            "content_hash": [a.content_hash for a in articles],
            "url": [a.url for a in articles],
            "domain": [a.domain for a in articles],
            "outlet": [a.outlet if a.outlet and a.outlet.strip() else None for a in articles],
            "title": [a.title if a.title and a.title.strip() else None for a in articles],
            "text_chars": [len((a.text or "").strip()) for a in articles],
            "word_count": [a.word_count for a in articles],
            "language": [a.language for a in articles],
            # GX compares datetimes, not dates: keep the day as a pandas timestamp; times in UTC.
            "published_date": pd.to_datetime([a.published_date for a in articles]),
            "published_at": pd.to_datetime([a.published_at for a in articles], utc=True).tz_convert(None),
            "original_lag_days": [
                (a.published_date - a.original_published_date).days if a.published_date and a.original_published_date else None
                for a in articles
            ],
            "error": [a.error for a in articles],
        }
    ).astype({"original_lag_days": "Float64"})
    counts, examples = boilerplate(articles)
    frame["boilerplate_paragraphs"] = counts
    frame["boilerplate_paragraphs_example"] = examples
    return frame


def paragraphs(text: str | None) -> set[str]:
    return {p.strip() for p in (text or "").split("\n") if len(p.strip()) >= BOILERPLATE_MIN_CHARS}


def boilerplate(articles: Sequence[Article]) -> tuple[list[int], list[str | None]]:
    """Per article: how many of its paragraphs recur in BOILERPLATE_MIN_ARTICLES or more
    articles of the same outlet in the batch, and the first such paragraph."""
    owner = [a.outlet or outlet_key(a.url) for a in articles]
    seen: Counter = Counter()
    per_article = [paragraphs(a.text) for a in articles]
    for key, paras in zip(owner, per_article):
        if key:
            seen.update((key, p) for p in paras)
    counts, examples = [], []
    for key, paras in zip(owner, per_article):
        repeated = sorted(p for p in paras if key and seen[(key, p)] >= BOILERPLATE_MIN_ARTICLES)
        counts.append(len(repeated))
        examples.append(f"{key}: {repeated[0][:120]}" if repeated else None)
    return counts, examples


def wire_frame(articles: Sequence[Article]) -> pd.DataFrame:
    """One row per wire_services value, with the position of its article."""
    pairs = [(i, w) for i, a in enumerate(articles) for w in a.wire_services]
    return pd.DataFrame({"position": [i for i, _ in pairs], "wire_service": [w for _, w in pairs]})


def credit_frame(credits: Sequence[Credit]) -> pd.DataFrame:
    wire = [c for c in credits if c.agency is not None]
    return pd.DataFrame({"agency": [c.agency for c in wire], "evidence": [c.evidence for c in wire], "article_id": [c.article_id for c in wire]})


def fetch_frame(fetches: Sequence[Fetch]) -> pd.DataFrame:
    return pd.DataFrame({"status": pd.array([f.status for f in fetches], dtype="Int64"), "error_class": [f.error_class for f in fetches]})


def host_frame(fetches: Sequence[Fetch]) -> pd.DataFrame:
    """Success rate per host, for hosts fetched MIN_HOST_FETCHES times or more."""
    tried: Counter = Counter()
    ok: Counter = Counter()
    for f in fetches:
        host = outlet_key(f.url) if f.kind != "warc_record" else None  # an archive is no live site
        if host:
            tried[host] += 1
            ok[host] += bool(f.ok) or f.error_class in NOT_FAILURES  # a 304 is the host answering fine
    hosts = sorted(h for h, n in tried.items() if n >= MIN_HOST_FETCHES)
    return pd.DataFrame(
        {
            "host": hosts,
            "fetches": [tried[h] for h in hosts],
            "success_rate": [ok[h] / tried[h] for h in hosts],
            "success_rate_example": [f"{h}: {ok[h]}/{tried[h]} fetched" for h in hosts],
        }
    )


# ---------------------------------------------------------------- the gate


class Gate:
    """One GX context validating the frames of one batch; results kept as rows (and, with a
    docs folder, as GX validation results for the Data Docs)."""

    def __init__(self, run_id: str | None, batch: int, now: datetime, docs_dir=None, check_id: str | None = None):
        import great_expectations as gx

        self.gx = gx
        self.run_id, self.batch, self.now, self.check_id = run_id, batch, now, check_id
        self.context = docs.context(docs_dir)
        self.source = self.context.data_sources.add_pandas("wiredesk")
        self.gx_run = gx.RunIdentifier(run_name=check_id or run_id or "check", run_time=now)
        self.results: list[QualityResult] = []

    def run(self, suite: str, frame: pd.DataFrame, checks: list[Check], level: str) -> list[tuple[QualityResult, list[int]]]:
        """Validate `frame` against the checks of one level; (result row, failing positions) per check."""
        checks = [c for c in checks if c.level == level]
        if frame.empty or not checks:
            return []
        name = f"{suite}.{level}"
        gx = self.gx
        expectation_suite = build_suite(self.context, name, checks)
        definition = self.source.add_dataframe_asset(f"{name}.batch-{self.batch:05d}").add_batch_definition_whole_dataframe("batch")
        validation = self.context.validation_definitions.add(gx.ValidationDefinition(name=f"{name}.{self.batch}", data=definition, suite=expectation_suite))
        checkpoint = self.context.checkpoints.add(gx.Checkpoint(name=f"{name}.{self.batch}", validation_definitions=[validation], result_format={"result_format": "COMPLETE"}))
        outcome = next(iter(checkpoint.run(batch_parameters={"dataframe": frame}, run_id=self.gx_run).run_results.values()))
        rows = []
        for check, result in zip(checks, _in_suite_order(outcome, checks)):
            positions = [int(i) for i in (result.result.get("unexpected_index_list") or [])] if not result.success else []
            row = quality_row(result, check, suite, self.run_id, self.batch, self.now, _examples(frame, result, positions), self.check_id)
            self.results.append(row)
            rows.append((row, positions))
        return rows


def validate_batch(
    articles: list[Article],
    credits: list[Credit],
    run_id: str,
    batch: int,
    fetches: Sequence[Fetch] = (),
    data_dir: str | None = None,
    now: datetime | None = None,
    check_id: str | None = None,
) -> Verdict:
    """Validate a batch of articles, their credits and its fetch log; split it into what ships
    and what is refused.  With `data_dir`: drift against its history, and Data Docs results
    (under the run's folder, or the check's when `wiredesk check` re-validates stored data)."""
    now = now or datetime.now(timezone.utc)
    articles, credits, duplicates = split_duplicates(list(articles), list(credits), run_id, now)
    docs_dir = docs.run_docs_dir(data_dir, check_id or run_id) if data_dir else None
    gate = Gate(run_id, batch, now, docs_dir, check_id)
    failed_rows = row_failures(gate, articles, credits, now)

    # Batch level on what would ship: refused rows do not skew the verdict on the batch.
    passed = [a for i, a in enumerate(articles) if i not in failed_rows]
    if len(passed) >= BATCH_MIN_ARTICLES:
        gate.run("articles", article_frame(passed), articles_suite(now), "batch")
    gate.run("fetches", fetch_frame(fetches), fetches_suite(), "batch")
    gate.run("hosts", host_frame(fetches), hosts_suite(), "batch")
    if run_id:  # drift needs a run to compare with the rest of the history
        gate.run("drift", drift_frame(articles, data_dir, run_id), drift_suite(), "drift")

    refused_ids = {(articles[i].article_id, articles[i].content_hash) for i in failed_rows}
    rejections = [rejection(articles[i], failures, run_id, now) for i, failures in sorted(failed_rows.items())]
    kept_credits = [c for c in credits if (c.article_id, c.content_hash) not in refused_ids]
    return Verdict(articles=passed, credits=kept_credits, rejections=rejections, results=gate.results, duplicates=duplicates)


def row_failures(gate: Gate, articles: list[Article], credits: list[Credit], now: datetime) -> dict[int, list[tuple[str, str]]]:
    """Article position -> [(expectation(column), column=value)] for every failed row-level check."""
    failed: dict[int, list[tuple[str, str]]] = {}

    def refuse(position: int, row: QualityResult, value: Any) -> None:
        failed.setdefault(position, []).append((f"{row.expectation}({row.column_name})", f"{row.column_name}={_show(value)}"))

    frame = article_frame(articles)
    for row, positions in gate.run("articles", frame, articles_suite(now), "row"):
        for p in positions:
            refuse(p, row, frame[row.column_name].iloc[p])
    wires = wire_frame(articles)
    for row, positions in gate.run("article_wire_services", wires, wire_suite(), "row"):
        for p in positions:
            refuse(int(wires["position"].iloc[p]), row, wires["wire_service"].iloc[p])
    credit_rows = credit_frame(credits)
    for row, positions in gate.run("article_credits", credit_rows, credits_suite(), "row"):
        bad = {credit_rows["article_id"].iloc[p]: credit_rows[row.column_name].iloc[p] for p in positions}
        for i, a in enumerate(articles):
            if a.article_id in bad:  # a bad credit refuses its article
                refuse(i, row, bad[a.article_id])
    return failed


def _show(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value is pd.NA:
        return "null"
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _examples(frame: pd.DataFrame, result: Any, positions: list[int]) -> list[str]:
    """Offending values; where the frame explains its rows (a `<column>_example` column), those."""
    column = result.expectation_config.kwargs.get("column")
    explained = f"{column}_example"
    if explained in frame.columns and positions:
        return list(dict.fromkeys(str(frame[explained].iloc[p]) for p in positions))[:EXAMPLES]
    return list(dict.fromkeys(_show(v) for v in (result.result or {}).get("partial_unexpected_list") or []))[:EXAMPLES]


def _in_suite_order(outcome: Any, checks: list[Check]) -> list[Any]:
    """GX returns results in its own order; match them back to our checks by configuration."""
    remaining = list(outcome.results)
    ordered = []
    for check in checks:
        for i, result in enumerate(remaining):
            config = result.expectation_config
            if config.type == check.expectation.expectation_type and config.kwargs.get("column") == check.expectation.column and _same_kwargs(config.kwargs, check):
                ordered.append(remaining.pop(i))
                break
        else:
            raise RuntimeError(f"no result for {check.expectation}")
    return ordered


def _same_kwargs(kwargs: dict, check: Check) -> bool:
    mine = check.expectation.configuration.kwargs
    return all(kwargs.get(k) == v for k, v in mine.items() if k in ("mostly", "min_value", "max_value", "regex"))


def quality_row(result: Any, check: Check, suite: str, run_id: str | None, batch: int, now: datetime, examples: list[str], check_id: str | None = None) -> QualityResult:
    details = result.result or {}
    observed = details.get("observed_value")
    return QualityResult(
        run_id=run_id,
        batch=batch,
        suite=suite,
        expectation=result.expectation_config.type,
        column_name=result.expectation_config.kwargs.get("column"),
        level=check.level,
        success=bool(result.success),
        element_count=details.get("element_count"),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=_finite(details.get("unexpected_percent")),
        observed_value=json.dumps(observed, default=str) if observed is not None else None,
        examples=tuple(examples),
        validated_at=now,
        check_id=check_id,
    )


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def rejection(article: Article, failures: list[tuple[str, str]], run_id: str, now: datetime) -> Rejection:
    unique = list(dict.fromkeys(failures))
    return Rejection(
        article_id=article.article_id,
        url=article.url,
        content_hash=article.content_hash,
        run_id=run_id,
        reasons=tuple(reason for reason, _ in unique),
        offending_values=tuple(value for _, value in unique),
        error=article.error,
        title=article.title,
        outlet=article.outlet,
        published_date=article.published_date,
        wire_services=article.wire_services,
        word_count=article.word_count,
        source=article.source,
        rejected_at=now,
    )
