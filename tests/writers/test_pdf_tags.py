"""The PDF's structure tree (tagged PDF/UA-1) on small hand-built decks, read back with pikepdf,
and the fpdf2 internals it relies on (they must fail here, loudly, if an fpdf2 release moves them)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from PIL import Image as PILImage

from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer, measurer_for
from deckgen.model import (
    Asset,
    AssetStatus,
    Badge,
    Box,
    Bullet,
    Cell,
    CodeFrame,
    Frame,
    LaidDeck,
    Meta,
    Numbered,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
    TextFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.handout import write_handout
from deckgen.writers.pdf import PdfWriter
from support.tagcheck import check_tagged

THEME = load_theme("default")
MEASURER = measurer_for(THEME.fonts.latin)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-tags-cache")


def styled(*pages: Page, title: str = "Tagged 測試", lang: str = "en") -> LaidDeck:
    deck = LaidDeck(Meta(title=title, authors=("A. Teacher",), date="2026-01-02", lang=lang), pages, 960.0, 540.0)
    return style_deck(deck, THEME, TableMeasurer())


def content(title: str, *frames: Frame, notes: str = "") -> Page:
    head = TextFrame(Box(48, 20, 860, 60), (Para((Run(title),), 36, "title"),), "title")
    return Page("content", tuple(frames), head, notes)


def png(tmp_path: Path, name: str = "p.png", mode: str = "RGB", size: tuple[int, int] = (40, 30)) -> Asset:
    path = tmp_path / name
    color = (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)
    PILImage.new(mode, size, color).save(path)
    return Asset(f"https://example.org/pictures/{name}", AssetStatus.OK, path, size[0], size[1], "png")


def write(tmp_path: Path, deck: LaidDeck, cache: Path) -> Path:
    out = tmp_path / "deck.pdf"
    PdfWriter(THEME, MEASURER, cache).write(deck, out)
    return out


def tree(path: Path) -> list[tuple[int, str, dict[str, str]]]:
    """The structure elements in reading order: (depth, role, some entries)."""
    out: list[tuple[int, str, dict[str, str]]] = []

    def walk(node: pikepdf.Object, depth: int) -> None:
        entries = {k: str(node[k]) for k in ("/Alt", "/Lang") if k in node}
        if "/A" in node:
            entries.update({k: str(v) for k, v in node.A.items() if k != "/O"})
        out.append((depth, str(node.S)[1:], entries))
        kids = node.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, depth + 1)

    with pikepdf.open(str(path)) as pdf:
        walk(pdf.Root.StructTreeRoot.K, 0)
    return out


def roles(path: Path) -> list[str]:
    return [role for _, role, _ in tree(path)]


def test_every_slide_is_a_section_with_its_title_as_a_heading_in_reading_order(tmp_path: Path, cache: Path) -> None:
    title_page = Page(
        "title",
        (
            TextFrame(Box(48, 100, 860, 80), (Para((Run("The deck"),), 44, "title"),), "title"),
            TextFrame(Box(48, 200, 860, 40), (Para((Run("A. Teacher"),), 20, "meta"),), "subtitle"),
        ),
    )
    body = TextFrame(Box(48, 100, 860, 300), (Para((Run("First."),), 24), Para((Run("Second."),), 24)))
    path = write(tmp_path, styled(title_page, content("Two", body)), cache)
    assert roles(path) == ["Document", "Sect", "H1", "P", "Sect", "H2", "P", "P"]
    assert check_tagged(path).problems == []


def test_lists_are_l_li_lbl_lbody_nested_and_numbered(tmp_path: Path, cache: Path) -> None:
    paras = (
        Para((Run("one"),), 24, bullet=Bullet()),
        Para((Run("one.a"),), 24, level=1, bullet=Bullet("–")),
        Para((Run("two"),), 24, bullet=Bullet()),
        Para((Run("after"),), 24),
        Para((Run("first"),), 24, bullet=Numbered(1)),
    )
    path = write(tmp_path, styled(content("Lists", TextFrame(Box(48, 100, 860, 400), paras))), cache)
    found = tree(path)
    shape = [(depth, role) for depth, role, _ in found]
    assert shape == [
        (0, "Document"), (1, "Sect"), (2, "H2"),
        (2, "L"), (3, "LI"), (4, "Lbl"), (4, "LBody"), (5, "L"), (6, "LI"), (7, "Lbl"), (7, "LBody"),
        (3, "LI"), (4, "Lbl"), (4, "LBody"),
        (2, "P"),
        (2, "L"), (3, "LI"), (4, "Lbl"), (4, "LBody"),
    ]  # fmt: skip
    numbering = [entries.get("/ListNumbering") for _, role, entries in found if role == "L"]
    assert numbering == ["/Disc", "/Disc", "/Decimal"]
    text = pymupdf.open(str(path))[0].get_text()
    assert "one.a" in text and "•" in text


def test_tables_have_header_cells_with_a_scope_and_data_cells(tmp_path: Path, cache: Path) -> None:
    table = TableFrame(
        Box(48, 100, 600, 90),
        (
            (Cell((Run("Name"),), header=True), Cell((Run("Value"),), header=True)),
            (Cell((Run("a"),), header=True), Cell((Run("1"),))),
            (Cell((Run("b"),), colspan=2), Cell(())),
        ),
        1,
        (300.0, 300.0),
        (30.0, 30.0, 30.0),
        18,
    )
    path = write(tmp_path, styled(content("Table", table)), cache)
    cells = [(role, entries.get("/Scope"), entries.get("/ColSpan")) for _, role, entries in tree(path) if role in ("TH", "TD")]
    assert cells == [("TH", "/Column", None), ("TH", "/Column", None), ("TH", "/Row", None), ("TD", None, None), ("TD", None, "2")]
    assert roles(path).count("TR") == 3


def test_a_table_written_without_header_cells_reads_its_first_row_as_the_header(tmp_path: Path, cache: Path) -> None:
    rows = ((Cell((Run("Method"),)), Cell((Run("Time"),))), (Cell((Run("NeRF"),)), Cell((Run("56 s"),))))
    table = TableFrame(Box(48, 100, 600, 60), rows, 0, (300.0, 300.0), (30.0, 30.0), 18)
    path = write(tmp_path, styled(content("Table", table)), cache)
    assert [role for role in roles(path) if role in ("TH", "TD")] == ["TH", "TH", "TD", "TD"]


def test_pictures_are_figures_with_a_description_never_a_file_name(tmp_path: Path, cache: Path) -> None:
    described = PictureFrame(Box(48, 100, 200, 150), png(tmp_path, "a.png"), description="A cat on a mat")
    context = PictureFrame(Box(300, 100, 200, 150), png(tmp_path, "b.png"), context="Picture beside: cats")
    bare = PictureFrame(Box(550, 100, 200, 150), png(tmp_path, "c.png"))  # laid out without the titles pass
    path = write(tmp_path, styled(content("Pictures", described, context, bare)), cache)
    alts = [entries["/Alt"] for _, role, entries in tree(path) if role == "Figure"]
    assert alts == [
        "A cat on a mat",
        "Picture beside: cats",
        'Picture on slide "Pictures", not described yet',
    ]
    assert all("png" not in alt and "://" not in alt for alt in alts)


def test_links_are_link_elements_with_their_annotation_and_a_description(tmp_path: Path, cache: Path) -> None:
    text = TextFrame(Box(48, 100, 860, 60), (Para((Run("see "), Run("the paper", link="https://example.org/p")), 24),))
    video = PictureFrame(
        Box(48, 200, 320, 180), png(tmp_path, "v.png"), link="https://youtu.be/x", description="A talk",
        play_badge=Badge(Box(188, 270, 40, 40)),
    )  # fmt: skip
    path = write(tmp_path, styled(content("Links", text, video)), cache)
    assert roles(path) == ["Document", "Sect", "H2", "P", "Link", "Link", "Figure"]
    with pikepdf.open(str(path)) as pdf:
        page = pdf.pages[0].obj
        assert page.Tabs == "/S"
        contents = sorted(str(a.Contents) for a in page.Annots)
    assert contents == ["A talk (https://youtu.be/x)", "the paper (https://example.org/p)"]
    report = check_tagged(path)
    assert report.problems == [] and report.annotations == 2


def test_decoration_footer_number_and_logo_are_artifacts(tmp_path: Path, cache: Path) -> None:
    logo = png(tmp_path, "logo.png")
    theme = replace(THEME, logo=logo.path)
    footer = TextFrame(Box(48, 500, 600, 30), (Para((Run("The deck"),), 14, "meta"),), "footer")
    number = TextFrame(Box(860, 500, 60, 30), (Para((Run("2"),), 14, "meta", align="right"),), "number")
    code = CodeFrame(Box(48, 100, 500, 80), ((Run("print(1)", code=True),), (Run("x = 2", code=True),)), 18)
    holder = PlaceholderFrame(Box(560, 100, 380, 150), "https://example.org/x.png", "Image unavailable", 16, link="https://example.org/x.png")
    corner = PictureFrame(Box(880, 20, 60, 40), logo, None, decorative=True)
    path = tmp_path / "deck.pdf"
    PdfWriter(theme, MEASURER, cache).write(styled(content("Chrome", code, holder, footer, number, corner)), path)
    assert roles(path) == ["Document", "Sect", "H2", "P", "Code", "P", "P", "Link"]
    report = check_tagged(path)
    assert report.problems == []  # every painting operator is tagged content or an artifact
    with pikepdf.open(str(path)) as pdf:
        stream = pdf.pages[0].Contents.read_bytes().decode("latin-1")
    assert "/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in stream
    assert len(pymupdf.open(str(path))[0].get_image_info()) == 1  # the logo is drawn, as decoration


def test_languages_the_document_and_each_span(tmp_path: Path, cache: Path) -> None:
    runs = (Run("Large models "), Run("大型語言模型", lang="zh-Hant"), Run(" today"))  # as the layout marks them
    mixed = TextFrame(Box(48, 100, 860, 60), (Para(runs, 24),))
    path = write(tmp_path, styled(content("Mostly English", mixed)), cache)
    report = check_tagged(path)
    assert report.lang == "en"
    assert report.langs == {"/Span zh-Hant": 1}
    chinese = TextFrame(Box(48, 100, 860, 60), (Para((Run("大型語言模型的時間軸與產業分類 "), Run("GPT", lang="en")), 24),))
    path = write(tmp_path, styled(content("中文投影片", chinese), lang="zh-Hant"), cache)
    report = check_tagged(path)
    assert report.lang == "zh-Hant"
    assert report.langs == {"/Span en": 1}


def test_document_title_shown_outline_per_slide_and_pdf_ua_identification(tmp_path: Path, cache: Path) -> None:
    body = TextFrame(Box(48, 100, 860, 60), (Para((Run("text"),), 24),))
    untitled = Page("content", (TextFrame(Box(48, 100, 860, 60), (Para((Run("No title here"),), 24),)),))
    path = write(tmp_path, styled(content("One", body), content("Two", body), untitled), cache)
    report = check_tagged(path)
    assert report.problems == []  # DisplayDocTitle, /Lang, XMP dc:title and pdfuaid:part 1 among them
    assert [(level, title, page) for level, title, page in report.outline] == [
        (1, "One", 1), (1, "Two", 2), (1, "No title here", 3)
    ]  # fmt: skip
    with pikepdf.open(str(path)) as pdf:
        assert str(pdf.docinfo.Title) == "Tagged 測試"
        assert "Sect" not in [str(k) for k in pdf.Root.Outlines.keys()]


def test_zero_width_spaces_are_drawn_as_nothing(tmp_path: Path, cache: Path) -> None:
    url = "https://\u200bexample.\u200borg/\u200bsome/\u200bpath"
    frame = TextFrame(Box(48, 100, 860, 60), (Para((Run(url),), 24),))
    path = write(tmp_path, styled(content("Breaks", frame)), cache)
    text = pymupdf.open(str(path))[0].get_text()
    assert "https://example.org/some/path" in text and "\u200b" not in text


@pytest.mark.parametrize("per_sheet", [1, 2, 3, 6])
def test_handouts_are_tagged_a_section_per_slide_with_its_notes(tmp_path: Path, cache: Path, per_sheet: int) -> None:
    body = TextFrame(Box(48, 100, 860, 60), (Para((Run("slide text"),), 24),))
    deck = styled(*(content(f"Slide {n}", body, notes=f"Notes {n}, 講者備註") for n in range(1, 8)))
    buffer = BytesIO()
    write_handout(PdfWriter(THEME, MEASURER, cache), deck, per_sheet, "a4", buffer)
    path = tmp_path / "handout.pdf"
    path.write_bytes(buffer.getvalue())
    report = check_tagged(path)
    assert report.problems == []
    assert [title for _, title, _ in report.outline] == [f"Slide {n}" for n in range(1, 8)]
    sections = [role for depth, role, _ in tree(path) if depth == 1]
    assert sections == ["Sect"] * 7
    with_notes = per_sheet in (1, 2)
    assert roles(path).count("P") == 7 * (1 + with_notes)
    assert ("/Span zh-Hant" in report.langs) == with_notes


# -- the fpdf2 internals the writer relies on --------------------------------------------


def _png_idat(data: bytes) -> bytes:
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return idat


def test_fpdf2_is_the_version_whose_internals_the_writer_uses() -> None:
    import fpdf
    from fpdf.output import PDFPage

    major, minor, *_ = (int(p) for p in fpdf.FPDF_VERSION.split(".")[:3])
    assert (major, minor) == (2, 8), f"fpdf2 {fpdf.FPDF_VERSION}: check writers/pdftags.py and pdfimages.py"
    assert "struct_parents" in PDFPage.__slots__
    assert hasattr(fpdf.FPDF(), "struct_builder") and hasattr(fpdf.FPDF, "_out")
    assert hasattr(fpdf.FPDF(), "image_cache")


def test_fpdf2_writes_our_structure_tree_page_and_annotation_fields(tmp_path: Path, cache: Path) -> None:
    text = TextFrame(Box(48, 100, 860, 60), (Para((Run("see "), Run("this", link="https://example.org/")), 24),))
    path = write(tmp_path, styled(content("Hooks", text)), cache)
    with pikepdf.open(str(path)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        tree_root = root.StructTreeRoot
        assert tree_root.K.S == "/Document"  # ours, not fpdf2's flat tree
        page = pdf.pages[0].obj
        assert int(page.StructParents) == 0 and page.Tabs == "/S"
        annot = page.Annots[0]
        parent = tree_root.ParentTree.Nums
        keys = {int(parent[i]): parent[i + 1] for i in range(0, len(parent), 2)}
        assert keys[int(annot.StructParent)].S == "/Link"
        assert str(root.Lang) == "en" and root.ViewerPreferences.DisplayDocTitle is True


def test_fpdf2_takes_a_png_s_compressed_rows_as_they_are(tmp_path: Path, cache: Path) -> None:
    opaque = png(tmp_path, "rgb.png", size=(64, 48))
    clear = png(tmp_path, "rgba.png", mode="RGBA", size=(32, 16))
    frames = (PictureFrame(Box(48, 100, 200, 150), opaque, description="red"),
              PictureFrame(Box(300, 100, 200, 100), clear, description="pink"))
    path = write(tmp_path, styled(content("Pictures", *frames)), cache)
    with pikepdf.open(str(path)) as pdf:
        images = sorted(
            (obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"),
            key=lambda o: int(o.Width),
        )
        by_width = {int(o.Width): o for o in images if o.get("/ColorSpace") == "/DeviceRGB"}
        rgb = by_width[64]
        assert rgb.DecodeParms.Predictor == 15 and rgb.Filter == "/FlateDecode"
        assert rgb.read_raw_bytes() == _png_idat(opaque.path.read_bytes())  # type: ignore[union-attr]
        rgba = by_width[32]
        assert "/SMask" in rgba and rgba.SMask.ColorSpace == "/DeviceGray"
        alpha = zlib.decompress(rgba.SMask.read_raw_bytes())
        assert set(alpha[1::33]) == {128}  # each row: a filter byte and 32 alpha values
    pix = pymupdf.open(str(path))[0].get_pixmap(dpi=72)
    assert pix.pixel(148, 175)[:3] == (200, 30, 30)


def test_fpdf2_fonts_keep_their_boxes_as_they_are_at_output(tmp_path: Path, cache: Path) -> None:
    writer = PdfWriter(THEME, MEASURER, cache)
    body = TextFrame(Box(48, 100, 860, 60), (Para((Run("text 文字"),), 24),))
    writer.write(styled(content("Fonts", body)), BytesIO())
    fonts = list(writer.pdf.fonts.values())
    assert fonts and all(font.ttfont.recalcBBoxes is False for font in fonts)


def test_a_hidden_title_is_an_invisible_heading_above_the_page_and_the_slide_s_outline_entry(
    tmp_path: Path, cache: Path
) -> None:
    body = TextFrame(Box(48, 100, 860, 60), (Para((Run("the second part"),), 24),))
    hidden = TextFrame(Box(48, -80, 860, 60), (Para((Run("Results (2/2)"),), 36, "title"),), "title")
    page = Page("content", (body,), hidden_title=hidden)
    path = write(tmp_path, styled(content("Results (1/2)", body), page), cache)
    report = check_tagged(path)
    assert report.problems == []
    assert [title for _, title, _ in report.outline] == ["Results (1/2)", "Results (2/2)"]
    assert [role for depth, role, _ in tree(path) if depth == 2] == ["H2", "P", "H2", "P"]
    with pikepdf.open(str(path)) as pdf:
        stream = pdf.pages[1].Contents.read_bytes().decode("latin-1")
    assert "3 Tr" in stream  # drawn invisible
    words = pymupdf.open(str(path))[1].get_text("words")
    assert all(w[3] <= 0 for w in words if w[4] in ("Results", "(2/2)"))  # above the page
