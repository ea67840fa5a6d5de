"""Run the suites on one batch with Great Expectations and turn the verdicts into rows."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.articles import Check, articles_suite, build_suite, credits_suite
from warehouse.schema import Article, Credit, QualityResult, Rejection


@dataclass(frozen=True)
class Verdict:
    """What the gate decided for a batch."""

    articles: list[Article]  # passed every row-level check
    credits: list[Credit]  # evidence of the passed articles
    rejections: list[Rejection]
    results: list[QualityResult]

    @property
    def batch_ok(self) -> bool:
        return all(r.success for r in self.results if r.level == "batch")


def article_frame(articles: list[Article]) -> pd.DataFrame:
    """The columns the article suite checks, one row per article, in batch order."""
    return pd.DataFrame(
        {
            "article_id": [a.article_id for a in articles],
            "content_hash": [a.content_hash for a in articles],
            "url": [a.url for a in articles],
            "title": [a.title if a.title and a.title.strip() else None for a in articles],
            "text_chars": [len((a.text or "").strip()) for a in articles],
            "word_count": [a.word_count for a in articles],
            "language": [a.language for a in articles],
            # GX compares datetimes, not dates: keep the day as a pandas timestamp.
            "published_date": pd.to_datetime([a.published_date for a in articles]),
            "original_lag_days": [
                (a.published_date - a.original_published_date).days if a.published_date and a.original_published_date else None
                for a in articles
            ],
            "error": [a.error for a in articles],
        }
    ).astype({"original_lag_days": "Float64"})


def credit_frame(credits: list[Credit]) -> pd.DataFrame:
    wire = [c for c in credits if c.agency is not None]
    return pd.DataFrame({"agency": [c.agency for c in wire], "evidence": [c.evidence for c in wire], "article_id": [c.article_id for c in wire]})


def validate_batch(articles: list[Article], credits: list[Credit], run_id: str, batch: int) -> Verdict:
    """Validate a batch of articles and their credits; split it into what ships and what is refused."""
    import great_expectations as gx

    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("wiredesk")
    now = datetime.now(timezone.utc)

    failed_rows: dict[int, list[str]] = {}
    results: list[QualityResult] = []

    def run(name: str, frame: pd.DataFrame, checks: list[Check], level: str) -> list[tuple[QualityResult, list[int]]]:
        checks = [c for c in checks if c.level == level]
        if frame.empty or not checks:
            return []
        suite = build_suite(context, f"{name}.{level}", checks)
        definition = source.add_dataframe_asset(f"{name}.{level}").add_batch_definition_whole_dataframe("batch")
        outcome = definition.get_batch(batch_parameters={"dataframe": frame}).validate(suite, result_format={"result_format": "COMPLETE"})
        rows = []
        for check, result in zip(checks, _in_suite_order(outcome, checks)):
            row = quality_row(result, check, name, run_id, batch, now)
            results.append(row)
            rows.append((row, [int(i) for i in (result.result.get("unexpected_index_list") or [])] if not result.success else []))
        return rows

    # Row level first: failing rows are refused, and say why.
    for row, positions in run("articles", article_frame(articles), articles_suite(now), "row"):
        for position in positions:
            failed_rows.setdefault(position, []).append(f"{row.expectation}({row.column_name})")
    credit_rows = credit_frame(credits)
    for row, positions in run("article_credits", credit_rows, credits_suite(), "row"):
        bad_ids = {credit_rows["article_id"].iloc[p] for p in positions}
        for i, a in enumerate(articles):
            if a.article_id in bad_ids:  # a bad credit refuses its article
                failed_rows.setdefault(i, []).append(f"{row.expectation}({row.column_name})")

    # Batch level on what would ship: refused rows do not skew the verdict on the batch.
    shipped = [a for i, a in enumerate(articles) if i not in failed_rows]
    run("articles", article_frame(shipped), articles_suite(now), "batch")

    refused_ids = {articles[i].article_id for i in failed_rows}
    passed = [a for i, a in enumerate(articles) if i not in failed_rows]
    rejections = [rejection(articles[i], reasons, run_id, now) for i, reasons in sorted(failed_rows.items())]
    kept_credits = [c for c in credits if c.article_id not in refused_ids]
    return Verdict(articles=passed, credits=kept_credits, rejections=rejections, results=results)


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


def quality_row(result: Any, check: Check, suite: str, run_id: str, batch: int, now: datetime) -> QualityResult:
    details = result.result or {}
    observed = details.get("observed_value")
    examples = [str(v) for v in (details.get("partial_unexpected_list") or [])[:5]]
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
    )


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def rejection(article: Article, reasons: list[str], run_id: str, now: datetime) -> Rejection:
    return Rejection(
        article_id=article.article_id,
        url=article.url,
        content_hash=article.content_hash,
        run_id=run_id,
        reasons=tuple(dict.fromkeys(reasons)),
        error=article.error,
        title=article.title,
        outlet=article.outlet,
        published_date=article.published_date,
        wire_services=article.wire_services,
        word_count=article.word_count,
        source=article.source,
        rejected_at=now,
    )



@task(cache_policy=NO_CACHE)
def validate_articles(articles: list[Article], credits: list[Credit], run_id: str, batch: int) -> Verdict:
    """The quality gate for one batch (a fresh GX context per call, never shared)."""
    return validate_batch(articles, credits, run_id, batch)
