"""The address guard: a pure decision on addresses, and the fetcher refusing before it connects (127.0.0.1 only)."""

import pytest

from tasks.fetch import HttpFetcher, HttpSettings, RetryPolicy
from tasks.guard import address_refusal, parse_networks
from tests.conftest import FILLER, article_html
from warehouse.schema import PageRequest


@pytest.mark.parametrize(
    "address, label",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoints
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6 is judged as IPv4
        ("192.0.2.10", "private"),  # documentation range
    ],
)
def test_non_public_addresses_are_refused(address, label):
    refusal = address_refusal(address)
    assert refusal and label in refusal


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert address_refusal(address) is None


def test_allowed_networks_open_exactly_themselves():
    allowed = parse_networks(["127.0.0.1", "10.0.0.0/8"])
    assert address_refusal("127.0.0.1", allowed) is None
    assert address_refusal("10.200.0.1", allowed) is None
    assert address_refusal("127.0.0.2", allowed)
    assert address_refusal("192.168.0.1", allowed)
    with pytest.raises(ValueError):
        parse_networks(["not-an-address"])


def fetch(url, **settings):
    http = HttpSettings(connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=2, backoff_seconds=0.01), **settings)
    [page] = HttpFetcher(http).fetch([PageRequest(source=url, kind="url", location=url, url=url)], "run")
    return page


def test_loopback_is_refused_unless_allowed_and_nothing_is_sent(site):
    url = site.add("/a", body=article_html("A", FILLER))
    page = fetch(url)
    assert (page.fetch.ok, page.fetch.error_class, page.fetch.attempts) == (False, "blocked_address", 1)
    assert "loopback" in page.fetch.error and site.routes["/a"].hits == 0
    assert fetch(url, allow_addresses=("127.0.0.1",)).fetch.ok


def test_localhost_by_name_is_refused_after_resolution(site):
    page = fetch(site.url("/a").replace("127.0.0.1", "localhost"))
    assert page.fetch.error_class == "blocked_address"


def test_a_redirect_hop_to_a_refused_address_is_refused(site):
    # 127.0.0.1 is allowed, 127.0.0.2 (also this machine, never reached) is not: the second hop is refused.
    site.add("/jump", status=302, headers={"Location": "http://127.0.0.2:9/inside"})
    page = fetch(site.url("/jump"), allow_addresses=("127.0.0.1",))
    assert page.fetch.error_class == "blocked_address" and "127.0.0.2" in page.fetch.error


def test_the_connected_address_is_judged_before_anything_is_sent(site):
    """The check at connect time (DNS rebinding: a name that passed the resolver check can connect elsewhere)."""
    import asyncio

    import httpx

    from tasks.guard import RefusedAddress, guarded_transport

    url = site.add("/a", body=article_html("A", FILLER))

    async def get(allowed):
        async with httpx.AsyncClient(transport=guarded_transport(allowed)) as client:
            return await client.get(url)

    with pytest.raises(RefusedAddress, match="127.0.0.1 is a loopback address"):
        asyncio.run(get(()))
    assert site.routes["/a"].hits == 0
    assert asyncio.run(get(parse_networks(["127.0.0.1"]))).status_code == 200 and site.routes["/a"].hits == 1
