"""Markup date signals (headline date line, microdata, <time>) and when they overrule htmldate."""

from datetime import date

from tasks.extract import choose_date, date_records, extract_article
from tasks.pagedates import headline_date, itemprop_date, markup_dates
from tests.conftest import FILLER
from warehouse.schema import Fetch, Page

STORY = "".join(f"<p>{p}</p>" for p in FILLER)


def page_html(head: str = "", dateline: str = "", body_extra: str = "") -> bytes:
    return (
        f"<html><head><title>Tomatoes, cut right</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/tips'>Tips</a></nav>"
        f"<article><h1>Tomatoes, cut right</h1>{dateline}{body_extra}{STORY}</article>"
        "<footer>Imprint</footer></body></html>"
    ).encode("utf-8")


def extract(html: bytes):
    url = "https://www.example-kitchen.de/tipp/1918/tomaten"
    fetch = Fetch(run_id="r", source="s", kind="url", url=url, final_url=url, ok=True, content_type="text/html")
    return extract_article(Page(fetch=fetch, body=html), "r")


def test_headline_date_is_the_first_date_in_the_short_texts_after_the_h1():
    markup = "<h1>Title</h1><div class='info'><span>2 ratings</span> <span>by Marianne1 am 20.09.2020</span></div><p>Text</p>"
    assert headline_date(markup) == "2020-09-20"
    assert headline_date("<h1>Title</h1><p>Datum: 03.02.2022 Autor: se</p>") == "2022-02-03"


def test_headline_date_reads_dotted_dates_written_with_spaces():
    assert headline_date("<h1>Title</h1><span>Von Deutscher Tennis Bund</span><span>4.&thinsp;2.&thinsp;2022.</span>") == "2022-02-04"
    assert headline_date("<h1>Title</h1><span>Platz 4. 2. Runde 2022</span>") is None  # no year right after the month


def test_headline_date_skips_paragraphs_and_pages_without_a_headline():
    story = "<h1>Title</h1><p>" + "On 12.03.2019 the council had already decided that the old bridge would close for good, " * 2 + "</p>"
    assert headline_date(story) is None  # a story mentioning a date is no date line
    assert headline_date("<h2>Title</h2><span>20.09.2020</span>") is None
    assert headline_date("<h1>Title</h1>" + "<span>menu</span>" * 40 + "<span>20.09.2020</span>") is None  # too far below


def test_itemprop_date_reads_the_microdata_attribute():
    assert itemprop_date('<span itemprop="datePublished" datetime="2018-06-22 10:20:00" class="hidden"></span>') == "2018-06-22 10:20:00"
    assert itemprop_date("<meta itemprop='datePublished' content='2021-03-08T11:15:28Z'>") == "2021-03-08T11:15:28Z"


def test_itemprop_date_needs_a_date_attribute():
    assert itemprop_date('<span itemprop="datePublished">yesterday</span>') is None
    assert itemprop_date('<span itemprop="dateModified" content="2018-06-22"></span>') is None


def test_markup_dates_records_each_signal():
    markup = "<h1>T</h1><p>20.09.2020</p><span itemprop=\"datePublished\" content=\"2020-09-19\"></span><time datetime=\"2020-09-18T10:00&#x3A;00+02:00\">x</time>"
    assert markup_dates(markup) == [("line", "2020-09-20"), ("itemprop", "2020-09-19"), ("time", "2020-09-18T10:00:00+02:00")]
    assert markup_dates("<p>no dates here</p><time>today</time>") == []


def test_date_line_backed_by_the_update_date_overrules_htmldate():
    # The page shows its update under the headline; htmldate took the first publication.
    day, signal, _ = choose_date([("jsonld", "2017-08-21T13:09:00Z"), ("htmldate", "2017-08-21"), ("line", "2019-04-03")], [("jsonld", "2019-04-03T08:04:01Z")])
    assert (day, signal) == (date(2019, 4, 3), "line")
    day, signal, _ = choose_date([("meta", "2022-01-24T17:06:45+01:00"), ("htmldate", "2022-01-24"), ("line", "2022-01-21"), ("time", "2022-01-21")])
    assert (day, signal) == (date(2022, 1, 21), "line")


def test_date_line_alone_does_not_overrule_structured_data():
    day, signal, _ = choose_date([("jsonld", "2021-11-12T09:00:00+01:00"), ("htmldate", "2021-11-12"), ("line", "2005-12-25")], [("jsonld", "2021-11-12T10:00:00+01:00")])
    assert (day, signal) == (date(2021, 11, 12), "htmldate")


def test_date_line_overrules_htmldate_on_pages_without_structured_dates():
    day, signal, _ = choose_date([("htmldate", "2011-02-21"), ("line", "2011-03-03")])
    assert (day, signal) == (date(2011, 3, 3), "line")
    day, signal, _ = choose_date([("line", "2011-03-03")])
    assert (day, signal) == (date(2011, 3, 3), "line")


def test_date_line_gives_way_when_a_time_element_confirms_htmldate():
    day, signal, _ = choose_date([("htmldate", "2020-03-18"), ("line", "2017-05-11"), ("time", "2020-03-18T09:12:00+00:00")])
    assert (day, signal) == (date(2020, 3, 18), "htmldate")


def test_microdata_date_overrules_htmldate_only_without_structured_dates():
    day, signal, _ = choose_date([("htmldate", "2018-08-29"), ("itemprop", "2018-06-22 10:20:00")])
    assert (day, signal) == (date(2018, 6, 22), "itemprop")
    day, signal, _ = choose_date([("meta", "2018-08-29T10:00:00Z"), ("htmldate", "2018-08-29"), ("itemprop", "2018-06-22")])
    assert (day, signal) == (date(2018, 8, 29), "htmldate")


def test_a_time_element_decides_only_as_the_pages_one_date_markup():
    day, signal, _ = choose_date([("htmldate", "2022-01-21"), ("time", "2022-01-25T08:00:00+01:00")])
    assert (day, signal) == (date(2022, 1, 25), "time")
    day, signal, _ = choose_date([("htmldate", "2020-09-22"), ("line", "2020-09-22"), ("time", "2020-09-23T18:19:06+02:00")])
    assert (day, signal) == (date(2020, 9, 22), "htmldate")
    day, signal, _ = choose_date([("meta", "2020-09-22T10:00:00Z"), ("htmldate", "2020-09-22"), ("time", "2020-09-23T18:19:06+02:00")])
    assert (day, signal) == (date(2020, 9, 22), "htmldate")


def test_date_line_end_to_end_is_recorded_and_chosen():
    html = page_html(
        head='<meta property="article:published_time" content="2021-12-20T11:02:44+01:00">'
        '<meta property="article:modified_time" content="2022-01-27T09:00:00+01:00">',
        dateline='<div class="meta"><span class="date">27.01.2022</span></div>',
    )
    extracted = extract(html)
    assert (extracted.article.published_date, extracted.article.date_source) == (date(2022, 1, 27), "line")
    rows = {(r.kind, r.signal): r for r in date_records(extracted, extracted.article)}
    assert rows[("published", "line")].chosen and rows[("published", "line")].granularity == "day"
    assert rows[("published", "meta")].parsed_date == date(2021, 12, 20) and not rows[("published", "meta")].chosen


def test_a_date_line_that_nothing_backs_leaves_the_structured_date():
    html = page_html(
        head='<meta property="article:published_time" content="2021-12-20T11:02:44+01:00">',
        dateline='<div class="meta"><span class="date">27.01.2022</span></div>',
    )
    extracted = extract(html)
    assert extracted.article.published_date == date(2021, 12, 20)
    assert ("line", "2022-01-27") in extracted.date_candidates


def test_a_utc_timestamp_is_dated_on_the_outlets_local_day():
    from tasks.pagedates import local_date

    candidates = [("meta", "2021-11-04T23:00Z"), ("htmldate", "2021-11-04")]
    local = local_date(candidates, "www.example-stiftung.de")
    assert local == [("local", "2021-11-05T00:00:00+01:00")]
    assert choose_date(candidates + local)[:2] == (date(2021, 11, 5), "local")
    assert local_date([("jsonld", "2020-12-05T23:15:0Z")], "www.example-gazzetta.it") == [("local", "2020-12-06T00:15:00+01:00")]


def test_no_local_day_without_a_one_zone_country_or_a_utc_value():
    from tasks.pagedates import local_date

    assert local_date([("meta", "2021-11-04T23:00Z")], "www.example-news.com") == []  # no country
    assert local_date([("meta", "2021-11-04T23:00Z")], "www.example-news.io") == []  # a TLD sold as a generic name
    assert local_date([("meta", "2021-11-05T00:30:00+01:00")], "www.example-stiftung.de") == []  # already local
    assert local_date([("meta", "2021-11-04T12:00Z")], "www.example-stiftung.de") == []  # the same day either way
    # htmldate read another date than the UTC value: the local day does not overrule it
    candidates = [("meta", "2021-11-04T23:00Z"), ("htmldate", "2021-11-02")]
    assert choose_date(candidates + local_date(candidates, "www.example-stiftung.de"))[:2] == (date(2021, 11, 2), "htmldate")
