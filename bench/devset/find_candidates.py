#!/usr/bin/env python3
"""Candidate search for the provenance dev set (bench/devset/provenance_labels.jsonl).

Scans the evaluation corpus (../shared/corpus relative to the repo root, or --corpus PATH)
and writes one JSON line per page that *might* be interesting for labelling:

  * agency mentions (aliases from tasks/agencies.toml, plus a few extra names) in the
    visible text, in trafilatura's main text, in meta tags and in JSON-LD, each with context;
  * "strong" credit shapes: datelines "(dpa)" / "/ТАСС/", "Quelle: dpa", "By The Associated
    Press", "© 2020 Reuters", "(Con información de AFP ...)", "Additional reporting by" ...;
  * republication notices ("originally published", "erschien zuerst", "Crosspost:",
    "publicado originalmente", "Courtesy of", "Reprinted by permission" ...);
  * cross-domain rel=canonical / og:url.

It does NOT label anything. Every candidate must be read and decided by a person, and the
evidence quote copied from the page (see README.md, "Checking rule").

Usage (from the repo root):
    /work/venv/bin/python bench/devset/find_candidates.py --out /tmp/candidates.jsonl
    /work/venv/bin/python bench/devset/find_candidates.py --skip-labelled --only-interesting
    /work/venv/bin/python bench/devset/find_candidates.py --verify-labels
Options: --corpus PATH, --agencies PATH, --jobs N, --limit N.

--verify-labels re-checks provenance_labels.jsonl instead: every evidence quote must occur in the
page (raw HTML, HTML-unescaped HTML, or the text content; whitespace-normalised) and the record
must be internally consistent (category vs. wire_services / republished / non_credits).
"""
from __future__ import annotations

import argparse
import gzip
import html as htmllib
import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

# Names not (yet) in tasks/agencies.toml that occur in the corpus as credits.
EXTRA_ALIASES = [
    ("Kathpress", "Kathpress"), ("kathpress", "Kathpress"), ("epdÖ", "epdÖ"),
    ("Agência O Globo", "Agência O Globo"), ("Agencia Reforma", "Agencia Reforma"),
    ("Agencia Cubana de Noticias", "ACN"), ("Agencias", "(unnamed agencies)"),
    ("Agenturen", "(unnamed agencies)"), ("Agencies", "(unnamed agencies)"),
]

STRONG = [
    ("paren", r"\((?:[A-Za-zÄÖÜäöü ]{1,15} mit |[a-z]{1,5}/)?{A}(?:\s*[/,]\s*[A-Za-z-]{1,15}){0,4}\s*\)"),
    ("slash", r"/(?:ТАСС|Интерфакс|РИА Новости|ТАСС-ДОСЬЕ)/"),
    ("label", r"(?:Quelle|Quellen|Fuente|Fonte|Source|Źródło|Bron|Von|By|Por|Par|Af|Mit Material von|[Cc]on información de|[Aa]vec|[Ww]ith|Periodista Digital|Autor|Auteur)\s*:?\s*(?:the |The |la |l'|Agencia |Agence |Agenzia )?{A}\b"),
    ("copyright", r"(?:©|\(c\)|Copyright)\s*(?:\d{4}\s*)?(?:The )?{A}\b"),
    ("contrib", r"(?:contributed to this (?:report|story)|[Aa]dditional reporting|\(Reporting by)[^\n]{0,80}"),
    ("endline", r"[.!?»\"”)]\s*[-–—]?\s*\(?{A}(?:/[A-Za-z]{1,10})*\)?\.?\s*(?:\n|$)"),
]
NOTICE = re.compile(
    r"(?i)originally (?:published|appeared|posted|ran)|first (?:published|appeared|ran)|republished|reprinted|"
    r"with permission|courtesy of|crosspost|cross-posted|syndicated|"
    r"erschien zuerst|zuerst (?:erschienen|veröffentlicht|im|in der|bei|auf)|erstmals (?:erschienen|veröffentlicht)|"
    r"ursprünglich (?:erschienen|veröffentlicht)|erstveröffentlichung|mit freundlicher genehmigung|"
    r"publicado originalmente|originalmente publicad|initialement publié|publié initialement|"
    r"pubblicato originariamente|this (?:article|story|post) (?:was|is|first|originally)|"
    r"read the original|via [A-Z][a-z]+ —|the conversation")

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
          "figcaption", "footer", "header", "figure", "aside", "dd", "dt", "blockquote", "td",
          "ul", "ol", "main", "nav", "time", "address", "caption", "cite"}


def load_aliases(path):
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore
    data = tomllib.load(open(path, "rb"))
    out = []
    for a in data.get("agency", []):
        amb = set(a.get("ambiguous", []))
        for x in a.get("aliases", []):
            out.append((x, a["name"], x in amb))
    for x, n in EXTRA_ALIASES:
        out.append((x, n, False))
    return out


def alias_regex(aliases, with_ambiguous=True):
    parts = []
    for x, _n, amb in sorted(aliases, key=lambda t: -len(t[0])):
        if amb and not with_ambiguous:
            continue
        e = re.escape(x)
        if len(x) <= 4 or x.isupper():        # agencies.toml rule: case-sensitive
            parts.append(r"(?<![\w-])" + e + r"(?![\w])")
        else:
            parts.append(r"(?i:(?<!\w)" + e + r"(?!\w))")
    return "(?:" + "|".join(parts) + ")"


def decode(raw: bytes) -> str:
    try:
        from trafilatura.utils import decode_file
        s = decode_file(raw)
        return s if isinstance(s, str) else s.decode("utf-8", "replace")
    except Exception:
        return raw.decode("utf-8", "replace")


def visible_text(doc) -> str:
    out = []

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            if el.tail:
                out.append(el.tail)
            return
        if tag in _BLOCK:
            out.append("\n")
        if el.text and isinstance(el.tag, str):
            out.append(el.text)
        for c in el:
            walk(c)
        out.append("\n" if tag in _BLOCK else (" " if tag else ""))
        if el.tail:
            out.append(el.tail)
    walk(doc)
    t = "".join(out)
    t = re.sub(r"[ \t\r\xa0]+", " ", t)
    return re.sub(r" ?\n\s*", "\n", t)


def reg_domain(host: str) -> str:
    host = (host or "").lower().split(":")[0]
    if host.startswith("www."):
        host = host[4:]
    return ".".join(host.split(".")[-2:])


def ctx(text, m, w=90):
    return text[max(0, m.start() - w):m.end() + w].replace("\n", " ¶ ")


_G = {}


def _init(aliases):
    _G["any"] = re.compile(alias_regex(aliases, True))
    # credit positions: ambiguous aliases count here too (agencies.toml rule)
    a = alias_regex(aliases, True)
    _G["strong"] = [(n, re.compile(p.replace("{A}", a))) for n, p in STRONG]
    _G["names"] = {x: n for x, n, _ in aliases}


def scan(job):
    corpus_dir, corpus, url, file = job
    from lxml import html as LH
    import trafilatura
    raw = decode(gzip.open(os.path.join(corpus_dir, corpus, "pages", file)).read())
    rec = {"corpus": corpus, "file": file, "url": url}
    raw_clean = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", raw)
    try:
        doc = LH.fromstring(raw_clean)
    except Exception as e:  # broken page
        rec["error"] = str(e)
        return rec
    vis = visible_text(doc)
    try:
        d = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
        d = d.as_dict() if hasattr(d, "as_dict") else (d or {})
    except Exception:
        d = {}
    main = d.get("text") or ""
    rec.update(title=d.get("title"), author=d.get("author"), sitename=d.get("sitename"), date=d.get("date"))
    # metadata: meta tags + JSON-LD author-ish fields
    meta = []
    for m in doc.xpath("//meta"):
        k = (m.get("name") or m.get("property") or m.get("itemprop") or "").lower()
        v = m.get("content") or ""
        if k and v and re.search(r"author|site_name|publisher|creator|copyright|source|byl|credit", k):
            meta.append(f"{k}={v[:200]}")
    for s in doc.xpath('//script[@type="application/ld+json"]'):
        txt = s.text_content()
        for mm in re.finditer(r'"(?:author|creator|sourceOrganization|provider|copyrightHolder|publisher)"\s*:\s*(\{[^{}]{0,300}\}|\[[^\[\]]{0,300}\]|"[^"]{0,200}")', txt):
            meta.append("ld:" + mm.group(0)[:300])
    hits = []
    for where, text in (("main", main), ("visible", vis), ("meta", "\n".join(meta))):
        for m in _G["any"].finditer(text):
            hits.append({"where": where, "alias": m.group(0),
                         "agency": _G["names"].get(m.group(0), _G["names"].get(m.group(0).strip(), "?")),
                         "context": ctx(text, m)})
            if len(hits) > 60:
                break
    rec["agency_mentions"] = hits
    rec["strong_credit_shapes"] = [{"kind": n, "context": ctx(vis, m)}
                                   for n, p in _G["strong"] for m in list(p.finditer(vis))[:5]]
    rec["republication_notices"] = [ctx(vis, m, 140) for m in list(NOTICE.finditer(vis))[:8]]
    host = reg_domain(urlparse(url).netloc) if url.startswith("http") else ""
    cross = []
    for x in doc.xpath('//link[@rel="canonical"]/@href') + doc.xpath('//meta[@property="og:url"]/@content'):
        h = reg_domain(urlparse(x).netloc)
        if host and h and h != host:
            cross.append(x)
    rec["cross_domain_canonical"] = sorted(set(cross))
    rec["interesting"] = bool(rec["strong_credit_shapes"] or rec["republication_notices"] or cross
                              or any(h["where"] != "visible" for h in hits))
    return rec


def _norm(s):
    return re.sub(r"\s+", " ", s).strip()


def verify_labels(corpus_dir, agencies_path):
    from lxml import html as LH
    try:
        import tomllib
    except ImportError:
        import tomli as tomllib  # type: ignore
    names = {a["name"] for a in tomllib.load(open(agencies_path, "rb")).get("agency", [])}
    bad = 0
    unknown = set()
    seen = set()
    keys = ["corpus", "file", "url", "language", "outlet", "published_date", "wire_services", "credits",
            "non_credits", "republished", "original_outlet", "original_url", "original_published_date",
            "republication_evidence", "category", "notes"]
    for i, line in enumerate(open(os.path.join(HERE, "provenance_labels.jsonl"), encoding="utf-8"), 1):
        r = json.loads(line)
        errs = []
        if list(r) != keys:
            errs.append("key order")
        if r["url"] in seen:
            errs.append("duplicate url")
        seen.add(r["url"])
        raw = decode(gzip.open(os.path.join(corpus_dir, r["corpus"], "pages", r["file"])).read())
        reps = [_norm(raw), _norm(htmllib.unescape(raw))]
        try:
            doc = LH.fromstring(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", raw))
            for b in doc.xpath('//script[not(@type="application/ld+json")]|//style'):
                b.drop_tree()
            reps.append(_norm(doc.text_content()))
        except Exception:
            pass
        evs = [c["evidence"] for c in r["credits"] + r["non_credits"]]
        if r["republication_evidence"]:
            evs.append(r["republication_evidence"])
        for ev in evs:
            if not any(_norm(ev) in x for x in reps):
                errs.append("evidence not found: " + ev[:60])
        ws = sorted({c["agency"] for c in r["credits"]}, key=str.lower)
        if ws != r["wire_services"]:
            errs.append("wire_services != credited agencies")
        cat = r["category"]
        if (cat == "credited") != bool(ws):
            errs.append("category/credits mismatch")
        if cat == "republished" and not r["republished"]:
            errs.append("republished category without flag")
        if cat == "hard_negative" and not r["non_credits"]:
            errs.append("hard_negative without non_credits")
        unknown |= {c["agency"] for c in r["credits"] + r["non_credits"]} - names
        if errs:
            bad += 1
            print(f"line {i} {r['corpus']}/{r['file']}: " + "; ".join(errs))
    print(f"{i} records checked, {bad} with problems")
    if unknown:
        print("agency names not in agencies.toml:", ", ".join(sorted(unknown)))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "corpus"))
    ap.add_argument("--agencies", default=os.path.join(REPO, "tasks", "agencies.toml"))
    ap.add_argument("--out", default="-")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--skip-labelled", action="store_true",
                    help="skip pages already in provenance_labels.jsonl (by URL)")
    ap.add_argument("--only-interesting", action="store_true")
    ap.add_argument("--verify-labels", action="store_true",
                    help="check provenance_labels.jsonl against the pages instead of searching")
    args = ap.parse_args()
    if args.verify_labels:
        sys.exit(1 if verify_labels(args.corpus, args.agencies) else 0)

    aliases = load_aliases(args.agencies)
    labelled = set()
    lab = os.path.join(HERE, "provenance_labels.jsonl")
    if args.skip_labelled and os.path.exists(lab):
        labelled = {json.loads(l)["url"] for l in open(lab, encoding="utf-8")}
    jobs = []
    for corpus in ("dates", "extraction"):
        truth = json.load(open(os.path.join(args.corpus, corpus, "truth.json"), encoding="utf-8"))
        for url, v in truth.items():
            if url not in labelled:
                jobs.append((args.corpus, corpus, url, v["file"]))
    if args.limit:
        jobs = jobs[:args.limit]
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    n = 0
    with ProcessPoolExecutor(max(1, args.jobs), initializer=_init, initargs=(aliases,)) as ex:
        for rec in ex.map(scan, jobs, chunksize=8):
            if args.only_interesting and not rec.get("interesting"):
                continue
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} candidate records from {len(jobs)} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
