"""Office Open XML written as text: what every part of the .pptx shares. Units (points to EMU),
the one place text is escaped (``xml_text``, ``xml_attr``), the XML head and namespaces, a solid
fill, and a part's relationships (``SlideRels``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from deckgen.model.laidout import Box

EMU_PER_PT = 12700
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def has_extent(box: Box) -> bool:
    return emu(box.w) > 0 and emu(box.h) > 0


_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def xml_text(value: str) -> str:
    """``value`` as XML character data: the one place the .pptx's text is escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: str) -> str:
    """``value`` as a double-quoted XML attribute (whitespace kept as character references)."""
    return f'"{value.translate(_ATTR)}"'


def solid_fill(hex6: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{hex6.upper()}"/></a:solidFill>'


@dataclass
class SlideRels:
    """The relationships of one slide: rId2... after the layout's rId1."""

    items: list[tuple[str, str, str, bool]] = field(default_factory=list)  # rid, type, target, external
    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, rtype: str, target: str, external: bool = False) -> str:
        key = (rtype, target)
        found = self._by_key.get(key)
        if found:
            return found
        rid = f"rId{len(self.items) + 2}"
        self.items.append((rid, rtype, target, external))
        self._by_key[key] = rid
        return rid


RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
