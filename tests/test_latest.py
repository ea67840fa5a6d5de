"""`articles` shows the latest version of each article, decided when versions are written."""

import shutil
from datetime import datetime, timedelta, timezone

from warehouse.schema import Article, to_arrow
from warehouse.store import Warehouse

T0 = datetime(2024, 3, 5, 10, tzinfo=timezone.utc)


def version(key, content, hours=0, run="r1", title=None):
    return Article(article_id=key, url=f"https://x.example/{key}", canonical_url=f"https://x.example/{key}", run_id=run, source="s", content_hash=content, fetched_at=T0 + timedelta(hours=hours), title=title or content, text="text " + content)


def store_batch(store, rows, part):
    new = store.new_rows("articles", to_arrow(rows, Article), keys=("article_id", "content_hash"))
    store.write("articles", new, part)


def latest(store):
    return sorted((r["article_id"], r["title"]) for r in store.query("select article_id, title from articles").to_pylist())


def test_newer_older_and_same_batch_versions(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    store_batch(store, [version("a", "a1"), version("b", "b1", hours=5)], "p1")
    store_batch(store, [version("a", "a2", hours=1, run="r2"), version("b", "b0", hours=-5, run="r2")], "p2")  # b0: an old crawl, late
    store_batch(store, [version("c", "c1", run="r3"), version("c", "c2", hours=2, run="r3")], "p3")  # two versions in one batch
    assert latest(store) == [("a", "a2"), ("b", "b1"), ("c", "c2")]
    assert store.query("select count(*) as n from article_versions").column("n").to_pylist() == [6]
    replaced = store.query("select article_id, content_hash, latest_hash from article_supersessions order by 1, 2").to_pylist()
    assert [(r["article_id"], r["content_hash"], r["latest_hash"]) for r in replaced] == [("a", "a1", "a2"), ("b", "b0", "b1"), ("c", "c1", "c2")]
    store_batch(store, [version("a", "a2", hours=1, run="r2")], "p4")  # a re-run adds nothing
    assert store.query("select count(*) as n from article_supersessions").column("n").to_pylist() == [3]


def test_a_warehouse_from_before_supersessions_is_migrated(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    store.write("articles", to_arrow([version("a", "a1"), version("a", "a2", hours=1)], Article), "old")
    shutil.rmtree(tmp_path / "article_supersessions")  # as the old code left it: versions, nothing recorded
    Warehouse(tmp_path).ensure()
    assert latest(store) == [("a", "a2")]
