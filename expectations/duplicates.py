"""Pages of one batch that are the same article (they declare the same canonical URL).

The gate keeps article_id unique; without this step both pages would be refused by the
uniqueness check.  One page is kept: the one whose own URL is the canonical, else the
first in the batch.  The others become `duplicate_articles` rows saying which page was
kept and why, so nothing disappears without a trace.
"""

from __future__ import annotations

from datetime import datetime

from tasks.extract import normalise_url
from warehouse.schema import Article, Credit, Duplicate


def is_own_canonical(article: Article) -> bool:
    return bool(article.url) and normalise_url(article.url) == article.canonical_url


def pick_kept(group: list[Article]) -> tuple[Article, str]:
    """The page kept among pages sharing an article_id, and why it was chosen."""
    for article in group:
        if is_own_canonical(article):
            return article, "kept page's own URL is the canonical"
    return group[0], "no page's own URL is the canonical: first in batch kept"


def split_duplicates(articles: list[Article], credits: list[Credit], run_id: str, now: datetime) -> tuple[list[Article], list[Credit], list[Duplicate]]:
    """(articles with one page per article_id, their credits, the pages set aside)."""
    groups: dict[str | None, list[Article]] = {}
    for a in articles:
        groups.setdefault(a.article_id, []).append(a)
    if all(len(g) == 1 for key, g in groups.items() if key is not None):
        return articles, credits, []
    kept_ids: set[int] = set()
    duplicates = []
    for key, group in groups.items():
        if key is None or len(group) == 1:
            kept_ids.update(id(a) for a in group)  # a null key is the gate's to refuse
            continue
        kept, why = pick_kept(group)
        kept_ids.add(id(kept))
        for other in group:
            if other is kept:
                continue
            same = "same content" if other.content_hash == kept.content_hash else "different content"
            duplicates.append(
                Duplicate(
                    article_id=key,
                    url=other.url,
                    canonical_url=other.canonical_url,
                    kept_url=kept.url,
                    content_hash=other.content_hash,
                    reason=f"same canonical URL as {kept.url} ({same}); {why}",
                    run_id=run_id,
                    source=other.source,
                    found_at=now,
                )
            )
    kept_articles = [a for a in articles if id(a) in kept_ids]
    # Credits are keyed by (article_id, content_hash): keep those of the kept versions, once.
    versions = {(a.article_id, a.content_hash) for a in kept_articles}
    kept_credits = list(dict.fromkeys(c for c in credits if (c.article_id, c.content_hash) in versions))
    return kept_articles, kept_credits, duplicates
