"""The expectation suites, kept as code.

Three levels, kept apart on purpose:
- row: every row must pass; a failing row is refused (stored in rejected_articles
  with the failed expectations and the offending values), the rest of the batch ships.
- batch: a verdict on the batch as a whole (`mostly=` thresholds, per-host rates); a
  failure is recorded in quality_results and marks the run `failed` (what passed is kept).
- drift: an outlet's null rates in this batch against its own history in the warehouse;
  a jump is reported (quality_results, the summary) and marks the run completed_with_warnings.

Every threshold is a named constant here, so a verdict can be explained by reading one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from tasks import registry
from tasks.fetch import ERROR_CLASSES

URL_PATTERN = r"^(?:https?://[^\s/?#]+\.[^\s/?#]+|https?://(?:localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?|file://)(?:[/?#]\S*)?$"
OLDEST = datetime(1990, 1, 1)  # before the web had news sites: a date this old is a parsing error
FUTURE_SKEW = timedelta(days=1)  # time zones and clock drift; anything later is a wrong date
MIN_TEXT_CHARS = 25
MAX_TEXT_CHARS = 500_000  # ~80k words: longer is a page dump (a whole forum, a book), not an article
MIN_WORDS, MAX_WORDS = 20, 50_000
# Shares of a handful of articles say nothing about a batch: one undated story in a feed's
# quiet hour would fail the run.  Smaller batches get the row-level checks only (like drift).
BATCH_MIN_ARTICLES = 10
MOSTLY_DATED = 0.5  # at least half of a batch's articles have a publication date
MOSTLY_LANGUAGE = 0.9
MOSTLY_PLAUSIBLE_LENGTH = 0.8

# Boilerplate leakage: a paragraph of BOILERPLATE_MIN_CHARS or more that recurs in
# BOILERPLATE_MIN_ARTICLES articles of one outlet in the batch is page furniture the
# extractor let through (newsletter boxes, cookie notices, "read more" blocks).  Short
# lines such as "The Associated Press contributed to this report." stay below the length.
BOILERPLATE_MIN_CHARS = 60
BOILERPLATE_MIN_ARTICLES = 5
BOILERPLATE_MAX_SHARE = 0.1  # at most 10% of a batch's articles may carry such a paragraph

# Fetches: a host is judged only on enough attempts (one 404 on a host of two pages is no alert).
MIN_HOST_FETCHES = 5
MIN_HOST_SUCCESS = 0.5
# Codes real servers send beyond the IANA registry (nginx 499, Cloudflare 520-530).
EXTRA_STATUS = (499, 520, 521, 522, 523, 524, 525, 526, 527, 530)
KNOWN_STATUS = sorted({int(s) for s in HTTPStatus} | set(EXTRA_STATUS))

# Drift: a null rate that rises by more than DRIFT_MAX_JUMP (absolute) against the outlet's
# own history is drift.  Both sides need enough articles, or one odd page raises an alarm.
DRIFT_FIELDS = ("published_date", "authors", "outlet", "text")
DRIFT_MIN_BATCH = 10
DRIFT_MIN_HISTORY = 30
DRIFT_MAX_JUMP = 0.3


@lru_cache(maxsize=1)
def language_codes() -> tuple[str, ...]:
    """ISO 639-1 codes, from the data file beside this module."""
    lines = (Path(__file__).parent / "iso639_1.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted(code for line in lines if not line.startswith("#") for code in line.split()))


@dataclass(frozen=True)
class Check:
    """One expectation and whether it guards rows, the batch, or an outlet's history."""

    expectation: gxe.Expectation
    level: str  # "row", "batch" or "drift"


def articles_suite(now: datetime | None = None) -> list[Check]:
    """Checks on the article frame (see validate.article_frame for its columns)."""
    now = (now or datetime.now(timezone.utc)).replace(tzinfo=None)
    latest = now + FUTURE_SKEW
    row = [
        gxe.ExpectColumnValuesToBeNull(column="error"),
        gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
        gxe.ExpectColumnValuesToBeUnique(column="article_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="content_hash"),
        gxe.ExpectColumnValuesToNotBeNull(column="url"),
        gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_PATTERN),
        gxe.ExpectColumnValuesToNotBeNull(column="title"),
        gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=MIN_TEXT_CHARS, max_value=MAX_TEXT_CHARS),
        gxe.ExpectColumnValuesToBeBetween(column="published_date", min_value=OLDEST, max_value=latest),
        gxe.ExpectColumnValuesToBeBetween(column="published_at", min_value=OLDEST, max_value=latest),
        gxe.ExpectColumnValuesToBeBetween(column="original_lag_days", min_value=0),
        gxe.ExpectColumnValuesToBeInSet(column="language", value_set=list(language_codes())),
        # A web page always names its outlet (the domain's brand at worst); a local text file may not.
        gxe.ExpectColumnValuesToNotBeNull(column="outlet", row_condition=Column("domain").is_not_null()),
    ]
    batch = [
        gxe.ExpectColumnValuesToNotBeNull(column="published_date", mostly=MOSTLY_DATED),
        gxe.ExpectColumnValuesToNotBeNull(column="language", mostly=MOSTLY_LANGUAGE),
        gxe.ExpectColumnValuesToBeBetween(column="word_count", min_value=MIN_WORDS, max_value=MAX_WORDS, mostly=MOSTLY_PLAUSIBLE_LENGTH),
        gxe.ExpectColumnValuesToBeBetween(column="boilerplate_paragraphs", max_value=0, mostly=1 - BOILERPLATE_MAX_SHARE),
    ]
    return [Check(e, "row") for e in row] + [Check(e, "batch") for e in batch]


def wire_suite() -> list[Check]:
    """Checks on articles.wire_services, one row per value: each is a canonical registry name."""
    return [Check(gxe.ExpectColumnValuesToBeInSet(column="wire_service", value_set=sorted(registry.agencies().names)), "row")]


def credits_suite() -> list[Check]:
    """Checks on the credit frame: every credited agency is a canonical registry name."""
    names = sorted(registry.agencies().names)
    return [
        Check(gxe.ExpectColumnValuesToBeInSet(column="agency", value_set=names), "row"),
        Check(gxe.ExpectColumnValuesToNotBeNull(column="evidence"), "row"),
    ]


def fetches_suite() -> list[Check]:
    """Checks on the fetch log.  A fetch row is never refused (it is the record of what
    happened), so every check here is batch-level: an unknown value fails the batch."""
    return [
        Check(gxe.ExpectColumnValuesToBeInSet(column="status", value_set=KNOWN_STATUS), "batch"),
        Check(gxe.ExpectColumnValuesToBeInSet(column="error_class", value_set=list(ERROR_CLASSES)), "batch"),
    ]


def hosts_suite() -> list[Check]:
    """Checks on fetch outcomes per host (hosts with MIN_HOST_FETCHES attempts or more):
    a site that suddenly blocks us is an alert, not a silent gap."""
    return [Check(gxe.ExpectColumnValuesToBeBetween(column="success_rate", min_value=MIN_HOST_SUCCESS), "batch")]


def drift_suite() -> list[Check]:
    """Checks on per-outlet null rates (see drift.drift_frame): no jump above DRIFT_MAX_JUMP."""
    return [Check(gxe.ExpectColumnValuesToBeBetween(column="null_rate_jump", max_value=DRIFT_MAX_JUMP), "drift")]


def build_suite(context: gx.data_context.AbstractDataContext, name: str, checks: list[Check]) -> gx.ExpectationSuite:
    # Expectations go in before the suite is added: GX refuses to validate a suite changed since saved.
    return context.suites.add(gx.ExpectationSuite(name=name, expectations=[c.expectation for c in checks]))
