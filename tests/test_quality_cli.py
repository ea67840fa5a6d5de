"""`wiredesk ingest` on a failing gate, `wiredesk rejected` and `wiredesk check`, as a user runs them."""

import json
from dataclasses import replace
from datetime import datetime, timezone

from expectations.validate import validate_batch
from flows.cli import main
from tests.conftest import story
from tests.test_cli import wiredesk
from tests.test_validate import fetch, good
from warehouse.schema import Article, Duplicate, Fetch, QualityResult, Rejection, Run, to_arrow
from warehouse.store import Warehouse


def test_ingest_exits_non_zero_on_a_batch_failure_and_still_prints_the_summary(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(12):  # plain text carries no date: the batch is undated
        (notes / f"n{i}.txt").write_text(f"Note {i}\n\n" + "\n\n".join(story(i)), encoding="utf-8")
    run = wiredesk("ingest", str(notes), "--data-dir", str(tmp_path / "data"))
    assert run.returncode == 1, run.stderr
    assert ": failed in " in run.stdout
    assert "articles stored     12" in run.stdout
    assert "quality gate        FAILED: 1 batch-level checks (see quality_results)" in run.stdout
    assert "articles: expect_column_values_to_not_be_null(published_date) (12 of 12, 100.0%)" in run.stdout
    assert "quality report      " + str((tmp_path / "data").resolve() / "quality_docs") in run.stdout
    assert "quality gate: 1 batch-level checks failed" in run.stderr


def stored(tmp_path, articles, fetches=()):
    """A warehouse holding one run's gate output, written as the flow writes it."""
    store = Warehouse(tmp_path)
    store.ensure()
    articles, fetches = [replace(a, run_id="run-1") for a in articles], [replace(f, run_id="run-1") for f in fetches]
    verdict = validate_batch(articles, [], "run-1", 0, fetches)
    store.write("runs", to_arrow([Run(run_id="run-1", status="completed", started_at=datetime.now(timezone.utc))], Run), "run-1")
    store.write("articles", to_arrow(verdict.articles, Article), "part-run-1-00000")
    store.write("fetches", to_arrow(list(fetches), Fetch), "part-run-1-00000")
    store.write("rejected_articles", to_arrow(verdict.rejections, Rejection), "part-run-1-00000")
    store.write("duplicate_articles", to_arrow(verdict.duplicates, Duplicate), "part-run-1-00000")
    store.write("quality_results", to_arrow(verdict.results, QualityResult), "part-run-1-00000")
    return store


def test_rejected_lists_every_failed_expectation_and_value(tmp_path, capsys):
    stored(tmp_path, [good(1), replace(good(2), language="english", title=None)])
    assert main(["rejected", "--data-dir", str(tmp_path), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["url"] == "https://news.example/2" and row["run_id"] == "run-1"
    assert row["reasons"] == ["expect_column_values_to_not_be_null(title)", "expect_column_values_to_be_in_set(language)"]
    assert row["offending_values"] == ["title=null", "language=english"]
    assert main(["rejected", "--data-dir", str(tmp_path), "--run", "other"]) == 0
    assert capsys.readouterr().out.strip().endswith("(0 rows)")


def test_rejected_lists_duplicates(tmp_path, capsys):
    first = replace(good(1), article_id="same", canonical_url="https://news.example/c")
    stored(tmp_path, [first, replace(first, url="https://news.example/b")])
    assert main(["rejected", "--duplicates", "--data-dir", str(tmp_path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "run_id,url,kept_url,reason"
    assert lines[1].startswith("run-1,https://news.example/b,https://news.example/1,same canonical URL")


def test_check_revalidates_stored_data_and_records_its_verdicts(tmp_path, capsys):
    store = stored(tmp_path, [good(1), good(2)], [fetch(i) for i in range(3)])
    assert main(["check", "--run", "run-1", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert ": run run-1: passed" in out and "checked             2 articles, 3 fetches" in out

    # A row stored before a rule existed (or written by hand) is caught on the next check.
    store.write("articles", to_arrow([replace(good(3), run_id="run-1", language="english")], Article), "part-run-1-00001")
    assert main(["check", "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert ": all stored articles: FAILED" in out
    assert "row    batch 0 articles: expect_column_values_to_be_in_set(language) (1 of 3, 33.3%): english" in out
    assert "would refuse https://news.example/3: language=english" in out
    check_id = out.split()[2].rstrip(":")
    verdicts = store.query("select run_id, success from quality_results where check_id = ? and column_name = 'language' and level = 'row'", [check_id]).to_pylist()
    assert verdicts == [{"run_id": None, "success": False}]
    assert (tmp_path / "quality_docs" / check_id / "index.html").is_file()
    assert store.query("select count(*) as n from articles").to_pylist() == [{"n": 3}]  # a check reports, it changes nothing


def test_check_of_an_unknown_run_is_a_message(tmp_path, capsys):
    stored(tmp_path, [good(1)])
    assert main(["check", "--run", "nope", "--data-dir", str(tmp_path)]) == 2
    assert "no run 'nope'" in capsys.readouterr().err
