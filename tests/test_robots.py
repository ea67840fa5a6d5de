"""robots.txt and per-host pacing, against a real server on 127.0.0.1."""

import time

from tasks.fetch import HttpFetcher, HttpSettings, RetryPolicy
from tasks.robots import parse_robots
from tests.conftest import FILLER, article_html
from warehouse.schema import PageRequest

UA = "wiredesk/0.2 (+mailto:test@example.org)"


def settings(**extra):
    return HttpSettings(**{"allow_addresses": ("127.0.0.1",), "user_agent": UA, "connect_timeout": 2, "read_timeout": 2, "total_timeout": 5, "retry": RetryPolicy(attempts=1), **extra})


def fetch_all(urls, **extra):
    return HttpFetcher(settings(**extra)).fetch([PageRequest(source=u, kind="url", location=u, url=u) for u in urls], "run")


def test_protego_reads_wildcards_end_anchors_and_agent_groups():
    policy = parse_robots("User-agent: *\nDisallow: /private\nDisallow: /*.pdf$\n\nUser-agent: wiredesk\nDisallow: /no-bots/\nCrawl-delay: 2\n")
    assert policy.refusal("https://x.org/no-bots/1", UA)
    assert policy.refusal("https://x.org/news/1", UA) is None
    assert policy.crawl_delay(UA) == 2.0
    other = "SomeBot/1.0"
    assert policy.refusal("https://x.org/private/a", other) and policy.refusal("https://x.org/a.pdf", other)
    assert policy.refusal("https://x.org/a.pdf?x=1", other) is None


def test_disallowed_url_is_a_recorded_outcome_and_robots_is_fetched_once(site):
    site.add("/robots.txt", body=b"User-agent: *\nDisallow: /secret/\n", content_type="text/plain")
    ok = [site.add(f"/news/{i}", body=article_html(f"N{i}", FILLER)) for i in range(8)]
    hidden = site.add("/secret/1", body=article_html("S", FILLER))
    pages = fetch_all(ok + [hidden], per_host=4)
    assert [p.fetch.ok for p in pages] == [True] * 8 + [False]
    assert pages[-1].fetch.error_class == "robots_disallowed" and site.routes["/secret/1"].hits == 0
    assert site.routes["/robots.txt"].hits == 1  # eight concurrent coroutines, one fetch


def test_crawl_delay_spaces_requests_to_one_host(site):
    site.add("/robots.txt", body=b"User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
    urls = [site.add(f"/p/{i}", body=article_html(f"P{i}", FILLER)) for i in range(3)]
    started = time.perf_counter()
    assert all(p.fetch.ok for p in fetch_all(urls, per_host=3))
    assert time.perf_counter() - started >= 0.6  # three starts, 0.3 s apart


def test_delay_setting_and_robots_off(site):
    site.add("/robots.txt", body=b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    urls = [site.add(f"/q/{i}", body=article_html(f"Q{i}", FILLER)) for i in range(3)]
    started = time.perf_counter()
    assert all(p.fetch.ok for p in fetch_all(urls, obey_robots=False, delay_seconds=0.2))
    assert time.perf_counter() - started >= 0.4 and site.routes["/robots.txt"].hits == 0


def test_robots_5xx_refuses_the_host_for_this_run(site):
    site.add("/robots.txt", body=b"oops", status=503)
    page = fetch_all([site.add("/a", body=article_html("A", FILLER))])[0]
    assert page.fetch.error_class == "robots_unavailable" and site.routes["/a"].hits == 0


def test_a_redirect_to_another_server_obeys_that_servers_robots_txt(site):
    from tests.conftest import Site

    other = Site()
    try:
        other.add("/robots.txt", body=b"User-agent: *\nDisallow: /secret/\n", content_type="text/plain")
        other.add("/secret/1", body=article_html("Secret", FILLER))
        other.add("/open/1", body=article_html("Open", FILLER))
        # robots.txt that itself redirects within its server must not wait on its own lookup
        site.add("/robots.txt", status=301, headers={"Location": "/robots-en.txt"})
        site.add("/robots-en.txt", body=b"User-agent: *\nDisallow:\n", content_type="text/plain")
        blocked = site.add("/go-secret", status=302, headers={"Location": other.url("/secret/1")})
        fine = site.add("/go-open", status=302, headers={"Location": other.url("/open/1")})
        pages = fetch_all([blocked, fine])
        assert pages[0].fetch.error_class == "robots_disallowed" and "redirected to" in pages[0].fetch.error
        assert other.routes["/secret/1"].hits == 0
        assert pages[1].fetch.ok and pages[1].fetch.final_url == other.url("/open/1")
        assert other.routes["/robots.txt"].hits == 1 and site.routes["/robots-en.txt"].hits == 1
    finally:
        other.close()


def redirects_to(site, other, target: str, count: int) -> list[str]:
    """`count` links on `site` that redirect to one page of `other` (a feed's tracking links, a shortener)."""
    return [site.add(f"/track/{i}", status=302, headers={"Location": other.url(target)}) for i in range(count)]


def test_a_redirect_target_gets_its_own_crawl_delay(site):
    from tests.conftest import Site

    other = Site()
    try:
        other.add("/robots.txt", body=b"User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
        other.add("/story", body=article_html("Story", FILLER))
        pages = fetch_all(redirects_to(site, other, "/story", 3), per_host=3)
        assert all(p.fetch.ok and p.fetch.final_url == other.url("/story") for p in pages)
        arrivals = other.routes["/story"].arrivals
        assert len(arrivals) == 3
        assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.28  # 0.3 s apart (timer slack)
    finally:
        other.close()


def test_a_redirect_target_gets_its_own_per_host_limit_and_the_wait_is_not_the_servers_time(site):
    from tests.conftest import Site

    other, origins = Site(), [site, Site(), Site()]
    try:
        other.add("/story", body=article_html("Story", FILLER), delay=0.3)
        # Three servers' links to one slow server: each origin's own limit lets all three
        # through at once, the target's lets one in at a time.  The third waits ~0.6 s for its
        # turn: more than the 0.5 s an attempt may take, which is for the server's answer.
        links = [redirects_to(origin, other, "/story", 1)[0] for origin in origins]
        pages = fetch_all(links, per_host=1, total_timeout=0.5)
        assert [p.fetch.error_class for p in pages] == [None, None, None]
        assert other.routes["/story"].hits == 3 and other.routes["/story"].most_active == 1
    finally:
        for server in (other, *origins[1:]):
            server.close()


def test_requests_redirecting_to_each_others_servers_do_not_wait_on_each_other(site):
    from tests.conftest import Site

    other = Site()
    try:
        site.add("/here", body=article_html("Here", FILLER), delay=0.1)
        other.add("/there", body=article_html("There", FILLER), delay=0.1)
        # With one slot per server, holding the first server's slot while waiting for the
        # second's would deadlock these two groups; a redirect hands its slot over instead.
        to_other = redirects_to(site, other, "/there", 3)
        to_site = [other.add(f"/back/{i}", status=302, headers={"Location": site.url("/here")}) for i in range(3)]
        started = time.perf_counter()
        pages = fetch_all([u for pair in zip(to_other, to_site) for u in pair], per_host=1)
        assert all(p.fetch.ok for p in pages)
        assert time.perf_counter() - started < 4
        assert site.routes["/here"].most_active == 1 and other.routes["/there"].most_active == 1
    finally:
        other.close()


def test_a_request_waiting_for_a_redirect_targets_turn_lets_other_servers_requests_go(site):
    from tests.conftest import Site

    target, third = Site(), Site()
    try:
        target.add("/story", body=article_html("Story", FILLER), delay=0.6)
        third.add("/page", body=article_html("Elsewhere", FILLER))
        # Two connections: the first request is at the slow target, the second was redirected
        # there and waits for its one slot; the third, to another server, must not wait too.
        urls = [target.url("/story"), redirects_to(site, target, "/story", 1)[0], third.url("/page")]
        started = time.monotonic()
        pages = fetch_all(urls, per_host=1, concurrency=2)
        assert all(p.fetch.ok for p in pages)
        assert third.routes["/page"].arrivals[0] - started < 0.4
        assert target.routes["/story"].most_active == 1
    finally:
        target.close()
        third.close()
