"""pull/slideread.py: a slide's shapes as pull compares them, from hand-written slide XML like
deckgen's and like LibreOffice's."""

from __future__ import annotations

from deckgen.pull.slideread import BODY, PLAIN, TITLE, read_notes, read_slide

NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


def slide(*shapes: str) -> str:
    return f"<p:sld {NS}><p:cSld><p:spTree><p:nvGrpSpPr/><p:grpSpPr/>{''.join(shapes)}</p:spTree></p:cSld></p:sld>"


def sp(name: str, paras: str, ph: str = "", hidden: bool = False, fill: str = "") -> str:
    nv = f"<p:nvPr>{ph}</p:nvPr>"
    hid = ' hidden="1"' if hidden else ""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="9" name="{name}"{hid}/><p:cNvSpPr/>{nv}</p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="12700" y="25400"/><a:ext cx="127000" cy="254000"/></a:xfrm>{fill}</p:spPr>'
        f"<p:txBody><a:bodyPr/>{paras}</p:txBody></p:sp>"
    )


def run(text: str, attrs: str = "", inner: str = "") -> str:
    return f"<a:r><a:rPr {attrs}>{inner}</a:rPr><a:t>{text}</a:t></a:r>"


LINK = '<a:hlinkClick r:id="rId2"/>'


def test_slots_are_the_title_body_footer_and_number_placeholders_and_ordinary_shapes_by_name() -> None:
    shapes = read_slide(
        slide(
            sp("PlaceHolder 1", "<a:p/>", '<p:ph type="ctrTitle"/>'),
            sp("Content Placeholder 2", "<a:p/>", '<p:ph idx="1"/>'),
            sp("Footer", "<a:p/>", '<p:ph type="ftr" idx="3"/>'),
            sp("Slide number", "<a:p/>", '<p:ph type="sldNum" idx="4"/>'),
            sp("TextBox 5", "<a:p/>", hidden=True),
        ),
        {},
    )
    assert [s.slot for s in shapes] == [TITLE, BODY, "footer", "number", "=TextBox 5"]
    assert shapes[4].hidden and shapes[0].box == (12700, 25400, 127000, 254000)


def test_runs_read_as_text_and_style_whatever_cut_them() -> None:
    """LibreOffice cuts runs where the script changes and merges equal ones; a link written one
    word per run, with zero-width spaces and unlinked spaces between, reads as the same link."""
    words = run("\u200b") + run("A", 'b="0" u="sng"', LINK) + run(" ", 'u="sng"') + run("link", "", LINK)
    para = "<a:p>" + run("Plain ") + run("bo", 'b="1"') + run("ld", 'b="true"') + "<a:br/>" + words
    para += run("x", 'strike="noStrike"') + "</a:p>"
    field = '<a:p><a:fld id="{X}" type="slidenum"><a:t>&lt;number&gt;</a:t></a:fld></a:p>'
    shape = read_slide(slide(sp("TextBox 2", para + field)), {"rId2": "https://example.org/a%20b"})[0]
    bold = (True, False, False, "")
    link = (False, False, False, "https://example.org/a b")
    assert shape.paras[0].runs == (("Plain ", PLAIN), ("bold", bold), ("\n", PLAIN), ("A", link), (" ", PLAIN),
                                   ("link", link), ("x", PLAIN))
    assert shape.paras[1].text == ""  # the slide number's field is the application's


def test_bullets_and_indents_are_read() -> None:
    para = '<a:p><a:pPr marL="342900"><a:buChar char="•"/></a:pPr>' + run("item") + "</a:p>"
    plain = '<a:p><a:pPr marL="0"><a:buNone/></a:pPr>' + run("text") + "</a:p>"
    shape = read_slide(slide(sp("TextBox 2", para + plain)), {})[0]
    assert [(p.bullet, p.indent) for p in shape.paras] == [(True, 342900), (False, 0)]


def test_colours_are_the_fills_and_the_runs_not_an_empty_paragraphs_end_or_a_shadow() -> None:
    red = '<a:solidFill><a:srgbClr val="cc0000"/></a:solidFill>'
    shadow = '<a:effectLst><a:outerShdw><a:srgbClr val="000000"/></a:outerShdw></a:effectLst>'
    end = '<a:endParaRPr><a:solidFill><a:srgbClr val="123456"/></a:solidFill></a:endParaRPr>'
    para = f"<a:p>{run('x', '', red)}{end}</a:p>"
    fill = '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="0B57D0"/></a:solidFill></a:ln>'
    shape = read_slide(slide(sp("TextBox 2", para, fill=fill + shadow)), {})[0]
    assert shape.colours == {"CC0000", "FFFFFF", "0B57D0"}


def test_a_tables_cells_are_those_no_span_covers_in_row_order() -> None:
    def tc(text: str, attrs: str = "") -> str:
        return f"<a:tc{attrs}><a:txBody><a:bodyPr/><a:p>{run(text)}</a:p><a:p>{run('2nd')}</a:p></a:txBody></a:tc>"

    table = (
        '<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Table 3"/><p:cNvGraphicFramePr/><p:nvPr/>'
        '</p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="10" cy="10"/></p:xfrm><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid/>'
        + "<a:tr>" + tc("wide", ' gridSpan="2"') + tc("", ' hMerge="1"') + "</a:tr>"
        + "<a:tr>" + tc("a") + tc("b") + "</a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )
    shape = read_slide(slide(table), {})[0]
    assert (shape.kind, shape.slot, shape.grid) == ("tbl", "=Table 3", (2, 2))
    assert [c.text for c in shape.cells] == ["wide\n2nd", "a\n2nd", "b\n2nd"]


def test_notes_are_the_notes_placeholders_paragraphs() -> None:
    notes = (
        f"<p:notes {NS}><p:cSld><p:spTree>"
        + sp("Slide Image", "", '<p:ph type="sldImg"/>')
        + sp("Notes", "<a:p>" + run("first") + "</a:p><a:p/><a:p>" + run("sec\u200bond") + "</a:p>", '<p:ph type="body" idx="1"/>')
        + "</p:spTree></p:cSld></p:notes>"
    )
    assert read_notes(notes) == "first\n\nsecond"
    assert read_notes(f"<p:notes {NS}><p:cSld><p:spTree/></p:cSld></p:notes>") == ""
