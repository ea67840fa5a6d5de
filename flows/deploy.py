"""Deployments of the ingest flow, and `wiredesk serve`: run them on their schedules from one process.

A deployment is data: a name, the flow's parameters and an optional cron schedule (UTC).
`wiredesk serve` turns them into Prefect runner deployments and serves them with
`prefect.serve` (one long-running process, no work pool).  A sources file gives one
deployment per source that carries a `schedule`, each ingesting only that source.  Users with a Prefect server or
Prefect Cloud can instead register the same flow with `prefect deploy` from prefect.yaml.
Schedules need a real API (`prefect server start` or Cloud): Prefect's temporary server
refuses to schedule ("Cannot schedule flows on an ephemeral server").
"""

from __future__ import annotations

import os
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


def deployments_from_sources_file(path: str, data_dir: str, wait_seconds: float, only: list[str] | None = None) -> list[DeploymentSpec]:
    """One deployment per scheduled source of a sources file: `ingest(sources_file=path, only=[name])` on its cron.

    Raises SourcesFileError (from the one reader of sources files) for a file that cannot be used.
    The path is stored absolute: the served process may run from anywhere.
    """
    from tasks.sources import read_sources_file

    sources_file = read_sources_file(path)
    absolute = os.path.abspath(sources_file.path)
    return [
        DeploymentSpec(
            name=spec.name,
            parameters={"sources_file": absolute, "only": [spec.name], "data_dir": data_dir, "wait_seconds": wait_seconds},
            cron=spec.schedule,
            description=f"wiredesk ingest --sources {absolute} --only {spec.name} ({spec.kind} {spec.location})",
        )
        for spec in sources_file.select(only)
        if spec.schedule
    ]


def duplicate_names(specs: list[DeploymentSpec]) -> list[str]:
    """Deployment names given more than once (Prefect would silently keep only the last)."""
    seen: set[str] = set()
    return sorted({s.name for s in specs if s.name in seen or seen.add(s.name)})


def deployment_specs(args) -> tuple[list[DeploymentSpec], str | None]:
    """The deployments `wiredesk serve` was asked for (SOURCE arguments and/or a sources file), or what is wrong."""
    from tasks.sources import SourcesFileError

    from warehouse.location import DataDir

    data_dir = DataDir.of(args.data_dir).url  # absolute: the served process may run from anywhere
    specs = [deployment_from_arguments(args.name, args.sources, data_dir, args.cron, args.wait)] if args.sources else []
    if args.sources_file:
        try:
            from_file = deployments_from_sources_file(args.sources_file, data_dir, args.wait, args.only)
        except SourcesFileError as exc:
            return [], str(exc)
        if not from_file:
            return [], f"{args.sources_file}: no {'selected ' if args.only else ''}source has a `schedule` (add schedule = \"CRON\" to a [[source]])"
        specs += from_file
    clash = duplicate_names(specs)
    if clash:
        return [], f"deployment name {clash[0]!r} is used twice (--name and a source of the sources file): pick another --name"
    return specs, None


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
