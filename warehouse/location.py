"""Where a data dir lives: a local directory or any fsspec URL (``s3://bucket/wiredesk``, ``gcs://...``).

The Parquet tables (and anything else kept "in the data dir", such as the raw archive) go
through the data dir's fsspec filesystem: build every such location with `DataDir.path`, so
code written for a local directory follows a URL without change.  DuckDB reads the same
files through `register_filesystem` (its httpfs extension cannot be installed offline here,
and the fsspec filesystem already carries the user's credentials and endpoint).

Two things stay on the local disk whatever the URL: the ``wiredesk.duckdb`` catalog (views
only, no data: a DuckDB file cannot live in an object store) and the writer lock (fcntl
needs a local file).  For a local data dir both sit inside it, as before; for a URL they
sit in ``$WIREDESK_CATALOG_DIR`` or ``~/.cache/wiredesk/<protocol>/<bucket>/<path>``.
The lock therefore serialises the runs of one machine: point one machine's runs at a URL.

Object stores have no rename, so `write_bytes` replaces the local write-then-rename with a
single upload, which object stores make visible whole or not at all.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

CATALOG_ENV = "WIREDESK_CATALOG_DIR"
OPTIONS_ENV = "WIREDESK_STORAGE_OPTIONS"  # JSON: fsspec storage options, e.g. {"endpoint_url": "http://127.0.0.1:9000"}
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_url(location: str | os.PathLike[str]) -> bool:
    """True for an fsspec URL other than file:// (which is a local directory)."""
    text = os.fspath(location)
    return bool(_URL.match(text)) and not text.lower().startswith("file://")


@dataclass(frozen=True)
class DataDir:
    """A data dir: its fsspec filesystem and root, plus the local directory for the catalog and the lock."""

    url: str  # as the user gave it, normalised: an absolute local path or protocol://path without a trailing /
    storage_options: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, location: "str | os.PathLike[str] | DataDir", **storage_options: Any) -> "DataDir":
        if isinstance(location, DataDir):
            return location
        text = os.fspath(location)
        if text.lower().startswith("file://"):
            text = text[len("file://") :]
        if is_url(text):
            options = {**json.loads(os.environ.get(OPTIONS_ENV) or "{}"), **storage_options}
            return cls(text.rstrip("/"), tuple(sorted(options.items())))
        return cls(str(Path(text).expanduser().resolve()))

    @property
    def local(self) -> bool:
        return not is_url(self.url)

    @property
    def protocol(self) -> str:
        return self.url.split("://", 1)[0].lower() if not self.local else "file"

    @cached_property
    def fs(self):
        """The fsspec filesystem holding the Parquet tables."""
        import fsspec

        return fsspec.filesystem(self.protocol, **dict(self.storage_options))

    @property
    def root(self) -> str:
        """The data dir's path inside its filesystem (no protocol)."""
        return self.url if self.local else self.url.split("://", 1)[1]

    def path(self, *parts: str) -> str:
        """A location in the data dir, as DuckDB and fsspec both read it (a path, or a URL for remote dirs)."""
        return "/".join([self.url, *parts])

    def fs_path(self, *parts: str) -> str:
        """A location in the data dir as its fsspec filesystem names it (no protocol)."""
        return "/".join([self.root, *parts])

    @property
    def catalog_dir(self) -> Path:
        """Local directory of the DuckDB catalog and the writer lock."""
        if self.local:
            return Path(self.url)
        configured = os.environ.get(CATALOG_ENV)
        base = Path(configured).expanduser() if configured else Path.home() / ".cache" / "wiredesk" / self.protocol
        return (base if configured else base / self.root).resolve()

    # ---------------------------------------------------------------- files

    def makedirs(self, *parts: str) -> None:
        if self.local:
            Path(self.path(*parts)).mkdir(parents=True, exist_ok=True)
        # Object stores have no directories: a prefix exists once a file is under it.

    def exists(self, *parts: str) -> bool:
        return self.fs.exists(self.fs_path(*parts))

    def glob(self, folder: str, pattern: str) -> list[str]:
        """Files of one folder of the data dir matching `pattern`, as `path()` locations, sorted."""
        found = self.fs.glob(self.fs_path(folder, pattern))
        names = sorted(p.rsplit("/", 1)[-1] for p in found)
        return [self.path(folder, n) for n in names]

    def remove(self, location: str) -> None:
        self.fs.rm_file(self._in_fs(location))

    def open(self, location: str, mode: str = "rb"):
        return self.fs.open(self._in_fs(location), mode)

    def _in_fs(self, location: str) -> str:
        return location if self.local else location.split("://", 1)[1]

    def register(self, con) -> Any:
        """Let a DuckDB connection read this data dir (a no-op for local dirs); returns the connection."""
        if not self.local:
            con.register_filesystem(self.fs)
        return con
