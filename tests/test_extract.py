"""Extraction row function on realistic pages: text, metadata, keys, charsets, failures."""

from datetime import date, datetime, timezone

from tasks.extract import article_key, extract_article
from tests.conftest import FILLER, article_html
from warehouse.schema import Fetch, Page


def page(body: bytes, url: str = "https://www.example-times.com/world/2024/talks", charset: str | None = None, kind: str = "url", ctype: str = "text/html") -> Page:
    return Page(fetch=Fetch(run_id="r", source="s", kind=kind, url=url, final_url=url, ok=True, content_type=ctype, charset=charset), body=body)


def test_article_metadata_from_one_parse():
    html = article_html("Talks resume in Geneva", FILLER, published="2024-03-05T10:15:00+01:00")
    a = extract_article(page(html), "r").article
    assert a.error is None
    assert a.title == "Talks resume in Geneva"
    assert a.outlet == "The Example Times" and a.outlet_source == "meta"
    assert a.published_date == date(2024, 3, 5)
    assert a.published_at == datetime(2024, 3, 5, 9, 15, tzinfo=timezone.utc)
    assert a.language == "en"
    assert a.domain == "example-times.com"
    assert "Officials said the talks" in a.text and "Imprint" not in a.text
    assert a.word_count == len(a.text.split())
    assert a.article_id == article_key("https://www.example-times.com/world/2024/talks")


def test_registry_outlet_wins_over_site_name():
    html = article_html("Story", FILLER).replace(b"The Example Times", b"U.S.")
    a = extract_article(page(html, url="https://www.reuters.com/world/story-id1"), "r").article
    assert (a.outlet, a.outlet_source) == ("Reuters", "registry")


def test_tracking_parameters_do_not_change_the_key():
    html = article_html("Story", FILLER)
    a = extract_article(page(html, url="https://news.example.org/a?id=3&utm_source=feed#top"), "r").article
    b = extract_article(page(html, url="https://news.example.org/a?id=3"), "r").article
    assert a.article_id == b.article_id


def test_same_site_canonical_is_the_key_cross_site_canonical_is_a_signal():
    same = extract_article(page(article_html("S", FILLER, canonical="https://www.example-times.com/canonical-path"), url="https://amp.example-times.com/x"), "r")
    assert same.article.canonical_url == "https://www.example-times.com/canonical-path"
    assert same.other_canonical is None
    other = extract_article(page(article_html("S", FILLER, canonical="https://www.theguardian.com/world/original"), url="https://www.example-times.com/copy"), "r")
    assert other.article.canonical_url == "https://www.example-times.com/copy"
    assert other.other_canonical == "https://www.theguardian.com/world/original"


def test_home_page_canonical_is_ignored():
    x = extract_article(page(article_html("S", FILLER, canonical="https://www.example-times.com/"), url="https://www.example-times.com/world/a"), "r")
    assert x.article.canonical_url == "https://www.example-times.com/world/a"


def test_cp1251_page_with_header_charset():
    text = ["Министр иностранных дел заявил, что переговоры продолжатся на следующей неделе в Женеве и Вене.",
            "По его словам, стороны договорились о графике встреч и о составе рабочих групп для обсуждения."]  # fmt: skip
    html = article_html("Переговоры продолжатся", text * 2).decode("utf-8").replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251")
    a = extract_article(page(html, charset="windows-1251"), "r").article
    assert a.title == "Переговоры продолжатся"
    assert a.language == "ru"


def test_pdf_body_is_not_html():
    a = extract_article(page(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary stream"), "r").article
    assert a.error == "not_html"


def test_broken_markup_still_yields_text():
    html = b"<html><head><title>Broken</title></head><body><div><p>" + " ".join(FILLER).encode() + b"<p>" + FILLER[0].encode() + b"</div></td></span>"
    a = extract_article(page(html), "r").article
    assert a.error is None and "governing coalition" in a.text


def test_page_without_text_gets_an_error_not_an_exception():
    a = extract_article(page(b"<html><body><nav>Home</nav></body></html>"), "r").article
    assert a.error == "no_text"


def test_plain_text_article():
    body = "My headline\n\n" + "\n\n".join(FILLER)
    a = extract_article(page(body.encode(), url="file:///tmp/a.txt", kind="text_file", ctype="text/plain"), "r").article
    assert a.title == "My headline" and a.text.startswith("Officials said") and a.domain is None


def test_jsonld_date_time_and_authors():
    html = article_html("Story", FILLER, published="").replace(
        b"</head>",
        b'<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},'
        b'{"@type":"NewsArticle","datePublished":"2023-02-01T08:00:00Z","author":[{"@type":"Person","name":"Ana Lima"}],'
        b'"publisher":{"@type":"Organization","name":"The Example Times"}}]}</script></head>',
    )
    a = extract_article(page(html), "r").article
    assert a.published_date == date(2023, 2, 1)
    assert a.published_at == datetime(2023, 2, 1, 8, 0, tzinfo=timezone.utc)  # the time comes from JSON-LD
    assert "Ana Lima" in a.authors


def test_structured_date_fills_in_when_htmldate_finds_nothing():
    from tasks.extract import choose_date

    day, signal, stamp = choose_date([("jsonld", "2023-02-01T08:00:00+02:00"), ("meta", "2023-02-02")])
    assert (day, signal, stamp) == (date(2023, 2, 1), "jsonld", datetime(2023, 2, 1, 6, 0, tzinfo=timezone.utc))
    day, signal, _ = choose_date([("jsonld", "2023-02-01"), ("htmldate", "2023-01-31"), ("jsonld", "2999-01-01")])
    assert (day, signal) == (date(2023, 1, 31), "htmldate")


def test_brand_from_the_page_title():
    from tasks.extract import title_brand

    assert title_brand("Talks resume in Geneva | The Example Times", "Talks resume in Geneva") == "The Example Times"
    assert title_brand("Talks resume - Rhein Neckar Zeitung", "Talks resume") == "Rhein Neckar Zeitung"
    assert title_brand("Talks resume in Geneva", "Talks resume in Geneva") is None
    assert title_brand("Part one - Part two of the headline", "Part one - Part two of the headline") is None
    # WordPress themes that title pages "Post ‹ Site"; a "‹" inside a headline is no separator
    assert title_brand("Braconnier interpellé ! ‹ Wara Conservation Project", "Braconnier interpellé !") == "Wara Conservation Project"
    assert title_brand("Les guillemets ‹simples›", "Les guillemets ‹simples›") is None


def test_outlet_falls_back_to_the_title_brand_and_skips_bare_host_names():
    html = article_html("Talks resume", FILLER).replace(b'<meta property="og:site_name" content="The Example Times">', b'<meta property="og:site_name" content="www.example-times.com">')
    a = extract_article(page(html), "r").article
    # The footer's "Copyright The Example Times" agrees with the title's brand and gives it.
    assert (a.outlet, a.outlet_source) == ("The Example Times", "copyright")
    html = html.replace(b"Copyright The Example Times.", b"")
    assert (extract_article(page(html), "r").article.outlet_source) == "title"


def test_a_sub_brand_on_a_registry_domain_needs_two_page_signals():
    from tasks.extract import resolve_outlet

    both = {"og:site_name": "Madame Figaro", "application-name": "Madame Figaro"}
    assert resolve_outlet("madame.lefigaro.fr", {}, both, None) == ("Madame Figaro", "meta")
    assert resolve_outlet("madame.lefigaro.fr", {}, {"og:site_name": "Madame Figaro"}, None) == ("Le Figaro", "registry")
    # "NDTVSports.com" and "NDTV Sports" are one brand; the spelling without the TLD is kept.
    assert resolve_outlet("sports.ndtv.com", {"publisher": {"name": "NDTV Sports"}}, {"og:site_name": "NDTVSports.com"}, None) == ("NDTV Sports", "jsonld")


def test_outlet_taglines_are_cut_and_proper_names_beat_host_names():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("monroenews.com", {}, {"og:site_name": "Monroe News - Monroe, Michigan"}, None) == ("Monroe News", "meta")
    assert resolve_outlet("salon.com", {"publisher": {"name": "Salon.com"}}, {"og:site_name": "Salon"}, None) == ("Salon", "meta")
    assert resolve_outlet("futurezone.at", {"publisher": {"name": "futurezone.at"}}, {}, "Futurezoneat") == ("futurezone.at", "jsonld")
    # trafilatura's host-name fallback is no brand of the page's own
    assert resolve_outlet("blog.example.org", {}, {}, "blog.example.org") == ("example.org", "domain")


def test_a_twitter_handle_is_no_outlet_name_unless_it_spells_the_domain():
    from tasks.extract import resolve_outlet

    # trafilatura's site name from twitter:site, the page's only "brand": an account, not a name
    assert resolve_outlet("tnb.example.com", {}, {"twitter:site": "@TNBtweets"}, "TNBtweets") == ("example.com", "domain")
    assert resolve_outlet("example-times.com", {}, {"twitter:site": "@ExampleTimes"}, "ExampleTimes") == ("ExampleTimes", "trafilatura")
    # a site name that is no handle of the page still counts
    assert resolve_outlet("tnb.example.com", {}, {"twitter:site": "@TNBtweets"}, "The Northern Beacon") == ("The Northern Beacon", "trafilatura")


def test_a_section_word_after_the_brand_in_a_title_is_no_brand():
    from tasks.extract import title_brand

    assert title_brand("Club news - Weichen gestellt - Eintracht Presse - News", "Weichen gestellt") == "Eintracht Presse"
    assert title_brand("Weichen gestellt - Nachrichten", "Weichen gestellt") == "Nachrichten"  # nothing before it to take instead
    assert title_brand("Weichen gestellt - Eintracht News", "Weichen gestellt") == "Eintracht News"


def test_trafilaturas_title_guess_with_an_ordinal_date_is_no_site_name():
    from tasks.extract import resolve_outlet

    title = "Wochenbericht 14. - 20. Januar 2022 - SLF"
    # the title's last part, which the domain spells, names the site (even where the headline repeats the title)
    assert resolve_outlet("slf.ch", {}, {}, "Wochenbericht 14. - 20. Januar 2022", title, title) == ("SLF", "title")
    assert resolve_outlet("lawinen.example.org", {}, {}, "Wochenbericht 14. - 20. Januar 2022", title, title) == ("example.org", "domain")
    # the same guess without a date's dot: an organisation's name before the headline
    title = "Deutscher Verband Flüssiggas e.V. - So heizen Sie effizient"
    assert resolve_outlet("dvfg.de", {}, {}, "Deutscher Verband Flüssiggas e.V.", title, title)[0] == "Deutscher Verband Flüssiggas e.V."


def test_a_site_name_of_parts_gives_the_part_the_domain_spells():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("dealdoktor.de", {}, {"og:site_name": "Schnäppchen Blog mit Doktortitel • DealDoktor"}, None) == ("DealDoktor", "meta")
    # a host name is not taken over a proper name; without a part the domain spells, the tagline goes
    assert resolve_outlet("dvfg.de", {}, {"og:site_name": "Deutscher Verband Flüssiggas - dvfg.de"}, None) == ("Deutscher Verband Flüssiggas", "meta")
    assert resolve_outlet("example-times.com", {}, {"og:site_name": "The Example Times | Your daily news"}, None) == ("The Example Times", "meta")


def test_a_copyright_notice_without_a_holder_is_no_name():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("example.org", {}, {}, "Copyright © 2001-2009") == ("example.org", "domain")


def test_the_title_seconds_the_publisher_for_a_sub_brand_on_a_registry_domain():
    from tasks.extract import resolve_outlet

    publisher = {"publisher": {"@type": "Organization", "name": "Pilipino Star Ngayon"}}
    title = "Balita ngayon | Pilipino Star Ngayon"
    assert resolve_outlet("philstar.com", publisher, {"og:site_name": "Philstar.com"}, None, title, "Balita ngayon") == ("Pilipino Star Ngayon", "jsonld")
    # og:site_name and the title naming a section are not enough
    assert resolve_outlet("reuters.com", {}, {"og:site_name": "U.S."}, None, "Story | U.S.", "Story")[1] == "registry"


def test_a_site_name_tag_repeating_the_page_title_is_no_name():
    from tasks.extract import resolve_outlet

    title = "Cup-Vorschau: Ein Bruderduell und viele Fans - Handball Schweiz"
    meta = {"application-name": title, "og:title": title}
    # not the tag: the title's last part, which shares the domain's brand
    assert resolve_outlet("handball.ch", {}, meta, title, title, title) == ("Handball Schweiz", "title")
    title = "Cup-Vorschau: Ein Bruderduell - viele Fans"
    meta = {"application-name": title, "og:title": title}
    assert resolve_outlet("handball.ch", {}, meta, title, title, title) == ("handball.ch", "domain")
    assert resolve_outlet("handball.ch", {}, {"application-name": "Handball Schweiz", "og:title": title}, None, title, title) == ("Handball Schweiz", "meta")


def test_a_publisher_typed_person_is_no_outlet_even_with_a_bare_type_key():
    from tasks.extract import resolve_outlet

    person = {"publisher": {"type": "Person", "name": "Kristen Example"}}
    assert resolve_outlet("radio.example", person, {}, "Kristen Example", "La voix | ARTE Radio", "La voix") == ("ARTE Radio", "title")
    organisation = {"publisher": {"type": "Organization", "name": "ARTE Radio"}}
    assert resolve_outlet("radio.example", organisation, {}, None)[0] == "ARTE Radio"


def test_a_host_name_fragment_is_no_name():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("resort.example.de", {}, {}, ".tramino.de") == ("example.de", "domain")


def test_the_sites_host_name_in_a_title_is_its_brand():
    from tasks.extract import title_brand

    assert title_brand("Coronavirus rammer trafikken - sn.dk - Forsiden - Danmark", "Coronavirus rammer trafikken", "sn.dk") == "sn.dk"
    assert title_brand("Headline - blog.example.org - Section", "Headline", "blog.example.org") == "Section"


def test_granularity_and_signal_of_the_publication():
    from tasks.extract import timestamp_granularity

    assert [timestamp_granularity(v) for v in ("2024-03-05", "2024-03-05T10:15+01:00", "2024-03-05T10:15:00Z", "2024-03-05 10:15:07")] == ["day", "minute", "second", "second"]
    a = extract_article(page(article_html("Talks resume", FILLER, published="2024-03-05T10:15+01:00")), "r").article
    assert (a.published_at, a.date_granularity) == (datetime(2024, 3, 5, 9, 15, tzinfo=timezone.utc), "minute")
    day_only = extract_article(page(article_html("Talks resume", FILLER, published="2024-03-05")), "r").article
    assert (day_only.published_date, day_only.published_at, day_only.date_granularity) == (date(2024, 3, 5), None, "day")


def test_every_date_candidate_is_kept_with_the_chosen_one_and_implausible_ones_flagged():
    from tasks.extract import date_records

    html = article_html("Story", FILLER, published="2024-03-05T10:15:00+01:00").replace(
        b"</head>",
        b'<meta property="article:modified_time" content="2024-03-01T08:00:00Z">'
        b'<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2099-01-01T00:00:00Z","dateModified":"1985-06-01"}</script></head>',
    )
    extracted = extract_article(page(html), "r")
    rows = {(r.kind, r.signal): r for r in date_records(extracted, extracted.article)}
    assert extracted.article.published_date == date(2024, 3, 5)
    assert rows[("published", "jsonld")].flags == ("in_future",) and not rows[("published", "jsonld")].chosen
    assert rows[("published", "meta")].raw_value == "2024-03-05T10:15:00+01:00" and rows[("published", "meta")].granularity == "second"
    assert [r.chosen for r in rows.values()].count(True) == 1
    chosen = next(r for r in rows.values() if r.chosen)
    assert (chosen.signal, chosen.parsed_date) == (extracted.article.date_source, date(2024, 3, 5))
    assert rows[("modified", "jsonld")].flags == ("before_1990", "modified_before_published")
    assert rows[("modified", "meta")].flags == ("modified_before_published",)
    assert rows[("modified", "meta")].parsed_at == datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)
    assert {r.content_hash for r in rows.values()} == {extracted.article.content_hash}


def test_unreadable_date_values_are_kept_and_flagged():
    from tasks.extract import date_records

    html = article_html("Story", FILLER, published="Di., 25.01.2022 - 14:45")
    extracted = extract_article(page(html), "r")
    meta = [r for r in date_records(extracted, extracted.article) if r.signal == "meta"]
    assert meta and meta[0].flags == ("unparsed",) and meta[0].parsed_date is None and not meta[0].chosen


def test_malformed_links_and_canonical_do_not_break_a_page():
    # Seen on a corpus page: urlsplit raises on "http://[ccpa-preferences]" (brackets mean IPv6).
    html = article_html("Talks resume", FILLER, canonical="http://[ccpa-preferences]/x").replace(
        b'<p class="byline">By Jane Doe</p>', b'<p class="byline">By Jane Doe <a class="author" href="http://[ccpa-preferences]">settings</a></p>'
    )
    a = extract_article(page(html), "r").article
    assert a.error is None and a.title == "Talks resume"
    assert a.canonical_url == "https://www.example-times.com/world/2024/talks"  # the bad canonical names nothing


def test_an_unexpected_error_is_recorded_in_the_row_not_raised(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):  # stands for a bug no real page here triggers on demand
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    a = extract_article(page(article_html("Talks resume", FILLER)), "r").article
    assert a.error == "extract_error: RuntimeError: boom"
    assert a.url == "https://www.example-times.com/world/2024/talks"


def test_a_name_that_only_spells_the_registered_outlet_or_its_domain_is_no_sub_brand():
    from tasks.extract import resolve_outlet

    # og:site_name and application-name "thestar.com" on thestar.com: the registry's Toronto Star
    assert resolve_outlet("thestar.com", {}, {"og:site_name": "thestar.com", "application-name": "thestar.com"}, None) == ("Toronto Star", "registry")
    assert resolve_outlet("nu.nl", {"publisher": {"name": "NU.nl"}}, {"og:site_name": "NU"}, None) == ("NU.nl", "registry")
    # a real sub-brand still brands itself
    both = {"og:site_name": "Madame Figaro", "application-name": "Madame Figaro"}
    assert resolve_outlet("madame.lefigaro.fr", {}, both, None) == ("Madame Figaro", "meta")


def test_a_company_as_publisher_gives_way_to_the_publications_name():
    from tasks.extract import resolve_outlet

    company = {"publisher": {"name": "Beispiel Medien GmbH"}}
    assert resolve_outlet("beispiel-nachrichten.de", company, {"og:site_name": "Beispiel Nachrichten"}, None) == ("Beispiel Nachrichten", "meta")
    assert resolve_outlet("example-daily.com", {"publisher": {"name": "Example Holdings, Inc."}}, {"og:site_name": "The Example Daily"}, None) == ("The Example Daily", "meta")
    # nothing else declared: the club or firm is the best name the page gives
    assert resolve_outlet("segelclub-beispiel.de", {"publisher": {"name": "Segelclub Beispiel e.V."}}, {}, None) == ("Segelclub Beispiel e.V.", "jsonld")
    # a name merely containing such letters is no company
    assert resolve_outlet("agrarheute.com", {"publisher": {"name": "agrarheute AGRAR"}}, {}, None) == ("agrarheute AGRAR", "jsonld")


def test_two_kinds_of_signal_agreeing_beat_a_lone_publisher_name():
    from tasks.extract import resolve_outlet

    meta = {"og:site_name": "La Gaceta", "application-name": "La Gaceta"}
    title = "Sube el precio del pan | La Gaceta"
    assert resolve_outlet("lagacetafl.com", {"publisher": {"name": "La Gaceta FL"}}, meta, None, title, "Sube el precio del pan") == ("La Gaceta", "meta")
    # og:site_name and application-name alone come from one CMS field: the publisher still leads
    assert resolve_outlet("lagacetafl.com", {"publisher": {"name": "La Gaceta FL"}}, meta, None) == ("La Gaceta FL", "jsonld")


def test_the_home_screen_title_writes_the_name_a_host_like_site_name_spells():
    from tasks.extract import resolve_outlet

    meta = {"og:site_name": "regards.fr", "apple-mobile-web-app-title": "Regards"}
    assert resolve_outlet("regards.fr", {}, meta, "regards.fr", "Deux ans en Macronie - regards.fr", "Deux ans en Macronie") == ("Regards", "meta")
    # alone, or naming something else, it does not replace the page's brand
    assert resolve_outlet("sportnews.bz", {}, {"og:site_name": "SportNews.bz", "apple-mobile-web-app-title": "SportNews.bz name"}, None) == ("SportNews.bz", "meta")
    assert resolve_outlet("example.org", {}, {"apple-mobile-web-app-title": "Start"}, None) == ("example.org", "domain")


def test_issue_numbers_and_dangling_separators_are_no_part_of_a_brand():
    from tasks.extract import resolve_outlet

    title = "Trump is indeed a billionaire | Die Weltwoche, Ausgabe 4/2019"
    assert resolve_outlet("weltwoche.ch", {}, {}, None, title, "Trump is indeed a billionaire") == ("Die Weltwoche", "title")
    assert resolve_outlet("example-observer.com", {}, {"og:site_name": "Example Observer -"}, None) == ("Example Observer", "meta")
    assert resolve_outlet("example.com", {}, {"og:site_name": "Example, the daily"}, None) == ("Example, the daily", "meta")


def test_the_host_name_after_a_guillemet_is_the_brand_but_not_any_last_part():
    from tasks.extract import title_brand

    assert title_brand("Lockdown: Gottesdienste bleiben möglich › evang.at", "Lockdown: Gottesdienste bleiben möglich", "evang.at") == "evang.at"
    # old WordPress titles run "Blog » Archive » Post": the post is no brand, the blog is
    assert title_brand("Disfunctions.de » Blog Archiv » Podcasts in Plex einbinden", "Podcasts einbinden", "disfunctions.de") == "Disfunctions.de"
    assert title_brand("Notes » Archiv » Podcasts in Plex einbinden", "Podcasts einbinden", "disfunctions.de") is None


def test_an_archived_copy_belongs_to_the_archived_site():
    from tasks.extract import outlet_domain, resolve_outlet

    assert outlet_domain("https://web.archive.org/web/20120216182711/http://www.stol.it/Artikel/Politik") == "stol.it"
    assert outlet_domain("https://web.archive.org/web/20120216182711/http:/www.stol.it/Artikel") == "stol.it"  # normalised URL
    assert outlet_domain("https://web.archive.org/about/") == "web.archive.org"
    assert outlet_domain("https://www.example.com/web/1/http://other.org/") == "example.com"
    # trafilatura's name for an archived page is the archive's host: no brand
    assert resolve_outlet("time4talks.com", {}, {}, "web.archive.org") == ("time4talks.com", "domain")


def test_a_publisher_that_points_into_the_jsonld_graph_is_read_by_its_id():
    import json

    from lxml.html import fromstring

    from tasks.extract import read_jsonld

    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Bitcoin ETFs", "publisher": {"@id": "https://coinblog.example/#organization"}},
        {"@type": "Organization", "@id": "https://coinblog.example/#organization", "name": "Coinblog"},
    ]}  # fmt: skip
    tree = fromstring(f'<html><head><script type="application/ld+json">{json.dumps(graph)}</script></head><body></body></html>')
    assert read_jsonld(tree)["publisher"]["name"] == "Coinblog"
    # a reference to nothing on the page stays as it is
    graph["@graph"].pop()
    tree = fromstring(f'<html><head><script type="application/ld+json">{json.dumps(graph)}</script></head><body></body></html>')
    assert read_jsonld(tree)["publisher"] == {"@id": "https://coinblog.example/#organization"}


def test_a_graph_publisher_that_is_a_person_is_not_read_as_the_outlet():
    import json

    from lxml.html import fromstring

    from tasks.extract import read_jsonld

    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "BlogPosting", "headline": "15 Jahre", "publisher": {"@id": "https://blog.example/#/schema/person/1"}},
        {"@type": ["Person", "Organization"], "@id": "https://blog.example/#/schema/person/1", "name": "Andrea Beispiel"},
    ]}  # fmt: skip
    tree = fromstring(f'<html><head><script type="application/ld+json">{json.dumps(graph)}</script></head><body></body></html>')
    assert read_jsonld(tree)["publisher"] == {"@id": "https://blog.example/#/schema/person/1"}


def test_page_date_prefers_the_real_url_and_falls_back_to_the_declared_one():
    from trafilatura.utils import load_html

    from tasks.metadata import page_date, read_metadata

    html = "<html><head><title>A story</title><link rel='canonical' href='https://other.example/{}/story'></head><body><p>{}</p></body></html>"
    text = "Words of a story that carries no date of its own. " * 5
    moved = load_html(html.format("2019/05/03", text))
    assert page_date(moved, "https://example.org/2020/07/12/story", "https://other.example/2019/05/03/story") == "2020-07-12"
    assert page_date(moved, "https://example.org/story", "https://other.example/2019/05/03/story") == "2019-05-03"
    meta = read_metadata(moved, "https://example.org/2020/07/12/story")
    assert (meta.title, meta.url, meta.date) == ("A story", "https://other.example/2019/05/03/story", "2020-07-12")


def test_publisher_and_copyright_meta_fill_in_for_a_host_name_but_never_outvote_the_registry():
    from tasks.extract import resolve_outlet

    meta = {"og:site_name": "cien-noticias.com.ni", "copyright": "Cien Noticias"}
    assert resolve_outlet("cien-noticias.com.ni", {}, meta, None) == ("Cien Noticias", "meta")
    assert resolve_outlet(None, {}, meta, None) == ("Cien Noticias", "meta")  # no URL: the declared host name is the domain
    # The publisher tag names the firm behind a brand as often as the brand: not read.
    assert resolve_outlet("cien-noticias.com.ni", {}, {**meta, "copyright": "", "publisher": "Ejemplo Radiodifusión"}, None) == ("cien-noticias.com.ni", "meta")
    assert resolve_outlet("nbz.de", {}, {"application-name": "nbz.de", "copyright": "© 2021 Neue Beispiel Zeitung"}, None) == ("Neue Beispiel Zeitung", "meta")
    # A copyright tag that the domain does not spell names the firm behind the brand.
    assert resolve_outlet("hessenschau-beispiel.de", {}, {"og:site_name": "hessenschau-beispiel.de", "copyright": "Beispielischer Rundfunk, Frankfurt"}, None) == ("hessenschau-beispiel.de", "meta")
    # Three tags with the same words are one vote: the registry's outlet stays.
    same = {"copyright": "BBC Beispiel", "og:site_name": "BBC Beispiel"}
    assert resolve_outlet("bbc.co.uk", {}, same, None) == ("BBC News", "registry")
    # A company in the copyright tag gives way to the brand, as a company publisher does.
    assert resolve_outlet("beispiel-magazin.de", {}, {"og:site_name": "BEISPIEL-MAGAZIN.de", "copyright": "(c) 2010-2016 Beispiel Verlag GmbH"}, None) == ("BEISPIEL-MAGAZIN.de", "meta")


def test_website_name_of_the_graph_votes_for_a_sub_brand():
    from tasks.extract import resolve_outlet

    regional = {"@website_name": "Beispiel REGIONAL"}
    assert resolve_outlet("bbc.co.uk", regional, {"og:site_name": "Beispiel REGIONAL"}, None) == ("Beispiel REGIONAL", "jsonld")
    # The graph's organisation and site written alike are one vote.
    alike = {"publisher": {"name": "Beispiel REGIONAL"}, "@website_name": "Beispiel REGIONAL"}
    assert resolve_outlet("bbc.co.uk", alike, {}, None) == ("BBC News", "registry")


def test_latin_script_brand_before_a_native_script_one():
    from tasks.extract import resolve_outlet

    both = ({"publisher": {"name": "दैनिक जागरण"}}, {"og:site_name": "Dainik Jagran"})
    assert resolve_outlet("jagran-example.com", *both, None) == ("Dainik Jagran", "meta")
    assert resolve_outlet("samachar-example.com", {"publisher": {"name": "नमूना समाचार"}}, {}, None) == ("नमूना समाचार", "jsonld")


def test_descriptor_word_cut_where_the_rest_spells_the_domain_or_the_copyright_holder():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("mynet-example.com", {}, {"og:site_name": "Mynet-Example Haber"}, None) == ("Mynet-Example", "meta")
    assert resolve_outlet(None, {}, {"og:site_name": "St. Example Times News"}, None, holders=("St. Example Times",)) == ("St. Example Times", "meta")
    # The descriptor is part of the brand where the rest is not the domain: foxnews.com is "Fox News".
    assert resolve_outlet("foxnews-example.com", {}, {"og:site_name": "Fox-Example News"}, None)[0] == "Fox-Example News"
    assert resolve_outlet("example.com", {}, {"og:site_name": "Daily News"}, None)[0] == "Daily News"
    assert resolve_outlet("beispiel-magazin.de", {}, {"og:site_name": "BEISPIEL magazin"}, None, holders=("BEISPIEL",))[0] == "BEISPIEL magazin"


def test_copyright_holder_named_by_the_title_is_the_outlet():
    from tasks.extract import copyright_holder, copyright_holders, resolve_outlet

    assert copyright_holder("&copy; Beispiel-Stiftung e.V. 2021") == "Beispiel-Stiftung"
    assert copyright_holder(" 2022 - St. Example Times. A Big Feat Media Production.") == "St. Example Times"
    assert copyright_holder(" 100% Ejemplo | 2022 | Todos los derechos reservados.") == "100% Ejemplo"
    assert copyright_holders("<p>© Jane Doe / Getty Images</p><footer>Copyright &copy; Rhein-Beispiel-Zeitung 2019 |</footer>") == ("Rhein-Beispiel-Zeitung", "Jane Doe")
    holders = ("Beispiel-Stiftung",)
    assert resolve_outlet("beispiel-stiftung.de", {}, {}, None, "Beispiel-Stiftung - detail", "Wahlen", holders) == ("Beispiel-Stiftung", "copyright")
    assert resolve_outlet("rnz-beispiel.de", {}, {}, None, "Talks - Rhein Beispiel Zeitung", "Talks", ("Rhein-Beispiel-Zeitung",)) == ("Rhein-Beispiel-Zeitung", "copyright")
    # A holder the title does not name (a photographer, the group behind the site) is no brand.
    assert resolve_outlet("beispiel-stiftung.de", {}, {}, None, "Wahlen - Beispiel Blog", "Wahlen", ("Jane Doe",)) == ("Beispiel Blog", "title")


def test_the_title_part_the_domain_spells_is_its_brand_wherever_it_stands():
    from tasks.extract import title_brand

    title = "Tres muertos en un choque | Junín 24 - Noticias de Junín"
    assert title_brand(title, "Tres muertos en un choque", "junin24.com") == "Junín 24"
    # without the domain, the last part (here a tagline) is all there is to go on
    assert title_brand(title, "Tres muertos en un choque", None) == "Noticias de Junín"
    # a brand-first title, where only the first part spells the domain
    assert title_brand("next2games | Vorschauen: Anno 1800 Beta", "Vorschauen", "next2games.de") == "next2games"
    assert title_brand("Spiele | Vorschauen: Anno 1800 Beta", "Vorschauen", "next2games.de") == "Vorschauen: Anno 1800 Beta"


def test_a_site_name_worded_like_a_tagline_gives_way_to_the_name_the_domain_spells():
    from tasks.extract import resolve_outlet

    tagline = {"og:site_name": "Sauber in die Zukunft"}
    assert resolve_outlet("example-shop.de", {}, tagline, None, "Neue Ware - Example Shop", "Neue Ware") == ("Example Shop", "title")
    assert resolve_outlet("example-shop.de", {}, tagline, None, "Neue Ware", "Neue Ware", (), ("Example Shop - alles frisch",)) == ("Example Shop", "home_link")
    # a proper name is no tagline, nor is a two-word name the domain abbreviates oddly
    assert resolve_outlet("tucson.com", {}, {"og:site_name": "Arizona Daily Star"}, None, "Story | National News | tucson.com", "Story") == ("Arizona Daily Star", "meta")
    assert resolve_outlet("djz.de", {}, {"og:site_name": "Deutsche Jagdzeitung"}, None, "Amoklauf", "Amoklauf", (), ("DJZ",)) == ("Deutsche Jagdzeitung", "meta")
    # the tagline stays where nothing the domain spells is there instead
    assert resolve_outlet("example-shop.de", {}, tagline, None, "Neue Ware", "Neue Ware") == ("Sauber in die Zukunft", "meta")


def test_home_link_names_read_the_masthead_and_the_logo():
    from tasks.extract import home_link_names, load_html

    page = """<html><body><header>
      <a href="/" rel="home">Startseite</a>
      <p class="site-title"><a href="https://www.example-blog.de/" rel="home">Nordish by Nature</a></p>
      <a href="https://example-blog.de"><img src="/logo.png" alt="Logo Deutsches Beispielinstitut"></a>
      <a href="/impressum">Impressum</a>
      <a href="/" title="Der Beispielbund (Link zur Startseite)"><img src="/l.svg" alt=""></a>
    </header><article><p>Text</p></article></body></html>"""
    tree = load_html(page)
    assert home_link_names(tree, "https://www.example-blog.de/2020/01/post.html") == ("Nordish by Nature", "Deutsches Beispielinstitut", "Der Beispielbund")
    # links elsewhere name no home page
    assert home_link_names(load_html('<html><body><a href="/impressum">Beispiel GmbH</a><p>x</p></body></html>'), "https://example.de/a") == ()


def test_the_home_link_and_the_copyright_holder_name_a_site_that_declares_nothing():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("example-blog.de", {}, {}, None, "Post", "Post", (), ("Example Blog",)) == ("Example Blog", "home_link")
    # a home link's name of words that shares a word with the domain, in German host-name spelling too
    assert resolve_outlet("deutschebeispiele.de", {}, {}, None, "Post", "Post", (), ("Deutsches Beispielinstitut",)) == ("Deutsches Beispielinstitut", "home_link")
    assert resolve_outlet("bundespraesident.example.de", {}, {}, None, "Rede", "Rede", (), ("Der Bundespräsident",))[1] == "domain"
    assert resolve_outlet("bundespraesident.de", {}, {}, None, "Rede", "Rede", (), ("Der Bundespräsident",)) == ("Der Bundespräsident", "home_link")
    # a front-page link ("Aktuell") or one word the domain already writes ("Heiko") names nothing more
    assert resolve_outlet("sonnenenergie.de", {}, {}, None, "Post", "Post", (), ("Aktuell",)) == ("sonnenenergie.de", "domain")
    assert resolve_outlet("heiko-adams.de", {}, {}, None, "Post", "Post", (), ("Heiko",)) == ("heiko-adams.de", "domain")
    # the copyright holder the domain spells, in capitals on the page
    assert resolve_outlet("thenervousbreakdown.com", {}, {}, None, "Alone |", "Alone", ("THE NERVOUS BREAKDOWN",)) == ("The Nervous Breakdown", "copyright")
    assert resolve_outlet("finanztreff.de", {}, {}, None, "Post", "Post", ("finanztreff",)) == ("finanztreff.de", "domain")
    assert resolve_outlet("example.de", {}, {}, None, "Post", "Post", ("Jane Photographer",)) == ("example.de", "domain")


def test_a_site_that_declares_no_brand_is_named_as_its_page_writes_the_domain():
    from tasks.extract import resolve_outlet

    # one capitalised word in the copyright line, or the magazine's name as its author tag
    assert resolve_outlet("gartenjournal.net", {}, {}, None, "Zaubernuss", "Zaubernuss", ("Gartenjournal",)) == ("Gartenjournal", "copyright")
    assert resolve_outlet("l-mag.de", {}, {"author": "L-MAG – Das Magazin für Lesben"}, None, "Gedenktag", "Gedenktag") == ("L-MAG", "meta")
    # a person as author, a holder the domain does not spell: the domain still
    assert resolve_outlet("l-mag.de", {}, {"author": "Jane Doe"}, None, "Gedenktag", "Gedenktag") == ("l-mag.de", "domain")
    # a host name the page declares itself stays, beside the title's name of the same brand
    meta = {"og:site_name": "paz.de"}
    assert resolve_outlet("paz.de", {}, meta, None, "Wettstreit der Scheinlösungen - Preußische Allgemeine Zeitung", "Wettstreit der Scheinlösungen") == ("paz.de", "meta")


def test_a_publisher_named_as_company_then_publication_gives_the_publication():
    from tasks.extract import resolve_outlet

    jsonld = {"publisher": {"@type": "Organization", "name": "Springer Medizin Verlag GmbH, Ärzte Zeitung"}}
    assert resolve_outlet("aerztezeitung.de", jsonld, {}, None, "Urteil", "Urteil") == ("Ärzte Zeitung", "jsonld")
    # the part after the comma is no publication of this domain (a place): the whole company name stays
    jsonld = {"publisher": {"@type": "Organization", "name": "Beispiel Medien GmbH, Berlin"}}
    assert resolve_outlet("beispiel-medien.de", jsonld, {}, None, "Urteil", "Urteil") == ("Beispiel Medien GmbH, Berlin", "jsonld")


def test_an_unfilled_cms_template_is_no_site_name():
    from tasks.extract import resolve_outlet

    for slot in ("{$plugin.tx_news.opengraph.site_name}", "{{ site.name }}", "%SITENAME%"):
        assert resolve_outlet("mpimet.de", {}, {"og:site_name": slot}, None, "Klimasystem", "Klimasystem") == ("mpimet.de", "domain")
    # braces, brackets and per cent signs in a real name stay
    assert resolve_outlet("100noticias.com.ni", {}, {"og:site_name": "100% Noticias"}, None, "Nota", "Nota")[0] == "100% Noticias"


def test_copyright_holder_named_after_any_title_separator_and_taglines_after_a_dot():
    from tasks.extract import resolve_outlet

    title = "Kein Cyberterrorismus (diesmal) «  Dr. Phillip W. Brunst"
    assert resolve_outlet("pbrunst.de", {}, {}, None, title, title, ("Dr. Phillip W. Brunst",)) == ("Dr. Phillip W. Brunst", "copyright")
    assert resolve_outlet("gay.ch", {}, {"og:site_name": "GAY.CH · Alles bleibt anders!"}, None) == ("GAY.CH", "meta")
    assert resolve_outlet("oekolandbau.de", {}, {}, None, "Huhn | Ökolandbau.de", "Huhn") == ("Ökolandbau.de", "title")


def test_a_title_part_the_domain_spells_beats_a_site_name_sharing_nothing_with_the_domain():
    from tasks.extract import resolve_outlet

    assert resolve_outlet("smava.de", {}, {"og:site_name": "Privatkredit"}, None, "Zinsen: So rechnen Sie | SMAVA", "Zinsen") == ("SMAVA", "title")
    # a site name that abbreviates to the domain is the brand written out
    assert resolve_outlet("nzz-example.ch", {}, {"og:site_name": "Neue Zürcher Zeitung"}, None, "Story | NZZ", "Story")[0] == "Neue Zürcher Zeitung"
    # another script than the host name's cannot be compared with it: the declared name stands
    assert resolve_outlet("aif.ru", {}, {"og:site_name": "Аргументы и Факты"}, None, "Новость | AIF", "Новость")[0] == "Аргументы и Факты"


def test_a_title_section_gives_way_to_the_logo_the_domain_spells():
    from tasks.extract import home_link_names, load_html, resolve_outlet

    title = "Neu - Japanisches Mini-SUV auf dem Vormarsch - Vorstellung"
    assert resolve_outlet("auto-presse.de", {}, {}, None, title, "Japanisches Mini-SUV", (), ("AUTO-PRESSE",)) == ("AUTO-PRESSE", "home_link")
    # without a name the domain spells, the title's part stays
    assert resolve_outlet("auto-presse.de", {}, {}, None, title, "Japanisches Mini-SUV", (), ("Wittmann Media",)) == ("Vorstellung", "title")
    tree = load_html('<html><body><div id="head"><img src="/images/logo.png" alt="AUTO-PRESSE"></div><img src="/a.jpg" alt="Ein SUV"><p>x</p></body></html>')
    assert home_link_names(tree, "https://auto-presse.de/news.php") == ("AUTO-PRESSE",)


def test_home_link_words_are_cut_and_leave_no_fragment():
    from tasks import registry
    from tasks.extract import _home_link_name

    noise = registry.outlets().home_link_noise
    assert _home_link_name("Springer logo for printing", noise) == "Springer"
    assert _home_link_name("Regiolanda Logo, Regionale Angebote", noise) == "Regiolanda"
    assert _home_link_name("Home page del Parco", noise) is None
    assert _home_link_name("Startseite", noise) is None
    assert _home_link_name("Homes & Gardens", noise) == "Homes & Gardens"


def test_hosting_platforms_quoted_names_blog_subdomains_and_colon_taglines():
    from tasks.extract import resolve_outlet

    blogger = {"publisher": {"@type": "Organization", "name": "Blogger"}}
    assert resolve_outlet("hassanchef.com", blogger, {"og:site_name": "hassanchef"}, None) == ("hassanchef", "meta")
    assert resolve_outlet("blogger.com", blogger, {}, None) == ("Blogger", "jsonld")  # on its own domain it is the outlet
    assert resolve_outlet("unn.com.ua", {"publisher": {"name": 'Информационное агентство "УНН"'}}, {}, None) == ("УНН", "jsonld")
    assert resolve_outlet("example.com.ua", {"publisher": {"name": "Газета «Пример»"}}, {}, None) == ("Пример", "jsonld")
    assert resolve_outlet("example.com", {"publisher": {"name": 'The "Daily" Planet'}}, {}, None)[0] == 'The "Daily" Planet'
    # "Blog" is a descriptor on the brand's own domain, part of the name on its blog subdomain
    assert resolve_outlet("campact.de", {"publisher": {"name": "Campact Blog"}}, {}, None) == ("Campact", "jsonld")
    assert resolve_outlet("blog.campact.de", {"publisher": {"name": "Campact Blog"}}, {}, None) == ("Campact Blog", "jsonld")
    assert resolve_outlet("wordsmith.org", {}, {"og:site_name": "Wordsmith.org: the magic of words"}, None) == ("Wordsmith.org", "meta")
    assert resolve_outlet("example.org", {}, {"og:site_name": "Example: A Journal"}, None) == ("Example: A Journal", "meta")
    # a host name after a tagline is the brand; after a proper name, the proper name is
    assert resolve_outlet("mixed.de", {}, {"og:site_name": "News zu VR, AR und KI | MIXED.de"}, None) == ("MIXED.de", "meta")


def test_title_bylines_dates_and_blog_archive_labels_are_no_brands():
    from tasks.extract import resolve_outlet, title_brand

    # a byline or a date where the brand would stand names the author or the day
    assert title_brand("How To Scrape Google With Python - By linksc", "How To Scrape Google With Python") is None
    assert title_brand("Wahlen 2021 - Von Anna Beispiel", "Wahlen 2021") is None
    assert title_brand("How To Scrape - Byte Magazine", "How To Scrape") == "Byte Magazine"  # a word that only starts like "By"
    assert resolve_outlet("amnesty.example", {}, {}, None, "Weltweit | Waffensysteme | 02.11.2021", "Waffensysteme") == ("amnesty.example", "domain")
    assert resolve_outlet("example.de", {}, {}, None, "Weltweit | Waffensysteme | Beispiel Post", "Waffensysteme") == ("Beispiel Post", "title")
    # WordPress's default theme: "Blog » Blog Archive » Post"
    assert title_brand("Disfunctions.de  » Blog Archiv   » Podcasts in Plex einbinden", "Podcasts in Plex einbinden") == "Disfunctions.de"
    assert title_brand("Example Notes » Blog Archive » Hello world", "Hello world") == "Example Notes"
    assert title_brand("Blog Archive » Hello world", "Hello world") is None  # nothing before the label
    assert title_brand("Kunst » Archiv » Post", "Post") is None


def test_a_whole_title_taken_for_the_headline_still_gives_a_brand_that_shares_the_domain():
    from tasks.extract import title_brand

    title = "Rutger Bregman: Unser wahres Ich - brand eins online"
    assert title_brand(title, title, "brandeins.de") == "brand eins online"
    # the last part of a headline with a dash is no brand when it shares nothing with the domain
    title = "Autofinanzierung - Autokredit oder doch besser Leasing?"
    assert title_brand(title, title, "comparis.ch") is None
    assert title_brand(title, title) is None


def test_host_names_with_www_spell_the_domain_and_authors_are_no_site_names():
    from tasks.extract import _spells_domain, resolve_outlet

    assert _spells_domain("www.ekbo.de", "ekbo.de")
    assert not _spells_domain("www.other.de", "ekbo.de")
    # a title's host name beats a section word after it, and gives the domain's own brand
    assert resolve_outlet("ekbo.de", {}, {}, None, "www.ekbo.de | Detail", "Bischofswort") == ("ekbo.de", "domain")
    # trafilatura's site name that is the page's author names a person, not the site
    meta = {"author": "Andreas Beispiel", "publisher": "Andreas Beispiel"}
    assert resolve_outlet("beispielchemie.info", {}, meta, "Andreas Beispiel", "Heliumkerne", "Heliumkerne") == ("beispielchemie.info", "domain")
    assert resolve_outlet("beispielchemie.info", {}, {"publisher": "Beispielchemie"}, "Beispielchemie", "Heliumkerne", "Heliumkerne") == ("Beispielchemie", "trafilatura")


def test_a_logo_alt_with_a_long_tagline_still_names_the_site():
    from tasks import registry
    from tasks.extract import _home_link_name, resolve_outlet

    noise = registry.outlets().home_link_noise
    alt = "Luxury Haven | Award-winning Singapore Lifestyle Blog"
    assert _home_link_name(alt, noise) == alt
    assert resolve_outlet("luxuryhaven.co", {}, {}, None, "Hotel opens", "Hotel opens", (), (alt,)) == ("Luxury Haven", "home_link")
    # a long phrase before any separator is no name
    assert _home_link_name("Alles was man über die Schule wissen muss und noch mehr", noise) is None


def test_site_name_parts_copyright_notices_and_hosts_after_by():
    from tasks.extract import _brand, resolve_outlet

    # the one part that shares the domain's brand, not a list of topics; not a phrase, not beside the host name
    assert _brand("Boston News, Weather, Sports | WHDH 7News", "whdh.com") == "WHDH 7News"
    assert _brand("Noticias de El Salvador - La Prensa Gráfica | Informate con la verdad", "laprensagrafica.com") == "La Prensa Gráfica"
    assert _brand("Monroe News - Monroe, Michigan", "monroenews.com") == "Monroe News"  # both parts share it: the first
    assert _brand("ingenieur.de - Jobbörse und Nachrichtenportal für Ingenieure", "ingenieur.de") == "ingenieur.de"
    assert _brand("beispiel.de - Das Beispiel-Portal", "beispiel.de") == "beispiel.de"
    # a name of parts that spells the domain as a whole stays whole
    assert _brand("CDU - Fraktion Erfurt", "cdu-fraktion-erfurt.de") == "CDU - Fraktion Erfurt"
    assert _brand("CDU - Fraktion Erfurt", "example.de") == "CDU"
    meta = {"copyright": "CDU - Fraktion Erfurt"}
    assert resolve_outlet("cdu-fraktion-erfurt.de", {}, meta, None, "Waldorfschule", "Waldorfschule") == ("CDU - Fraktion Erfurt", "meta")
    # a copyright notice, escaped once or thrice, gives its holder
    assert _brand("Copyright © 2017 Sohu.com Inc. All Rights Reserved.", "sohu.com") == "Sohu.com"
    assert _brand("&amp;amp;copy; 2016 aryanews.com", "aryanews.com") == "aryanews.com"
    assert _brand("Copyright ©", "example.com") is None
    # "Rezept von Backen.de": the host name after "von"/"by" that spells the domain
    assert _brand("Rezept von Backen.de", "backen.de") == "Backen.de"
    assert _brand("Rezept von Backen.de", "example.de") == "Rezept von Backen.de"
    assert resolve_outlet("backen.de", {}, {}, None, "Maulwurfkuchen | Rezept von Backen.de", "Maulwurfkuchen") == ("Backen.de", "title")


def test_a_host_name_two_kinds_of_signal_write_beats_a_title_section():
    from tasks.extract import resolve_outlet

    title = 'Rapids Barisic geschlaucht - Fussball - Bundesliga'
    seconded = {"apple-mobile-web-app-title": "LAOLA1.at"}
    assert resolve_outlet("laola1.at", {}, seconded, None, title, "Rapids Barisic geschlaucht", (), ("LAOLA1.at",)) == ("LAOLA1.at", "home_link")
    # the logo alone writing the host name: the title's part stands
    assert resolve_outlet("laola1.at", {}, {}, None, title, "Rapids Barisic geschlaucht", (), ("LAOLA1.at",)) == ("Bundesliga", "title")


def test_the_domain_fallback_writes_the_brand_as_the_page_does():
    from tasks.extract import page_spelling, resolve_outlet

    assert page_spelling("omr.com", "Die OMR Daily berichtet. Mehr auf omr.com und https://omr.com/de") == "OMR"
    assert page_spelling("petri-heil.ch", "Willkommen bei Petri Heil, dem Magazin") == "Petri Heil"
    assert page_spelling("www.bahamaslocal.com", "News from BahamasLocal.com today") == "BahamasLocal.com"
    # one capitalised word may be any word of the text; a host name in a URL or an address is the host
    assert page_spelling("zeit.de", "Die Zeit vergeht. zeit.de") is None
    assert page_spelling("omr.com", "mail info@omr.com or see www.omr.com") is None
    assert page_spelling("omr.com", "o mr") is None
    text = lambda: "Der DVGW fordert ..."  # noqa: E731
    assert resolve_outlet("dvgw.de", {}, {}, None, "Heizung", "Heizung", (), (), text) == ("DVGW", "domain")
    assert resolve_outlet("dvgw.de", {}, {}, None, "Heizung", "Heizung", (), (), "Heizung") == ("dvgw.de", "domain")
