"""Parquet storage with DuckDB views on top.

Layout of a data directory::

    DIR/wiredesk.duckdb                  views only (see sql/views.sql); no table data
    DIR/<table>/_schema.parquet          zero rows, the declared schema: globs always match
    DIR/<table>/part-<run>-<batch>.parquet
    DIR/runs/<run_id>.parquet            one run record, replaced when the run ends

DIR may be any fsspec URL (warehouse/location.py): the tables go there, the catalog and the
writer lock stay in a local directory.

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

from warehouse.location import DataDir
from warehouse.schema import TABLES, arrow_schema

DB_NAME = "wiredesk.duckdb"
LOCK_NAME = ".writer.lock"


class WarehouseLocked(RuntimeError):
    """Another process is writing to the same data directory."""


class Warehouse:
    """A data directory of Parquet tables and the DuckDB file that views them."""

    def __init__(self, root: "str | os.PathLike[str] | DataDir"):
        self.location = DataDir.of(root)
        # A Path for a local data dir (as callers have always used it), the URL for a remote one.
        self.root = Path(self.location.url) if self.location.local else self.location.url

    @property
    def db_path(self) -> Path:
        return self.location.catalog_dir / DB_NAME

    def path(self, *parts: str) -> str:
        """A location in the data dir (a local path or a URL): the one way to name a file kept in it."""
        return self.location.path(*parts)

    def scratch(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection that can read the data dir's files."""
        return self.location.register(duckdb.connect())

    # ---------------------------------------------------------------- setup

    def ensure(self) -> None:
        """Create the table directories, their schema files and the views (idempotent)."""
        where = self.location
        migrate = where.exists("articles") and not where.exists("article_supersessions")
        for name, record_type in TABLES.items():
            where.makedirs(name)
            schema = arrow_schema(record_type)
            if not where.exists(name, "_schema.parquet") or self._read_schema(self.path(name, "_schema.parquet")) != schema:
                self._write_atomic(schema.empty_table(), self.path(name, "_schema.parquet"))
        if migrate:  # a warehouse from before article_supersessions: decide its latest versions once
            from warehouse.latest import backfill

            backfill(self)
        self.refresh_views()

    def refresh_views(self) -> None:
        """(Re)create the DuckDB views over the Parquet files."""
        sql = (Path(__file__).parent / "sql" / "views.sql").read_text(encoding="utf-8")
        sql = sql.replace("{root}", self.location.url.replace("'", "''"))
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        # Hold the DuckDB file only for this moment: a writer locks out every reader.
        with duckdb.connect(str(self.db_path)) as con:
            self.location.register(con).execute(sql)

    @contextlib.contextmanager
    def writer_lock(self, wait_seconds: float = 0.0, holder: str = "") -> Iterator[None]:
        """Serialise writers on this directory, waiting up to `wait_seconds` for the current one.

        An fcntl lock, not a lock file's existence: the OS frees it when the holding process
        dies (even by SIGKILL), so a crashed run never leaves a stale lock behind.  The holder
        writes who it is into the file, so the refused run can say whom it waited for.
        """
        self.location.catalog_dir.mkdir(parents=True, exist_ok=True)
        path = self.location.catalog_dir / LOCK_NAME
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
        if self.location.local:  # remote files are single uploads: nothing half-written to find
            root = Path(self.location.url)
            for tmp in [*root.glob("*/.*.tmp"), *root.glob("raw/*/.*.tmp")]:  # raw/: the WARC archive
                tmp.unlink(missing_ok=True)
        files = [f for f in self.location.glob("runs", "*.parquet") if not f.endswith("/_schema.parquet")]
        stale = [f for f in files if self._read(f).column("status").to_pylist() == ["running"]]
        for f in stale:
            table = self._read(f)
            row = table.to_pylist()[0]
            row.update(status="interrupted", message=f"interrupted: its process ended before the run finished (found by run {found_by})")
            self._write_atomic(pa.Table.from_pylist([row], schema=table.schema), f)
        return [f.rsplit("/", 1)[-1].removesuffix(".parquet") for f in stale]

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
        path = self.path(table, f"{part}.parquet")
        self._write_atomic(data, path)
        return Path(path) if self.location.local else path

    def new_rows(self, table: str, data: pa.Table, keys: tuple[str, ...]) -> pa.Table:
        """Rows of `data` whose key is not stored in `table` yet, first occurrence of each key."""
        if data.num_rows == 0:
            return data
        con = self.scratch()
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
        return self.path(table, "*.parquet").replace("'", "''")

    def _write_atomic(self, data: pa.Table, location: str | Path) -> None:
        if not self.location.local:
            # Object stores have no rename; one upload is visible whole or not at all.
            with self.location.open(str(location), "wb") as stream:
                pq.write_table(data, stream, compression="zstd")
            return
        path = Path(location)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        pq.write_table(data, tmp, compression="zstd")
        os.replace(tmp, path)

    def _read(self, location: str) -> pa.Table:
        with self.location.open(location) as stream:
            return pq.read_table(stream)

    def _read_schema(self, location: str) -> pa.Schema:
        with self.location.open(location) as stream:
            return pq.read_schema(stream)

    # ---------------------------------------------------------------- reads

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """Open the DuckDB file (read-only by default); raises FileNotFoundError if there is none."""
        if not self.db_path.exists():
            raise FileNotFoundError(f"no wiredesk warehouse at {self.root} (run `wiredesk ingest` first)")
        return self.location.register(duckdb.connect(str(self.db_path), read_only=read_only))

    def query(self, sql: str, params: list | None = None) -> pa.Table:
        """Run SQL read-only against the views and return an Arrow table."""
        with self.connect(read_only=True) as con:
            return con.sql(sql, params=params).to_arrow_table()
