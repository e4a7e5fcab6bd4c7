"""Printing benchmark: the lecture as PDF, warm, and the PDF libraries compared.

    python bench/bench_pdf.py [POST.md] [--runs 7]

1. Builds the post once (pictures into a fresh cache), then builds it as PDF only
   ``--runs`` times more (warm: pictures, renditions and the cut CJK font cached) and
   prints the median wall and CPU time of a build, and of the PDF writer alone.
2. Draws the same page content (every text line at its place in its font, every picture,
   every link, read back from deckgen's own PDF) with fpdf2, PyMuPDF and reportlab, runs
   alternating, and prints each one's median time and file size (reportlab cannot embed
   the CFF-outline Noto CJK font: it is measured with the Latin text only).
Peak memory of the process is printed at the end.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from deckgen.assets.resolve import AssetOptions  # noqa: E402
from deckgen.build import BuildOptions, Services, build_post  # noqa: E402
from support.imageserver import ImageServer  # noqa: E402
from support.localdeck import LocalFetcher, localize_post  # noqa: E402


def timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def read_ops(pdf_path: Path):  # type: ignore[no-untyped-def]
    """(width, height, [(text, font, size, x, y, rgb)], [(image path, rect)], [(rect, uri)]) per page."""
    import pymupdf

    pages = []
    with pymupdf.open(str(pdf_path)) as doc:
        for page in doc:
            texts = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for s in line["spans"]:
                        if s["text"].strip():
                            texts.append((s["text"], s["font"], s["size"], *s["origin"], s["color"]))
            links = [(tuple(link["from"]), link["uri"]) for link in page.get_links() if link.get("uri")]
            images = [tuple(info["bbox"]) for info in page.get_image_info()]
            pages.append((page.rect.width, page.rect.height, texts, images, links))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("post", type=Path, nargs="?", default=ROOT / "lecture" / "large-language-models.md")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deckgen-bench-pdf-"))
    with ImageServer() as server:
        local = localize_post(server, args.post, work / "posts")
        services = Services(fetcher=LocalFetcher(server))
        pictures = AssetOptions(cache_dir=work / "cache")
        cold = BuildOptions(formats=("pptx", "pdf"), out_dir=work / "out", pictures=pictures)
        build_post(local, cold, services)
        warm = BuildOptions(formats=("pdf",), out_dir=work / "out", pictures=pictures)
        times = [timed(lambda: build_post(local, warm, services)) for _ in range(args.runs)]
    walls, cpus = zip(*times)
    print(f"{args.post.name}: PDF build warm, median of {args.runs}: "
          f"{statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU")

    pdf_path = work / "out" / f"{args.post.stem}.pdf"
    pages = read_ops(pdf_path)
    picture = work / "bench.jpg"
    from PIL import Image

    Image.new("RGB", (640, 360), (90, 120, 200)).save(picture, quality=85)
    fonts = {
        "latin": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    }

    def is_cjk(text: str) -> bool:
        return any(ord(c) > 0x2E80 for c in text)

    def with_fpdf2() -> bytes:
        from fpdf import FPDF

        pdf = FPDF(unit="pt", format=(pages[0][0], pages[0][1]))
        pdf.set_auto_page_break(False)
        pdf.add_font("latin", "", fonts["latin"])
        pdf.add_font("cjk", "", fonts["cjk"], collection_font_number=3)
        for _w, _h, texts, images, links in pages:
            pdf.add_page()
            for text, _font, size, x, y, _rgb in texts:
                pdf.set_font("cjk" if is_cjk(text) else "latin", size=size)
                pdf.text(x, y, text)
            for x0, y0, x1, y1 in images:
                pdf.image(str(picture), x0, y0, x1 - x0, y1 - y0)
            for (x0, y0, x1, y1), uri in links:
                pdf.link(x0, y0, x1 - x0, y1 - y0, uri)
        return bytes(pdf.output())

    def with_pymupdf() -> bytes:
        import pymupdf

        doc = pymupdf.open()
        for w, h, texts, images, links in pages:
            page = doc.new_page(width=w, height=h)
            page.insert_font(fontname="latin", fontfile=fonts["latin"])
            page.insert_font(fontname="cjk", fontfile=fonts["cjk"])
            for text, _font, size, x, y, _rgb in texts:
                page.insert_text((x, y), text, fontname="cjk" if is_cjk(text) else "latin", fontsize=size)
            for rect in images:
                page.insert_image(pymupdf.Rect(*rect), filename=str(picture))
            for rect, uri in links:
                page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(*rect), "uri": uri})
        doc.subset_fonts()
        return doc.tobytes(garbage=3, deflate=True)

    def with_reportlab() -> bytes:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(TTFont("latin", fonts["latin"]))
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, pagesize=(pages[0][0], pages[0][1]))
        for _w, h, texts, images, links in pages:
            for text, _font, size, x, y, _rgb in texts:
                if not is_cjk(text):
                    c.setFont("latin", size)
                    c.drawString(x, h - y, text)
            for x0, y0, x1, y1 in images:
                c.drawImage(str(picture), x0, h - y1, x1 - x0, y1 - y0)
            for (x0, y0, x1, y1), uri in links:
                c.linkURL(uri, (x0, h - y1, x1, h - y0))
            c.showPage()
        c.save()
        return buffer.getvalue()

    libs = {"fpdf2": with_fpdf2, "PyMuPDF": with_pymupdf, "reportlab (no CJK)": with_reportlab}
    for name in ("PyMuPDF", "reportlab (no CJK)"):
        try:
            __import__({"PyMuPDF": "pymupdf"}.get(name, "reportlab"))
        except ImportError:
            print(f"{name}: not installed, left out")
            del libs[name]
    results: dict[str, list[float]] = {name: [] for name in libs}
    sizes: dict[str, int] = {}
    for _ in range(max(3, args.runs // 2)):
        for name, fn in libs.items():  # alternating runs
            started = time.perf_counter()
            data = fn()
            results[name].append(time.perf_counter() - started)
            sizes[name] = len(data)
    base = statistics.median(results["fpdf2"])
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:>20}: {median:.3f} s median ({median / base:.2f}x fpdf2), {sizes[name] / 1024:.0f} kB")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
