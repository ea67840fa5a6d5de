"""Check outlet hold-out labels against their pages: every evidence quote and every outlet/also name
must occur on the page, and the keys must be those of the hold-out schema.

    python bench/devset/holdout_check.py bench/devset/outlet_holdout6.jsonl [more.jsonl ...]

A string counts as present when it occurs, whitespace-collapsed and NFC-normalised, in the raw
HTML, the HTML-unescaped HTML, the page's text content, or a text rendering with a space at every
<br> and block element (so a name a page breaks over two lines, "für<br />Meteorologie", is
found).  Like holdout_pick.py it imports no wiredesk code.  Exit status 1 when anything is missing.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
import unicodedata
from pathlib import Path

from lxml import html as lxml_html

from holdout_pick import CORPUS, decode

KEYS = ["corpus", "file", "url", "domain", "language", "outlet", "also", "evidence", "confidence", "notes"]
BLOCKS = {"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
          "table", "section", "article", "header", "footer", "nav", "aside", "figure", "figcaption",
          "blockquote", "dd", "dt", "dl", "main", "form", "hr", "address"}


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def renderings(raw_html: str) -> list[str]:
    doc = lxml_html.fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", raw_html))
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    plain = doc.text_content()
    for el in doc.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCKS:
            try:
                el.tail = " " + (el.tail or "")
                el.text = " " + (el.text or "")
            except ValueError:  # control characters lxml refuses to write back
                pass
    return [norm(raw_html), norm(html.unescape(raw_html)), norm(plain), norm(doc.text_content())]


def problems(label: dict) -> list[str]:
    found = []
    if list(label) != KEYS:
        found.append(f"keys {list(label)}")
    if label.get("confidence") not in ("high", "low"):
        found.append(f"confidence {label.get('confidence')!r}")
    if not isinstance(label.get("also"), list):
        found.append("also is not a list")
    page = CORPUS / label["corpus"] / "pages" / label["file"]
    if not page.exists():
        return found + [f"no page {page}"]
    hay = renderings(decode(gzip.decompress(page.read_bytes())))
    for what in [label["evidence"], label["outlet"], *(label.get("also") or [])]:
        if not any(norm(what) in h for h in hay):
            found.append(f"not on page: {what!r}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path, nargs="+", help="hold-out .jsonl files")
    args = parser.parse_args()
    bad = total = 0
    for path in args.labels:
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            label = json.loads(line)
            total += 1
            for problem in problems(label):
                bad += 1
                print(f"{path.name}\t{label['file']}\t{problem}")
    print(f"{total} labels, {bad} problems", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
