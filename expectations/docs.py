"""Great Expectations contexts and Data Docs under `<data_dir>/quality_docs/`.

Layout::

    quality_docs/static/                   GX's styles, fonts, images: one copy for all runs
    quality_docs/<run_id>/index.html       the run's page: every validation of every batch
    quality_docs/<run_id>/validations/...  one page per suite and batch
    quality_docs/<run_id>/.results/        GX's JSON validation results the pages are built from

Each batch's validation stores its results (JSON) in the run's folder; the pages are
rendered once, at the end of the run, so the cost does not grow with batches squared.
GX copies ~4 MB of static assets into every site it builds: the run's copy is replaced by
a link to the shared one.  The pages load jQuery and Bootstrap from CDNs; they are pointed at
copies shipped in `docs_assets/` instead, so the docs render offline (see its README).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

DOCS_DIR = "quality_docs"
ASSETS = Path(__file__).parent / "docs_assets"
GX_LOGO = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/logo-long\.png(?:\?[^\"']*)?")
# CDN address in GX's templates -> file in docs_assets/ (the same version).
CDN_FILES = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",  # the status icons
}


def run_docs_dir(data_dir: str | os.PathLike[str], name: str) -> Path:
    from warehouse.location import DataDir

    # Data Docs are local HTML files: beside the catalog when the data dir is a URL.
    return DataDir.of(data_dir).catalog_dir / DOCS_DIR / name


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
    _localise_assets(docs_dir)
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


def _localise_assets(docs_dir: Path) -> None:
    vendor = docs_dir.parent / "static" / "vendor"
    if not vendor.is_dir():
        tmp = docs_dir.parent / f".vendor.{os.getpid()}.tmp"
        shutil.copytree(ASSETS, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
        os.replace(tmp, vendor) if not vendor.exists() else shutil.rmtree(tmp)
    for page in docs_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        to_vendor = os.path.relpath(docs_dir / "static" / "vendor", page.parent)
        local = html
        for url, name in CDN_FILES.items():
            local = local.replace(url, f"{to_vendor}/{name}")
        local = GX_LOGO.sub(f"{to_vendor}/../images/logo-long.png", local)  # GX ships the same file
        if local != html:
            page.write_text(local, encoding="utf-8")
