"""Write pages into WARC files (warcio), e.g. to archive raw responses or build test inputs.

warcio's capture_http records nothing for httpx, so response records are built by hand
from the status, headers and body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Iterable

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass(frozen=True)
class RawResponse:
    """An HTTP response worth archiving."""

    url: str
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    fetched_at: datetime | None = None


def write_warc(path: str | Path, responses: Iterable[RawResponse]) -> int:
    """Write responses as WARC response records (gzipped per record if the name ends in .gz); returns the count."""
    path = Path(path)
    count = 0
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        for response in responses:
            reason = {200: "OK", 404: "Not Found"}.get(response.status, "Status")
            http_headers = StatusAndHeaders(
                f"{response.status} {reason}",
                [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))],
                protocol="HTTP/1.1",
            )
            stamp = (response.fetched_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
            record = writer.create_warc_record(
                response.url,
                "response",
                payload=BytesIO(response.body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": stamp.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
            count += 1
    return count
