"""A post's bytes as text: UTF-8 (with or without a BOM), or UTF-16 or UTF-32 when a BOM says so."""

from __future__ import annotations

from pathlib import Path

from deckgen.diagnostics import codes as C
from deckgen.errors import InputError

# UTF-32's marks first: UTF-32-LE's starts with UTF-16-LE's
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_post(data: bytes, path: Path) -> str:
    """The post's text: UTF-8 (with or without a BOM), or UTF-16 or UTF-32 when a BOM says so."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"not valid {codec.upper()} text",
                    path,
                    hint="save the post as UTF-8",
                    code=C.POST_ENCODING,
                ) from None
    if b"\x00" in data:
        codec = _utf16_guess(data)
        if codec:
            raise InputError(
                f"looks like {codec.upper()} text without a byte-order mark",
                path,
                hint=f"convert it to UTF-8: iconv -f {codec.upper()} -t UTF-8 {path.name} > {path.stem}-utf8.md",
                code=C.POST_ENCODING,
            )
        raise InputError(
            "not a text file (it contains NUL bytes)", path, hint="give a Markdown post", code=C.POST_ENCODING
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
            path,
            line,
            hint="save the post as UTF-8",
            code=C.POST_ENCODING,
        ) from None


def _utf16_guess(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" when most odd (even) bytes are NUL, as in UTF-16 Latin text."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs == 0:
        return ""
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    if odd >= 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return ""
