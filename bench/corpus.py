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
