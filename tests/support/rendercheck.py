"""Render checks for finished decks, looking at them the way a viewer draws them.

Two entry points:

* :func:`check_pptx` has LibreOffice turn a ``.pptx`` into a PDF and then inspects every PDF page
  with PyMuPDF: text or pictures past the page edge, text drawn over a picture, the smallest font
  (normalised to a 13.333 in wide slide) and how much of the page each picture covers.
* :func:`check_html` opens an offline reveal.js deck (``DECK/index.html``) in headless Chromium,
  walks every slide and reports elements drawn past the slide box, images that failed to load,
  text drawn over images or iframes, console errors and any attempt to reach the network.

Both raise :class:`RenderToolMissing` when the external tool they need is not installed, so the
test suite can skip with a reason.  Helpers :func:`render_pngs` and :func:`screenshot_slides`
write a PNG per page / slide for a human to look at.

The module lives in ``tests/`` but is also used by ``bench/rendercheck_cli.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "BrokenImage",
    "ElementHit",
    "HtmlReport",
    "PageReport",
    "PictureOverlap",
    "PptxReport",
    "RenderFailed",
    "RenderToolMissing",
    "SlideReport",
    "TextOverImage",
    "TextSpan",
    "check_html",
    "check_pptx",
    "render_pngs",
    "screenshot_slides",
    "set_aside_hidden_titles",
]

#: Reference slide width in PDF points (13.333 in); font sizes are scaled to it.
REFERENCE_WIDTH_PT = 960.0
#: Smallest acceptable (normalised) font size in points.
DEFAULT_MIN_FONT_PT = 14.0
#: Pictures covering at least this fraction of the page are treated as backgrounds and are
#: not considered for the text-over-picture test.
BACKGROUND_PICTURE_FRACTION = 0.95

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

Box = tuple[float, float, float, float]


class RenderToolMissing(RuntimeError):
    """An external program or package needed to render a deck is not available."""


class RenderFailed(RuntimeError):
    """The rendering tool is there but did not produce what was asked for."""


def _round_box(box: Any) -> Box:
    """Return ``box`` (any 4-sequence) as a tuple of floats rounded to 0.1."""
    x0, y0, x1, y1 = (round(float(v), 1) for v in box)
    return (x0, y0, x1, y1)


def _overlap(a: Box, b: Box) -> tuple[float, float]:
    """Return the overlap of two ``(x0, y0, x1, y1)`` boxes along x and y (negative: a gap)."""
    return min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])


def _past_edge(box: Box, width: float, height: float) -> float:
    """Return how far ``box`` reaches beyond the page ``[0, width] x [0, height]`` (0 if inside)."""
    return max(0.0, -box[0], -box[1], box[2] - width, box[3] - height)


def _snippet(text: str, limit: int = 80) -> str:
    """Collapse whitespace in ``text`` and cut it to ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# PPTX (through LibreOffice and PyMuPDF)
# --------------------------------------------------------------------------------------------


@dataclass
class TextSpan:
    """One run of text on a PDF page: its text, box in points and font size in points."""

    text: str
    bbox: Box
    size: float


@dataclass
class PictureOverlap:
    """A text span drawn over a picture, with both boxes in points."""

    text: str
    text_bbox: Box
    picture_bbox: Box


@dataclass
class PageReport:
    """What one PDF page (one slide) looks like.

    ``number`` is 1-based.  Boxes are ``(x0, y0, x1, y1)`` in PDF points, origin top-left.
    ``min_font_pt`` is the smallest font size of any non-blank span scaled to a 960 pt wide page
    (``size * 960 / width``), or ``None`` when the page has no text.  ``picture_areas`` gives,
    per picture, the fraction of the page area its visible part covers.
    """

    number: int
    width: float
    height: float
    text_outside: list[TextSpan] = field(default_factory=list)
    pictures_outside: list[Box] = field(default_factory=list)
    text_over_picture: list[PictureOverlap] = field(default_factory=list)
    min_font_pt: float | None = None
    picture_areas: list[float] = field(default_factory=list)
    text: str = ""
    spans: list[TextSpan] = field(default_factory=list, repr=False)  # every non-blank span, in page order
    # text inside the box of a title the .pptx keeps off the slide on purpose (a hidden title:
    # its title placeholder above the top edge): not past the edge by mistake, so not counted
    hidden_title_spans: list[TextSpan] = field(default_factory=list)

    def problems(self, min_font_pt: float = DEFAULT_MIN_FONT_PT) -> list[str]:
        """Return one human-readable line per kind of problem found on this page."""
        out: list[str] = []
        where = f"page {self.number}"
        if self.text_outside:
            texts = "; ".join(repr(_snippet(s.text, 40)) for s in self.text_outside[:5])
            out.append(f"{where}: {len(self.text_outside)} text span(s) past the page edge: {texts}")
        if self.pictures_outside:
            boxes = ", ".join(str(b) for b in self.pictures_outside)
            out.append(f"{where}: {len(self.pictures_outside)} picture(s) past the page edge: {boxes}")
        if self.text_over_picture:
            texts = "; ".join(repr(_snippet(o.text, 40)) for o in self.text_over_picture[:5])
            out.append(f"{where}: text drawn over a picture: {texts}")
        if self.min_font_pt is not None and self.min_font_pt < min_font_pt:
            out.append(f"{where}: smallest font {self.min_font_pt:.1f} pt (< {min_font_pt:g} pt)")
        return out


@dataclass
class PptxReport:
    """Result of :func:`check_pptx`: the PDF LibreOffice made, the page count and page reports."""

    pptx: str
    pdf: str
    pages: int
    page_reports: list[PageReport] = field(default_factory=list)

    def problems(self, min_font_pt: float = DEFAULT_MIN_FONT_PT) -> list[str]:
        """Return human-readable lines for every page with text/pictures past the edge, text over
        a picture, or a normalised font smaller than ``min_font_pt``; empty when all is well."""
        out: list[str] = []
        for page in self.page_reports:
            out.extend(page.problems(min_font_pt))
        return out

    def to_dict(self, min_font_pt: float = DEFAULT_MIN_FONT_PT) -> dict[str, Any]:
        """Return the report as plain JSON-ready data, including ``problems``."""
        data = asdict(self)
        for page in data["page_reports"]:
            del page["spans"]  # the summary, not every span
        data["problems"] = self.problems(min_font_pt)
        return data


def _find_soffice() -> str:
    """Return the LibreOffice executable or raise :class:`RenderToolMissing`."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise RenderToolMissing("LibreOffice (soffice) is not installed; cannot convert .pptx to PDF")


def _import_pymupdf() -> Any:
    """Import PyMuPDF under either of its names or raise :class:`RenderToolMissing`."""
    try:
        import pymupdf  # type: ignore[import-untyped]
    except ImportError:
        try:
            import fitz as pymupdf  # type: ignore[import-untyped,no-redef]
        except ImportError as exc:
            raise RenderToolMissing("PyMuPDF is not installed; cannot read the PDF") from exc
    return pymupdf


def _run_killable(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in its own process group; on timeout kill the whole group and raise."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RenderFailed(f"{Path(cmd[0]).name} timed out after {timeout:g} s") from exc
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def convert_to_pdf(
    pptx_path: str | os.PathLike[str], workdir: str | os.PathLike[str], timeout: float = 300.0
) -> Path:
    """Convert ``pptx_path`` to PDF in ``workdir`` with headless LibreOffice; return the PDF path.

    Each call uses its own throw-away LibreOffice profile so parallel conversions don't clash.
    """
    soffice = _find_soffice()
    src = Path(pptx_path).resolve()
    if not src.is_file():
        raise FileNotFoundError(src)
    outdir = Path(workdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="deckgen-lo-"))
    try:
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(src),
        ]
        result = _run_killable(cmd, timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.is_file():
        raise RenderFailed(
            f"LibreOffice made no PDF for {src} (exit {result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[-500:]}"
        )
    return pdf


def _page_report(page: Any, number: int, pymupdf: Any) -> PageReport:
    """Inspect one PyMuPDF page and build its :class:`PageReport`."""
    width, height = float(page.rect.width), float(page.rect.height)
    # Keep characters outside the media box: they are exactly what we are looking for.
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_MEDIABOX_CLIP
    data = page.get_text("dict", flags=flags, clip=pymupdf.INFINITE_RECT())
    spans: list[TextSpan] = []
    lines: list[str] = []
    for block in data.get("blocks", []):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", []):
            parts = []
            for span in line.get("spans", []):
                text = span.get("text", "")
                parts.append(text)
                if text.strip():
                    spans.append(TextSpan(text, _round_box(span["bbox"]), round(float(span["size"]), 2)))
            lines.append("".join(parts))

    pictures = [_round_box(info["bbox"]) for info in page.get_image_info()]
    page_area = width * height or 1.0
    areas: list[float] = []
    for pic in pictures:
        w = max(0.0, min(pic[2], width) - max(pic[0], 0.0))
        h = max(0.0, min(pic[3], height) - max(pic[1], 0.0))
        areas.append(round(w * h / page_area, 4))

    report = PageReport(number=number, width=round(width, 2), height=round(height, 2))
    report.text = "\n".join(lines)
    report.spans = spans
    report.picture_areas = areas
    report.text_outside = [s for s in spans if _past_edge(s.bbox, width, height) > 1.0]
    report.pictures_outside = [p for p in pictures if _past_edge(p, width, height) > 1.0]
    if spans:
        report.min_font_pt = round(min(s.size for s in spans) * REFERENCE_WIDTH_PT / width, 2)

    foreground = [p for p, a in zip(pictures, areas, strict=True) if a < BACKGROUND_PICTURE_FRACTION]
    for span in spans:
        x0, y0, x1, y1 = span.bbox
        shrink = (y1 - y0) * 0.10  # drop 20 % of the line height (10 % top, 10 % bottom)
        glyphs: Box = (x0, y0 + shrink, x1, y1 - shrink)
        for pic in foreground:
            ox, oy = _overlap(glyphs, pic)
            if ox > 2.0 and oy > 2.0:
                report.text_over_picture.append(PictureOverlap(span.text, span.bbox, pic))
                break
    return report


def check_pdf(pdf_path: str | os.PathLike[str], pptx_path: str = "") -> PptxReport:
    """Inspect an existing PDF (as made by :func:`convert_to_pdf`) page by page; with the .pptx
    it was made from, text in a hidden title's box is set aside (:func:`set_aside_hidden_titles`)."""
    pymupdf = _import_pymupdf()
    with pymupdf.open(str(pdf_path)) as doc:
        pages = [_page_report(page, i + 1, pymupdf) for i, page in enumerate(doc)]
    report = PptxReport(pptx=pptx_path, pdf=str(pdf_path), pages=len(pages), page_reports=pages)
    if pptx_path and Path(pptx_path).is_file():
        set_aside_hidden_titles(report, pptx_path)
    return report


def check_pptx(
    pptx_path: str | os.PathLike[str], workdir: str | os.PathLike[str], timeout: float = 300.0
) -> PptxReport:
    """Convert ``pptx_path`` to PDF in ``workdir`` with LibreOffice and inspect every page.

    Raises :class:`RenderToolMissing` when LibreOffice or PyMuPDF is missing and
    :class:`RenderFailed` when the conversion fails or times out.
    """
    _import_pymupdf()
    pdf = convert_to_pdf(pptx_path, workdir, timeout=timeout)
    return check_pdf(pdf, str(pptx_path))


def set_aside_hidden_titles(report: PptxReport, pptx_path: str | os.PathLike[str]) -> None:
    """Move the text a page draws inside its slide's hidden title (a title placeholder wholly
    off the slide, see docs/layout.md) from ``text_outside`` to ``hidden_title_spans``.
    LibreOffice 7.4 draws nothing there; another version might."""
    from .pptxaudit import audit

    facts = audit(Path(pptx_path))
    hidden = set(facts.hidden_titles())
    for page, slide in zip(report.page_reports, facts.slides):
        if slide.number not in hidden or slide.title_box is None or not facts.width:
            continue
        scale = page.width / (facts.width / 12700)  # EMU -> points -> the PDF page
        x, y, cx, cy = (v / 12700 * scale for v in slide.title_box)
        box = (x - 2.0, y - 2.0, x + cx + 2.0, y + cy + 2.0)  # 2 pt of tolerance
        page.hidden_title_spans = [s for s in page.text_outside if _within(s.bbox, box)]
        page.text_outside = [s for s in page.text_outside if not _within(s.bbox, box)]


def _within(inner: Box, outer: Box) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def render_pngs(pdf: str | os.PathLike[str], outdir: str | os.PathLike[str], dpi: int = 50) -> list[Path]:
    """Write ``page-N.png`` for every page of ``pdf`` into ``outdir``; return the paths in order.

    Uses poppler's ``pdftoppm``; falls back to PyMuPDF when it is not installed.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        result = _run_killable([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(out / "page")], 300.0)
        if result.returncode != 0:
            raise RenderFailed(f"pdftoppm failed (exit {result.returncode}): {result.stderr.strip()}")
        found = []
        for path in out.glob("page-*.png"):
            match = re.fullmatch(r"page-(\d+)\.png", path.name)
            if match:
                found.append((int(match.group(1)), path))
        return [path for _, path in sorted(found)]
    pymupdf = _import_pymupdf()
    paths: list[Path] = []
    with pymupdf.open(str(pdf)) as doc:
        for i, page in enumerate(doc):
            path = out / f"page-{i + 1}.png"
            page.get_pixmap(dpi=dpi).save(str(path))
            paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------
# reveal.js HTML (through Playwright and Chromium)
# --------------------------------------------------------------------------------------------


@dataclass
class ElementHit:
    """An element (or text run, ``tag`` ``#text``) drawn past the slide box.

    ``rect`` is ``(x, y, width, height)`` in slide pixels relative to the slide's top-left corner;
    ``overflow`` gives how far it sticks out on each side (``left``, ``top``, ``right``,
    ``bottom``), also in slide pixels.
    """

    tag: str
    cls: str
    text: str
    rect: tuple[float, float, float, float]
    overflow: dict[str, float]


@dataclass
class BrokenImage:
    """An ``<img>`` that finished loading without any image data."""

    src: str
    alt: str


@dataclass
class TextOverImage:
    """Text drawn over an ``img``, ``iframe`` or ``video``; ``overlap`` is (w, h) in slide px."""

    tag: str
    cls: str
    text: str
    media_tag: str
    media_src: str
    overlap: tuple[float, float]


@dataclass
class SlideReport:
    """What one reveal.js slide looks like once shown (with all its fragments revealed).

    ``index`` is the 0-based position in document order; ``h``/``v`` are reveal.js indices.
    ``slide_rect`` is the slide box (the reveal.js canvas, ``config.width x config.height``)
    and ``section_rect`` the ``<section>``'s own box, both ``(x, y, w, h)`` in viewport pixels.
    """

    index: int
    h: int
    v: int
    id: str
    title: str
    slide_rect: tuple[float, float, float, float]
    section_rect: tuple[float, float, float, float]
    scale: float
    overflow: list[ElementHit] = field(default_factory=list)
    broken_images: list[BrokenImage] = field(default_factory=list)
    text_over_image: list[TextOverImage] = field(default_factory=list)
    screenshot: str | None = None

    @property
    def ok(self) -> bool:
        """True when nothing on this slide was flagged."""
        return not (self.overflow or self.broken_images or self.text_over_image)

    def problems(self) -> list[str]:
        """Return one human-readable line per kind of problem found on this slide."""
        title = f", {self.title!r}" if self.title else ""
        name = f"slide {self.index + 1} (h={self.h}, v={self.v}{title})"
        out: list[str] = []
        if self.overflow:
            items = "; ".join(
                f"<{e.tag}{'.' + e.cls.replace(' ', '.') if e.cls else ''}> {e.text!r} "
                f"by {max(e.overflow.values()):.0f}px"
                for e in self.overflow[:5]
            )
            out.append(f"{name}: {len(self.overflow)} element(s) past the slide edge: {items}")
        if self.broken_images:
            srcs = ", ".join(b.src or "(no src)" for b in self.broken_images)
            out.append(f"{name}: image(s) not loaded: {srcs}")
        if self.text_over_image:
            items = "; ".join(f"{t.text!r} over <{t.media_tag}>" for t in self.text_over_image[:5])
            out.append(f"{name}: text drawn over an image: {items}")
        return out


@dataclass
class HtmlReport:
    """Result of :func:`check_html`.

    ``network_requests`` lists every non-``file:`` URL the deck tried to fetch (all were blocked);
    ``failed_requests`` lists ``file:`` URLs that failed (missing local files);
    ``console_errors`` holds console ``error`` messages and uncaught page errors.
    """

    deck_dir: str
    url: str
    reveal_ready: bool
    slides: list[SlideReport] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Return human-readable lines for a deck where reveal.js never became ready, any network
        request, missing local file, console error, and every flagged slide; empty when clean."""
        out: list[str] = []
        if not self.reveal_ready:
            out.append("reveal.js did not become ready (Reveal.isReady() stayed false)")
        if self.network_requests:
            out.append(
                f"{len(self.network_requests)} network request(s) attempted: "
                + ", ".join(self.network_requests[:5])
            )
        if self.failed_requests:
            out.append(
                f"{len(self.failed_requests)} local file(s) failed to load: "
                + ", ".join(self.failed_requests[:5])
            )
        for msg in self.console_errors:
            out.append(f"console error: {_snippet(msg, 200)}")
        for slide in self.slides:
            out.extend(slide.problems())
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data, including ``problems``."""
        data = asdict(self)
        for slide, raw in zip(self.slides, data["slides"], strict=True):
            raw["ok"] = slide.ok
        data["problems"] = self.problems()
        return data


# JavaScript run in the page: list the slide elements (vertical stacks flattened).
_JS_SLIDES = """
() => {
  const root = Reveal.getSlidesElement();
  const all = Array.from(root.querySelectorAll(':scope > section, :scope > section > section'));
  return all.filter(s => !s.classList.contains('stack') && !s.querySelector(':scope > section'))
            .map(s => { const i = Reveal.getIndices(s); return [i.h || 0, i.v || 0]; });
}
"""

# JavaScript run in the page: show slide number ``index`` with all fragments, wait for it to
# settle and its images to load, then measure it.
_JS_MEASURE = r"""
async (args) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const root = Reveal.getSlidesElement();
  const all = Array.from(root.querySelectorAll(':scope > section, :scope > section > section'))
    .filter(s => !s.classList.contains('stack') && !s.querySelector(':scope > section'));
  const target = all[args.index];
  const ind = Reveal.getIndices(target);
  Reveal.slide(ind.h, ind.v);
  if (args.fragments) { let n = 0; while (Reveal.nextFragment() && n++ < 1000) {} }
  await sleep(args.settleMs);
  const slide = Reveal.getCurrentSlide() || target;
  const imgs = Array.from(slide.querySelectorAll('img'));
  for (const im of imgs) { if (im.loading === 'lazy') im.loading = 'eager'; }
  const deadline = performance.now() + args.imageWaitMs;
  while (imgs.some(im => !im.complete) && performance.now() < deadline) await sleep(25);
  if (!args.measure) return null;

  const scale = Reveal.getScale() || 1;
  const c = root.getBoundingClientRect();
  const cfg = Reveal.getConfig();
  const box = {left: c.left, top: c.top,
               right: c.left + cfg.width * scale, bottom: c.top + cfg.height * scale};
  if (Math.abs(c.width - cfg.width * scale) > 1 || Math.abs(c.height - cfg.height * scale) > 1) {
    box.right = c.right; box.bottom = c.bottom;
  }
  const tol = args.overflowTol * scale, otol = args.overlapTol * scale;
  const inNotes = el => !!el.closest('aside.notes, .speaker-notes');
  const shown = el => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || cs.visibility === 'collapse') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const snip = t => {
    t = (t || '').replace(/\s+/g, ' ').trim();
    return t.length > 80 ? t.slice(0, 79) + '…' : t;
  };
  const R = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  // Intersect a rect with every clipping ancestor (overflow other than visible) up to the slide.
  const clip = (rect, start) => {
    let r = R(rect);
    for (let el = start; el && el !== slide && el !== document.body; el = el.parentElement) {
      const cs = getComputedStyle(el);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const p = el.getBoundingClientRect();
        if (cs.overflowX !== 'visible') {
          r.left = Math.max(r.left, p.left); r.right = Math.min(r.right, p.right);
        }
        if (cs.overflowY !== 'visible') {
          r.top = Math.max(r.top, p.top); r.bottom = Math.min(r.bottom, p.bottom);
        }
      }
    }
    return (r.right - r.left > 0.5 && r.bottom - r.top > 0.5) ? r : null;
  };
  const past = r => ({left: box.left - r.left, top: box.top - r.top,
                      right: r.right - box.right, bottom: r.bottom - box.bottom});
  const rel = r => [(r.left - box.left) / scale, (r.top - box.top) / scale,
                    (r.right - r.left) / scale, (r.bottom - r.top) / scale].map(v => Math.round(v * 10) / 10);
  const reported = new Map();
  const coveredByReported = (el, r) => {
    for (let a = el; a && a !== slide; a = a.parentElement) {
      const q = reported.get(a);
      if (q && r.left >= q.left - tol && r.top >= q.top - tol
            && r.right <= q.right + tol && r.bottom <= q.bottom + tol) return true;
    }
    return false;
  };
  const overflow = [];
  const flag = (el, r, tag, text) => {
    const p = past(r);
    if (Math.max(p.left, p.top, p.right, p.bottom) <= tol) return;
    if (coveredByReported(tag === '#text' ? el : el.parentElement, r)) return;
    if (tag !== '#text') reported.set(el, r);
    const o = {};
    for (const k of Object.keys(p)) o[k] = Math.round(Math.max(0, p[k]) / scale * 10) / 10;
    overflow.push({tag, cls: (typeof el.className === 'string' ? el.className : '') || '',
                   text: snip(text), rect: rel(r), overflow: o});
  };

  const elements = Array.from(slide.querySelectorAll('*')).filter(el => !inNotes(el) && shown(el));
  for (const el of elements) {
    const r = clip(el.getBoundingClientRect(), el.parentElement);
    if (r) flag(el, r, el.tagName.toLowerCase(), el.innerText || el.getAttribute('alt') || '');
  }

  // Text runs: measured through ranges, so text spilling out of a fixed-size box is seen too.
  // A run's box is the font's whole ascent..descent; trim 10 % top and bottom (glyphs rarely
  // reach there) so headings at the very top of a slide are not flagged.
  const trim = q => {
    const d = (q.bottom - q.top) * 0.1;
    return {left: q.left, top: q.top + d, right: q.right, bottom: q.bottom - d};
  };
  const texts = [];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || !/\S/.test(n.nodeValue) || inNotes(parent) || !shown(parent)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const lines = Array.from(range.getClientRects()).map(q => clip(trim(q), parent)).filter(q => q);
    if (!lines.length) continue;
    texts.push({parent, text: n.nodeValue, lines});
    const u = {left: Math.min(...lines.map(q => q.left)), top: Math.min(...lines.map(q => q.top)),
               right: Math.max(...lines.map(q => q.right)), bottom: Math.max(...lines.map(q => q.bottom))};
    flag(parent, u, '#text', n.nodeValue);
  }

  const broken = Array.from(slide.querySelectorAll('img'))
    .filter(im => !inNotes(im) && im.complete && im.naturalWidth === 0)
    .map(im => ({src: im.getAttribute('src') || im.getAttribute('data-src') || '', alt: im.alt || ''}));

  const media = Array.from(slide.querySelectorAll('img, iframe, video'))
    .filter(m => !inNotes(m) && shown(m))
    .map(m => ({el: m, r: clip(m.getBoundingClientRect(), m.parentElement)}))
    .filter(m => m.r);
  const over = [];
  for (const t of texts) {
    let hit = null;
    for (const m of media) {
      for (const q of t.lines) {
        const ox = Math.min(q.right, m.r.right) - Math.max(q.left, m.r.left);
        const oy = Math.min(q.bottom, m.r.bottom) - Math.max(q.top, m.r.top);
        if (ox > otol && oy > otol) { hit = {m, ox, oy}; break; }
      }
      if (hit) break;
    }
    if (hit) {
      over.push({tag: t.parent.tagName.toLowerCase(),
                 cls: (typeof t.parent.className === 'string' ? t.parent.className : '') || '',
                 text: snip(t.text), media_tag: hit.m.el.tagName.toLowerCase(),
                 media_src: hit.m.el.getAttribute('src') || hit.m.el.getAttribute('data-src') || '',
                 overlap: [Math.round(hit.ox / scale * 10) / 10, Math.round(hit.oy / scale * 10) / 10]});
    }
  }

  const heading = slide.querySelector('h1, h2, h3, h4');
  const s = slide.getBoundingClientRect();
  const r4 = q => [q.left, q.top, q.width, q.height].map(v => Math.round(v * 10) / 10);
  return {h: ind.h || 0, v: ind.v || 0, id: slide.id || '', title: heading ? snip(heading.innerText) : '',
          slide_rect: r4({left: box.left, top: box.top,
                          width: box.right - box.left, height: box.bottom - box.top}),
          section_rect: r4(s), scale: Math.round(scale * 10000) / 10000,
          overflow, broken_images: broken, text_over_image: over};
}
"""


@dataclass
class _DeckSession:
    """An open deck in a browser page plus what was observed while it was open."""

    page: Any
    url: str
    reveal_ready: bool = False
    network_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def slide_count(self) -> int:
        """Number of slides (vertical stacks flattened) in the deck."""
        return len(self.page.evaluate(_JS_SLIDES)) if self.reveal_ready else 0

    def show(self, index: int, measure: bool, settle_ms: int = 50) -> dict[str, Any] | None:
        """Show slide ``index`` with all fragments; return its measurements if ``measure``."""
        args = {
            "index": index,
            "measure": measure,
            "fragments": True,
            "settleMs": settle_ms,
            "imageWaitMs": 5000,
            "overflowTol": 2.0,
            "overlapTol": 4.0,
        }
        result: dict[str, Any] | None = self.page.evaluate(_JS_MEASURE, args)
        return result


_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@contextlib.contextmanager
def _open_deck(
    deck_dir: str | os.PathLike[str],
    viewport: tuple[int, int] = (1280, 720),
    chromium: str | None = None,
    ready_timeout_s: float = 20.0,
) -> Iterator[_DeckSession]:
    """Open ``deck_dir/index.html`` in headless Chromium with the network blocked.

    Yields a :class:`_DeckSession`; reveal.js transitions are switched off once it is ready.
    """
    index = Path(deck_dir).resolve() / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"no index.html in {deck_dir}")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RenderToolMissing("the playwright Python package is not installed") from exc
    exe = chromium or os.environ.get("DECKGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        raise RenderToolMissing(f"Chromium not found at {exe} (set DECKGEN_CHROMIUM)")

    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            raise RenderToolMissing(f"Chromium at {exe} could not be started: {exc}") from exc
        try:
            context = browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
            )
            page = context.new_page()
            session = _DeckSession(page=page, url=index.as_uri())

            def note_remote(url: str) -> None:
                if not url.startswith(_LOCAL_SCHEMES) and url not in session.network_requests:
                    session.network_requests.append(url)

            def on_route(route: Any) -> None:
                url = route.request.url
                if url.startswith(_LOCAL_SCHEMES):
                    route.continue_()
                else:
                    note_remote(url)
                    route.abort()

            def on_failed(request: Any) -> None:
                if request.url.startswith("file:") and request.url not in session.failed_requests:
                    session.failed_requests.append(request.url)

            def on_console(msg: Any) -> None:
                if msg.type == "error":
                    where = (msg.location or {}).get("url", "")
                    session.console_errors.append(f"{msg.text} ({where})" if where else msg.text)

            context.route("**/*", on_route)
            page.on("request", lambda req: note_remote(req.url))
            page.on("requestfailed", on_failed)
            page.on("console", on_console)
            page.on("pageerror", lambda exc: session.console_errors.append(f"uncaught: {exc}"))

            page.goto(session.url, wait_until="load", timeout=60_000)
            try:
                page.wait_for_function(
                    "() => typeof Reveal !== 'undefined' && !!Reveal.isReady && Reveal.isReady()",
                    timeout=ready_timeout_s * 1000,
                    polling=100,
                )
                session.reveal_ready = True
            except PlaywrightError:
                session.reveal_ready = False
            if session.reveal_ready:
                page.evaluate(
                    "async () => { Reveal.configure({transition: 'none', backgroundTransition: 'none'});"
                    " if (document.fonts) await document.fonts.ready; }"
                )
            yield session
        finally:
            browser.close()


def check_html(
    deck_dir: str | os.PathLike[str],
    workdir: str | os.PathLike[str] | None = None,
    *,
    viewport: tuple[int, int] = (1280, 720),
    chromium: str | None = None,
) -> HtmlReport:
    """Open the reveal.js deck ``deck_dir/index.html`` offline in headless Chromium and check it.

    Every slide (vertical stacks included) is shown with all fragments revealed and measured: see
    :class:`SlideReport`.  All non-``file:`` requests are blocked and recorded.  When ``workdir``
    is given, a screenshot ``slide-NNN.png`` of every flagged slide is saved there.

    Raises :class:`RenderToolMissing` when Playwright or Chromium is missing.
    """
    shots = Path(workdir) if workdir is not None else None
    with _open_deck(deck_dir, viewport=viewport, chromium=chromium) as session:
        report = HtmlReport(deck_dir=str(deck_dir), url=session.url, reveal_ready=session.reveal_ready)
        for i in range(session.slide_count()):
            raw = session.show(i, measure=True)
            assert raw is not None
            slide = SlideReport(
                index=i,
                h=int(raw["h"]),
                v=int(raw["v"]),
                id=raw["id"],
                title=raw["title"],
                slide_rect=tuple(raw["slide_rect"]),  # type: ignore[arg-type]
                section_rect=tuple(raw["section_rect"]),  # type: ignore[arg-type]
                scale=float(raw["scale"]),
                overflow=[
                    ElementHit(e["tag"], e["cls"], e["text"], tuple(e["rect"]), e["overflow"])
                    for e in raw["overflow"]
                ],
                broken_images=[BrokenImage(b["src"], b["alt"]) for b in raw["broken_images"]],
                text_over_image=[
                    TextOverImage(
                        t["tag"], t["cls"], t["text"], t["media_tag"], t["media_src"], tuple(t["overlap"])
                    )
                    for t in raw["text_over_image"]
                ],
            )
            if shots is not None and not slide.ok:
                shots.mkdir(parents=True, exist_ok=True)
                path = shots / f"slide-{i + 1:03d}.png"
                session.page.screenshot(path=str(path))
                slide.screenshot = str(path)
            report.slides.append(slide)
        # Let late console messages / failed requests arrive before copying the lists.
        session.page.wait_for_timeout(100)
        report.network_requests = list(session.network_requests)
        report.failed_requests = list(session.failed_requests)
        report.console_errors = list(session.console_errors)
    return report


def screenshot_slides(
    deck_dir: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    limit: int | None = None,
    *,
    viewport: tuple[int, int] = (1280, 720),
    chromium: str | None = None,
) -> list[Path]:
    """Save ``slide-NNN.png`` (viewport-sized, all fragments shown) for each slide of the deck.

    ``limit`` caps the number of slides; returns the PNG paths in slide order (none when
    reveal.js never became ready).
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with _open_deck(deck_dir, viewport=viewport, chromium=chromium) as session:
        count = session.slide_count()
        if limit is not None:
            count = min(count, limit)
        for i in range(count):
            session.show(i, measure=False, settle_ms=100)
            path = out / f"slide-{i + 1:03d}.png"
            session.page.screenshot(path=str(path))
            paths.append(path)
    return paths
