"""The card's picture: a title slide drawn into pixels with Pillow.

A small writer for the frames a title slide holds (text on its band, the theme's logo, the
picture the card adds): it decides nothing, and draws them as the PDF writer does, with the
same font files (:func:`deckgen.writers.pdffonts.font_set`), the same line breaks
(:func:`deckgen.measure.wrap_runs`) and the same baseline. It costs about 11 ms a card and no
font subsetting: the PDF writer's way, through a one-page PDF drawn into pixels, cost 73 to
150 ms a card, and a cut of the CJK face (0.5 to 1 s, 140 MB) for each title slide with new
Chinese characters (``bench/bench_cards.py``; docs/benchmarks.md). ``tests/course/test_raster.py``
holds it to the PDF writer's drawing of the same slide.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.measure import Measurer, font_segments, wrap_runs
from deckgen.model.document import Run
from deckgen.model.laidout import Box, LaidDeck, Page, PictureFrame, TextFrame
from deckgen.theme.schema import Theme

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

DESCENT = 0.2  # where a line's baseline sits above its box's bottom, in font sizes (as the PDF writer)


def _rgb(hex6: str) -> tuple[int, int, int]:
    return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or ())


@lru_cache(maxsize=64)
def _font(path: Path, face: int, pixels: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(path), max(1, pixels), index=face)


class CardPainter:
    """Draws one page of a laid-out deck at ``scale`` pixels a point."""

    def __init__(self, theme: Theme, measurer: Measurer) -> None:
        from deckgen.writers.pdffonts import font_set

        self.theme = theme
        self.measurer = measurer
        self.fonts = font_set(theme)
        self.scale = 1.0

    def draw(self, laid: LaidDeck, page: Page, width: int) -> PILImage.Image:
        from PIL import Image, ImageDraw

        self.scale = width / laid.width
        height = round(laid.height * self.scale)
        image = Image.new("RGB", (width, height), _rgb(_styled(page.background)))
        draw = ImageDraw.Draw(image)
        if page.title is not None:
            self.text(draw, page.title)
        for frame in page.frames:
            if isinstance(frame, TextFrame):
                self.text(draw, frame)
            elif isinstance(frame, PictureFrame):
                self.picture(image, frame)
            # a title slide holds nothing else; the card adds only a picture
        return image

    # -- text ----------------------------------------------------------------------
    def _face(self, run: Run, cjk: bool, size: float) -> ImageFont.FreeTypeFont:
        f = self.fonts
        if cjk:
            path, face = f.cjk["B" if run.bold and "B" in f.cjk else ""]
            return _font(path, face, round(size * self.scale))
        style = ("B" if run.bold else "") + ("I" if run.italic else "")
        if style not in f.latin:
            style = "B" if run.bold and "B" in f.latin else ""
        return _font(f.latin[style], 0, round(size * self.scale))

    def _segments(self, text: str) -> list[tuple[str, bool]]:
        """Cut text where the font changes (as the PDF writer does): (text, in the CJK font)."""
        cmap = _cmap(self.fonts.latin[""])
        return font_segments(text, cmap)

    def _line_width(self, line: list[Run], size: float) -> float:
        return sum(self._face(run, cjk, size).getlength(text) for run in line for text, cjk in self._segments(run.text))

    def text(self, draw: ImageDraw.ImageDraw, frame: TextFrame) -> None:
        s = self.scale
        if frame.fill:
            self._rect(draw, frame.box, frame.fill)
        left, top, right, _ = frame.insets
        y = frame.box.y + top
        inner = frame.box.w - left - right
        for i, para in enumerate(frame.paras):
            if i:
                y += para.space_before
            color = _styled(para.color or frame.color)
            width = inner - para.indent
            line_h = para.size * frame.line_spacing
            for line in wrap_runs(self.measurer, para.runs, width, para.size, False, safety=1.0):
                baseline = (y + line_h - DESCENT * para.size) * s
                x = (frame.box.x + left + para.indent) * s
                if para.align != "left":  # placed by its width without the spaces it ends with
                    line = _rstrip_line(line)
                    x += (width * s - self._line_width(line, para.size)) / (2 if para.align == "center" else 1)
                for run in line:
                    use = run.color or (frame.link_color if run.link and frame.link_color else color)
                    start = x
                    for text, cjk in self._segments(run.text):
                        face = self._face(run, cjk, para.size)
                        draw.text((x, baseline), text, font=face, fill=_rgb(use), anchor="ls")
                        x += face.getlength(text)
                    if run.link and run.text.strip():
                        under = baseline + para.size * 0.12 * s
                        draw.line((start, under, x, under), fill=_rgb(use), width=max(1, round(para.size * 0.06 * s)))
                y += line_h

    # -- boxes and pictures ------------------------------------------------------------
    def _rect(self, draw: ImageDraw.ImageDraw, box: Box, fill: str) -> None:
        s = self.scale
        draw.rectangle((box.x * s, box.y * s, (box.x + box.w) * s - 1, (box.y + box.h) * s - 1), fill=_rgb(fill))

    def picture(self, image: PILImage.Image, frame: PictureFrame) -> None:
        from PIL import Image

        path = frame.asset.path
        s = self.scale
        size = (round(frame.box.w * s), round(frame.box.h * s))
        if path is None or size[0] < 1 or size[1] < 1:
            return
        with Image.open(path) as picture:
            picture.seek(0)  # an animation: its first frame
            drawn = picture.convert("RGBA").resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        image.paste(drawn, (round(frame.box.x * s), round(frame.box.y * s)), drawn)


def _styled(color: str | None) -> str:
    """A colour the style pass set (it sets every one: None here is a bug, as in the PDF writer)."""
    if color is None:
        from deckgen.errors import InternalError

        raise InternalError("internal error: a card's page reached the painter without a colour", hint="a bug in deckgen")
    return color


def _rstrip_line(line: list[Run]) -> list[Run]:
    if not line:
        return line
    from dataclasses import replace

    return [*line[:-1], replace(line[-1], text=line[-1].text.rstrip())]


__all__ = ["CardPainter"]
