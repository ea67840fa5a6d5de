"""Discover what to fetch: turn SOURCE arguments into page requests.

A SOURCE is an http(s) URL (an article or an RSS/Atom feed: that is only known once
it is fetched), a local .html/.htm/.txt file (optionally .gz), a directory (walked
recursively) or a WARC file.  Discovery never raises: a source it cannot read
becomes a request carrying the reason, which the fetch stage records as a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from warehouse.schema import PageRequest

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt",)
WARC_SUFFIXES = (".warc", ".warc.gz")


def discover_source(source: str) -> list[PageRequest]:
    """Expand one SOURCE argument into page requests (never raises)."""
    if source.startswith(("http://", "https://")):
        return [PageRequest(source=source, kind="url", location=source, url=source)]
    path = Path(source).expanduser()
    if path.is_dir():
        return list(_walk(source, path))
    if not path.exists():
        return [_unreadable(source, path, "not_found", "no such file or directory")]
    return list(_file_requests(source, path))


def _walk(source: str, root: Path) -> Iterator[PageRequest]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield from _file_requests(source, Path(dirpath) / name)


def _file_requests(source: str, path: Path) -> Iterator[PageRequest]:
    path = path.resolve()
    name = path.name.lower()
    bare = name[:-3] if name.endswith(".gz") else name
    if name.endswith(WARC_SUFFIXES):
        yield from warc_requests(source, path)
    elif bare.endswith(HTML_SUFFIXES):
        yield PageRequest(source=source, kind="html_file", location=str(path), url=path.as_uri())
    elif bare.endswith(TEXT_SUFFIXES):
        yield PageRequest(source=source, kind="text_file", location=str(path), url=path.as_uri())
    else:
        yield _unreadable(source, path, "unsupported_source", "not an .html, .htm, .txt or WARC file")


def warc_requests(source: str, path: Path) -> Iterator[PageRequest]:
    """One request per HTTP response record of a WARC file, located by byte offset."""
    seen = responses = 0
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                seen += 1
                if record.rec_type != "response":
                    continue
                if not (record.http_headers and record.http_headers.protocol.upper().startswith("HTTP")):
                    continue
                responses += 1
                yield PageRequest(
                    source=source,
                    kind="warc_record",
                    location=str(path),
                    offset=records.get_record_offset(),
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                )
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        # Records already yielded stay valid; the unreadable rest is recorded once.
        yield _unreadable(source, path, "unreadable_source", f"WARC file could not be read: {exc}")
        return
    if not seen:
        yield _unreadable(source, path, "unreadable_source", "no WARC records found (not a WARC file?)")
    elif not responses:
        yield _unreadable(source, path, "unreadable_source", f"{seen} records but no HTTP response record (not a WARC of web pages?)")


def _unreadable(source: str, path: Path, error_class: str, detail: str) -> PageRequest:
    return PageRequest(
        source=source,
        kind="invalid",
        location=str(path),
        url=path.absolute().as_uri(),
        error_class=error_class,
        error=f"{path}: {detail}",
    )


def discover_all(sources: Iterable[str]) -> list[PageRequest]:
    """Expand every SOURCE, in order."""
    return [request for source in sources for request in discover_source(source)]
