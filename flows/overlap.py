"""A run that finds another run writing to its data dir: skipped, said clearly, recorded, harmless.

Schedules overlap (a slow run still going when the next one is due, two deployments on one
data dir, a hand-started run during a scheduled one).  The later run must not wait forever,
must not look like an incident in Prefect's UI, and must not touch what the holder writes.
So it ends in Prefect's CANCELLED state named "Skipped" with the lock's message (the
holder's run id, pid and host), and leaves one record in `runs` with status `skipped`.

That record is the only thing written without the lock, and it is safe to: its file name is
the skipped run's own id, it is written under a temporary name and renamed into place, and
the DuckDB file (which the holder opens to refresh views) is not opened at all; the `runs`
view reads every file of the folder, so the record shows at the next query.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timezone

from prefect.states import Cancelled, State

from warehouse.schema import Run, to_arrow
from warehouse.store import Warehouse, WarehouseLocked

SKIPPED = "skipped"
STATE_NAME = "Skipped"


def skip_run(store: Warehouse, record: Run, locked: WarehouseLocked, clock: float, logger) -> State:
    """Record `record` as skipped because of `locked`; the flow returns the state this gives."""
    message = f"skipped: {locked}"
    record = replace(record, status=SKIPPED, finished_at=datetime.now(timezone.utc), seconds=round(time.perf_counter() - clock, 3), message=message)
    try:
        record_skip(store, record)
    except OSError as exc:  # the skip itself is in the flow run's state and log either way
        logger.warning("could not record the skipped run %s in %s: %s", record.run_id, store.root, exc)
    logger.warning("run %s %s", record.run_id, message)
    _publish(record, str(store.root))
    # Calling the flow raises `locked` (the state's data), so `wiredesk ingest` exits 3 as before.
    return Cancelled(name=STATE_NAME, message=f"run {record.run_id} {message}", data=locked)


def record_skip(store: Warehouse, record: Run) -> None:
    """Write the skipped run's record beside the others, without the lock (see the module's docstring)."""
    (store.root / "runs").mkdir(parents=True, exist_ok=True)
    for attempt in range(2):
        try:
            store.write("runs", to_arrow([record], Run), record.run_id)
            return
        except FileNotFoundError:
            # The holder's start-up sweep removes temporary files left by dead runs and can
            # catch ours between write and rename; the second try is after its sweep.
            if attempt:
                raise


def _publish(record: Run, data_dir: str) -> None:
    """The run's totals artifact says it was skipped and why (the outlet table would be empty)."""
    from flows.artifacts import TOTALS_KEY

    try:
        from prefect.artifacts import create_markdown_artifact

        markdown = f"### wiredesk run `{record.run_id}`: {record.status}\n\n{record.message}\n\nwarehouse: `{data_dir}`"
        create_markdown_artifact(markdown=markdown, key=TOTALS_KEY, description=f"Totals of wiredesk run {record.run_id}")
    except Exception:  # outside a flow run, or the API is away: the state and the runs record say it all
        pass
