"""The address guard: wiredesk fetches only public addresses unless a run allows others.

A URL given to wiredesk (or a redirect a server answers with) could point at the machine
itself, the local network or a cloud metadata endpoint (169.254.169.254).  The decision is a
pure function on IP addresses (`address_refusal`); the HTTP fetcher resolves every host of
every hop, redirects included, and asks it before connecting.  Resolving is not enough on its
own: a name can resolve to a public address for the check and to 127.0.0.1 a moment later for
the connection (DNS rebinding), so `GuardedBackend` also judges the address each connection
really reached, before a byte of the request is sent.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Iterable

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from strings such as '127.0.0.1', '10.0.0.0/8' or '::1' (ValueError when malformed)."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values)


def address_refusal(address: str | IPAddress, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Why fetching from this address is refused, or None when it may be fetched.

    Only globally routable addresses pass, unless an allowed network contains the address.
    IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are judged as the IPv4 address they carry.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip.version == net.version and ip in net for net in allowed):
        return None
    for label, flag in (
        # Most specific first: 0.0.0.0 and 127/8 are also "private" to ipaddress.
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return f"{ip} is a {label} address"
    if not ip.is_global:  # shared (100.64/10), documentation ranges and the like
        return f"{ip} is not a public address"
    return None


async def host_refusal(host: str, port: int, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Resolve a host and refuse it if any of its addresses is refused (a name is as unsafe as its worst address)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            return None  # nothing to connect to: httpx records the connect error itself
        addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        refusal = address_refusal(address.split("%")[0], allowed)
        if refusal:
            return f"{host}: {refusal}"
    return None


class RefusedAddress(Exception):
    """A connection reached an address the guard refuses (it is closed before anything is sent)."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, refusing every connection whose peer address the guard refuses."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, allowed: Iterable[IPNetwork] = ()):
        self._inner = inner
        self._allowed = tuple(allowed)

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = await self._inner.connect_tcp(host, port, timeout=timeout, local_address=local_address, socket_options=socket_options)
        peer = stream.get_extra_info("server_addr")
        refusal = address_refusal(str(peer[0]).split("%")[0], self._allowed) if peer else "no peer address to judge"
        if refusal:
            await stream.aclose()
            raise RefusedAddress(f"{host} connected to {refusal}")
        return stream

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise RefusedAddress(f"{path}: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(allowed: Iterable[IPNetwork], **options) -> "httpx.AsyncHTTPTransport":
    """An httpx transport whose connections pass `GuardedBackend`.

    httpx has no public way to hand its connection pool a network backend; the pool's
    backend attribute is httpcore's (pinned in pyproject.toml), and tests/test_guard.py fails
    if a release moves it.
    """
    import httpx

    transport = httpx.AsyncHTTPTransport(**options)
    transport._pool._network_backend = GuardedBackend(transport._pool._network_backend, allowed)
    return transport
