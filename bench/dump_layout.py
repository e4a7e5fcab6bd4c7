"""Dump the laid-out model of posts as JSON, to compare a refactoring's before and after.

    python bench/dump_layout.py OUT.json [POST.md ...]    (default: the lecture and ../shared/corpus/)
    python bench/dump_layout.py --diff BEFORE.json AFTER.json

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

import deckgen.build as build  # noqa: E402
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
    real_write = build.write_outputs

    def capture(laid: Any, *args: Any, **kwargs: Any) -> tuple[list[Path], str]:
        captured["laid"] = plain(laid)
        return [], ""

    build.write_outputs = capture  # type: ignore[assignment]
    result: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp, ImageServer() as server:
            work = Path(tmp)
            for post in posts:
                local = localize_post(server, post, work / "posts")
                options = build.BuildOptions(out_dir=work / "out", cache_dir=work / "cache", offline=False)
                build.build_post(local, options, build.Services(fetcher=LocalFetcher(server)))
                result[post.name] = captured.pop("laid")
    finally:
        build.write_outputs = real_write  # type: ignore[assignment]
    return result


# model fields removed on purpose (dead: no writer read them): a dump from before still
# holds them, and the comparison skips them
REMOVED = {
    ("Page", "continuation"),  # issue 12: the title says "(cont.)"; nothing else read it
    ("Page", "group"),  # issue 12: never read
    ("LaidDeck", "warnings"),  # issue 12: never written; warnings travel in the build result
}


def diff(before: Any, after: Any, where: str = "", out: list[str] | None = None) -> list[str]:
    out = [] if out is None else out
    if len(out) > 40:
        return out
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key in before and key not in after and (before.get("@"), key) in REMOVED:
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--diff", action="store_true", help="compare two dumps")
    args = parser.parse_args()
    if args.diff:
        before, after = (json.loads(p.read_text()) for p in args.files[:2])
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
