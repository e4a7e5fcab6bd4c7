"""Read a post: decode it, split and parse the YAML front matter, evaluate Liquid."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from deckgen.errors import Diagnostics, InputError
from deckgen.model import Meta
from deckgen.untrusted import clean_source, clean_value, quote_short

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
# an output or a tag; neither runs over the start of another one (an unclosed "{{")
_LIQUID = re.compile(r"\{\{((?:(?!\{[{%]).)*?)\}\}|\{%-?\s*(\w*)((?:(?!\{[{%]).)*?)-?%\}", re.S)
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_COMMENT_BLOCK = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
_UNTERMINATED = re.compile(r"\{[{%][^\n]*")


@dataclass(frozen=True)
class Source:
    """A post split into its parts; ``body_line`` is the file line the body starts on."""

    path: Path
    meta: Meta
    front: dict[str, Any]
    body: str
    body_line: int


def read_post(path: Path, now: dt.datetime, diag: Diagnostics) -> Source:
    """Read ``path`` and return its front matter and its body with Liquid evaluated."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a post", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    text = decode_post(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, bad = clean_source(text)
    warned = bad is not None
    if bad is not None:
        diag.warn(_CANNOT_WRITE, path, text.count("\n", 0, bad) + 1)
    front, body, body_line = split_front_matter(text, path)
    raw_front = front
    front, changed = clean_value(front)
    if changed and not warned:
        diag.warn(_CANNOT_WRITE, path, _first_changed_key_line(text, raw_front))
    meta = make_meta(front, path)
    body = evaluate_liquid(body, front, now, diag, path, body_line)
    return Source(path=path, meta=meta, front=front, body=body, body_line=body_line)


_CANNOT_WRITE = (
    "characters a deck cannot hold (control characters, U+FFFE/U+FFFF, lone surrogates) "
    "cannot be written; removed"
)
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# aliases may repeat a value, not blow a small front matter up into millions of values
MAX_YAML_VALUES = 20_000


def decode_post(data: bytes, path: Path) -> str:
    """The post's text: UTF-8 (with or without a BOM), or UTF-16 when a BOM says so."""
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"not valid {codec.upper()} text", path, hint="save the post as UTF-8") from None
    if b"\x00" in data:
        codec = _utf16_guess(data)
        if codec:
            raise InputError(
                f"looks like {codec.upper()} text without a byte-order mark",
                path,
                hint=f"convert it to UTF-8: iconv -f {codec.upper()} -t UTF-8 {path.name} > {path.stem}-utf8.md",
            )
        raise InputError("not a text file (it contains NUL bytes)", path, hint="give a Markdown post")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line, hint="save the post as UTF-8"
        ) from None


def _utf16_guess(data: bytes) -> str:
    """"utf-16-le" or "utf-16-be" when most odd (even) bytes are NUL, as in UTF-16 Latin text."""
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


def _first_changed_key_line(text: str, front: dict[str, Any]) -> int:
    """The file line of the first front-matter key whose value had to be cleaned (else 2)."""
    lines = text.split("\n")
    for key, value in front.items():
        if not (clean_value(value)[1] or clean_value(key)[1]):
            continue
        for number, line in enumerate(lines[1:], 2):
            if line.strip() in ("---", "..."):
                break
            if line.startswith(str(key)):
                return number
        break
    return 2


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML in which dates stay text, as Jekyll reads them: a typo like ``2024-13-45``
    is then shown as written instead of failing the build."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, the 1-based line the body starts on)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise InputError(
            "front matter starts with '---' but never ends", path, 1, hint="close it with a line '---'"
        )
    yaml_text = "\n".join(lines[1:end])
    try:
        front = _load_yaml(yaml_text, path) if yaml_text.strip() else {}
    except RecursionError:
        raise InputError(
            "front matter nests too deeply", path, 2, hint="fix the YAML between the first two '---' lines"
        ) from None
    except yaml.YAMLError as exc:
        line = _yaml_error_line(exc) + 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            f"broken YAML front matter: {quote_short(problem, 120)}",
            path,
            line,
            hint="fix the YAML between the first two '---' lines",
        ) from None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise InputError("front matter is not a YAML mapping", path, 2, hint="write 'key: value' lines")
    return front, "\n".join(lines[end + 1 :]), end + 2


def _load_yaml(yaml_text: str, path: Path) -> Any:
    """Safe-load the front matter, refusing aliases that expand past ``MAX_YAML_VALUES``."""
    loader = _FrontMatterLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_YAML_VALUES) > MAX_YAML_VALUES:
            raise InputError(
                f"front matter's YAML aliases expand to over {MAX_YAML_VALUES:,} values",
                path,
                2,
                hint="write the values out instead of repeating them with '*' aliases",
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the node graph holds once every alias is expanded (stops past ``limit``);
    a node that contains itself counts as endless."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            return limit + 1
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        active.discard(key)
        sizes[key] = total
        return total

    return size(root)


def _yaml_error_line(exc: yaml.YAMLError) -> int:
    """0-based line (in the YAML text) a user should look at for ``exc``.

    For an unclosed construct (a quote, a ``[`` or ``{``) PyYAML notices the problem where
    the construct should have ended, often the end of the front matter; the line that
    opened it (the *context*) is the one to fix."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    context_text = str(getattr(exc, "context", "") or "")
    if context is not None and ("flow" in context_text or "quoted scalar" in context_text):
        return int(context.line)
    if problem is not None:
        return int(problem.line)
    return int(context.line) if context is not None else -1


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if v is not None)
    if isinstance(value, str):
        return tuple(v for v in value.split() if v) if " " in value and "," not in value else (value,)
    return (str(value),)


def _date_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not value:
        return ""
    text = str(value).strip()
    # "2026-06-02 08:00:00 +0800" is no YAML timestamp (no colon in the offset): keep the day
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:[ T]|$)", text)
    return m.group(1) if m else text


def _text(value: Any) -> str:
    """A front-matter value as one line of text (a list's items joined)."""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if v is not None)
    return str(value)


def make_meta(front: dict[str, Any], path: Path) -> Meta:
    title = front.get("title")
    authors = front.get("author", front.get("authors"))
    if not isinstance(authors, (list, tuple)):
        authors = [] if authors is None else [authors]
    # a name, or (as some Jekyll themes write it) a mapping with a name
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    authors_t = tuple(str(n).strip() for n in names if n is not None and str(n).strip())
    date = _date_text(front.get("date"))
    if not date:
        m = _DATE_PREFIX.match(path.name)
        if m:
            date = "-".join(m.groups())
    stem = _DATE_PREFIX.sub("", path.stem)
    categories = front.get("categories", front.get("category"))
    theme = front.get("theme")
    return Meta(
        title=_text(title) if title else stem.replace("-", " "),
        authors=authors_t,
        date=date,
        category=_as_tuple(categories),
        tags=_as_tuple(front.get("tags")),
        theme=str(theme) if theme else None,
    )


def _strftime(value: dt.datetime, fmt: str) -> str:
    try:
        return value.strftime(fmt)
    except ValueError:
        return value.isoformat()


def evaluate_liquid(
    body: str,
    front: dict[str, Any],
    now: dt.datetime,
    diag: Diagnostics,
    path: Path,
    first_line: int,
) -> str:
    """Evaluate the Liquid a lecture post uses; drop (with a warning) what deckgen cannot.

    Every replacement keeps the line count of what it replaces, so the lines the later
    stages report stay the lines of the post."""
    raws: list[str] = []

    def keep_raw(m: re.Match[str]) -> str:
        # the placeholder holds as many newlines as the raw block, so lines stay right
        raws.append(m.group(1))
        return f"\x00RAW{len(raws) - 1}:" + "\n" * m.group(0).count("\n") + "\x00"

    body = _RAW_BLOCK.sub(keep_raw, body)
    # a comment is not output: drop it silently, keep its lines
    body = _COMMENT_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), body)

    def line_of(pos: int) -> int:
        return first_line + body.count("\n", 0, pos)

    def replace(m: re.Match[str]) -> str:
        newlines = "\n" * m.group(0).count("\n")
        if m.group(1) is not None:
            value = _output(m.group(1).strip().strip("-").strip(), front, now)
            if value is not None:
                return value + newlines
            diag.warn(f"Liquid '{quote_short(m.group(0))}' is not supported; removed", path, line_of(m.start()))
            return newlines
        name = m.group(2)
        if name == "highlight":
            # {% highlight python %} ... {% endhighlight %}: a code block, as Jekyll renders it
            lang = (m.group(3).split() or [""])[0]
            return f"```{lang}" + newlines
        if name == "endhighlight":
            return "```" + newlines
        diag.warn(f"Liquid tag '{quote_short(m.group(0))}' is not supported; removed", path, line_of(m.start()))
        return newlines

    body = _LIQUID.sub(replace, body)

    def unterminated(m: re.Match[str]) -> str:
        diag.warn(
            f"Liquid '{quote_short(m.group(0))}' is never closed; removed to the end of the line",
            path,
            line_of(m.start()),
        )
        return ""

    body = _UNTERMINATED.sub(unterminated, body)
    return re.sub(r"\x00RAW(\d+):\n*\x00", lambda m: raws[int(m.group(1))], body)




def _output(expr: str, front: dict[str, Any], now: dt.datetime) -> str | None:
    parts = [p.strip() for p in _split_filters(expr)]
    head, filters = parts[0], parts[1:]
    value: Any
    if head == "site.time":
        value = now
    elif head == "site.baseurl" or head == "site.url":
        value = ""  # site paths stay relative; the URL policy makes them full links (--site-url)
    elif head.startswith("page."):
        key = head[5:]
        if key not in front and key != "date":
            return None
        value = front.get(key, "")
    elif head.startswith(("'", '"')) and head.endswith(head[0]) and len(head) >= 2:
        value = head[1:-1]
    else:
        return None
    for flt in filters:
        name, _, arg = flt.partition(":")
        name, arg = name.strip(), arg.strip().strip("'\"")
        if name == "date":
            moment = _as_moment(value, now)
            if moment is None:
                return None
            value = _strftime(moment, arg)
        elif name in ("relative_url", "absolute_url", "strip", "escape"):
            value = str(value).strip()
        elif name == "upcase":
            value = str(value).upper()
        elif name == "downcase":
            value = str(value).lower()
        else:
            return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _as_moment(value: Any, now: dt.datetime) -> dt.datetime | None:
    """A datetime for Liquid's ``date`` filter: a date, a datetime, "now" or an ISO-like string."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in ("now", "today"):
        return now
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?", text)
    if not m:
        return None
    try:
        return dt.datetime.fromisoformat(m.group(1) + (" " + m.group(2).zfill(5) if m.group(2) else ""))
    except ValueError:
        return None


def _split_filters(expr: str) -> list[str]:
    out, buf, quote = [], "", ""
    for ch in expr:
        if quote:
            buf += ch
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            buf += ch
        elif ch == "|":
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out
