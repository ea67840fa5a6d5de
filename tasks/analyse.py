"""Page -> traced article in one step, for the worker processes.

Extraction and provenance both run where the parsed page is: a worker extracts a chunk of
pages and traces them before anything goes back to the flow's process.  Shipping the
`Extracted` page signals back and tracing in the flow's process (as before) left ~2 ms a
page of serial work there, competing with the workers for the same cores and making the
last batch's tail longer.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.extract import date_records, extract_article
from tasks.provenance import trace_article
from warehouse.schema import Article, Credit, DateCandidate, Fetch, Page


class Chunk:
    """Pages handed to a worker as one opaque object.

    Task runners walk the arguments they ship: Prefect looks into every list and dataclass
    for futures (6 ms of the flow process's CPU per page, measured), and Dask rebuilds
    namedtuples and dataclasses it meets (Prefect's quote() arrives as a plain tuple on a
    Dask worker).  Neither looks inside an object of a plain class.
    """

    __slots__ = ("pages", "token")

    def __init__(self, pages: list[Page]):
        self.pages = pages
        self.token = uuid.uuid4().hex

    def __dask_tokenize__(self) -> str:
        # Dask names a task by hashing its arguments: pickling and SHA-1 of a chunk's megabytes of
        # HTML (~1.8 ms of the flow's CPU per page, measured with py-spy).  Every chunk is its own
        # task, never worth deduplicating, so a token made once is its name.
        return self.token

    def __len__(self) -> int:
        return len(self.pages)


def analyse_page(page: Page, run_id: str) -> tuple[Article, list[Credit], list[DateCandidate]]:
    """Extract one fetched page, trace its provenance, and keep its date candidates."""
    extracted = extract_article(page, run_id)
    try:
        article, credits = trace_article(extracted)
        return article, credits, date_records(extracted, article)
    except Exception as exc:  # one odd page must not fail its whole chunk: the row says what broke
        return replace(extracted.article, error=f"trace_error: {type(exc).__name__}: {exc}"[:300]), [], []


@task(cache_policy=NO_CACHE)
def analyse_pages(chunk: Chunk, run_id: str) -> tuple[list[Article], list[Credit], list[DateCandidate]]:
    """Extract and trace a chunk of pages (CPU-bound: submitted to the flow's task runner)."""
    articles, credits, dates = [], [], []
    for page in chunk.pages:
        article, found, candidates = analyse_page(page, run_id)
        articles.append(article)
        credits.extend(found)
        dates.extend(candidates)
    return articles, credits, dates


# A small story with a byline, a dateline and a credit line: analysing it once loads what every
# page needs (trafilatura, htmldate, the registries, the compiled patterns, the language model).
WARM_UP_PAGE = (
    b"<html lang='en'><head><title>Warm-up story | Example Times</title></head><body><article>"
    b"<h1>Warm-up story</h1><p class='byline'>By The Associated Press</p>"
    b"<p>BERLIN (dpa) - A short story that loads the models and registries a worker needs before its first chunk of pages arrives.</p>"
    b"<p>With reporting by AFP and Interfax.</p></article></body></html>"
)


@task(cache_policy=NO_CACHE)
def warm_up() -> int:
    """Make a worker ready for pages: start it, import and load everything analysis needs (~3-4 s of CPU)."""
    fetch = Fetch(run_id="warm-up", source="warm-up", kind="html_file", url="https://example.org/warm-up", final_url="https://example.org/warm-up", ok=True, content_type="text/html")
    analyse_page(Page(fetch=fetch, body=WARM_UP_PAGE), "warm-up")
    return os.getpid()
