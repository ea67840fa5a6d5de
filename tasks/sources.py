"""Discover what to fetch: turn SOURCE arguments and sources files into page requests.

A SOURCE is an http(s) URL (an article or an RSS/Atom feed: that is only known once
it is fetched), a local .html/.htm/.txt file (optionally .gz), a directory (walked
recursively) or a WARC file.  Discovery never raises: a source it cannot read
becomes a request carrying the reason, which the fetch stage records as a failure.

A sources file (``sources.toml``, see README "Sources files") names sources once, each
with an outlet, language, limit and schedule; `load_sources_file` reads and checks it
(errors name the file, the source and the key) and `discover_spec` expands one entry.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

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


# ---------------------------------------------------------------- sources files

# Keys naming where a source lives: exactly one per [[source]].  Values are URLs for the
# first four, a list of URLs for `urls`, paths (relative to the sources file) for the rest.
URL_KINDS = ("feed", "sitemap", "site", "url")
PATH_KINDS = ("url_file", "folder", "warc")
SPEC_KINDS = URL_KINDS + ("urls",) + PATH_KINDS
OPTIONAL_KEYS = ("outlet", "language", "limit", "schedule")
# [fetch] keys and the HttpSettings field each one sets, with its type.
FETCH_KEYS: dict[str, type | tuple[type, ...]] = {
    "user_agent": str,
    "per_host": int,
    "delay_seconds": (int, float),
    "concurrency": int,
    "connect_timeout": (int, float),
    "read_timeout": (int, float),
    "total_timeout": (int, float),
    "max_bytes": int,
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class SourcesFileError(ValueError):
    """A sources file that cannot be used; the message names the file, the source and the key."""


@dataclass(frozen=True)
class SourceSpec:
    """One [[source]] of a sources file."""

    name: str
    kind: str  # one of SPEC_KINDS
    locations: tuple[str, ...]  # URLs, or absolute paths for PATH_KINDS
    outlet: str | None = None
    language: str | None = None
    limit: int | None = None
    schedule: str | None = None  # cron, UTC
    file: str | None = None  # the sources file it was read from

    @property
    def location(self) -> str:
        return self.locations[0]


@dataclass(frozen=True)
class SourcesFile:
    """A whole sources file: its sources and its [fetch] defaults (HttpSettings field -> value)."""

    path: str
    sources: tuple[SourceSpec, ...]
    fetch: dict[str, Any] = field(default_factory=dict)

    def select(self, only: Iterable[str] | None) -> list[SourceSpec]:
        """The sources named in `only` (all when None or empty), in file order."""
        wanted = list(only or [])
        known = {s.name for s in self.sources}
        unknown = [n for n in wanted if n not in known]
        if unknown:
            raise SourcesFileError(f"{self.path}: no source named {', '.join(map(repr, unknown))} (sources: {', '.join(sorted(known))})")
        return [s for s in self.sources if not wanted or s.name in wanted]


def read_sources_file(path: str | os.PathLike[str]) -> SourcesFile:
    """Read and check a sources file; raises SourcesFileError saying what is wrong and where."""
    path = Path(path).expanduser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"fetch", "source"})
    if unknown:
        raise SourcesFileError(f"{path}: unknown top-level key {unknown[0]!r} (expected [fetch] and [[source]] tables)")
    fetch = _fetch_defaults(path, data.get("fetch", {}))
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourcesFileError(f"{path}: 'source' must be an array of tables ([[source]])")
    if not entries:
        raise SourcesFileError(f"{path}: no [[source]] entries")
    specs, names = [], set()
    for number, entry in enumerate(entries, 1):
        spec = _spec(path, number, entry)
        if spec.name in names:
            raise SourcesFileError(f"{path}: source {spec.name!r}: name used twice (names must be unique in the file)")
        names.add(spec.name)
        specs.append(spec)
    return SourcesFile(path=str(path), sources=tuple(specs), fetch=fetch)


def load_sources_file(path: str | os.PathLike[str]) -> list[SourceSpec]:
    """The sources of a sources file, checked (raises SourcesFileError)."""
    return list(read_sources_file(path).sources)


def _fetch_defaults(path: Path, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise SourcesFileError(f"{path}: [fetch] must be a table")
    out = {}
    for key, value in table.items():
        if key not in FETCH_KEYS:
            raise SourcesFileError(f"{path}: [fetch]: unknown key {key!r} (known: {', '.join(FETCH_KEYS)})")
        expected = FETCH_KEYS[key]
        if isinstance(value, bool) or not isinstance(value, expected):
            raise SourcesFileError(f"{path}: [fetch]: {key} must be {_type_name(expected)}, not {value!r}")
        if expected is str and not value.strip():
            raise SourcesFileError(f"{path}: [fetch]: {key} must not be empty")
        if expected is not str and value < (0 if key == "delay_seconds" else 1):
            raise SourcesFileError(f"{path}: [fetch]: {key} must be {'>= 0' if key == 'delay_seconds' else '>= 1'}, not {value!r}")
        out[key] = float(value) if isinstance(expected, tuple) else value
    return out


def _type_name(expected: type | tuple[type, ...]) -> str:
    return {str: "a string", int: "an integer"}.get(expected, "a number")  # type: ignore[arg-type]


def _spec(path: Path, number: int, entry: dict[str, Any]) -> SourceSpec:
    name = entry.get("name")
    where = f"{path}: source {name!r}" if isinstance(name, str) and name else f"{path}: source #{number}"
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourcesFileError(f"{where}: 'name' is required: letters, digits, '_', '-' or '.', not {name!r}")
    unknown = sorted(set(entry) - {"name", *SPEC_KINDS, *OPTIONAL_KEYS})
    if unknown:
        raise SourcesFileError(f"{where}: unknown key {unknown[0]!r} (known: name, {', '.join(SPEC_KINDS + OPTIONAL_KEYS)})")
    kinds = [k for k in SPEC_KINDS if k in entry]
    if len(kinds) != 1:
        found = f"found {', '.join(kinds)}" if kinds else "found none"
        raise SourcesFileError(f"{where}: needs exactly one of {', '.join(SPEC_KINDS)} ({found})")
    kind = kinds[0]
    value = entry[kind]
    if kind == "urls":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise SourcesFileError(f"{where}: 'urls' must be a non-empty list of URLs")
        locations = tuple(value)
    elif not isinstance(value, str) or not value.strip():
        raise SourcesFileError(f"{where}: {kind!r} must be a string")
    else:
        locations = (value.strip(),)
    if kind in PATH_KINDS:
        # Relative paths mean relative to the sources file, wherever wiredesk runs from.
        locations = tuple(str((path.parent / Path(v).expanduser()).resolve()) for v in locations)
    else:
        for url in locations:
            if not url.startswith(("http://", "https://")) or len(url) < 11:
                raise SourcesFileError(f"{where}: {kind!r}: {url!r} is not an http(s) URL")
    outlet, language, limit, schedule = (entry.get(k) for k in OPTIONAL_KEYS)
    if outlet is not None and (not isinstance(outlet, str) or not outlet.strip()):
        raise SourcesFileError(f"{where}: 'outlet' must be a non-empty string")
    if language is not None and (not isinstance(language, str) or not _LANGUAGE.match(language)):
        raise SourcesFileError(f"{where}: 'language' must be an ISO 639 code such as 'en' or 'pt-BR', not {language!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise SourcesFileError(f"{where}: 'limit' must be a whole number >= 1, not {limit!r}")
    if schedule is not None:
        problem = cron_problem(schedule)
        if problem:
            raise SourcesFileError(f"{where}: 'schedule' {schedule!r} is not a cron expression: {problem}")
    return SourceSpec(
        name=name,
        kind=kind,
        locations=locations,
        outlet=outlet.strip() if outlet else None,
        language=language.split("-")[0].lower() if language else None,
        limit=limit,
        schedule=schedule,
        file=str(path),
    )


_CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$|^[A-Za-z]{3}(-[A-Za-z]{3})?$")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def cron_problem(expression: Any) -> str | None:
    """Why a five-field cron expression (minute hour day month weekday) is invalid, or None."""
    if not isinstance(expression, str):
        return "must be a string"
    fields = expression.split()
    if len(fields) != 5:
        return f"needs 5 fields (minute hour day month weekday), found {len(fields)}"
    for text, (low, high), label in zip(fields, _CRON_RANGES, ("minute", "hour", "day", "month", "weekday")):
        if not _CRON_FIELD.match(text):
            return f"bad {label} field {text!r}"
        for number in re.findall(r"(?<![/\d])\d+", text):
            if not low <= int(number) <= high:
                return f"{label} {number} out of range {low}-{high}"
    return None


def discover_spec(spec: SourceSpec) -> list[PageRequest]:
    """Expand one source of a sources file into page requests (never raises); source = spec.name."""
    hints = dict(hint_outlet=spec.outlet, hint_language=spec.language)
    if spec.kind in URL_KINDS or spec.kind == "urls":
        # Feeds, sitemaps and sites are expanded by their kinds once fetched (tasks/feeds.py:
        # expand_page); their `limit` caps the article URLs they yield across the run.
        kind = {"feed": "feed", "sitemap": "sitemap", "site": "site"}.get(spec.kind, "url")
        limit = spec.limit if spec.kind in ("feed", "sitemap", "site") else None
        requests = [PageRequest(source=spec.name, kind=kind, location=u, url=u, limit=limit, **hints) for u in spec.locations]
    elif spec.kind == "url_file":
        requests = _url_file_requests(spec, hints)
    else:
        requests = [replace(r, source=spec.name, **hints) for location in spec.locations for r in discover_source(location)]
    if spec.limit is not None and spec.kind not in ("feed", "sitemap", "site"):
        requests = requests[: spec.limit]
    return requests


def _url_file_requests(spec: SourceSpec, hints: dict[str, Any]) -> list[PageRequest]:
    """One request per URL line of a text file (blank lines and # comments skipped)."""
    path = Path(spec.location)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        error_class = "not_found" if isinstance(exc, FileNotFoundError) else "unreadable_source"
        return [replace(_unreadable(spec.name, path, error_class, f"URL file cannot be read: {exc}"), **hints)]
    requests = []
    for number, line in enumerate(lines, 1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if url.startswith(("http://", "https://")):
            requests.append(PageRequest(source=spec.name, kind="url", location=url, url=url, **hints))
        else:
            bad = PageRequest(source=spec.name, kind="invalid", location=f"{path}:{number}", url=url, error_class="invalid_url", error=f"{path}:{number}: {url[:200]!r} is not an http(s) URL")
            requests.append(replace(bad, **hints))
    return requests


def discover_specs(specs: Iterable[SourceSpec]) -> list[PageRequest]:
    """Expand every source of a sources file, in file order."""
    return [request for spec in specs for request in discover_spec(spec)]
