"""Provenance: which agencies a story is credited to, and where it first appeared.

Everything found is kept as evidence (`Credit` rows: the exact text and where it was);
`articles.wire_services` and `original_*` are summaries of that evidence.  Agency
aliases only count inside credit positions (patterns.toml), so a citation such as
"Bloomberg reported" or a photo credit such as "Photo: AFP" is never a credit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit
from datetime import date

from tasks import registry
from tasks.registry import fold_name
from tasks.extract import Extracted, brand_key, domain_of, jsonld_names
from warehouse.schema import Article, Credit

# JSON-LD properties that name who supplied the story.
SUPPLIER_PROPERTIES = ("sourceOrganization", "provider", "copyrightHolder", "creditText", "author", "creator")
# Meta tags that name a story's author.
AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author", "byl")
NAME_SEPARATORS = re.compile(r"\s*(?:[,;/|&+]|\s(?:and|und|et|y|e|with|mit|avec|con|com)\s)\s*", re.IGNORECASE)
JOB_TITLE = re.compile(r"\s+(?:[\w-]+\s+)?(?:writer|correspondent|reporter|staff|editorial|newsroom|redaktion|desk)$", re.IGNORECASE)
SYNDICATION_META = ("syndication-source", "original-source", "dc.source")
# article_credits roles that are evidence about an agency without crediting it with the story.
NOT_CREDITS = ("photo", "citation")


def trace_article(extracted: Extracted) -> tuple[Article, list[Credit]]:
    """Credits and republication evidence of one article, and the article summarising them."""
    article = extracted.article
    if article.error:
        return article, []
    evidence = [
        *credits_in_text(article.text or ""),
        *credits_in_metadata(extracted),
        *credits_in_elements(extracted),
        *self_credit(article),
        *credit_in_url(article),
        *mentions_in_text(article.text or ""),
        *mentions_in_text("\n".join(extracted.captions), location="html", role="photo"),
    ]
    notice = (
        republication_in_text(article.text or "")
        or republication_in_text("\n".join(extracted.notices), location="html")
        or republication_in_metadata(extracted)
    )
    if notice and own_outlet(notice[0], article):
        notice = None  # an outlet's own "republish this article" or "first appeared on our blog" text is no republication
    credits = [
        Credit(article_id=article.article_id, content_hash=article.content_hash, run_id=article.run_id, agency=agency, role=role, evidence=text, location=where)
        for agency, role, text, where in _unique(evidence)
    ]
    changes: dict = {
        "wire_services": tuple(sorted({c.agency for c in credits if c.agency and c.role not in NOT_CREDITS})),
        "authors": tuple(a for a in article.authors if not _only_agency(a)),
    }
    license = find_license(extracted)
    if license:
        name, text, where = license
        changes["license"] = name
        credits.append(Credit(article_id=article.article_id, content_hash=article.content_hash, run_id=article.run_id, agency=None, role="license", evidence=text, location=where))
    if notice:
        outlet, url, day, text, where = notice
        changes.update(original_outlet=outlet, original_url=url, original_published_date=day)
        credits.append(Credit(article_id=article.article_id, content_hash=article.content_hash, run_id=article.run_id, agency=None, role="republication", evidence=text, location=where))
    return replace(article, **changes), credits


# ---------------------------------------------------------------- wire credits


def edge_paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(index, position from the end, paragraph) for the paragraphs credits are looked for in.

    Outlets put credits and republication notices at the top or the bottom of a story
    (patterns.toml [zones]); skipping the middle saves time and avoids quoted prose.
    """
    zones = registry.patterns().zones
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    # Menus and breadcrumbs that trafilatura keeps above a story come as list items ("- Home"):
    # the story's top starts after them.
    lead = next((i for i, p in enumerate(paragraphs) if not p.startswith("- ")), 0)
    paragraphs = paragraphs[lead:]
    n = len(paragraphs)
    return [(i, n - i, p) for i, p in enumerate(paragraphs) if i < zones["first"] or n - i <= zones["last"]]


def credits_in_text(text: str) -> list[tuple[str, str, str, str]]:
    """(agency, role, evidence, 'text') for every credit position in the text."""
    agencies = registry.agencies()
    found = []
    for index, from_end, paragraph in edge_paragraphs(text):
        if not agencies.may_name(paragraph, any_case=True):
            continue
        for pattern in registry.patterns().credits:
            if pattern.get("max_chars") and len(paragraph) > pattern["max_chars"]:
                continue
            if pattern.get("last") and from_end > pattern["last"]:
                continue
            if pattern.get("first") and index >= pattern["first"]:
                continue
            if pattern.get("in_text") is False:
                continue  # only for the page's elements of a kind (credits_in_elements)
            for match in pattern["regex"].finditer(paragraph):
                span = match.group("agencies")
                strict = bool(pattern.get("only_agencies"))
                if strict and not only_agencies(span):
                    continue
                for name, _alias in agencies.find(span, any_case=strict):
                    found.append((name, pattern["role"], match.group(0).strip(), "text"))
    return found


def mentions_in_text(text: str, location: str = "text", role: str | None = None) -> list[tuple[str, str, str, str]]:
    """(agency, 'photo' or 'citation', evidence, where) for agencies named as a picture's or a statement's source.

    Every paragraph is read (citations sit anywhere in a story); `role` forces one role, as
    in captions, where any agency named is the picture's.
    """
    agencies = registry.agencies()
    found = []
    for paragraph in text.split("\n"):
        if not paragraph.strip() or not agencies.may_name(paragraph):
            continue
        for pattern in registry.patterns().mentions:
            for match in pattern["regex"].finditer(paragraph):
                span = match.group("agencies").strip()
                if not agencies.only_agencies(span) and not only_agencies_after_names(span):
                    continue
                for name, alias in agencies.find(span):
                    # "told AP students", "according to PA officials": short forms are too common in prose;
                    # a picture credit is a credit position, where they do count.
                    if pattern["role"] == "photo" or alias not in agencies.ambiguous_aliases:
                        found.append((name, role or pattern["role"], match.group(0).strip(" (|,;-"), location))
    return found


def only_agencies_after_names(span: str) -> bool:
    """A photo credit naming the photographer before the agency: "Kay Nietfeld/dpa", "picture alliance/dpa"."""
    if "/" not in span:
        return False
    last = span.rsplit("/", 1)[1].strip()
    return registry.agencies().only_agencies(last)


def only_agencies(span: str) -> bool:
    """A span that names agencies and nothing else.

    Editors' or the outlet's initials beside the agency are allowed: "mak/dpa", "dpa/gem"
    (German desks), "KNA, DR" (domradio), "FMW/Bloomberg" (finanzmarktwelt).
    """
    agencies = registry.agencies()
    if agencies.only_agencies(span, any_case=True):
        return True
    if "/" in span or "," in span:
        parts = [p.strip() for p in re.split(r"[/,]", span) if p.strip()]
        named = [p for p in parts if agencies.only_agencies(p, any_case=True)]
        initials = [p for p in parts if p not in named and re.fullmatch(r"[a-zäöüß]{2,4}|[A-ZÄÖÜ]{2,4}", p)]
        return bool(named) and len(named) + len(initials) == len(parts)
    return False


def credits_in_elements(extracted: Extracted) -> list[tuple[str, str, str, str]]:
    """(agency, role, evidence, 'html') from the story's copyright and sign-off elements outside the text.

    A copyright element that holds no picture ("© 2020 The Canadian Press" under Global News'
    wire copy) says who owns the text, as a copyright line closing the text does; a short
    element that is only "(SID)" or "(KNA, DR)" is the agency's sign-off that trafilatura left
    out.  The outlet's own name beside the agency is allowed there ("© dpa/Spektrum.de").
    """
    agencies = registry.agencies()
    found = []
    for kind, texts in (("copyright", extracted.copyrights), ("sign_off", extracted.sign_offs)):
        for text in texts:
            if not agencies.may_name(text, any_case=True):
                continue
            for pattern in registry.patterns().credits:
                if kind not in pattern.get("elements", ()):
                    continue
                match = pattern["regex"].search(text)
                if not match:
                    continue
                parts = [p for p in match.group("agencies").split("/") if not own_outlet(p.strip(), extracted.article)]
                span = "/".join(parts)
                if parts and only_agencies(span):
                    found += [(name, pattern["role"], match.group(0).strip(), "html") for name, _alias in agencies.find(span, any_case=True)]
                    break
    return found


def credits_in_metadata(extracted: Extracted) -> list[tuple[str, str, str, str]]:
    """Agencies named as author (meta, JSON-LD, byline elements), source organisation, provider or copyright holder."""
    found = []
    for name in extracted.raw_authors:
        found += [(agency, "byline", name, "meta") for agency in agencies_in_name(name)]
    for text in extracted.bylines:
        found += [(agency, "byline", text, "html") for agency in agencies_in_name(text)]
    for prop in SUPPLIER_PROPERTIES:
        for name in jsonld_names(extracted.jsonld.get(prop)):
            found += [(agency, "metadata", f"{prop}: {name}", "jsonld") for agency in agencies_in_name(name)]
    for key in AUTHOR_META:
        value = extracted.meta.get(key)
        if value and not value.startswith("http"):
            found += [(agency, "metadata", f"{key}: {value}", "meta") for agency in agencies_in_name(value)]
    return found


def agencies_in_name(name: str) -> list[str]:
    """Agencies in an author-like field: "AP", "Le Monde with AFP", "Jane Doe, AP National Writer", "det/dpa".

    An author field is a credit position, so short forms count in any case; a longer,
    unambiguous agency name also counts at the end of a piece ("BEATRICE DUPUY The Associated Press").
    """
    agencies = registry.agencies()
    found = []
    for piece in NAME_SEPARATORS.split(_strip_by(name)):
        piece = JOB_TITLE.sub("", piece.strip()).strip(" .:-")
        if not piece:
            continue
        agency = agencies.canonical(piece, any_case=True)
        if agency is None:
            # The longest trailing run of words that is an unambiguous alias (a set lookup per word).
            words = piece.split()
            tail = next((t for t in (" ".join(words[i:]) for i in range(1, len(words))) if t in agencies.unambiguous), None)
            agency = agencies.canonical(tail) if tail else None
        if agency and agency not in found:
            found.append(agency)
    return found


def self_credit(article: Article) -> list[tuple[str, str, str, str]]:
    """An agency's own site credits the agency."""
    agency = registry.agencies().by_domain(article.domain)
    return [(agency, "self", article.domain or "", "url")] if agency else []


def credit_in_url(article: Article) -> list[tuple[str, str, str, str]]:
    """An agency's section in the page's URL path: UOL's /ultimas-noticias/reuters/..., the Daily Mail's /wires/ap/ (patterns.toml [url])."""
    url = article.canonical_url or article.url
    if not url or registry.agencies().by_domain(article.domain):
        return []  # the agency's own site credits itself (self_credit)
    agencies = registry.agencies()
    rules = registry.patterns().url
    directories = urlsplit(url).path.lower().split("/")[1:-1]
    for i, segment in enumerate(directories):
        before = directories[i - 1] if i else ""
        if len(segment) < 2 or before in rules.get("not_after", ()):
            continue
        name = agencies.canonical(segment.replace("-", " "), any_case=True)
        if name is None:
            continue
        ambiguous = any(segment == alias.lower() for alias in agencies.ambiguous_aliases)
        if not ambiguous or before in rules.get("wire_sections", ()):
            return [(name, "metadata", f"URL path /{'/'.join(directories[: i + 1])}/", "url")]
    return []


def _only_agency(author: str) -> bool:
    """An author entry that names an agency and no person ("Associated Press", "AP National Writer")."""
    return registry.agencies().canonical(JOB_TITLE.sub("", _strip_by(author)).strip(), any_case=True) is not None


def _strip_by(name: str) -> str:
    name = re.sub(r"^(?:by|von|par|por|af|di|door)\s*:?\s+", "", name.strip(), flags=re.I)
    return re.sub(r"\s+(?:staff|news agency|newsroom|redaktion)$", "", name, flags=re.I)


def _unique(evidence):
    seen = set()
    for item in evidence:
        key = (item[0], item[1], item[2])
        if key not in seen:
            seen.add(key)
            yield item


# ---------------------------------------------------------------- licence

CC_LICENSE = re.compile(r"creativecommons\.org/(?:licenses/(?P<code>[a-z-]+)|publicdomain/(?P<pd>zero|mark))/(?P<version>\d\.\d)", re.IGNORECASE)


def find_license(extracted: Extracted) -> tuple[str, str, str] | None:
    """(licence name, evidence, where): a rel=license link, JSON-LD `license`, or a notice's "under a Creative Commons license"."""
    for href in extracted.licenses:
        return license_name(href), f'<link rel="license" href="{href}">', "meta"
    value = extracted.jsonld.get("license")
    value = value.get("url") or value.get("name") if isinstance(value, dict) else value
    if isinstance(value, str) and value.strip():
        return license_name(value.strip()), f"license: {value.strip()}", "jsonld"
    for text, where in ((extracted.article.text or "", "text"), ("\n".join(extracted.notices), "html")):
        match = LICENSE_IN_NOTICE.search(text)
        if match:
            return license_name(match.group(1)), match.group(0), where
    return None


# "under a Creative Commons license", "under a CC BY-ND 4.0 license", "sous licence Creative Commons"
LICENSE_IN_NOTICE = re.compile(r"(?:under|sous|unter|bajo)\s+(?:an?\s+|une\s+|einer\s+|una\s+)?(?:licen[cs]e\s+)?((?:creative\s+commons|CC)(?:[\s-]+(?:BY|SA|ND|NC|Attribution|NoDerivatives|NonCommercial|ShareAlike|[\d.]+))*)(?:\s+(?:licen[cs]e|Lizenz|licencia))?", re.IGNORECASE)


def license_name(value: str) -> str:
    """'CC BY-ND 4.0' for a Creative Commons URL, 'CC0 1.0' for the public-domain dedication, else the value as given."""
    match = CC_LICENSE.search(value)
    if not match:
        text = " ".join(value.split())
        return "Creative Commons" if text.casefold() == "creative commons" else text
    if match["pd"]:
        return f"CC0 {match['version']}" if match["pd"].lower() == "zero" else "Public Domain Mark"
    return f"CC {match['code'].upper()} {match['version']}"


# ---------------------------------------------------------------- republication


def republication_in_text(text: str, location: str = "text") -> tuple[str, str | None, date | None, str, str] | None:
    """(original outlet, url, date, evidence, where) from the first republication notice."""
    for _index, _from_end, paragraph in edge_paragraphs(text):
        for pattern in registry.patterns().republications:
            match = pattern["regex"].search(paragraph)
            if not match:
                continue
            groups = match.groupdict()
            if groups.get("agencies") is not None and not only_agencies(groups["agencies"]):
                continue
            outlet = clean_outlet(match.group("outlet"))
            if not outlet:
                continue
            day = parse_date(groups["date"]) if groups.get("date") else None
            return outlet, None, day, match.group(0).strip(), location
    return None


def republication_in_metadata(extracted: Extracted) -> tuple[str, str | None, date | None, str, str] | None:
    """Cross-site canonical, syndication meta tags or JSON-LD isBasedOn."""
    outlets = registry.outlets()
    for key in SYNDICATION_META:
        value = extracted.meta.get(key)
        if value:
            url = value if value.startswith("http") else None
            outlet = outlets.by_domain(domain_of(url)) if url else (outlets.by_name(value) or value)
            return outlet or domain_of(url), url, None, f'<meta name="{key}" content="{value}">', "meta"
    based_on = extracted.jsonld.get("isBasedOn")
    based_url = based_on if isinstance(based_on, str) else (based_on or {}).get("url") if isinstance(based_on, dict) else None
    if isinstance(based_url, str) and based_url.startswith("http"):
        return outlets.by_domain(domain_of(based_url)) or domain_of(based_url), based_url, None, f"isBasedOn: {based_url}", "jsonld"
    if extracted.other_canonical:
        url = extracted.other_canonical
        return outlets.by_domain(domain_of(url)) or domain_of(url), url, None, f'<link rel="canonical" href="{url}">', "meta"
    return None


def own_outlet(name: str, article: Article) -> bool:
    """A notice naming the page's own outlet: "The Conversation" on theconversation.com, "im Blog DoSchu.Com" on doschu.com."""
    if not article.outlet and not article.domain:
        return False
    if article.outlet and (registry.outlets().by_name(name) or name) == article.outlet:
        return True
    folded = fold_name(name)
    own = [fold_name(x) for x in (article.outlet, article.domain) if x]
    # Or the brand's own host: a canonical to sat1regional.de on a page branded "SAT.1 REGIONAL".
    same_brand = bool(article.outlet) and len(brand_key(name)) >= 4 and brand_key(name) == brand_key(article.outlet)
    return (same_brand or any(len(o) >= 4 and o in folded for o in own)) and not other_edition(name, article)


def other_edition(name: str, article: Article) -> bool:
    """A notice naming another edition of the page's own brand: a print issue ("EMOTION 10/22",
    "the print edition of Die Weltwoche") or another country's ("VICE US" on VICE UK's page).
    The web page re-runs that edition's article: a republication, as the dev-set labels count it."""
    patterns = registry.patterns()
    if patterns.print_edition is not None and patterns.print_edition.search(name):
        return True
    if patterns.region_edition is None or not article.outlet:
        return False
    rest = re.sub(re.escape(article.outlet), " ", name, flags=re.IGNORECASE).strip(" -–—,()")
    return rest != name.strip() and bool(patterns.region_edition.match(rest))


def clean_outlet(raw: str) -> str | None:
    """The registry's name for an outlet named in a notice, else the name as written."""
    name = raw.strip(" \"'“”«»").rstrip(".")
    if name.startswith(("http://", "https://")):
        domain = domain_of(name)
        return (registry.outlets().by_domain(domain) or domain) if domain else None
    # A proper name starts with a capital (or a letter of a script without case: 半月谈); a site
    # may be named by its domain ("netzpolitik.org").
    if len(name) < 2 or not (name[0].isupper() or (name[0].isalpha() and not name[0].islower()) or re.match(r"[\w-]+\.[a-z]{2,}\b", name)):
        return None
    first_word = name.split()[0].strip(".,").casefold()
    if first_word in registry.patterns().months and re.search(r"\d", name):
        return None  # "first published on Apr 8": a date, not an outlet
    return registry.outlets().by_name(name) or name


def parse_date(text: str) -> date | None:
    """A date as written in a notice: ISO, 12.07.2020, 12 July 2020, July 12, 2020, 12. Juli 2020."""
    text = text.strip().rstrip(".")
    months = registry.patterns().months
    try:
        if m := re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.search(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.search(r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?\s+(?:de\s+)?(\d{4})", text):
            month = months.get(m[2].casefold())
            return date(int(m[3]), month, int(m[1])) if month else None
        if m := re.search(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", text):
            month = months.get(m[1].casefold())
            return date(int(m[3]), month, int(m[2])) if month else None
    except ValueError:
        return None
    return None
