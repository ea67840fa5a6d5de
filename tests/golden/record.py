"""Record a golden page: copy it into tests/golden/pages and store what wiredesk extracts today.

    python tests/golden/record.py PAGE.html[.gz] URL [--name NAME]

Read the recorded values in expected.json before committing: a golden file is a claim
that these values are right, checked by a person against the page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.golden.fields import extract_fields  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("url")
    parser.add_argument("--name", help="file name under pages/ (default: the page's own name)")
    args = parser.parse_args()
    raw = Path(args.page).read_bytes()
    html = gzip.decompress(raw) if args.page.endswith(".gz") else raw
    name = args.name or Path(args.page).name.removesuffix(".gz") + ".gz"
    (HERE / "pages" / name).write_bytes(gzip.compress(html, mtime=0))
    expected_path = HERE / "expected.json"
    expected = json.loads(expected_path.read_text()) if expected_path.exists() else {}
    expected[name] = {"url": args.url, **extract_fields(html, args.url)}
    expected_path.write_text(json.dumps(expected, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    print(json.dumps(expected[name], indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
