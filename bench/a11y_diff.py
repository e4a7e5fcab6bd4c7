"""Compare two layout dumps across issue 18 (accessibility): what changed on purpose, counted,
and whatever else moved, listed.

    python bench/dump_layout.py BEFORE.json [POSTS...]    (on the commit before)
    python bench/dump_layout.py AFTER.json [POSTS...]     (on this one)
    python bench/a11y_diff.py BEFORE.json AFTER.json

On purpose (counted, then set aside): the fields issue 18 added (``Run.lang``, ``Meta.lang``,
``Page.lang``, ``Page.notes_runs``, ``Page.hidden_title``, ``PictureFrame.decorative`` and
``.context``), runs cut where the script changes (joined again before comparing), a picture's
``alt`` now ``description`` (a video poster's old stand-in text "YouTube video" is gone: its
description is the video's title, none when it has none), the logo's "logo" gone (decorative),
continuation titles numbered instead of "(cont.)", repeated titles told apart, and a page with
a hidden title written on a layout with a title placeholder. Anything else is printed.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dump_layout import diff  # noqa: E402

ADDED = {
    "Run": {"lang"},
    "Meta": {"lang"},
    "Page": {"lang", "notes_runs", "hidden_title"},
    "PictureFrame": {"decorative", "context"},
}
_NUMBER = re.compile(r" \((?:\d+/\d+|\d+)\)$")


def _joined(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs without their languages, neighbours of one style joined again."""
    out: list[dict[str, Any]] = []
    for run in runs:
        run = {k: v for k, v in run.items() if k != "lang"}
        if out and run["text"] != "\n" and out[-1]["text"] != "\n" and {
            k: v for k, v in out[-1].items() if k != "text"
        } == {k: v for k, v in run.items() if k != "text"}:
            out[-1] = {**out[-1], "text": out[-1]["text"] + run["text"]}
        else:
            out.append(run)
    return out


def normalize(value: Any, counts: Counter[str], side: str) -> Any:
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and v.get("@") == "Run" for v in value):
            return _joined([normalize(v, counts, side) for v in value])
        return [normalize(v, counts, side) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("@", "")
    out = {k: normalize(v, counts, side) for k, v in value.items() if k not in ADDED.get(kind, set())}
    if kind == "PictureFrame":
        alt = out.pop("alt", None)
        description = out.pop("description", None)
        out["said"] = alt if side == "before" else description  # compared: the post's words, kept
        if side == "before" and alt is not None:
            counts["picture alt (before)"] += 1
        if side == "after" and description is not None:
            counts["picture description (after)"] += 1
            if value.get("decorative"):
                counts["decorative pictures (after)"] += 1
            if value.get("context"):
                counts["pictures with a context text (after)"] += 1
    if kind == "Page":
        out.pop("pptx_layout", None)  # compared apart (see main)
    return out


def titles(page: dict[str, Any]) -> str:
    frame = page.get("title") or page.get("hidden_title")
    if not frame:
        return ""
    return "".join(r["text"] for p in frame["paras"] for r in p["runs"])


def _strip_title(page: dict[str, Any]) -> None:
    """The title's text without its continuation mark or number (compared apart)."""
    frame = page.get("title")
    if not frame:
        return
    for para in frame["paras"]:
        if para["runs"]:
            last = para["runs"][-1]
            last["text"] = _NUMBER.sub("", last["text"].replace(" (cont.)", ""))
            if not last["text"]:
                para["runs"].pop()


def main() -> int:
    before_all, after_all = (json.loads(Path(p).read_text()) for p in sys.argv[1:3])
    total = 0
    for post in sorted(before_all):
        counts: Counter[str] = Counter()
        before, after = before_all[post], after_all.get(post)
        if after is None:
            print(f"{post}: missing after")
            continue
        pages_b, pages_a = before["pages"], after["pages"]
        for b, a in zip(pages_b, pages_a):
            tb, ta = titles(b), titles(a)
            if not b.get("title") and a.get("hidden_title"):
                counts["hidden titles added"] += 1
            elif tb != ta:
                counts["titles renamed"] += 1
            if b.get("pptx_layout") != a.get("pptx_layout"):
                key = f"pptx layout {b.get('pptx_layout')} -> {a.get('pptx_layout')}"
                counts[key] += 1
                if not a.get("hidden_title"):
                    counts[key + " (NOT a hidden-title page)"] += 1
            for page in (b, a):
                _strip_title(page)
        nb, na = normalize(before, counts, "before"), normalize(after, counts, "after")
        rest = diff(nb, na)
        langs = Counter(
            r.get("lang", "")
            for page in pages_a
            for fr in [page.get("title"), page.get("hidden_title"), *page["frames"]]
            if fr
            for p in fr.get("paras", [])
            for r in p["runs"]
        )
        print(f"{post}: lang {after['meta'].get('lang')!r}; " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
        print(f"  run languages (after, text frames): {dict(langs)}")
        print("  other differences: " + ("none" if not rest else f"{len(rest)}"))
        for line in rest[:20]:
            print("    " + line)
        total += len(rest)
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
