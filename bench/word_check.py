"""Words of a post missing from its decks: ``python bench/word_check.py POST.md DECK.pptx [DECKDIR]``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support.wordcheck import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
