"""The course page's cards: what drawing a title slide costs, two ways.

    python bench/bench_cards.py POST.md [POST.md ...] [--cache DIR] [--cold-fonts]

Each post is built once (.pptx only, offline: give ``--cache`` a cache a build with the
network filled); while its laid-out deck is at hand, its card is drawn

* by ``course/raster.py`` (Pillow: what deckgen does), and
* through the PDF writer into a one-page PDF in memory, drawn into pixels by PyMuPDF (the way
  not taken: the PDF writer parses and subsets its fonts for every document, and cuts the CJK
  face down for every new set of characters; ``--cold-fonts`` starts with no cut font cached).

Printed: the total and per-card CPU time of each way, the CJK cuts made, the WebP bytes, and
the peak memory of the process.
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deckgen.assets.resolve import AssetOptions  # noqa: E402
from deckgen.course import cards  # noqa: E402
from deckgen.course.raster import CardPainter  # noqa: E402
from deckgen.options import BuildOptions  # noqa: E402
from deckgen.pipeline import run_post  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("posts", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, help="a picture cache (default: a fresh one: placeholders)")
    parser.add_argument("--cold-fonts", action="store_true", help="no cut CJK font cached at the start")
    args = parser.parse_args()
    import pymupdf

    from deckgen.writers import pdffonts
    from deckgen.writers.pdf import PdfWriter

    work = Path(tempfile.mkdtemp(prefix="deckgen-cards-"))
    fonts = work / "fonts-cache"
    if not args.cold_fonts and args.cache and (args.cache / "fonts").is_dir():
        shutil.copytree(args.cache / "fonts", fonts / "fonts")
    cuts = {"n": 0}
    real_cut = pdffonts.cjk_subset

    def counted(*a: object, **k: object) -> Path:
        before = len(list((fonts / "fonts").glob("*"))) if (fonts / "fonts").is_dir() else 0
        out = real_cut(*a, **k)  # type: ignore[arg-type]
        cuts["n"] += len(list((fonts / "fonts").glob("*"))) - before
        return out

    import deckgen.writers.pdf as pdf_module

    pdf_module.cjk_subset = counted  # type: ignore[assignment]
    spent = {"pillow": 0.0, "pdf": 0.0}
    sizes: list[int] = []

    def both(laid, theme, measurer, width=cards.CARD_WIDTH):  # type: ignore[no-untyped-def]
        page = cards.card_page(laid)
        t = time.process_time()
        image = CardPainter(theme, measurer).draw(laid, page, width)
        out = io.BytesIO()
        image.save(out, "WEBP", quality=cards.CARD_QUALITY, method=2)
        spent["pillow"] += time.process_time() - t
        sizes.append(len(out.getvalue()))
        t = time.process_time()
        pdf = io.BytesIO()
        PdfWriter(theme, measurer, fonts).write(replace(laid, pages=(page,)), pdf)
        with pymupdf.open(stream=pdf.getvalue(), filetype="pdf") as doc:
            zoom = width / laid.width
            doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom)).tobytes("png")
        spent["pdf"] += time.process_time() - t
        return out.getvalue()

    cards.draw_card = both  # type: ignore[assignment]
    pictures = AssetOptions(offline=True, cache_dir=args.cache or work / "cache")
    for post in args.posts:
        run_post(post, BuildOptions(out_dir=work / "out", formats=("pptx",), course_card=True, pictures=pictures))
    n = len(args.posts)
    print(f"{n} cards, WebP {sum(sizes) / max(1, len(sizes)) / 1024:.1f} kB each on average")
    print(f"Pillow (deckgen): {spent['pillow']:.2f} s CPU, {spent['pillow'] / n * 1000:.0f} ms a card")
    print(f"PDF writer + PyMuPDF: {spent['pdf']:.2f} s CPU, {spent['pdf'] / n * 1000:.0f} ms a card, {cuts['n']} CJK cuts")
    print(f"peak memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
