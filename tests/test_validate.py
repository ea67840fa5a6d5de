"""The Great Expectations gate on real GX: each suite passes on good data and fails on a
deliberately broken batch for each kind of defect, naming the expectation that failed."""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from expectations.articles import BATCH_MIN_ARTICLES, BOILERPLATE_MIN_ARTICLES, MAX_TEXT_CHARS, MIN_HOST_FETCHES
from expectations.validate import validate_batch
from warehouse.schema import Article, Credit, Fetch

TEXT = "Officials said the talks had made progress on several points that had divided the two sides. " * 3


def good(i: int) -> Article:
    return Article(
        article_id=f"id{i}", url=f"https://news.example/{i}", canonical_url=f"https://news.example/{i}", domain="news.example", outlet="News Example",
        run_id="r", source="s", content_hash=f"h{i}", title=f"Title {i}", text=f"Story {i}. " + TEXT, word_count=len(TEXT.split()) + 2,
        language="en", published_date=date(2024, 1, 1),
    )  # fmt: skip


def fetch(i: int, ok: bool = True, **fields) -> Fetch:
    outcome = {"status": 200} if ok else {"status": 404, "error_class": "http_status"}
    return Fetch(run_id="r", source="s", kind="url", url=f"https://news.example/{i}", ok=ok, **{**outcome, **fields})


def reasons_for(articles, credits=(), fetches=()):
    verdict = validate_batch(list(articles), list(credits), "r", 0, fetches)
    return verdict, {r.article_id: set(r.reasons) for r in verdict.rejections}


def failed(verdict, level):
    return [(r.suite, r.expectation, r.column_name) for r in verdict.results if r.level == level and not r.success]


def test_good_batch_passes_and_every_check_is_a_result_row():
    verdict, refused = reasons_for([good(i) for i in range(BATCH_MIN_ARTICLES)], fetches=[fetch(i) for i in range(6)])
    assert refused == {}
    assert len(verdict.articles) == BATCH_MIN_ARTICLES
    assert verdict.batch_ok
    assert {r.level for r in verdict.results} == {"row", "batch"}
    assert {r.suite for r in verdict.results} == {"articles", "fetches", "hosts"}
    assert all(r.success for r in verdict.results)


# ---------------------------------------------------------------- row level: one defect each

BE_BETWEEN, NOT_NULL, IN_SET = "expect_column_values_to_be_between", "expect_column_values_to_not_be_null", "expect_column_values_to_be_in_set"
LATER = datetime.now(timezone.utc) + timedelta(days=30)

ROW_DEFECTS = {
    "null_key": ({"article_id": None}, f"{NOT_NULL}(article_id)", "article_id=null"),
    "null_content_hash": ({"content_hash": None}, f"{NOT_NULL}(content_hash)", "content_hash=null"),
    "null_url": ({"url": None}, f"{NOT_NULL}(url)", "url=null"),
    "malformed_url": ({"url": "htp:/news example/2"}, "expect_column_values_to_match_regex(url)", "url=htp:/news example/2"),
    "empty_title": ({"title": "  "}, f"{NOT_NULL}(title)", "title=null"),
    "text_too_short": ({"text": "Too short."}, f"{BE_BETWEEN}(text_chars)", "text_chars=10"),
    "text_too_long": ({"text": "x" * (MAX_TEXT_CHARS + 1)}, f"{BE_BETWEEN}(text_chars)", f"text_chars={MAX_TEXT_CHARS + 1}"),
    "date_in_future": ({"published_date": LATER.date()}, f"{BE_BETWEEN}(published_date)", f"published_date={LATER.date()}T00:00:00"),
    "date_absurdly_old": ({"published_date": date(1014, 5, 1)}, f"{BE_BETWEEN}(published_date)", "published_date=1014-05-01T00:00:00"),
    "time_in_future": ({"published_at": LATER}, f"{BE_BETWEEN}(published_at)", None),
    "original_after_copy": ({"original_published_date": date(2024, 6, 1)}, f"{BE_BETWEEN}(original_lag_days)", "original_lag_days=-152.0"),
    "invalid_language": ({"language": "english"}, f"{IN_SET}(language)", "language=english"),
    "web_page_without_outlet": ({"outlet": None}, f"{NOT_NULL}(outlet)", "outlet=null"),
    "unknown_wire_service": ({"wire_services": ("Made Up Wire",)}, f"{IN_SET}(wire_service)", "wire_service=Made Up Wire"),
    "extraction_error": ({"error": "not_html"}, "expect_column_values_to_be_null(error)", "error=not_html"),
}


@pytest.mark.parametrize("defect", sorted(ROW_DEFECTS))
def test_row_defect_is_refused_with_its_expectation_and_value(defect):
    change, expectation, value = ROW_DEFECTS[defect]
    bad = replace(good(2), **change)
    verdict, refused = reasons_for([good(1), bad, good(3)])
    assert [a.article_id for a in verdict.articles] == ["id1", "id3"]
    (rejection,) = verdict.rejections
    assert list(rejection.reasons) == [expectation]
    if value:
        assert list(rejection.offending_values) == [value]
    assert verdict.batch_ok  # a refused row is not a batch failure


def test_local_text_file_needs_no_outlet():
    local = replace(good(2), url="file:///in/seed.txt", canonical_url="file:///in/seed.txt", domain=None, outlet=None)
    _verdict, refused = reasons_for([good(1), local])
    assert refused == {}


def test_unknown_credited_agency_refuses_its_article_and_drops_its_credits():
    credits = [Credit(article_id="id1", content_hash="h1", agency="Reuters", role="dateline", evidence="X (Reuters) -", location="text", run_id="r"),
               Credit(article_id="id2", content_hash="h2", agency="Made Up Wire", role="dateline", evidence="X (MUW) -", location="text", run_id="r")]  # fmt: skip
    verdict, refused = reasons_for([good(1), good(2)], credits)
    assert refused == {"id2": {f"{IN_SET}(agency)"}}
    assert verdict.rejections[0].offending_values == ("agency=Made Up Wire",)
    assert [c.article_id for c in verdict.credits] == ["id1"]


# ---------------------------------------------------------------- batch level: one defect each


def test_undated_batch_fails_without_refusing_rows():
    verdict, refused = reasons_for([replace(good(i), published_date=None) for i in range(BATCH_MIN_ARTICLES)])
    assert refused == {}
    assert failed(verdict, "batch") == [("articles", NOT_NULL, "published_date")]


def test_a_handful_of_articles_is_not_judged_as_a_batch():
    verdict, refused = reasons_for([replace(good(i), published_date=None) for i in range(BATCH_MIN_ARTICLES - 1)])
    assert refused == {} and verdict.batch_ok
    assert "articles" not in {r.suite for r in verdict.results if r.level == "batch"}


def test_batch_without_languages_fails():
    verdict, _ = reasons_for([replace(good(i), language=None) for i in range(BATCH_MIN_ARTICLES)])
    assert failed(verdict, "batch") == [("articles", NOT_NULL, "language")]


def test_batch_of_implausible_word_counts_fails():
    verdict, _ = reasons_for([replace(good(i), word_count=5) for i in range(BATCH_MIN_ARTICLES)])
    assert failed(verdict, "batch") == [("articles", BE_BETWEEN, "word_count")]


def test_boilerplate_leaking_into_an_outlets_texts_fails_the_batch():
    box = "Sign up for our newsletter to get the best stories of the day in your inbox every morning."
    leaky = [replace(good(i), text=f"Story {i}. {TEXT}\n{box}") for i in range(BOILERPLATE_MIN_ARTICLES)]
    verdict, refused = reasons_for(leaky + [good(i) for i in range(10, 10 + BATCH_MIN_ARTICLES)])
    assert refused == {}
    assert failed(verdict, "batch") == [("articles", BE_BETWEEN, "boilerplate_paragraphs")]
    (result,) = verdict.batch_failures
    assert result.examples == (f"News Example: {box}",)


def test_repeated_paragraph_below_the_article_threshold_is_no_boilerplate():
    box = "Sign up for our newsletter to get the best stories of the day in your inbox every morning."
    few = [replace(good(i), text=f"Story {i}. {TEXT}\n{box}") for i in range(BOILERPLATE_MIN_ARTICLES - 1)]
    verdict, _ = reasons_for(few)
    assert verdict.batch_ok


def test_unknown_http_status_fails_the_fetch_suite():
    verdict, _ = reasons_for([good(1)], fetches=[fetch(1), fetch(2, status=999)])
    assert failed(verdict, "batch") == [("fetches", IN_SET, "status")]


def test_unknown_error_class_fails_the_fetch_suite():
    verdict, _ = reasons_for([good(1)], fetches=[fetch(1), fetch(2, ok=False, error_class="gremlins")])
    assert failed(verdict, "batch") == [("fetches", IN_SET, "error_class")]


def test_host_that_suddenly_blocks_us_fails_the_batch():
    blocked = [fetch(i, ok=False) for i in range(MIN_HOST_FETCHES)] + [fetch(99)]
    verdict, _ = reasons_for([good(1)], fetches=blocked)
    assert failed(verdict, "batch") == [("hosts", BE_BETWEEN, "success_rate")]
    assert verdict.batch_failures[0].examples == (f"news.example: 1/{MIN_HOST_FETCHES + 1} fetched",)


def test_host_with_few_fetches_is_not_judged():
    verdict, _ = reasons_for([good(1)], fetches=[fetch(1, ok=False), fetch(2, ok=False)])
    assert verdict.batch_ok


# ---------------------------------------------------------------- duplicates before the gate


def test_pages_sharing_a_canonical_keep_the_canonical_page_and_record_the_other():
    canonical = "https://news.example/story"
    amp = replace(good(1), article_id="same", canonical_url=canonical, url="https://amp.news.example/story", content_hash="a")
    own = replace(good(2), article_id="same", canonical_url=canonical, url=canonical, content_hash="b")
    verdict, refused = reasons_for([amp, own, good(3)])
    assert refused == {}
    assert [a.url for a in verdict.articles] == [canonical, "https://news.example/3"]
    (dup,) = verdict.duplicates
    assert (dup.url, dup.kept_url, dup.article_id) == (amp.url, canonical, "same")
    assert "own URL is the canonical" in dup.reason and "different content" in dup.reason


def test_pages_sharing_a_foreign_canonical_keep_the_first():
    first = replace(good(1), article_id="same", canonical_url="https://news.example/c", url="https://news.example/a")
    second = replace(first, url="https://news.example/b")
    verdict, _ = reasons_for([first, second])
    assert [a.url for a in verdict.articles] == ["https://news.example/a"]
    assert [(d.url, d.kept_url) for d in verdict.duplicates] == [("https://news.example/b", "https://news.example/a")]
    assert "first in batch kept" in verdict.duplicates[0].reason and "same content" in verdict.duplicates[0].reason
