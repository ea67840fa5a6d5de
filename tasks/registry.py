"""Load the registries (data files beside this module) and answer look-ups on them.

- `agencies.toml`: news agencies, their canonical names and aliases in many scripts.
- `outlets.toml`: news outlets by domain, with the names others use for them.
- `patterns.toml`: credit-line and republication-notice patterns, month names.

The files are data: adding an agency, an outlet or a credit pattern needs no code.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any


# A folder whose agencies.toml / outlets.toml / patterns.toml replace the built-in files
# (each one missing there falls back): try a registry change on stored data with
# `WIREDESK_REGISTRY_DIR=my-registry wiredesk reprocess` before committing it.
REGISTRY_DIR_ENV = "WIREDESK_REGISTRY_DIR"


def _load(name: str) -> dict[str, Any]:
    override = Path(os.environ.get(REGISTRY_DIR_ENV) or Path(__file__).parent) / name
    path = override if override.exists() else Path(__file__).parent / name
    return tomllib.loads(path.read_text(encoding="utf-8"))


WORD = re.compile(r"[^\W_]+")  # alias_pattern's word boundaries: an alias may touch "_"


def _section(name: str, data: dict[str, Any], key: str) -> Any:
    """A table of a registry file, from the built-in file when an older override lacks it."""
    if key in data:
        return data[key]
    return tomllib.loads((Path(__file__).parent / name).read_text(encoding="utf-8"))[key]


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def alias_pattern(alias: str) -> str:
    """A regex for an alias that does not match inside a longer word (CJK has no word gaps)."""
    body = re.escape(alias).replace(r"\ ", r"\s+")
    head = "" if _is_cjk(alias[0]) or not alias[0].isalnum() else r"(?<!\w)"
    tail = "" if _is_cjk(alias[-1]) or not alias[-1].isalnum() else r"(?![^\W_])"
    return head + body + tail


def _case_sensitive(alias: str) -> bool:
    # "AP", "AA", "dpa", "EFE": short forms are acronyms only in their own case.
    letters = [c for c in alias if c.isalpha()]
    return len(alias) <= 4 or (letters and all(c.isupper() for c in letters))


@dataclass(frozen=True)
class Agency:
    name: str
    full_name: str
    country: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    ambiguous: tuple[str, ...]


class AgencyRegistry:
    """Canonical news agencies and every alias that names them."""

    def __init__(self, agencies: list[Agency]):
        self.agencies = agencies
        self.names = frozenset(a.name for a in agencies)
        self._by_alias: dict[str, str] = {}
        self._by_folded: dict[str, str] = {}
        for agency in agencies:
            for alias in {agency.name, *agency.aliases}:
                if _case_sensitive(alias):
                    self._by_alias[alias] = agency.name
                else:
                    self._by_folded[alias.casefold()] = agency.name
        self._by_domain = {d: a.name for a in agencies for d in a.domains}
        # In credit spans that must hold nothing but agencies, case no longer matters: "(efe)", "(ap)".
        self._by_any_case: dict[str, str] = {}
        for alias, name in self._by_alias.items():
            self._by_any_case.setdefault(alias.casefold(), name)
        sensitive = sorted(self._by_alias, key=len, reverse=True)
        folded = sorted({a for ag in agencies for a in (ag.name, *ag.aliases) if not _case_sensitive(a)}, key=len, reverse=True)
        # Longest alias first so "Associated Press" wins over "AP" inside "The Associated Press".
        self._sensitive = re.compile("|".join(alias_pattern(a) for a in sensitive)) if sensitive else None
        self._insensitive = re.compile("|".join(alias_pattern(a) for a in folded), re.IGNORECASE) if folded else None
        self._sensitive_any_case = re.compile(self._sensitive.pattern, re.IGNORECASE) if self._sensitive else None
        # A cheap first test for long texts: set lookups of words.  Running the alias regexes
        # (alternations of ~1,000 aliases) over a whole story costs ~140 ms a page, 20 times the
        # rest of tracing; pyahocorasick would do it in C but is one more native wheel for a test
        # that sets answer.  Each alias is keyed by its longest word ("associated" for "The
        # Associated Press"), which any match must contain; short forms keep their case.
        exact, folded, substrings = set(), set(), []
        for alias in (a for ag in agencies for a in (ag.name, *ag.aliases)):
            words = WORD.findall(alias)
            if not words or any(_is_cjk(c) for c in alias):
                substrings.append(alias)  # CJK has no word gaps: a substring test
                continue
            key = max(reversed(words), key=len)
            if _case_sensitive(alias):
                exact.add(key)
            else:
                folded.add(key.casefold())
        self._key_words = frozenset(exact)  # exact case (case-sensitive aliases)
        self._folded_key_words = frozenset(folded)  # casefolded (the others)
        self._any_case_key_words = frozenset({w.casefold() for w in exact} | folded)  # both, for any_case spans
        self._substrings = re.compile("|".join(alias_pattern(a) for a in sorted(substrings, key=len, reverse=True))) if substrings else None
        # The alternation above tried at every position of every paragraph cost 1.4 ms a page (of
        # ~5 for all tracing); almost no paragraph holds a CJK character at all, and a class of the
        # aliases' own CJK characters answers that in 0.03 ms.
        cjk = {c for a in substrings for c in a if _is_cjk(c)}
        every_alias_has_one = all(any(_is_cjk(c) for c in a) for a in substrings)
        self._substring_chars = re.compile("[" + "".join(re.escape(c) for c in sorted(cjk)) + "]") if cjk and every_alias_has_one else None
        self.ambiguous_aliases = frozenset(a for ag in agencies for a in ag.ambiguous)
        self.unambiguous = frozenset(a for ag in agencies for a in ag.aliases if a not in ag.ambiguous and len(a) >= 5)

    @classmethod
    def load(cls) -> "AgencyRegistry":
        data = _load("agencies.toml")
        return cls(
            [
                Agency(
                    name=a["name"],
                    full_name=a.get("full_name", a["name"]),
                    country=a.get("country", ""),
                    domains=tuple(a.get("domains", ())),
                    aliases=tuple(a.get("aliases", ())),
                    ambiguous=tuple(a.get("ambiguous", ())),
                )
                for a in data["agency"]
            ]
        )

    def may_name(self, text: str, any_case: bool = False) -> bool:
        """False when no alias can match anywhere in the text; True is only a maybe."""
        if self._substrings is not None and (self._substring_chars is None or self._substring_chars.search(text)) and self._substrings.search(text):
            return True
        words = WORD.findall(text)
        if any_case:
            return not self._any_case_key_words.isdisjoint(w.casefold() for w in words)
        return not self._key_words.isdisjoint(words) or not self._folded_key_words.isdisjoint(w.casefold() for w in words)

    def canonical(self, alias: str, any_case: bool = False) -> str | None:
        """The canonical name for an exact alias, or None (any_case: short forms in any case too)."""
        alias = " ".join(alias.split())
        found = self._by_alias.get(alias) or self._by_folded.get(alias.casefold())
        if found is None and any_case:
            found = self._by_any_case.get(alias.casefold())
        return found

    def _hits(self, span: str, any_case: bool = False) -> list[tuple[int, int, str, str]]:
        """Non-overlapping alias matches in a span, longest first where they overlap."""
        hits: list[tuple[int, int, str, str]] = []
        for pattern in (self._sensitive_any_case if any_case else self._sensitive, self._insensitive):
            if pattern is None:
                continue
            for m in pattern.finditer(span):
                name = self.canonical(m.group(0), any_case)
                if name:
                    hits.append((m.start(), m.end(), name, m.group(0)))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept, end = [], -1
        for hit in hits:
            if hit[0] >= end:
                kept.append(hit)
                end = hit[1]
        return kept

    def find(self, span: str, any_case: bool = False) -> list[tuple[str, str]]:
        """Every agency named in a credit span, in order: (canonical name, text matched)."""
        found, seen = [], set()
        for _start, _stop, name, text in self._hits(span, any_case):
            if name not in seen:
                seen.add(name)
                found.append((name, text))
        return found

    def only_agencies(self, span: str, any_case: bool = False) -> bool:
        """True when a span names agencies and nothing else (besides separators and conjunctions)."""
        hits = self._hits(span, any_case)
        if not hits:
            return False
        rest, last = [], 0
        for start, stop, _name, _text in hits:
            rest.append(span[last:start])
            last = stop
        rest.append(span[last:])
        leftover = re.sub(r"[\W_]+|\b(?:and|und|et|y|e|i|with|mit|the)\b", "", " ".join(rest), flags=re.I)
        return not leftover

    def by_domain(self, domain: str | None) -> str | None:
        """The agency that publishes on this host (or a parent domain of it)."""
        return _walk_domain(domain, self._by_domain)


def _walk_domain(domain: str | None, table: dict[str, str]) -> str | None:
    if not domain:
        return None
    labels = domain.lower().strip(".").split(".")
    for i in range(len(labels) - 1):
        hit = table.get(".".join(labels[i:]))
        if hit:
            return hit
    return None


@lru_cache(maxsize=65536)  # names recur across a page's signals and across pages: ~10 µs each
def fold_name(text: str) -> str:
    """A comparison key for outlet names: case, accents, spacing and a leading 'the' ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"\s*([/&+-])\s*", r"\1", text)
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text.strip(" .,;:'\"")


class OutletRegistry:
    """Known news outlets by domain and by the names others use for them."""

    def __init__(self, outlets: list[dict[str, Any]], redirectors: tuple[str, ...] = (), legal_forms: tuple[str, ...] = (), descriptors: tuple[str, ...] = (), home_link_words: tuple[str, ...] = (), platform_names: tuple[str, ...] = (), byline_words: tuple[str, ...] = (), archive_labels: tuple[str, ...] = ()):
        self._redirectors = {host: "redirector" for host in redirectors}
        self._by_domain: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._country: dict[str, str] = {}
        for outlet in outlets:
            for domain in outlet.get("domains", ()):
                self._by_domain[domain.lower()] = outlet["name"]
                if outlet.get("country"):
                    self._country[domain.lower()] = outlet["country"]
            for name in (outlet["name"], *outlet.get("aliases", ())):
                self._by_name.setdefault(fold_name(name), outlet["name"])
        self._domain_of = {o["name"]: o["domains"][0] for o in outlets if o.get("domains")}
        alternatives = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
        # A name ending in a legal form is the company behind the page, not the publication.
        self.legal_form = re.compile(rf"(?:^|[\s,])(?:{alternatives(legal_forms)})$", re.IGNORECASE) if legal_forms else None
        # A descriptor word after a brand ("Mynet Haber"): the brand is the group "brand".
        self.descriptor = re.compile(rf"^(?P<brand>.+?)\s+(?:{alternatives(descriptors)})$", re.IGNORECASE) if descriptors else None
        self.descriptor_words = frozenset(fold_name(d) for d in descriptors)
        self.platform_names = frozenset(fold_name(p) for p in platform_names)
        # A title part that opens with a byline's word names the author ("... - By Jane Doe").
        self.title_byline = re.compile(rf"^(?:{alternatives(byline_words)})\s+\S", re.IGNORECASE) if byline_words else None
        self.archive_labels = frozenset(fold_name(a) for a in archive_labels)
        # The home link's words around the name, at either end ("Logo X", "X (Link zur Startseite)", "idw-Logo").
        words = alternatives(home_link_words)
        self.home_link_noise = re.compile(rf"^(?:\W*(?:{words})\b[\s:|\-–—()]*)+|(?:[\s:|\-–—(]*\b(?:{words})\W*)+$", re.IGNORECASE) if home_link_words else None

    @classmethod
    def load(cls) -> "OutletRegistry":
        data = _load("outlets.toml")
        return cls(
            data.get("outlet", []),
            tuple(data.get("redirector_hosts", ())),
            tuple(data.get("legal_forms", ())),
            tuple(data.get("descriptors", ())),
            tuple(data.get("home_link_words", ())),
            tuple(data.get("platform_names", ())),
            tuple(data.get("byline_words", ())),
            tuple(data.get("archive_labels", ())),
        )

    def is_redirector(self, domain: str | None) -> bool:
        """A host that forwards to publishers' pages (feed proxies, news aggregators' links)."""
        return _walk_domain(domain, self._redirectors) is not None

    def by_domain(self, domain: str | None) -> str | None:
        """The outlet publishing on this host (subdomains and editions included)."""
        return _walk_domain(domain, self._by_domain)

    def country(self, domain: str | None) -> str | None:
        """ISO 3166-1 alpha-2 code of the home of the outlet publishing on this host, or None."""
        return _walk_domain(domain, self._country)

    def by_name(self, name: str | None) -> str | None:
        """The registry's proper name for a name or alias, or None."""
        return self._by_name.get(fold_name(name)) if name else None


@dataclass(frozen=True)
class Patterns:
    credits: tuple[dict[str, Any], ...]
    mentions: tuple[dict[str, Any], ...]  # photo credits and citations: evidence, never credits
    republications: tuple[dict[str, Any], ...]
    months: dict[str, int]
    zones: dict[str, int]
    url: dict[str, Any]  # URL path sections that carry agency copy ([url] in patterns.toml)
    dates: dict[str, Any]  # where the headline's date line is looked for, newsroom time zones ([dates] in patterns.toml)
    print_edition: re.Pattern | None = None  # a notice's outlet naming a print issue ([editions])
    region_edition: re.Pattern | None = None  # what is left beside the brand for another country's edition

    @classmethod
    def load(cls) -> "Patterns":
        data = _load("patterns.toml")
        shared = data.get("shared", {})

        def compile_all(items: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
            compiled = []
            for item in items:
                source = item["regex"].replace("{date}", f"(?:{shared.get('date', '')})")
                flags = (re.IGNORECASE if item.get("ignore_case", True) else 0) | re.MULTILINE
                compiled.append({**item, "regex": re.compile(source, flags)})
            return tuple(compiled)

        months = {name.casefold(): number for number, names in enumerate(data["months"]["names"], start=1) for name in names}
        editions = data.get("editions", {})
        print_edition = re.compile(editions["print"], re.IGNORECASE) if editions.get("print") else None
        region_edition = re.compile(editions["region"]) if editions.get("region") else None
        return cls(compile_all(data["credit"]), compile_all(data.get("mention", [])), compile_all(data["republication"]), months, data["zones"], data.get("url", {}), _section("patterns.toml", data, "dates"), print_edition, region_edition)


# Cached per registry folder, so a process that changes WIREDESK_REGISTRY_DIR sees the change.
def agencies() -> AgencyRegistry:
    return _cached(AgencyRegistry, os.environ.get(REGISTRY_DIR_ENV))


def outlets() -> OutletRegistry:
    return _cached(OutletRegistry, os.environ.get(REGISTRY_DIR_ENV))


def patterns() -> Patterns:
    return _cached(Patterns, os.environ.get(REGISTRY_DIR_ENV))


@lru_cache(maxsize=8)
def _cached(kind: type, folder: str | None):
    return kind.load()
