"""Warehouse writes: atomic files, deduplication, versions, read-only queries on a real DuckDB file."""

import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from warehouse.schema import Article, to_arrow
from warehouse.store import Warehouse, WarehouseLocked

T0 = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def article(article_id="a", content_hash="h1", fetched_at=T0, run_id="r1", title="T"):
    return Article(article_id=article_id, url=f"https://x/{article_id}", canonical_url=f"https://x/{article_id}", run_id=run_id, source="s", content_hash=content_hash, fetched_at=fetched_at, title=title)


def store_articles(store, rows, part):
    table = store.new_rows("articles", to_arrow(rows, Article), keys=("article_id", "content_hash"))
    store.write("articles", table, part)
    store.refresh_views()
    return table.num_rows


def test_rewriting_the_same_rows_adds_nothing(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    assert store_articles(store, [article("a"), article("b"), article("a")], "p1") == 2
    assert store_articles(store, [article("a"), article("b")], "p2") == 0
    assert store.query("select count(*) as n from article_versions").column("n").to_pylist() == [2]


def test_changed_content_is_a_new_version_and_articles_shows_the_latest(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    store_articles(store, [article("a", "h1", title="Old")], "p1")
    store_articles(store, [article("a", "h2", fetched_at=T0 + timedelta(hours=1), run_id="r2", title="New")], "p2")
    assert store.query("select count(*) as n from article_versions").column("n").to_pylist() == [2]
    assert store.query("select title from articles").column("title").to_pylist() == ["New"]


def test_writes_leave_no_temporary_files(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    store_articles(store, [article("a")], "p1")
    leftovers = [name for _root, _dirs, files in os.walk(tmp_path) for name in files if name.endswith(".tmp")]
    assert leftovers == []


def test_a_batch_with_the_wrong_schema_is_refused(tmp_path):
    import pyarrow as pa

    store = Warehouse(tmp_path)
    store.ensure()
    with pytest.raises(ValueError):
        store.write("articles", pa.table({"article_id": ["a"]}), "bad")


def test_queries_are_read_only(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    with pytest.raises(duckdb.Error):
        store.query("create table t as select 1")


def test_second_writer_is_refused_clearly(tmp_path):
    store = Warehouse(tmp_path)
    with store.writer_lock():
        with pytest.raises(WarehouseLocked):
            with Warehouse(tmp_path).writer_lock():
                pass


def test_missing_warehouse_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="wiredesk ingest"):
        Warehouse(tmp_path / "nothing").query("select 1")
