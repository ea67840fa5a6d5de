"""Data Docs as a person sees them: headless Chromium loads the pages, offline."""

import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from expectations.articles import BATCH_MIN_ARTICLES
from expectations import docs
from expectations.validate import validate_batch
from tests.test_validate import good

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Chromium not installed (.ci/run installs it)")
# Without the background-networking flags Chromium hangs on a closed network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--virtual-time-budget=5000"]  # fmt: skip


def rendered_text(path, tmp_path) -> str:
    """The page's text after its scripts ran."""
    run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", run.stdout, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def run_docs(tmp_path):
    data = tmp_path / "data"
    # Batch 0 is big enough for batch-level checks (BATCH_MIN_ARTICLES), batch 1 gets row-level ones only.
    batch0 = [good(i) for i in range(1, BATCH_MIN_ARTICLES + 1)] + [replace(good(99), title=None)]
    validate_batch(batch0, [], "run-1", 0, data_dir=str(data))
    validate_batch([good(3)], [], "run-1", 1, data_dir=str(data))
    index = docs.build_docs(docs.run_docs_dir(data, "run-1"))
    return data, index


def test_docs_are_built_per_run_with_shared_static_files(run_docs):
    data, index = run_docs
    assert index == data.resolve() / "quality_docs" / "run-1" / "index.html"
    assert (index.parent / "static").is_symlink() and (data / "quality_docs" / "static" / "vendor" / "jquery.min.js").is_file()
    html = index.read_text(encoding="utf-8")
    assert "code.jquery.com" not in html and "static/vendor/jquery.min.js" in html
    pages = sorted(p.relative_to(index.parent).as_posix() for p in index.parent.glob("validations/**/*.html"))
    assert len([p for p in pages if "articles/row" in p]) == 2  # one page per batch


@needs_chromium
def test_index_page_lists_the_runs_validations_in_a_real_browser(run_docs, tmp_path):
    _data, index = run_docs
    text = rendered_text(index, tmp_path)
    assert "Showing 1 to" in text  # bootstrap-table ran: the scripts loaded offline
    for asset in ("articles.row.batch-00000", "articles.row.batch-00001", "articles.batch.batch-00000"):
        assert asset in text


@needs_chromium
def test_validation_page_shows_the_suites_results_in_a_real_browser(run_docs, tmp_path):
    _data, index = run_docs
    (page,) = index.parent.glob("validations/articles/row/run-1/*/*batch-00000.html")
    text = rendered_text(page, tmp_path)
    assert "Expectation Suite: articles.row" in text
    assert "Status: Failed" in text
    assert "values must never be null" in text and "title" in text
    assert "1 unexpected values found" in text
