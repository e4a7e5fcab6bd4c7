"""The title slide's QR code as a phone sees it (issue 21): built with ``--site-url
https://example.org/course``, the code on the title slide decodes to the deck's address with
``zbarimg`` (Debian's zbar-tools) on the title slide LibreOffice draws from the .pptx, on the
PDF's first page and on the HTML deck's first slide in Chromium, in a light and a dark theme;
axe-core finds nothing wrong with the HTML deck's title slide.

Skipped without zbarimg, LibreOffice, Chromium or axe-core; under CI (``DECKGEN_NO_SKIP=1``)
a skip fails, and ``.ci/run`` installs them all.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from deckgen.cli import main
from support import rendercheck as rc
from support.a11ycheck import DESKTOP, audit_deck, browser
from support.rendercheck import RenderToolMissing

pytestmark = [pytest.mark.render, pytest.mark.slow]

SITE_URL = "https://example.org/course"
POST = """---
title: Convolutional networks
author: Ada Teacher
date: 2024-08-03
tags: [cnn, vision]
---
What a convolution sees, and how a network learns its filters.

---
## One slide

Some text.
"""
STEM = "2024-08-03-cnn"
ADDRESS = f"{SITE_URL}/slides/{STEM}/"  # where build --site publishes it (the slides folder)


def zbarimg(png: Path) -> list[str]:
    tool = shutil.which("zbarimg")
    if tool is None:
        pytest.skip("zbarimg is not installed (Debian: apt-get install zbar-tools)")
    done = subprocess.run([tool, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=120)
    return done.stdout.split()


def first_page_png(pdf: Path, out: Path) -> Path:
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm is not installed (Debian: poppler-utils)")
    subprocess.run([tool, "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)], check=True, timeout=300)
    return out.with_suffix(".png")


@pytest.fixture(scope="module", params=["default", "dark"])
def built(request: pytest.FixtureRequest, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp(f"qr-{request.param}")
    post = work / f"{STEM}.md"
    post.write_text(POST, "utf-8")
    args = ["build", str(post), "--out", str(work / "out"), "--format", "all", "--offline", "-q"]
    args += ["--site-url", SITE_URL, "--theme", request.param, "--reveal-js", str(reveal_source)]
    assert main([*args, "--cache-dir", str(work / "cache")]) == 0
    return work


def test_libreoffice_draws_a_code_that_reads_as_the_decks_address(built: Path) -> None:
    try:
        pdf = rc.convert_to_pdf(built / "out" / f"{STEM}.pptx", built / "lo")
    except RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert zbarimg(first_page_png(pdf, built / "lo-title")) == [ADDRESS]


def test_the_pdfs_first_page_reads_as_the_decks_address(built: Path) -> None:
    assert zbarimg(first_page_png(built / "out" / f"{STEM}.pdf", built / "pdf-title")) == [ADDRESS]


def test_chromium_draws_the_html_decks_title_slide_with_a_code_that_reads_as_its_address(built: Path) -> None:
    index = built / "out" / STEM / "index.html"
    shot = built / "html-title.png"
    try:
        with browser() as chromium:
            page = chromium.new_page(viewport={"width": 1280, "height": 720})
            page.goto(index.as_uri())
            page.wait_for_function("() => window.Reveal && Reveal.isReady()")
            page.screenshot(path=str(shot))
            page.close()
    except RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert zbarimg(shot) == [ADDRESS]


def test_axe_finds_nothing_wrong_with_the_title_slide_and_its_code(built: Path) -> None:
    try:
        audits = audit_deck(built / "out" / STEM, (DESKTOP,), scope="slide")
    except RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert [v.line() for v in audits[DESKTOP].violations] == []
