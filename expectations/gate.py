"""The quality gate as the flows call it: one Prefect task per batch, and what it decides.

Great Expectations and pandas are imported only when a batch is validated (expectations/validate.py).
Importing them costs ~5 s of CPU, and every worker process imports the flow's module, with
everything it imports, when it unpickles the flow-run context Prefect ships with each task:
workers that only extract pages would pay it for nothing (measured with py-spy: a fifth of
a worker's samples in an 800-page run went to importing GX, pandas and the flow).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import task
from prefect.cache_policies import NO_CACHE

from warehouse.schema import Article, Credit, Duplicate, Fetch, QualityResult, Rejection


@dataclass(frozen=True)
class Verdict:
    """What the gate decided for a batch."""

    articles: list[Article]  # passed every row-level check
    credits: list[Credit]  # evidence of the passed articles
    rejections: list[Rejection]
    results: list[QualityResult]
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def batch_failures(self) -> list[QualityResult]:
        return [r for r in self.results if r.level == "batch" and not r.success]

    @property
    def drift(self) -> list[QualityResult]:
        return [r for r in self.results if r.level == "drift" and not r.success]

    @property
    def batch_ok(self) -> bool:
        return not self.batch_failures


def load_validator() -> None:
    """Import what validating needs (GX, pandas) now: for the process that will validate, before
    its run's clock starts and while no worker waits on it."""
    import expectations.validate  # noqa: F401


@task(cache_policy=NO_CACHE)
def validate_articles(
    articles: list[Article], credits: list[Credit], run_id: str, batch: int, fetches: list[Fetch] | None = None, data_dir: str | None = None
) -> Verdict:
    """The quality gate for one batch (a fresh GX context per call, never shared)."""
    from expectations.validate import validate_batch

    return validate_batch(articles, credits, run_id, batch, fetches or (), data_dir)
