"""pull/match.py: slides matched by their texts (added, deleted, moved), shapes by slot, and
paragraphs by digest; what changed that the post cannot say, listed with its slide."""

from __future__ import annotations

from collections.abc import Sequence

from deckgen.pull.deckmap import DeckMap, Entry, PageMap, ShapeMap
from deckgen.pull.deckread import DeckSlide
from deckgen.pull.match import align_slides
from deckgen.pull.slideread import Shape, TextPara


def page(*digests: str) -> PageMap:
    return PageMap(1, (ShapeMap("b", "sp", (0, 0, 10, 10), (), tuple(Entry("k", d) for d in digests)),))


def slide(number: int, *texts: str) -> DeckSlide:
    return DeckSlide(number, (Shape("sp", "b", "Body", (0, 0, 1270, 1270), tuple(TextPara(((t, (False, False, False, "")),)) for t in texts)),), "")


def aligned(texts: Sequence[Sequence[str]], now: Sequence[Sequence[str]]) -> list[tuple[int | None, int | None]]:
    from deckgen.pull.deckmap import para_digest

    def d(t: str) -> str:
        return para_digest(((t, (False, False, False, "")),))

    m = DeckMap(tuple(page(*(d(t) for t in p)) for p in texts))
    return align_slides(m, [slide(i + 1, *s) for i, s in enumerate(now)])


def test_slides_pair_in_order_and_an_added_or_deleted_one_stands_alone() -> None:
    pages = [["a", "b"], ["c", "d"], ["e", "f"]]
    assert aligned(pages, pages) == [(0, 0), (1, 1), (2, 2)]
    assert aligned(pages, [["a", "b"], ["new"], ["c", "d"], ["e", "f"]]) == [(0, 0), (None, 1), (1, 2), (2, 3)]
    assert aligned(pages, [["a", "b"], ["e", "f"]]) == [(0, 0), (1, None), (2, 1)]


def test_a_slide_whose_every_text_changed_still_pairs_in_its_place() -> None:
    pages = [["a", "b"], ["c", "d"], ["e", "f"]]
    assert aligned(pages, [["a", "b"], ["C", "D"], ["e", "f"]]) == [(0, 0), (1, 1), (2, 2)]
