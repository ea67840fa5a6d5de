"""robots.txt: fetched once per host per run, obeyed, its Crawl-delay honoured.

protego parses it (urllib.robotparser got wildcards, `$` and rule order wrong: see
../shared/docs/stack-notes.md).  Per RFC 9309: a 4xx robots.txt means no rules; a 5xx
means "assume complete disallow" for this run (recorded as retryable); an unreachable
host gets no robots verdict here (its pages record their own connect error).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from protego import Protego

MAX_ROBOTS_BYTES = 512 * 1024  # Google's limit; the rest of a longer file is ignored
# Marks a robots.txt request and its redirect hops (httpx copies extensions to each hop), so the
# fetcher's per-hop robots check does not ask for robots.txt while fetching robots.txt.
ROBOTS_REQUEST = "wiredesk_robots_txt"


@dataclass(frozen=True)
class RobotsPolicy:
    """What one host's robots.txt says, for this run."""

    rules: Protego | None = None  # None: no rules (missing robots.txt, 4xx, unreachable)
    unavailable: str | None = None  # set on 5xx: every URL of the host is refused this run

    def refusal(self, url: str, user_agent: str) -> tuple[str, str] | None:
        """(error class, detail) when the URL may not be fetched, else None."""
        if self.unavailable:
            return "robots_unavailable", self.unavailable
        if self.rules is not None and not self.rules.can_fetch(url, user_agent):
            return "robots_disallowed", f"{url}: disallowed by robots.txt"
        return None

    def crawl_delay(self, user_agent: str) -> float:
        if self.rules is None:
            return 0.0
        delay = self.rules.crawl_delay(user_agent)
        return float(delay) if delay else 0.0


def parse_robots(text: str) -> RobotsPolicy:
    """A policy from robots.txt text (pure: tested without a server)."""
    return RobotsPolicy(rules=Protego.parse(text))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """robots.txt per origin for one run; a per-origin lock makes concurrent coroutines fetch it once."""

    def __init__(self) -> None:
        self._policies: dict[str, RobotsPolicy] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def policy(self, client: httpx.AsyncClient, url: str) -> RobotsPolicy:
        origin = origin_of(url)
        if origin in self._policies:
            return self._policies[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._policies:
                self._policies[origin] = await self._fetch(client, origin)
        return self._policies[origin]

    @staticmethod
    async def _fetch(client: httpx.AsyncClient, origin: str) -> RobotsPolicy:
        url = origin + "/robots.txt"
        try:
            async with client.stream("GET", url, extensions={ROBOTS_REQUEST: True}) as response:
                if response.status_code >= 500:
                    return RobotsPolicy(unavailable=f"{url}: HTTP {response.status_code}; the host is not fetched this run (RFC 9309)")
                if response.status_code >= 400:
                    return RobotsPolicy()
                body = b""
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= MAX_ROBOTS_BYTES:
                        break
        except Exception:  # noqa: BLE001 - unreachable, refused by the guard, broken: no rules from here
            return RobotsPolicy()
        return parse_robots(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace"))
