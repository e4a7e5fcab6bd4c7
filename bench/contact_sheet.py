"""Render a .pptx through LibreOffice and lay its pages out as one PNG (a contact sheet).

python bench/contact_sheet.py DECK.pptx OUT.png [--cols 6] [--width 1800] [--pages 1-12]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pptx", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cols", type=int, default=6)
    parser.add_argument("--width", type=int, default=1800)
    parser.add_argument("--pages", default="", help="a range like 1-12 (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(args.pptx),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        pdf = work / (args.pptx.stem + ".pdf")
        cmd = ["pdftoppm", "-png", "-r", "48"]
        if args.pages:
            first, _, last = args.pages.partition("-")
            cmd += ["-f", first, "-l", last or first]
        subprocess.run([*cmd, str(pdf), str(work / "page")], check=True, timeout=600)
        pages = sorted(work.glob("page-*.png"))
        if not pages:
            print("no pages rendered", file=sys.stderr)
            return 1
        gap = 8
        cell_w = (args.width - gap * (args.cols + 1)) // args.cols
        first = Image.open(pages[0])
        cell_h = round(cell_w * first.height / first.width)
        rows = (len(pages) + args.cols - 1) // args.cols
        sheet = Image.new("RGB", (args.width, rows * (cell_h + gap) + gap), (90, 90, 90))
        draw = ImageDraw.Draw(sheet)
        for i, path in enumerate(pages):
            x = gap + (i % args.cols) * (cell_w + gap)
            y = gap + (i // args.cols) * (cell_h + gap)
            sheet.paste(Image.open(path).convert("RGB").resize((cell_w, cell_h), Image.LANCZOS), (x, y))
            draw.rectangle((x - 1, y - 1, x + cell_w, y + cell_h), outline=(40, 40, 40))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        sheet.quantize(colors=192, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            args.out, optimize=True
        )
    print(f"{args.out}: {len(pages)} pages, {sheet.width}x{sheet.height}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
