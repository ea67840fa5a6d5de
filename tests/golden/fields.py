"""The fields a golden test compares, extracted by the real row functions."""

from __future__ import annotations

from tasks.extract import extract_article
from tasks.provenance import trace_article
from warehouse.schema import Fetch, Page

FIELDS = ("title", "outlet", "published_date", "language", "wire_services", "original_outlet", "original_published_date", "error")


def extract_fields(html: bytes, url: str) -> dict:
    page = Page(fetch=Fetch(run_id="golden", source="golden", kind="warc_record", url=url, final_url=url, ok=True, content_type="text/html"), body=html)
    article, _credits = trace_article(extract_article(page, "golden"))
    values = {f: getattr(article, f) for f in FIELDS}
    values["wire_services"] = list(values["wire_services"])
    for key in ("published_date", "original_published_date"):
        values[key] = values[key].isoformat() if values[key] else None
    return values
