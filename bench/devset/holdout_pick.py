"""List hold-out candidates for the outlet label set (bench/devset/outlet_holdout.jsonl).

    python bench/devset/holdout_pick.py [--limit N] > candidates.txt
    python bench/devset/holdout_pick.py --exclude bench/devset/provenance_labels.jsonl \
        bench/devset/outlet_holdout*.jsonl bench/devset/outlet_holdout*_skipped.tsv \
        --unseen-domains --per-domain 2 --limit 400 > candidates.txt

Hold-out N (2-6) was picked so, with the files of sets 1 to N-1 then existing excluded; with all
six sets excluded nothing is left (set 6 read all 149 candidates there were).

Pages of ../shared/corpus/{dates,extraction} that are not in the --exclude files (by file name;
default provenance_labels.jsonl), one copy per file name (the dates copy first), in the order of
md5(file name), at most --per-domain (default 3) per registrable domain.  With --unseen-domains
a page is also left out when its registrable domain is that of any excluded page, so a second
hold-out set holds only outlets that no earlier set has shown to anyone.  For each page it prints the brand signals a labeller reads (title,
og:site_name, application-name, JSON-LD publisher/WebSite/Organization names, logo alt text,
copyright lines) so the page can be labelled by hand.  It does not import wiredesk: the labels
must not be shaped by what the program says.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import py3langid
from courlan import extract_domain
from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent.parent / "shared" / "corpus"
PER_DOMAIN = 3


def decode(raw: bytes) -> str:
    head = raw[:4096].decode("ascii", "replace")
    match = re.search(r"""charset=["']?([\w-]+)""", head, re.I)
    for codec in ([match.group(1)] if match else []) + ["utf-8", "cp1252"]:
        try:
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def domain_of(url: str, doc) -> str:
    """Registrable domain of the truth URL; for non-URL keys, of the page's canonical/og:url."""
    if not url.startswith("http"):
        found = doc.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
        url = next((u for u in found if u.startswith("http")), "")
    return (extract_domain(url) or "").lower() if url else ""


def jsonld_names(doc) -> list[str]:
    names = []

    def walk(node, key=""):
        if isinstance(node, dict):
            kind = node.get("@type")
            kind = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            name = node.get("name")
            if isinstance(name, str) and (key in ("publisher", "provider", "sourceOrganization", "isPartOf")
                                          or re.search(r"Organization|WebSite|Corporation|NewsMedia", kind)):
                names.append(f"{key or kind}={name}")
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    for script in doc.xpath("//script[@type='application/ld+json']/text()"):
        try:
            walk(json.loads(script))
        except ValueError:
            names.append("(bad json-ld)")
    return names


def signals(raw: bytes, url: str) -> dict:
    # lxml refuses str input that still carries an XML encoding declaration
    doc = lxml_html.fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", decode(raw)))
    meta = lambda xp: [m.strip() for m in doc.xpath(xp) if m.strip()]
    for bad in doc.xpath("//script|//style|//noscript"):
        if bad.get("type") != "application/ld+json":
            bad.drop_tree()
    text = " ".join(doc.text_content().split())
    logos = []
    for el in doc.xpath("//*[contains(translate(@class,'LOGO','logo'),'logo') or contains(translate(@id,'LOGO','logo'),'logo')]//img | //img[contains(translate(@src,'LOGO','logo'),'logo')]"):
        if el.get("alt") or el.get("title"):
            logos.append((el.get("alt") or el.get("title")).strip())
    copyright_ = [text[max(0, m.start() - 20): m.start() + 80] for m in re.finditer(r"©|\(c\)|Copyright|&copy;", text, re.I)]
    return {
        "domain": domain_of(url, doc),
        "lang": (doc.xpath("//html/@lang") or [""])[0],
        "guess": py3langid.classify(text[:5000])[0] if text else "",
        "chars": len(text),
        "title": " ".join(" ".join(doc.xpath("//title/text()")).split())[:200],
        "og:site_name": meta("//meta[@property='og:site_name']/@content"),
        "app": meta("//meta[@name='application-name' or @name='apple-mobile-web-app-title']/@content"),
        "twitter:site": meta("//meta[@name='twitter:site']/@content"),
        "publisher": meta("//meta[@name='publisher' or @name='copyright' or @property='article:publisher']/@content"),
        "jsonld": jsonld_names(doc)[:8],
        "logo": list(dict.fromkeys(logos))[:4],
        "copyright": copyright_[:2] + copyright_[-2:] if len(copyright_) > 4 else copyright_,
        "head": text[:300],
    }


def excluded_files(paths: list[Path]) -> set[str]:
    """File names in label files: .jsonl with a "file" key, or .tsv rows "corpus<TAB>file<TAB>reason"."""
    files = set()
    for path in paths:
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            files.add(json.loads(line)["file"] if path.suffix == ".jsonl" else line.split("\t")[1])
    return files


def page_domain(corpus: str, file: str, url: str) -> str:
    if url.startswith("http"):
        return (extract_domain(url) or "").lower()
    raw = gzip.decompress((CORPUS / corpus / "pages" / file).read_bytes())
    return domain_of(url, lxml_html.fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", decode(raw))))


def candidates(labelled: set[str]):
    seen, pool = set(), []
    for corpus in ("dates", "extraction"):
        truth = json.loads((CORPUS / corpus / "truth.json").read_text())
        for url, entry in truth.items():
            if entry["file"] in labelled or entry["file"] in seen:
                continue
            if not (CORPUS / corpus / "pages" / entry["file"]).exists():
                continue
            seen.add(entry["file"])
            pool.append((hashlib.md5(entry["file"].encode()).hexdigest(), corpus, entry["file"], url))
    return sorted(pool)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=260, help="candidates to print (skips need spares)")
    parser.add_argument("--exclude", type=Path, nargs="+", default=[HERE / "provenance_labels.jsonl"],
                        help="label files (.jsonl with 'file', or skipped .tsv) whose pages are left out")
    parser.add_argument("--unseen-domains", action="store_true",
                        help="also leave out pages whose registrable domain is that of an excluded page")
    parser.add_argument("--per-domain", type=int, default=PER_DOMAIN, help="max pages per registrable domain")
    args = parser.parse_args()
    labelled = excluded_files(args.exclude)
    seen_domains = set()
    if args.unseen_domains:
        where = {}
        for corpus in ("extraction", "dates"):  # dates last: its copy wins, as in candidates()
            for url, entry in json.loads((CORPUS / corpus / "truth.json").read_text()).items():
                if (CORPUS / corpus / "pages" / entry["file"]).exists():
                    where[entry["file"]] = (corpus, url)
        # an empty domain (no URL anywhere on the page) names no outlet, so it excludes nothing
        seen_domains = {page_domain(where[f][0], f, where[f][1]) for f in labelled if f in where} - {""}
    per_domain = Counter()
    shown = 0
    for digest, corpus, file, url in candidates(labelled):
        raw = gzip.decompress((CORPUS / corpus / "pages" / file).read_bytes())
        sig = signals(raw, url)
        if sig["domain"] in seen_domains:
            continue
        per_domain[sig["domain"]] += 1
        if per_domain[sig["domain"]] > args.per_domain:
            continue
        print(json.dumps({"n": shown, "corpus": corpus, "file": file, "url": url, **sig}, ensure_ascii=False))
        shown += 1
        if shown >= args.limit:
            break


if __name__ == "__main__":
    main()
