"""The contract: every record type wiredesk stores, with its Arrow schema.

Each stored record type is a frozen dataclass whose fields carry their Arrow type
and a description (``col(...)``).  The Arrow schema, the `wiredesk schema` output
and the DuckDB views are all derived from these declarations, so a column is
declared exactly once.  `tests/test_schema.py` keeps the derivations in sync.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STRINGS = pa.list_(pa.string())


def col(arrow_type: pa.DataType, doc: str, default: Any = None) -> Any:
    """Declare a stored column: its Arrow type and its description."""
    if isinstance(default, (list, dict)):
        raise TypeError("use a tuple for list defaults: records are immutable")
    return field(default=default, metadata={"arrow": arrow_type, "doc": doc})


def arrow_schema(record_type: type) -> pa.Schema:
    """The Arrow schema of a record type, with each column's description as field metadata."""
    fields = []
    for f in dataclasses.fields(record_type):
        if "arrow" not in f.metadata:
            continue
        fields.append(pa.field(f.name, f.metadata["arrow"], metadata={"description": f.metadata["doc"]}))
    return pa.schema(fields, metadata={"description": (record_type.__doc__ or "").strip()})


def to_arrow(records: Iterable[Any], record_type: type) -> pa.Table:
    """Turn records of one type into an Arrow table with that type's declared schema."""
    schema = arrow_schema(record_type)
    names = schema.names
    rows = [{n: _plain(getattr(r, n)) for n in names} for r in records]
    return pa.Table.from_pylist(rows, schema=schema)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# ---------------------------------------------------------------- in flight (not stored)


@dataclass(frozen=True)
class PageRequest:
    """Something to fetch: a URL, a local file or one record of a WARC file."""

    source: str  # the SOURCE argument it came from, as the user gave it
    kind: str  # one of SOURCE_KINDS
    location: str  # URL or absolute file path
    offset: int | None = None  # byte offset of the record, for WARC
    url: str | None = None  # URL the page stands for when location is not a URL (WARC target URI)
    hint_date: str | None = None  # publication date announced by a feed entry (ISO)
    hint_title: str | None = None  # title announced by a feed entry
    hint_outlet: str | None = None  # outlet named by the sources file, used when the page names none better
    hint_language: str | None = None  # language the sources file expects
    limit: int | None = None  # at most this many article URLs from this request's feed/sitemap/site
    depth: int = 0  # sitemap index levels above this sitemap (bounded by tasks.discovery.SITEMAP_DEPTH)
    etag: str | None = None  # validators of the URL's last successful fetch, sent as If-None-Match ...
    last_modified: str | None = None  # ... and If-Modified-Since (--refetch changed)
    error_class: str | None = None  # set when discovery already knows the source is unreadable
    error: str | None = None


# "invalid" marks a source discovery could not read; fetching records it as a failure.
SOURCE_KINDS = ("url", "feed", "feed_entry", "sitemap", "sitemap_entry", "site", "html_file", "text_file", "warc_record", "invalid")


# ---------------------------------------------------------------- stored records


@dataclass(frozen=True)
class Fetch:
    """One attempt to obtain a page: an HTTP fetch, a local file read or a WARC record read."""

    run_id: str = col(pa.string(), "Run that made this fetch (joins runs.run_id).")
    source: str = col(pa.string(), "The SOURCE argument this page came from, as given on the command line, or the name of its [[source]] in a sources file.")
    kind: str = col(pa.string(), "How the page was obtained: url, feed, feed_entry, sitemap, sitemap_entry, site, html_file, text_file or warc_record.")
    url: str = col(pa.string(), "URL requested; file:// URI for local files; WARC-Target-URI for WARC records.")
    final_url: str | None = col(pa.string(), "URL after redirects (equal to url when there were none).")
    status: int | None = col(pa.int32(), "HTTP status code of the final response; null for local files and failed connections.")
    content_type: str | None = col(pa.string(), "Media type of the body (Content-Type without parameters).")
    charset: str | None = col(pa.string(), "Charset declared by the Content-Type header, if any.")
    n_bytes: int | None = col(pa.int64(), "Size of the body in bytes as received (after transfer decoding).")
    elapsed_ms: float | None = col(pa.float64(), "Wall time of the fetch in milliseconds, retries included.")
    attempts: int = col(pa.int32(), "Number of attempts made (1 unless the retry policy retried).", 1)
    fetched_at: datetime | None = col(TS, "When the page was fetched (WARC-Date for archived records).")
    ok: bool = col(pa.bool_(), "True when a body usable for extraction was obtained.", False)
    error_class: str | None = col(pa.string(), "Why the fetch failed, one of fetch.ERROR_CLASSES; null on success.")
    error: str | None = col(pa.string(), "Human-readable detail of the failure; null on success.")
    etag: str | None = col(pa.string(), "ETag header of the response, sent back as If-None-Match when the URL is fetched again (--refetch changed).")
    last_modified: str | None = col(pa.string(), "Last-Modified header of the response, sent back as If-Modified-Since when the URL is fetched again (--refetch changed).")


@dataclass(frozen=True)
class Page:
    """A fetched page travelling from fetch to extraction: the fetch record plus its body."""

    fetch: Fetch
    body: bytes | None = None
    request: PageRequest | None = None
    # HTTP response headers as received (name, value), for the raw archive; None when no HTTP response came back.
    headers: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class Credit:
    """One piece of provenance evidence: an agency credit, a citation, or a republication notice."""

    article_id: str = col(pa.string(), "Article the evidence belongs to (joins articles.article_id).")
    content_hash: str = col(pa.string(), "Version of the article the evidence was found in (joins articles.content_hash).")
    agency: str | None = col(pa.string(), "Canonical agency name from the registry (tasks/agencies.toml); null for republication and license evidence.")
    role: str = col(pa.string(), "Credits (in wire_services): byline, dateline, credit_line, metadata, copyright, self; evidence only: photo (a picture credit), citation (the agency quoted as a source), republication, license.")
    evidence: str = col(pa.string(), "The exact text the value was read from.")
    location: str = col(pa.string(), "Where the evidence was found: text (main text), html (other page elements: bylines, captions, notices), meta, jsonld or url.")
    run_id: str = col(pa.string(), "Run that extracted this evidence.")


@dataclass(frozen=True)
class Article:
    """One version of an article: its text, metadata and provenance."""

    article_id: str = col(pa.string(), "Stable key: first 16 hex digits of SHA-1 of the canonical URL.")
    url: str = col(pa.string(), "URL the page was fetched from (file:// URI for local files).")
    canonical_url: str = col(pa.string(), "Normalised same-site canonical URL (rel=canonical, og:url), else the normalised url.")
    domain: str | None = col(pa.string(), "Host of the canonical URL without a leading www.; null for local files.")
    outlet: str | None = col(pa.string(), "Proper name of the publication (og:site_name, JSON-LD publisher, outlet registry, domain brand as last resort).")
    outlet_source: str | None = col(pa.string(), "Which signal gave the outlet: registry, jsonld, meta, title, copyright, trafilatura, home_link (the page's link to its home page), domain or sources_file (the outlet named in the sources file).")
    title: str | None = col(pa.string(), "Headline of the article (first line of a plain-text article).")
    authors: tuple[str, ...] = col(STRINGS, "Persons credited as authors; agency names are moved to wire_services.", ())
    published_at: datetime | None = col(TS, "Publication time, time-zone aware, when the page states a time with an offset; else null.")
    published_date: date | None = col(pa.date32(), "Publication date (day granularity) when known.")
    date_source: str | None = col(pa.string(), "Which signal gave published_date: jsonld, meta, htmldate (its search of the page's markup, text and URL), feed, line (the date written under the headline), itemprop (a microdata datePublished element), local (a structured UTC timestamp on the outlet's local day), time (a <time datetime> element) or text.")
    date_granularity: str | None = col(pa.string(), "Precision the page gives for the publication: day, minute or second (minute/second only with published_at); null without a date.")
    language: str | None = col(pa.string(), "ISO 639-1 code of the text's language.")
    text: str | None = col(pa.string(), "Main text as extracted by trafilatura (paragraphs separated by newlines).")
    word_count: int = col(pa.int32(), "Number of whitespace-separated words in text.", 0)
    wire_services: tuple[str, ...] = col(STRINGS, "Canonical names of the agencies the story is credited to (see article_credits).", ())
    original_outlet: str | None = col(pa.string(), "Outlet that first published the story, from a republication notice or cross-site canonical.")
    original_url: str | None = col(pa.string(), "URL of the original publication when the page gives it.")
    original_published_date: date | None = col(pa.date32(), "Date of the original publication, from the republication notice.")
    license: str | None = col(pa.string(), "Licence the story is published under, e.g. 'CC BY-ND 4.0' (rel=license link, JSON-LD license, a republication notice); evidence in article_credits (role license).")
    fetched_at: datetime | None = col(TS, "When the page was fetched.")
    run_id: str = col(pa.string(), "Run that produced this version (joins runs.run_id).")
    source: str = col(pa.string(), "The SOURCE argument this page came from.")
    content_hash: str = col(pa.string(), "SHA-256 (hex, 32 digits) of title and text: a new value means a new version.")
    error: str | None = col(pa.string(), "Why the page yielded no usable article (e.g. no_text, not_html); null when fine.")


@dataclass(frozen=True)
class DateCandidate:
    """One date signal of a stored article version: every candidate, the chosen one and the ones passed over."""

    article_id: str = col(pa.string(), "Article the candidate belongs to (joins articles.article_id).")
    content_hash: str = col(pa.string(), "Version of the article it was read from (joins articles.content_hash).")
    signal: str = col(pa.string(), "Where the value came from: jsonld, meta, htmldate, feed (the feed or sitemap entry), line (the first date in the short texts under the page's headline), itemprop (the first microdata datePublished element's content/datetime), local (the first JSON-LD/meta UTC timestamp converted to the outlet's time zone, when that is another day), time (the page's first <time datetime>: to corroborate the others, chosen only as the page's one date markup) or text.")
    kind: str = col(pa.string(), "published (a publication date) or modified (an update date, kept to check the others).")
    raw_value: str = col(pa.string(), "The value exactly as the page or feed gives it.")
    parsed_date: date | None = col(pa.date32(), "Day of the value as written (in the page's own time zone); null when it could not be read.")
    parsed_at: datetime | None = col(TS, "The instant, when the value has a time with a UTC offset; else null.")
    granularity: str | None = col(pa.string(), "Precision of the value: day, minute or second; null when unreadable.")
    chosen: bool = col(pa.bool_(), "True for the candidate that gave articles.published_date (one per version at most).", False)
    flags: tuple[str, ...] = col(STRINGS, "Why the value is implausible: unparsed, before_1990, in_future (after the fetch), modified_before_published.", ())
    run_id: str = col(pa.string(), "Run that extracted it.")


@dataclass(frozen=True)
class Supersession:
    """A stored article version that a later version replaced: the `articles` view leaves it out (see warehouse/latest.py)."""

    article_id: str = col(pa.string(), "Article whose version was replaced (joins article_versions.article_id).")
    content_hash: str = col(pa.string(), "The replaced version (joins article_versions.content_hash).")
    latest_hash: str = col(pa.string(), "content_hash of the version that was the latest when the replacement was recorded.")
    run_id: str | None = col(pa.string(), "Run that wrote the newer version and recorded the replacement.")


@dataclass(frozen=True)
class Rejection:
    """An article version the quality gate refused, with every failed expectation."""

    article_id: str | None = col(pa.string(), "Key of the refused article (may be null when that is the defect).")
    url: str | None = col(pa.string(), "URL the page was fetched from.")
    content_hash: str | None = col(pa.string(), "Version of the refused article.")
    run_id: str = col(pa.string(), "Run whose gate refused it.")
    reasons: tuple[str, ...] = col(STRINGS, "Failed expectations as 'expectation(column)'.", ())
    offending_values: tuple[str, ...] = col(STRINGS, "The value each failed expectation saw, as 'column=value', in the order of reasons.", ())
    error: str | None = col(pa.string(), "Extraction error carried by the article, if any.")
    title: str | None = col(pa.string(), "Headline of the refused article, if one was extracted.")
    outlet: str | None = col(pa.string(), "Outlet, if one was resolved.")
    published_date: date | None = col(pa.date32(), "Publication date, if one was found.")
    wire_services: tuple[str, ...] = col(STRINGS, "Agency names found, as extracted.", ())
    word_count: int = col(pa.int32(), "Words in the extracted text.", 0)
    source: str | None = col(pa.string(), "The SOURCE argument this page came from.")
    rejected_at: datetime | None = col(TS, "When the gate refused it.")


@dataclass(frozen=True)
class Duplicate:
    """A page not stored because another page of its batch is the same article (same canonical URL)."""

    article_id: str = col(pa.string(), "Key both pages share (the article kept is in articles).")
    url: str | None = col(pa.string(), "URL of the page set aside.")
    canonical_url: str | None = col(pa.string(), "Canonical URL the pages share.")
    kept_url: str | None = col(pa.string(), "URL of the page that was kept instead.")
    content_hash: str | None = col(pa.string(), "Version of the page set aside (equal to the kept one's when the content is the same).")
    reason: str = col(pa.string(), "Why this page and not the other was set aside.")
    run_id: str = col(pa.string(), "Run that found the duplicate.")
    source: str | None = col(pa.string(), "The SOURCE argument the page set aside came from.")
    found_at: datetime | None = col(TS, "When the duplicate was found.")


@dataclass(frozen=True)
class QualityResult:
    """The verdict of one expectation on one validated batch."""

    run_id: str | None = col(pa.string(), "Run whose data was validated (null when `wiredesk check` validated all stored articles).")
    batch: int = col(pa.int32(), "Batch number within the run (chunk number for `wiredesk check`).")
    suite: str = col(pa.string(), "Expectation suite name (named after the table it guards).")
    expectation: str = col(pa.string(), "Expectation type, e.g. expect_column_values_to_not_be_null.")
    column_name: str | None = col(pa.string(), "Column checked, if the expectation is about one column.")
    level: str = col(pa.string(), "row: failing rows are rejected; batch: a verdict on the batch as a whole.")
    success: bool = col(pa.bool_(), "Whether the expectation held.")
    element_count: int | None = col(pa.int64(), "Rows checked.")
    unexpected_count: int | None = col(pa.int64(), "Rows that broke the expectation.")
    unexpected_percent: float | None = col(pa.float64(), "Share of checked rows that broke it, in percent.")
    observed_value: str | None = col(pa.string(), "Observed value for aggregate expectations, as JSON.")
    examples: tuple[str, ...] = col(STRINGS, "Up to five offending values (for per-host and drift checks: the host and its rates).", ())
    validated_at: datetime | None = col(TS, "When the validation ran.")
    check_id: str | None = col(pa.string(), "Id of the `wiredesk check` that gave this verdict; null for the gate of an ingest run.")


@dataclass(frozen=True)
class Run:
    """One ingest run: what it was asked, what it did, how it ended."""

    run_id: str = col(pa.string(), "Identifier of the run (UTC start time plus a random suffix).")
    flow_run_id: str | None = col(pa.string(), "Prefect flow run id, when run under Prefect.")
    started_at: datetime | None = col(TS, "When the run started.")
    finished_at: datetime | None = col(TS, "When the run finished.")
    status: str = col(pa.string(), "running, completed, completed_with_warnings (drift reported), failed (an error, or a batch-level check failed), interrupted (its process died; marked by the next run), or skipped (another run was writing to the data dir; message names it).")
    sources: tuple[str, ...] = col(STRINGS, "SOURCE arguments as given.", ())
    pages_seen: int = col(pa.int64(), "Pages (files, records, URLs, feed entries) the run tried to obtain.", 0)
    fetch_failures: int = col(pa.int64(), "Pages that could not be obtained (see fetches.error_class).", 0)
    articles_stored: int = col(pa.int64(), "New article versions written to articles.", 0)
    articles_unchanged: int = col(pa.int64(), "Articles not written again: same content already stored, or repeated within the run.", 0)
    rejected: int = col(pa.int64(), "Article versions refused by the quality gate (see rejected_articles).", 0)
    with_wire: int = col(pa.int64(), "Stored articles with at least one wire credit.", 0)
    seconds: float | None = col(pa.float64(), "Wall time of the run in seconds.")
    wiredesk_version: str | None = col(pa.string(), "wiredesk version that ran.")
    message: str | None = col(pa.string(), "Error message when the run failed.")
    quality_report: str | None = col(pa.string(), "Path of the run's Great Expectations Data Docs page (under <data_dir>/quality_docs/).")
    batch_failures: int = col(pa.int64(), "Batch-level expectations that failed (see quality_results); the run is failed when above 0.", 0)
    drift_alerts: int = col(pa.int64(), "Per-outlet null-rate jumps reported as drift (see quality_results, level drift).", 0)
    duplicates: int = col(pa.int64(), "Pages set aside because another page of their batch had the same canonical URL (see duplicate_articles).", 0)
    skipped: int = col(pa.int64(), "Discovered URLs not fetched: repeated in the run, stored by an earlier run, or failed for good (see skipped_urls).", 0)
    reprocessed_run: str | None = col(pa.string(), "For a `wiredesk reprocess` run: the run whose archived responses it rebuilt ('latest' for the latest archived response of every URL); null for ingest runs.")


@dataclass(frozen=True)
class ArchivedResponse:
    """One HTTP response kept in the run's raw archive (DIR/raw/<run_id>/part-XXXXX.warc.gz), and where to find it."""

    run_id: str = col(pa.string(), "Run that fetched the response (joins runs.run_id and fetches.run_id).")
    url: str = col(pa.string(), "URL requested (joins fetches.url).")
    final_url: str | None = col(pa.string(), "URL after redirects: the WARC-Target-URI of the record.")
    source: str | None = col(pa.string(), "The SOURCE argument or [[source]] name the URL came from.")
    kind: str | None = col(pa.string(), "How the URL was found: url, feed, feed_entry, sitemap, sitemap_entry or site.")
    status: int | None = col(pa.int32(), "HTTP status code of the response.")
    content_type: str | None = col(pa.string(), "Media type of the body (Content-Type without parameters).")
    ok: bool = col(pa.bool_(), "Whether the fetch gave a body usable for extraction (fetches.ok): what `wiredesk reprocess` rebuilds.", False)
    error_class: str | None = col(pa.string(), "Why the fetch failed (fetches.error_class); null on success.")
    body_complete: bool = col(pa.bool_(), "False when the body was not read (refused on status or content type first): the record then holds the headers only and says WARC-Truncated.", True)
    body_sha256: str | None = col(pa.string(), "SHA-256 (hex) of the archived body as received (after transfer decoding); null when the body was not read.")
    n_bytes: int | None = col(pa.int64(), "Size of the archived body in bytes.")
    warc_file: str = col(pa.string(), "WARC file holding the record, relative to the data directory (raw/<run_id>/part-XXXXX.warc.gz).")
    offset: int = col(pa.int64(), "Byte offset of the record's gzip member in warc_file: seek there and read one record.")
    length: int = col(pa.int64(), "Compressed length of the record in bytes.")
    fetched_at: datetime | None = col(TS, "When the response was fetched (the record's WARC-Date).")
    hint_date: str | None = col(pa.string(), "Publication date the feed or sitemap announced for the URL (ISO), kept so reprocessing sees the same date candidates.")
    hint_title: str | None = col(pa.string(), "Title the feed announced for the URL.")
    hint_outlet: str | None = col(pa.string(), "Outlet the sources file named for the URL's source.")
    hint_language: str | None = col(pa.string(), "Language the sources file expects for the URL's source.")


@dataclass(frozen=True)
class Skip:
    """A discovered URL a run did not fetch, and why (nothing is skipped silently)."""

    run_id: str = col(pa.string(), "Run that skipped the URL (joins runs.run_id).")
    source: str = col(pa.string(), "The SOURCE argument or [[source]] name that yielded the URL.")
    kind: str = col(pa.string(), "Request kind: url, feed_entry or sitemap_entry (and feed, sitemap, site for repeats).")
    url: str = col(pa.string(), "The URL, normalised as fetched (courlan: tracking parameters and fragment dropped).")
    reason: str = col(pa.string(), "repeated (already fetched in this run), stored (an earlier run stored it; --refetch never) or permanent_failure (its last fetch failed for good, e.g. 404/410, robots, blocked, too large; --refetch always fetches it).")
    last_run_id: str | None = col(pa.string(), "Run of the URL's most recent earlier fetch (null for repeats within the run).")
    last_outcome: str | None = col(pa.string(), "How that fetch ended: ok, 'http <status>' or its error class.")


# Stored tables: name -> record type.  Order is the order `wiredesk schema` prints.
TABLES: dict[str, type] = {
    "articles": Article,
    "article_credits": Credit,
    "article_dates": DateCandidate,
    "article_supersessions": Supersession,
    "fetches": Fetch,
    "skipped_urls": Skip,
    "rejected_articles": Rejection,
    "duplicate_articles": Duplicate,
    "quality_results": QualityResult,
    "runs": Run,
    "raw_responses": ArchivedResponse,
}
