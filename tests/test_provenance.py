"""Credit and republication patterns, positive and negative, tested on the row functions."""

from dataclasses import replace
from datetime import date

import pytest

from tasks import registry
from tasks.extract import Extracted, extract_article
from tasks.provenance import credits_in_elements, credits_in_text, only_agencies, parse_date, republication_in_text, trace_article
from tests.conftest import SAMPLES
from warehouse.schema import Article, Fetch, Page


def agencies_in(text: str) -> list[str]:
    return sorted({agency for agency, *_ in credits_in_text(text)})


def roles_in(text: str) -> set[str]:
    return {role for _agency, role, *_ in credits_in_text(text)}


BODY = "The minister said the plan would be presented next week.\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("KYIV (Reuters) - Ukraine said on Monday that talks would resume.\n" + BODY, ["Reuters"]),
        ("BERLIN (dpa) - Die Bundesregierung hat am Montag beschlossen.\n" + BODY, ["dpa"]),
        ("(AP) — A storm hit the coast on Sunday.\n" + BODY, ["AP"]),
        ("Madrid, 12 jul (EFE).- El Gobierno aprobó el decreto.\n" + BODY, ["EFE"]),
        ("PARIS (AFP) – Le gouvernement a annoncé lundi.\n" + BODY, ["AFP"]),
        ("MOSCOW, July 12. /TASS/. Russia said on Sunday.\n" + BODY, ["TASS"]),
        ("Berlin (dpa/AFP) - Zwei Agenturen berichten.\n" + BODY, ["AFP", "dpa"]),
    ],
)
def test_dateline_credits(text, expected):
    assert agencies_in(text) == expected
    assert roles_in(text) == {"dateline"}


@pytest.mark.parametrize(
    "text, expected",
    [
        (BODY + "With reporting by AFP and Interfax", ["AFP", "Interfax"]),
        (BODY + "Additional reporting by Reuters.", ["Reuters"]),
        (BODY + "The Associated Press contributed to this report.", ["AP"]),
        (BODY + "Mit Material von dpa und AFP", ["AFP", "dpa"]),
        (BODY + "Con información de EFE.", ["EFE"]),
        (BODY + "Com informações da Lusa.", ["Lusa"]),
        (BODY + "(avec AFP)", ["AFP"]),
        (BODY + "Source: PTI", ["PTI"]),
        (BODY + "Quelle: dpa", ["dpa"]),
        (BODY + "(c) 2020 The Associated Press. All rights reserved.", ["AP"]),
        (BODY + "© dpa-infocom, dpa:220124-99-835563/5", ["dpa"]),
        (BODY + "(mak/dpa)", ["dpa"]),
        (BODY + "Das Übergewicht könne sich jederzeit neu bilden, hieß es. (FR mit dpa)", ["dpa"]),
        (BODY + "Lo dijo el ministro, que pidió «superarla como merece». EFE", ["EFE"]),
        (BODY + "The games run August 11-21. — AFP", ["AFP"]),
        (BODY + "Lo ha detto il ministro. (ANSA).", ["ANSA"]),
        (BODY + "RIPRODUZIONE RISERVATA © Copyright ANSA", ["ANSA"]),
        (BODY + "© Thomson Reuters 2020", ["Reuters"]),
        ("London, Jun 11 (efe-epa).- The pandemic continues.\n" + BODY, ["EFE"]),
        (BODY + "Das sagte der Sprecher am Abend. (dpa)", ["dpa"]),
        (BODY + "sid/dpa", ["SID", "dpa"]),
        ("By The Associated Press\n" + BODY, ["AP"]),
        ("Источник: ТАСС\n" + BODY + "Источник: ТАСС", ["TASS"]),
        ("KVELLER via JTA — The state of Washington has sworn in a new justice.\n" + BODY, ["JTA"]),
        ("MOSCOW (UrduPoint News / Sputnik - 29th April, 2020) It is impossible to say.\n" + BODY, ["Sputnik"]),
        ("- Home\n- World\n- News\n- A headline\nA headline\nBy Jane Doe\nA summary.\nMOSCOW (UrduPoint News / Sputnik - 29th April, 2020) It is.\n" + BODY * 9, ["Sputnik"]),
        ("22/11/2020 - 04:30 - Fonte: Agência Brasil - Foto: Cesar Greco/Palmeiras\n" + BODY, ["Agência Brasil"]),
        (BODY + "Später kündigte der Manager sein Erscheinen an. (dpa/gem)\n" + "Ein anderer Artikel: VW baut um\n" * 6, ["dpa"]),
        (BODY + "(SID)\n" + "Das könnte Dich auch interessieren\n" * 4, ["SID"]),
        (BODY + "Die Katholiken könnten es sich nicht leisten. (KNA, DR)", ["KNA"]),
        (BODY + "FMW/Bloomberg", ["Bloomberg"]),
        # the text's copyright, then the picture's source under its own label
        (BODY + "© dpa-AFX | Abb.: Fraport | 07.11.2023 08:03", ["dpa-AFX"]),
        (BODY + "© ANSA | Foto: Ufficio stampa", ["ANSA"]),
        (BODY + "© 2023 EFE | Imagen: Archivo", ["EFE"]),
    ],
)
def test_credit_lines_in_several_languages(text, expected):
    assert agencies_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        BODY + "Bloomberg reported that the deal was close, according to Reuters.",  # citations
        BODY + "The company told AFP on Monday that it would appeal.",
        BODY + "Laut dpa-Informationen will die Regierung nachbessern.",
        BODY + "Photo: AFP",  # photo credits
        BODY + "Foto: dpa",
        BODY + "(AP Photo/Evan Vucci)",
        BODY + "© dpa | Kay Nietfeld",
        BODY + "Rubriklistenbild: © KCNA/dpa",
        BODY + "© Fraport | Abb.: dpa",  # the agency is the picture's source, the text is the company's
        BODY + "© Kay Nietfeld | Foto: dpa",
        "Students in AP classes scored higher, the PA state board said.\n" + BODY,  # ambiguous short forms in prose
        BODY + "Reporting by Jane Doe; Editing by John Smith",  # persons only
        BODY + "Source: World Bank",
        "WASHINGTON (2020) - A year in review.\n" + BODY,
        "NEW YORK (The Forward via Medium) — A story shared by a blog.\n" + BODY,  # "via" a non-agency
        "MOSCOW (UrduPoint News - 29th April, 2020) It is impossible to say.\n" + BODY,  # no agency in the dateline
        "LAHORE (Pakistan Point News / Staff Reporter - 29th April, 2020) A report.\n" + BODY,
        "22/11/2020 - 04:30 - Fonte: Prefeitura de Santos - Foto: Agência Brasil\n" + BODY,  # the agency took the photo
        BODY + "(CNN, DR)",  # initials without an agency
        BODY + "Die Regierung (AB/CD) sagte das.",
        BODY + "Ein Zitat aus der Mitte eines langen Textes (dpa) geht weiter und weiter.",
    ],
)
def test_citations_photo_credits_and_prose_are_not_credits(text):
    assert agencies_in(text) == []


def test_only_agencies_allows_author_initials_between_slashes():
    assert only_agencies("mak/dpa")
    assert only_agencies("dpa/gem") and only_agencies("KNA, DR") and only_agencies("FMW/Bloomberg")
    assert not only_agencies("FMW/CNN") and not only_agencies("Jane Doe, AP")
    assert only_agencies("Reuters and AFP")
    assert not only_agencies("AP Photo/John Locher")
    assert not only_agencies("the Reuters Institute")


@pytest.mark.parametrize(
    "text",
    ["KYIV (Reuters) - Ukraine", "With reporting by The Associated Press", "据新华社报道", "AFP通信によると", "연합뉴스에 따르면", "(AP_Photo)", "Мы узнали от Интерфакс", "Foto: picture alliance/dpa"],
)
def test_may_name_never_misses_a_text_the_alias_patterns_match(text):
    agencies = registry.agencies()
    assert agencies.find(text) or agencies.find(text, any_case=True)
    assert agencies.may_name(text) and agencies.may_name(text, any_case=True)


def test_may_name_lets_every_alias_of_the_registry_through():
    agencies = registry.agencies()
    missed = [alias for agency in agencies.agencies for alias in (agency.name, *agency.aliases) if not agencies.may_name(f"({alias})", any_case=True)]
    assert not missed


def test_may_name_rules_out_texts_without_any_alias():
    agencies = registry.agencies()
    assert not agencies.may_name("The council met on Tuesday and voted on the budget.")
    assert not agencies.may_name("an ap, a pa and an aa")  # short forms keep their case outside credit spans ...
    assert agencies.may_name("an ap, a pa and an aa", any_case=True)  # ... and lose it inside them ("(efe)")
    assert not agencies.find("an ap, a pa and an aa")


def test_agency_registry_has_aliases_in_other_scripts():
    agencies = registry.agencies()
    assert agencies.canonical("Интерфакс") == "Interfax"
    assert agencies.canonical("Agence France-Presse") == "AFP"
    assert agencies.canonical("新华社") == "Xinhua"
    assert agencies.canonical("연합뉴스") == "Yonhap"
    assert agencies.canonical("ap") is None  # short forms are case-sensitive
    assert len(agencies.names) >= 60


@pytest.mark.parametrize(
    "text, outlet, day",
    [
        ("This article was originally published by Radio Free Europe / Radio Liberty on 12 July 2020. The original article can be found here.", "Radio Free Europe/Radio Liberty", date(2020, 7, 12)),
        ("This story first appeared in The Guardian.", "The Guardian", None),
        ("This article is republished from The Conversation under a Creative Commons license. Read the original article.", "The Conversation", None),
        ("Republished with permission from Eurasianet.", "Eurasianet", None),
        ("Dieser Artikel erschien zuerst bei netzpolitik.org.", "netzpolitik.org", None),
        ("Este artículo fue publicado originalmente en El País.", "El País", None),
        ("Cet article a été publié initialement sur Mediapart.", "Mediapart", None),
        ("The piece was originally published in Foreign Policy on July 3, 2021.", "Foreign Policy", date(2021, 7, 3)),
        ("Copyright © 2019 by Ganesh Sitaraman. Reprinted by permission of Basic Books, New York, NY.", "Basic Books", None),
        ("Used with permission of Little Brown and Company.", "Little Brown and Company", None),
        ("Courtesy of Forests News", "Forests News", None),
        ("Crosspost: https://lingdrafts.hypotheses.org/919", "lingdrafts.hypotheses.org", None),
        ("Cross-posted from Daily Kos.", "Daily Kos", None),
        ("KVELLER via JTA — The state of Washington has sworn in a new justice.", "KVELLER", None),
        ("来源： 半月谈", "半月谈", None),
    ],
)
def test_republication_notices(text, outlet, day):
    found = republication_in_text("Some article text.\n" + text)
    assert found is not None
    assert found[0] == outlet
    assert found[2] == day


@pytest.mark.parametrize(
    "text",
    [
        "The report was first published in 2019 and updated since.",
        "He first appeared on television in 1990.",
        "The data were published by the ministry on Monday.",
        "Photo courtesy of NASA.",  # a picture credit
        "The new rules were used with permission of the court.",  # lowercase: no outlet
        "NEW YORK via Medium — A blog post.",  # "via" a non-agency
        "来源： 新华社记者 张三 摄影",
    ],
)
def test_sentences_that_are_not_republication_notices(text):
    assert republication_in_text(text) is None


@pytest.mark.parametrize(
    "text, day",
    [("12 July 2020", date(2020, 7, 12)), ("July 12, 2020", date(2020, 7, 12)), ("2020-07-12", date(2020, 7, 12)), ("12.07.2020", date(2020, 7, 12)), ("12. Juli 2020", date(2020, 7, 12)), ("3 de marzo de 2021", date(2021, 3, 3)), ("someday", None)],
)
def test_notice_dates(text, day):
    assert parse_date(text) == day


def _article(text: str, domain: str | None = None, authors: tuple = ()) -> Extracted:
    return Extracted(
        article=Article(article_id="a1", url="https://x/", canonical_url="https://x/", domain=domain, run_id="r", source="s", content_hash="h", text=text, authors=authors),
        raw_authors=authors,
    )


def test_agency_site_credits_itself():
    article, credits = trace_article(_article(BODY, domain="reuters.com"))
    assert article.wire_services == ("Reuters",)
    assert [c.role for c in credits] == ["self"]


def test_agency_author_becomes_credit_not_author():
    article, credits = trace_article(_article(BODY, authors=("Jane Doe", "Associated Press")))
    assert article.authors == ("Jane Doe",)
    assert article.wire_services == ("AP",)
    assert {(c.role, c.location) for c in credits} == {("byline", "meta")}


def test_seed_article_row():
    """The founding example: exactly these values."""
    path = SAMPLES / "rferl-republished.txt"
    page = Page(fetch=Fetch(run_id="r", source=str(path), kind="text_file", url=path.as_uri(), final_url=path.as_uri(), ok=True, content_type="text/plain"), body=path.read_bytes())
    article, credits = trace_article(extract_article(page, "r"))
    assert article.title == "Azerbaijan, Armenia Trade Accusations Over Deadly Border Fighting"
    assert article.original_outlet == "Radio Free Europe/Radio Liberty"
    assert article.original_published_date == date(2020, 7, 12)
    assert article.wire_services == ("AFP", "Interfax")
    assert article.language == "en"
    assert article.error is None
    evidence = {(c.agency, c.role) for c in credits}
    assert evidence == {("AFP", "credit_line"), ("Interfax", "credit_line"), (None, "republication")}


def test_a_date_is_not_an_outlet():
    assert republication_in_text("Body.\nThis story was first published on Apr 8, 2020.") is None


def test_outlet_quoting_its_own_republish_notice_is_not_republished():
    extracted = _article("Body text of the story.\nThis article is republished from The Conversation under a Creative Commons license.")
    extracted = Extracted(article=replace(extracted.article, outlet="The Conversation"), raw_authors=())
    article, credits = trace_article(extracted)
    assert article.original_outlet is None and not [c for c in credits if c.role == "republication"]


def test_notice_outside_the_main_text_is_found():
    from tasks.extract import extract_article
    from tests.conftest import FILLER, article_html

    html = article_html("Story", FILLER).replace(b"</article>", b'<aside class="partner-note"><em>This post originally appeared on Grist.</em></aside></article>')
    page = Page(fetch=Fetch(run_id="r", source="s", kind="url", url="https://www.salon.com/2020/x", final_url="https://www.salon.com/2020/x", ok=True, content_type="text/html"), body=html)
    extracted = extract_article(page, "r")
    article, credits = trace_article(extracted)
    assert article.original_outlet == "Grist"
    assert [c.location for c in credits if c.role == "republication"] == ["html"]


def test_feed_proxy_canonical_is_the_page_not_a_republication():
    from tasks.extract import extract_article
    from tests.conftest import FILLER, article_html

    html = article_html("Story", FILLER, canonical="https://www.publico.pt/2020/03/14/story")
    page = Page(fetch=Fetch(run_id="r", source="s", kind="url", url="http://feedproxy.google.com/~r/x/123", final_url="http://feedproxy.google.com/~r/x/123", ok=True, content_type="text/html"), body=html)
    extracted = extract_article(page, "r")
    assert extracted.other_canonical is None
    assert extracted.article.canonical_url == "https://www.publico.pt/2020/03/14/story"


def _bylines(html: str) -> tuple[str, ...]:
    from lxml import html as lxml_html

    from tasks.extract import read_bylines

    return read_bylines(lxml_html.fromstring(html))


def test_byline_beside_an_article_that_holds_only_the_body():
    # Global News: headline and byline in a header, <article> holds the text only.
    page = '<html><body><div class="story"><h1>Title</h1><div class="c-byline__attribution">By Orhan Coskun<span class="c-byline__source">Reuters</span></div><article><p>Text.</p></article></div><div class="sidebar"><span class="author">AFP</span></div></body></html>'
    found = _bylines(page)
    assert "Reuters" in found and "By Orhan Coskun Reuters" in found
    assert "AFP" not in found  # outside the story's element


def test_byline_markup_forms():
    assert "Hillel Italie The Associated Press" in _bylines('<html><body><div class="byline-container-author-withphoto"><span class="article__author"><span class="name">Hillel Italie</span><span class="credit">The Associated Press</span></span></div></body></html>')
    assert _bylines('<html><body><div class="article-byno-limg"><a class="agnam" href="https://www.news18.com/agency/pti.html">PTI</a></div></body></html>') == ("PTI",)
    assert _bylines('<html><body><article><h1>T</h1><div class="aut">SID</div><p>Text.</p></article></body></html>') == ("SID",)


def test_photo_credits_and_teasers_are_no_bylines():
    page = '<html><body><article><h1>T</h1><figure><figcaption><span class="source">AFP</span></figcaption></figure><div class="teaser"><span class="author">dpa</span></div><div class="image-credit author">Reuters</div><p>Text.</p></article></body></html>'
    assert _bylines(page) == ()


def mentions_in(text: str) -> set[tuple[str, str]]:
    from tasks.provenance import mentions_in_text

    return {(agency, role) for agency, role, *_ in mentions_in_text(text)}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Photo: AFP", {("AFP", "photo")}),
        ("Foto: Kay Nietfeld/dpa", {("dpa", "photo")}),
        ("Bild: Reuters", {("Reuters", "photo")}),
        ("Imagen: EFE", {("EFE", "photo")}),
        ("Crédit photo : AFP", {("AFP", "photo")}),
        ("President Biden speaks. (AP Photo/Evan Vucci)", {("AP", "photo")}),
        ("© dpa | Kay Nietfeld", {("dpa", "photo")}),
        ("Rubriklistenbild: © KCNA/dpa", {("KCNA", "photo"), ("dpa", "photo")}),
        ("Bloomberg reported that the deal was close.", {("Bloomberg", "citation")}),
        ("The minister told Reuters on Monday.", {("Reuters", "citation")}),
        ("The deal is close, according to The Associated Press.", {("AP", "citation")}),
        ("Laut dpa will die Regierung nachbessern.", {("dpa", "citation")}),
        ("Das sagte er der Nachrichtenagentur Reuters.", {("Reuters", "citation")}),
        ("Le ministre a déclaré à l'AFP qu'il partait.", {("AFP", "citation")}),
        ("Selon l'AFP, le bilan est lourd.", {("AFP", "citation")}),
        ("El ministro dijo a EFE que no dimitirá.", {("EFE", "citation")}),
        ("Según EFE, el acuerdo está cerca.", {("EFE", "citation")}),
        ("O ministro disse à Reuters que o acordo está próximo.", {("Reuters", "citation")}),
        ("Secondo l'ANSA il governo è pronto.", {("ANSA", "citation")}),
        ("Об этом сообщает ТАСС.", {("TASS", "citation")}),
    ],
)
def test_photo_credits_and_citations_in_several_languages(text, expected):
    assert mentions_in(text) == expected
    assert agencies_in(BODY + text) == []  # evidence only, never a credit


@pytest.mark.parametrize(
    "text",
    [
        "Michael Bloomberg reported his earnings.",  # a person, not the agency
        "Laut Michael Bloomberg ist das falsch.",
        "According to PA officials, the talks failed.",  # ambiguous short form
        "He told AP students about the exam.",
        "Photo: Jane Doe",
        "The report was published by the ministry.",
        "© dpa-AFX | Abb.: Fraport | 07.11.2023 08:03",  # the text's copyright: the picture's source is labelled apart
    ],
)
def test_people_and_ambiguous_short_forms_are_no_mentions(text):
    assert mentions_in(text) == set()


def test_citation_and_photo_of_an_agency_make_no_credit():
    text = "Bloomberg reported that the talks failed.\nThe minister told AFP he would resign.\n" + BODY + "Foto: dpa"
    extracted = replace(_article(text), captions=("Protesters in Kyiv. Photo: Reuters",))
    article, credits = trace_article(extracted)
    assert article.wire_services == ()
    assert {(c.agency, c.role) for c in credits} == {("Bloomberg", "citation"), ("AFP", "citation"), ("dpa", "photo"), ("Reuters", "photo")}
    assert {c.location for c in credits if c.agency == "Reuters"} == {"html"}


def test_captions_are_read_from_figures_and_credit_elements():
    from lxml import html as lxml_html

    from tasks.extract import read_captions

    tree = lxml_html.fromstring('<html><body><article><h1>T</h1><figure><img src="x.jpg"><figcaption>Kyiv at night. Photo: AFP</figcaption></figure><span class="image-credit">© dpa</span><p>Text.</p></article></body></html>')
    assert read_captions(tree) == ("Kyiv at night. Photo: AFP", "© dpa")


def test_a_notice_naming_the_outlet_itself_is_no_republication():
    extracted = _article("Body text of the story.\nDieser Beitrag erschien zuerst im Blog DoSchu.Com.", domain="doschu.com")
    extracted = Extracted(article=replace(extracted.article, outlet="DoSchu.Com"), raw_authors=())
    article, _credits = trace_article(extracted)
    assert article.original_outlet is None
    other = Extracted(article=replace(extracted.article, outlet="Salon", domain="salon.com", text="Body.\nThis post originally appeared on Grist."))
    assert trace_article(other)[0].original_outlet == "Grist"


@pytest.mark.parametrize(
    "value, name",
    [
        ("https://creativecommons.org/licenses/by-nd/4.0/", "CC BY-ND 4.0"),
        ("http://creativecommons.org/licenses/by/3.0/deed.de", "CC BY 3.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
        ("creative commons", "Creative Commons"),
        ("All rights reserved", "All rights reserved"),
    ],
)
def test_license_names(value, name):
    from tasks.provenance import license_name

    assert license_name(value) == name


def test_license_from_link_jsonld_and_notice():
    base = _article("Body text.\nThis article is republished from The Conversation under a Creative Commons license.")
    article, credits = trace_article(replace(base, licenses=("https://creativecommons.org/licenses/by-nd/4.0/",)))
    assert article.license == "CC BY-ND 4.0" and article.original_outlet == "The Conversation"
    assert [(c.role, c.location) for c in credits if c.role == "license"] == [("license", "meta")]
    assert trace_article(replace(base, jsonld={"license": "https://creativecommons.org/licenses/by/4.0/"}))[0].license == "CC BY 4.0"
    assert trace_article(base)[0].license == "Creative Commons"
    assert trace_article(_article("Die Regierung will das Gesetz unter anderem ändern.\n" + BODY))[0].license is None


def test_rel_license_link_is_read_from_the_page():
    from tests.conftest import FILLER, article_html

    html = article_html("Story", FILLER).replace(b"</head>", b'<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/"></head>')
    page = Page(fetch=Fetch(run_id="r", source="s", kind="url", url="https://example.org/a", final_url="https://example.org/a", ok=True, content_type="text/html"), body=html)
    article, _credits = trace_article(extract_article(page, "r"))
    assert article.license == "CC BY-SA 4.0"


def _traced(footer: bytes, url: str = "https://globalnews.ca/news/1/story/"):
    from tests.conftest import FILLER, article_html

    html = article_html("Story", FILLER).replace(b"</article>", footer + b"</article>")
    page = Page(fetch=Fetch(run_id="r", source="s", kind="url", url=url, final_url=url, ok=True, content_type="text/html"), body=html)
    extracted = extract_article(page, "r")
    return extracted, *trace_article(extracted)


@pytest.mark.parametrize(
    "footer, url, expected",
    [
        # Global News under Canadian Press copy; Spektrum under dpa material (its own name beside the agency)
        (b'<div class="l-article__copyright"><div class="c-copyright">&copy; 2020 The Canadian Press</div></div>', "https://globalnews.ca/news/1/story/", ("The Canadian Press",)),
        (b'<div class="copyright"><a href="https://www.dpa.com/de/">&copy; dpa/Spektrum.de</a></div>', "https://www.spektrum.de/news/story/1", ("dpa",)),
        (b'<p class="article-copyright">&copy; 2021 AFP</p>', "https://www.lepoint.fr/monde/story.php", ("AFP",)),
        # pictures' copyrights: inside a figure, beside an image, or a photographer with the agency
        (b'<figure><img src="a.jpg"><span class="copyright">&copy; dpa</span></figure>', "https://www.spektrum.de/news/story/1", ()),
        (b'<div class="image-copyright"><a href="https://www.kna.de">&copy; Dieter Mayr (KNA)</a></div>', "https://www.domradio.de/x", ()),
        (b'<div class="media-box"><div class="copyright">&copy; Reuters</div></div>', "https://www.spektrum.de/news/story/1", ()),
        (b'<div class="copyright">&copy; Kay Nietfeld/dpa</div>', "https://www.spektrum.de/news/story/1", ()),
        (b'<div class="copyright">&copy; 2020 Corus Entertainment Inc.</div>', "https://globalnews.ca/news/1/story/", ()),
    ],
)
def test_copyright_element_outside_pictures_credits_the_text(footer, url, expected):
    extracted, article, _credits = _traced(footer, url)
    # trafilatura keeps such a line in the text or drops it, page by page: the element alone must decide
    assert tuple(sorted({c[0] for c in credits_in_elements(extracted)})) == expected
    if expected:
        assert article.wire_services == expected


@pytest.mark.parametrize(
    "footer, expected",
    [
        # Eurosport: the agency's sign-off after an inline "read also" link, which trafilatura drops with it
        (b'<div class="rs"><b>Das k\xc3\xb6nnte Dich auch interessieren: </b><a href="/x">Fackellauf gestartet</a></div><div class="rs">(SID)</div>', ("SID",)),
        # domradio: agency and outlet initials as linked abbreviations
        (b'<div class="attachment-after"><div class="view"></div>\n (<abbr><a href="https://www.kna.de">KNA</a></abbr>, <abbr><a href="https://www.domradio.de">DR</a></abbr>)\n</div>', ("KNA",)),
        (b'<p class="signature">(ANSA)</p>', ("ANSA",)),
        # a teaser's or a picture's agency, initials alone, a parenthesis in prose
        (b'<div class="teaser"><span>(dpa)</span></div>', ()),
        (b'<figure><img src="a.jpg"><figcaption>(AFP)</figcaption></figure>', ()),
        (b'<div class="note">(CNN, DR)</div>', ()),
        (b'<div class="note">(Mit Material von dpa, AFP und Reuters sowie eigenen Recherchen der Redaktion)</div>', ()),
    ],
)
def test_sign_off_element_outside_the_text_credits_the_agency(footer, expected):
    extracted, article, _credits = _traced(footer, "https://www.eurosport.de/olympia/story.shtml")
    assert tuple(sorted({c[0] for c in credits_in_elements(extracted)})) == expected
    if expected:
        assert article.wire_services == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://noticias.uol.com.br/ultimas-noticias/reuters/2020/03/14/sancoes-dos-eua.htm", ("Reuters",)),
        ("https://noticias.uol.com.br/ultimas-noticias/efe/2020/03/14/governo-anuncia.htm", ("EFE",)),
        ("https://www.dailymail.co.uk/wires/ap/article-8517121/Storm-hits-coast.html", ("AP",)),
        ("https://www.dailymail.co.uk/wires/afp/article-8517122/Le-gouvernement.html", ("AFP",)),
        # an ambiguous short form outside a wire section: Amapá in G1, Peru's pension funds (AFP)
        ("https://g1.globo.com/ap/amapa/noticia/2020/03/14/chuva.ghtml", ()),
        ("https://gestion.pe/economia/afp/retiro-de-fondos-2020-noticia/", ()),
        # a tag page about the agency, the agency only in the page's own name, the agency's own site
        ("https://www.example-news.com/tag/reuters/2020/story.html", ()),
        ("https://www.example-news.com/world/police-arrest-reuters-journalist.html", ()),
        ("https://www.reuters.com/world/europe/story-2020-03-14/", ()),
    ],
)
def test_agency_section_in_the_url_path(url, expected):
    from tasks.extract import domain_of
    from tasks.provenance import credit_in_url

    article = Article(article_id="a1", url=url, canonical_url=url, domain=domain_of(url), run_id="r", source="s", content_hash="h", text=BODY)
    assert tuple(agency for agency, *_ in credit_in_url(article)) == expected


@pytest.mark.parametrize(
    "notice, outlet, republished",
    [
        ("Dieser Artikel erschien zuerst in der EMOTION 10/22.", "EMOTION", True),
        ("This interview was first published in German translation in the print edition of Die Weltwoche.", "Die Weltwoche", True),
        ("This article originally appeared on VICE US.", "VICE", True),
        # The own brand without an edition: the page's own notice, no republication.
        ("This article first appeared on EMOTION.", "EMOTION", False),
        ("This article originally appeared on VICE Magazine.", "VICE", False),
    ],
)
def test_notice_of_another_edition_of_the_own_brand_is_a_republication(notice, outlet, republished):
    extracted = _article(f"Body text of the story.\n{notice}")
    extracted = Extracted(article=replace(extracted.article, outlet=outlet), raw_authors=())
    article, credits = trace_article(extracted)
    assert bool(article.original_outlet) is republished
    assert bool([c for c in credits if c.role == "republication"]) is republished


def test_canonical_on_the_own_brands_host_is_no_republication():
    from tasks.provenance import own_outlet

    article = _article("Body.").article
    assert own_outlet("sat1beispiel.de", replace(article, outlet="SAT.1 BEISPIEL", domain="welt-beispiel.de"))
    assert not own_outlet("sat2beispiel.de", replace(article, outlet="SAT.1 BEISPIEL", domain="welt-beispiel.de"))
