"""published_date accuracy on ../shared/corpus/dates, with htmldate measured in the same run.

    python bench/dates.py [--limit N] [--show-misses]

Day-level accuracy: a page counts as right when the extracted date equals the label.
Target (issue 2): >= 0.90, the level of htmldate itself.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from datetime import date

from corpus import load


def ours(page) -> tuple[date | None, str | None]:
    from tasks.extract import extract_article
    from warehouse.schema import Fetch, Page

    fetch = Fetch(run_id="bench", source="bench", kind="warc_record", url=page.url, final_url=page.url, ok=True, content_type="text/html")
    article = extract_article(Page(fetch=fetch, body=page.html()), "bench").article
    return article.published_date, article.date_source


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
    right = [p for p, (d, _s) in zip(pages, found) if d and d.isoformat() == p.label["date"]]
    by_source = Counter(s for _d, s in found)
    right_by_source = Counter(s for p, (d, s) in zip(pages, found) if d and d.isoformat() == p.label["date"])

    n = len(pages)
    print(f"{n} pages with a labelled publication date")
    print(f"htmldate (extensive_search, original_date): accuracy {base_right / n:.3f}  ({base_right}/{n}, {base_seconds:.1f} s)")
    print(f"wiredesk published_date:                    accuracy {len(right) / n:.3f}  ({len(right)}/{n}, {seconds:.1f} s, full extraction)")
    for source, count in by_source.most_common():
        print(f"  from {str(source):<9} {count:4d} pages, {right_by_source[source] / count:.3f} right")
    if args.show_misses:
        for p, (d, s) in zip(pages, found):
            if not d or d.isoformat() != p.label["date"]:
                print(f"  miss {p.label['date']} got {d} via {s}: {p.url}")


if __name__ == "__main__":
    main()
