"""What a flow run shows in Prefect's UI: a summary table by outlet and the run's totals.

Artifacts are built from the warehouse (what was really stored) and the run's tally (what
was refused or failed, with reasons), so the UI and `wiredesk query` never disagree.
"""

from __future__ import annotations

from typing import Any

from warehouse.store import Warehouse

SUMMARY_KEY = "wiredesk-run-summary"
TOTALS_KEY = "wiredesk-run-totals"

BY_OUTLET = """
select coalesce(outlet, '(no outlet)') as outlet, count(*) as articles,
       count(*) filter (where len(wire_services) > 0) as with_wire,
       round(avg((len(wire_services) > 0)::int), 3) as wire_share,
       count(*) filter (where original_outlet is not null) as republished
from article_versions where run_id = ? group by all order by articles desc, outlet
"""


def outlet_rows(store: Warehouse, run_id: str) -> list[dict[str, Any]]:
    """Articles this run stored, per outlet: count, wire-credited count and share, republished."""
    return store.query(BY_OUTLET, [run_id]).to_pylist()


def totals_markdown(result) -> str:
    """The run's totals as markdown: status, pages, stored, rejected and failed with reasons, quality report."""
    run, tally = result.run, result.tally

    def reasons(counter) -> str:
        return "; ".join(f"{k}: {v}" for k, v in counter.most_common()) or "none"

    share = f"{run.with_wire / run.articles_stored:.1%}" if run.articles_stored else "n/a"
    lines = [
        f"### wiredesk run `{run.run_id}`: {run.status}",
        "",
        "| | |",
        "|---|---|",
        f"| pages seen | {run.pages_seen} |",
        f"| articles stored | {run.articles_stored} |",
        f"| unchanged | {run.articles_unchanged} |",
        f"| with wire credits | {run.with_wire} ({share}) |",
        f"| rejected | {run.rejected} ({reasons(tally.rejected)}) |",
        f"| failed | {run.fetch_failures} ({reasons(tally.failed)}) |",
        f"| seconds | {run.seconds} |",
        f"| warehouse | `{result.data_dir}` |",
    ]
    # Linked only when the run recorded a quality report page: no link rather than a dead one.
    report = getattr(run, "quality_report", None)
    if report:
        lines.append(f"| quality report | [{report}]({_as_link(report)}) |")
    if run.message:
        lines.append(f"| message | {run.message} |")
    return "\n".join(lines)


def _as_link(location: str) -> str:
    return location if "://" in location else "file://" + location


def publish_run_artifacts(result) -> None:
    """Create the run's artifacts in Prefect (a table by outlet, the totals as markdown)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    store = Warehouse(result.data_dir)
    rows = outlet_rows(store, result.run.run_id)
    create_table_artifact(table=rows or [{"outlet": "(none stored)", "articles": 0}], key=SUMMARY_KEY, description=f"Articles stored by run {result.run.run_id}, by outlet")
    create_markdown_artifact(markdown=totals_markdown(result), key=TOTALS_KEY, description=f"Totals of wiredesk run {result.run.run_id}")
