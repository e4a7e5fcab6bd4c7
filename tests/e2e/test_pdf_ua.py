"""The printed decks are tagged PDF/UA-1: the lecture, the corpus (``../shared/corpus``) and
their handouts (1, 2, 3 and 6 slides a sheet), checked by ``pdfua check --format json`` (no
error, no warning), by :mod:`support.tagcheck` (stricter), and read back as a screen reader
would: ``pdfinfo -struct-text`` (poppler) in reading order, one outline entry per slide."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from conftest import LECTURE, ROOT
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from support.localdeck import LocalFetcher, localize_post
from support.tagcheck import check_tagged

CORPUS = ROOT.parent / "shared" / "corpus"
HANDOUTS = (1, 2, 3, 6)


def _build(image_server, post: Path, work: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """The post's PDF and its four handouts."""
    local = localize_post(image_server, post, work / "posts")
    services = Services(fetcher=LocalFetcher(image_server))
    pictures = AssetOptions(cache_dir=work / "cache")
    for n in HANDOUTS:
        build_post(local, BuildOptions(formats=("pdf",), out_dir=work / "out", pictures=pictures, handout=n), services)
    return [work / "out" / f"{post.stem}.pdf", *(work / "out" / f"{post.stem}.handout-{n}.pdf" for n in HANDOUTS)]


def pdfua(path: Path) -> dict:  # type: ignore[type-arg]
    tool = Path(sys.executable).with_name("pdfua")
    command = [str(tool)] if tool.is_file() else [shutil.which("pdfua") or "pdfua"]
    done = subprocess.run([*command, "check", "--format", "json", str(path)], capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout)


def check_accessible(files: list[Path]) -> None:
    slides = len(pymupdf.open(str(files[0])))
    for path in files:
        report = pdfua(path)
        assert (report["summary"]["errors"], report["summary"]["warnings"]) == (0, 0), (path.name, report["findings"][:3])
        tagged = check_tagged(path)
        assert tagged.problems == [], (path.name, tagged.problems[:5])
        assert len(tagged.outline) == slides, path.name  # one entry per slide, on the slides and on every handout
        assert tagged.lang == "en"
        assert all(alt and "://" not in alt and not alt.lower().endswith((".png", ".jpg", ".gif")) for alt in tagged.alts)


@pytest.fixture(scope="module")
def lecture(image_server, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:  # type: ignore[no-untyped-def]
    return _build(image_server, LECTURE, tmp_path_factory.mktemp("ua-lecture"))


def test_the_lecture_and_its_handouts_are_pdf_ua(lecture: list[Path]) -> None:
    check_accessible(lecture)
    tagged = check_tagged(lecture[0])
    assert tagged.roles["/Sect"] == len(tagged.outline)
    assert tagged.roles["/H1"] == 1 and tagged.roles["/Figure"] == len(tagged.alts) > 0
    assert tagged.langs["/Span zh-Hant"] > 0  # the Chinese titles


def test_a_screen_reader_reads_the_lecture_in_order(lecture: list[Path]) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    text = subprocess.run(["pdfinfo", "-struct-text", str(lecture[0])], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert lines[:4] == ["Document", "Sect", "H1 (block)", '"Large Language Models"']
    second = lines.index("Sect", 2)
    assert lines[second + 1 : second + 3] == ["H2 (block)", '"History of LLM"']
    order = [lines.index(f'"{t}"') for t in ("Large Language Models", "History of LLM")]
    assert order == sorted(order)
    handout = subprocess.run(["pdfinfo", "-struct-text", str(lecture[1])], capture_output=True, text=True, check=True).stdout
    assert handout.count("  Sect") == lines.count("Sect")


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in sorted(p.name for p in CORPUS.glob("2*.md"))] or ["(no corpus)"])
def test_the_corpus_and_its_handouts_are_pdf_ua(image_server, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    check_accessible(_build(image_server, CORPUS / name, tmp_path))
