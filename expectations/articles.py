"""The expectation suites, kept as code.

Two levels, kept apart on purpose:
- row: every row must pass; a failing row is refused (stored in rejected_articles
  with the failed expectations), the rest of the batch ships.
- batch: a verdict on the batch as a whole (`mostly=` thresholds); a failure is
  recorded in quality_results and marks the run completed_with_warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import great_expectations as gx
import great_expectations.expectations as gxe

from tasks import registry

URL_PATTERN = r"^(?:https?|file)://\S+$"
OLDEST = datetime(1990, 1, 1)
MIN_TEXT_CHARS = 25
FUTURE_SKEW = timedelta(days=1)


@dataclass(frozen=True)
class Check:
    """One expectation and whether it guards rows or the batch."""

    expectation: gxe.Expectation
    level: str  # "row" or "batch"


def articles_suite(now: datetime | None = None) -> list[Check]:
    """Checks on the article frame (see validate.article_frame for its columns)."""
    now = (now or datetime.now(timezone.utc)).replace(tzinfo=None)
    row = [
        gxe.ExpectColumnValuesToBeNull(column="error"),
        gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
        gxe.ExpectColumnValuesToBeUnique(column="article_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="content_hash"),
        gxe.ExpectColumnValuesToNotBeNull(column="url"),
        gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_PATTERN),
        gxe.ExpectColumnValuesToNotBeNull(column="title"),
        gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=MIN_TEXT_CHARS),
        gxe.ExpectColumnValuesToBeBetween(column="published_date", min_value=OLDEST, max_value=now + FUTURE_SKEW),
        gxe.ExpectColumnValuesToBeBetween(column="original_lag_days", min_value=0),
    ]
    batch = [
        gxe.ExpectColumnValuesToNotBeNull(column="published_date", mostly=0.5),
        gxe.ExpectColumnValuesToNotBeNull(column="language", mostly=0.9),
        gxe.ExpectColumnValuesToBeBetween(column="word_count", min_value=20, max_value=50_000, mostly=0.8),
    ]
    return [Check(e, "row") for e in row] + [Check(e, "batch") for e in batch]


def credits_suite() -> list[Check]:
    """Checks on the credit frame: every credited agency is a canonical registry name."""
    names = sorted(registry.agencies().names)
    return [
        Check(gxe.ExpectColumnValuesToBeInSet(column="agency", value_set=names), "row"),
        Check(gxe.ExpectColumnValuesToNotBeNull(column="evidence"), "row"),
    ]


def build_suite(context: gx.data_context.AbstractDataContext, name: str, checks: list[Check]) -> gx.ExpectationSuite:
    suite = context.suites.add(gx.ExpectationSuite(name=name))
    for check in checks:
        suite.add_expectation(check.expectation)
    return suite
