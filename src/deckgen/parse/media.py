"""What an address or an HTML attribute says about embedded media: a YouTube video (its id and
start), a video file, an iframe; a picture's width (``600``, ``600px``, ``50%``); attribute
values read the way browsers forgive them. Used by the Markdown walker and the HTML converter.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

from deckgen.model.document import Embed, WidthHint

_YT_PATTERNS = (
    re.compile(r"youtube(?:-nocookie)?\.com/(?:embed|v|shorts|live)/([\w-]{6,})"),
    re.compile(r"youtu\.be/([\w-]{6,})"),
)
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".mov", ".m4v")


def url_path(url: str) -> str:
    """The path of an address; '' for one that does not parse."""
    try:
        return urlparse(url).path
    except ValueError:
        return ""


def youtube_id(url: str) -> tuple[str, int] | None:
    """The video id and start second of a YouTube URL in any of its forms, else None."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:  # not an address (``http://[x``): the URL policy drops it
        return None
    host = parsed.netloc.lower()
    query = parse_qs(parsed.query)
    vid = ""
    if "youtube" in host and parsed.path.rstrip("/") == "/watch":
        vid = (query.get("v") or [""])[0]
    else:
        for pattern in _YT_PATTERNS:
            m = pattern.search(url)
            if m:
                vid = m.group(1)
                break
    if not vid or not re.fullmatch(r"[\w-]{6,}", vid):
        return None
    start_text = (query.get("start") or query.get("t") or ["0"])[0]
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", start_text)
    start = 0
    if m:
        h, mi, s = (int(g) if g else 0 for g in m.groups())
        start = h * 3600 + mi * 60 + s
    return vid, start


def embed_for(
    url: str, title: str = "", width: int = 0, height: int = 0, line: int = 0, kind_hint: str = ""
) -> Embed | None:
    """An Embed for a YouTube link, a video file or (with ``kind_hint='iframe'``) any iframe."""
    url = url.strip()
    yt = youtube_id(url)
    if yt:
        vid, start = yt
        watch = f"https://www.youtube.com/watch?v={vid}" + (f"&t={start}s" if start else "")
        embed = f"https://www.youtube.com/embed/{vid}" + (f"?start={start}" if start else "")
        return Embed(
            "youtube",
            watch,
            embed,
            title,
            width,
            height,
            f"https://img.youtube.com/vi/{vid}/hqdefault.jpg",
            line,
        )
    path = url_path(url).lower()
    if kind_hint == "video" or path.endswith(VIDEO_EXTENSIONS):
        return Embed("video", url, url, title, width, height, "", line)
    if kind_hint == "iframe" and url:
        return Embed("iframe", url, url, title, width, height, "", line)
    return None


def leading_int(value: str | None) -> int:
    m = re.match(r"\s*(\d{1,9})", value or "")
    return int(m.group(1)) if m else 0


def attr_value(attrs: list[tuple[str, str | None]], *names: str) -> str | None:
    """An attribute's value, forgiving typos seen in real posts (``widtih``, ``src==x``)."""
    table = {k.lower(): (v or "") for k, v in attrs}
    for name in names:
        if name in table:
            return table[name].lstrip("=").strip()
    return None


def img_decorative(attrs: list[tuple[str, str | None]], alt: str | None) -> bool:
    """Does an ``<img>`` say it is decoration? HTML's own ways: ``alt=""`` written out (empty
    and present), ``role="presentation"`` or ``role="none"``, ``aria-hidden="true"``."""
    if alt is not None and not alt.strip():
        return True
    role = (attr_value(attrs, "role") or "").lower()
    return role in ("presentation", "none") or (attr_value(attrs, "aria-hidden") or "").lower() == "true"


# a kramdown attribute list right after a Markdown picture: ``![](x.png){: .decorative}``
IAL = re.compile(r"\{(?::\s*|(?=[.#]))([^{}\n]*)\}")
_IAL_DECORATIVE = re.compile(r"(?:^|\s)\.decorative(?=\s|$)|\brole\s*=\s*[\"']?(?:presentation|none)\b", re.I)


def ial_decorative(ial: str) -> bool:
    """Does a kramdown attribute list (its inside) mark a picture as decoration?
    ``.decorative`` (a class the site can style), or ``role="presentation"``."""
    return _IAL_DECORATIVE.search(ial) is not None


_NO_VIDEO_SUPPORT = re.compile(r"your browser does(?: not|n't) support", re.I)


def video_title(text: str) -> str:
    """The text inside <video>: a title, unless it is the stock "your browser does not support" line."""
    return "" if _NO_VIDEO_SUPPORT.search(text) else text


_WIDTH_VALUE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%|px)?\s*", re.IGNORECASE)


def parse_width(value: str | None) -> WidthHint | None:
    """A width a browser would honour (``600``, ``600px``, ``50%``): a positive, finite number of
    pixels or percent; anything else (``-50``, ``0``, ``abc``, ``1e3``, 400 digits) is no hint."""
    m = _WIDTH_VALUE.fullmatch(value or "")
    if m is None:
        return None
    number = float(m.group(1))
    if not number > 0 or not math.isfinite(number):
        return None
    return WidthHint(number, "%" if m.group(2) == "%" else "px")
