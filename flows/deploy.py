"""Deployments of the ingest flow, and `wiredesk serve`: run them on their schedules from one process.

A deployment is data: a name, the flow's parameters and an optional cron schedule (UTC).
`wiredesk serve` turns them into Prefect runner deployments and serves them with
`prefect.serve` (one long-running process, no work pool).  Users with a Prefect server or
Prefect Cloud can instead register the same flow with `prefect deploy` from prefect.yaml.
Schedules need a real API (`prefect server start` or Cloud): Prefect's temporary server
refuses to schedule ("Cannot schedule flows on an ephemeral server").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FLOW_NAME = "wiredesk-ingest"


@dataclass(frozen=True)
class DeploymentSpec:
    """One deployment of the ingest flow: what it ingests, where to, and when."""

    name: str
    parameters: dict[str, Any] = field(default_factory=dict)
    cron: str | None = None  # UTC
    description: str | None = None


def deployment_from_arguments(name: str, sources: list[str], data_dir: str, cron: str | None, wait_seconds: float) -> DeploymentSpec:
    """A deployment for SOURCE arguments given on the command line."""
    parameters = {"sources": list(sources), "data_dir": data_dir, "wait_seconds": wait_seconds}
    return DeploymentSpec(name=name, parameters=parameters, cron=cron, description=f"wiredesk ingest {' '.join(sources)}")


def runner_deployments(specs: list[DeploymentSpec]):
    """Prefect runner deployments of the ingest flow, one per spec."""
    from flows.ingest import ingest

    return [
        ingest.to_deployment(
            name=spec.name,
            parameters=spec.parameters,
            cron=spec.cron,
            description=spec.description,
            # One run of a deployment at a time; the writer lock covers different deployments on one data dir.
            concurrency_limit=1,
            tags=["wiredesk"],
        )
        for spec in specs
    ]


def serve_deployments(specs: list[DeploymentSpec], limit: int | None = None) -> None:
    """Serve the deployments until interrupted (blocks)."""
    from prefect import serve

    serve(*runner_deployments(specs), limit=limit, print_starting_message=True)
