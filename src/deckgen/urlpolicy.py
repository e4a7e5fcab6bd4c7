"""The one URL policy: which links, pictures, embeds and video sources a deck may carry.

The parser asks it about every address a post gives (both decks get the outcome, so the
rule lives here and not in each writer). Addresses are read the way a browser reads them
before comparing schemes: entities decoded, ASCII tabs and newlines removed anywhere,
leading and trailing control characters and spaces stripped, the scheme lower-cased.

* links: ``http``, ``https``, ``mailto``, and site paths (``/2024/08/16/x.html``);
* pictures: ``http``, ``https``, ``data:image/...``, and local paths (which the assets stage
  then reads only from the post's folder, the site root or an allowed folder);
* embeds and video sources: ``http`` and ``https``;
* anything else (``javascript:``, ``vbscript:``, ``data:text/html``, ``file:`` links, UNC paths
  ``\\\\host\\share``, a target with no scheme that is not a site path, an empty target, an
  address that does not parse) is refused: the caller drops it and keeps the text.

Pure: no I/O, no third-party imports.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlparse, urlsplit

UrlKind = Literal["link", "picture", "embed", "video"]

_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_EDGES = "".join(chr(c) for c in range(0x21))  # C0 controls and the space
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_WEB = ("http", "https")


def browser_form(url: str) -> str:
    """``url`` as a browser reads it before looking at its scheme."""
    text = html.unescape(url)
    text = _TAB_NEWLINE.sub("", text)
    return text.strip(_EDGES)


def scheme_of(url: str) -> str:
    """The lower-case scheme of an address in its browser form ('' when it has none)."""
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else ""


def parses(url: str) -> bool:
    """Does the address survive a URL parser (``http://[x`` does not)?"""
    try:
        parts = urlsplit(url)
        _ = parts.port  # a bad port is also a bad address
    except ValueError:
        return False
    return True


def is_site_path(url: str) -> bool:
    """A path on the post's own site: ``/2024/x.html`` (not ``//host`` nor ``/\\host``)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def is_unc(url: str) -> bool:
    return url.startswith(("\\\\", "\\/", "/\\"))


@dataclass(frozen=True)
class UrlPolicy:
    """The policy of one build. ``site_url`` (``https://host/baseurl``, no trailing slash)
    turns site paths into full addresses where a viewer has no site to resolve them (.pptx)."""

    site_url: str = ""

    def check(self, url: str | None, kind: UrlKind) -> str | None:
        """The address to use for ``url`` as a ``kind``, or None when it must be dropped."""
        if url is None:
            return None
        text = browser_form(url)
        if not text or is_unc(text) or "\\" in text[:8]:
            return None
        if text.startswith("//"):
            return text if parses("https:" + text) else None
        if not parses(text):
            return None
        scheme = scheme_of(text)
        match kind:
            case "link":
                if scheme in (*_WEB, "mailto"):
                    return text
                return text if not scheme and is_site_path(text) else None
            case "picture":
                if scheme in _WEB or scheme == "file":
                    return text
                if scheme == "data":
                    return text if text[5:].lstrip().lower().startswith("image/") else None
                return None if scheme else text  # a local path: relative to the post, or a site path
            case "embed" | "video":
                return text if scheme in _WEB else None

    def absolute(self, url: str) -> str | None:
        """A link as a viewer without the site needs it: a site path becomes a full URL when
        the site's address is known, else None (no link)."""
        if is_site_path(url):
            return self.site_url + url if self.site_url else None
        return url


def shown_url(url: str) -> str:
    """An address as a warning prints it: control characters visible, at most 100 characters."""
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in url.strip())
    return text if len(text) <= 100 else text[:97] + "..."


def is_web_url(url: str) -> bool:
    """An address a viewer can open on the web (for the link of a placeholder)."""
    text = browser_form(url)
    if text.startswith("//"):
        return parses("https:" + text)
    return scheme_of(text) in _WEB and parses(text)


def is_remote(url: str) -> bool:
    """An address a server answers (http, https or scheme-relative), as the assets stage fetches it."""
    text = url.strip()
    return text.startswith("//") or urlparse(text).scheme.lower() in _WEB


def is_local(url: str) -> bool:
    """A file on this computer: a path, a site path or ``file:`` (not a web or ``data:`` address)."""
    text = url.strip()
    return not is_remote(text) and urlparse(text).scheme.lower() in ("", "file")


def site_url_of(url: str, baseurl: str = "") -> str:
    """``url`` + ``baseurl`` of a Jekyll ``_config.yml`` as one address without a trailing slash."""
    url = (url or "").strip().rstrip("/")
    base = (baseurl or "").strip().strip("/")
    if not url or scheme_of(url) not in _WEB or not parses(url):
        return ""
    return url + ("/" + base if base else "")


__all__ = [
    "UrlKind",
    "UrlPolicy",
    "browser_form",
    "is_local",
    "is_remote",
    "is_site_path",
    "is_web_url",
    "shown_url",
    "site_url_of",
]
