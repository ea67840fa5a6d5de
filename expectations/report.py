"""The quality end of a run: Data Docs, the verdict summary as a Prefect artifact, the gate's
exception when a batch-level check failed."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Iterable

from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations import docs
from warehouse.schema import QualityResult

log = logging.getLogger(__name__)


class QualityGateFailed(RuntimeError):
    """A batch-level expectation failed: the run is `failed`; what passed is stored.

    Carries the run's result so the CLI can still print the summary."""

    def __init__(self, message: str, result: Any = None):
        super().__init__(message)
        self.result = result

    def __reduce__(self):  # Prefect may pickle a flow's exception: keep the result with it
        return (type(self), (str(self), self.result))


def label(result: QualityResult) -> str:
    return f"{result.suite}: {result.expectation}({result.column_name})"


def failure_lines(results: Iterable[QualityResult]) -> list[str]:
    """One line per failed check: what, how many, a few examples."""
    lines = []
    for r in results:
        share = f" ({r.unexpected_count} of {r.element_count}, {r.unexpected_percent:.1f}%)" if r.unexpected_count is not None and r.unexpected_percent is not None else ""
        examples = f": {'; '.join(r.examples[:3])}" if r.examples else ""
        lines.append(f"batch {r.batch} {label(r)}{share}{examples}")
    return lines


@task(cache_policy=NO_CACHE)
def build_quality_docs(data_dir: str, name: str) -> str | None:
    """Render the Data Docs of one run (or check) under <data_dir>/quality_docs/<name>/."""
    try:
        index = docs.build_docs(docs.run_docs_dir(data_dir, name))
    except Exception as exc:  # the verdicts are already stored as rows; the pages are a view of them
        log.warning("Data Docs for %s could not be built: %s: %s", name, type(exc).__name__, exc)
        return None
    return str(index) if index else None


def verdicts_markdown(run_id: str, status: str, counts: Counter, failures: list[str], drift: list[str], report: str | None) -> str:
    """The run's quality verdicts as markdown (the Prefect artifact)."""
    lines = [
        f"# wiredesk quality: run `{run_id}` is **{status}**",
        "",
        "| level | checks | passed | failed |",
        "|---|---|---|---|",
    ]
    for level in ("row", "batch", "drift"):
        total, failed = counts[(level, "all")], counts[(level, "failed")]
        if total:
            lines.append(f"| {level} | {total} | {total - failed} | {failed} |")
    lines += ["", f"Rows refused: {counts['refused']}; duplicates set aside: {counts['duplicates']}."]
    if failures:
        lines += ["", "## Batch-level failures (the run is failed)", ""] + [f"- {f}" for f in failures]
    if drift:
        lines += ["", "## Drift against the outlet's history", ""] + [f"- {d}" for d in drift]
    if report:
        lines += ["", f"Data Docs: `{report}`"]
    return "\n".join(lines)


def publish_verdicts(run_id: str, markdown: str) -> None:
    """A markdown artifact on the flow run (no-op outside one, e.g. `flow.fn` in tests)."""
    from prefect.artifacts import create_markdown_artifact
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None:
        return
    create_markdown_artifact(key="wiredesk-quality", markdown=markdown, description=f"Quality verdicts of run {run_id}")
