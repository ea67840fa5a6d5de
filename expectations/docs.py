"""Great Expectations contexts and Data Docs under `<data_dir>/quality_docs/`.

Layout::

    quality_docs/static/                   GX's styles, fonts, images: one copy for all runs
    quality_docs/<run_id>/index.html       the run's page: every validation of every batch
    quality_docs/<run_id>/validations/...  one page per suite and batch
    quality_docs/<run_id>/.results/        GX's JSON validation results the pages are built from

Each batch's validation stores its results (JSON) in the run's folder; the pages are
rendered once, at the end of the run, so the cost does not grow with batches squared.
GX copies ~4 MB of static assets into every site it builds: the run's copy is replaced by
a link to the shared one.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

DOCS_DIR = "quality_docs"


def run_docs_dir(data_dir: str | os.PathLike[str], name: str) -> Path:
    return Path(data_dir).expanduser().resolve() / DOCS_DIR / name


def context(docs_dir: Path | None = None):
    """An ephemeral GX context; with `docs_dir`, validation results and Data Docs live there."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig

    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False))
    if docs_dir is not None:
        files = lambda path: {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(path)}
        config.stores["validation_results_store"] = {"class_name": "ValidationResultsStore", "store_backend": files(docs_dir / ".results")}
        config.data_docs_sites = {
            "wiredesk": {"class_name": "SiteBuilder", "store_backend": files(docs_dir), "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}
        }
    ctx = gx.get_context(mode="ephemeral", project_config=config)
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def build_docs(docs_dir: Path) -> Path | None:
    """Render the Data Docs of every validation stored in `docs_dir`; the index page, or None."""
    if not (docs_dir / ".results").is_dir():
        return None
    context(docs_dir).build_data_docs(site_names=["wiredesk"])
    _share_static(docs_dir)
    index = docs_dir / "index.html"
    return index if index.exists() else None


def _share_static(docs_dir: Path) -> None:
    shared = docs_dir.parent / "static"
    own = docs_dir / "static"
    if own.is_symlink() or not own.is_dir():
        return
    if not shared.is_dir():
        tmp = docs_dir.parent / f".static.{os.getpid()}.tmp"
        shutil.copytree(own, tmp, dirs_exist_ok=True)
        os.replace(tmp, shared) if not shared.exists() else shutil.rmtree(tmp)
    shutil.rmtree(own)
    own.symlink_to(Path("..") / "static", target_is_directory=True)
