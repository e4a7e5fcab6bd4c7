"""The text of the .pptx's shapes as DrawingML, written as text: paragraphs with their spacing,
indents and bullets, runs with their fonts, colours and links (``TextXml``), and a slide's
notes page (``notes_xml``)."""

from __future__ import annotations

from deckgen.errors import unknown_kind
from deckgen.measure import break_units
from deckgen.model.document import Run, Runs
from deckgen.model.laidout import Bullet, Numbered, Page, Para
from deckgen.theme.schema import Theme
from deckgen.urlpolicy import UrlPolicy
from deckgen.writers.ooxml import (
    EMU_PER_PT,
    HEAD,
    NS,
    RT_LINK,
    SlideRels,
    emu,
    solid_fill,
    xml_attr,
    xml_text,
)

ZERO_WIDTH_SPACE = "\u200b"
_PLAIN = Run("")  # the formatting of the spaces the writer adds around links
# the slide-number field's id: one for every slide, as PowerPoint copies its layout's (a fresh
# uuid4 each build made every build's bytes differ)
SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
# a BCP 47 tag as Office writes a language: a culture name (language-REGION)
_OFFICE_LANG = {
    "zh-Hant": "zh-TW", "zh-Hans": "zh-CN", "zh": "zh-CN", "en": "en-US", "ja": "ja-JP", "ko": "ko-KR",
    "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT", "pt": "pt-BR", "ru": "ru-RU",
    "vi": "vi-VN", "th": "th-TH", "id": "id-ID", "nl": "nl-NL",
}


def office_lang(tag: str) -> str:
    """A run's language (BCP 47, ``zh-Hant``) as the .pptx writes it (``zh-TW``): a translation."""
    if tag in _OFFICE_LANG:
        return _OFFICE_LANG[tag]
    parts = tag.split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isupper() or len(p) == 3 and p.isdigit()), "")
    if region:
        return f"{parts[0]}-{region}"  # zh-Hant-HK -> zh-HK
    script = next((p for p in parts[1:] if len(p) == 4), "")
    return _OFFICE_LANG.get(f"{parts[0]}-{script}", _OFFICE_LANG.get(parts[0], tag or "en-US"))


class TextXml:
    """The DrawingML text of one slide's shapes: paragraphs (``a:pPr``), runs (``a:rPr``) in the
    theme's fonts, links through the URL policy into the slide's relationships."""

    def __init__(self, theme: Theme, links: UrlPolicy, rels: SlideRels, lang: str = "en") -> None:
        self.links = links
        self.rels = rels
        self.lang = lang  # the page's language: that of runs without their own
        fonts = theme.fonts
        self._east_asian = xml_attr(fonts.east_asian[0])
        self._latin = xml_attr(fonts.latin[0])
        self._mono = xml_attr(fonts.code[0])

    @staticmethod
    def body_pr(insets: tuple[float, float, float, float], anchor: str = "t") -> str:
        left, top, right, bottom = insets
        return (
            f'<a:bodyPr wrap="square" lIns="{emu(left)}" tIns="{emu(top)}" rIns="{emu(right)}" '
            f'bIns="{emu(bottom)}" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
        )

    def paras(
        self,
        paras: tuple[Para, ...],
        line_spacing: float,
        link_color: str | None,
        number: bool = False,
        title: bool = False,
    ) -> str:
        """``title``: a slide's title, whose text must read as it is (no zero-width space before
        a link that starts it: PowerPoint's outline and screen readers would get it first)."""
        out = []
        for para in paras:
            items = [self.ppr(para, line_spacing)]
            items.extend(
                self.runs(para.runs, para.size, para.color, link_color, split_links=True, number=number, title=title)
            )
            out.append("<a:p>" + "".join(items) + "</a:p>")
        return "".join(out) or "<a:p/>"

    def runs(
        self,
        runs: tuple[Run, ...] | list[Run],
        size: float,
        color: str | None,
        link_color: str | None,
        split_links: bool = False,
        number: bool = False,
        title: bool = False,
    ) -> list[str]:
        """The runs of one paragraph, written so LibreOffice draws every link word as a link.

        LibreOffice turns each hyperlink run into a field, and a field that starts a line or
        follows another field is drawn in the colour of the text *after* it (PowerPoint never
        writes two hyperlink runs side by side). So a link never touches another link or a
        line start: a word's trailing spaces become a run of their own (link-coloured and
        underlined, not clickable), and where nothing else separates them a zero-width space
        (no link) does. ``number``: the first run is the slide-number field. ``title``: a link
        that starts the text gets no zero-width space before it (the title must start with its
        first word: PowerPoint's outline and screen readers read it); where plain text follows
        it, the spaces that start that text, in the link's colour (else a zero-width space),
        keep LibreOffice from drawing it in that text's colour.
        """
        items: list[str] = []
        last_rpr = ""
        after_text = False  # is the previous written run plain text (not a link, not a line start)?
        zwsp_after = False  # a title's first link: what follows it starts in the link's colour

        def put(run: Run, text: str, link: str | None, run_color: str | None, underline: bool = False) -> None:
            """``text`` in ``run``'s formatting, with its link and colour as given."""
            nonlocal last_rpr
            rpr = self.rpr(run, link, run_color, size, color, link_color, underline=underline)
            last_rpr = rpr
            if number and not items:
                items.append(f'<a:fld id="{SLIDE_NUMBER_FIELD_ID}" type="slidenum">{rpr}<a:t>{xml_text(text)}</a:t></a:fld>')
            else:
                items.append(f"<a:r>{rpr}<a:t>{xml_text(text)}</a:t></a:r>")

        def put_space(text: str) -> None:  # a space or a zero-width space in the link's colour
            put(_PLAIN, text, None, link_color)

        for run in runs:
            if run.is_break:
                items.append(f"<a:br>{_break_rpr(last_rpr)}</a:br>" if last_rpr else "<a:br/>")
                after_text = False
                continue
            linked = bool(run.link) and bool(self.links.absolute(run.link or ""))
            for text in _link_pieces(run.text) if split_links and run.link else [run.text]:
                if not linked:
                    if zwsp_after:  # the title's first link is drawn in the colour of what follows it:
                        zwsp_after = False  # its spaces, in the link's colour, else a zero-width space
                        spaces = text[: len(text) - len(text.lstrip(" "))]
                        put_space(spaces or ZERO_WIDTH_SPACE)
                        text = text[len(spaces) :]
                        if not text:
                            after_text = True
                            continue
                    put(run, text, None, run.color)
                    after_text = True
                    continue
                word = text.rstrip(" ")
                zwsp_after = False
                if title and not items:
                    zwsp_after = word == text  # no spaces of its own follow it
                elif not after_text:
                    put_space(ZERO_WIDTH_SPACE)
                put(run, word or text, run.link, run.color)
                after_text = False
                if word and word != text:
                    put(run, text[len(word) :], None, link_color, True)
                    after_text = True
        return items

    def ppr(self, para: Para, line_spacing: float) -> str:
        algn = {"center": "ctr", "right": "r"}.get(para.align, "l")
        marl = int(para.indent * EMU_PER_PT)
        spacing = (
            f'<a:lnSpc><a:spcPts val="{int(round(para.size * line_spacing * 100))}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(round(para.space_before * 100))}"/></a:spcBef>'
            '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
        )
        if para.bullet is not None:
            indent = int(-para.hang * EMU_PER_PT)
            # the number in the text's colour, not in that of the first run (a link)
            font = (f'<a:buClr><a:srgbClr val="{para.color.upper()}"/></a:buClr>' if para.color else "") + (
                f"<a:buFont typeface={self._latin}/>"
            )
            match para.bullet:
                case Numbered(n=n):
                    bullet = f'{font}<a:buAutoNum type="arabicPeriod" startAt="{n}"/>'
                case Bullet(char=char):
                    bullet = f"{font}<a:buChar char={xml_attr(char)}/>"
                case _:
                    unknown_kind(para.bullet, "the .pptx writer")
        else:
            indent = 0
            bullet = "<a:buNone/>"
        return f'<a:pPr marL="{marl}" indent="{indent}" algn="{algn}">{spacing}{bullet}</a:pPr>'

    def rpr(
        self,
        run: Run,
        link: str | None,
        run_color: str | None,
        size: float,
        color: str | None,
        link_color: str | None,
        mono: bool = False,
        underline: bool = False,
    ) -> str:
        """``run``'s properties, with ``link`` and ``run_color`` in place of its own (a run
        written whole passes its own: ``run.link``, ``run.color``)."""
        # a site path needs the site's address here (the parser warned when it is not known)
        target = self.links.absolute(link) if link else None
        attrs = [
            f'lang="{office_lang(run.lang or self.lang)}" altLang="en-US" sz="{int(round(size * 100))}" '
            f'b="{1 if run.bold else 0}" i="{1 if run.italic else 0}"'
        ]
        if target or underline:
            attrs.append('u="sng"')
        if run.strike:
            attrs.append('strike="sngStrike"')
        latin = self._mono if (run.code or mono) else self._latin
        use_color = run_color or (link_color if target else color)
        fill = solid_fill(use_color) if use_color else ""
        rel = ""
        if target:
            rid = self.rels.add(RT_LINK, target, external=True)
            rel = f'<a:hlinkClick r:id="{rid}"/>'
        return (
            f"<a:rPr {' '.join(attrs)}>{fill}<a:latin typeface={latin}/><a:ea typeface={self._east_asian}/>"
            f"<a:cs typeface={latin}/>{rel}</a:rPr>"
        )


def _notes_lines(runs: Runs) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run.is_break:
            lines.append([])
        else:
            lines[-1].append(run)
    return lines


def notes_xml(page: Page) -> str:
    """A notes page: the slide image and the notes body, one paragraph per line, each run in its
    language (``Page.notes_runs``)."""
    runs = page.notes_runs or ((Run(page.notes),) if page.notes else ())
    paras = "".join(
        "<a:p>"
        + "".join(
            f'<a:r><a:rPr lang="{office_lang(r.lang or page.lang)}" dirty="0"/><a:t>{xml_text(r.text)}</a:t></a:r>'
            for r in line
        )
        + "</a:p>"
        if line
        else "<a:p/>"
        for line in _notes_lines(runs)
    )
    return (
        f"{HEAD}<p:notes {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/>"
        "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder 1\"/>"
        '<p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/>'
        '</p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr>'
        f"<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody></p:sp></p:spTree></p:cSld>"
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    )


def _break_rpr(rpr: str) -> str:
    """The previous run's properties for an ``a:br`` (without its link).

    LibreOffice draws a link run that ends a line in the break's color, not its own.
    """
    if "hlinkClick" not in rpr:
        return rpr
    head, _, rest = rpr.partition("<a:hlinkClick")
    tail = rest.split("/>", 1)[1]
    return head.replace(' u="sng"', "") + tail


def _link_pieces(text: str) -> list[str]:
    """A link's text cut at its break opportunities (one piece per word, per CJK character).

    LibreOffice shows a hyperlink run as one field that never wraps at its spaces; runs of
    one word each wrap like ordinary text there, and look the same in PowerPoint.
    """
    return break_units(text)
