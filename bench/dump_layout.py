"""Dump the laid-out model of posts as JSON, to compare a refactoring's before and after.

    python bench/dump_layout.py OUT.json [POST.md ...]    (default: the lecture and ../shared/corpus/)
    python bench/dump_layout.py --diff BEFORE.json AFTER.json
    python bench/dump_layout.py --diff --before-style BEFORE.json AFTER.json

``--before-style``: BEFORE was dumped before the layout's style pass (issue 12): its bullet
strings and play boxes are read in the new forms, and the fields the style pass added
(``STYLE_FIELDS``) are left out of AFTER, so what remains is what really moved.

Pictures come from the test suite's local image server (same URL, same picture), so two
runs on two commits lay out the same input. The dump is the final ``LaidDeck`` each build
hands its writers, every dataclass written as its class name and fields; file paths are
reduced to their names (cache folders differ between runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import deckgen.pipeline as pipeline  # noqa: E402
from deckgen.assets.resolve import AssetOptions  # noqa: E402
from deckgen.build import BuildOptions, Services, build_post  # noqa: E402
from deckgen.outputs import Wrote  # noqa: E402
from support.imageserver import ImageServer  # noqa: E402
from support.localdeck import LocalFetcher, localize_post  # noqa: E402

SHARED = ROOT.parent / "shared"
LOCAL = re.compile(r"http://127\.0\.0\.1:\d+")


def plain(value: Any) -> Any:
    """A JSON-ready copy of a model value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"@": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = plain(getattr(value, f.name))
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return value.name
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, str):  # the local server's port differs between runs
        return LOCAL.sub("http://local", value)
    return value


def dump(posts: list[Path]) -> dict[str, Any]:
    captured: dict[str, Any] = {}
    real_write = pipeline.write_outputs

    def capture(laid: Any, *args: Any, **kwargs: Any) -> Wrote:
        captured["laid"] = plain(laid)
        return Wrote(())

    pipeline.write_outputs = capture  # type: ignore[assignment]
    result: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp, ImageServer() as server:
            work = Path(tmp)
            for post in posts:
                local = localize_post(server, post, work / "posts")
                options = BuildOptions(out_dir=work / "out", pictures=AssetOptions(cache_dir=work / "cache"))
                build_post(local, options, Services(fetcher=LocalFetcher(server)))
                result[post.name] = captured.pop("laid")
    finally:
        pipeline.write_outputs = real_write  # type: ignore[assignment]
    return result


# model fields removed on purpose (dead: no writer read them): a dump from before still
# holds them, and the comparison skips them
REMOVED = {
    ("Page", "continuation"),  # issue 12: the title says "(cont.)"; nothing else read it
    ("Page", "group"),  # issue 12: never read
    ("LaidDeck", "warnings"),  # issue 12: never written; warnings travel in the build result
    ("PictureFrame", "alt"),  # issue 18: now ``description`` (the post's words) with ``decorative`` and ``context``
}


# model fields added on purpose: a dump from before has none of them, and the comparison
# skips them when BEFORE lacks them (their values are checked by the tests)
ADDED = {
    ("Page", "background"),  # issue 20: the style pass sets each page's background (the PDF drew the theme's)
    ("LaidDeck", "handout"),  # issue 20: the handout's colours, from the style pass (the handout writer chose them)
    # issue 18 (accessibility; bench/a11y_diff.py compares across it in full)
    ("PictureFrame", "description"),
    ("PictureFrame", "decorative"),
    ("PictureFrame", "context"),
    ("Page", "hidden_title"),
    ("Page", "lang"),
    ("Page", "notes_runs"),
    ("Run", "lang"),
    ("Meta", "lang"),
}


def diff(before: Any, after: Any, where: str = "", out: list[str] | None = None) -> list[str]:
    out = [] if out is None else out
    if len(out) > 40:
        return out
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key in before and key not in after and (before.get("@"), key) in REMOVED:
                continue
            if key in after and key not in before and (after.get("@"), key) in ADDED:
                continue
            if key not in before or key not in after:
                out.append(f"{where}.{key}: only in {'after' if key in after else 'before'}")
            else:
                diff(before[key], after[key], f"{where}.{key}", out)
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            out.append(f"{where}: {len(before)} items before, {len(after)} after")
        for i, (b, a) in enumerate(zip(before, after)):
            diff(b, a, f"{where}[{i}]", out)
    elif before != after:
        out.append(f"{where}: {before!r} -> {after!r}")
    return out


STYLE_FIELDS = {
    "Page": {"pptx_layout"},
    "TextFrame": {"color", "link_color"},
    "CodeFrame": {"insets", "fill", "color"},
    "TableFrame": {"cell_insets", "border", "row_fills", "row_colors", "row_link_colors"},
    "PlaceholderFrame": {"insets", "fill", "border", "color", "link_color", "gap", "line_spacing"},
}


def upgrade(value: Any) -> Any:
    """A dump from before the style pass in the model's new forms (bullets, play badges)."""
    if isinstance(value, list):
        return [upgrade(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: upgrade(v) for k, v in value.items()}
    if out.get("@") == "Para" and isinstance(out.get("bullet"), str):
        label = out["bullet"]
        out["bullet"] = (
            None
            if not label
            else {"@": "Numbered", "n": int(label.rstrip("."))}
            if label[0].isdigit()
            else {"@": "Bullet", "char": label}
        )
    for key in ("play_badge", "play"):
        box = out.get(key)
        if isinstance(box, dict) and box.get("@") == "Box":
            out[key] = {"@": "Badge", "box": box}
    return out


def without_style(value: Any) -> Any:
    """A dump without the style pass's fields (and the badge's design, kept its box)."""
    if isinstance(value, list):
        return [without_style(v) for v in value]
    if not isinstance(value, dict):
        return value
    drop = STYLE_FIELDS.get(value.get("@", ""), set())
    if value.get("@") == "Badge":
        drop = {"fill", "stroke"}
    return {k: without_style(v) for k, v in value.items() if k not in drop}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--diff", action="store_true", help="compare two dumps")
    parser.add_argument("--before-style", action="store_true", help="BEFORE predates the style pass")
    args = parser.parse_args()
    if args.diff:
        before, after = (json.loads(p.read_text()) for p in args.files[:2])
        if args.before_style:
            before, after = upgrade(before), without_style(after)
        lines = diff(before, after)
        print("\n".join(lines) if lines else "same pages and frames")
        return 1 if lines else 0
    out, *posts = args.files
    if not posts:
        corpus = sorted(p for p in (SHARED / "corpus").glob("*.md") if p.name != "README.md")
        posts = [SHARED / "lecture" / "large-language-models.md", *corpus]
    out.write_text(json.dumps(dump(posts), ensure_ascii=False, indent=0))
    print(f"{out}: {len(posts)} posts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
