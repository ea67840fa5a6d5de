"""Charsets: pages with wrong or missing declarations come out as the right text."""

import pytest

from tasks.charsets import decode_html

RUSSIAN = "Министр иностранных дел заявил, что переговоры продолжатся на следующей неделе в Женеве. " * 3
JAPANESE = "東京の外務省は、来週ジュネーブで交渉を続けると発表した。関係者によると、合意はまだ遠い。" * 3
FRENCH = "Le ministre a déclaré que les négociations reprendront la semaine prochaine à Genève, où l'été est doux. " * 3


def page(text, meta=""):
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "text, encoding, header, meta",
    [
        (RUSSIAN, "cp1251", None, ""),  # no declaration at all
        (RUSSIAN, "cp1251", "iso-8859-1", ""),  # the header lies
        (RUSSIAN, "cp1251", "utf-8", '<meta charset="utf-8">'),  # header and meta lie
        (RUSSIAN, "cp1251", None, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'),
        (JAPANESE, "shift_jis", None, ""),
        (JAPANESE, "shift_jis", "utf-8", ""),
        (JAPANESE, "shift_jis", "iso-8859-1", '<meta charset="Shift_JIS">'),
        (FRENCH, "latin-1", None, ""),
        (FRENCH, "latin-1", "utf-8", ""),
        (FRENCH, "latin-1", "iso-8859-1", '<meta charset="utf-8">'),
        (FRENCH, "utf-8", "iso-8859-1", ""),  # UTF-8 bytes declared as latin-1
    ],
)
def test_wrong_or_missing_declarations_give_the_right_text(text, encoding, header, meta):
    decoded, _ = decode_html(page(text, meta).encode(encoding), header)
    assert text.strip() in decoded


def test_bom_wins():
    decoded, codec = decode_html(b"\xef\xbb\xbf" + page(FRENCH).encode("utf-8"), "iso-8859-1")
    assert FRENCH.strip() in decoded and codec == "utf-8"


def test_a_served_cp1251_page_declared_latin_1_extracts_as_russian(site):
    from tasks.extract import extract_article
    from tasks.fetch import HttpFetcher, HttpSettings
    from warehouse.schema import PageRequest

    html = f"<html><head><title>Переговоры в Женеве</title></head><body><article><h1>Переговоры в Женеве</h1><p>{RUSSIAN}</p><p>{RUSSIAN}</p></article></body></html>"
    url = site.add("/ru", body=html.encode("cp1251"), content_type="text/html; charset=iso-8859-1")
    [page] = HttpFetcher(HttpSettings(allow_addresses=("127.0.0.1",))).fetch([PageRequest(source=url, kind="url", location=url, url=url)], "run")
    article = extract_article(page, "run").article
    assert "переговоры продолжатся" in article.text and article.language == "ru"


def test_utf8_after_a_long_ascii_head_is_utf8():
    # Template-heavy pages (tucson.com) have 100+ KB of ASCII before the story's first "—".
    body = page("x" * 70000 + " KYIV (AP) — " + FRENCH).encode("utf-8")
    decoded, _ = decode_html(body)
    assert "(AP) — " in decoded and FRENCH.strip() in decoded
