"""Check a finished deck the way a viewer draws it and print the report as JSON.

Usage::

    python bench/rendercheck_cli.py DECK.pptx [--png OUTDIR] [--workdir DIR] [--min-font PT] [--dpi N]
    python bench/rendercheck_cli.py DECKDIR   [--png OUTDIR] [--limit N]

A ``.pptx`` is converted to PDF with LibreOffice and checked page by page; a folder (or its
``index.html``) is opened as a reveal.js deck in headless Chromium.  ``--png`` also writes a PNG
of every page / slide into OUTDIR (their paths are listed under ``"pngs"``).

Exit status: 0 when no problems were found, 1 when the report lists problems, 2 when a tool is
missing or rendering failed (the JSON then holds an ``"error"``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any


def _load_rendercheck() -> Any:
    """Import ``tests/support/rendercheck.py`` (the library lives next to the test suite)."""
    tests_dir = str(Path(__file__).resolve().parent.parent / "tests")
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    return importlib.import_module("support.rendercheck")


rc = _load_rendercheck()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck", type=Path, help="a .pptx file, or a reveal.js deck folder / its index.html")
    parser.add_argument("--png", type=Path, metavar="OUTDIR", help="also write a PNG of every page/slide")
    parser.add_argument("--workdir", type=Path, help="where the PDF goes (.pptx; default: a temp dir)")
    parser.add_argument(
        "--min-font",
        type=float,
        default=rc.DEFAULT_MIN_FONT_PT,
        help="smallest acceptable normalised font size in pt (.pptx; default 14)",
    )
    parser.add_argument("--dpi", type=int, default=50, help="PNG resolution for .pptx pages (default 50)")
    parser.add_argument("--limit", type=int, help="screenshot at most this many slides (HTML)")
    return parser.parse_args(argv)


def _check_pptx(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    """Run the PPTX check (and PNG export); return the JSON data and the problem list."""
    with tempfile.TemporaryDirectory(prefix="rendercheck-") as tmp:
        workdir = args.workdir or Path(tmp)
        report = rc.check_pptx(args.deck, workdir)
        data = report.to_dict(args.min_font)
        if args.png:
            data["pngs"] = [str(p) for p in rc.render_pngs(report.pdf, args.png, dpi=args.dpi)]
        if args.workdir is None:
            data["pdf"] = None  # the PDF lived in a temporary folder that is gone now
    return data, report.problems(args.min_font)


def _check_html(args: argparse.Namespace, deck_dir: Path) -> tuple[dict[str, Any], list[str]]:
    """Run the reveal.js check (and screenshots); return the JSON data and the problem list."""
    report = rc.check_html(deck_dir)
    data = report.to_dict()
    if args.png:
        data["pngs"] = [str(p) for p in rc.screenshot_slides(deck_dir, args.png, limit=args.limit)]
    return data, report.problems()


def main(argv: list[str] | None = None) -> int:
    """Entry point: check the deck, print JSON, return the exit status."""
    args = _parse_args(argv)
    deck: Path = args.deck
    try:
        if deck.is_file() and deck.suffix.lower() == ".pptx":
            data, problems = _check_pptx(args)
        elif deck.is_dir() or deck.name == "index.html":
            data, problems = _check_html(args, deck if deck.is_dir() else deck.parent)
        else:
            raise FileNotFoundError(f"{deck} is neither a .pptx file nor a deck folder")
    except (rc.RenderToolMissing, rc.RenderFailed, FileNotFoundError) as exc:
        print(json.dumps({"deck": str(deck), "error": f"{type(exc).__name__}: {exc}"}, indent=2))
        return 2
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
