"""Parquet storage with DuckDB views on top.

Layout of a data directory::

    DIR/wiredesk.duckdb                  views only (see sql/views.sql); no table data
    DIR/<table>/_schema.parquet          zero rows, the declared schema: globs always match
    DIR/<table>/part-<run>-<batch>.parquet
    DIR/runs/<run_id>.parquet            one run record, replaced when the run ends

Files are written under a temporary name and renamed into place, so a reader never
sees half a file.  File names are deterministic, so re-writing a batch replaces it.
Articles and rejections are deduplicated against what is stored before writing
(cheap key anti-join), so re-running the same input adds nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.schema import TABLES, arrow_schema

DB_NAME = "wiredesk.duckdb"
LOCK_NAME = ".writer.lock"


class WarehouseLocked(RuntimeError):
    """Another process is writing to the same data directory."""


class Warehouse:
    """A data directory of Parquet tables and the DuckDB file that views them."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).expanduser().resolve()

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    # ---------------------------------------------------------------- setup

    def ensure(self) -> None:
        """Create the table directories, their schema files and the views (idempotent)."""
        migrate = (self.root / "articles").exists() and not (self.root / "article_supersessions").exists()
        for name, record_type in TABLES.items():
            folder = self.root / name
            folder.mkdir(parents=True, exist_ok=True)
            schema_file = folder / "_schema.parquet"
            schema = arrow_schema(record_type)
            if not schema_file.exists() or pq.read_schema(schema_file) != schema:
                self._write_atomic(schema.empty_table(), schema_file)
        if migrate:  # a warehouse from before article_supersessions: decide its latest versions once
            from warehouse.latest import backfill

            backfill(self)
        self.refresh_views()

    def refresh_views(self) -> None:
        """(Re)create the DuckDB views over the Parquet files."""
        sql = (Path(__file__).parent / "sql" / "views.sql").read_text(encoding="utf-8")
        sql = sql.replace("{root}", self.root.as_posix().replace("'", "''"))
        # Hold the DuckDB file only for this moment: a writer locks out every reader.
        with duckdb.connect(str(self.db_path)) as con:
            con.execute(sql)

    @contextlib.contextmanager
    def writer_lock(self, wait_seconds: float = 0.0, holder: str = "") -> Iterator[None]:
        """Serialise writers on this directory, waiting up to `wait_seconds` for the current one.

        An fcntl lock, not a lock file's existence: the OS frees it when the holding process
        dies (even by SIGKILL), so a crashed run never leaves a stale lock behind.  The holder
        writes who it is into the file, so the refused run can say whom it waited for.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK_NAME
        # O_RDWR without truncation: opening must not wipe the current holder's note.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        current = path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
                        waited = f" (waited {wait_seconds:g} s)" if wait_seconds else ""
                        raise WarehouseLocked(f"another wiredesk run is writing to {self.root}: {current}{waited}") from None
                    time.sleep(0.2)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{holder or 'pid ' + str(os.getpid())}\n".encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def recover_interrupted_runs(self, found_by: str) -> list[str]:
        """Mark runs left `running` by a killed process as `interrupted`; drop their half-written files.

        Call only while holding the writer lock: then no other run is alive on this
        directory, so any `running` record and any temporary file belongs to a dead process.
        Batches such a run stored completely stay: each was checked and written atomically.
        """
        for tmp in [*self.root.glob("*/.*.tmp"), *self.root.glob("raw/*/.*.tmp")]:  # raw/: the WARC archive
            tmp.unlink(missing_ok=True)
        files = sorted((self.root / "runs").glob("*.parquet"))
        stale = [f for f in files if f.name != "_schema.parquet" and pq.read_table(f).column("status").to_pylist() == ["running"]]
        for f in stale:
            table = pq.read_table(f)
            row = table.to_pylist()[0]
            row.update(status="interrupted", message=f"interrupted: its process ended before the run finished (found by run {found_by})")
            self._write_atomic(pa.Table.from_pylist([row], schema=table.schema), f)
        return [f.stem for f in stale]

    # ---------------------------------------------------------------- writes

    def write(self, table: str, data: pa.Table, part: str) -> Path | None:
        """Write one part of a table atomically; an empty table writes nothing."""
        if data.num_rows == 0:
            return None
        expected = arrow_schema(TABLES[table])
        if not data.schema.equals(expected, check_metadata=False):
            raise ValueError(f"{table}: batch schema differs from the declared one:\n{data.schema}\n---\n{expected}")
        if table == "articles":
            # First what the new versions replace, then the versions: a crash in between
            # hides an old version until the re-run writes the new one, never shows two.
            from warehouse.latest import superseded_versions

            self.write("article_supersessions", superseded_versions(self, data), part)
        path = self.root / table / f"{part}.parquet"
        self._write_atomic(data, path)
        return path

    def new_rows(self, table: str, data: pa.Table, keys: tuple[str, ...]) -> pa.Table:
        """Rows of `data` whose key is not stored in `table` yet, first occurrence of each key."""
        if data.num_rows == 0:
            return data
        con = duckdb.connect()
        try:
            con.register("batch", data)
            key_list = ", ".join(keys)
            on = " AND ".join(f"s.{k} IS NOT DISTINCT FROM b.{k}" for k in keys)
            stored = f"read_parquet('{self._glob(table)}', union_by_name = true)"
            # Keep the batch's own order; drop in-batch repeats and keys already stored.
            result = con.sql(
                f"""
                SELECT b.* EXCLUDE (__pos) FROM (
                    SELECT *, row_number() OVER () AS __pos FROM batch
                ) AS b
                ANTI JOIN (SELECT DISTINCT {key_list} FROM {stored}) AS s ON {on}
                QUALIFY row_number() OVER (PARTITION BY {", ".join("b." + k for k in keys)} ORDER BY __pos) = 1
                ORDER BY __pos
                """
            ).to_arrow_table()
        finally:
            con.close()
        return result.cast(data.schema)

    def glob(self, table: str) -> str:
        """The table's Parquet files as a DuckDB glob literal (quotes escaped)."""
        return self._glob(table)

    def _glob(self, table: str) -> str:
        return (self.root / table / "*.parquet").as_posix().replace("'", "''")

    @staticmethod
    def _write_atomic(data: pa.Table, path: Path) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        pq.write_table(data, tmp, compression="zstd")
        os.replace(tmp, path)

    # ---------------------------------------------------------------- reads

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """Open the DuckDB file (read-only by default); raises FileNotFoundError if there is none."""
        if not self.db_path.exists():
            raise FileNotFoundError(f"no wiredesk warehouse at {self.root} (run `wiredesk ingest` first)")
        return duckdb.connect(str(self.db_path), read_only=read_only)

    def query(self, sql: str, params: list | None = None) -> pa.Table:
        """Run SQL read-only against the views and return an Arrow table."""
        with self.connect(read_only=True) as con:
            return con.sql(sql, params=params).to_arrow_table()
