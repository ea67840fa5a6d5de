"""The Great Expectations gate on real GX: good rows ship, bad rows are refused with reasons."""

from dataclasses import replace
from datetime import date, timedelta

from expectations.validate import validate_batch
from warehouse.schema import Article, Credit

TEXT = "Officials said the talks had made progress on several points that had divided the two sides. " * 3


def good(i: int) -> Article:
    return Article(
        article_id=f"id{i}", url=f"https://news.example/{i}", canonical_url=f"https://news.example/{i}", run_id="r", source="s",
        content_hash=f"h{i}", title=f"Title {i}", text=TEXT, word_count=len(TEXT.split()), language="en", published_date=date(2024, 1, 1),
    )  # fmt: skip


def reasons_for(articles, credits=()):
    verdict = validate_batch(list(articles), list(credits), "r", 0)
    return verdict, {r.article_id: set(r.reasons) for r in verdict.rejections}


def test_good_batch_passes_and_every_check_is_a_result_row():
    verdict, refused = reasons_for([good(1), good(2)])
    assert refused == {}
    assert len(verdict.articles) == 2
    assert verdict.batch_ok
    assert {r.level for r in verdict.results} == {"row", "batch"}
    assert all(r.success for r in verdict.results)


def test_extraction_error_is_refused_with_its_reason():
    bad = replace(good(2), text=None, word_count=0, error="no_text")
    verdict, refused = reasons_for([good(1), bad])
    assert [a.article_id for a in verdict.articles] == ["id1"]
    assert refused == {"id2": {"expect_column_values_to_be_null(error)", "expect_column_values_to_be_between(text_chars)"}}


def test_future_publication_date_is_refused():
    verdict, refused = reasons_for([good(1), replace(good(2), published_date=date.today() + timedelta(days=30))])
    assert refused == {"id2": {"expect_column_values_to_be_between(published_date)"}}


def test_original_published_after_the_copy_is_refused():
    bad = replace(good(2), original_published_date=date(2024, 6, 1))
    _verdict, refused = reasons_for([good(1), bad])
    assert refused == {"id2": {"expect_column_values_to_be_between(original_lag_days)"}}


def test_unknown_agency_refuses_its_article():
    credits = [Credit(article_id="id1", content_hash="h1", agency="Reuters", role="dateline", evidence="X (Reuters) -", location="text", run_id="r"),
               Credit(article_id="id2", content_hash="h2", agency="Made Up Wire", role="dateline", evidence="X (MUW) -", location="text", run_id="r")]  # fmt: skip
    verdict, refused = reasons_for([good(1), replace(good(2), wire_services=("Made Up Wire",))], credits)
    assert refused == {"id2": {"expect_column_values_to_be_in_set(agency)", "expect_column_values_to_be_in_set(wire_service)"}}
    assert [c.article_id for c in verdict.credits] == ["id1"]


def test_batch_level_check_fails_without_refusing_rows():
    undated = [replace(good(i), published_date=None) for i in range(4)]
    verdict, refused = reasons_for(undated)
    assert refused == {}
    assert not verdict.batch_ok
    failed = [(r.expectation, r.column_name) for r in verdict.results if not r.success]
    assert failed == [("expect_column_values_to_not_be_null", "published_date")]
