"""Which ``Host`` (and ``Origin``) a request to ``deckgen serve`` may carry: the defence
against DNS rebinding, where a web page the teacher visits points a name of its own at
127.0.0.1 and then reads, through the teacher's browser, whatever the preview serves.

The browser sends that page's name as ``Host``; the preview answers only its own names:
``127.0.0.1:PORT``, ``localhost:PORT``, ``[::1]:PORT`` and the address given with
``--host``, with the port it listens on (no port: 80). Listening on every address
(``0.0.0.0``, ``::``), a student on the network types an IP address, so any IP literal is
accepted too, and this machine's name; never another name, which is what rebinding needs.
``Origin``, when a request has one (an event stream opened by a page), must be ``http://``
and one of those hosts."""

from __future__ import annotations

import ipaddress
import socket

WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def _split(value: str) -> tuple[str, int | None] | None:
    """``host[:port]`` as (lower-case host, port or None), an IPv6 address in its brackets;
    None if malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[: end + 1], value[end + 1 :]
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if not name:
        return None
    if not rest:
        return name, None
    if rest[0] != ":" or not rest[1:].isdigit() or len(rest) > 6:
        return None
    return name, int(rest[1:])


def _ip_literal(name: str) -> bool:
    try:
        if name.startswith("[") and name.endswith("]"):
            return ipaddress.ip_address(name[1:-1]).version == 6
        return ipaddress.ip_address(name).version == 4
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    host = host.lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class HostCheck:
    """The names a request may use to reach a preview listening on ``bind_host:port``."""

    def __init__(self, bind_host: str, port: int) -> None:
        self.port = port
        self.wildcard = bind_host in WILDCARDS
        names = {"127.0.0.1", "localhost", "[::1]"}
        if self.wildcard:
            me = socket.gethostname().lower()
            names |= {me, f"{me}.local"} if me else set()
        else:
            names.add(_bracketed(bind_host))
        self.names = frozenset(names)

    def host_ok(self, value: str | None) -> bool:
        if not value:
            return False  # HTTP/1.1 requires Host; every browser sends it
        split = _split(value)
        if split is None:
            return False
        name, port = split
        if (port if port is not None else 80) != self.port:
            return False
        return name in self.names or (self.wildcard and _ip_literal(name))

    def origin_ok(self, value: str | None) -> bool:
        """No ``Origin`` (a page's own request, curl): fine; else ``http://`` one of our hosts."""
        if value is None:
            return True
        scheme, sep, rest = value.partition("://")
        return sep == "://" and scheme.lower() == "http" and "/" not in rest and self.host_ok(rest)


__all__ = ["WILDCARDS", "HostCheck"]
