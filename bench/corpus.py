"""Load the evaluation corpus in ../shared/corpus (pages and their labels) for the benchmarks."""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class CorpusPage:
    url: str
    path: Path
    label: dict

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def load(folder: str, limit: int | None = None) -> list[CorpusPage]:
    """Pages of one corpus folder ('dates' or 'extraction') that exist on disk, in label order."""
    base = CORPUS / folder
    if not base.exists():
        sys.exit(f"needs the evaluation corpus at {base}")
    truth = json.loads((base / "truth.json").read_text())
    pages = [CorpusPage(url, base / "pages" / label["file"], label) for url, label in truth.items() if (base / "pages" / label["file"]).exists()]
    return pages[:limit] if limit else pages


def corpus_warc(limit: int | None = None) -> tuple[Path, list[tuple[str, bytes]]]:
    """A WARC of the corpus pages (dates, then extraction; the first `limit`) in a temporary folder, and the pages."""
    import tempfile

    from tasks.archive import RawResponse, write_warc

    pages = load("dates", limit) + load("extraction", limit)
    pages = pages[:limit] if limit else pages
    bodies = [(p.url, p.html()) for p in pages]
    warc = Path(tempfile.mkdtemp(prefix="wiredesk-bench-")) / "corpus.warc.gz"
    write_warc(warc, (RawResponse(url=u, body=b) for u, b in bodies))
    megabytes = sum(len(b) for _u, b in bodies) / 1e6
    print(f"{len(bodies)} pages, {megabytes:.0f} MB of HTML, WARC {warc.stat().st_size / 1e6:.0f} MB at {warc}")
    return warc, bodies
