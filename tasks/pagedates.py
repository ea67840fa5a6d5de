"""Publication-date signals read from a page's markup, beside htmldate's, and the tie-break that uses them.

htmldate (run by trafilatura) stays the first choice; these signals overrule it only where
the page itself corroborates them, because taken blindly each one loses as many pages as it
wins on ../shared/corpus/dates:

- "line": the first date written in the few text nodes after the headline (the date line
  readers see: "von Marianne1 am 20.09.2020", "Datum: 03.02.2022"), parsed by htmldate's own
  expression parser;
- "itemprop": the first element marked itemprop="datePublished" (microdata), its
  content/datetime attribute;
- "local": the first JSON-LD or meta timestamp stated in UTC, on the outlet's local day when
  that is another (patterns.toml [dates.zones]): newsrooms date stories by their own clock;
- "time": the first <time datetime> of the page: mostly to corroborate the others (it is as
  often a comment's or a sidebar teaser's time as the story's); on its own only where the
  page has no other date markup at all.

They are read with regular expressions over the decoded markup: an XPath pass with class
tests cost ~10 ms a page, all four signals here 0.5-1 ms (process time over corpus/dates,
as the machine's load varies).
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from htmldate.extractors import try_date_expr

from tasks import registry

NOT_TEXT = re.compile(r"<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]+>", re.IGNORECASE | re.DOTALL)
HEADLINE = re.compile(r"<h1[\s>]", re.IGNORECASE)
# Case-sensitive, as schema.org spells it: an IGNORECASE search here cost ~1.9 ms a page, this ~0.2.
ITEMPROP_PUBLISHED = re.compile(r"""itemprop=["']datePublished["']""")
DATE_ATTRIBUTE = re.compile(r"""\b(?:content|datetime)\s*=\s*["']([^"']+)""", re.IGNORECASE)
TIME_ELEMENT = re.compile(r"""<time\b[^>]*?\bdatetime\s*=\s*["']([^"']+)""", re.IGNORECASE)
DIGIT = re.compile(r"\d")
# "4. 2. 2022": a German date written with spaces (thin ones too) after the dots, which
# htmldate's expression parser does not read; closed up to "4.2.2022" it does.
SPACED_DOTTED = re.compile(r"\b(\d{1,2})\.\s+(\d{1,2})\.\s+(\d{4})\b")
EARLIEST = datetime(1995, 1, 1)  # htmldate's own lower bound


def markup_dates(markup: str) -> list[tuple[str, str]]:
    """The page's line, itemprop and time date signals as (signal, value), in that order."""
    found = []
    line = headline_date(markup)
    if line:
        found.append(("line", line))
    itemprop = itemprop_date(markup)
    if itemprop:
        found.append(("itemprop", itemprop))
    time = TIME_ELEMENT.search(markup)
    if time and DIGIT.search(time.group(1)):
        found.append(("time", html.unescape(time.group(1)).strip()))
    return found


# A timestamp in UTC: Z or a zero offset (seconds sometimes written with one digit: "23:15:0Z").
UTC_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{1,2}(?:\.\d+)?)?\s*(?:Z|[+-]00:?00)$")


def local_date(candidates: list[tuple[str, str]], domain: str | None) -> list[tuple[str, str]]:
    """[("local", ISO timestamp)]: the first structured UTC value in the outlet's time zone, when
    that puts it on another day; else []."""
    zone = _zone(domain)
    if zone is None:
        return []
    for signal, value in candidates:
        found = UTC_STAMP.match(value.strip()) if signal in ("jsonld", "meta") else None
        if found:
            stamp = datetime(*(int(part) for part in found.groups()), tzinfo=timezone.utc).astimezone(zone)
            return [("local", stamp.isoformat())] if stamp.date() != stamp.astimezone(timezone.utc).date() else []
    return []


def _zone(domain: str | None) -> ZoneInfo | None:
    """The outlet's time zone: from the registry's country of the outlet, else the host's country-code TLD."""
    if not domain:
        return None
    settings = registry.patterns().dates
    country = registry.outlets().country(domain)
    tld = domain.rsplit(".", 1)[-1].lower()
    if country is None and tld not in settings["generic_tlds"]["tlds"]:
        country = tld
    name = settings["zones"].get((country or "").lower())
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):  # no time zone database on this machine: no local day
        return None


def headline_date(markup: str) -> str | None:
    """ISO day of the first date in the short text nodes that follow the first <h1>, or None."""
    settings = registry.patterns().dates
    start = HEADLINE.search(markup)
    if not start:
        return None
    window = markup[start.start() : start.start() + settings["headline_window"]]
    latest = datetime.now()
    seen = 0
    for piece in NOT_TEXT.split(window):
        if not piece or piece.isspace():
            continue
        seen += 1
        if seen > settings["headline_nodes"]:
            break
        # A date line is short; a paragraph that mentions a date is the story, not its dateline.
        if len(piece) > 3 * settings["line_max_chars"] or not DIGIT.search(piece):
            continue
        text = SPACED_DOTTED.sub(r"\1.\2.\3", " ".join(html.unescape(piece).split()))
        if len(text) > settings["line_max_chars"]:
            continue
        value = try_date_expr(text, "%Y-%m-%d", False, EARLIEST, latest)
        if value:
            return value
    return None


def itemprop_date(markup: str) -> str | None:
    """The content/datetime attribute of the first element marked itemprop="datePublished", or None."""
    found = ITEMPROP_PUBLISHED.search(markup)
    if not found:
        return None
    tag = markup[markup.rfind("<", 0, found.start()) : markup.find(">", found.end()) + 1]
    value = DATE_ATTRIBUTE.search(tag)
    return html.unescape(value.group(1)).strip() if value and DIGIT.search(value.group(1)) else None


def overruling_signal(days: list[tuple[str, date]], modified: set[date], chosen: date | None) -> str | None:
    """The markup signal that should replace the day htmldate (or structured data) gave, or None.

    `days` are the plausible published candidates as (signal, day), `modified` the page's
    update days, `chosen` the day the signal priority picked.
    - The local day of a structured UTC timestamp, where the chosen day is that timestamp's
      UTC day (the 4 pages of corpus/dates where a one-zone country's local day differs are
      all labelled with it).
    - The headline's date line, when a second signal of the page states the same day: JSON-LD
      or meta (htmldate had read another date), the update date (the page shows its update
      under the headline: the date readers and the labels go by), the microdata or a <time>.
    - The date line, when the page has no JSON-LD or meta date and neither <time> nor microdata
      confirm htmldate's day.  (Keeping htmldate where its day is the line's with day and month
      swapped lost a page and won none on the corpus: the dotted European dates a line shows
      are unambiguous, htmldate's reading of a US "11/01/2023" meta value is not.)
    - The microdata datePublished, when the page has no JSON-LD or meta date: it is the page's
      own structured date, as trustworthy as JSON-LD where htmldate took another.
    - The first <time datetime>, when it is the page's only date markup (no JSON-LD, meta,
      microdata or date line): htmldate then read its day from the text or the URL.  Rare (2
      pages of corpus/dates, both right); taken where there are other signals it lost more
      pages than it won.
    """
    first = {}
    for signal, day in days:
        first.setdefault(signal, day)
    line, itemprop, time = first.get("line"), first.get("itemprop"), first.get("time")
    structured = {day for signal, day in days if signal in ("jsonld", "meta")}
    local = first.get("local")
    if local and chosen in structured and abs((local - chosen).days) == 1:
        return "local"
    if line and line != chosen:
        if line in structured | modified | {time, itemprop}:
            return "line"
        if not structured and (chosen is None or chosen not in (time, itemprop)):
            return "line"
    if itemprop and itemprop != chosen and not structured:
        return "itemprop"
    if time and time != chosen and not structured and not line and not itemprop:
        return "time"
    return None

