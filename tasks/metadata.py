"""trafilatura's metadata extraction, minus the parts wiredesk does not use.

`bare_extraction(with_metadata=True)` also reads categories, tags and a license, fields
wiredesk never stores (the license comes from rel=license links, tasks/extract.py).  So the
content is extracted with `with_metadata=False` and the metadata here, by trafilatura's own
functions in trafilatura's order, from the same parsed tree: the same values on all 1,924
pages of ../shared/corpus, 1.6 ms a page less (A/B in one process, 1,000 pages; the three
readers alone measured 5.3 ms).  Everything here only reads the tree (htmldate and the
author search copy it before they prune).

It also asks htmldate once, not twice: trafilatura gives htmldate the page's self-declared
URL, while the date's URL clues belong to where the page really is (see `page_date`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import META_URL, examine_meta, extract_author, extract_meta_json, extract_sitename, extract_title, extract_url


@dataclass(frozen=True)
class PageMetadata:
    """What trafilatura's metadata says about a page (all optional)."""

    title: str | None = None
    author: str | None = None  # "; "-separated, as trafilatura gives it
    url: str | None = None  # the page's self-declared URL (canonical link, og:url), else the one it was fetched from
    sitename: str | None = None
    date: str | None = None  # htmldate's publication day, ISO


def read_metadata(tree: HtmlElement, page_url: str | None) -> PageMetadata:
    """Title, author, declared URL, site name and htmldate's date, as `bare_extraction(with_metadata=True)` gives them."""
    document = examine_meta(tree)
    if document.author and " " not in document.author:  # trafilatura's rule: a one-word author is a handle
        document.author = None
    try:
        document = extract_meta_json(tree, document)
    except Exception:  # trafilatura guards its JSON-LD reader the same way: it has bugs on odd graphs
        pass
    title = document.title or extract_title(tree)
    author = document.author or extract_author(tree)
    url = document.url or extract_url(tree, page_url)
    sitename = document.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif url and (match := META_URL.match(url)):
        sitename = match[1]
    document.title, document.author, document.url, document.sitename = title, author, url, sitename
    document.clean_and_trim()
    return PageMetadata(title=document.title, author=document.author, url=document.url, sitename=document.sitename, date=page_date(tree, page_url, document.url))


def page_date(tree: HtmlElement, page_url: str | None, declared_url: str | None) -> str | None:
    """htmldate's publication date (original date, extensive search), with the page's real URL's clues first.

    Where the page says it lives elsewhere (a canonical URL on another path or site), its real
    URL's date is the better clue: +0.3 points on ../shared/corpus/dates.  The declared URL is
    the fallback when the real one gives no date.
    """
    params = {"original_date": True, "extensive_search": True, "max_date": datetime.now().astimezone().strftime("%Y-%m-%d")}
    first = page_url if page_url and page_url.startswith("http") else declared_url
    found = find_date(tree, url=first, **params)
    if found or not declared_url or declared_url == first:
        return found
    return find_date(tree, url=declared_url, **params)

