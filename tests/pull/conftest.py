"""Decks for ``deckgen pull``'s tests: the lecture (its pictures from the local server) and the
suite's own post (a table, an HTML table, notes, Chinese, a list long enough for three slides,
a quote, a hidden title, code), each built once per session into a folder with its record."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import LECTURE
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post

POSTS = Path(__file__).resolve().parent / "posts"
OWN = POSTS / "2024-09-02-edits.md"
CLOCK = dt.datetime(2026, 12, 7, 10, 45)  # the lecture shows the time of its build: a fixed one


@dataclass(frozen=True)
class Built:
    post: Path  # the post the deck was built from (a copy: a test may write it)
    deck: Path
    out: Path  # the output folder (with the build's record)

    def text(self) -> str:
        return self.post.read_text("utf-8")


def build(post: Path, out: Path, cache: Path, services: Services | None = None, offline: bool = True) -> Path:
    options = BuildOptions(
        formats=("pptx",), out_dir=out, now=CLOCK, pictures=AssetOptions(cache_dir=cache, offline=offline)
    )
    build_post(post, options, services)
    return out / f"{post.stem}.pptx"


@pytest.fixture(scope="session")
def own_deck(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("pull-own")
    posts = work / "_posts"
    posts.mkdir()
    post = Path(shutil.copy(OWN, posts / OWN.name))
    shutil.copy(POSTS / "pic.png", posts / "pic.png")
    return Built(post, build(post, work / "build", work / "cache"), work / "build")


@pytest.fixture(scope="session")
def lecture_deck(tmp_path_factory: pytest.TempPathFactory, image_server) -> Built:  # type: ignore[no-untyped-def]
    from support.localdeck import LocalFetcher, localize_post

    work = tmp_path_factory.mktemp("pull-lecture")
    post = localize_post(image_server, LECTURE, work / "_posts")
    deck = build(post, work / "build", work / "cache", Services(fetcher=LocalFetcher(image_server)), offline=False)
    return Built(post, deck, work / "build")
