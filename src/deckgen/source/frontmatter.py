"""The front matter: split from the body, read as safe YAML (bounded), made into ``Meta``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.errors import InputError
from deckgen.language import normalize_tag
from deckgen.model.document import Meta
from deckgen.source.xmlchars import clean_value

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
# aliases may repeat a value, not blow a small front matter up into millions of values
MAX_YAML_VALUES = 20_000


def first_changed_key_line(text: str, front: dict[str, Any]) -> int:
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
            "front matter starts with '---' but never ends",
            path,
            1,
            hint="close it with a line '---'",
            code=C.FRONT_MATTER_INVALID,
        )
    yaml_text = "\n".join(lines[1:end])
    try:
        front = _load_yaml(yaml_text, path) if yaml_text.strip() else {}
    except RecursionError:
        raise InputError(
            "front matter nests too deeply",
            path,
            2,
            hint="fix the YAML between the first two '---' lines",
            code=C.FRONT_MATTER_INVALID,
        ) from None
    except yaml.YAMLError as exc:
        line = _yaml_error_line(exc) + 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            f"broken YAML front matter: {quote_short(problem, 120)}",
            path,
            line,
            hint="fix the YAML between the first two '---' lines",
            code=C.FRONT_MATTER_INVALID,
        ) from None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise InputError(
            "front matter is not a YAML mapping",
            path,
            2,
            hint="write 'key: value' lines",
            code=C.FRONT_MATTER_INVALID,
        )
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
                code=C.FRONT_MATTER_INVALID,
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
        lang=normalize_tag(front.get("lang")) or "",  # not a tag: the site's, else found from the text
    )
