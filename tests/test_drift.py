"""Per-outlet drift against the outlet's own history, read from a real warehouse with DuckDB."""

from dataclasses import replace

import pytest

from expectations.articles import DRIFT_MIN_BATCH, DRIFT_MIN_HISTORY
from expectations.drift import drift_frame
from expectations.validate import validate_batch
from tests.test_validate import good
from warehouse.schema import Article, to_arrow
from warehouse.store import Warehouse


@pytest.fixture
def history(tmp_path):
    """An outlet with DRIFT_MIN_HISTORY dated, authored articles stored by an earlier run."""
    store = Warehouse(tmp_path)
    store.ensure()
    past = [replace(good(i), run_id="old", authors=("Jane Doe",)) for i in range(DRIFT_MIN_HISTORY)]
    store.write("articles", to_arrow(past, Article), "part-old-00000")
    return str(tmp_path)


def drifted(verdict):
    return [r for r in verdict.results if r.level == "drift" and not r.success]


def test_outlet_whose_dates_vanish_is_reported_as_drift(history):
    redesigned = [replace(good(100 + i), run_id="new", authors=("Jane Doe",), published_date=None) for i in range(DRIFT_MIN_BATCH)]
    verdict = validate_batch(redesigned, [], "new", 0, data_dir=history)
    (result,) = drifted(verdict)
    assert (result.suite, result.expectation, result.column_name) == ("drift", "expect_column_values_to_be_between", "null_rate_jump")
    assert result.examples == ("news.example published_date: 0% -> 100% missing",)
    assert len(verdict.articles) == DRIFT_MIN_BATCH  # drift is reported, rows are not refused


def test_same_rates_as_history_is_no_drift(history):
    same = [replace(good(100 + i), run_id="new", authors=("Jane Doe",)) for i in range(DRIFT_MIN_BATCH)]
    verdict = validate_batch(same, [], "new", 0, data_dir=history)
    assert {r.level for r in verdict.results} >= {"drift"}
    assert drifted(verdict) == []


def test_small_batch_raises_no_alarm(history):
    few = [replace(good(100 + i), run_id="new", published_date=None) for i in range(DRIFT_MIN_BATCH - 1)]
    assert drift_frame(few, history, "new").empty


def test_short_history_raises_no_alarm(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    store.write("articles", to_arrow([replace(good(i), run_id="old") for i in range(DRIFT_MIN_HISTORY - 1)], Article), "part-old-00000")
    batch = [replace(good(100 + i), run_id="new", published_date=None) for i in range(DRIFT_MIN_BATCH)]
    assert drift_frame(batch, str(tmp_path), "new").empty


def test_the_runs_own_rows_are_not_its_history(history):
    store = Warehouse(history)
    undated = [replace(good(200 + i), run_id="new", authors=("Jane Doe",), published_date=None) for i in range(DRIFT_MIN_HISTORY)]
    store.write("articles", to_arrow(undated, Article), "part-new-00000")
    frame = drift_frame(undated[:DRIFT_MIN_BATCH], history, "new")
    dates = frame[frame.field == "published_date"].iloc[0]
    assert (dates.history_articles, dates.history_null_rate, dates.batch_null_rate) == (DRIFT_MIN_HISTORY, 0.0, 1.0)
