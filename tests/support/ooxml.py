"""Validate the XML parts of a .pptx against the ECMA-376 transitional schemas.

The schemas are the standard's files, read from ``../shared/xsd/`` beside the repository
(``$DECKGEN_XSD_DIR`` names another folder), never copied into it. PresentationML imports
DrawingML, which imports the shared types, the relationship reference and the other
DrawingML schemas: :class:`Catalog` resolves every ``schemaLocation`` to a file of that
folder, whatever base the importing file was read from.

Each part is matched to its schema by its content type (from ``[Content_Types].xml``) and
checked to have the root element that content type promises; the parts no schema of the
folder describes (the package's own: content types, relationships, core properties, which
are ECMA-376 Part 2's OPC schemas) are listed with the reason, never passed silently.
``mc:AlternateContent`` is removed before validating (its payload is what the schema cannot
know: markup of later versions, chosen by the reader).
"""

from __future__ import annotations

import functools
import os
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
_DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
_EXT = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml."

# content type -> (schema file, the root element it promises)
SCHEMAS: dict[str, tuple[str, str]] = {
    _PRESENTATION + "presentation.main+xml": ("pml.xsd", f"{{{_PML}}}presentation"),
    _PRESENTATION + "slide+xml": ("pml.xsd", f"{{{_PML}}}sld"),
    _PRESENTATION + "slideLayout+xml": ("pml.xsd", f"{{{_PML}}}sldLayout"),
    _PRESENTATION + "slideMaster+xml": ("pml.xsd", f"{{{_PML}}}sldMaster"),
    _PRESENTATION + "notesSlide+xml": ("pml.xsd", f"{{{_PML}}}notes"),
    _PRESENTATION + "notesMaster+xml": ("pml.xsd", f"{{{_PML}}}notesMaster"),
    _PRESENTATION + "handoutMaster+xml": ("pml.xsd", f"{{{_PML}}}handoutMaster"),
    _PRESENTATION + "presProps+xml": ("pml.xsd", f"{{{_PML}}}presentationPr"),
    _PRESENTATION + "viewProps+xml": ("pml.xsd", f"{{{_PML}}}viewPr"),
    _PRESENTATION + "tableStyles+xml": ("dml-main.xsd", f"{{{_DML}}}tblStyleLst"),
    "application/vnd.openxmlformats-officedocument.theme+xml": ("dml-main.xsd", f"{{{_DML}}}theme"),
    "application/vnd.openxmlformats-officedocument.extended-properties+xml": (
        "shared-documentPropertiesExtended.xsd",
        f"{{{_EXT}}}Properties",
    ),
    "application/vnd.openxmlformats-officedocument.custom-properties+xml": (
        "shared-documentPropertiesCustom.xsd",
        f"{{{_CUSTOM}}}Properties",
    ),
}

# content type -> why no schema of the folder checks it
WITHOUT_SCHEMA: dict[str, str] = {
    "application/vnd.openxmlformats-package.relationships+xml": (
        "OPC relationships: opc-relationships.xsd is in ECMA-376 Part 2, not in the folder"
    ),
    "application/vnd.openxmlformats-package.core-properties+xml": (
        "OPC core properties: opc-coreProperties.xsd is in ECMA-376 Part 2, not in the folder"
    ),
    "[Content_Types].xml": "OPC content types: opc-contentTypes.xsd is in ECMA-376 Part 2, not in the folder",
}


def xsd_dir() -> Path:
    """Where the schemas are: ``$DECKGEN_XSD_DIR``, else ``../shared/xsd`` beside the repository."""
    return Path(os.environ.get("DECKGEN_XSD_DIR") or ROOT.parent / "shared" / "xsd")


class Catalog(etree.Resolver):
    """Every schema a schema imports, found in the schema folder by its file name."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        local = self.folder / posixpath.basename(system_url or "")
        if system_url and local.is_file():
            return self.resolve_filename(str(local), context)
        return None  # the XML namespace's schema and the like: lxml's own


@functools.cache
def schema(name: str, folder: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(Catalog(folder))
    return etree.XMLSchema(etree.parse(str(folder / name), parser))


@dataclass
class Report:
    """What :func:`validate_pptx` found: the parts that are valid, the errors of those that are
    not (part -> messages), and the parts no schema checks (part -> why)."""

    valid: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    root = etree.fromstring(archive.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in root.iter(f"{{{CT}}}Override")}
    return defaults, overrides


def validate_pptx(path: Path, folder: Path | None = None) -> Report:
    """Validate every XML part of the package at ``path``."""
    folder = folder or xsd_dir()
    report = Report()
    with zipfile.ZipFile(path) as archive:
        defaults, overrides = _content_types(archive)
        for name in archive.namelist():
            if name == "[Content_Types].xml":
                etree.fromstring(archive.read(name))  # well formed, at least
                report.skipped[name] = WITHOUT_SCHEMA[name]
                continue
            ctype = overrides.get(name) or defaults.get(name.rpartition(".")[2].lower(), "")
            if not ctype.endswith("xml"):
                continue  # pictures, the thumbnail, printer settings
            root = etree.fromstring(archive.read(name))
            if ctype in WITHOUT_SCHEMA:
                report.skipped[name] = WITHOUT_SCHEMA[ctype]
                continue
            if ctype not in SCHEMAS:
                report.errors[name] = [f"no schema mapped for its content type {ctype}"]
                continue
            file, element = SCHEMAS[ctype]
            if root.tag != element:
                report.errors[name] = [f"root {root.tag}, but {ctype} promises {element}"]
                continue
            for choice in list(root.iter(f"{{{MC}}}AlternateContent")):
                choice.getparent().remove(choice)
            checker = schema(file, folder)
            if checker.validate(root):
                report.valid.append(name)
            else:
                report.errors[name] = [f"line {e.line}: {e.message}" for e in checker.error_log][:10]
    return report
