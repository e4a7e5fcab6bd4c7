"""Read a post: decode it (:mod:`.decode`), split and read its YAML front matter
(:mod:`.frontmatter`), evaluate its Liquid (:mod:`.liquid`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.errors import InputError
from deckgen.model.document import Meta
from deckgen.source.decode import decode_post
from deckgen.source.frontmatter import first_changed_key_line, make_meta, split_front_matter
from deckgen.source.liquid import evaluate_liquid
from deckgen.source.xmlchars import clean_source, clean_value


@dataclass(frozen=True)
class Source:
    """A post split into its parts; ``body_line`` is the file line the body starts on."""

    path: Path
    meta: Meta
    front: dict[str, Any]
    body: str
    body_line: int
    text: str = ""  # the whole post as read (decoded, cleaned): what its line numbers count


def read_post(path: Path, now: dt.datetime, diag: Diagnostics) -> Source:
    """Read ``path`` and return its front matter and its body with Liquid evaluated."""
    return post_from_bytes(path, None, now, diag)


def post_bytes(path: Path, limit: int) -> bytes | None:
    """The post's bytes (None when they cannot be read: :func:`post_from_bytes` says why). A post
    too large to build in minutes and a few hundred MB is refused at once."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > limit:
        raise InputError(
            f"the post is {size / 2**20:.1f} MB, over the {limit / 2**20:g} MB limit for one post",
            path,
            hint="split it into several posts, or raise the limit with --max-post-size MB",
            code=C.POST_TOO_LARGE,
        )
    try:
        return path.read_bytes()
    except OSError:
        return None


def post_from_bytes(path: Path, data: bytes | None, now: dt.datetime, diag: Diagnostics) -> Source:
    """The post ``path`` holding ``data`` (None: read it), as :func:`read_post` reads it
    (``deckgen pull`` reads the bytes of a post it is about to change once)."""
    try:
        if data is None:
            data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path, hint="check the path", code=C.POST_UNREADABLE) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a post", path, code=C.POST_UNREADABLE) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path, code=C.POST_UNREADABLE) from None
    text = decode_post(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, bad = clean_source(text)
    warned = bad is not None
    if bad is not None:
        diag.report(C.BAD_CHARACTERS, path, text.count("\n", 0, bad) + 1)
    front, body, body_line = split_front_matter(text, path)
    raw_front = front
    front, changed = clean_value(front)
    if changed and not warned:
        diag.report(C.BAD_CHARACTERS, path, first_changed_key_line(text, raw_front))
    meta = make_meta(front, path)
    body = evaluate_liquid(body, front, now, diag, path, body_line)
    return Source(path=path, meta=meta, front=front, body=body, body_line=body_line, text=text)


__all__ = ["Source", "decode_post", "evaluate_liquid", "make_meta", "post_bytes", "post_from_bytes", "read_post", "split_front_matter"]
