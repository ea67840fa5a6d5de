"""published_date accuracy on ../shared/corpus/dates, with htmldate measured in the same run.

    python bench/dates.py [--limit N] [--show-misses]

Day-level accuracy: a page counts as right when the extracted date equals the label.
Target (issue 3): >= 0.93 (htmldate alone: 0.903).  --show-misses sorts the misses into
classes: a passed-over candidate had the labelled day; the label is the page's update date;
no candidate had it (htmldate's day only, or nothing found).
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from datetime import date

from corpus import load


def ours(page) -> tuple[date | None, str | None, str]:
    from tasks.extract import date_records, extract_article
    from warehouse.schema import Fetch, Page

    fetch = Fetch(run_id="bench", source="bench", kind="warc_record", url=page.url, final_url=page.url, ok=True, content_type="text/html")
    extracted = extract_article(Page(fetch=fetch, body=page.html()), "bench")
    article = extracted.article
    return article.published_date, article.date_source, miss_class(page.label["date"], date_records(extracted, article))


def miss_class(label: str, candidates) -> str:
    """Why a page's date is wrong, from its candidates (only meaningful for misses)."""
    if any(c.kind == "published" and c.parsed_date and c.parsed_date.isoformat() == label for c in candidates):
        return "a passed-over candidate had it"
    if any(c.kind == "modified" and c.parsed_date and c.parsed_date.isoformat() == label for c in candidates):
        return "label is the update date"
    if not any(c.kind == "published" for c in candidates):
        return "no date found"
    only = {c.signal for c in candidates if c.kind == "published"} == {"htmldate"}
    return "no candidate had it (htmldate only)" if only else "no candidate had it"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    from htmldate import find_date

    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    pages = load("dates", args.limit)

    started = time.perf_counter()
    baseline = [find_date(p.html(), url=p.url, extensive_search=True, original_date=True) for p in pages]
    base_seconds = time.perf_counter() - started
    base_right = sum(1 for p, d in zip(pages, baseline) if d == p.label["date"])

    started = time.perf_counter()
    found = [ours(p) for p in pages]
    seconds = time.perf_counter() - started
    right = [p for p, (d, _s, _c) in zip(pages, found) if d and d.isoformat() == p.label["date"]]
    by_source = Counter(s for _d, s, _c in found)
    right_by_source = Counter(s for p, (d, s, _c) in zip(pages, found) if d and d.isoformat() == p.label["date"])

    n = len(pages)
    print(f"{n} pages with a labelled publication date")
    print(f"htmldate (extensive_search, original_date): accuracy {base_right / n:.3f}  ({base_right}/{n}, {base_seconds:.1f} s)")
    print(f"wiredesk published_date:                    accuracy {len(right) / n:.3f}  ({len(right)}/{n}, {seconds:.1f} s, full extraction)")
    for source, count in by_source.most_common():
        print(f"  from {str(source):<9} {count:4d} pages, {right_by_source[source] / count:.3f} right")
    if args.show_misses:
        misses = [(p, d, s, c) for p, (d, s, c) in zip(pages, found) if not d or d.isoformat() != p.label["date"]]
        for cls, count in Counter(c for *_x, c in misses).most_common():
            print(f"  {count:4d} misses: {cls}")
        for p, d, s, c in misses:
            print(f"  miss {p.label['date']} got {d} via {s} [{c}]: {p.url}")


if __name__ == "__main__":
    main()
