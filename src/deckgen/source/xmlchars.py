"""Characters XML 1.0 cannot carry, dropped where a post is read (the decoded file, the front
matter's values), so that no later stage meets one."""

from __future__ import annotations

import re
from typing import Any

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_source(text: str) -> tuple[str, int | None]:
    """``text`` without characters XML cannot carry (C0 controls other than tab, line feed and
    carriage return; U+FFFE, U+FFFF; lone surrogates), and the 0-based offset of the first one
    (None if there was none), for the reader to report its line once. Lone surrogates become
    U+FFFD, the rest are dropped."""
    first = _XML_BAD.search(text)
    if first is None:
        return text, None
    text = _SURROGATE.sub("\ufffd", text)
    return _XML_BAD.sub("", text), first.start()


def clean_value(value: Any) -> tuple[Any, bool]:
    """A YAML value with every string in it cleaned; True if anything changed."""
    if isinstance(value, str):
        cleaned, bad = clean_source(value)
        return cleaned, bad is not None
    if isinstance(value, list):
        pairs = [clean_value(v) for v in value]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        changed = False
        for key, item in value.items():
            new_key, c1 = clean_value(key)
            new_item, c2 = clean_value(item)
            out[new_key] = new_item
            changed = changed or c1 or c2
        return out, changed
    return value, False
